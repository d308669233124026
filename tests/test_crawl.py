"""The crawler against a small blog served on 127.0.0.1 by the test (never the internet).

The blog is built here from the captured Heseltine Institute pages: the eight distinct posts of
the article captures 009-018 (014 and 016 are 013 and 015 at other addresses) become HTML
article pages with their bylines, and three HTML listing pages in the layouts of the captured
listing pages link to them. The server counts every request per path, so the tests can say
exactly what a crawl asked for.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard.__main__ import main
from dashboard.coverage import Coverage
from dashboard.crawl import USER_AGENT, CrawlError, configured_crawl_url, refresh
from dashboard.crawl.http import Cache, Client, FetchError, Stats
from dashboard.crawl.links import PAGE_PATH, following_page, next_link, numbered_pages

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "data" / "heseltine-pages"
SEED = FIXTURES / "seeds" / "000_363013ab0c7ffdf4.txt"
ARTICLES = ("018", "017", "015", "013", "012", "011", "010", "009")  # newest first
LISTING = [["018", "017", "015", "013"], ["013", "012", "011"], ["010", "009"]]
ROBOTS = "User-agent: *\nDisallow: /blog/trickle-down-economics-doesnt-work/\n"
ROBOTS_DATE = "Mon, 01 Jul 2024 09:00:00 GMT"
FAST = {"delay": 0, "timeout": 5, "retries": 2, "backoff": 0.01}  # keyword args of refresh


@dataclass
class Post:
    """One captured article page, split into the parts the test blog prints."""

    slug: str
    title: str
    posted: str  # the byline: "Posted on: 8 March 2022 by James Hickson in Blog"
    paragraphs: list[str]
    tags: list[str] = field(default_factory=list)

    @property
    def date(self) -> datetime:
        return datetime.strptime(
            re.search(r"Posted on: (\d+ \w+ \d{4})", self.posted)[1], "%d %B %Y"
        )

    @property
    def authors(self) -> list[str]:
        return re.search(r" by (.+) in ", self.posted)[1].split(" and ")

    @property
    def summary(self) -> str:
        return next(p for p in self.paragraphs if len(p.split()) >= 12)


def captured_post(name: str) -> Post:
    first, _, rest = (PAGES / f"{name}.txt").read_text("utf-8").partition("\n")
    slug = first.removeprefix("URL:").strip().rstrip("/").rsplit("/", 1)[-1]
    title, posted, *paragraphs = [line.strip() for line in rest.splitlines() if line.strip()]
    tags = ["Precarious work"] if name in ("013", "015") else []
    return Post(slug, title, posted, paragraphs, tags)


POSTS = {name: captured_post(name) for name in ARTICLES}
INTRO = [line for line in SEED.read_text("utf-8").splitlines() if line.startswith("The ")][0]
# 017 is linked without its trailing slash: the server redirects it (301).
BARE_LINKS = {"017"}


def path_of(name: str) -> str:
    return f"/blog/{POSTS[name].slug}/"


def link_of(name: str) -> str:
    """The path the listing links to."""
    return path_of(name).rstrip("/") if name in BARE_LINKS else path_of(name)


def article_html(post: Post, origin: str) -> str:
    byline = escape(post.posted).replace(
        " in Blog", ' in <a href="/blog/category/blog/" rel="category tag">Blog</a>'
    )
    tags = " ".join(
        f'<a href="/blog/tag/{i}/" rel="tag">{escape(t)}</a>' for i, t in enumerate(post.tags)
    )
    body = "\n".join(f"<p>{escape(p)}</p>" for p in post.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{escape(post.title)}</title>
<link rel="canonical" href="{origin}/blog/{post.slug}/"></head>
<body><header><a href="/">Heseltine Institute</a><nav><a href="/blog/">Blog</a></nav></header>
<main><article><h1>{escape(post.title)}</h1>
<p class="byline">{byline}</p>
{body}
<footer>{tags}</footer></article></main>
<footer><p>University of Liverpool</p></footer></body></html>"""


def listing_entry(name: str, date_first: bool) -> str:
    post = POSTS[name]
    href = link_of(name)
    title, date = escape(post.title), f"{post.date.day} {post.date:%B %Y}"
    if date_first:  # the 2019 layout of 002.txt
        return (
            f'<div class="teaser"><h2><a href="{href}">{title}</a></h2>'
            f"<p>Posted on: {date} | Category: Blog</p><p>{escape(post.summary)}</p></div>"
        )
    # the 2024 layout of the seed page: the title twice (image label and link), then again
    return (
        f'<div class="card"><a href="{href}"><span>{title}</span></a><a href="{href}">'
        f'{title}</a>\n<h3><a href="{href}">{title}</a></h3>'
        f"<p>{escape(post.summary)}</p><p>Posted on: {date}</p></div>"
    )


