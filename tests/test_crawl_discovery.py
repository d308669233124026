"""Crawling any blog: the feed or API its first page announces, theme listings without one.

Three made-up blogs are served on 127.0.0.1 from hand-written pages in standard theme markup:
a WordPress blog whose home page announces an RSS feed, a comments feed and the REST API; a
blog whose feed names no authors, so its article pages are read for them; and a theme blog
with no feed at all, paged ``/page/2/``, ``/page/3/``. The server counts every request.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from datetime import date
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dashboard.coverage import COVERAGE_ATTR, Coverage
from dashboard.crawl import refresh
from dashboard.crawl.discover import Listing, is_comments_feed, listings, posts_endpoint

FAST = {"delay": 0, "timeout": 5, "retries": 0, "backoff": 0.01}
ROBOTS = "User-agent: *\nDisallow: /wp-admin/\n"


class Site:
    """Pages by path (with query): (status, content type, body, headers); what was asked."""

    def __init__(self) -> None:
        self.origin = ""
        self.routes: dict[str, tuple[int, str, str, dict[str, str]]] = {}
        self.requests: Counter[str] = Counter()
        self.answers: list[tuple[str, int]] = []
        self.lock = threading.Lock()

    def page(self, path: str, body: str, kind: str = "text/html; charset=utf-8", **headers):
        self.routes[path] = (200, kind, body, headers)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        site: Site = self.server.site
        status, kind, text, headers = site.routes.get(
            self.path, (404, "text/plain", "not found", {})
        )
        body = text.encode("utf-8")
        headers = dict(headers)
        if status == 200:
            headers["ETag"] = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == headers["ETag"]:
                status, body = 304, b""
        with site.lock:
            site.requests[self.path] += 1
            site.answers.append((self.path, status))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 (the signature http.server uses)
        pass


@pytest.fixture
def site():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.site = Site()
    httpd.site.origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.site.page("/robots.txt", ROBOTS, "text/plain")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.site
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def rows(posts) -> list[tuple]:
    """(title, date, authors, tags, url) of each post, newest first."""
    return [
        (p.title, str(p.published)[:10], list(p.authors), list(p.tags), p.url)
        for p in posts.itertuples()
    ]


# --- The pages, in the markup of a standard WordPress theme --------------------------------


def theme_entry(post: dict) -> str:
    """One entry of a WordPress theme's listing (Twenty Twenty-One style)."""
    authors = " and ".join(
        f'<span class="author vcard"><a class="url fn n" href="/author/{i}/">{escape(a)}</a></span>'
        for i, a in enumerate(post["authors"])
    )
    tags = ", ".join(
        f'<a href="/category/{i}/" rel="category tag">{escape(t)}</a>'
        for i, t in enumerate(post["tags"])
    )
    return f"""<article class="post type-post status-publish hentry">
<header class="entry-header"><h2 class="entry-title"><a href="{post["path"]}" rel="bookmark">{
        escape(post["title"])
    }</a></h2></header>
<div class="entry-summary"><p>{escape(post["summary"])}</p></div>
<footer class="entry-footer"><span class="posted-on">Published <time class="entry-date published"
 datetime="{post["date"]}T09:30:00+00:00">{post["date"]}</time></span>
<span class="byline">By {authors}</span><span class="cat-links">Categorized as {tags}</span>
</footer></article>"""


def theme_page(title: str, posts: list[dict], head: str = "", pager: str = "") -> str:
    entries = "\n".join(theme_entry(post) for post in posts)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="UTF-8"><title>{escape(title)}</title>
{head}</head>
<body class="home blog"><header class="site-header"><p class="site-title"><a href="/">{
        escape(title)
    }</a></p></header>
