"""The posts table as the dashboard holds it, of dashboard.load.prepare.

The ``posts`` fixture of conftest is ``prepare_posts`` of the clean archive, ``CLEAN_POSTS``.
"""

from __future__ import annotations


def test_prepare_posts_orders_newest_first_with_a_position_index(posts):
    assert posts["title"].iloc[0] == "Summer reading"
    assert posts["title"].iloc[-1] == "Notes from the spring roundtable"
    assert list(posts.index) == list(range(10))
    assert posts["authors"].iloc[0] == ["Joanna Hayes"]


def test_posts_without_topic_are_shown_as_unclassified(posts):
    update = posts[posts["title"] == "An update from the team"].iloc[0]
    assert update["topics"] == ["Unclassified"]  # the posts table holds [] for it
    assert posts["topics"].map(len).min() == 1
