"""http(s) sources, served from the fixtures by a local server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dashboard.load import LoadError, load_sources
from dashboard.load import fetch as fetch_module

FIXTURES = Path(__file__).parent / "fixtures"

# path on the server -> (fixture file, content type); any other path is a 404.
ROUTES = {
    "/blog/feed/": ("feeds/wordpress-rss2.xml", "application/rss+xml; charset=UTF-8"),
    "/urban/feed": ("feeds/feed-problems.xml", "text/xml"),
    "/blog/": ("html/listing-page.html", "text/html; charset=utf-8"),
    "/export?format=csv": ("records/cp1252-export.csv", "text/csv"),
    "/wp-json/wp/v2/posts?_embed": ("feeds/wp-posts-embed.json", "application/json"),
}


class Handler(BaseHTTPRequestHandler):
    """Serves ROUTES, plus a redirect, a server error and a slow trickle."""

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        if self.path == "/old-feed":
            self.send_response(301)
            self.send_header("Location", "/blog/feed/")
            self.end_headers()
            return
        if self.path == "/broken":
            self.send_error(500, "Internal Server Error")
            return
        if self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"title,published\n")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return
        route = ROUTES.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        body = (FIXTURES / route[0]).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", route[1])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 (the signature http.server uses)
        pass


@pytest.fixture(scope="module")
def server():
    """The address of a local server of the fixtures."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture
def silent_server():
    """An address that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/blog/feed/"
    listener.close()


@pytest.fixture
def short_timeout(monkeypatch):
    monkeypatch.setattr(fetch_module, "TIMEOUT", 0.5)
    return 0.5


def titles(result) -> list[str]:
    return result.posts["title"].tolist()


def assert_counts_add_up(report) -> None:
    for entry in report.sources:
        assert entry.read == entry.loaded + entry.merged + entry.rejected, entry


def test_feed_url(server):
    result = load_sources([f"{server}/blog/feed/"])
    assert titles(result) == [
        "What the King’s Speech means for city regions",
        "Joined up? How central government can support place-based working",
        "What the manifestos say about combined authorities",
    ]
    assert result.posts["source"].tolist() == [f"{server}/blog/feed/"] * 3
    assert result.report.sources[0].format == "feed"


def test_relative_feed_links_resolve_against_the_feed_address(server):
    result = load_sources([f"{server}/urban/feed"])
    urls = dict(zip(result.posts["title"], result.posts["url"], strict=True))
    assert urls["Rethinking the high street after the pandemic"] == (
        f"{server}/posts/rethinking-the-high-street"
    )
    assert urls["Community wealth building: a primer"] is None  # javascript:, reported
    assert {(p.position, p.field) for p in result.report.dropped_fields} == {
        ("entry 2", "url"),
        ("entry 9", "authors"),
    }


def test_relative_page_links_resolve_against_the_page_address(server):
    result = load_sources([f"{server}/blog/"])
    urls = dict(zip(result.posts["title"], result.posts["url"], strict=True))
    assert urls["A perspective of Households into Work, in light of the COVID-19 pandemic"] == (
        f"{server}/blog/households-into-work/"
    )
    assert urls["Why Milton Friedman got it wrong on Planning"] == (
        "https://civicfutures.example.org/blog/milton-friedman-planning/"
    )
    assert [(p.position, p.field) for p in result.report.problems] == [("line 55", "url")]


def test_csv_url_without_an_extension(server):
    result = load_sources([f"{server}/export?format=csv"])
    assert result.report.sources[0].format == "csv"
    assert titles(result) == [
        "Café culture and the night-time economy",
        "Trickle Down Economics Doesn’t Work: New Public Management and the White Paper",
    ]


def test_wordpress_api_url(server):
    result = load_sources([f"{server}/wp-json/wp/v2/posts?_embed"])
    assert result.report.sources[0].format == "wordpress"
    assert result.posts["authors"].tolist() == [["James Hickson"], ["Tom Arnold"]]


def test_redirect_is_followed(server):
    result = load_sources([f"{server}/old-feed"])
    assert len(result.posts) == 3
    assert result.report.sources[0].source == f"{server}/old-feed"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/no-such-feed.xml", "the server answered HTTP 404 Not Found"),
        ("/broken", "the server answered HTTP 500 Internal Server Error"),
    ],
)
def test_http_errors_are_reported_per_source(server, path, message):
    result = load_sources([f"{server}{path}", f"{server}/blog/feed/"])
    failed, good = result.report.sources
    assert failed.error == message
    assert (failed.read, failed.loaded, failed.rejected) == (0, 0, 0)
    assert good.loaded == 3
    [problem] = result.report.problems
    assert (problem.source, problem.position, problem.reason) == (
        f"{server}{path}",
        "whole source",
        message,
    )


def test_only_failing_urls_is_a_load_error(server):
    with pytest.raises(LoadError, match="HTTP 404"):
        load_sources([f"{server}/missing"])


def test_server_that_never_answers_times_out(silent_server, short_timeout):
    started = time.monotonic()
    with pytest.raises(LoadError) as caught:
        load_sources([silent_server])
    elapsed = time.monotonic() - started
    assert elapsed < short_timeout + 2
    assert caught.value.report.sources[0].error == "no answer within 0.5 s"


def test_a_trickle_is_cut_off_at_the_timeout(server, short_timeout):
    started = time.monotonic()
    with pytest.raises(LoadError) as caught:
        load_sources([f"{server}/trickle"])
    assert time.monotonic() - started < short_timeout + 2
    assert caught.value.report.sources[0].error == "no answer within 0.5 s"


def test_refused_connection_is_unreachable():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on this port now
    with pytest.raises(LoadError) as caught:
        load_sources([f"http://127.0.0.1:{port}/feed"])
    assert caught.value.report.sources[0].error.startswith("unreachable")


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/feed", "http://exa mple.org/feed"])
def test_malformed_url_is_unreachable(url):
    with pytest.raises(LoadError) as caught:
        load_sources([url])
    assert caught.value.report.sources[0].error.startswith("unreachable")


def test_url_and_file_sources_together(server):
    result = load_sources([f"{server}/blog/feed/", FIXTURES / "records" / "posts-array.json"])
    feed, records = result.report.sources
    assert (feed.loaded, feed.merged) == (3, 0)
    assert (records.read, records.loaded, records.merged, records.rejected) == (6, 3, 1, 2)
    assert_counts_add_up(result.report)