<main id="main" class="site-main">
{entries}
<nav class="navigation pagination"><div class="nav-links">{pager}</div></nav>
</main><footer class="site-footer"><p>Powered by WordPress</p></footer></body></html>"""


def rss(site: Site, posts: list[dict], with_authors: bool) -> str:
    items = "".join(
        f"<item><title>{escape(p['title'])}</title><link>{site.origin}{p['path']}</link>"
        f"<pubDate>{date.fromisoformat(p['date']):%a, %d %b %Y} 09:30:00 +0000</pubDate>"
        + (
            "".join(f"<dc:creator>{escape(a)}</dc:creator>" for a in p["authors"])
            if with_authors
            else ""
        )
        + "".join(f"<category>{escape(t)}</category>" for t in p["tags"])
        + f"<description>{escape(p['summary'])}</description></item>"
        for p in posts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>'
        f"<link>{site.origin}/</link><description>Posts</description>{items}</channel></rss>"
    )


def wp_json(site: Site, posts: list[dict]) -> str:
    return json.dumps(
        [
            {
                "id": 100 + i,
                "date": f"{p['date']}T09:30:00",
                "link": f"{site.origin}{p['path']}",
                "title": {"rendered": escape(p["title"])},
                "excerpt": {"rendered": f"<p>{escape(p['summary'])}</p>\n"},
                "author": 3,
                "_embedded": {
                    "author": [{"id": 3 + j, "name": a} for j, a in enumerate(p["authors"])],
                    "wp:term": [
                        [{"taxonomy": "category", "name": p["tags"][0]}],
                        [{"taxonomy": "post_tag", "name": t} for t in p["tags"][1:]],
                    ],
                },
            }
            for i, p in enumerate(posts)
        ]
    )


# --- (a) A WordPress blog that announces its REST API and its feeds -------------------------

MARLOWE = [
    {
        "title": "Who gains from the new council tax bands?",
        "date": "2024-05-21",
        "path": "/2024/05/council-tax-bands/",
        "authors": ["Hannah Voss", "Idris Kemal"],
        "tags": ["Local government", "Tax"],
        "summary": "A revaluation would move a third of homes between bands.",
    },
    {
        "title": "Bus franchising, one year on",
        "date": "2024-04-30",
        "path": "/2024/04/bus-franchising/",
        "authors": ["Idris Kemal"],
        "tags": ["Transport"],
        "summary": "Fares are down and patronage is up, but costs have risen.",
    },
    {
        "title": "Reading the spring budget for the regions",
        "date": "2024-03-07",
        "path": "/2024/03/spring-budget/",
        "authors": ["Hannah Voss"],
        "tags": ["Economy", "Devolution"],
        "summary": "Investment zones, again, and little for day-to-day services.",
    },
]
MARLOWE_ROWS = [
    (p["title"], p["date"], p["authors"], p["tags"], f"{{origin}}{p['path']}") for p in MARLOWE
]
API_FIRST = "/wp-json/wp/v2/posts?_embed=1"


def serve_marlowe(site: Site, api: bool = True) -> None:
    head = (
        '<link rel="alternate" type="application/rss+xml" '
        'title="Marlowe Policy Lab &raquo; Comments Feed" href="/comments/feed/">\n'
        '<link rel="alternate" type="application/rss+xml" '
        'title="Marlowe Policy Lab &raquo; Feed" href="/feed/">\n'
    )
    if api:
        head += f'<link rel="https://api.w.org/" href="{site.origin}/wp-json/">\n'
    pager = '<a class="next page-numbers" href="/page/2/">Next &raquo;</a>'
    site.page("/", theme_page("Marlowe Policy Lab", MARLOWE[:2], head, pager))
    site.page("/page/2/", theme_page("Marlowe Policy Lab", MARLOWE[2:]))
    site.page("/feed/", rss(site, MARLOWE, with_authors=True), "application/rss+xml")
    site.page("/comments/feed/", rss(site, [], with_authors=True), "application/rss+xml")
    pages = {"": MARLOWE[:2], "&page=2": MARLOWE[2:]}
    for suffix, posts in pages.items():
        site.page(
            API_FIRST + suffix, wp_json(site, posts), "application/json", **{"X-WP-TotalPages": "2"}
        )


def expected(rows_: list[tuple], origin: str) -> list[tuple]:
    return [(*row[:4], row[4].format(origin=origin)) for row in rows_]


def test_wordpress_blog_is_crawled_through_its_rest_api(site, tmp_path):
    serve_marlowe(site)
    result = refresh(f"{site.origin}/", tmp_path / "posts.parquet", **FAST)
    assert site.answers == [
        ("/robots.txt", 200),
        ("/", 200),  # read only for what it announces: its listing is not walked
        (API_FIRST, 200),
        (API_FIRST + "&page=2", 200),  # X-WP-TotalPages: 2, so no page 3 is asked for
    ]
    assert rows(result.posts) == expected(MARLOWE_ROWS, site.origin)
    assert result.articles == [] and result.unread == []  # the API names every author
    assert result.summary()[0] == (
        f"crawl: 2 pages via the WordPress REST API {site.origin}{API_FIRST} (the end of the "
        "pagination), 0 article pages read, 0 not fetched (robots.txt), 0 failed"
    )
    assert result.posts["summary"].iloc[1] == MARLOWE[1]["summary"]


def test_without_an_api_the_feed_is_used_and_the_comments_feed_skipped(site, tmp_path):
    serve_marlowe(site, api=False)
    result = refresh(f"{site.origin}/", tmp_path / "posts.parquet", **FAST)
    assert site.answers == [
        ("/robots.txt", 200),
        ("/", 200),
        ("/feed/", 200),
        ("/feed/?paged=2", 404),  # a guessed page past the end: the end of the feed
    ]
    assert rows(result.posts) == expected(MARLOWE_ROWS, site.origin)
    assert result.summary()[0].startswith(
        f"crawl: 1 page via the RSS feed {site.origin}/feed/ (the end of the pagination), "
        "0 article pages read"
    )


def test_an_api_robots_txt_forbids_gives_way_to_the_feed(site, tmp_path):
    serve_marlowe(site)
    site.page("/robots.txt", ROBOTS + "Disallow: /wp-json/\n", "text/plain")
    result = refresh(f"{site.origin}/", tmp_path / "posts.parquet", **FAST)
    assert [path for path, _ in site.answers] == ["/robots.txt", "/", "/feed/", "/feed/?paged=2"]
    assert result.via == f"the RSS feed {site.origin}/feed/"
    assert result.unread == [(f"{site.origin}{API_FIRST}", "not fetched: disallowed by robots.txt")]
    assert ", 1 not fetched (robots.txt), 0 failed" in result.summary()[0]
    assert len(result.posts) == 3


# --- (b) A blog whose feed names no authors: its article pages do ---------------------------

TIDEWATER = [
    {
        "title": "Flood insurance after Flood Re",
        "date": "2023-11-16",
        "path": "/insights/flood-insurance/",
        "authors": ["Priya Ramanathan", "Colm Breen"],
        "tags": ["Climate"],
        "summary": "The scheme ends in 2039; the risk does not.",
    },
    {
        "title": "Ports, freeports and the Humber",
        "date": "2023-10-02",
        "path": "/insights/freeports/",
        "authors": ["Colm Breen"],
        "tags": ["Trade"],
        "summary": "Tax sites are not a trade policy.",
    },
]


def jsonld_article(post: dict, origin: str) -> str:
    """An article page that states its authors in JSON-LD (Yoast style), in byline order."""
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "BlogPosting",
                "headline": post["title"],
                "datePublished": f"{post['date']}T08:00:00+00:00",
                "author": [{"@type": "Person", "name": a} for a in post["authors"]],
            },
            {"@type": "WebSite", "name": "Tidewater Institute"},
        ],
    }
    return f"""<!DOCTYPE html><html><head><title>{escape(post["title"])} | Tidewater Institute
