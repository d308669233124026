"""The headline figures and missing fields of dashboard.analysis.headline.

The archive is ``CLEAN_POSTS`` of conftest (ten posts, Jan 2023 to Jun 2024); each expected value
below is read off that table, not computed by the code under test. The property tests at the end
check each fast kernel against its plain definition on small random archives.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from conftest import HEALTH
from hypothesis import given, settings
from hypothesis import strategies as st
from property_support import archives, dashboards, views

from dashboard import analysis
from dashboard.analysis import UNCLASSIFIED
from dashboard.analysis.groups import explode_list, names_present_plain
from dashboard.analysis.headline import headline_figures, posts_with_only_plain
from dashboard.coverage import Coverage
from dashboard.load import prepare


def test_headline_figures(posts, authors, topics):
    headline = analysis.headline_figures(posts, authors, topics, today=date(2024, 7, 5))
    assert headline == analysis.Headline(
        posts=10,
        authors=4,
        topics=3,
        posts_per_month=pytest.approx(10 / 18),
        latest=date(2024, 6, 25),
        latest_title="Summer reading",
        days_since_latest=10,
        longest_silence_days=202,
        silence_start=date(2023, 5, 2),
        silence_end=date(2023, 11, 20),
    )


def test_headline_figures_do_not_count_unclassified_as_a_topic(raw):
    table = raw.copy()
    table["topics"] = [["Unclassified"]] * 9 + [[HEALTH]]
    posts = prepare.prepare_posts(table)
    topics = analysis.explode_list(posts, "topics", "topic")
    authors = analysis.explode_list(posts, "authors", "author")
    assert analysis.headline_figures(posts, authors, topics, date(2024, 7, 5)).topics == 1


def test_headline_figures_of_one_post_and_of_none(posts, authors, topics):
    one = posts.iloc[:1]
    headline = analysis.headline_figures(one, authors.iloc[:1], topics.iloc[:1], date(2024, 7, 1))
    assert (headline.posts, headline.posts_per_month, headline.longest_silence_days) == (1, 1, None)
    empty = analysis.headline_figures(
        posts.iloc[:0], authors.iloc[:0], topics.iloc[:0], date.today()
    )
    assert (empty.posts, empty.latest, empty.posts_per_month) == (0, None, None)


def test_missing_fields(raw):
    table = raw.copy()
    table.loc[0, "url"] = "javascript:alert(1)"  # not a web link
    table.at[1, "topics"] = ["Unclassified"]
    assert analysis.missing_fields(prepare.prepare_posts(table)) == {
        "without author": 1,  # post 5
        "without URL": 2,  # post 8 has none, post 1 a javascript: one
        "without topic": 2,  # post 7 has none, post 2 only "Unclassified"
    }


# --- fast kernels against their plain definitions, on random archives ------------------------


@given(views())
@settings(max_examples=30, deadline=None)
def test_headline_counts_the_names_present_as_their_plain_definition_does(view):
    posts, authors, topics = view
    headline = analysis.headline_figures(posts, authors, topics, date(2026, 1, 1))
    topics_present = set(names_present_plain(topics["topic"])) - {UNCLASSIFIED}
    assert headline.authors == len(names_present_plain(authors["author"]))
    assert headline.topics == len(topics_present)


@given(st.one_of(archives(missing=True), dashboards().map(lambda tables: tables[0])))
@settings(max_examples=40, deadline=None)
def test_posts_with_only_is_its_plain_definition(posts):
    for column, value in (("topics", UNCLASSIFIED), ("authors", "Bo Chen")):
        np.testing.assert_array_equal(
            analysis.posts_with_only(posts, column, value),
            posts_with_only_plain(posts, column, value),
        )


def test_the_longest_silence_counts_only_captured_stretches():
    # posts on 1 March 2021 and 1, 15, 20 March 2024; captured: 1 March 2021 alone, and from
    # 1 March 2024 on (as of 31 March 2024)
    days = ["2021-03-01", "2024-03-01", "2024-03-15", "2024-03-20"]
    table = pd.DataFrame(
        {
            "title": list("ABCD"),
            "published": pd.to_datetime(days),
            "authors": [["Ann"]] * 4,
            "topics": [["Housing"]] * 4,
        }
    )
    coverage = Coverage(
        date(2024, 3, 31),
        ((date(2021, 3, 1), date(2021, 3, 1)), (date(2024, 3, 1), date(2024, 3, 31))),
    )
    long_authors = explode_list(table, "authors", "author")
    long_topics = explode_list(table, "topics", "topic")
    captured = headline_figures(table, long_authors, long_topics, date(2024, 3, 31), coverage)
    assert (captured.longest_silence_days, captured.silence_start, captured.silence_end) == (
        14,
        date(2024, 3, 1),
        date(2024, 3, 15),
    )
    blind = headline_figures(table, long_authors, long_topics, date(2024, 3, 31))
    assert blind.longest_silence_days == 1096
