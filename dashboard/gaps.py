"""Coverage gaps: silent spells, dormant topics and authors, thin coverage, periods compared,
targets missed. Pure functions over the posts table (and its exploded long tables).

Dates are whole days. "Today" is always an argument (the archive's as-of date, or the end of
the date filter), so that results are reproducible and never measured from the calendar date.
Given the archive's ``Coverage``, silences and dormancy are judged only inside captured periods:
a stretch that crosses time the archive did not capture is "not captured", never a silence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from dashboard.analysis.groups import name_codes
from dashboard.coverage import Coverage

MAX_THRESHOLD_DAYS = 36_500  # a century: anything longer is a typing error
PERIODS = {"month": "M", "quarter": "Q", "year": "Y"}


class ThresholdError(ValueError):
    """A threshold the user typed that cannot be used; the message says why."""


def check_threshold(days: object) -> int:
    """A threshold in whole days, or ThresholdError with a message for the page."""
    try:
        value = float(days)
    except (TypeError, ValueError):
        raise ThresholdError(f"The threshold must be a number of days, not {days!r}.") from None
    if value != value or value <= 0:
        raise ThresholdError("The threshold must be at least one day.")
    if value > MAX_THRESHOLD_DAYS:
        raise ThresholdError(f"The threshold must be at most {MAX_THRESHOLD_DAYS:,} days.")
    return max(1, round(value))


def _days(values) -> np.ndarray:
    """Whole days since 1970-01-01, as integers (simple to subtract and compare)."""
    stamps = pd.to_datetime(pd.Series(values)).to_numpy().astype("datetime64[D]")
    return stamps.astype(np.int64)


def _day_number(when: date) -> int:
    return int(np.datetime64(when, "D").astype(np.int64))


def default_threshold(posts: pd.DataFrame) -> int:
    """Twice the median interval between consecutive publishing days, at least one day.

    Counting distinct days keeps a day with several posts from pulling the median to zero.
    """
    days = np.unique(_days(posts["published"]))
    if len(days) < 2:
        return 30
    intervals = np.diff(days).astype(int)
    return max(1, int(round(2 * float(np.median(intervals)))))


def silent_periods(
    posts: pd.DataFrame, threshold_days: int, until: date, coverage: Coverage | None = None
) -> pd.DataFrame:
    """Gaps between consecutive posts longer than ``threshold_days``, longest first.

    Each gap names the last post before it and the first post after it (on a day with several
    posts: the last title in alphabetical order before, the first after). The silence from the
    latest post to ``until`` counts too, flagged ``current`` with no post after it. With a
    ``coverage``, only gaps whose silent days were all captured count.
    """
    threshold = check_threshold(threshold_days)
    columns = [
        "start",
        "end",
        "days",
        "current",
        "before_title",
        "before_url",
        "after_title",
        "after_url",
    ]
    if posts.empty:
        return pd.DataFrame(columns=columns)
    day = _days(posts["published"])
    unique_days = np.unique(day)
    ends = np.append(unique_days[1:], _day_number(until))
    lengths = ends - unique_days
    silent = lengths > threshold
    if coverage is not None:  # the days between the two posts (to ``until``, included) captured
        last_silent = ends - 1
        last_silent[-1] = ends[-1]
        silent &= coverage.covers(unique_days + 1, last_silent)
    long_enough = np.flatnonzero(silent)
    if not len(long_enough):
        return pd.DataFrame(columns=columns)
    starts = unique_days[long_enough]
    stops = ends[long_enough]
    current = long_enough == len(unique_days) - 1
    # Only the posts on the days a gap starts or ends are looked at, and sorted.
    edge = posts[np.isin(day, np.concatenate([starts, stops[~current]]))]
    edge = edge.assign(_day=day[np.isin(day, np.concatenate([starts, stops[~current]]))])
    edge = edge.sort_values(["_day", "title"], kind="stable")
    last = edge.drop_duplicates("_day", keep="last").set_index("_day")
    first = edge.drop_duplicates("_day", keep="first").set_index("_day")
    after_days = np.where(current, -1, stops)
    table = pd.DataFrame(
        {
            "start": pd.to_datetime(starts, unit="D"),
            "end": pd.to_datetime(stops, unit="D"),
            "days": lengths[long_enough].astype(np.int64),
            "current": current,
            "before_title": last["title"].reindex(starts).to_numpy(),
            "before_url": last["url"].reindex(starts).to_numpy(),
            "after_title": first["title"].reindex(after_days).to_numpy(),
            "after_url": first["url"].reindex(after_days).to_numpy(),
        }
    )
    for column in ("before_title", "before_url", "after_title", "after_url"):
        values = table[column].astype(object)
        table[column] = values.where(values.notna(), None)
    table = table.sort_values(["days", "start"], ascending=[False, True], kind="stable")
    return table[columns].reset_index(drop=True)


def last_activity(
    long: pd.DataFrame,
    posts: pd.DataFrame,
    by: str,
    today: date,
    threshold_days: int,
    every: Sequence[str] = (),
    coverage: Coverage | None = None,
) -> pd.DataFrame:
    """Per topic or author: posts, first and last post, days since the last, whether the days
    since were captured, and a status: ``dormant`` past ``threshold_days`` of captured time,
    ``not captured`` past it when the archive did not capture all of it (nobody can tell), else
    ``active``. Names in ``every`` without posts are listed as ``never`` covered.

    ``long`` has one row per post and name (columns ``row``, ``by``, ``published``).
    """
    threshold = check_threshold(threshold_days)
    codes, labels = name_codes(long[by])
    present = codes >= 0
    codes, rows = codes[present], long["row"].to_numpy()[present]
    days = long["published"].to_numpy()[present]
    # Grouped by name code (pandas groups integers by counting, without sorting the rows).
    by_name = pd.Series(days).groupby(codes, sort=True)
    first, last, count = by_name.min(), by_name.max(), by_name.size()
    named = last.index.to_numpy(dtype=np.int64)
    # The latest post: of the rows on a name's last day, the one listed last (as before).
    last_day = np.empty(len(labels), dtype=days.dtype)
    last_day[named] = last.to_numpy()
    on_last_day = np.flatnonzero(days == last_day[codes])
    latest = pd.Series(on_last_day).groupby(codes[on_last_day]).max()
    latest_rows = rows[latest.to_numpy(dtype=np.int64)]
    table = pd.DataFrame(
        {
            "posts": count.to_numpy(),
            "first": first.to_numpy(),
            "last": last.to_numpy(),
            "last_title": posts.loc[latest_rows, "title"].to_numpy(),
            "last_url": posts.loc[latest_rows, "url"].to_numpy(),
        },
        index=pd.Index([labels[c] for c in named], dtype=object),
    )
    missing = [name for name in every if name not in table.index]
    if missing:
        table = pd.concat(
            [
                table,
                pd.DataFrame(
                    {
                        "posts": 0,
                        "first": pd.NaT,
                        "last": pd.NaT,
                        "last_title": None,
                        "last_url": None,
                    },
                    index=pd.Index(missing),
                ),
            ]
        )
    today_day = pd.Timestamp(today)
    table["days_since"] = (today_day - pd.to_datetime(table["last"])).dt.days.astype("Int64")
    last_days = pd.to_datetime(table["last"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    captured = np.ones(len(table), dtype=bool)
    if coverage is not None:
        captured = coverage.covers(last_days + 1, np.full(len(table), _day_number(today)))
    table["since_captured"] = captured | (table["posts"] == 0).to_numpy()
    past = (table["days_since"].fillna(0) > threshold).to_numpy()
    table["status"] = np.select(
        [table["posts"].to_numpy() == 0, past & captured, past],
        ["never", "dormant", "not captured"],
        "active",
    )
    table.index.name = by
    table = table.reset_index()
    order = table["status"].map({"never": 0, "dormant": 1, "not captured": 2, "active": 3})
    table = table.assign(_order=order).sort_values(
        ["_order", "days_since", by], ascending=[True, False, True], kind="stable"
    )
    return table.drop(columns="_order").reset_index(drop=True)


def single_author_topics(topics: pd.DataFrame, authors: pd.DataFrame) -> pd.DataFrame:
    """Topics whose posts all come from one author (posts without authors do not count).

    A topic has one author when the smallest and largest author code over its posts agree, so
    no table of every (topic, author) pair is built.
    """
    codes, names = name_codes(authors["author"])
    rows = authors["row"].to_numpy()
    known = codes >= 0
    size = int(max(rows.max(initial=-1), topics["row"].max() if len(topics) else -1)) + 1
    low = np.full(size, np.iinfo(np.int64).max)
    high = np.full(size, -1)
    per_post = pd.Series(codes[known]).groupby(rows[known])
    lowest, highest = per_post.min(), per_post.max()
    where = lowest.index.to_numpy(dtype=np.int64)
    low[where], high[where] = lowest.to_numpy(), highest.to_numpy()
    topic_codes, topic_names = name_codes(topics["topic"])
    topic_rows = topics["row"].to_numpy()
    attributed = (high[topic_rows] >= 0) & (topic_codes >= 0)
    topic_codes, topic_rows = topic_codes[attributed], topic_rows[attributed]
    count = len(topic_names)
    per_topic_low = np.full(count, np.iinfo(np.int64).max)
    per_topic_high = np.full(count, -1)
    np.minimum.at(per_topic_low, topic_codes, low[topic_rows])
    np.maximum.at(per_topic_high, topic_codes, high[topic_rows])
    posts = np.bincount(topic_codes, minlength=count)  # long tables hold each pair once
    single = np.flatnonzero((posts > 0) & (per_topic_low == per_topic_high))
    table = pd.DataFrame(
        {
            "topic": [topic_names[i] for i in single],
            "author": [names[per_topic_low[i]] for i in single],
            "posts": posts[single].astype(np.int64),
        }
    )
    return table.sort_values(
        ["posts", "topic"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def period_bounds(period: str, at: date, back: int = 0) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the month, quarter or year containing ``at``, ``back`` periods ago."""
    code = PERIODS[period]
    current = pd.Period(pd.Timestamp(at), freq=code) - back
    return current.start_time.normalize(), current.end_time.normalize()


