"""For the property tests, which check each fast kernel against its plain definition: small
random archives (Hypothesis strategies), as the loader returns them (Python lists, any order)
and as the dashboard holds them, with their long tables; and one way to compare two tables.

Few names, topics and titles, so that bylines share authors, lists repeat a name, dates and titles
tie; a name that differs from another only in case, and the names ``OTHERS`` and
``UNCLASSIFIED``, which rankings and counts treat specially.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from dashboard.analysis import (
    OTHERS,
    UNCLASSIFIED,
    Filters,
    explode_list,
    long_rows_at,
    posts_at,
    select_posts,
)
from dashboard.load.prepare import prepare_posts

NAMES = ["Ann Lee", "ann lee", "Bo Chen", "Cy Oh", "Di Park", OTHERS]
TOPICS = ["Housing", "Health", "Transport", UNCLASSIFIED]
TITLES = ["A note", "a note", "Bus fares", "Zoning", "Étude", ""]
SUMMARIES = ["", "Notes on housing", "BUS and tram fares", "What the zoning board said"]
WORDS = ["note", "NOTES", "bus", "fares", "zon", "board", "tram", "housing"]
FIRST_DAY = date(2023, 1, 1)


def name_lists(names: list[str], longest: int) -> st.SearchStrategy:
    """Lists of names, empty ones included, a name sometimes repeated within one list."""
    return st.lists(st.sampled_from(names), max_size=longest)


@st.composite
def archives(draw, max_posts: int = 10, longest: int = 4, missing: bool = False) -> pd.DataFrame:
    """A posts table as the loader returns it: random dates (ties likely, times of day some
    days), bylines and topics; ``missing`` adds missing lists, missing list items and summaries."""
    size = draw(st.integers(0, max_posts))
    span = draw(st.sampled_from([0, 6, 60, 900]))  # days: all one day, a week, months, years
    names, topics = name_lists(NAMES, longest), name_lists(TOPICS, longest)
    if missing:
        names = st.one_of(st.none(), names, st.lists(st.sampled_from([*NAMES, None]), max_size=4))
        topics = st.one_of(st.none(), topics)
    rows = []
    for _ in range(size):
        day = FIRST_DAY + timedelta(days=draw(st.integers(0, span)))
        hour = draw(st.sampled_from([0, 0, 9, 23]))
        rows.append(
            {
                "title": draw(st.sampled_from(TITLES)),
                "published": pd.Timestamp(day) + pd.Timedelta(hours=hour),
                "url": None,
                "summary": draw(
                    st.sampled_from([*SUMMARIES, None]) if missing else st.sampled_from(SUMMARIES)
                ),
                "authors": draw(names),
                "topics": draw(topics),
                "tags": [],
                "source": "random",
            }
        )
    columns = ["title", "published", "url", "summary", "authors", "topics", "tags", "source"]
    table = pd.DataFrame(rows, columns=columns)
    table["published"] = pd.to_datetime(table["published"])
    table.insert(0, "post_id", [f"p{i}" for i in range(len(table))])
    return table


@st.composite
def dashboards(
    draw, max_posts: int = 12, longest: int = 4
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(posts, authors, topics) as the dashboard holds them: a prepared archive and its long
    tables."""
    posts = prepare_posts(draw(archives(max_posts, longest)))
    return posts, explode_list(posts, "authors", "author"), explode_list(posts, "topics", "topic")


DAYS = st.integers(-1, 901).map(lambda n: FIRST_DAY + timedelta(days=n))
FILTER_PARTS = {
    "start": DAYS,
    "end": DAYS,
    "authors": st.lists(st.sampled_from([*NAMES, "Nobody"]), min_size=1, max_size=2).map(tuple),
    "topics": st.lists(st.sampled_from(TOPICS), min_size=1, max_size=2).map(tuple),
    "text": st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(" ".join),
}


@st.composite
def shared_filters(draw, most: int = 5) -> Filters:
    """Shared filters: up to ``most`` of a start, an end, authors, topics and words."""
    parts = draw(st.lists(st.sampled_from(list(FILTER_PARTS)), max_size=most, unique=True))
    return Filters(**{part: draw(FILTER_PARTS[part]) for part in parts})


@st.composite
def views(
    draw, max_posts: int = 12, longest: int = 4
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(posts, authors, topics) of a filtered view, as the pages get them (one filter or none,
    so that most views keep some posts): the long tables keep every category, so some names
    may have no rows left."""
    posts, authors, topics = draw(dashboards(max_posts, longest))
    selection = select_posts(posts, draw(shared_filters(most=1)), authors, topics)
    return (
        posts_at(posts, selection),
        long_rows_at(authors, selection),
        long_rows_at(topics, selection),
    )


def assert_same_table(fast: pd.DataFrame, plain: pd.DataFrame) -> None:
    """The two tables are equal: columns, index, values and dtypes, except that text may be held
    as ``str`` or as Python objects (pandas infers ``str`` where a kernel builds ``object``)."""

    def text_as_objects(table: pd.DataFrame) -> pd.DataFrame:
        text = [c for c in table.columns if pd.api.types.is_string_dtype(table[c].dtype)]
        table = table.astype(dict.fromkeys(text, object))
        if pd.api.types.is_string_dtype(table.index.dtype):
            table.index = table.index.astype(object)
        if pd.api.types.is_string_dtype(table.columns.dtype):
            table.columns = table.columns.astype(object)
        return table

    assert_frame_equal(text_as_objects(fast), text_as_objects(plain))
