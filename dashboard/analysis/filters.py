"""The shared filters (dates, authors, topics, free text), the posts that pass them, and the
names the filters offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dashboard.analysis.groups import explode_list, name_codes
from dashboard.enrich.topics import UNCLASSIFIED


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


# --- The posts that pass ----------------------------------------------------------------------


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


def posts_mask_plain(posts: pd.DataFrame, filters: Filters) -> np.ndarray:
    """``posts_mask`` as a loop over the posts, the definition."""

    def text(value: object) -> str:
        return value.casefold() if isinstance(value, str) else ""

    def passes(post) -> bool:
        day = post.published.date()
        authors = set() if post.authors is None else set(post.authors)
        topics = set() if post.topics is None else set(post.topics)
        return (
            (filters.start is None or filters.start <= day)
            and (filters.end is None or day <= filters.end)
            and (not filters.authors or bool(authors & set(filters.authors)))
            and (not filters.topics or bool(topics & set(filters.topics)))
            and all(
                word.casefold() in text(post.title) or word.casefold() in text(post.summary)
                for word in filters.text.split()
            )
        )

    return np.array([passes(post) for post in posts.itertuples()], dtype=bool)


def posts_with_any(
    posts: pd.DataFrame, long: pd.DataFrame, column: str, values: list[str] | tuple[str, ...]
) -> np.ndarray:
    """A mask over ``posts``: the posts whose ``column`` in ``long`` has any of ``values``."""
    rows = long.loc[long[column].isin(list(values)), "row"].unique()
    return posts.index.isin(rows)


def posts_with_any_plain(
    posts: pd.DataFrame, long: pd.DataFrame, column: str, values: list[str] | tuple[str, ...]
) -> np.ndarray:
    """``posts_with_any`` as a loop, the definition."""
    rows = {row for row, value in zip(long["row"], long[column], strict=True) if value in values}
    return np.array([label in rows for label in posts.index], dtype=bool)


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


def long_rows_at_plain(long: pd.DataFrame, selection: slice | np.ndarray) -> pd.DataFrame:
    """``long_rows_at`` as ordinary pandas, the definition: the rows whose ``row`` is kept."""
    if isinstance(selection, slice):
        kept = np.arange(selection.stop)[selection]
    else:
        kept = np.flatnonzero(selection)
    return long[long["row"].isin(kept)]


# --- The names the filters offer --------------------------------------------------------------


def filter_names(authors: pd.Series, topics: pd.Series) -> tuple[tuple[str, ...], ...]:
    """The author and topic names of two long-table columns, as the filters offer them:
    alphabetical ignoring case, "Unclassified" last."""
    author_names = sorted(map(str, name_codes(authors)[1]), key=str.casefold)
    topic_names = sorted(
        map(str, name_codes(topics)[1]), key=lambda t: (t == UNCLASSIFIED, t.casefold())
    )
    return tuple(author_names), tuple(topic_names)


def leading_names(values: pd.Series, count: int) -> tuple[str, ...]:
    """The ``count`` names with the most rows in a long-table column, alphabetical (ignoring
    case): a bounded list to offer when there are too many names to send them all."""
    codes, names = name_codes(values)
    sizes = np.bincount(codes[codes >= 0], minlength=len(names))
    top = np.argsort(-sizes, kind="stable")[:count]
    return tuple(sorted((names[i] for i in top if sizes[i]), key=str.casefold))


def leading_names_plain(values: pd.Series, count: int) -> tuple[str, ...]:
    """``leading_names`` as ordinary pandas, the definition; of names tied at the cut, those the
    column lists first (its categories' order, or else the order of first appearance)."""
    sizes = values.value_counts(sort=False)
    leading = sizes[sizes > 0].sort_values(ascending=False, kind="stable").head(count)
    return tuple(sorted(map(str, leading.index), key=str.casefold))
