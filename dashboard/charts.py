"""Plotly figures from analysed tables, each returned with the table it was drawn from.

Every builder returns a ``Chart``: the figure (titled, axes labelled, colours and template from
``dashboard.theme``) and the aggregated table behind it, ready to show beside the chart. Figures
are drawn from aggregated tables, so their size depends on the number of periods and groups,
never on the number of posts.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import theme
from dashboard.analysis import OTHERS, PERIOD_NOUNS, cumulative, period_labels
from dashboard.coverage import Coverage
from dashboard.events import Event

TEMPLATE = pio.templates[theme.TEMPLATE_NAME]

# Plotly's period alignment: bars span their whole week, month, quarter or year.
_PERIOD_LENGTH = {
    "week": pd.DateOffset(days=7),
    "month": pd.DateOffset(months=1),
    "quarter": pd.DateOffset(months=3),
    "year": pd.DateOffset(years=1),
}
_X_PERIOD = {"week": 7 * 24 * 3600 * 1000, "month": "M1", "quarter": "M3", "year": "M12"}
MAX_ANNOTATED_CELLS = 600  # above this, heatmap cells are too small to carry their number


class Chart(NamedTuple):
    """A figure and the table behind it."""

    figure: go.Figure
    table: pd.DataFrame


def plotly_text(value: object) -> str:
    """Text that plotly shows literally: it reads a few HTML tags in labels, so escape them."""
    return html.escape(str(value), quote=False)


def period_axis(freq: str, lone: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> dict:
    """A date axis labelled in the middle of each period, ticks on whole quarters or years.

    With ``lone``, the start and end of the only period drawn (``_lone_period``), the axis
    spans that period and its one tick, in the middle, is its label: left to itself, plotly
    spreads a lone date over ticks a fraction of a second apart.
    """
    axis: dict = {"type": "date", "ticklabelmode": "period"}
    if freq == "quarter":
        axis.update(dtick="M3", tickformat="%Y Q%q")
    elif freq == "year":
        axis.update(dtick="M12", tickformat="%Y")
    if lone is not None:
        start, end = lone
        axis.update(
            range=[start, end],
            tickmode="array",
            tickvals=[start + (end - start) / 2],
            ticktext=list(period_labels(pd.Series([start]), freq)),
        )
    return axis


def _lone_period(periods: pd.Series, freq: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The start and end of the one period ``periods`` holds, or None when it holds more."""
    if not len(periods) or periods.nunique() != 1:
        return None
    start = pd.Timestamp(periods.iloc[0])
    return start, start + _PERIOD_LENGTH[freq]


def period_capture(periods: object, freq: str, coverage: Coverage | None) -> np.ndarray:
    """The share of each period's days the data captured. Only the archive's span counts: days
    before its first captured day are outside it, and days after its as-of date had not
    happened. 1.0 for every period without a coverage."""
    starts = pd.DatetimeIndex(periods)
    if coverage is None or not len(starts):
        return np.ones(len(starts))
    ends = (starts + _PERIOD_LENGTH[freq]) - pd.Timedelta(days=1)
    first = starts.to_numpy().astype("datetime64[D]").astype(np.int64)
    last = ends.to_numpy().astype("datetime64[D]").astype(np.int64)
    if coverage.first is not None:
        first = np.maximum(first, np.datetime64(coverage.first, "D").astype(np.int64))
    if coverage.as_of is not None:
        last = np.minimum(last, np.datetime64(coverage.as_of, "D").astype(np.int64))
    days = np.maximum(last - first + 1, 0)
    captured = coverage.covered_counts(first, last)
    return np.where(days > 0, captured / np.maximum(days, 1), 1.0)


