"""Periods (week, month, quarter, year): their first days and labels, posts counted per period
(per group too), and the posts of one period a chart point stands for."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analysis.filters import posts_with_any
from dashboard.analysis.groups import (
    OTHERS,
    group_counts_plain,
    name_codes,
    ranked_codes,
    ranked_groups,
)

FREQUENCIES = ("week", "month", "quarter", "year")
PERIOD_NOUNS = {"week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"}
# The same periods as pandas names them, for the plain definitions (weeks end on Sunday).
PANDAS_PERIODS = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


# --- Periods and their labels -----------------------------------------------------------------


def period_start(published: pd.Series | np.ndarray, freq: str) -> np.ndarray:
    """The first day of the week (Monday), month, quarter or year of each date."""
    days = np.asarray(published).astype("datetime64[D]")
    if freq == "week":
        number = days.astype(np.int64)
        # Day 0 (1970-01-01) was a Thursday, so Mondays are the days congruent to 4 modulo 7.
        starts = ((number - 4) // 7 * 7 + 4).astype("datetime64[D]")
    elif freq == "month":
        starts = days.astype("datetime64[M]")
    elif freq == "quarter":
        months = days.astype("datetime64[M]").astype(np.int64)
        starts = (months - months % 3).astype("datetime64[M]")
    elif freq == "year":
        starts = days.astype("datetime64[Y]")
    else:
        raise ValueError(f"unknown period {freq!r}; expected one of {', '.join(FREQUENCIES)}")
    return starts.astype("datetime64[ns]")


def period_start_plain(published: pd.Series | np.ndarray, freq: str) -> np.ndarray:
    """``period_start`` as ordinary pandas, the definition: the start of each date's Period."""
    periods = pd.Series(published).dt.to_period(PANDAS_PERIODS[freq])
    return periods.dt.start_time.to_numpy().astype("datetime64[ns]")


def period_range(start: object, end: object, freq: str) -> pd.DatetimeIndex:
    """Every period from the one containing ``start`` to the one containing ``end``."""
    first, last = period_start(np.array([pd.Timestamp(start), pd.Timestamp(end)]), freq)
    if last < first:
        return pd.DatetimeIndex([], dtype="datetime64[ns]", name="period")
    unit, step = {"week": ("D", 7), "month": ("M", 1), "quarter": ("M", 3), "year": ("Y", 1)}[freq]
    kind = f"datetime64[{unit}]"
    starts = np.arange(first.astype(kind), last.astype(kind) + 1, step)
    return pd.DatetimeIndex(starts.astype("datetime64[ns]"), name="period")


def period_labels(periods: pd.Series | pd.DatetimeIndex, freq: str) -> list[str]:
    """Readable names of periods given by their first day: "Jul 2024", "2024 Q3", "2024" ..."""
    stamps = pd.DatetimeIndex(periods)
    if freq == "week":
        return [f"Week of {d.day} {d:%b %Y}" for d in stamps]
    if freq == "month":
        return [f"{d:%b %Y}" for d in stamps]
    if freq == "quarter":
        return [f"{d.year} Q{(d.month - 1) // 3 + 1}" for d in stamps]
    return [str(d.year) for d in stamps]


def suitable_freq(start: object, end: object, max_periods: int = 24) -> str:
    """The finest of month, quarter and year that spans the dates in at most ``max_periods``."""
    for freq in ("month", "quarter"):
        if len(period_range(start, end, freq)) <= max_periods:
            return freq
    return "year"


# --- Posts per period -------------------------------------------------------------------------


