"""Web addresses of dashboard.schema: only http(s) links pass."""

from __future__ import annotations

import pandas as pd
import pytest

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