def compared_spans(period: str, at: date) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """The periods ``compare_periods`` compares: the one containing ``at``, the previous one
    and the same period a year earlier."""
    steps = {"month": 12, "quarter": 4, "year": 1}[period]
    return {
        "current": period_bounds(period, at),
        "previous": period_bounds(period, at, 1),
        "year_ago": period_bounds(period, at, steps),
    }


def captured_shares(
    coverage: Coverage, spans: Mapping[str, tuple[pd.Timestamp, pd.Timestamp]], until: date
) -> dict[str, float]:
    """The share of each period's days (up to ``until``) that the archive captured."""
    shares = {}
    for label, (start, end) in spans.items():
        last = min(end.date(), until)
        total = (last - start.date()).days + 1
        shares[label] = coverage.captured_days(start.date(), last) / total if total > 0 else 0.0
    return shares


def compare_periods(long: pd.DataFrame, by: str, period: str, at: date) -> pd.DataFrame:
    """Posts per name in the period containing ``at``, the previous period and the same period a
    year earlier, with the changes. Names with no posts in all three are left out."""
    spans = compared_spans(period, at)
    codes, labels = name_codes(long[by])
    days = long["published"].to_numpy()
    counts = {}
    for label, (start, end) in spans.items():
        inside = (days >= start.to_datetime64()) & (days <= end.to_datetime64()) & (codes >= 0)
        counts[label] = np.bincount(codes[inside], minlength=len(labels))
    table = pd.DataFrame(counts, index=pd.Index(labels, dtype=object))
    table = table[table.sum(axis=1) > 0]
    table.index.name = by
    table["change"] = table["current"] - table["previous"]
    table["change_year"] = table["current"] - table["year_ago"]
    table = table.reset_index().sort_values(["current", by], ascending=[False, True], kind="stable")
    return table[[by, "current", "previous", "change", "year_ago", "change_year"]].reset_index(
        drop=True
    )