def uncaptured_spans(
    periods: object, freq: str, coverage: Coverage | None
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The stretches of the periods, inside the archive's span (its first captured day to its
    as-of date), that the data did not capture, each as (first day, day after the last)."""
    starts = pd.DatetimeIndex(periods)
    if coverage is None or not len(starts):
        return []
    first = starts.min().date()
    if coverage.first is not None:
        first = max(first, coverage.first)
    last = (starts.max() + _PERIOD_LENGTH[freq] - pd.Timedelta(days=1)).date()
    if coverage.as_of is not None:
        last = min(last, coverage.as_of)
    return [
        (pd.Timestamp(a), pd.Timestamp(b) + pd.Timedelta(days=1))
        for a, b in coverage.uncaptured(first, last)
    ]


def _not_captured_band(figure: go.Figure, spans: list, height: float) -> None:
    """The uncaptured stretches as one hatched bar trace behind the data, with a legend entry:
    time the data did not capture is neither posts nor silence."""
    if not spans:
        return
    start = pd.DatetimeIndex([a for a, _ in spans])
    end = pd.DatetimeIndex([b for _, b in spans])
    when = [f"{a:%-d %b %Y} to {b - pd.Timedelta(days=1):%-d %b %Y}" for a, b in spans]
    figure.add_trace(go.Bar(
        x=start, y=[max(1.0, height)] * len(spans), base=0,
        width=((end - start).total_seconds() * 1000).to_numpy(), offset=0,
        marker={"color": theme.NOT_CAPTURED, "line": {"width": 0},
                "pattern": {"shape": "/", "fgcolor": "#888888", "solidity": 0.2}},
        opacity=0.5, name="Not captured", showlegend=True,
        customdata=np.array(when, dtype=object).reshape(-1, 1),
        hovertemplate="Not captured: %{customdata[0]}<extra></extra>",
    ))  # fmt: skip
    figure.data = (figure.data[-1], *figure.data[:-1])  # behind the data


def _event_markers(figure: go.Figure, events: Sequence[Event], height: float) -> None:
    """Events as dotted vertical lines with a marker on top (title, kind and date on hover),
    two traces in all and one legend entry, "Events"."""
    if not events:
        return
    days = [pd.Timestamp(e.date) for e in events]
    top = max(1.0, height)
    lines_x = [x for day in days for x in (day, day, None)]
    lines_y = [y for _ in days for y in (0, top, None)]
    figure.add_trace(go.Scatter(
        x=lines_x, y=lines_y, mode="lines", name="Events", legendgroup="events",
        line={"color": theme.EVENT, "width": 1, "dash": "dot"}, hoverinfo="skip",
    ))  # fmt: skip
    figure.add_trace(go.Scatter(
        x=days, y=[top] * len(days), mode="markers", name="Events", legendgroup="events",
        showlegend=False, marker={"symbol": "triangle-down", "size": 9, "color": theme.EVENT},
        customdata=[[plotly_text(e.title), plotly_text(e.kind), f"{e.date:%-d %b %Y}"]
                    for e in events],
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}, %{customdata[2]}<extra></extra>",
    ))  # fmt: skip


def count_axis(largest: float) -> dict:
    """Axis settings for counts: from zero, and whole numbers only when the counts are small."""
    axis: dict = {"rangemode": "tozero", "tickformat": ",d"}
    if largest <= 6:
        axis["dtick"] = 1
    return axis


def _figure(*traces: go.BaseTraceType) -> go.Figure:
    """A figure with the dashboard's template (its titles and layout come with ``_layout``)."""
    return go.Figure(list(traces), layout={"template": TEMPLATE})


def _layout(figure: go.Figure, title: str, x_title: str, y_title: str, **extra: object) -> None:
    """The figure's whole layout, set at once: its template, title, axis titles and ``extra``.

    One assignment rather than ``update_layout``: updating parses each property path again
    (``xaxis_title``, a template given by name), which took a seventh of a loaded server's time
    (``benchmarks/profile_server.py``). Nothing may set the layout before this.
    """
    xaxis, yaxis = dict(extra.pop("xaxis", {})), dict(extra.pop("yaxis", {}))
    figure.layout = {
        "template": TEMPLATE,
        "title": {"text": plotly_text(title)},
        "xaxis": {"title": {"text": plotly_text(x_title)}, **xaxis},
        "yaxis": {"title": {"text": plotly_text(y_title)}, **yaxis},
        **extra,
    }


