"""Article pages of any site, read by their metadata: JSON-LD, Open Graph and article:* meta,
<meta name="author">, <time datetime>, hentry; commenters never credited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import posts_of

from dashboard.load import LoadError, load_sources
from dashboard.load.article import article_metadata, read_article_page
from dashboard.load.html import read_html_page

HTML = Path(__file__).parent / "fixtures" / "html"
RIVERSIDE = "https://riverside.example.org/analysis/"

# fixture, the page's address (None: a saved file) -> what the page states
EXPECTED = {
    # JSON-LD Article, author an object; keywords a comma-separated string
    ("article-jsonld.html", None): {
        "title": "School places and the falling birth rate",
        "date": "2024-03-14",
        "authors": ["Harriet Olusanya"],
        "url": "https://northfield.example.org/blog/2024/03/school-places/",
        "tags": ["Education", "schools", "demography", "local government"],
    },
    # @graph: WebSite, WebPage, Person, then the BlogPosting with two authors in byline order
    ("article-graph.html", None): {
        "title": "Who pays for the bus?",
        "date": "2023-09-05",
        "authors": ["Mirela Kovač", "Owen Pritchard"],
        "url": "https://transportfutures.example.net/posts/who-pays-for-the-bus/",
        "tags": ["Transport", "Public finance", "fares", "franchising"],
    },
    # NewsArticle in an HTML comment, authors a list of strings (one repeated); the date in the
    # page's own time zone (23:30 -05:00 is still 30 November)
    ("article-newsarticle.html", None): {
        "title": "Councils brace for a winter of rising care costs",
        "date": "2023-11-30",
        "authors": ["Priya Raman", "Tomasz Wójcik"],
        "url": "https://localgov-review.example.com/news/care-costs-winter",
        "tags": ["social care", "council budgets"],
    },
    # Open Graph and article:* only; the site name leaves the title, a profile address is not
    # an author, the relative og:url is resolved against the page's address
    ("article-opengraph.html", RIVERSIDE): {
        "title": "Housing after the pandemic",
        "date": "2021-06-02",
        "authors": ["Gwen Ashdown", "Dev Mistry"],
        "url": "https://riverside.example.org/analysis/housing-after-the-pandemic/",
        "tags": ["Housing", "Rents", "Homelessness"],
    },
    # <meta name="author"> and the first <time datetime>; " - a view..." is not a site name
    ("article-meta-author.html", "https://humber.example.org/blog/ports-and-trade/"): {
        "title": "Ports and trade - a view from the Humber",
        "date": "2022-10-19",
        "authors": ["Callum Fairweather"],
        "url": "https://humber.example.org/blog/ports-and-trade/",
        "tags": [],
    },
    # hentry: .entry-title, .author.vcard .fn, time.published (not .updated)
    ("article-hentry.html", None): {
        "title": "Measuring loneliness in later life",
        "date": "2020-02-11",
        "authors": ["Rhiannon Beck"],
        "url": "https://ageingwell.example.org/2020/02/measuring-loneliness/",
        "tags": [],
    },
    # commenters (in .comment, #comments, a Comment in JSON-LD, rel="author" in a comment)
    # are never credited, nor is a comment's date the post's
    ("article-comments.html", "https://markettowns.example.org/2019/03/high-street/"): {
        "title": "Why the high street is not dying",
        "date": "2019-03-28",
        "authors": ["Nia Okafor"],
        "url": "https://markettowns.example.org/2019/03/high-street/",
        "tags": [],
    },
    # "Title – Site" where Site is the JSON-LD publisher's name; JSON-LD without a headline
    ("article-site-suffix.html", "https://eastgate.example.ac.uk/blog/"): {
        "title": "Mapping the commuter belt",
        "date": "2018-07-23",
        "authors": ["Lena Fischer"],
        "url": "https://eastgate.example.ac.uk/blog/posts/commuter-belt.html",
        "tags": [],
    },
    # broken and odd JSON-LD is passed over; an unreadable article:published_time too
    ("article-malformed-jsonld.html", None): {
        "title": "Notes on the spending review",
        "date": "2024-10-31",
        "authors": ["Imogen Hale"],
        "url": None,
        "tags": [],
    },
}


@pytest.mark.parametrize(("name", "address"), sorted(EXPECTED, key=str))
def test_article_page_metadata(name, address):
    text = (HTML / name).read_text(encoding="utf-8")
    result = read_html_page(text, name, address)
    assert result.problems == []
    (record,) = result.records
    found = {
        "title": record["title"],
        "date": record["published"],
        "authors": record["authors"],
        "url": record["url"],
        "tags": record["tags"],
    }
    assert found == EXPECTED[name, address]
    assert record["kind"] == "article"
    assert result.page_url == record["url"]


def test_article_pages_load_as_posts_that_cover_their_own_days(tmp_path):
    names = ["article-jsonld.html", "article-graph.html", "article-hentry.html"]
    for name in names:
        (tmp_path / name).write_bytes((HTML / name).read_bytes())
    result = load_sources([tmp_path])
    posts = posts_of(result)
    assert [(p["title"], p["date"]) for p in posts] == [
        ("School places and the falling birth rate", "2024-03-14"),
        ("Who pays for the bus?", "2023-09-05"),
        ("Measuring loneliness in later life", "2020-02-11"),
    ]
    assert posts[1]["authors"] == ["Mirela Kovač", "Owen Pritchard"]
    assert [s.format for s in result.report.sources] == ["html"] * 3
    assert result.report.problems == []
    for entry in result.report.sources:
        assert (entry.read, entry.loaded, entry.rejected) == (1, 1, 0)
        (window,) = entry.coverage.windows  # an article page covers its own post's day
        assert window[0] == window[1]
    assert result.posts["summary"].iloc[0] == "Primary rolls are shrinking across the region."


def test_posted_on_pages_are_read_as_before():
    """A page with a 'Posted on:' dateline is read by it, not by its metadata."""
    text = (HTML / "article-page.html").read_text(encoding="utf-8")
    (record,) = read_html_page(text, "article-page.html", None).records
    assert record["authors"] == ["James Hickson and Belinda Tyrrell"]
    assert record["position"].startswith("line ")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("article-nothing.html", ["no 'Posted on:' dateline", "no title", "not valid JSON"]),
        ("listing-unlinked.html", ["2 entries", "listing page", "none has a linked title"]),
    ],
)
def test_a_page_without_a_post_is_reported(name, words):
    with pytest.raises(LoadError) as raised:
        load_sources([HTML / name])
    report = raised.value.report
    (problem,) = report.problems
    assert problem.source == str(HTML / name)
    assert problem.position == "page metadata"
    assert all(word in problem.reason for word in words), problem.reason
    (entry,) = report.sources
    assert (entry.format, entry.read, entry.rejected) == ("html", 1, 1)


@pytest.mark.parametrize(
    ("html", "words"),
    [
        (
            "<html><head><title>A title alone</title></head><body><p>Text.</p></body></html>",
            ["'A title alone'", "no publication date"],
        ),
        (
            '<html><head><meta property="article:published_time" content="2024-01-02">'
            "</head><body><p>Text.</p></body></html>",
            ["dated 2024-01-02", "no title"],
        ),
    ],
)
def test_a_page_missing_title_or_date_says_which(html, words):
    result = read_article_page(html, "page.html", None)
    assert result.records == []
    (problem,) = result.problems
    assert all(word in problem.reason for word in words), problem.reason


@pytest.mark.parametrize(
    "html",
    [
        "<html></html>",
        "<html>\x00\x01</html>",
        '<?xml version="1.0" encoding="latin-1"?><html><body><p>x</p></body></html>',
        '<html><script type="application/ld+json">' + "[" * 5000 + "</script></html>",
        '<html><script type="application/ld+json">{"@graph": ' * 300 + "</script></html>",
        "<html><body>" + "<div>" * 20_000 + "deep" + "</div>" * 20_000 + "</body></html>",
        '<html><div class="hentry"><span class="author vcard">',
    ],
)
def test_odd_pages_never_crash(html):
    result = read_article_page(html, "odd.html", None)
    assert len(result.records) + len(result.problems) == 1


def test_a_huge_page_is_read():
    filler = "<p>" + "word " * 200 + "</p>\n"
    page = (
        '<html><head><meta property="og:title" content="A long read">'
        '<meta property="article:published_time" content="2024-05-06T10:00:00Z"></head><body>'
        + filler * 20_000
        + "</body></html>"
    )
    assert len(page) > 20_000_000
    found = article_metadata(page, None)
    assert (found.title, found.published) == ("A long read", date(2024, 5, 6))


def test_a_huge_hentry_is_read_without_its_content():
    """mf2py reparses the hentry; the post's long text is left out of what it is given."""
    body = ("<p>" + "word " * 200 + "</p>\n") * 5_000
    page = (
        '<html><body><div class="hentry"><h1 class="entry-title">A long read</h1>'
        '<span class="author vcard"><span class="fn">Ann Lee</span></span>'
        '<time class="published" datetime="2024-05-06">6 May</time>'
        f'<div class="entry-content">{body}</div></div></body></html>'
    )
    found = article_metadata(page, None)
    assert (found.title, found.published, found.authors) == (
        "A long read",
        date(2024, 5, 6),
        ["Ann Lee"],
    )
