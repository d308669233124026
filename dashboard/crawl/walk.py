"""Walking a blog's pages: a listing's pagination or a feed's pages, one after another.

When the first page is HTML that announces a WordPress REST API or a feed
(``dashboard.crawl.discover``), the walk pages through that instead, in the order
``discover.listings`` gives, and falls back to the page's own listing only when none of them
can be read.

The walk stops at the first page that brings no post it has not seen already (the end of the
listing, or a numbered page past the end that repeats the last one), at a page that links to no
next page, or at the page cap. When the archive is known to be complete, it also stops at the
first page where every post is already in the archive: what lies beyond is older still."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser

from dashboard.crawl import discover, links
from dashboard.crawl.documents import Document, page_key, post_keys, read_document
from dashboard.crawl.http import Client, Disallowed, FetchError, Response
from dashboard.load import LoadError, feeds, html
from dashboard.load.exports import JSON_FEED
from dashboard.load.text import decode

Progress = Callable[[str, int, int | None, str], None]
LISTING_KINDS = frozenset({"listing", "feed", "record"})
PAGE_FORMATS = frozenset({"html", "page text"})
ARTICLE_SOURCES = frozenset({"listing", "feed"})  # entries whose article page may be read
NOT_FETCHED = "not fetched: "  # how the report names a page robots.txt keeps the crawler from
PAST_THE_END = frozenset({400, 404, 410})  # how numbered pages past the last one answer


@dataclass(frozen=True)
class Known:
    """What the archive already holds: posts by URL and by title and date, and pages read."""

    urls: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    pages: frozenset[str] = frozenset()

    def holds(self, title_key: str, url_key: str | None) -> bool:
        return title_key in self.titles or (url_key is not None and url_key in self.urls)


@dataclass
class Walk:
    """The pages a walk read, the post links they gave, and how the walk ended."""

    documents: list[Document] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # one per post, in page order
    failures: list[tuple[str, str]] = field(default_factory=list)
    reached_end: bool = False  # False when the cap or a failed page stopped it
    stopped_early: bool = False  # stopped where the archive already held every post
    via: str | None = None  # the listing the first page announced, when the walk used it


@dataclass
class _Pager:
    """How the walk finds the next page, decided from the first page."""

    style: str | None = None  # "links", a page-number parameter, or None for a single page
    guessed: bool = False  # the next address is made up, so a 404 there means the end


def walk(
    client: Client,
    start: str,
    *,
    max_pages: int,
    known: Known,
    stop_at_known: bool,
    progress: Progress | None = None,
) -> Walk:
    """Read pages from ``start`` on (see the module docstring).

    Raises FetchError or LoadError when the first page cannot be read or holds no posts.
    """
    first = client.get(start)
    skipped: list[tuple[str, str]] = []  # announced listings that could not be read
    for listing in _announced(first):
        try:
            result = _walk_pages(
                client,
                listing.url,
                None,
                max_pages=max_pages,
                known=known,
                stop_at_known=stop_at_known,
                progress=progress,
            )
        except (FetchError, LoadError) as error:
            not_fetched = NOT_FETCHED if isinstance(error, Disallowed) else ""
            skipped.append((listing.url, not_fetched + _reason(error)))
            continue
        result.via = listing.describe()
        result.failures[:0] = skipped
        return result
    result = _walk_pages(
        client,
        start,
        first,
        max_pages=max_pages,
        known=known,
        stop_at_known=stop_at_known,
        progress=progress,
    )
    result.failures[:0] = skipped
    return result


def _announced(response: Response) -> list[discover.Listing]:
    """The listings an HTML page announces; none for a feed, an API page or a records file."""
    text = decode(response.body)
    if feeds.looks_like_feed(text) or not html.looks_like_html(text):
        return []
    return discover.listings(text, response.final_url)


def _walk_pages(
    client: Client,
    start: str,
    first: Response | None,
    *,
    max_pages: int,
    known: Known,
    stop_at_known: bool,
    progress: Progress | None,
) -> Walk:
    """The walk from ``start``, whose answer ``first`` may already have been fetched."""
    result, pager = Walk(), _Pager()
    seen_titles: set[str] = set()
    seen_urls: set[str] = set()
    visited: set[str] = set()
    url: str | None = start
    while url is not None:
        if len(result.documents) >= max_pages:
            return result  # capped: the rest of the pagination was not read
        number = len(result.documents) + 1
        visited.add(page_key(url))
        try:
            response = first if number == 1 and first is not None else client.get(url)
            document = read_document(url, response.body, response.final_url)
        except (FetchError, LoadError) as error:
            if number == 1:
                raise
            status = getattr(error, "status", None)
            if pager.guessed and status in PAST_THE_END:
                result.reached_end = True
            else:
                result.failures.append((url, _reason(error)))
            return result
        if number == 1 and not document.kinds & LISTING_KINDS:
            if not document.kinds:
                raise LoadError(f"no posts found on {url} (is it a blog listing page or a feed?)")
            result.documents.append(document)  # an article page: nothing to page through
            result.reached_end = True
            return result
        result.documents.append(document)
        fresh, pending = _news(document, seen_titles, seen_urls, known, client)
        result.links.extend(_post_links(document, fresh, start))
        if progress:
            progress("pages", number, None, _page_line(number, response, document, fresh, pending))
        if not fresh:
            result.reached_end = True
            return result
        if stop_at_known and not pending:
            result.reached_end = result.stopped_early = True
            return result
        url = _next(pager, document, response, number)
        if url is None or page_key(url) in visited:
            result.reached_end = True
            return result
    return result


def _news(document, seen_titles, seen_urls, known, client) -> tuple[list[int], int]:
    """Rows not seen earlier in this walk, and how many of them the archive still lacks."""
    fresh, pending = [], 0
    titles, urls = post_keys(document.rows)
    for index, (title_key, url_key) in enumerate(zip(titles, urls, strict=True)):
        url_key = url_key if isinstance(url_key, str) else None
        if title_key in seen_titles or (url_key and url_key in seen_urls):
            continue
        seen_titles.add(title_key)
        if url_key:
            seen_urls.add(url_key)
        fresh.append(index)
        if _lacks(document.rows.iloc[index], title_key, url_key, known, client):
            pending += 1
    return fresh, pending


def _lacks(row, title_key: str, url_key: str | None, known: Known, client: Client) -> bool:
    """Whether the archive lacks this post, or (for an entry that names no author) its
    article page."""
    if _needs_article(row) and url_key and _fetchable(row["url"], row["source"], client):
        return url_key not in known.pages
    return not known.holds(title_key, url_key)


def _needs_article(row) -> bool:
    """A listing or feed entry that names no author: its article page says who wrote it (and
    gives its canonical address and categories). Entries that name their authors are
    complete enough; their article pages are not fetched."""
    authors = row["authors"]
    return row["kind"] in ARTICLE_SOURCES and (authors is None or len(authors) == 0)


def _fetchable(link: str, page: str, client: Client) -> bool:
    if not links.same_site(link, page):
        return False
    try:
        return client.allowed(link)
    except FetchError:
        return True  # unreachable now; the fetch itself will say so


def _post_links(document: Document, rows: list[int], start: str) -> list[str]:
    """Article links of entries that name no author, on the crawled site (other sites are
    not fetched)."""
    chosen = document.rows.iloc[rows]
    return [
        row["url"]
        for _, row in chosen.iterrows()
        if _needs_article(row)
        and isinstance(row["url"], str)
        and links.same_site(row["url"], start)
    ]


def _next(pager: _Pager, document: Document, response: Response, number: int) -> str | None:
    """The address of the page after this one, or None."""
    url = response.url
    if document.format == "wordpress":
        total = response.headers.get("X-WP-TotalPages", "")
        page = links.page_number(url) or 1
        if total.strip().isdigit() and page >= int(total):
            return None
        pager.guessed = True
        return links.following_page(url, "page")
    if document.format == "feed":
        stated = _feed_next(response.body, response.final_url)
        pager.guessed = stated is None
        return stated or links.following_page(url, "paged")
    if document.format == JSON_FEED:
        return _json_feed_next(response.body, response.final_url)
    if document.format not in PAGE_FORMATS:
        return None  # a records file is read whole
    text = decode(response.body)
    if number == 1:
        if links.next_link(text, response.final_url):
            pager.style = "links"
        else:
            pager.style = links.numbered_pages(text, url)
            pager.guessed = pager.style is not None
    if pager.style == "links":
        return links.next_link(text, response.final_url)
    return links.following_page(url, pager.style) if pager.style else None


def _feed_next(body: bytes, address: str) -> str | None:
    """A feed's own link to its next page (RFC 5005 ``<link rel="next">``), if it has one."""
    parsed = feedparser.parse(body, response_headers={"content-location": address})
    for link in parsed.feed.get("links", []):
        if link.get("rel") == "next" and link.get("href"):
            return link["href"]
    return None


def _json_feed_next(body: bytes, address: str) -> str | None:
    """A JSON Feed's ``next_url``, if it states one."""
    try:
        document = json.loads(decode(body))
    except ValueError:
        return None
    stated = document.get("next_url") if isinstance(document, dict) else None
    return urljoin(address, stated) if isinstance(stated, str) and stated.strip() else None


def _reason(error: Exception) -> str:
    return getattr(error, "reason", None) or str(error)


def _page_line(number, response, document, fresh, pending) -> str:
    cached = " (unchanged, from cache)" if response.from_cache else ""
    return (
        f"page {number}: {response.url}{cached}: {len(document.rows)} posts, "
        f"{len(fresh)} not seen before in this crawl, {pending} not yet in the archive"
    )