def period_chart(
    per_period: pd.DataFrame,
    freq: str,
    by: str | None = None,
    *,
    running_total: bool = False,
    title: str | None = None,
    coverage: Coverage | None = None,
    events: Sequence[Event] = (),
) -> Chart:
    """Posts per period as bars (stacked by ``by`` when given), or running totals as lines.

    Each point carries ``[period ISO date, group or "", freq, period label]`` as customdata, so a
    selection can be traced back to its period (see ``analysis.selected_periods``). With a
    ``coverage``, time the data did not capture is a hatched band ("Not captured"), and the
    table marks each period's captured share; a period with nothing captured has no count.
    """
    noun = PERIOD_NOUNS[freq]
    table = cumulative(per_period, by) if running_total else per_period.copy()
    value = "cumulative" if running_total else "posts"
    labels = period_labels(table["period"], freq)
    table["label"] = labels
    groups = list(dict.fromkeys(table[by])) if by else [None]
    lone = _lone_period(table["period"], freq)
    figure = _figure()
    for position, group in enumerate(groups):
        part = table if group is None else table[table[by] == group]
        customdata = np.array(
            [
                [stamp.date().isoformat(), group or "", freq, text]
                for stamp, text in zip(part["period"], part["label"], strict=True)
            ],
            dtype=object,
        ).reshape(-1, 4)
        colour = theme.colour_for(position, is_other=group == OTHERS)
        name = plotly_text(group) if group is not None else "Posts"
        hover = "%{customdata[3]}<br>Posts: %{y}" + (
            "<extra>%{fullData.name}</extra>" if group else "<extra></extra>"
        )
        common = {
            "x": part["period"],
            "y": part[value],
            "name": name,
            "customdata": customdata,
            "hovertemplate": hover,
            "xperiod": _X_PERIOD[freq],
            "xperiodalignment": "middle",
        }
        if running_total:
            mode = "lines+markers" if len(part) <= 120 else "lines"
            figure.add_trace(go.Scatter(mode=mode, line={"color": colour}, **common))
        else:
            if lone is not None:  # a lone bar gets no width from its period: most of it, in ms
                common["width"] = [0.8 * (lone[1] - lone[0]).total_seconds() * 1000] * len(part)
            figure.add_trace(go.Bar(marker_color=colour, **common))
    captured = period_capture(pd.DatetimeIndex(table["period"]), freq, coverage)
    if not running_total:
        _mark_empty_periods(figure, table[captured > 0], freq)
    spans = uncaptured_spans(table["period"], freq, coverage)
    _not_captured_band(figure, spans, _largest_stack(table, value))
    _event_markers(figure, events, _largest_stack(table, value))
    y_title = "Posts, running total" if running_total else "Posts"
    default_title = f"Posts per {noun.lower()}" + (f" by {by}" if by else "")
    if running_total:
        default_title = "Running total of posts" + (f" by {by}" if by else "")
    _layout(
        figure,
        title or default_title,
        noun,
        y_title,
        barmode="stack",
        showlegend=by is not None or bool(spans) or bool(events),
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
        xaxis=period_axis(freq, lone),
        yaxis=count_axis(_largest_stack(table, value)),
        clickmode="event+select",
    )
    shown = pd.DataFrame({noun: labels})
    if by:
        shown[by.capitalize()] = table[by].to_numpy()
    shown["Posts"] = table["posts"].to_numpy()
    if running_total:
        shown["Running total"] = table["cumulative"].to_numpy()
    if (captured < 1).any():
        shown["Posts"] = shown["Posts"].astype("Int64").mask(captured == 0)
        shown["Captured"] = [f"{share:.0%}" for share in captured]
    return Chart(figure, shown)


def _largest_stack(table: pd.DataFrame, value: str) -> float:
    """The tallest bar of a (possibly stacked) period chart."""
    if table.empty:
        return 0
    return float(table.groupby("period")[value].sum().max())


def _mark_empty_periods(figure: go.Figure, table: pd.DataFrame, freq: str) -> None:
    """A grey tick on the axis for each period without posts, so zero is drawn, not left blank."""
    totals = table.groupby("period", sort=True)["posts"].sum()
    empty = totals[totals == 0]
    if empty.empty:
        return
    labels = period_labels(empty.index, freq)
    figure.add_trace(
        go.Scatter(
            x=empty.index,
            y=[0] * len(empty),
            mode="markers",
            marker={
                "symbol": "line-ew-open",
                "size": 14,
                "color": theme.EMPTY_PERIOD,
                "line": {"width": 2, "color": theme.EMPTY_PERIOD},
            },
            name="No posts",
            showlegend=False,
            customdata=[
                [stamp.date().isoformat(), "", freq, text]
                for stamp, text in zip(empty.index, labels, strict=True)
            ],
            hovertemplate="%{customdata[3]}: no posts<extra></extra>",
            xperiod=_X_PERIOD[freq],
            xperiodalignment="middle",
        )
    )


def ranking_chart(
    table: pd.DataFrame,
    category: str,
    *,
    title: str,
    category_title: str,
    value: str = "posts",
    value_title: str = "Posts",
    top: int = 20,
    shown_columns: dict[str, str] | None = None,
) -> Chart:
    """The ``top`` rows of a ranked table as horizontal bars, largest at the top.

    The returned table has every row (not only the ``top``), with columns renamed for reading
    by ``shown_columns`` (default: the category and value columns).
    """
    head = table.head(top)
    if len(table) > top:
        title = f"{title} (top {top} of {len(table):,})"
    figure = _figure(
        go.Bar(
            x=head[value],
            y=[plotly_text(v) for v in head[category]],
            orientation="h",
            marker_color=theme.PRIMARY,
            hovertemplate="%{y}<br>" + value_title + ": %{x}<extra></extra>",
        )
    )
    _layout(
        figure,
        title,
        value_title,
        category_title,
        height=max(200, 100 + 28 * len(head)),
        yaxis={"type": "category", "autorange": "reversed"},
        xaxis=count_axis(float(head[value].max()) if len(head) else 0),
        showlegend=False,
    )
    columns = shown_columns or {category: category_title, value: value_title}
    return Chart(figure, table[list(columns)].rename(columns=columns))


