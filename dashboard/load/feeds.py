"""Syndication feeds (RSS 2.0, RSS 1.0, Atom) through feedparser, and WordPress REST API JSON."""

from __future__ import annotations

from urllib.parse import urljoin

import feedparser

from dashboard.load.report import LoadError, Problem

FEED_MARKERS = ("<rss", "<feed", "<rdf:rdf", "<channel")


def looks_like_feed(text: str) -> bool:
    """True for an RSS or Atom document."""
    head = text[:4096].lower()
    return any(marker in head for marker in FEED_MARKERS)


def read_feed(data: bytes, source: str, address: str | None) -> tuple[list[dict], list[Problem]]:
    """One record per feed entry. The date is read from the entry's own text, so it stays in the
    feed's time zone (feedparser's parsed dates are converted to UTC, which can change the day)."""
    parsed = feedparser.parse(data, response_headers={"content-location": address or ""})
    if not parsed.entries and parsed.get("bozo"):
        reason = parsed.get("bozo_exception")
        raise LoadError(f"not a readable feed ({type(reason).__name__}: {reason})")
    base = address or parsed.feed.get("link") or ""
    records, problems = [], []
    for number, entry in enumerate(parsed.entries, 1):
        published = entry.get("published") or entry.get("updated") or entry.get("created")
        link = entry.get("link") or (entry.get("id") if _is_link(entry.get("id")) else None)
        records.append(
            {
                "title": entry.get("title"),
                "published": published,
                "url": urljoin(base, link) if link else None,
                "summary": entry.get("summary"),
                "authors": _entry_authors(entry),
                "tags": [t.get("term") for t in entry.get("tags", []) if t.get("term")],
                "topics": [],
                "kind": "feed",
                "position": f"entry {number}",
            }
        )
    return records, problems


def _is_link(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _entry_authors(entry) -> list[str]:
    names = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    if not names and entry.get("author"):
        names = [entry["author"]]
    return names


def looks_like_wordpress(items: list) -> bool:
    """True for a page of the WordPress REST API's posts endpoint."""
    first = next((item for item in items if isinstance(item, dict)), None)
    return bool(first) and isinstance(first.get("title"), dict) and "rendered" in first["title"]


def read_wordpress(items: list, source: str) -> tuple[list[dict], list[Problem]]:
    """One record per post object; names of authors and terms need the response ``?_embed``."""
    records, problems = [], []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            problems.append(Problem(source, f"item {number}", "not a JSON object"))
            continue
        embedded = item.get("_embedded") or {}
        authors = [a.get("name") for a in embedded.get("author") or [] if isinstance(a, dict)]
        terms = [
            term.get("name")
            for group in embedded.get("wp:term") or []
            if isinstance(group, list)
            for term in group
            if isinstance(term, dict) and term.get("taxonomy") in ("category", "post_tag")
        ]
        if not embedded and (item.get("categories") or item.get("tags")):
            problems.append(
                Problem(
                    source,
                    f"item {number}",
                    "categories and tags are numeric ids without names (fetch with ?_embed)",
                    field="tags",
                )
            )
        records.append(
            {
                "title": _rendered(item.get("title")),
                "published": item.get("date") or item.get("date_gmt"),
                "url": item.get("link"),
                "summary": _rendered(item.get("excerpt")),
                "authors": [a for a in authors if a],
                "tags": [t for t in terms if t],
                "topics": [],
                "kind": "feed",
                "position": f"item {number}",
            }
        )
    return records, problems


def _rendered(value):
    return value.get("rendered") if isinstance(value, dict) else value
