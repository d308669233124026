"""The posts list: its orders, the latest posts, and pages of a sorted or filtered table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.load.prepare import is_newest_first, newest_first_order

SORT_ORDERS = {
    "Newest first": (["published", "title"], [False, True]),
    "Oldest first": (["published", "title"], [True, True]),
    "Title A to Z": (["title", "published"], [True, False]),
}


# --- Orders -----------------------------------------------------------------------------------


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


# --- Pages ------------------------------------------------------------------------------------


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
