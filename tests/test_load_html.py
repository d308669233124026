"""Blog pages saved as HTML: listing and article layouts, link URLs, positions in the HTML file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import posts_of

from dashboard.load import load_sources
from dashboard.load.html import read_html_page

HTML = Path(__file__).parent / "fixtures" / "html"
CIVIC = "https://civicfutures.example.org/blog"
RENEWAL = "https://urbanrenewal.example.org/blog"


def assert_counts_add_up(report) -> None:
    for entry in report.sources:
        assert entry.read == entry.loaded + entry.merged + entry.rejected, entry


EXPECTED = {
    # Title printed twice run together, title, summary, date. The file has no address, so
    # relative title links cannot be resolved; javascript: links are never kept.
    "listing-page.html": [
        {
            "title": "A perspective of Households into Work, in light of the COVID-19 pandemic",
            "date": "2020-05-20",
            "url": None,
            "authors": [],
            "tags": [],
        },
        {
            "title": "Exploring heritage diplomacy in an uncertain world",
            "date": "2019-09-27",
            "url": f"{CIVIC}/exploring-heritage-diplomacy/",  # the real link beats javascript:
            "authors": [],
            "tags": [],
        },
        {
            "title": "Why we need more support for social entrepreneurs and activists to bring "
            "about a better future",
            "date": "2019-09-27",
            "url": None,
            "authors": [],
            "tags": [],
        },
        {
            "title": "Why Milton Friedman got it wrong on Planning",
            "date": "2019-05-17",
            "url": f"{CIVIC}/milton-friedman-planning/",
            "authors": [],
            "tags": [],
        },
        {
            "title": "Could a Leccybus Cure the City Centre’s Middle Aged Spread?",
            "date": "2018-05-11",
            "url": None,
            "authors": [],
            "tags": [],
        },
    ],
    # Title, "Posted on: <time>…</time> | Category: …", optional figure caption, summary; links
    # relative to the canonical address; navigation, pager and footer are not posts.
    "listing-date-first.html": [
        {
            "title": "Why we need more support for social entrepreneurs and activists to bring "
            "about a better future",
            "date": "2019-09-27",
            "url": f"{RENEWAL}/why-we-need-more-support-for-social-entrepreneurs/",
            "authors": [],
            "tags": ["Blog"],
        },
        {
            "title": "Why Milton Friedman got it wrong on Planning",
            "date": "2019-05-17",
            "url": f"{RENEWAL}/why-milton-friedman-got-it-wrong-on-planning/",
            "authors": [],
            "tags": ["Blog"],
        },
        {
            "title": "Could a Leccybus Cure the City Centre's Middle Aged Spread?",
            "date": "2018-05-11",
            "url": f"{RENEWAL}/leccybus/",
            "authors": [],
            "tags": ["Transport"],
        },
    ],
    # Article page: the canonical link is the post's URL, the byline names two authors.
    "article-page.html": [
        {
            "title": "Precarious work is on the rise: Why is this a problem?",
            "date": "2022-03-08",
            "url": f"{CIVIC}/precarious-work-is-on-the-rise/",
            "authors": ["James Hickson", "Belinda Tyrrell"],
            "tags": ["Blog"],
        },
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_gives_its_posts(name):
    result = load_sources([HTML / name])
    assert posts_of(result) == EXPECTED[name]
    assert result.report.sources[0].format == "html"
    assert_counts_add_up(result.report)


def test_listing_page_reports_dropped_links_at_their_html_lines():
    result = load_sources([HTML / "listing-page.html"])
    source = str(HTML / "listing-page.html")
    assert [(p.source, p.position, p.field) for p in result.report.problems] == [
        (source, "line 27", "url"),
        (source, "line 34", "url"),
        (source, "line 55", "url"),
    ]
    reasons = [p.reason for p in result.report.problems]
    assert "'/blog/households-into-work/'" in reasons[0]
    assert "no page address" in reasons[0]
    assert "no page address" in reasons[1]
    assert "javascript" in reasons[2]
    lines = (HTML / "listing-page.html").read_text(encoding="utf-8").splitlines()
    assert "Households into Work" in lines[27 - 1]
    assert "Could a Leccybus" in lines[55 - 1]


def test_summaries_skip_image_captions():
    result = load_sources([HTML / "listing-date-first.html"])
    summaries = dict(zip(result.posts["title"], result.posts["summary"], strict=True))
    assert summaries[EXPECTED["listing-date-first.html"][0]["title"]] == (
        "This blog argues for the growing importance of social entrepreneurship and identifies "
        "concrete steps to support activism at a local level."
    )


def test_article_standfirst_is_the_summary():
    result = load_sources([HTML / "article-page.html"])
    assert result.posts["summary"].tolist() == [
        "In the first of two blogs on insecure work, we look at why precarious employment has "
        "grown since 2008 and what it costs workers and local economies."
    ]


def test_page_address_resolves_relative_links():
    text = (HTML / "listing-page.html").read_text(encoding="utf-8")
    page = read_html_page(text, "listing", "https://civicfutures.example.org/blog/?page=3")
    urls = {r["title"]: r["url"] for r in page.records}
    assert urls["A perspective of Households into Work, in light of the COVID-19 pandemic"] == (
        "https://civicfutures.example.org/blog/households-into-work/"
    )
    assert page.page_url == "https://civicfutures.example.org/blog/?page=3"


def test_base_element_resolves_relative_links(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        '<html><head><base href="https://urbanrenewal.example.org/blog/2020/"></head><body>'
        '<h2><a href="rethinking-the-high-street">Rethinking the high street after the '
        "pandemic</a></h2><p>Posted on: 20 May 2020</p>"
        "<p>Empty shop units are not only a problem; they are a chance to rethink what town "
        "centres are for.</p></body></html>",
        encoding="utf-8",
    )
    [post] = posts_of(load_sources([path]))
    assert post["url"] == "https://urbanrenewal.example.org/blog/2020/rethinking-the-high-street"


def test_article_with_relative_canonical_and_no_address_reports_the_url(tmp_path):
    path = tmp_path / "article.html"
    path.write_text(
        '<html><head><link rel="canonical" href="/blog/do-we-need-a-plan-for-england/">'
        "</head><body><article><h1>Do We Need a Plan for England?</h1>"
        "<p>Posted on: 21 June 2023 by Ian Wray in Blog</p>"
        "<p>Back in the 2000s an enthusiastic regional development agency chair went to visit "
        "his minister.</p></article></body></html>",
        encoding="utf-8",
    )
    result = load_sources([path])
    [post] = posts_of(result)
    assert (post["title"], post["date"], post["url"], post["authors"]) == (
        "Do We Need a Plan for England?",
        "2023-06-21",
        None,
        ["Ian Wray"],
    )
    [problem] = result.report.problems
    assert (problem.position, problem.field) == ("line 1", "url")
    assert "no page address" in problem.reason


def test_article_header_inside_article_is_kept(tmp_path):
    path = tmp_path / "article.html"
    path.write_text(
        "<!DOCTYPE html>\n<html><head><title>Do We Need a Plan for England?</title>\n"
        '<link rel="canonical" href="https://civicfutures.example.org/blog/plan-for-england/">'
        "\n<body>\n<header><a href='/'>Civic Futures Institute</a> <a href='/blog/'>Blog</a>"
        "</header>\n<article><header><h1>Do We Need a Plan for England?</h1>\n"
        "<p>Posted on: 21 June 2023 by Ian Wray in Blog</p></header>\n"
        "<p>Back in the 2000s an enthusiastic regional development agency chair went to visit "
        "his minister.</p>\n<footer>Tags: planning</footer></article>\n"
        "<footer><p>Posted on: 1 January 2000 | Category: Site</p></footer></body></html>",
        encoding="utf-8",
    )
    # </head> is omitted on purpose: the body's text must still be read.
    result = load_sources([path])
    assert posts_of(result) == [
        {
            "title": "Do We Need a Plan for England?",
            "date": "2023-06-21",
            "url": "https://civicfutures.example.org/blog/plan-for-england/",
            "authors": ["Ian Wray"],
            "tags": ["Blog"],
        }
    ]
    assert result.report.problems == []


@pytest.mark.parametrize("saved_as", ["page.txt", "page.json", "page"])
def test_content_wins_over_a_misleading_extension(tmp_path, saved_as):
    path = tmp_path / saved_as
    shutil.copy(HTML / "article-page.html", path)
    result = load_sources([path])
    assert result.report.sources[0].format == "html"
    assert posts_of(result) == EXPECTED["article-page.html"]


def test_listing_and_article_of_one_post_merge(tmp_path):
    """The listing entry (no URL) joins the article through title and date."""
    listing = tmp_path / "listing.html"
    listing.write_text(
        "<html><body><main><h2><a href='/blog/precarious'>Precarious work is on the rise: Why "
        "is this a problem?</a></h2><p>Posted on: 8 March 2022</p><p>A short teaser about "
        "zero-hours contracts and agency work in the region.</p></main></body></html>",
        encoding="utf-8",
    )
    result = load_sources([listing, HTML / "article-page.html"])
    assert posts_of(result) == EXPECTED["article-page.html"]
    first, second = result.report.sources
    assert (first.loaded, first.merged, second.loaded, second.merged) == (1, 0, 0, 1)