def listing_html(pages: list[list[str]], number: int, numbered: bool = False) -> str:
    """Page 1 links to page 2 with rel="next"; page 2 only with an "Older posts" link.
    ``numbered``: no such links, only page numbers (1 2 3) in the pager."""
    last = number == len(pages)
    head = (
        '<link rel="next" href="/blog/?page=2">' if number == 1 and not (last or numbered) else ""
    )
    if numbered:
        pager = (
            "<p>"
            + " ".join(f'<a href="/blog/?page={n}">{n}</a>' for n in range(1, len(pages) + 1))
            + "</p>"
        )
    elif number == 1:
        pager = "" if last else '<nav><a href="/blog/?page=2">Next »</a></nav>'
    else:
        newer = "/blog/" if number == 2 else f"/blog/?page={number - 1}"
        older = "" if last else f' <a href="/blog/?page={number + 1}">Older posts</a>'
        pager = f'<div class="pager"><a href="{newer}">Newer posts</a>{older}</div>'
    entries = "\n".join(listing_entry(name, date_first=number == 3) for name in pages[number - 1])
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Blog</title>{head}</head>
<body><header><a href="/">Heseltine Institute</a><nav><a href="/blog/">Blog</a></nav></header>
<main><h1>Blog</h1><p>{escape(INTRO)}</p>
{entries}
{pager}</main><footer><p>University of Liverpool</p></footer></body></html>"""


def feed_xml(names: list[str], origin: str) -> str:
    items = "".join(
        f"<item><title>{escape(POSTS[n].title)}</title><link>{origin}{path_of(n)}</link>"
        f"<pubDate>{POSTS[n].date:%a, %d %b %Y} 09:00:00 +0000</pubDate>"
        + "".join(f"<dc:creator>{escape(a)}</dc:creator>" for a in POSTS[n].authors)
        + f"<category>Blog</category><description>{escape(POSTS[n].summary)}</description>"
        "</item>"
        for n in names
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Blog</title>'
        f"<link>{origin}/blog/</link><description>{escape(INTRO)}</description>"
        f"{items}</channel></rss>"
    )


def rest_json(names: list[str], origin: str) -> str:
    return json.dumps(
        [
            {
                "id": i,
                "date": f"{POSTS[n].date:%Y-%m-%d}T09:00:00",
                "link": f"{origin}{path_of(n)}",
                "title": {"rendered": escape(POSTS[n].title)},
                "excerpt": {"rendered": f"<p>{escape(POSTS[n].summary)}</p>"},
                "_embedded": {
                    "author": [{"name": a} for a in POSTS[n].authors],
                    "wp:term": [[{"taxonomy": "category", "name": "Blog"}]],
                },
            }
            for i, n in enumerate(names)
        ]
    )


class Blog:
    """What the server serves, and what it was asked: requests per path, and each answer."""

    def __init__(self) -> None:
        self.pages = [list(page) for page in LISTING]
        self.origin = ""
        self.robots = ROBOTS
        self.requests: Counter[str] = Counter()
        self.answers: list[tuple[str, int]] = []
        self.failures = Counter({path_of("011"): 1})  # answers 500 this many times first
        self.agents: set[str] = set()
        self.slow = {path_of("010"): 0.3}  # seconds before answering (within the timeout)
        self.lock = threading.Lock()
        self.busy = 0  # requests being answered
        self.release = threading.Event()  # set: slow pages answer at once
        self.numbered = False  # listing pages linked only by number

    def settle(self, timeout: float = 5.0) -> None:
        """Wait until no request is being answered (a slow one may outlive the client's wait)."""
        deadline = time.monotonic() + timeout
        while self.busy and time.monotonic() < deadline:
            time.sleep(0.02)

    def route(self, path: str) -> tuple[int, str, str, dict[str, str]]:
        """(status, content type, body, headers) for a request path."""
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/robots.txt":
            return 200, "text/plain", self.robots, {"Last-Modified": ROBOTS_DATE}
        if parts.path == "/blog/":
            number = int(query.get("page", ["1"])[0])
            if self.numbered:  # like some CMSs, a page past the end repeats the last one
                number = min(number, len(self.pages))
            if 1 <= number <= len(self.pages):
                page = listing_html(self.pages, number, self.numbered)
                return 200, "text/html; charset=utf-8", page, {}
            return 404, "text/plain", "no such page", {}
        if parts.path == "/feed/":
            number = int(query.get("paged", ["1"])[0])
            names = list(ARTICLES)[(number - 1) * 3 : number * 3]
            if names:
                return 200, "application/rss+xml", feed_xml(names, self.origin), {}
            return 404, "text/plain", "no such page", {}
        if parts.path == "/wp-json/wp/v2/posts":
            number, size = int(query.get("page", ["1"])[0]), int(query["per_page"][0])
            names = list(ARTICLES)[(number - 1) * size : number * size]
            if names and "_embed" in query:
                return 200, "application/json", rest_json(names, self.origin), {}
            return 400, "application/json", '{"code":"rest_post_invalid_page_number"}', {}
        for name, post in POSTS.items():
            if parts.path == path_of(name):
                return 200, "text/html; charset=utf-8", article_html(post, self.origin), {}
            if parts.path == path_of(name).rstrip("/"):
                return 301, "text/plain", "", {"Location": path_of(name)}
        return 404, "text/plain", "not found", {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        blog: Blog = self.server.blog
        with blog.lock:
            blog.requests[self.path] += 1
            blog.busy += 1
            blog.agents.add(self.headers.get("User-Agent"))
            failing = blog.failures[self.path] > 0
            blog.failures[self.path] -= 1
        try:
            self.answer(blog, failing)
        finally:
            with blog.lock:
                blog.busy -= 1

    def answer(self, blog: Blog, failing: bool) -> None:
        blog.release.wait(blog.slow.get(self.path, 0))
        status, kind, text, headers = (
            (500, "text/plain", "oops", {}) if failing else blog.route(self.path)
        )
        body = text.encode("utf-8")
        if status == 200 and "Last-Modified" not in headers:
            headers["ETag"] = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        asked = {"If-None-Match": "ETag", "If-Modified-Since": "Last-Modified"}
        unchanged = status == 200 and any(
            self.headers.get(condition) is not None and self.headers[condition] == headers.get(name)
            for condition, name in asked.items()
        )
        if unchanged:
            status, body = 304, b""
        with blog.lock:
            blog.answers.append((self.path, status))
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (a timeout test)

    def log_message(self, format, *args):  # noqa: A002 (the signature http.server uses)
        pass


@pytest.fixture
def blog():
    """The test blog, served on 127.0.0.1 for the length of one test."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.blog = Blog()
    httpd.blog.origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.blog
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def by_title(posts: pd.DataFrame) -> dict:
    """Each row (a named tuple) by its title."""
    return {row.title: row for row in posts.itertuples()}


# What a first crawl of the whole blog asks for: robots.txt, three listing pages, every article
# once, except 011 (500, then the page), 017 (301 from its bare address, then the page) and
# 012 (robots.txt forbids it).
FIRST_CRAWL = Counter(
    {
        "/robots.txt": 1,
        "/blog/": 1,
        "/blog/?page=2": 1,
        "/blog/?page=3": 1,
        path_of("018"): 1,
        path_of("017").rstrip("/"): 1,
        path_of("017"): 1,
        path_of("015"): 1,
        path_of("013"): 1,
        path_of("011"): 2,
        path_of("010"): 1,
        path_of("009"): 1,
    }
)


def test_first_crawl_reads_each_page_once_and_merges_the_blog(blog, tmp_path, capsys):
    out = tmp_path / "posts.parquet"
    code = main(
        [
            "crawl",
            f"{blog.origin}/blog/",
            "--out",
            str(out),
            "--delay",
            "0",
            "--timeout",
            "5",
            "--retries",
            "2",
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert blog.requests == FIRST_CRAWL
    assert blog.agents == {USER_AGENT}
    posts = pq.read_table(out).to_pandas()
    assert len(posts) == 8  # 013 is on two listing pages: one post
    rows = by_title(posts)
    expected_authors = {
        "018": ["Ian Wray"],
        "017": ["Mark Swift"],
        "015": ["James Hickson"],
        "013": ["James Hickson"],
        "011": ["Tom Arnold"],
        "010": ["Andrew McClelland"],
        "009": ["Andrew McClelland"],
    }
    for name, authors in expected_authors.items():
        row = rows[POSTS[name].title]
        assert list(row.authors) == authors, name
        assert row.url == f"{blog.origin}{path_of(name)}"  # the canonical address
        assert row.source == blog.origin + link_of(name)  # the page read, as linked
    assert list(rows[POSTS["013"].title].tags) == ["Blog", "Precarious work"]
    unread = rows[POSTS["012"].title]  # known from the listing only
    assert unread.source == f"{blog.origin}/blog/?page=2"
    assert unread.url == f"{blog.origin}{path_of('012')}"
    lines = printed.splitlines()
    page2 = next(line for line in lines if line.startswith(f"{blog.origin}/blog/?page=2 "))
    assert page2.split()[-4:] == ["3", "2", "1", "0"]  # read, loaded, merged (013), rejected
    assert any(
        line.startswith(f"{blog.origin}{path_of('012')}")
        and "ERROR: not fetched: disallowed by robots.txt" in line
        for line in lines
    )
    assert (
        "crawl: 3 pages (the end of the pagination), 7 article pages read, 1 not fetched "
        "(robots.txt), 0 failed" in lines
    )
    fetched = next(line for line in lines if line.startswith("fetched:"))
    assert fetched.startswith("fetched: 13 requests (11 × 200, 1 × 301, 1 × 500), ")
    assert ", 0 cache hits (304), 1 retry, " in fetched
    assert lines[-1] == f"wrote 8 posts to {out}"
    assert (tmp_path / ".crawl-cache" / "posts.parquet.state.json").is_file()
    # walked to the end of the pagination: everything from the oldest post to the crawl's day
    coverage = Coverage.from_metadata(pq.read_schema(out).metadata)
    today = date.today()
    assert coverage == Coverage(today, ((min(posts["published"]), today),))
    assert f"data as of {today}; captured: {min(posts['published'])} to {today}" in lines


def test_second_crawl_asks_conditionally_and_reads_no_article_again(blog, tmp_path):
    out = tmp_path / "posts.parquet"
    first = refresh(f"{blog.origin}/blog/", out, **FAST)
    blog.requests.clear()
    blog.answers.clear()
    second = refresh(f"{blog.origin}/blog/", out, **FAST)
    # Page 1 is unchanged and all its posts are in the archive, whose walk reached the end.
    assert blog.answers == [("/robots.txt", 304), ("/blog/", 304)]
    assert second.articles == [] and second.stopped_early
    assert second.stats.requests == 2 and second.stats.cache_hits == 2
    assert second.stats.bytes == 0
    pd.testing.assert_frame_equal(second.posts, first.posts)
    lines = second.report.format().splitlines()
    assert lines[1].split()[-4:] == ["8", "8", "0", "0"]  # the archive
    assert lines[2].split()[-4:] == ["4", "0", "4", "0"]  # page 1: all four merged into it
    assert first.stats.requests == 13


def test_refetch_reads_every_page_again(blog, tmp_path):
    out = tmp_path / "posts.parquet"
    refresh(f"{blog.origin}/blog/", out, **FAST)
    blog.requests.clear()
    again = refresh(f"{blog.origin}/blog/", out, refetch=True, **FAST)
    expected = FIRST_CRAWL.copy()
    expected[path_of("011")] = 1  # it fails only once
    del expected[path_of("017").rstrip("/")]  # the permanent redirect is remembered
    assert blog.requests == expected
    assert len(again.articles) == 7 and again.stats.cache_hits == 11  # every answer a 304
    assert len(again.posts) == 8


def test_new_post_is_read_and_the_walk_stops_at_known_posts(blog, tmp_path):
    out = tmp_path / "posts.parquet"
    blog.pages[0].remove("018")
    refresh(f"{blog.origin}/blog/", out, **FAST)
    assert POSTS["018"].title not in set(pq.read_table(out).column("title").to_pylist())
    blog.pages[0].insert(0, "018")  # published since
    blog.requests.clear()
    blog.answers.clear()
    result = refresh(f"{blog.origin}/blog/", out, **FAST)
    assert blog.answers == [
        ("/robots.txt", 304),
        ("/blog/", 200),
        ("/blog/?page=2", 304),
        (path_of("018"), 200),
    ]
    assert result.stopped_early and result.articles == [f"{blog.origin}{path_of('018')}"]
    row = by_title(result.posts)[POSTS["018"].title]
    assert list(row.authors) == ["Ian Wray"] and len(result.posts) == 8


def test_capped_walk_is_continued_by_the_next_crawl(blog, tmp_path):
    out = tmp_path / "posts.parquet"
    first = refresh(f"{blog.origin}/blog/", out, max_pages=1, **FAST)
    assert first.pages == [f"{blog.origin}/blog/"] and not first.reached_end
    assert len(first.posts) == 4
    blog.requests.clear()
    second = refresh(f"{blog.origin}/blog/", out, **FAST)
    assert second.reached_end and not second.stopped_early
    assert len(second.pages) == 3 and len(second.articles) == 3  # 011, 010, 009
    assert blog.requests[path_of("018")] == 0 and blog.requests["/blog/?page=3"] == 1
    assert len(second.posts) == 8


def test_failed_listing_page_ends_the_walk_and_the_next_crawl_walks_on(blog, tmp_path):
    out = tmp_path / "posts.parquet"
    blog.failures["/blog/?page=2"] = 3  # as many as the attempts
    first = refresh(f"{blog.origin}/blog/", out, **FAST)
    assert first.unread[0] == (
        f"{blog.origin}/blog/?page=2",
        "the server answered HTTP 500 Internal Server Error (3 attempts)",
    )
    assert first.written and not first.reached_end and len(first.posts) == 4
    blog.answers.clear()
    second = refresh(f"{blog.origin}/blog/", out, **FAST)
    pages = [
        answer
        for answer in blog.answers
        if answer[0].startswith("/blog/?") or answer[0] == "/blog/"
    ]
    assert pages == [("/blog/", 304), ("/blog/?page=2", 200), ("/blog/?page=3", 200)]
    assert second.reached_end and len(second.posts) == 8


def test_quiet_crawl_prints_the_totals_and_what_was_fetched(blog, tmp_path, capsys):
    out = tmp_path / "posts.parquet"
    argv = ["crawl", f"{blog.origin}/blog/", "--out", str(out), "--delay", "0", "--quiet"]
    blog.failures.clear()
    assert main(argv) == 0
    capsys.readouterr()
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[0].split() == ["total", "12", "8", "4", "0"]  # the archive's 8, page 1's 4
    assert lines[1].startswith("crawl: 1 page (stopped where the archive already holds")
    assert lines[2].startswith("fetched: 2 requests (2 × 304), 0 B received, 2 cache hits")
    assert lines[3] == f"wrote 8 posts to {out}"


def test_help_explains_every_option():
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "crawl", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=FIXTURES.parents[1],
    )
    for option in (
        "--out",
        "--delay",
        "--max-pages",
        "--refetch",
        "--cache-dir",
        "--user-agent",
        "--timeout",
        "--retries",
        "--quiet",
    ):
        assert option in done.stdout


def test_numbered_pages_are_walked_until_one_brings_nothing_new(blog, tmp_path):
    blog.numbered = True
    result = refresh(f"{blog.origin}/blog/", tmp_path / "posts.parquet", **FAST)
    pages = [path for path, _ in blog.answers if path.startswith("/blog/?") or path == "/blog/"]
    assert pages == ["/blog/", "/blog/?page=2", "/blog/?page=3", "/blog/?page=4"]
    assert result.reached_end and len(result.articles) == 7 and len(result.posts) == 8


def test_unreachable_start_exits_1_and_keeps_the_archive(clean_archive, capsys):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = clean_archive.read_bytes()
    code = main(
        [
            "crawl",
            f"http://127.0.0.1:{port}/blog/",
            "--out",
            str(clean_archive),
            "--delay",
            "0",
            "--retries",
            "0",
        ]
    )
    assert code == 1
    assert clean_archive.read_bytes() == before
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"error: cannot crawl http://127.0.0.1:{port}/blog/: unreachable (")


def test_robots_txt_forbidding_the_start_page_fetches_nothing_else(blog, tmp_path):
    blog.robots = "User-agent: blog-publishing-dashboard-crawler\nDisallow: /blog/\n"
    with pytest.raises(CrawlError, match=r"/blog/: disallowed by robots\.txt$"):
        refresh(f"{blog.origin}/blog/", tmp_path / "posts.parquet", **FAST)
    assert blog.requests == Counter({"/robots.txt": 1})
    assert not (tmp_path / "posts.parquet").exists()


def test_page_slower_than_the_timeout_is_retried_then_reported_then_read_next_time(blog, tmp_path):
    out = tmp_path / "posts.parquet"
    blog.slow[path_of("010")] = 30
    result = refresh(f"{blog.origin}/blog/", out, **{**FAST, "timeout": 1, "retries": 1})
    assert blog.requests[path_of("010")] == 2
    assert result.unread == [
        (f"{blog.origin}{path_of('012')}", "not fetched: disallowed by robots.txt"),
        (f"{blog.origin}{path_of('010')}", "no answer within 1 s (2 attempts)"),
    ]
    assert result.written and len(result.posts) == 8
    assert by_title(result.posts)[POSTS["010"].title].source == f"{blog.origin}/blog/?page=3"
    # The next crawl stops at page 1 (nothing new there) but tries the failed page again.
    blog.release.set()
    blog.settle()
    blog.answers.clear()
    again = refresh(f"{blog.origin}/blog/", out, **FAST)
    assert blog.answers == [("/robots.txt", 304), ("/blog/", 304), (path_of("010"), 200)]
    row = by_title(again.posts)[POSTS["010"].title]
    assert row.source == f"{blog.origin}{path_of('010')}"
    assert list(row.authors) == ["Andrew McClelland"]


def test_requests_are_paced_and_failures_retried_with_growing_waits(blog):
    waits: list[float] = []
    client = Client(delay=1.5, retries=3, backoff=1.0, sleep=waits.append)
    client.get(f"{blog.origin}{path_of('018')}")
    client.get(f"{blog.origin}{path_of('015')}")
    assert len(waits) == 2 and all(1 < w <= 1.5 for w in waits)  # robots.txt, then 2 pages
    blog.failures[path_of("013")] = 5
    waits.clear()
    client.delay = 0
    with pytest.raises(FetchError, match=r"HTTP 500 Internal Server Error \(4 attempts\)$"):
        client.get(f"{blog.origin}{path_of('013')}")
    assert waits == [1.0, 2.0, 4.0] and blog.requests[path_of("013")] == 4


def test_robots_crawl_delay_is_honoured_when_longer(blog):
    blog.robots = ROBOTS + "Crawl-delay: 4\n"
    waits: list[float] = []
    client = Client(delay=0.5, sleep=waits.append)
    client.get(f"{blog.origin}{path_of('018')}")
    assert len(waits) == 1 and 3 < waits[0] <= 4


def test_wordpress_feed_is_paged_with_paged(blog, tmp_path):
    result = refresh(f"{blog.origin}/feed/", tmp_path / "posts.parquet", **FAST)
    assert blog.answers == [
        ("/robots.txt", 200),
        ("/feed/", 200),
        ("/feed/?paged=2", 200),
        ("/feed/?paged=3", 200),
        ("/feed/?paged=4", 404),
    ]
    assert result.reached_end and result.unread == [] and len(result.posts) == 8
    row = by_title(result.posts)[POSTS["013"].title]
    assert list(row.authors) == ["James Hickson"] and list(row.tags) == ["Blog"]


def test_wordpress_rest_api_is_paged_until_it_answers_400(blog, tmp_path):
    result = refresh(
        f"{blog.origin}/wp-json/wp/v2/posts?per_page=3", tmp_path / "posts.parquet", **FAST
    )
    base = "/wp-json/wp/v2/posts?per_page=3&_embed=1"
    assert blog.answers == [
        ("/robots.txt", 200),
        (base, 200),
        (base + "&page=2", 200),
        (base + "&page=3", 200),
        (base + "&page=4", 400),
    ]
    assert len(result.posts) == 8 and result.unread == []
    assert list(by_title(result.posts)[POSTS["011"].title].authors) == ["Tom Arnold"]


@pytest.mark.parametrize(
    ("html", "address", "expected"),
    [
        ('<link rel="next" href="?page=2">', "https://b.org/blog/", "https://b.org/blog/?page=2"),
        (
            '<a href="/blog/page/3/" rel="next">3</a>',
            "https://b.org/blog/page/2/",
            "https://b.org/blog/page/3/",
        ),
        ('<a href="/blog/?page=2">Next »</a>', "https://b.org/blog/", "https://b.org/blog/?page=2"),
        ('<a href="/p/2">Older posts</a>', "https://b.org/p/1", "https://b.org/p/2"),
        ('<a href="/p/2" aria-label="Next page">›</a>', "https://b.org/p/1", "https://b.org/p/2"),
        ('<a href="/p/0">Previous</a><a href="/p/0">Newer posts</a>', "https://b.org/p/1", None),
        ('<a href="https://other.org/next">Next</a>', "https://b.org/p/1", None),  # another site
        ('<a href="#top">Next</a>', "https://b.org/p/1", None),
        (  # WordPress's paginate_links(): the class says where an arrow alone leads
            '<a class="prev page-numbers" href="/">«</a><a class="next page-numbers" '
            'href="/page/3/">»</a>',
            "https://b.org/page/2/",
            "https://b.org/page/3/",
        ),
        ('<a href="/page/2/">Older Entries</a>', "https://b.org/", "https://b.org/page/2/"),
        ('<a href="/page/2/">« Older Entries</a>', "https://b.org/", "https://b.org/page/2/"),
        ('<a href="/page/2/">Next page</a>', "https://b.org/", "https://b.org/page/2/"),
    ],
)
def test_next_link(html, address, expected):
    assert next_link(html, address) == expected


@pytest.mark.parametrize(
    ("url", "param", "expected"),
    [
        ("https://b.org/blog/", "page", "https://b.org/blog/?page=2"),
        ("https://b.org/blog/?page=2", "page", "https://b.org/blog/?page=3"),
        ("https://b.org/feed/?paged=9", "paged", "https://b.org/feed/?paged=10"),
        (
            "https://b.org/posts?per_page=5&page=2&_embed=1",
            "page",
            "https://b.org/posts?per_page=5&_embed=1&page=3",
        ),
        ("https://b.org/", PAGE_PATH, "https://b.org/page/2/"),
        ("https://b.org/blog", PAGE_PATH, "https://b.org/blog/page/2/"),
        ("https://b.org/blog/page/2/", PAGE_PATH, "https://b.org/blog/page/3/"),
        ("https://b.org/tag/x/page/9/?s=1", PAGE_PATH, "https://b.org/tag/x/page/10/?s=1"),
    ],
)
def test_following_page(url, param, expected):
    assert following_page(url, param) == expected


def test_numbered_pages_are_found_in_links_to_the_same_path():
    html = '<a href="/blog/?page=2">2</a><a href="/other/?page=5">5</a>'
    assert numbered_pages(html, "https://b.org/blog/") == "page"
    assert numbered_pages(html, "https://b.org/news/") is None


@pytest.mark.parametrize(
    ("html", "address", "expected"),
    [
        ('<a href="/blog/page/2/">2</a>', "https://b.org/blog/", PAGE_PATH),
        ('<a href="https://b.org/page/3/">3</a>', "https://b.org/page/2/", PAGE_PATH),
        ("", "https://b.org/blog/page/2/", PAGE_PATH),  # the address itself
        ('<a href="/other/page/2/">2</a>', "https://b.org/blog/", None),
        ('<a href="https://c.org/blog/page/2/">2</a>', "https://b.org/blog/", None),
    ],
)
def test_pages_numbered_in_the_path(html, address, expected):
    assert numbered_pages(html, address) == expected


def test_crawl_url_is_read_from_the_environment():
    assert (
        configured_crawl_url({"DASHBOARD_CRAWL_URL": " https://b.org/blog/ "})
        == "https://b.org/blog/"
    )
    assert configured_crawl_url({"DASHBOARD_CRAWL_URL": ""}) is None
    assert configured_crawl_url({}) is None


def test_fetch_summary_counts_requests_bytes_and_cache_hits():
    stats = Stats(
        requests=3,
        bytes=2048,
        cache_hits=1,
        retries=0,
        statuses=Counter({200: 2, 304: 1}),
        started=10.0,
        finished=11.5,
    )
    assert stats.summary() == (
        "fetched: 3 requests (2 × 200, 1 × 304), 2.0 kB received, "
        "1 cache hit (304), 0 retries, 1.50 s"
    )


def test_cache_keeps_only_pages_with_a_validator(tmp_path):
    cache = Cache(tmp_path)
    cache.store("https://b.org/a", {"ETag": '"x"'}, b"body a")
    cache.store("https://b.org/b", {}, b"body b")
    assert cache.validators("https://b.org/a") == {"If-None-Match": '"x"'}
    assert cache.body("https://b.org/a") == b"body a"
    assert cache.validators("https://b.org/b") == {}
    assert Client(cache=Cache(None)).cache.validators("https://b.org/a") == {}