def target_shortfalls(
    topics: pd.DataFrame, total_posts: int, settings: Mapping[str, Mapping], today: date
) -> pd.DataFrame:
    """Actual against target per topic that has one, largest shortfall first.

    ``settings`` maps a topic to its optional ``target_share`` (0..1 of all posts) and
    ``cadence_days`` (longest wait between posts). ``shortfall`` is relative, so that the two
    kinds of target rank together: the missing share over the target share, or the days overdue
    over the cadence (whichever is larger); a topic with a cadence and no post at all is
    infinitely short.
    """
    rows = []
    for name, rules in settings.items():
        share, cadence = rules.get("target_share"), rules.get("cadence_days")
        if share is None and cadence is None:
            continue
        mine = topics[(topics["topic"] == name).to_numpy()]
        count = mine["row"].nunique()
        actual = count / total_posts if total_posts else 0.0
        last = mine["published"].max() if count else pd.NaT
        waited = (pd.Timestamp(today) - last).days if count else None
        rows.append(
            {
                "topic": name,
                "posts": count,
                "target_share": share,
                "actual_share": actual,
                "share_shortfall": max(0.0, share - actual) if share is not None else None,
                "cadence_days": cadence,
                "days_since_last": waited,
                "days_overdue": (max(0, waited - cadence) if waited is not None else None)
                if cadence is not None
                else None,
            }
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "topic",
            "posts",
            "target_share",
            "actual_share",
            "share_shortfall",
            "cadence_days",
            "days_since_last",
            "days_overdue",
        ],
    )
    never = table["cadence_days"].notna() & table["days_since_last"].isna()
    by_share = table["share_shortfall"] / table["target_share"].where(table["target_share"] > 0)
    by_cadence = table["days_overdue"] / table["cadence_days"]
    table["shortfall"] = pd.concat([by_share, by_cadence], axis=1).max(axis=1).fillna(0.0)
    table.loc[never, "shortfall"] = np.inf
    table["met"] = table["shortfall"] <= 0
    return table.sort_values(
        ["shortfall", "topic"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