def posts_per_period(
    table: pd.DataFrame,
    freq: str,
    by: str | None = None,
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """Rows per period (``period``, optional ``by``, ``posts``), with empty periods as zero.

    Given the posts table it counts posts; given a long table and ``by`` ("author", "topic") it
    counts posts per group, so a post with two authors counts once for each. Periods run from the
    one containing ``start`` (default: the earliest date) to the one containing ``end``; groups
    are those with a row in that span, the most frequent first (``OTHERS`` last).
    """
    columns = ["period", "posts"] if by is None else ["period", by, "posts"]
    if start is None or end is None:
        if table.empty:
            return pd.DataFrame({c: [] for c in columns}).astype({"posts": "int64"})
        start = table["published"].min() if start is None else start
        end = table["published"].max() if end is None else end
    periods = period_range(start, end, freq)
    starts = periods.to_numpy()
    keys = period_start(table["published"], freq)
    position = np.searchsorted(starts, keys)
    inside = position < len(starts)
    inside[inside] = starts[position[inside]] == keys[inside]
    if by is None:
        counts = np.bincount(position[inside], minlength=len(starts))
        return pd.DataFrame({"period": periods, "posts": counts.astype("int64")})
    codes, names = name_codes(table[by])
    inside &= codes >= 0
    # The groups with a row in the span, numbered 0.. in code order (bincount: no sorting).
    present = np.flatnonzero(np.bincount(codes[inside], minlength=len(names)))
    number = np.zeros(len(names), dtype=np.int64)
    number[present] = np.arange(len(present))
    group = number[codes[inside]]
    counts = np.bincount(
        position[inside] * len(present) + group, minlength=len(starts) * len(present)
    ).reshape(len(starts), len(present))
    order = ranked_groups(counts.sum(axis=0), [names[c] for c in present])
    group_names = np.array([names[present[i]] for i in order], dtype=object)
    return pd.DataFrame(
        {
            "period": np.repeat(starts, len(order)),
            by: np.tile(group_names, len(starts)),
            "posts": counts[:, order].ravel().astype("int64"),
        }
    )


def posts_per_period_plain(
    table: pd.DataFrame,
    freq: str,
    by: str | None = None,
    start: object = None,
    end: object = None,
) -> pd.DataFrame:
    """``posts_per_period`` as ordinary pandas, the definition: rows counted per pandas Period
    (and group), over every period of the span."""
    columns = ["period", "posts"] if by is None else ["period", by, "posts"]
    if table.empty and (start is None or end is None):
        return pd.DataFrame({c: [] for c in columns}).astype({"posts": "int64"})
    span = pd.period_range(
        table["published"].min() if start is None else pd.Timestamp(start),
        table["published"].max() if end is None else pd.Timestamp(end),
        freq=PANDAS_PERIODS[freq],
    )
    rows = table.assign(period=table["published"].dt.to_period(PANDAS_PERIODS[freq]))
    rows = rows[rows["period"].isin(span)]
    if by is None:
        counts = rows.groupby("period").size().reindex(span, fill_value=0)
        starts = span.start_time.astype("datetime64[ns]").rename("period")
        return pd.DataFrame({"period": starts, "posts": counts.to_numpy(dtype="int64")})
    groups = list(group_counts_plain(rows, by)[by])
    grid = pd.MultiIndex.from_product([span, groups], names=["period", by])
    counts = rows.astype({by: object}).groupby(["period", by]).size().reindex(grid, fill_value=0)
    return pd.DataFrame(
        {
            "period": grid.get_level_values("period").start_time.astype("datetime64[ns]"),
            by: grid.get_level_values(by).to_numpy(dtype=object),
            "posts": counts.to_numpy(dtype="int64"),
        }
    )


def cumulative(per_period: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """``posts_per_period`` with a running total (per group when ``by`` is given)."""
    table = per_period.copy()
    running = table.groupby(by, sort=False)["posts"] if by else table["posts"]
    table["cumulative"] = running.cumsum().astype("int64")
    return table


def period_matrix(
    long: pd.DataFrame,
    by: str,
    freq: str,
    start: object = None,
    end: object = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Posts per group (rows, most first) and period (columns), empty cells as zero."""
    if top is not None:
        codes, _, ranked = ranked_codes(long[by])
        long = long[np.isin(codes, ranked[:top])]
    counts = posts_per_period(long, freq, by=by, start=start, end=end)
    if counts.empty:
        return pd.DataFrame(dtype="int64")
    order = list(dict.fromkeys(counts[by]))
    matrix = counts.pivot(index=by, columns="period", values="posts")
    return matrix.reindex(order).astype("int64")


def period_matrix_plain(
    long: pd.DataFrame,
    by: str,
    freq: str,
    start: object = None,
    end: object = None,
    top: int | None = None,
) -> pd.DataFrame:
    """``period_matrix`` as ordinary pandas, the definition: a crosstab of group and Period."""
    if top is not None:
        long = long[long[by].isin(group_counts_plain(long, by)[by][:top])]
    if long.empty and (start is None or end is None):
        return pd.DataFrame(dtype="int64")
    span = pd.period_range(
        long["published"].min() if start is None else pd.Timestamp(start),
        long["published"].max() if end is None else pd.Timestamp(end),
        freq=PANDAS_PERIODS[freq],
    )
    rows = long.assign(period=long["published"].dt.to_period(PANDAS_PERIODS[freq]))
    rows = rows[rows["period"].isin(span) & rows[by].notna()].astype({by: object})
    if rows.empty:
        return pd.DataFrame(dtype="int64")
    matrix = pd.crosstab(rows[by], rows["period"]).reindex(columns=span, fill_value=0)
    matrix = matrix.loc[group_counts_plain(rows, by)[by]]
    matrix.columns = pd.DatetimeIndex(span.start_time.astype("datetime64[ns]"), name="period")
    return matrix.astype("int64")


def topic_period_matrix(
    topics: pd.DataFrame, freq: str, start: object = None, end: object = None
) -> pd.DataFrame:
    """Posts per topic (rows) and period (columns); periods without posts are zero, not gaps."""
    return period_matrix(topics, "topic", freq, start=start, end=end)


def topic_share_over_time(
    topics: pd.DataFrame, posts: pd.DataFrame, freq: str, start: object = None, end: object = None
) -> pd.DataFrame:
    """Per period and topic: ``posts`` on the topic, ``total`` posts and their ``share`` (0 to 1).

    A post on several topics counts for each, so a period's shares can add up to more than 1.
    A period without posts has no share (NaN), rather than a share of zero.
    """
    if posts.empty and (start is None or end is None):
        return pd.DataFrame({"period": [], "topic": [], "posts": [], "total": [], "share": []})
    start = posts["published"].min() if start is None else start
    end = posts["published"].max() if end is None else end
    per_topic = posts_per_period(topics, freq, by="topic", start=start, end=end)
    totals = posts_per_period(posts, freq, start=start, end=end).rename(columns={"posts": "total"})
    table = per_topic.merge(totals, on="period", how="left")
    total = table["total"].to_numpy()
    table["share"] = np.divide(
        table["posts"].to_numpy(dtype=float),
        total,
        out=np.full(len(table), np.nan),
        where=total > 0,
    )
    return table


# --- The posts of one period ------------------------------------------------------------------


def posts_in_period(posts: pd.DataFrame, freq: str, period: object) -> pd.DataFrame:
    """The posts published in the period (week, month ...) that starts on ``period``."""
    keys = period_start(posts["published"], freq)
    return posts[keys == np.datetime64(pd.Timestamp(period).to_datetime64(), "ns")]


def period_posts(
    posts: pd.DataFrame,
    freq: str,
    period: object,
    *,
    long: pd.DataFrame | None = None,
    column: str | None = None,
    group: str | None = None,
    named_groups: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """The posts of one period, and of one group of a breakdown when ``group`` is given.

    ``group`` is a value of ``column`` in the long table, or ``OTHERS`` for the posts with a value
    outside ``named_groups`` (the groups a chart names).
    """
    chosen = posts_in_period(posts, freq, period)
    if group is None or long is None or column is None:
        return chosen
    if group == OTHERS:
        codes, names = name_codes(long[column])
        named = set(named_groups)
        group_values = [names[c] for c in np.unique(codes[codes >= 0]) if names[c] not in named]
    else:
        group_values = [group]
    return chosen[posts_with_any(chosen, long, column, group_values)]


def selected_periods(selection: dict, freq: str) -> list[tuple[pd.Timestamp, str | None]]:
    """(period, group) of each point picked in a period chart, from its ``customdata``.

    Charts of ``dashboard.charts`` put ``[period ISO date, group or "", freq]`` in each point's
    customdata; points drawn for another period length (a stale selection) are skipped.
    """
    picked: list[tuple[pd.Timestamp, str | None]] = []
    for point in selection.get("points", []):
        data = point.get("customdata")
        if not isinstance(data, list | tuple) or len(data) < 3 or data[2] != freq:
            continue
        try:
            period = pd.Timestamp(str(data[0]))
        except ValueError:
            continue
        item = (period, str(data[1]) or None)
        if item not in picked:
            picked.append(item)
    return picked
