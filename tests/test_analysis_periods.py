"""Periods and posts per period, of dashboard.analysis.periods.

The archive is ``CLEAN_POSTS`` of conftest (ten posts, Jan 2023 to Jun 2024); each expected value
below is read off that table, not computed by the code under test. The property tests at the end
check each fast kernel against its plain definition on small random archives.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from conftest import DEVOLUTION, GOVERNANCE, HEALTH, titles
from hypothesis import given, settings
from hypothesis import strategies as st
from property_support import FIRST_DAY, assert_same_table, views

from dashboard import analysis
from dashboard.analysis import OTHERS
from dashboard.analysis.periods import (
    period_matrix_plain,
    period_start_plain,
    posts_per_period_plain,
)

# --- periods and their labels -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "freq", "start"),
    [
        ("2024-07-18", "week", "2024-07-15"),  # a Thursday: weeks start on Monday
        ("2024-07-15", "week", "2024-07-15"),
        ("2024-07-21", "week", "2024-07-15"),  # a Sunday ends the week
        ("1970-01-01", "week", "1969-12-29"),
        ("2024-02-29", "month", "2024-02-01"),
        ("2024-08-31", "quarter", "2024-07-01"),
        ("2024-12-31", "quarter", "2024-10-01"),
        ("2024-03-31", "quarter", "2024-01-01"),
        ("2024-12-31", "year", "2024-01-01"),
    ],
)
def test_period_start(day, freq, start):
    got = analysis.period_start(np.array([np.datetime64(day, "ns")]), freq)
    assert got[0] == np.datetime64(start, "ns")


def test_period_start_rejects_an_unknown_period():
    with pytest.raises(ValueError, match="unknown period"):
        analysis.period_start(np.array([np.datetime64("2024-01-01", "ns")]), "fortnight")


@pytest.mark.parametrize(
    ("start", "end", "freq", "count", "first"),
    [
        ("2023-01-10", "2024-06-25", "month", 18, "2023-01-01"),
        ("2023-01-10", "2024-06-25", "quarter", 6, "2023-01-01"),
        ("2023-01-10", "2024-06-25", "year", 2, "2023-01-01"),
        ("2024-01-01", "2024-01-31", "week", 5, "2024-01-01"),
        ("2024-01-03", "2024-01-03", "week", 1, "2024-01-01"),
        ("2024-02-01", "2024-01-01", "month", 0, None),
    ],
)
def test_period_range(start, end, freq, count, first):
    periods = analysis.period_range(start, end, freq)
    assert len(periods) == count
    if first:
        assert periods[0] == pd.Timestamp(first)


@pytest.mark.parametrize(
    ("freq", "expected"),
    [
        ("week", "Week of 15 Jul 2024"),
        ("month", "Jul 2024"),
        ("quarter", "2024 Q3"),
        ("year", "2024"),
    ],
)
def test_period_labels(freq, expected):
    assert analysis.period_labels([pd.Timestamp("2024-07-15")], freq) == [expected]


@pytest.mark.parametrize(
    ("start", "end", "most", "freq"),
    [
        ("2023-01-10", "2024-06-25", 24, "month"),  # 18 months
        ("2023-01-10", "2024-06-25", 12, "quarter"),  # 6 quarters
        ("2023-01-10", "2024-06-25", 5, "year"),
        ("2005-01-01", "2024-12-31", 24, "year"),
    ],
)
def test_suitable_freq(start, end, most, freq):
    assert analysis.suitable_freq(start, end, most) == freq


# --- posts per period -------------------------------------------------------------------------


MONTHLY = [2, 1, 0, 2, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1]  # Jan 2023 .. Jun 2024


def test_posts_per_month_draws_empty_months_as_zero(posts):
    table = analysis.posts_per_period(posts, "month")
    assert list(table["posts"]) == MONTHLY
    assert table["period"].iloc[0] == pd.Timestamp("2023-01-01")
    assert table["period"].iloc[-1] == pd.Timestamp("2024-06-01")


def test_posts_per_period_spans_the_given_dates(posts):
    table = analysis.posts_per_period(posts, "year", start="2021-05-01", end="2024-01-01")
    assert list(zip(table["period"].dt.year, table["posts"], strict=True)) == [
        (2021, 0),
        (2022, 0),
        (2023, 7),
        (2024, 3),
    ]


def test_posts_per_period_by_author_counts_a_shared_post_for_each(authors):
    table = analysis.posts_per_period(authors, "year", by="author")
    counts = {(row.period.year, row.author): row.posts for row in table.itertuples()}
    assert counts == {
        (2023, "Tom Arnold"): 3,
        (2024, "Tom Arnold"): 1,
        (2023, "Cleo Hachem"): 2,
        (2024, "Cleo Hachem"): 1,
        (2023, "James Hickson"): 2,
        (2024, "James Hickson"): 0,
        (2023, "Joanna Hayes"): 1,
        (2024, "Joanna Hayes"): 1,
    }
    # groups come most frequent first, ties by name
    assert list(dict.fromkeys(table["author"])) == [
        "Tom Arnold",
        "Cleo Hachem",
        "James Hickson",
        "Joanna Hayes",
    ]


def test_posts_per_period_of_nothing_is_empty(posts):
    assert analysis.posts_per_period(posts.iloc[:0], "month").empty


def test_cumulative_runs_per_group(authors):
    table = analysis.cumulative(analysis.posts_per_period(authors, "year", by="author"), "author")
    tom = table[table["author"] == "Tom Arnold"]
    assert list(tom["cumulative"]) == [3, 4]
    total = analysis.cumulative(analysis.posts_per_period(authors, "year"))
    assert list(total["cumulative"]) == [8, 11]  # 11 author credits: 8 in 2023, 3 in 2024


def test_topic_share_over_time(posts, topics):
    table = analysis.topic_share_over_time(topics, posts, "year", start="2022-01-01")
    share = {(row.period.year, row.topic): row.share for row in table.itertuples()}
    assert share[(2023, GOVERNANCE)] == pytest.approx(4 / 7)
    assert share[(2023, HEALTH)] == pytest.approx(2 / 7)
    assert share[(2023, DEVOLUTION)] == pytest.approx(1 / 7)
    assert share[(2024, GOVERNANCE)] == 0
    assert share[(2024, HEALTH)] == pytest.approx(1 / 3)
    assert share[(2024, DEVOLUTION)] == pytest.approx(2 / 3)
    assert np.isnan(share[(2022, HEALTH)])  # no posts in 2022: no share at all
    totals = {(row.period.year): row.total for row in table.itertuples()}
    assert totals == {2022: 0, 2023: 7, 2024: 3}


def test_topic_period_matrix_keeps_empty_cells(topics):
    matrix = analysis.topic_period_matrix(topics, "year", start="2023-01-01", end="2024-12-31")
    assert list(matrix.index) == [GOVERNANCE, DEVOLUTION, HEALTH, "Unclassified"]
    assert [c.year for c in matrix.columns] == [2023, 2024]
    assert matrix.values.tolist() == [[4, 0], [1, 2], [2, 1], [1, 0]]


def test_period_matrix_of_the_top_authors(authors):
    matrix = analysis.period_matrix(authors, "author", "year", top=2)
    assert list(matrix.index) == ["Tom Arnold", "Cleo Hachem"]
    assert matrix.values.tolist() == [[3, 1], [2, 1]]


# --- the posts of one period ------------------------------------------------------------------


def test_period_posts_of_a_group_and_of_the_others(posts, authors):
    top = analysis.top_groups(authors, "author", keep=2)
    named = ["Tom Arnold", "Cleo Hachem"]
    may = pd.Timestamp("2023-05-01")
    assert set(analysis.period_posts(posts, "month", may)["title"]) == titles(6)
    chosen = analysis.period_posts(
        posts, "year", "2023-01-01", long=top, column="author", group=OTHERS, named_groups=named
    )
    assert set(chosen["title"]) == titles(4, 6, 7)  # Hickson's and Hayes's posts of 2023
    chosen = analysis.period_posts(
        posts, "year", "2024-01-01", long=authors, column="author", group="Cleo Hachem"
    )
    assert set(chosen["title"]) == titles(9)


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([], []),
        ([{"customdata": ["2024-07-01", "", "month", "Jul 2024"]}], [("2024-07-01", None)]),
        ([{"customdata": ["2024-07-01", "Ann", "month", "Jul 2024"]}], [("2024-07-01", "Ann")]),
        ([{"customdata": ["2024-07-01", "", "year", "2024"]}], []),  # drawn for another period
        ([{"x": "2024-07-01"}], []),  # no customdata: not one of our charts
        ([{"customdata": ["banana", "", "month", "?"]}], []),
        (
            [
                {"customdata": ["2024-07-01", "", "month", "Jul 2024"]},
                {"customdata": ["2024-07-01", "", "month", "Jul 2024"]},
                {"customdata": ["2024-08-01", "", "month", "Aug 2024"]},
            ],
            [("2024-07-01", None), ("2024-08-01", None)],
        ),
    ],
)
def test_selected_periods(points, expected):
    got = analysis.selected_periods({"points": points}, "month")
    assert got == [(pd.Timestamp(p), g) for p, g in expected]


# --- fast kernels against their plain definitions, on random archives ------------------------

FREQS = st.sampled_from(analysis.FREQUENCIES)
BOUNDS = st.one_of(st.none(), st.integers(-40, 940).map(lambda n: FIRST_DAY + timedelta(days=n)))


@given(st.lists(st.datetimes(datetime(1960, 1, 1), datetime(2040, 12, 31)), max_size=20), FREQS)
@settings(max_examples=100, deadline=None)
def test_period_start_is_its_plain_definition(stamps, freq):
    published = pd.Series(pd.to_datetime(stamps), dtype="datetime64[ns]")
    np.testing.assert_array_equal(
        analysis.period_start(published, freq), period_start_plain(published, freq)
    )


@given(views(), FREQS, BOUNDS, BOUNDS)
@settings(max_examples=40, deadline=None)
def test_posts_per_period_is_its_plain_definition(view, freq, start, end):
    posts, authors, topics = view
    for table, by in ((posts, None), (authors, "author"), (topics, "topic")):
        assert_same_table(
            analysis.posts_per_period(table, freq, by, start, end),
            posts_per_period_plain(table, freq, by, start, end),
        )


@given(views(), FREQS, BOUNDS, BOUNDS, st.one_of(st.none(), st.integers(0, 4)))
@settings(max_examples=40, deadline=None)
def test_period_matrix_is_its_plain_definition(view, freq, start, end, top):
    _, authors, topics = view
    for long, by in ((authors, "author"), (topics, "topic")):
        assert_same_table(
            analysis.period_matrix(long, by, freq, start, end, top),
            period_matrix_plain(long, by, freq, start, end, top),
        )
