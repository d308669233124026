"""The chart builders of dashboard.charts: the numbers drawn, labels, colours, and the table behind.

Figures are checked through their data, not their pixels: each test builds a small analysed
table by hand and reads back what the figure would draw.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard import analysis, charts, theme
from dashboard.analysis import OTHERS
from dashboard.coverage import Coverage

MONTHS = pd.DatetimeIndex(["2024-01-01", "2024-02-01", "2024-03-01"], name="period")


def per_month(counts=(2, 0, 1)) -> pd.DataFrame:
    return pd.DataFrame({"period": MONTHS, "posts": list(counts)})


def per_month_by_author() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": MONTHS.repeat(3),
            "author": ["Ann", "Bob", OTHERS] * 3,
            "posts": [2, 1, 1, 0, 0, 0, 1, 0, 3],
        }
    )


def bars(figure):
    return [trace for trace in figure.data if trace.type == "bar"]


def labelled(figure) -> bool:
    layout = figure.layout
    return bool(layout.title.text and layout.xaxis.title.text and layout.yaxis.title.text)


def test_period_chart_draws_the_counts_with_their_periods():
    drawn = charts.period_chart(per_month(), "month")
    (bar,) = bars(drawn.figure)
    assert list(bar.y) == [2, 0, 1]
    assert [pd.Timestamp(x) for x in bar.x] == list(MONTHS)
    assert bar.marker.color == theme.OKABE_ITO[0]
    assert [list(c) for c in bar.customdata] == [
        ["2024-01-01", "", "month", "Jan 2024"],
        ["2024-02-01", "", "month", "Feb 2024"],
        ["2024-03-01", "", "month", "Mar 2024"],
    ]
    assert drawn.figure.layout.title.text == "Posts per month"
    assert drawn.figure.layout.xaxis.title.text == "Month"
    assert drawn.table.to_dict("list") == {
        "Month": ["Jan 2024", "Feb 2024", "Mar 2024"],
        "Posts": [2, 0, 1],
    }


@pytest.mark.parametrize(
    ("freq", "label"), [("month", "Mar 2022"), ("quarter", "2022 Q1"), ("year", "2022")]
)
def test_a_lone_period_is_labelled_by_its_name(freq, label):
    lone = pd.DataFrame(
        {
            "period": pd.to_datetime(["2022-01-01" if freq != "month" else "2022-03-01"]),
            "posts": [1],
        }
    )
    axis = charts.period_chart(lone, freq).figure.layout.xaxis
    assert list(axis.ticktext) == [label]
    start = lone["period"].iloc[0]
    assert pd.Timestamp(axis.range[0]) == start
    assert start < pd.Timestamp(axis.tickvals[0]) < pd.Timestamp(axis.range[1])
    (bar,) = bars(charts.period_chart(lone, freq).figure)
    days = (pd.Timestamp(axis.range[1]) - start).days
    assert bar.width[0] == pytest.approx(0.8 * days * 86_400_000)  # most of its period wide
    many = charts.period_chart(per_month(), "month").figure.layout.xaxis
    assert many.ticktext is None  # more than one period: plotly places the ticks


def test_period_chart_marks_the_empty_periods():
    drawn = charts.period_chart(per_month((2, 0, 0)), "month")
    (marks,) = [t for t in drawn.figure.data if t.type == "scatter"]
    assert [pd.Timestamp(x) for x in marks.x] == list(MONTHS[1:])
    assert list(marks.y) == [0, 0]
    assert len(charts.period_chart(per_month((1, 1, 1)), "month").figure.data) == 1


def test_period_chart_stacks_groups_in_order_with_others_grey():
    drawn = charts.period_chart(per_month_by_author(), "month", "author")
    traces = bars(drawn.figure)
    assert [t.name for t in traces] == ["Ann", "Bob", OTHERS]
    assert [list(t.y) for t in traces] == [[2, 0, 1], [1, 0, 0], [1, 0, 3]]
    assert [t.marker.color for t in traces] == [
        theme.OKABE_ITO[0],
        theme.OKABE_ITO[1],
        theme.OTHER_COLOUR,
    ]
    assert drawn.figure.layout.barmode == "stack"
    assert traces[1].customdata[2][1] == "Bob"
    assert list(drawn.table.columns) == ["Month", "Author", "Posts"]
    assert len(drawn.table) == 9


def test_period_chart_running_total():
    drawn = charts.period_chart(per_month(), "month", running_total=True)
    (line,) = drawn.figure.data
    assert line.type == "scatter"
    assert list(line.y) == [2, 2, 3]
    assert drawn.table["Running total"].tolist() == [2, 2, 3]
    assert drawn.figure.layout.yaxis.title.text == "Posts, running total"


@pytest.mark.parametrize(("largest", "dtick"), [(0, 1), (4, 1), (6, 1), (7, None), (500, None)])
def test_count_axis_shows_whole_numbers(largest, dtick):
    assert charts.count_axis(largest).get("dtick") == dtick


def test_ranking_chart_draws_the_top_rows_and_keeps_all_in_the_table():
    table = pd.DataFrame({"author": ["Ann", "Bob", "Cy"], "posts": [5, 3, 1]})
    drawn = charts.ranking_chart(
        table, "author", title="Posts per author", category_title="Author", top=2
    )
    (bar,) = drawn.figure.data
    assert list(bar.y) == ["Ann", "Bob"]
    assert list(bar.x) == [5, 3]
    assert drawn.figure.layout.title.text == "Posts per author (top 2 of 3)"
    assert drawn.table.to_dict("list") == {"Author": ["Ann", "Bob", "Cy"], "Posts": [5, 3, 1]}
    assert drawn.figure.layout.yaxis.type == "category"  # a topic named "2020" stays a name


def test_labels_are_escaped_for_plotly_but_the_table_keeps_the_text():
    hostile = "<b>Bold</b> & <a href='javascript:alert(1)'>x</a>"
    table = pd.DataFrame({"topic": [hostile], "posts": [1]})
    drawn = charts.ranking_chart(table, "topic", title="Posts per topic", category_title="Topic")
    (label,) = drawn.figure.data[0].y
    assert "<" not in label and ">" not in label
    assert label == "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;a href='javascript:alert(1)'&gt;x&lt;/a&gt;"
    assert drawn.table["Topic"].iloc[0] == hostile


def test_heatmap_chart_shows_empty_cells():
    matrix = pd.DataFrame(
        [[4, 0], [0, 2]],
        index=pd.Index(["Governance", "Health"], name="topic"),
        columns=pd.DatetimeIndex(["2023-01-01", "2024-01-01"]),
    )
    drawn = charts.heatmap_chart(
        matrix, title="Posts per topic and year", x_title="Year", y_title="Topic", freq="year"
    )
    (heat,) = drawn.figure.data
    assert np.asarray(heat.z).tolist() == [[4, 0], [0, 2]]
    assert list(heat.x) == ["2023", "2024"]
    assert list(heat.y) == ["Governance", "Health"]
    assert heat.zmin == 0
    assert heat.colorscale[0][1] == theme.EMPTY_CELL  # zero is grey, not the background
    assert heat.texttemplate == "%{z}"
    assert heat.xgap and heat.ygap
    assert drawn.table.to_dict("list") == {
        "Topic": ["Governance", "Health"],
        "2023": [4, 0],
        "2024": [0, 2],
    }


def test_share_chart_draws_percentages_of_the_top_topics():
    share = pd.DataFrame(
        {
            "period": MONTHS.repeat(2),
            "topic": ["Health", "Housing"] * 3,
            "posts": [1, 2, 0, 0, 3, 0],
            "total": [2, 2, 0, 0, 4, 4],
            "share": [0.5, 1.0, np.nan, np.nan, 0.75, 0.0],
        }
    )
    drawn = charts.share_chart(share, "month", top=1)
    (line,) = drawn.figure.data
    assert line.name == "Health"  # 4 posts against Housing's 2
    assert list(line.y[[0, 2]]) == [50.0, 75.0]
    assert np.isnan(line.y[1])  # a month without posts is a gap, not 0%
    assert "the 1 most frequent of 2 topics" in drawn.figure.layout.title.text
    assert len(drawn.table) == 6
    assert drawn.table["Share (%)"].iloc[4] == 75.0


@pytest.mark.parametrize(
    "build",
    [
        lambda: charts.period_chart(per_month(), "week"),
        lambda: charts.period_chart(per_month_by_author(), "quarter", "author"),
        lambda: charts.period_chart(per_month(), "year", running_total=True),
        lambda: charts.ranking_chart(
            pd.DataFrame({"t": ["a"], "posts": [1]}), "t", title="T", category_title="Topic"
        ),
        lambda: charts.heatmap_chart(
            pd.DataFrame([[1]], index=["a"], columns=["b"]), title="T", x_title="X", y_title="Y"
        ),
        lambda: charts.share_chart(
            pd.DataFrame({"period": MONTHS, "topic": "a", "posts": 1, "total": 1, "share": 1.0}),
            "month",
        ),
    ],
)
def test_every_chart_has_a_title_labelled_axes_and_the_theme(build):
    drawn = build()
    assert labelled(drawn.figure)
    assert drawn.figure.layout.template.layout.colorway == theme.OKABE_ITO
    assert not drawn.table.empty


def test_a_figure_grows_with_periods_not_with_posts():
    rng = np.random.default_rng(7)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 366, 50_000), unit="D")
    many = pd.DataFrame({"published": days})
    few = many.iloc[:40]
    start, end = "2020-01-01", "2020-12-31"
    sizes = []
    for posts in (few, many):
        table = analysis.posts_per_period(posts, "month", start=start, end=end)
        figure = charts.period_chart(table, "month").figure
        sizes.append(sum(len(trace.x) for trace in figure.data))
    assert sizes[1] <= 12
    assert sizes[0] <= 12
    assert int(analysis.posts_per_period(many, "month")["posts"].sum()) == 50_000


def spells(count: int) -> pd.DataFrame:
    """``count`` silent spells, the n-th n days long, the last one still going."""
    starts = pd.to_datetime("2020-01-01") + pd.to_timedelta(np.arange(count) * 400, unit="D")
    days = np.arange(1, count + 1)
    return pd.DataFrame(
        {
            "start": starts,
            "end": starts + pd.to_timedelta(days, unit="D"),
            "days": days,
            "current": np.arange(count) == count - 1,
        }
    )


def spell_bars(figure):
    """The silent-spell trace of a silence chart, which is drawn first (behind the posts)."""
    bars = figure.data[0]
    assert bars.name == "Silent spell"
    assert not any(trace.name == "Silent spell" for trace in figure.data[1:])
    return bars


def test_the_silence_chart_shades_each_spell_with_the_current_one_stronger():
    per_month = analysis.posts_per_period(
        pd.DataFrame({"published": pd.to_datetime(["2020-01-01", "2031-01-01"])}), "month"
    )
    drawn = charts.silence_chart(per_month, spells(10), "month")
    bars = spell_bars(drawn.figure)
    assert len(bars.x) == 10
    assert list(bars.marker.color).count(theme.SILENCE_CURRENT) == 1
    assert list(bars.marker.color).count(theme.SILENCE) == 9
    assert bars.offset == 0  # each bar starts at its spell's first day
    assert bars.base == 0  # outside the stack, from the axis up
    starts = pd.to_datetime(pd.Series(bars.x))
    ends = starts + pd.to_timedelta(pd.Series(bars.width), unit="ms")
    assert set(zip(starts.dt.date, ends.dt.date, strict=True)) == {
        (r.start.date(), r.end.date()) for r in spells(10).itertuples()
    }
    assert max(bars.y) >= 1 and len(set(bars.y)) == 1
    hover = [str(row[1]) for row in bars.customdata]
    assert sum("(still going)" in text for text in hover) == 1
    assert [int(row[0]) for row in bars.customdata] == list(range(1, 11))


def test_the_silence_chart_draws_no_spell_trace_without_spells():
    per_month = analysis.posts_per_period(
        pd.DataFrame({"published": pd.to_datetime(["2020-01-01", "2021-01-01"])}), "month"
    )
    drawn = charts.silence_chart(per_month, spells(0), "month")
    assert all(trace.name != "Silent spell" for trace in drawn.figure.data)


def test_the_silence_chart_shades_only_the_longest_spells():
    per_month = analysis.posts_per_period(
        pd.DataFrame({"published": pd.to_datetime(["2020-01-01", "2300-01-01"])}), "year"
    )
    many = spells(charts.SPELLS_SHADED + 50)
    drawn = charts.silence_chart(per_month, many, "year")
    shown = sorted(spell_bars(drawn.figure).width)
    assert len(shown) == charts.SPELLS_SHADED
    assert shown[0] == pd.Timedelta(days=51).total_seconds() * 1000  # the 50 shortest are left out
    assert f"the longest {charts.SPELLS_SHADED} of 150" in drawn.figure.layout.title.text


# January to March 2024, as of 31 March, captured from 1 to 5 January and from 10 January to
# 29 February only.
PART = Coverage(
    date(2024, 3, 31),
    ((date(2024, 1, 1), date(2024, 1, 5)), (date(2024, 1, 10), date(2024, 2, 29))),
)
DAY_MS = 24 * 3600 * 1000


def test_uncaptured_time_is_a_hatched_band_with_a_legend_entry():
    drawn = charts.period_chart(per_month(), "month", coverage=PART)
    band = drawn.figure.data[0]  # behind the bars
    assert (band.type, band.name, band.showlegend) == ("bar", "Not captured", True)
    assert band.marker.pattern.shape == "/"
    # 6 to 9 January (4 days) and 1 to 31 March (31 days)
    assert [pd.Timestamp(x) for x in band.x] == [
        pd.Timestamp("2024-01-06"),
        pd.Timestamp("2024-03-01"),
    ]
    assert list(band.width) == [4 * DAY_MS, 31 * DAY_MS]
    assert drawn.figure.layout.showlegend
    # the table: March holds a post but nothing of it was captured, so no count; shares
    assert drawn.table["Posts"].tolist()[:2] == [2, 0]
    assert drawn.table["Posts"].isna().tolist() == [False, False, True]
    assert drawn.table["Captured"].tolist() == ["87%", "100%", "0%"]  # 27 of 31 days


def test_a_complete_archive_draws_no_band_and_no_captured_column():
    whole = Coverage(date(2024, 3, 31), ((date(2024, 1, 1), date(2024, 3, 31)),))
    drawn = charts.period_chart(per_month(), "month", coverage=whole)
    assert "Not captured" not in [t.name for t in drawn.figure.data]
    assert list(drawn.table.columns) == ["Month", "Posts"]
    assert not drawn.figure.layout.showlegend


def test_days_after_the_as_of_date_are_not_uncaptured():
    early = Coverage(date(2024, 3, 15), ((date(2024, 1, 1), date(2024, 3, 15)),))
    drawn = charts.period_chart(per_month(), "month", coverage=early)
    assert "Not captured" not in [t.name for t in drawn.figure.data]
    assert charts.period_capture(MONTHS, "month", early).tolist() == [1.0, 1.0, 1.0]


def test_heatmap_blanks_uncaptured_periods_and_marks_partial_ones():
    matrix = pd.DataFrame([[1, 0, 2], [0, 3, 0]], index=["Housing", "Health"], columns=MONTHS)
    drawn = charts.heatmap_chart(
        matrix, title="Posts", x_title="Month", y_title="Topic", freq="month", coverage=PART
    )
    heat = drawn.figure.data[0]
    assert list(heat.x) == ["Jan 2024*", "Feb 2024", "Mar 2024 (not captured)"]
    assert np.isnan(np.array(heat.z, dtype=float)[:, 2]).all()
    assert np.array(heat.z, dtype=float)[:, :2].tolist() == [[1, 0], [0, 3]]
    assert "Not captured" in [t.name for t in drawn.figure.data]
    assert drawn.table["Mar 2024 (not captured)"].isna().all()


def test_share_chart_shows_the_band_too():
    share = pd.DataFrame(
        {"period": MONTHS, "topic": ["Housing"] * 3, "posts": [1, 1, 1], "total": [2, 2, 2],
         "share": [0.5, 0.5, 0.5]}
    )  # fmt: skip
    drawn = charts.share_chart(share, "month", coverage=PART)
    assert drawn.figure.data[0].name == "Not captured"
    assert list(drawn.figure.data[0].y) == [50.0, 50.0]