def heatmap_chart(
    matrix: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    freq: str | None = None,
    coverage: Coverage | None = None,
    events: Sequence[Event] = (),
) -> Chart:
    """A count matrix as a heatmap in which empty cells are grey and visible, never blank.

    With ``freq`` the columns are periods (named by ``period_labels``); otherwise category names.
    With a ``coverage`` too, a period the data did not capture at all is a blank column named
    "(not captured)", never a column of zeros, and one partly captured is marked "*".
    """
    x_labels = period_labels(matrix.columns, freq) if freq else [str(c) for c in matrix.columns]
    y_labels = [str(i) for i in matrix.index]
    values = matrix.to_numpy()
    captured = period_capture(matrix.columns, freq, coverage) if freq else np.ones(len(x_labels))
    if (captured < 1).any():
        values = values.astype(float)
        values[:, captured == 0] = np.nan
        x_labels = [
            label + (" (not captured)" if share == 0 else "*" if share < 1 else "")
            for label, share in zip(x_labels, captured, strict=True)
        ]
        title += " · blank: not captured, *: partly captured"
    cells = values.size
    largest = int(np.nanmax(values)) if cells and not np.isnan(values).all() else 0
    figure = _figure(
        go.Heatmap(
            z=values,
            x=[plotly_text(x) for x in x_labels],
            y=[plotly_text(y) for y in y_labels],
            zmin=0,
            zmax=max(1, largest),
            colorscale=[list(stop) for stop in theme.HEATMAP_SCALE],
            xgap=1,
            ygap=1,
            colorbar={"title": {"text": "Posts"}, "thickness": 12, **_colorbar_ticks(largest)},
            texttemplate="%{z}" if 0 < cells <= MAX_ANNOTATED_CELLS else None,
            hovertemplate="%{y} · %{x}<br>Posts: %{z}<extra></extra>",
        )
    )
    _layout(
        figure,
        title,
        x_title,
        y_title,
        height=max(280, 110 + 24 * len(y_labels)),
        xaxis={"type": "category", "showgrid": False},
        yaxis={"type": "category", "autorange": "reversed", "showgrid": False},
    )
    if (captured == 0).any():  # a legend entry for the blank columns
        figure.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name="Not captured", showlegend=True,
            marker={"symbol": "square", "size": 12, "color": theme.NOT_CAPTURED},
        ))  # fmt: skip
        figure.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.15, "x": 0})
    _period_event_marks(figure, matrix.columns, x_labels, y_labels, freq, events)
    shown = matrix.copy()
    if (captured < 1).any():
        shown = shown.astype("Int64")
        shown.loc[:, captured == 0] = pd.NA
    shown.columns = x_labels
    shown.index = y_labels
    shown = shown.rename_axis(y_title).reset_index()
    return Chart(figure, shown)


def _period_event_marks(figure, periods, x_labels, y_labels, freq, events) -> None:
    """On a period heatmap, a marker above each period that holds events (their titles on
    hover) and a legend entry "Events"."""
    if not events or not freq or not len(periods) or not y_labels:
        return
    starts = pd.DatetimeIndex(periods)
    ends = starts + _PERIOD_LENGTH[freq]
    marked, titles = [], []
    for label, start, end in zip(x_labels, starts, ends, strict=True):
        inside = [e for e in events if start <= pd.Timestamp(e.date) < end]
        if inside:
            marked.append(plotly_text(label))
            titles.append(
                "<br>".join(f"{plotly_text(e.title)}, {e.date:%-d %b %Y}" for e in inside)
            )
    if not marked:
        return
    figure.add_trace(go.Scatter(
        x=marked, y=[plotly_text(y_labels[0])] * len(marked), mode="markers", name="Events",
        marker={"symbol": "triangle-down", "size": 9, "color": theme.EVENT},
        customdata=[[t] for t in titles], hovertemplate="%{customdata[0]}<extra></extra>",
        showlegend=True, cliponaxis=False,
    ))  # fmt: skip
    figure.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.15, "x": 0})


def _colorbar_ticks(largest: int) -> dict:
    """Whole-number colour bar ticks when the counts are small."""
    return {"dtick": 1, "tickformat": ",d"} if largest <= 6 else {"tickformat": ",d"}


