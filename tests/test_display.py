"""Text for the pages, of dashboard.display: counts, tables, Markdown that stays text.

The archive is ``CLEAN_POSTS`` of conftest; each expected value below is read off that table or
written out by hand, not computed by the code under test.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import display


@pytest.mark.parametrize(
    ("number", "expected"), [(0, "0 posts"), (1, "1 post"), (2, "2 posts"), (1200, "1,200 posts")]
)
def test_count_of(number, expected):
    assert display.count_of(number, "post") == expected


def test_posts_page_table_links_only_web_addresses(raw):
    table = raw.copy()
    table.loc[0, "url"] = "javascript:alert(1)"
    shown = display.posts_page_table(table)
    assert list(shown.columns) == ["published", "title", "authors", "topics", "link"]
    assert pd.isna(shown["link"].iloc[0])
    assert shown["link"].iloc[1] == "https://blog.example.org/posts/five-charts"
    assert pd.isna(shown["link"].iloc[7])  # post 8 has no URL


# --- safe text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain words", "Plain words"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
        ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
        ("**not bold** _nor this_", r"\*\*not bold\*\* \_nor this\_"),
        (":red[not red] $x^2$", r"\:red\[not red\] \$x\^2\$"),
        ("# not a heading", r"\# not a heading"),
        ("1. not a list", r"1\. not a list"),
        ("&lt; stays an entity", r"\&lt\; stays an entity"),
        ("back\\slash", r"back\\slash"),
        ("line\nbreak", "line break"),
    ],
)
def test_escape_markdown(text, expected):
    assert display.escape_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        ("Title", "https://x.org/a", "[Title](<https://x.org/a>)"),
        ("[x](y)", "https://x.org/a", r"[\[x\]\(y\)](<https://x.org/a>)"),
        ("Title", "javascript:alert(1)", "Title"),
        ("Title", None, "Title"),
        ("T", "https://x.org/a>b<c", "[T](<https://x.org/a%3Eb%3Cc>)"),
        ("T", "https://x.org/it's(1)", "[T](<https://x.org/it's(1)>)"),
    ],
)
def test_markdown_link(text, url, expected):
    assert display.markdown_link(text, url) == expected


def test_post_list_markdown(posts):
    lines = display.post_list_markdown(posts.iloc[[0, 2, 5]]).splitlines()
    assert lines == [
        "- 25 Jun 2024 · [Summer reading](<https://blog.example.org/posts/summer-reading>)"
        " · Joanna Hayes",
        r"- 8 Jan 2024 · Looking back\, looking ahead · Tom Arnold",  # no URL: no link
        "- 18 Apr 2023 · [A year of the observatory]"
        "(<https://blog.example.org/posts/observatory-year>) · no author named",
    ]
