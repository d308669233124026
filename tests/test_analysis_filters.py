"""The shared filters of dashboard.analysis.filters.

The archive is ``CLEAN_POSTS`` of conftest (ten posts, Jan 2023 to Jun 2024); each expected value
below is read off that table, not computed by the code under test. The property tests at the end
check each fast kernel against its plain definition on small random archives.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from conftest import DEVOLUTION, GOVERNANCE, HEALTH, TITLES, titles
from hypothesis import given, settings
from hypothesis import strategies as st
from property_support import (
    NAMES,
    TOPICS,
    archives,
    assert_same_table,
    dashboards,
    shared_filters,
    views,
)

from dashboard import analysis
from dashboard.analysis import Filters
from dashboard.analysis.filters import (
    leading_names_plain,
    long_rows_at_plain,
    posts_mask_plain,
    posts_with_any_plain,
)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), set(TITLES)),
        (Filters(authors=("Tom Arnold",)), titles(1, 2, 6, 8)),
        (Filters(authors=("Tom Arnold", "Cleo Hachem")), titles(1, 2, 3, 6, 8, 9)),
        (Filters(authors=("Nobody",)), set()),
        (Filters(topics=(HEALTH,)), titles(2, 3, 10)),
        (Filters(topics=(HEALTH, DEVOLUTION)), titles(2, 3, 4, 8, 9, 10)),
        (Filters(start=date(2024, 1, 1)), titles(8, 9, 10)),
        (Filters(end=date(2023, 1, 24)), titles(1, 2)),  # the end date is included
        (Filters(start=date(2023, 2, 1), end=date(2023, 12, 31)), titles(3, 4, 5, 6, 7)),
        (Filters(start=date(2024, 7, 1), end=date(2024, 1, 1)), set()),
        (Filters(text="reading"), titles(3, 10)),
        (Filters(text="  THE pilot "), titles(6)),  # every word, any case
        (Filters(text="review"), titles(5)),  # found in the summary only
        (Filters(text="pilot observatory"), set()),
        (Filters(authors=("Tom Arnold",), topics=(GOVERNANCE,)), titles(1, 2, 6)),
        (
            Filters(authors=("Tom Arnold",), start=date(2023, 2, 1), text="looking"),
            titles(8),
        ),
    ],
)
def test_filter_posts(raw, posts, authors, topics, filters, expected):
    assert set(analysis.filter_posts(raw, filters)["title"]) == expected
    assert set(analysis.filter_posts(posts, filters, authors, topics)["title"]) == expected


def test_a_selection_keeps_the_long_rows_of_the_kept_posts(posts, authors, topics):
    selection = analysis.select_posts(posts, Filters(topics=(HEALTH,)), authors, topics)
    kept = analysis.posts_at(posts, selection)
    kept_authors = analysis.long_rows_at(authors, selection)
    kept_topics = analysis.long_rows_at(topics, selection)
    assert set(kept["title"]) == titles(2, 3, 10)
    assert sorted(kept_authors["author"].astype(str)) == [
        "Cleo Hachem",
        "Cleo Hachem",
        "Joanna Hayes",
        "Tom Arnold",
    ]
    assert sorted(kept_topics["topic"].astype(str)) == [HEALTH, HEALTH, HEALTH, GOVERNANCE]


@pytest.mark.parametrize(
    ("filters", "kind", "expected"),
    [
        (Filters(), slice, titles(*range(1, 11))),
        # posts 6 to 9 are the four from May 2023 to March 2024: one run of rows
        (Filters(start=date(2023, 5, 1), end=date(2024, 3, 31)), slice, titles(6, 7, 8, 9)),
        (Filters(start=date(2030, 1, 1)), slice, set()),
        (Filters(topics=(HEALTH,)), np.ndarray, titles(2, 3, 10)),
    ],
)
def test_select_posts_gives_a_slice_for_one_run_of_rows(
    posts, authors, topics, filters, kind, expected
):
    selection = analysis.select_posts(posts, filters, authors, topics)
    assert isinstance(selection, kind)
    assert set(analysis.posts_at(posts, selection)["title"]) == expected


@pytest.mark.parametrize(
    "filters",
    [
        Filters(start=date(2023, 5, 1), end=date(2024, 3, 31)),
        Filters(topics=(HEALTH,)),
        Filters(start=date(2030, 1, 1)),
        Filters(text="housing"),
    ],
)
def test_long_rows_at_keeps_the_rows_of_the_selected_posts(posts, authors, topics, filters):
    selection = analysis.select_posts(posts, filters, authors, topics)
    kept = analysis.posts_at(posts, selection)
    for long in (authors, topics):  # the same rows as looking each post up by its label
        assert analysis.long_rows_at(long, selection).equals(long[long["row"].isin(kept.index)])


def test_posts_mask_active(posts):
    assert not Filters().active
    assert not Filters(text="   ").active
    assert Filters(start=date(2024, 1, 1)).active


def test_filter_names_are_alphabetical_ignoring_case_with_unclassified_last():
    authors = pd.Series(["bea Lo", "Al Ng", "Cy Oh", "Al Ng"], dtype="category")
    topics = pd.Series(["Unclassified", "health", "Devolution"], dtype="category")
    assert analysis.filter_names(authors, topics) == (
        ("Al Ng", "bea Lo", "Cy Oh"),
        ("Devolution", "health", "Unclassified"),
    )


# --- fast kernels against their plain definitions, on random archives ------------------------


@given(archives(missing=True), shared_filters())
@settings(max_examples=50, deadline=None)
def test_posts_mask_of_the_loaders_table_is_its_plain_definition(raw, chosen):
    expected = posts_mask_plain(raw, chosen)
    np.testing.assert_array_equal(analysis.posts_mask(raw, chosen), expected)


@given(dashboards(), shared_filters())
@settings(max_examples=40, deadline=None)
def test_posts_mask_with_long_tables_is_its_plain_definition(tables, chosen):
    posts, authors, topics = tables
    expected = posts_mask_plain(posts, chosen)
    np.testing.assert_array_equal(analysis.posts_mask(posts, chosen, authors, topics), expected)


@given(views(), st.lists(st.sampled_from([*NAMES, *TOPICS]), max_size=3))
@settings(max_examples=30, deadline=None)
def test_posts_with_any_is_its_plain_definition(view, values):
    posts, authors, topics = view
    for long, column in ((authors, "author"), (topics, "topic")):
        np.testing.assert_array_equal(
            analysis.posts_with_any(posts, long, column, values),
            posts_with_any_plain(posts, long, column, values),
        )


@given(dashboards(), shared_filters())
@settings(max_examples=40, deadline=None)
def test_long_rows_at_is_its_plain_definition(tables, chosen):
    posts, authors, topics = tables
    selection = analysis.select_posts(posts, chosen, authors, topics)
    for long in (authors, topics):
        assert_same_table(
            analysis.long_rows_at(long, selection), long_rows_at_plain(long, selection)
        )


@given(views(), st.integers(0, 5))
@settings(max_examples=40, deadline=None)
def test_leading_names_are_their_plain_definition(view, count):
    _, authors, topics = view
    for values in (authors["author"], topics["topic"], authors["author"].astype(object)):
        assert analysis.leading_names(values, count) == leading_names_plain(values, count)