def share_chart(
    share: pd.DataFrame,
    freq: str,
    *,
    top: int = 6,
    title: str | None = None,
    coverage: Coverage | None = None,
    events: Sequence[Event] = (),
) -> Chart:
    """Each topic's share of the period's posts, one line per topic (the ``top`` most frequent).

    The table keeps every topic; a post on several topics counts for each, so shares in one
    period can add up to more than 100%. Periods without posts are gaps in the lines.
    """
    noun = PERIOD_NOUNS[freq]
    totals = share.groupby("topic", sort=False)["posts"].sum()
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    chosen = [topic for topic, _ in ranked[:top]]
    if title is None:
        title = f"Share of each {noun.lower()}'s posts on a topic"
        if len(ranked) > top:
            title += f" (the {top} most frequent of {len(ranked)} topics)"
    figure = _figure()
    for position, topic in enumerate(chosen):
        part = share[share["topic"] == topic]
        labels = period_labels(part["period"], freq)
        figure.add_trace(
            go.Scatter(
                x=part["period"],
                y=(part["share"] * 100).round(1),
                name=plotly_text(topic),
                mode="lines+markers" if len(part) <= 60 else "lines",
                line={"color": theme.colour_for(position)},
                customdata=[
                    [text, n, t]
                    for text, n, t in zip(labels, part["posts"], part["total"], strict=True)
                ],
                hovertemplate="%{customdata[0]}: %{y}% (%{customdata[1]} of %{customdata[2]})"
                "<extra>%{fullData.name}</extra>",
                xperiod=_X_PERIOD[freq],
                xperiodalignment="middle",
            )
        )
    spans = uncaptured_spans(share["period"], freq, coverage)
    highest = float(share["share"].max() * 100) if len(share) else 0
    _not_captured_band(figure, spans, highest)
    _event_markers(figure, events, highest)
    _layout(
        figure,
        title,
        noun,
        "Share of posts (%)",
        xaxis=period_axis(freq),
        yaxis={"rangemode": "tozero", "ticksuffix": "%"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
    )
    shown = pd.DataFrame(
        {
            noun: period_labels(share["period"], freq),
            "Topic": share["topic"].to_numpy(),
            "Posts on topic": share["posts"].to_numpy(),
            "All posts": share["total"].to_numpy(),
            "Share (%)": (share["share"] * 100).round(1).to_numpy(),
        }
    )
    return Chart(figure, shown)


SPELLS_SHADED = 100  # the longest spells; more would hide the bars and weigh down the page


def silence_chart(
    per_period: pd.DataFrame,
    gaps: pd.DataFrame,
    freq: str,
    coverage: Coverage | None = None,
    events: Sequence[Event] = (),
) -> Chart:
    """Posts per period with the longest silent spells shaded (the current one in a stronger
    tone), at most ``SPELLS_SHADED`` of them.

    The spells are one bar trace behind the posts, each bar as wide as its spell and as tall as
    the tallest bar, with the spell's dates and length on hover. A shape per spell would be
    validated one by one by plotly, which costs more than the rest of the chart.
    """
    shaded = gaps.nlargest(SPELLS_SHADED, "days") if len(gaps) > SPELLS_SHADED else gaps
    title = f"Posts per {freq}, silent spells shaded"
    if len(shaded) < len(gaps):
        title += f" (the longest {len(shaded)} of {len(gaps):,})"
    drawn = period_chart(per_period, freq, title=title, coverage=coverage, events=events)
    if shaded.empty:
        return drawn
    start = pd.to_datetime(shaded["start"])
    end = pd.to_datetime(shaded["end"])
    current = shaded["current"].to_numpy(dtype=bool)
    when = [
        f"{a:%-d %b %Y} to {b:%-d %b %Y}" + (" (still going)" if now else "")
        for a, b, now in zip(start, end, current, strict=True)
    ]
    drawn.figure.add_trace(go.Bar(
        x=start, y=[max(1.0, _largest_stack(per_period, "posts"))] * len(shaded), base=0,
        width=((end - start).dt.total_seconds() * 1000).to_numpy(), offset=0,
        marker={"color": np.where(current, theme.SILENCE_CURRENT, theme.SILENCE),
                "line": {"width": 0}},
        opacity=0.35, name="Silent spell", showlegend=False,
        customdata=np.column_stack([shaded["days"].to_numpy(), when]),
        hovertemplate="Silent for %{customdata[0]} days<br>%{customdata[1]}<extra></extra>",
    ))  # fmt: skip
    drawn.figure.data = (drawn.figure.data[-1], *drawn.figure.data[:-1])  # behind the posts
    return drawn