</title><link rel="canonical" href="{origin}{post["path"]}">
<script type="application/ld+json">{json.dumps(data)}</script></head>
<body><article><h1>{escape(post["title"])}</h1><p>{escape(post["summary"])}</p></article>
<div id="comments"><article class="comment"><span class="author">A. Reader</span></article>
</div></body></html>"""


def hentry_article(post: dict, origin: str) -> str:
    """An article page that states its author only in its hentry byline."""
    (author,) = post["authors"]
    return f"""<!DOCTYPE html><html><head><title>{escape(post["title"])}</title>
<link rel="canonical" href="{origin}{post["path"]}"></head>
<body><article class="post hentry"><h1 class="entry-title">{escape(post["title"])}</h1>
<time class="entry-date published" datetime="{post["date"]}T08:00:00+00:00">{post["date"]}</time>
<span class="byline">by <span class="author vcard"><a class="url fn n" href="/people/cb/">{
        escape(author)
    }</a></span></span><div class="entry-content"><p>{escape(post["summary"])}</p></div>
</article></body></html>"""


def test_a_feed_without_authors_has_its_article_pages_read_for_them(site, tmp_path):
    head = (
        '<link rel="alternate" type="application/rss+xml" title="Tidewater Institute" '
        'href="/insights/feed/">\n<link rel="alternate" type="application/rss+xml" '
        'title="Comments on Tidewater Institute" href="/insights/comments/feed/">'
    )
    site.page("/insights/", theme_page("Insights", TIDEWATER, head))
    site.page("/insights/feed/", rss(site, TIDEWATER, with_authors=False), "application/rss+xml")
    site.page(TIDEWATER[0]["path"], jsonld_article(TIDEWATER[0], site.origin))
    site.page(TIDEWATER[1]["path"], hentry_article(TIDEWATER[1], site.origin))
    out = tmp_path / "posts.parquet"
    result = refresh(f"{site.origin}/insights/", out, **FAST)
    assert site.answers == [
        ("/robots.txt", 200),
        ("/insights/", 200),
        ("/insights/feed/", 200),
        ("/insights/feed/?paged=2", 404),
        (TIDEWATER[0]["path"], 200),
        (TIDEWATER[1]["path"], 200),
    ]
    assert rows(result.posts) == [
        (
            "Flood insurance after Flood Re",
            "2023-11-16",
            ["Priya Ramanathan", "Colm Breen"],  # byline order; the commenter is not credited
            ["Climate"],
            f"{site.origin}/insights/flood-insurance/",
        ),
        (
            "Ports, freeports and the Humber",
            "2023-10-02",
            ["Colm Breen"],
            ["Trade"],
            f"{site.origin}/insights/freeports/",
        ),
    ]
    assert result.via == f"the RSS feed {site.origin}/insights/feed/"
    assert result.summary()[0].startswith(
        f"crawl: 1 page via the RSS feed {site.origin}/insights/feed/ (the end of the "
        "pagination), 2 article pages read, 0 not fetched (robots.txt), 0 failed"
    )
    # The next crawl asks again only for what may have changed: nothing did.
    site.answers.clear()
    again = refresh(f"{site.origin}/insights/", out, **FAST)
    assert site.answers == [("/robots.txt", 304), ("/insights/", 304), ("/insights/feed/", 304)]
    assert again.stopped_early and rows(again.posts) == rows(result.posts)


# --- (c) A theme blog with no feed: its listing pages are read -------------------------------

HARBOURSIDE = [
    {
        "title": f"Harbour note {n}",
        "date": f"2022-{13 - n:02d}-0{1 + n % 7}",
        "path": f"/{2022}/notes/{n}/",
        "authors": ["Agnes Lowry"],
        "tags": ["Notes"],
        "summary": f"The harbour in month {13 - n}.",
    }
    for n in range(1, 8)
]
HARBOURSIDE[1] = {
    **HARBOURSIDE[1],
    "title": "Dredging the outer channel",
    "authors": ["Tomasz Wiley", "Agnes Lowry"],
    "tags": ["Infrastructure", "Ports"],
}
PAGER = {
    "/": '<span class="page-numbers current">1</span><a class="page-numbers" href="/page/2/">2'
    '</a><a class="page-numbers" href="/page/3/">3</a>'
    '<a class="next page-numbers" href="/page/2/">Next &raquo;</a>',
    "/page/2/": '<a class="prev page-numbers" href="/">&laquo;</a>'
    '<a class="page-numbers" href="/">1</a><span class="page-numbers current">2</span>'
    '<a class="page-numbers" href="/page/3/">3</a>'
    '<a class="next page-numbers" href="/page/3/">&raquo;</a>',  # an arrow alone
    "/page/3/": '<a class="prev page-numbers" href="/page/2/">&laquo; Previous</a>',
}


def test_a_theme_blog_without_a_feed_is_walked_through_its_listing_pages(site, tmp_path):
    pages = {"/": HARBOURSIDE[:3], "/page/2/": HARBOURSIDE[3:6], "/page/3/": HARBOURSIDE[6:]}
    for path, posts in pages.items():
        site.page(path, theme_page("Harbourside Research", posts, pager=PAGER[path]))
    out = tmp_path / "posts.parquet"
    result = refresh(f"{site.origin}/", out, **FAST)
    # every entry names its authors: no article page is needed
    assert site.answers == [
        ("/robots.txt", 200),
        ("/", 200),
        ("/page/2/", 200),
        ("/page/3/", 200),  # one entry alone on a later page is still a listing
    ]
    assert rows(result.posts) == [
        (p["title"], p["date"], p["authors"], p["tags"], f"{site.origin}{p['path']}")
        for p in HARBOURSIDE
    ]
    assert rows(result.posts)[1][2] == ["Tomasz Wiley", "Agnes Lowry"]
    assert result.via is None and result.reached_end and result.articles == []
    assert result.summary()[0] == (
        "crawl: 3 pages (the end of the pagination), 0 article pages read, "
        "0 not fetched (robots.txt), 0 failed"
    )
    today = date.today()
    assert result.posts.attrs[COVERAGE_ATTR] == Coverage(today, ((date(2022, 6, 1), today),))


# --- Discovery from a page's head, as a table ----------------------------------------------


@pytest.mark.parametrize(
    ("head", "address", "expected"),
    [
        (  # a WordPress home page: the API first, then the posts feed; comments skipped
            '<link rel="alternate" type="application/rss+xml" title="S &raquo; Feed" '
            'href="/feed/"><link rel="alternate" type="application/rss+xml" '
            'title="S &raquo; Comments Feed" href="/comments/feed/">'
            '<link rel="https://api.w.org/" href="https://b.org/wp-json/">',
            "https://b.org/",
            [
                Listing("WordPress REST API", "https://b.org/wp-json/wp/v2/posts?_embed=1"),
                Listing("RSS feed", "https://b.org/feed/"),
            ],
        ),
        (  # a category archive: its own feed first, since the API lists the whole site
            '<link rel="alternate" type="application/rss+xml" href="/feed/">'
            '<link rel="alternate" type="application/rss+xml" href="/category/tax/feed/">'
            '<link rel="https://api.w.org/" href="/wp-json/">',
            "https://b.org/category/tax/",
            [
                Listing("RSS feed", "https://b.org/category/tax/feed/"),
                Listing("WordPress REST API", "https://b.org/wp-json/wp/v2/posts?_embed=1"),
                Listing("RSS feed", "https://b.org/feed/"),
            ],
        ),
        (  # Ghost and Hugo announce Atom or JSON feeds; oEmbed is no feed
            '<link rel="alternate" type="application/atom+xml" href="/index.xml">'
            '<link rel="alternate" type="application/feed+json" href="/feed.json">'
            '<link rel="alternate" type="application/json+oembed" href="/oembed">',
            "https://g.org/",
            [
                Listing("Atom feed", "https://g.org/index.xml"),
                Listing("JSON feed", "https://g.org/feed.json"),
            ],
        ),
        ("<title>No feed here</title>", "https://h.org/", []),
    ],
)
def test_listings_a_page_announces(head, address, expected):
    assert listings(f"<html><head>{head}</head><body></body></html>", address) == expected


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("https://b.org/wp-json/", "https://b.org/wp-json/wp/v2/posts?_embed=1"),
        ("https://b.org/blog/wp-json", "https://b.org/blog/wp-json/wp/v2/posts?_embed=1"),
        ("https://b.org/?rest_route=/", "https://b.org/?rest_route=%2Fwp%2Fv2%2Fposts&_embed=1"),
    ],
)
def test_posts_endpoint(root, expected):
    assert posts_endpoint(root) == expected


@pytest.mark.parametrize(
    ("url", "title", "expected"),
    [
        ("https://b.org/comments/feed/", "", True),
        ("https://b.org/2024/05/a-post/feed/", "Site » A post Comments Feed", True),
        ("https://b.org/feed/", "Comments on: A post", True),
        ("https://b.org/feed/", "Site » Feed", False),
        ("https://b.org/category/fair-comments/feed/", "Fair comments", False),
    ],
)
def test_comment_feeds_are_recognised(url, title, expected):
    assert is_comments_feed(url, title) is expected
