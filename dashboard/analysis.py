"""Pure functions over the posts table: filters, counts per period, authors, topics, headlines.

No Streamlit here: each function takes a table and plain values and returns a table or plain
values, so it can be tested on a small fixture. Authors and topics are analysed through *long*
tables (one row per post and author, or per post and topic; see ``explode_list``) that are built
once per dataset, so that filters and counts stay vectorised on large archives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.enrich.topics import UNCLASSIFIED
from dashboard.load.prepare import is_newest_first, newest_first_order
from dashboard.schema import (
    first_of_pairs,
    list_array,
    web_urls,
)

OTHERS = "Others (combined)"
FREQUENCIES = ("week", "month", "quarter", "year")
PERIOD_NOUNS = {"week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"}
SORT_ORDERS = {
    "Newest first": (["published", "title"], [False, True]),
    "Oldest first": (["published", "title"], [True, True]),
    "Title A to Z": (["title", "published"], [True, False]),
}


@dataclass(frozen=True)
class Filters:
    """The shared filters: a date range (inclusive), authors, topics and free text.

    Several authors (or topics) match a post that has *any* of them; the filters combine with AND.
    Free text matches posts whose title or summary contains every word, ignoring case.
    """

    start: date | None = None
    end: date | None = None
    authors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    text: str = ""

    @property
    def active(self) -> bool:
        return bool(self.start or self.end or self.authors or self.topics or self.text.strip())


@dataclass(frozen=True)
class Headline:
    """The figures a visitor reads first: how much, by how many, how recently, how steadily."""

    posts: int
    authors: int
    topics: int
    posts_per_month: float | None
    latest: date | None
    latest_title: str | None
    days_since_latest: int | None
    longest_silence_days: int | None
    silence_start: date | None
    silence_end: date | None


# --- The table as the dashboard holds it ------------------------------------------------------


def filter_names(authors: pd.Series, topics: pd.Series) -> tuple[tuple[str, ...], ...]:
    """The author and topic names of two long-table columns, as the filters offer them:
    alphabetical ignoring case, "Unclassified" last."""
    author_names = sorted(map(str, _codes(authors)[1]), key=str.casefold)
    topic_names = sorted(
        map(str, _codes(topics)[1]), key=lambda t: (t == UNCLASSIFIED, t.casefold())
    )
    return tuple(author_names), tuple(topic_names)


def leading_names(values: pd.Series, count: int) -> tuple[str, ...]:
    """The ``count`` names with the most rows in a long-table column, alphabetical (ignoring
    case): a bounded list to offer when there are too many names to send them all."""
    codes, names = _codes(values)
    sizes = np.bincount(codes[codes >= 0], minlength=len(names))
    top = np.argsort(-sizes, kind="stable")[:count]
    return tuple(sorted((names[i] for i in top if sizes[i]), key=str.casefold))


def explode_list(posts: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    """One row per post and list item: ``row`` (the post's index), ``name``, ``published``.

    A value repeated within one post counts once for it.
    """
    values = list_array(posts[column])
    flat = pc.list_flatten(values)
    parents = pc.list_parent_indices(values).to_numpy(zero_copy_only=False)
    valid = pc.is_valid(flat).to_numpy(zero_copy_only=False)
    flat = flat.filter(pa.array(valid))
    parents = parents[valid]
    encoded = flat.dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    first = _first_in_list(parents, codes)
    parents = parents[first]
    index = posts.index
    plain = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    return pd.DataFrame(
        {
            "row": parents.astype(np.int64) if plain else index.to_numpy()[parents],
            name: pd.Categorical.from_codes(
                codes[first], categories=encoded.dictionary.to_pylist()
            ),
            "published": posts["published"].to_numpy()[parents],
        }
    )


SHORT_LISTS = 16  # up to this many items per list, repeats are found by comparing neighbours


def _first_in_list(parents: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Whether each item is the first of its value in its list (``parents`` ascending).

    A repeat lies fewer places back than the longest list is long, so with short lists
    comparing each item with the few before it is several times faster than hashing pairs.
    """
    first = np.ones(len(codes), dtype=bool)
    longest = int(np.bincount(parents).max()) if len(parents) else 0
    if longest > SHORT_LISTS:  # one number per (list, value) pair, hashed
        return first_of_pairs(parents, codes)
    for back in range(1, longest):
        first[back:] &= (codes[back:] != codes[:-back]) | (parents[back:] != parents[:-back])
    return first


def list_lengths(values: pd.Series) -> np.ndarray:
    """The number of items in each list of a list column (0 for a missing list)."""
    lengths = pc.list_value_length(list_array(values))
    return lengths.fill_null(0).to_numpy(zero_copy_only=False)


# --- Filters ----------------------------------------------------------------------------------


def posts_mask(
    posts: pd.DataFrame,
    filters: Filters,
    authors: pd.DataFrame | None = None,
    topics: pd.DataFrame | None = None,
) -> np.ndarray:
    """A boolean mask over ``posts`` of the posts that pass ``filters``.

    ``authors`` and ``topics`` are the long tables of ``explode_list``; passing them saves
    exploding the list columns again.
    """
    mask = np.ones(len(posts), dtype=bool)
    published = posts["published"]
    if filters.start is not None:
        mask &= (published >= pd.Timestamp(filters.start)).to_numpy()
    if filters.end is not None:
        mask &= (published < pd.Timestamp(filters.end) + pd.Timedelta(days=1)).to_numpy()
    if filters.authors:
        if authors is None:
            authors = explode_list(posts, "authors", "author")
        mask &= posts_with_any(posts, authors, "author", filters.authors)
    if filters.topics:
        if topics is None:
            topics = explode_list(posts, "topics", "topic")
        mask &= posts_with_any(posts, topics, "topic", filters.topics)
    for word in filters.text.split():
        in_title = posts["title"].str.contains(word, case=False, regex=False, na=False)
        in_summary = posts["summary"].str.contains(word, case=False, regex=False, na=False)
        mask &= (in_title | in_summary).to_numpy()
    return mask


def posts_with_any(
    posts: pd.DataFrame, long: pd.DataFrame, column: str, values: list[str] | tuple[str, ...]
) -> np.ndarray:
    """A mask over ``posts``: the posts whose ``column`` in ``long`` has any of ``values``."""
    rows = long.loc[long[column].isin(list(values)), "row"].unique()
    return posts.index.isin(rows)


def filter_posts(
    posts: pd.DataFrame,
    filters: Filters,
    authors: pd.DataFrame | None = None,
    topics: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The posts that pass ``filters`` (see ``Filters`` for how the filters combine)."""
    return posts[posts_mask(posts, filters, authors, topics)]


def select_posts(
    posts: pd.DataFrame,
    filters: Filters,
    authors: pd.DataFrame | None = None,
    topics: pd.DataFrame | None = None,
) -> slice | np.ndarray:
    """The positions of the posts that pass ``filters``: a slice when they are one run of
    rows (no filter, or a date range over a table in date order), else a boolean mask."""
    if not filters.active:
        return slice(0, len(posts))
    mask = posts_mask(posts, filters, authors, topics)
    kept = np.flatnonzero(mask)
    if not len(kept):
        return slice(0, 0)
    if kept[-1] - kept[0] + 1 == len(kept):
        return slice(int(kept[0]), int(kept[-1]) + 1)
    return mask


def posts_at(posts: pd.DataFrame, selection: slice | np.ndarray) -> pd.DataFrame:
    """The posts a ``select_posts`` selection keeps (a slice copies nothing)."""
    if isinstance(selection, slice):
        return posts if selection == slice(0, len(posts)) else posts.iloc[selection]
    return posts[selection]


def long_rows_at(long: pd.DataFrame, selection: slice | np.ndarray) -> pd.DataFrame:
    """The rows of a long table whose post (``row``, a position) a selection keeps."""
    rows = long["row"].to_numpy()
    if not isinstance(selection, slice):
        return long[selection[rows]]
    first, stop = selection.start, selection.stop
    if first == 0 and (not len(rows) or stop > rows.max(initial=-1)):
        return long
    if len(rows) > 1 and not (rows[1:] >= rows[:-1]).all():
        return long[(rows >= first) & (rows < stop)]
    return long.iloc[np.searchsorted(rows, first) : np.searchsorted(rows, stop)]


# --- Periods ----------------------------------------------------------------------------------


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
    codes, names = _codes(table[by])
    inside &= codes >= 0
    # The groups with a row in the span, numbered 0.. in code order (bincount: no sorting).
    present = np.flatnonzero(np.bincount(codes[inside], minlength=len(names)))
    number = np.zeros(len(names), dtype=np.int64)
    number[present] = np.arange(len(present))
    group = number[codes[inside]]
    counts = np.bincount(
        position[inside] * len(present) + group, minlength=len(starts) * len(present)
    ).reshape(len(starts), len(present))
    order = _ranked(counts.sum(axis=0), [names[c] for c in present])
    group_names = np.array([names[present[i]] for i in order], dtype=object)
    return pd.DataFrame(
        {
            "period": np.repeat(starts, len(order)),
            by: np.tile(group_names, len(starts)),
            "posts": counts[:, order].ravel().astype("int64"),
        }
    )


def _codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes (-1 for missing) and the names they stand for, without making strings."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        names = (
            categories.tolist()
            if pd.api.types.is_string_dtype(categories.dtype) and categories.dtype != object
            else [str(c) for c in categories]
        )
        return values.cat.codes.to_numpy(), names
    codes, names = pd.factorize(values)
    return codes, [str(n) for n in names]


def _ranked(counts: np.ndarray, names: list[str]) -> list[int]:
    """Positions of the groups with rows: most rows first, then by name, ``OTHERS`` last."""
    return sorted(
        (i for i in range(len(names)) if counts[i] > 0),
        key=lambda i: (names[i] == OTHERS, -counts[i], names[i]),
    )


def _group_sizes(values: pd.Series) -> tuple[np.ndarray, list[str], list[int]]:
    """Codes, names, and group positions ranked by size (see ``_ranked``)."""
    codes, names = _codes(values)
    sizes = np.bincount(codes[codes >= 0], minlength=len(names))
    return codes, names, _ranked(sizes, names)


def cumulative(per_period: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """``posts_per_period`` with a running total (per group when ``by`` is given)."""
    table = per_period.copy()
    running = table.groupby(by, sort=False)["posts"] if by else table["posts"]
    table["cumulative"] = running.cumsum().astype("int64")
    return table


def top_groups(long: pd.DataFrame, column: str, keep: int) -> pd.DataFrame:
    """The long table with every value outside the ``keep`` most frequent renamed ``OTHERS``."""
    codes, names, ranked = _group_sizes(long[column])
    top = ranked[:keep]
    mapping = np.full(len(names) + 1, len(top))  # everything else: the last category, OTHERS
    mapping[top] = np.arange(len(top))
    mapping[-1] = -1  # a missing value stays missing
    categories = [names[i] for i in top] + [OTHERS]
    renamed = pd.Categorical.from_codes(mapping[codes], categories=categories)
    return long.assign(**{column: renamed})


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
        codes, names = _codes(long[column])
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


# --- Authors ----------------------------------------------------------------------------------


def author_stats(authors: pd.DataFrame) -> pd.DataFrame:
    """Per author: ``posts`` (shared posts count fully for each), ``first_post``, ``last_post``."""
    if authors.empty:
        return pd.DataFrame({"author": [], "posts": [], "first_post": [], "last_post": []}).astype(
            {"posts": "int64", "first_post": "datetime64[ns]", "last_post": "datetime64[ns]"}
        )
    grouped = authors.groupby("author", observed=True)["published"]
    stats = pd.DataFrame(
        {"posts": grouped.size(), "first_post": grouped.min(), "last_post": grouped.max()}
    ).reset_index()
    stats["author"] = stats["author"].astype(str)
    stats["posts"] = stats["posts"].astype("int64")
    return stats.sort_values(["posts", "author"], ascending=[False, True], ignore_index=True)


def unattributed(posts: pd.DataFrame) -> tuple[int, float]:
    """The number and share of posts that name no author (share 0 when there are no posts)."""
    count = int((list_lengths(posts["authors"]) == 0).sum())
    return count, (count / len(posts) if len(posts) else 0.0)


def coauthor_pairs(authors: pd.DataFrame) -> pd.DataFrame:
    """Pairs of authors who wrote together: ``author``, ``coauthor`` (alphabetical), ``pair``
    (both names) and ``posts``, most frequent first."""
    codes, names = _codes(authors["author"])
    rows = authors["row"].to_numpy()
    known = codes >= 0
    codes, rows = codes[known], rows[known]
    order = np.argsort(rows, kind="stable")  # a post's authors side by side
    codes, rows = codes[order], rows[order]
    rank = np.empty(len(names), dtype=np.int64)  # alphabetical position of each name
    rank[np.argsort(np.array(names, dtype=object), kind="stable")] = np.arange(len(names))
    firsts, seconds = [], []
    step = 1
    while step < len(rows):  # every pair of authors of one post, whatever the byline's length
        same = np.flatnonzero(rows[step:] == rows[:-step])
        if not len(same):
            break
        a, b = codes[same], codes[same + step]
        swap = rank[a] > rank[b]
        firsts.append(np.where(swap, b, a))
        seconds.append(np.where(swap, a, b))
        step += 1
    first = np.concatenate(firsts) if firsts else np.zeros(0, dtype=np.int64)
    second = np.concatenate(seconds) if seconds else np.zeros(0, dtype=np.int64)
    distinct = first != second
    keys = first[distinct].astype(np.int64) * len(names) + second[distinct]
    pair_keys, pair_counts = np.unique(keys, return_counts=True)
    table = pd.DataFrame(
        {
            "author": pd.Series([names[k // len(names)] for k in pair_keys], dtype=object),
            "coauthor": pd.Series([names[k % len(names)] for k in pair_keys], dtype=object),
            "posts": pair_counts.astype("int64"),
        }
    )
    table["pair"] = table["author"] + " & " + table["coauthor"]
    return table.sort_values(
        ["posts", "author", "coauthor"], ascending=[False, True, True], ignore_index=True
    )[["author", "coauthor", "pair", "posts"]]


# --- Topics -----------------------------------------------------------------------------------


def group_counts(long: pd.DataFrame, column: str) -> pd.DataFrame:
    """Posts per value of a long table (``column``, ``posts``), most first, then by name."""
    codes, names, ranked = _group_sizes(long[column])
    sizes = np.bincount(codes[codes >= 0], minlength=len(names))
    return pd.DataFrame(
        {
            column: pd.Series([names[i] for i in ranked], dtype=object),
            "posts": sizes[ranked].astype("int64"),
        }
    )


def topic_counts(topics: pd.DataFrame) -> pd.DataFrame:
    """Posts per topic (``topic``, ``posts``); a post on several topics counts for each."""
    return group_counts(topics, "topic")


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
        codes, _, ranked = _group_sizes(long[by])
        long = long[np.isin(codes, ranked[:top])]
    counts = posts_per_period(long, freq, by=by, start=start, end=end)
    if counts.empty:
        return pd.DataFrame(dtype="int64")
    order = list(dict.fromkeys(counts[by]))
    matrix = counts.pivot(index=by, columns="period", values="posts")
    return matrix.reindex(order).astype("int64")


def topic_period_matrix(
    topics: pd.DataFrame, freq: str, start: object = None, end: object = None
) -> pd.DataFrame:
    """Posts per topic (rows) and period (columns); periods without posts are zero, not gaps."""
    return period_matrix(topics, "topic", freq, start=start, end=end)


def _runs(begin: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The positions ``begin[i] .. begin[i] + sizes[i] - 1`` of every run, one after another."""
    ends = np.cumsum(sizes)
    return np.repeat(begin - ends + sizes, sizes) + np.arange(ends[-1] if len(ends) else 0)


def author_topic_matrix(authors: pd.DataFrame, topics: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """Posts per author (the ``top`` most prolific, rows) and topic (columns), zeros included.

    Topics come in order of their posts among these authors, most first.
    """
    author_codes, author_names, ranked = _group_sizes(authors["author"])
    chosen = np.isin(author_codes, ranked[:top])
    topic_codes, topic_names = _codes(topics["topic"])
    topic_rows = topics["row"].to_numpy()
    known = topic_codes >= 0
    topic_codes, topic_rows = topic_codes[known], topic_rows[known]
    by_row = np.argsort(topic_rows, kind="stable")
    topic_codes, topic_rows = topic_codes[by_row], topic_rows[by_row]
    author_rows, author_codes = authors["row"].to_numpy()[chosen], author_codes[chosen]
    # Each chosen (post, author) meets the post's topics: a run of the row-sorted topics.
    begin = np.searchsorted(topic_rows, author_rows, side="left")
    sizes = np.searchsorted(topic_rows, author_rows, side="right") - begin
    if not sizes.sum():
        return pd.DataFrame(dtype="int64")
    met = _runs(begin, sizes)
    a, t = np.repeat(author_codes, sizes), topic_codes[met]
    posts_of_chosen = np.zeros(len(topic_rows), dtype=bool)  # each post once per topic
    posts_of_chosen[met] = True
    topic_posts = np.bincount(topic_codes[posts_of_chosen], minlength=len(topic_names))
    topic_order = _ranked(topic_posts, topic_names)
    cells = np.bincount(
        a.astype(np.int64) * len(topic_names) + t, minlength=len(author_names) * len(topic_names)
    ).reshape(len(author_names), -1)
    rows = [a for a in ranked[:top] if cells[a].any()]
    return pd.DataFrame(
        cells[np.ix_(rows, topic_order)],
        index=pd.Index([author_names[a] for a in rows], name="author"),
        columns=pd.Index([topic_names[t] for t in topic_order], name="topic"),
    )


# --- Headline figures -------------------------------------------------------------------------


def _months_spanned(first: pd.Timestamp, last: pd.Timestamp) -> int:
    """Calendar months from the month of ``first`` to the month of ``last``, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def headline_figures(
    posts: pd.DataFrame, authors: pd.DataFrame, topics: pd.DataFrame, today: date
) -> Headline:
    """Posts, authors, topics, posts per month, the latest post and the longest silence.

    Posts per month spreads the posts over the calendar months from the first post to the last;
    the longest silence is the most days between two consecutive publication dates.
    """
    if posts.empty:
        return Headline(0, 0, 0, None, None, None, None, None, None, None)
    published = posts["published"]
    first, last = published.min(), published.max()
    latest_row = posts.loc[published.idxmax()]
    days = np.unique(published.to_numpy().astype("datetime64[D]"))
    silence = silence_start = silence_end = None
    if len(days) > 1:
        gaps = np.diff(days).astype(np.int64)
        at = int(gaps.argmax())
        silence = int(gaps[at])
        silence_start = pd.Timestamp(days[at]).date()
        silence_end = pd.Timestamp(days[at + 1]).date()
    author_codes, author_names = _codes(authors["author"])
    topic_codes, topic_names = _codes(topics["topic"])
    topics_present = [topic_names[c] for c in _present(topic_codes, len(topic_names))]
    return Headline(
        posts=len(posts),
        authors=len(_present(author_codes, len(author_names))),
        topics=sum(name != UNCLASSIFIED for name in topics_present),
        posts_per_month=len(posts) / _months_spanned(first, last),
        latest=last.date(),
        latest_title=str(latest_row["title"]),
        days_since_latest=(today - last.date()).days,
        longest_silence_days=silence,
        silence_start=silence_start,
        silence_end=silence_end,
    )


def _present(codes: np.ndarray, count: int) -> np.ndarray:
    """The codes (0 .. count-1) that occur, ascending; counted rather than sorted."""
    return np.flatnonzero(np.bincount(codes[codes >= 0], minlength=count))


def missing_fields(posts: pd.DataFrame) -> dict[str, int]:
    """How many posts lack an author, a web link, or a topic (none, or only "Unclassified")."""
    topics = posts["topics"]
    topic_lengths = list_lengths(topics)
    only_unclassified = posts_with_only(posts, "topics", UNCLASSIFIED)
    return {
        "without author": int((list_lengths(posts["authors"]) == 0).sum()),
        "without URL": int(web_urls(posts["url"]).isna().sum()),
        "without topic": int(((topic_lengths == 0) | only_unclassified).sum()),
    }


def posts_with_only(posts: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """A mask of the posts whose list ``column`` holds exactly one item, ``value``."""
    values = list_array(posts[column])
    single = (pc.list_value_length(values).fill_null(0).to_numpy(zero_copy_only=False)) == 1
    flat = pc.list_flatten(values)
    parents = pc.list_parent_indices(values).to_numpy(zero_copy_only=False)
    equal = pc.equal(flat, value).fill_null(False).to_numpy(zero_copy_only=False)
    mask = np.zeros(len(posts), dtype=bool)
    mask[parents[equal]] = True
    return mask & single


def latest_posts(posts: pd.DataFrame, count: int = 10) -> pd.DataFrame:
    """The ``count`` most recent posts, newest first (ties by title)."""
    return sort_posts(posts.nlargest(count, "published", keep="all"), "Newest first").head(count)


def sort_posts(posts: pd.DataFrame, order: str) -> pd.DataFrame:
    """The posts in one of the ``SORT_ORDERS``."""
    return posts.loc[sort_positions(posts, order)]


def sort_positions(posts: pd.DataFrame, order: str) -> np.ndarray:
    """The index labels of the posts in one of the ``SORT_ORDERS`` (a stable sort, in Arrow).

    The dashboard sorts its whole table once per order and then pages any filtered view
    through ``page_in_order``, so a filter change never sorts a million titles again.
    """
    if order == "Newest first":  # the dashboard keeps its table in this order
        if is_newest_first(posts):
            return posts.index.to_numpy()
        return posts.index.to_numpy()[newest_first_order(posts)]
    columns, ascending = SORT_ORDERS[order]
    table = pa.table({c: pa.array(posts[c].array, from_pandas=True) for c in columns})
    keys = [
        (c, "ascending" if up else "descending", "at_end")
        for c, up in zip(columns, ascending, strict=True)
    ]
    indices = pc.sort_indices(table, sort_keys=keys)
    return posts.index.to_numpy()[indices.to_numpy()]


def page_in_order(
    posts: pd.DataFrame, positions: np.ndarray, page: int, per_page: int
) -> pd.DataFrame:
    """Page ``page`` of ``posts`` in the order of ``positions``: the index labels, in order, of
    a table the posts are rows of (their labels are its row numbers, 0 to n - 1)."""
    labels = posts.index.to_numpy()
    if len(labels) != len(positions):
        member = np.zeros(len(positions), dtype=bool)
        member[labels] = True
        positions = positions[member[positions]]
    page = min(max(page, 1), page_count(len(positions), per_page))
    return posts.loc[positions[(page - 1) * per_page : page * per_page]]


def page_count(rows: int, per_page: int) -> int:
    """How many pages ``rows`` rows fill (at least one, so an empty table still has a page)."""
    return max(1, -(-rows // per_page))


def page_of(posts: pd.DataFrame, page: int, per_page: int) -> pd.DataFrame:
    """The rows of page ``page`` (from 1) when the table is cut into pages of ``per_page``."""
    page = min(max(page, 1), page_count(len(posts), per_page))
    return posts.iloc[(page - 1) * per_page : page * per_page]


# --- Safe text --------------------------------------------------------------------------------


# --- Export -----------------------------------------------------------------------------------
