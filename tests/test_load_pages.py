"""Captured blog pages: every sample file gives exactly its expected posts."""

import json
from datetime import date
from pathlib import Path

import pytest

from dashboard.load import load_sources
from dashboard.load.pages import read_page_text, undouble_title

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "data" / "heseltine-pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))

# The last entry of these captures is cut off before its date: reported, never loaded.
TRUNCATED = {
    "002.txt": ("line 31", "'Why Liver'"),
    "003.txt": ("line 38", "'W'"),
    "006.txt": ("line 21", "'Do We Need a Plan for England?'"),
    "007.txt": ("line 38", "What will a Labour government mean for 'levelling up'?"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_file_gives_exactly_its_expected_posts(name):
    result = load_sources([PAGES / name])
    posts = result.posts
    found = {(row.title, row.published.date().isoformat()) for row in posts.itertuples()}
    assert found == {(p["title"], p["date"]) for p in EXPECTED[name]}
    assert len(posts) == len(EXPECTED[name])
    for expected in EXPECTED[name]:
        row = posts[posts["title"] == expected["title"]].iloc[0]
        if expected["url"]:  # article pages: the page address is the post's URL, byline authors
            assert row["url"] == expected["url"]
            assert row["authors"] == expected["authors"]
        else:
            assert row["url"] is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_truncated_last_entry_is_reported_not_loaded(name):
    report = load_sources([PAGES / name]).report
    rejections = [(p.position, p.reason) for p in report.rejections]
    if name in TRUNCATED:
        position, shown = TRUNCATED[name]
        assert len(rejections) == 1
        assert rejections[0][0] == position
        assert shown in rejections[0][1] and "no 'Posted on:' date" in rejections[0][1]
    else:
        assert rejections == []
    (entry,) = report.sources
    assert entry.read == entry.loaded + entry.merged + entry.rejected
    assert entry.format == "page text"


def test_every_sample_together_merges_to_the_distinct_posts():
    result = load_sources([PAGES, FIXTURES / "seeds"])
    distinct = {(p["title"], p["date"]) for posts in EXPECTED.values() for p in posts}
    assert len(result.posts) == len(distinct) == 32
    assert result.posts["post_id"].is_unique
    precarious = result.posts[result.posts["title"].str.startswith("Precarious work")]
    assert len(precarious) == 1  # 013 (www., slash) and 014 (bare host, no slash) are one post
    heritage = result.posts[result.posts["title"].str.startswith("Exploring heritage")].iloc[0]
    assert heritage["url"] == EXPECTED["009.txt"][0]["url"]  # the article page's URL wins
    assert heritage["authors"] == ["Andrew McClelland"]
    report = result.report
    assert report.read == report.loaded + report.merged + report.rejected
    assert report.loaded == 32 and report.rejected == 4


@pytest.mark.parametrize(
    ("printed", "title"),
    [
        (
            "What the King’s Speech meansWhat the King’s Speech means",
            "What the King’s Speech means",
        ),
        (
            "What will a Labour government mean for 'levelling up'?What will a Labour government "
            "mean for",
            "What will a Labour government mean for 'levelling up'?",
        ),
        ("Bye Bye", "Bye Bye"),  # a short repeat is a real title, not an artefact
        ("New York, New York", "New York, New York"),
        ("The case for social broadband", "The case for social broadband"),
        ("Levelling up and levelling up", "Levelling up and levelling up"),
        ("Is it open? Is it open?", "Is it open?"),  # printed twice with a space between
        ("Net zero now Net zero now", "Net zero now"),
        ("Go on Go on", "Go on Go on"),  # two words: too short to call an artefact
        ("Is it open? Is it open", "Is it open? Is it open"),  # not the same twice
    ],
)
def test_undouble_title(printed, title):
    assert undouble_title(printed) == title


def _posts(text):
    return [
        (r["title"], r["published"], r["summary"], r["tags"])
        for r in read_page_text(text, "page.txt").records
    ]


def test_date_before_layout_with_caption_and_category():
    text = (
        "Intro paragraph of the blog that describes what the blog is for, at some length here.\n\n"
        "First post title\n\nPosted on: 3 May 2019 | Category: Blog, Policy\n\nJane Doe\n\n"
        "In this blog, Jane Doe argues for better buses in the region and explains why.\n\n"
        "Second post title\n\nPosted on: 1 May 2019 | Category: Blog\n\n"
        "A second summary that is a complete sentence about the second post.\n"
    )
    assert _posts(text) == [
        (
            "First post title",
            "3 May 2019",
            "In this blog, Jane Doe argues for better buses in the region and explains why.",
            ["Blog", "Policy"],
        ),
        (
            "Second post title",
            "1 May 2019",
            "A second summary that is a complete sentence about the second post.",
            ["Blog"],
        ),
    ]


def test_compact_layout_ignores_furniture_and_reports_cut_entry():
    text = (
        "Blog\nFirst title\nA summary sentence that tells the reader what the post is about.\n"
        "Posted on: 2 January 2024\nSecond title\nAnother summary sentence of reasonable length.\n"
        "Posted on: 1 January 2024\nThird title cut\nIts summary was cut off in the mid"
    )
    result = read_page_text(text, "page.txt")
    assert [(r["title"], r["published"]) for r in result.records] == [
        ("First title", "2 January 2024"),
        ("Second title", "1 January 2024"),
    ]
    assert [(p.position, p.rejected) for p in result.problems] == [("line 8", True)]


def test_trailing_furniture_is_not_an_entry():
    text = (
        "Title oneTitle one\n\nTitle one\n\n"
        "A first summary that reads like a full sentence here.\n\n"
        "Posted on: 5 June 2024\n\nBlog\n"
    )
    result = read_page_text(text, "page.txt")
    assert [r["title"] for r in result.records] == ["Title one"]
    assert result.problems == []


def test_article_page_skips_caption_and_credit_before_standfirst():
    text = (
        "URL: https://example.org/blog/ferries/\n\nFerries and precarious work\n\n"
        "Posted on: 21 March 2022 by Ann Lee and Bo Chan in Blog\n\n"
        'P&O ferry on River Mersey\n"Out On The River" by Someone is marked with CC BY 2.0.\n\n'
        "In his last blog, the author showed how precarious work spread across the region.\n\n"
        "Body paragraph.\n"
    )
    result = read_page_text(text, "page.txt")
    (record,) = result.records
    assert result.page_url == "https://example.org/blog/ferries/"
    assert record["url"] == "https://example.org/blog/ferries/"
    assert record["authors"] == ["Ann Lee and Bo Chan"]
    assert record["tags"] == ["Blog"]
    assert record["kind"] == "article"
    assert record["summary"].startswith("In his last blog")


def test_impossible_date_is_rejected_with_its_value(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Good post\nA summary sentence that is long enough to be a summary of a post.\n"
        "Posted on: 3 March 2024\nBad post\nAnother summary sentence that is long enough here.\n"
        "Posted on: 31 February 2024\n",
        encoding="utf-8",
    )
    result = load_sources([page])
    assert list(result.posts["title"]) == ["Good post"]
    assert result.posts["published"].iloc[0].date() == date(2024, 3, 3)
    (problem,) = result.report.rejections
    assert problem.position == "line 4"
    assert problem.reason == "unreadable publication date '31 February 2024'"


PANEL_ARTICLE = """URL: https://blog.example.org/blog/panel-on-regional-growth/

A year of regional growth: views from the panel

Posted on: 15 January 2025 in Blog

Image: the panel on stage

Five practitioners look back on a year of regional growth policy and what comes next.

The first question put to the panel was simple.
"""


def test_article_whose_dateline_has_no_byline_is_an_article():
    """A post credited to a panel has only its section on the dateline: still an article, with
    the page address as its URL, nobody credited, the standfirst as its summary."""
    result = read_page_text(PANEL_ARTICLE, "panel.txt")
    (record,) = result.records
    assert record["kind"] == "article"
    assert record["title"] == "A year of regional growth: views from the panel"
    assert record["url"] == "https://blog.example.org/blog/panel-on-regional-growth/"
    assert record["published"] == "15 January 2025"
    assert record["authors"] == []
    assert record["summary"].startswith("Five practitioners look back")
    assert result.problems == []


def test_listing_entry_with_a_category_is_still_a_listing():
    text = "Blog\n\nOne post on its own page\n\nPosted on: 16 June 2022 | Category: Blog\n\n" + (
        "What the post is about, in a sentence or two of summary.\n"
    )
    (record,) = read_page_text(text, "listing.txt").records
    assert record["kind"] == "listing" and record["url"] is None
    assert record["title"] == "One post on its own page"


def test_panel_article_saved_as_html_keeps_its_title_and_address(tmp_path):
    page = tmp_path / "panel.html"
    page.write_text(
        "<!doctype html><html><head>"
        '<link rel="canonical" href="https://blog.example.org/blog/panel-on-regional-growth/">'
        "</head><body><main><h1>A year of regional growth: views from the panel</h1>"
        "<p>Posted on: 15 January 2025 in Blog</p>"
        "<p>Five practitioners look back on a year of regional growth policy and what comes "
        "next.</p><p>The first question put to the panel was simple.</p></main></body></html>",
        encoding="utf-8",
    )
    result = load_sources([page])
    (row,) = result.posts.itertuples()
    assert row.title == "A year of regional growth: views from the panel"
    assert row.url == "https://blog.example.org/blog/panel-on-regional-growth/"
    assert row.published.date() == date(2025, 1, 15)
    assert list(row.authors) == []
    assert result.report.rejected == 0
