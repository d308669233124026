"""Which listing a blog's first page announces: its WordPress REST API or its feeds.

A page's ``<head>`` names them: ``<link rel="https://api.w.org/" href=".../wp-json/">`` for the
WordPress REST API, ``<link rel="alternate" type="application/rss+xml" href=...>`` (or
``application/atom+xml``, ``application/feed+json``) for a feed. The crawler prefers them to the
page's own listing, in this order (``listings``):

1. the feed of the page itself, when the page is an archive within a WordPress site (a
   category, tag or author page announces its own feed, under its own path): it lists exactly
   the page's posts, where the API would list the whole site's;
2. the WordPress REST API's posts, ``wp/v2/posts?_embed=1``: every author and category by name;
3. the page's other feeds, in page order (RSS, Atom, JSON Feed).

Comment feeds (``/comments/feed/``, titled "Comments on ..." or "... Comments Feed") are never
a listing of posts. Pure functions over text and addresses, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from dashboard.crawl.links import with_query

API_REL = "https://api.w.org/"
FEED_TYPES = {
    "application/rss+xml": "RSS feed",
    "application/atom+xml": "Atom feed",
    "application/feed+json": "JSON feed",
}
API = "WordPress REST API"
COMMENTS_TITLE = re.compile(r"^\s*comments\s+on\b|\bcomments\s+feed\s*$", re.IGNORECASE)
COMMENTS_PATH = re.compile(r"/comments/(?:feed/?)?$|/comments/feed/", re.IGNORECASE)


@dataclass(frozen=True)
class Listing:
    """A listing of the blog's posts other than its HTML pages: what it is and where."""

    kind: str  # "WordPress REST API", "RSS feed", "Atom feed", "JSON feed"
    url: str

    def describe(self) -> str:
        """``the RSS feed https://b.org/feed/``, as the crawl summary says which it used."""
        return f"the {self.kind} {self.url}"


class _HeadLinks(HTMLParser):
    """Every ``<link>`` of the page: (rel words, type, href, title)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[list[str], str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag != "link":
            return
        attributes = {name: value or "" for name, value in attrs}
        rel = attributes.get("rel", "").lower().split()
        kind = attributes.get("type", "").split(";")[0].strip().lower()
        href = attributes.get("href", "").strip()
        if href:
            self.links.append((rel, kind, href, attributes.get("title", "")))


def listings(html: str, address: str) -> list[Listing]:
    """The listings the page announces, in the order the crawler tries them (module docstring)."""
    parser = _HeadLinks()
    parser.feed(html)
    parser.close()
    feeds: list[Listing] = []
    api: Listing | None = None
    for rel, kind, href, title in parser.links:
        target = _absolute(address, href)
        if target is None:
            continue
        if API_REL in rel and api is None:
            api = Listing(API, posts_endpoint(target))
        elif (
            "alternate" in rel
            and kind in FEED_TYPES
            and not is_comments_feed(target, title)
            and all(f.url != target for f in feeds)
        ):
            feeds.append(Listing(FEED_TYPES[kind], target))
    if api is None:
        return feeds
    own = [f for f in feeds if _archive_feed(f.url, address, api.url)]
    return [*own, api, *[f for f in feeds if f not in own]]


def posts_endpoint(api_root: str) -> str:
    """The posts of a WordPress REST API root, with ``_embed`` for author and term names:
    ``https://b.org/wp-json/`` -> ``https://b.org/wp-json/wp/v2/posts?_embed=1``, and
    ``https://b.org/?rest_route=/`` (a site without pretty permalinks) likewise."""
    parts = urlsplit(api_root)
    if any(name == "rest_route" for name, _ in parse_qsl(parts.query)):
        return with_query(api_root, rest_route="/wp/v2/posts", _embed=1)
    root = parts._replace(query="", fragment="").geturl()
    return with_query(urljoin(root.rstrip("/") + "/", "wp/v2/posts"), _embed=1)


def is_comments_feed(url: str, title: str = "") -> bool:
    """A feed of comments (the site's or one post's), not of posts."""
    return bool(COMMENTS_PATH.search(urlsplit(url).path) or COMMENTS_TITLE.search(title))


def _archive_feed(feed: str, page: str, api: str) -> bool:
    """Whether ``feed`` is the page's own feed and the page an archive within the site: the
    feed lies under the page's path, which lies below the site's root (where the API is)."""
    page_path = urlsplit(page).path.rstrip("/") + "/"
    site_path = urlsplit(api).path.split("wp-json", 1)[0] if "wp-json" in api else "/"
    within = len(page_path) > len(site_path.rstrip("/") + "/")
    return within and urlsplit(feed).path.startswith(page_path)


def _absolute(base: str, href: str) -> str | None:
    try:
        target = urljoin(base, href)
    except ValueError:
        return None
    return target if urlsplit(target).scheme in ("http", "https") else None
