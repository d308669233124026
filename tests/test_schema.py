"""Web addresses of dashboard.schema (only http(s) links pass), and its hashed-pairs trick."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import schema


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://blog.example.org/a", "https://blog.example.org/a"),
        ("HTTP://EXAMPLE.ORG/A?b=1#c", "HTTP://EXAMPLE.ORG/A?b=1#c"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("java\nscript:alert(1)", None),
        (" https://example.org", None),
        ("https://example.org/a b", None),
        ("https://", None),
        ("//example.org/a", None),
        ("ftp://example.org/a", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_web_url(value, expected):
    assert schema.web_url(value) == expected
    column = schema.web_urls(pd.Series([value], dtype=object))
    assert (None if pd.isna(column.iloc[0]) else column.iloc[0]) == expected


# --- the hashed-pairs trick against its plain definition -------------------------------------


@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=30),
    st.sampled_from([1, 1_000, 2**20]),
)
@settings(max_examples=100, deadline=None)
def test_first_of_pairs_is_its_plain_definition(pairs, scale):
    # ``scale`` spreads the numbers out, as a large archive's list positions and codes are.
    groups = np.array([g for g, _ in pairs], dtype=np.int64) * scale
    codes = np.array([c for _, c in pairs], dtype=np.int64) * scale
    np.testing.assert_array_equal(
        schema.first_of_pairs(groups, codes), schema.first_of_pairs_plain(groups, codes)
    )
