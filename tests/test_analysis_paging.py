"""The orders and pages of the posts list, of dashboard.analysis.paging.

The archive is ``CLEAN_POSTS`` of conftest (ten posts, Jan 2023 to Jun 2024); each expected value
below is read off that table, not computed by the code under test.
"""

from __future__ import annotations

import pytest
from conftest import TITLES

from dashboard import analysis
from dashboard.load import prepare


def test_latest_posts(posts):
    assert list(analysis.latest_posts(posts, 3)["title"]) == [TITLES[9], TITLES[8], TITLES[7]]


@pytest.mark.parametrize(
    ("order", "first", "last"),
    [
        ("Newest first", "Summer reading", "Notes from the spring roundtable"),
        ("Oldest first", "Notes from the spring roundtable", "Summer reading"),
        ("Title A to Z", "A year of the observatory", "What the new deal means locally"),
    ],
)
def test_sort_posts(raw, order, first, last):
    ordered = analysis.sort_posts(raw, order)
    assert (ordered["title"].iloc[0], ordered["title"].iloc[-1]) == (first, last)


@pytest.mark.parametrize(
    ("rows", "per_page", "pages"), [(0, 100, 1), (1, 100, 1), (100, 100, 1), (101, 100, 2)]
)
def test_page_count(rows, per_page, pages):
    assert analysis.page_count(rows, per_page) == pages


@pytest.mark.parametrize(
    ("page", "expected"), [(1, [0, 1, 2, 3]), (3, [8, 9]), (9, [8, 9]), (0, [0, 1, 2, 3])]
)
def test_page_of(posts, page, expected):
    assert list(analysis.page_of(posts, page, 4).index) == expected


SORT_ARGS = {  # the orders, written out again for pandas
    "Newest first": (["published", "title"], [False, True]),
    "Oldest first": (["published", "title"], [True, True]),
    "Title A to Z": (["title", "published"], [True, False]),
}


@pytest.mark.parametrize("order", list(analysis.SORT_ORDERS))
def test_a_filtered_page_in_the_whole_tables_order_is_the_page_of_the_sorted_view(raw, order):
    posts = prepare.prepare_posts(raw)
    positions = analysis.sort_positions(posts, order)
    view = posts[posts["title"].str.len() % 2 == 0]  # any subset of the posts
    for page in (1, 2, 3):
        columns, ascending = SORT_ARGS[order]
        expected = analysis.page_of(
            view.sort_values(columns, ascending=ascending, kind="stable"), page, 3
        )
        assert list(analysis.page_in_order(view, positions, page, 3).index) == list(expected.index)
