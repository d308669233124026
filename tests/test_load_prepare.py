"""The posts table as the dashboard holds it, of dashboard.load.prepare.

The ``posts`` fixture of conftest is ``prepare_posts`` of the clean archive, ``CLEAN_POSTS``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from property_support import archives

from dashboard.load import prepare


def test_prepare_posts_orders_newest_first_with_a_position_index(posts):
    assert posts["title"].iloc[0] == "Summer reading"
    assert posts["title"].iloc[-1] == "Notes from the spring roundtable"
    assert list(posts.index) == list(range(10))
    assert posts["authors"].iloc[0] == ["Joanna Hayes"]


def test_posts_without_topic_are_shown_as_unclassified(posts):
    update = posts[posts["title"] == "An update from the team"].iloc[0]
    assert update["topics"] == ["Unclassified"]  # the posts table holds [] for it
    assert posts["topics"].map(len).min() == 1


# --- the fast order against its plain definition, on random archives -------------------------


@given(archives(max_posts=14))
@settings(max_examples=60, deadline=None)
def test_newest_first_order_is_its_plain_definition(raw):
    # Few dates and titles: posts tie on their day, and on their title too.
    expected = prepare.newest_first_order_plain(raw)
    np.testing.assert_array_equal(prepare.newest_first_order(raw), expected)
    assert prepare.is_newest_first(raw) == bool((expected == np.arange(len(raw))).all())
    ordered = raw.iloc[expected]
    assert prepare.is_newest_first(ordered)
