"""The long tables and counts per group of dashboard.analysis.groups.

The archive is ``CLEAN_POSTS`` of conftest (ten posts, Jan 2023 to Jun 2024); each expected value
below is read off that table, not computed by the code under test. The property tests at the end
check each fast kernel against its plain definition on small random archives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import DEVOLUTION, GOVERNANCE, HEALTH
from hypothesis import given, settings
from hypothesis import strategies as st
from property_support import archives, assert_same_table, dashboards, views

from dashboard import analysis
from dashboard.analysis import OTHERS, groups

# --- long tables ------------------------------------------------------------------------------


def test_explode_list_counts_a_repeated_value_once_and_skips_missing_lists():
    table = pd.DataFrame(
        {
            "published": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
            "authors": [["Ann", "Ann", "Bob"], None, []],
        }
    )
    long = analysis.explode_list(table, "authors", "author")
    assert long[["row", "author"]].astype({"author": str}).values.tolist() == [
        [0, "Ann"],
        [0, "Bob"],
    ]
    assert list(long["published"]) == [pd.Timestamp("2024-01-01")] * 2


@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from("ABCDE"), max_size=20)), max_size=8))
@settings(max_examples=200, deadline=None)
def test_explode_list_keeps_each_value_of_a_post_once_in_list_order(lists):
    # Lists longer than SHORT_LISTS take the other way of finding repeats.
    table = pd.DataFrame(
        {"published": pd.Timestamp("2024-01-01"), "authors": lists},
        index=pd.RangeIndex(len(lists)) + 3 * (len(lists) % 2),
    )
    long = analysis.explode_list(table, "authors", "author")
    expected = [
        (row, value)
        for row, items in zip(table.index, lists, strict=True)
        for value in dict.fromkeys(items or [])
    ]
    assert list(zip(long["row"], long["author"].astype(str), strict=True)) == expected


# --- authors ----------------------------------------------------------------------------------


def test_author_stats(authors):
    stats = analysis.author_stats(authors)
    assert stats.to_dict("records") == [
        {
            "author": "Tom Arnold",
            "posts": 4,
            "first_post": pd.Timestamp("2023-01-10"),
            "last_post": pd.Timestamp("2024-01-08"),
        },
        {
            "author": "Cleo Hachem",
            "posts": 3,
            "first_post": pd.Timestamp("2023-01-24"),
            "last_post": pd.Timestamp("2024-03-12"),
        },
        {
            "author": "James Hickson",
            "posts": 2,
            "first_post": pd.Timestamp("2023-04-03"),
            "last_post": pd.Timestamp("2023-11-20"),
        },
        {
            "author": "Joanna Hayes",
            "posts": 2,
            "first_post": pd.Timestamp("2023-05-02"),
            "last_post": pd.Timestamp("2024-06-25"),
        },
    ]


def test_author_stats_of_nobody(authors):
    assert analysis.author_stats(authors.iloc[:0]).empty


def test_unattributed(posts):
    assert analysis.unattributed(posts) == (1, 0.1)
    assert analysis.unattributed(posts.iloc[:0]) == (0, 0.0)


@pytest.mark.parametrize(
    ("bylines", "expected"),
    [
        ([["A"], ["B"]], []),
        ([["A", "B"]], [("A", "B", 1)]),
        ([["B", "A"], ["A", "B"], ["A"]], [("A", "B", 2)]),
        ([["C", "A", "B"]], [("A", "B", 1), ("A", "C", 1), ("B", "C", 1)]),
        ([["A", "B"], ["B", "C"], ["C", "B"]], [("B", "C", 2), ("A", "B", 1)]),
    ],
)
def test_coauthor_pairs(bylines, expected):
    table = pd.DataFrame(
        {"published": pd.to_datetime(["2024-01-01"] * len(bylines)), "authors": bylines}
    )
    pairs = analysis.coauthor_pairs(analysis.explode_list(table, "authors", "author"))
    assert list(pairs[["author", "coauthor", "posts"]].itertuples(index=False, name=None)) == (
        expected
    )
    assert list(pairs["pair"]) == [f"{a} & {b}" for a, b, _ in expected]


def test_coauthor_pairs_of_the_archive(authors):
    pairs = analysis.coauthor_pairs(authors)
    assert list(pairs[["author", "coauthor", "posts"]].itertuples(index=False, name=None)) == [
        ("Cleo Hachem", "Tom Arnold", 1),
        ("Joanna Hayes", "Tom Arnold", 1),
    ]


# --- topics and other groups ------------------------------------------------------------------


def test_topic_counts(topics):
    assert analysis.topic_counts(topics).to_dict("list") == {
        "topic": [GOVERNANCE, DEVOLUTION, HEALTH, "Unclassified"],
        "posts": [4, 3, 3, 1],
    }


def test_top_groups_combines_the_rest(authors):
    table = analysis.top_groups(authors, "author", keep=2)
    assert sorted(set(table["author"])) == sorted(["Tom Arnold", "Cleo Hachem", OTHERS])
    assert (table["author"] == OTHERS).sum() == 4  # Hickson's 2 and Hayes's 2


def test_author_topic_matrix(authors, topics):
    matrix = analysis.author_topic_matrix(authors, topics, top=3)
    assert list(matrix.index) == ["Tom Arnold", "Cleo Hachem", "James Hickson"]
    # topics by their posts among these authors: devolution 3, governance 3 (by name), health 2,
    # and James Hickson's team update, which matches no topic
    assert list(matrix.columns) == [DEVOLUTION, GOVERNANCE, HEALTH, "Unclassified"]
    assert matrix.values.tolist() == [[1, 3, 1, 0], [1, 1, 2, 0], [1, 0, 0, 1]]


# --- cross-checks on random archives ----------------------------------------------------------


def random_archive(seed: int, posts: int = 300) -> pd.DataFrame:
    """Posts with random bylines (0 to 4 names) and topics (0 to 3), for cross-checks."""
    rng = np.random.default_rng(seed)
    names, themes = [f"Author {c}" for c in "ABCDEFGHIJ"], [f"Topic {c}" for c in "PQRSTU"]
    return pd.DataFrame(
        {
            "published": pd.to_datetime("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 900, posts), unit="D"),
            "authors": [
                list(rng.choice(names, rng.integers(0, 5), replace=False)) for _ in range(posts)
            ],
            "topics": [
                list(rng.choice(themes, rng.integers(0, 4), replace=False)) for _ in range(posts)
            ],
        }
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_coauthor_pairs_agree_with_counting_each_post(seed):
    table = random_archive(seed)
    expected: dict[tuple[str, str], int] = {}
    for byline in table["authors"]:
        for i, first in enumerate(byline):
            for second in byline[i + 1 :]:
                key = tuple(sorted((first, second)))
                expected[key] = expected.get(key, 0) + 1
    pairs = analysis.coauthor_pairs(analysis.explode_list(table, "authors", "author"))
    assert {
        (a, b): n
        for a, b, n in pairs[["author", "coauthor", "posts"]].itertuples(index=False, name=None)
    } == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_author_topic_matrix_agrees_with_counting_each_post(seed):
    table = random_archive(seed)
    authors = analysis.explode_list(table, "authors", "author")
    topics = analysis.explode_list(table, "topics", "topic")
    matrix = analysis.author_topic_matrix(authors, topics, top=4)
    for author in matrix.index:
        for topic in matrix.columns:
            expected = sum(
                author in a and topic in t
                for a, t in zip(table["authors"], table["topics"], strict=True)
            )
            assert matrix.loc[author, topic] == expected, (author, topic)


# --- fast kernels against their plain definitions, on random archives ------------------------


@given(archives(longest=20, missing=True), st.integers(0, 2))
@settings(max_examples=50, deadline=None)
def test_explode_list_is_its_plain_definition(raw, shift):
    # Lists longer than SHORT_LISTS take the other way of finding repeats; an index that does
    # not start at 0 takes the other way of naming rows.
    raw.index = raw.index + shift
    for column, name in (("authors", "author"), ("topics", "topic")):
        assert_same_table(
            groups.explode_list(raw, column, name), groups.explode_list_plain(raw, column, name)
        )


@given(dashboards())
@settings(max_examples=25, deadline=None)
def test_explode_list_of_a_prepared_table_is_its_plain_definition(tables):
    posts = tables[0]
    for column, name in (("authors", "author"), ("topics", "topic")):
        assert_same_table(
            groups.explode_list(posts, column, name), groups.explode_list_plain(posts, column, name)
        )


@given(views())
@settings(max_examples=30, deadline=None)
def test_names_present_are_their_plain_definition(view):
    _, authors, topics = view
    for values in (authors["author"], topics["topic"], authors["author"].astype(object)):
        assert sorted(groups.names_present(values)) == sorted(groups.names_present_plain(values))


@given(views(longest=6))
@settings(max_examples=30, deadline=None)
def test_coauthor_pairs_are_their_plain_definition(view):
    authors = view[1]
    assert_same_table(groups.coauthor_pairs(authors), groups.coauthor_pairs_plain(authors))


@given(views())
@settings(max_examples=30, deadline=None)
def test_group_counts_are_their_plain_definition(view):
    _, authors, topics = view
    for long, column in ((authors, "author"), (topics, "topic")):
        assert_same_table(
            groups.group_counts(long, column), groups.group_counts_plain(long, column)
        )


@given(views(), st.integers(0, 4))
@settings(max_examples=30, deadline=None)
def test_top_groups_are_their_plain_definition(view, keep):
    _, authors, topics = view
    for long, column in ((authors, "author"), (topics, "topic")):
        try:
            expected = groups.top_groups_plain(long, column, keep)
        except ValueError:  # OTHERS is itself among the names kept: no category for the rest
            with pytest.raises(ValueError):
                groups.top_groups(long, column, keep)
            continue
        assert_same_table(groups.top_groups(long, column, keep), expected)


@given(views(longest=6), st.integers(0, 5))
@settings(max_examples=40, deadline=None)
def test_author_topic_matrix_is_its_plain_definition(view, top):
    _, authors, topics = view
    assert_same_table(
        groups.author_topic_matrix(authors, topics, top),
        groups.author_topic_matrix_plain(authors, topics, top),
    )
