"""CMS exports read as whole JSON documents: Ghost Content API, WordPress.com REST v1.1 and
JSON Feed 1.0/1.1.

Each is recognised by its keys, never its file name, and gives one record per post with every
author and tag it names (the generic records reader would see their author and tag objects
as a plain list). ``read_export`` picks the reader; ``detect.read`` asks it before reading a
JSON document as records.
"""

from __future__ import annotations

from dashboard.load.fetch import resolve
from dashboard.load.report import Problem
from dashboard.load.spans import ENTRIES, THROUGH_AS_OF, Span
from dashboard.load.tabular import named_items, nameless_problem, object_name

GHOST = "ghost"
WORDPRESS_COM = "wordpress.com"
JSON_FEED = "json feed"
# Keys only a Ghost Content API post has (beside title, url, published_at).
GHOST_KEYS = (
    "primary_author",
    "primary_tag",
    "custom_excerpt",
    "reading_time",
    "feature_image",
    "comment_id",
    "codeinjection_head",
)
JSON_FEED_VERSION = "jsonfeed.org/version/"


def _posts(document) -> list | None:
    """The posts of an API page: ``{"posts": [...]}``, or the bare list."""
    if isinstance(document, dict):
        posts = document.get("posts")
        return posts if isinstance(posts, list) else None
    return document if isinstance(document, list) else None


def _first_object(items: list) -> dict:
    return next((item for item in items if isinstance(item, dict)), {})


def looks_like_ghost(document) -> bool:
    """A Ghost Content API page: posts with ``published_at`` and keys only Ghost gives, or a
    ``{"posts": [...], "meta": {"pagination": ...}}`` page."""
    posts = _posts(document)
    if not posts:
        return False
    first = _first_object(posts)
    meta = document.get("meta") if isinstance(document, dict) else None
    paged = isinstance(meta, dict) and isinstance(meta.get("pagination"), dict)
    return "published_at" in first and (paged or any(key in first for key in GHOST_KEYS))


def looks_like_wordpress_com(document) -> bool:
    """A WordPress.com REST v1.1 page: ``{"found": N, "posts": [...]}`` of posts with ``URL``,
    or posts with ``site_ID``."""
    posts = _posts(document)
    if not posts:
        return False
    first = _first_object(posts)
    found = isinstance(document, dict) and "found" in document
    return "site_ID" in first or (found and "URL" in first)


def looks_like_json_feed(document) -> bool:
    """A JSON Feed: ``{"version": "https://jsonfeed.org/version/1.1", "items": [...]}``."""
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        return False
    version = document.get("version")
    return isinstance(version, str) and JSON_FEED_VERSION in version


def read_export(
    document, source: str, address: str | None
) -> tuple[str, list[dict], list[Problem], Span] | None:
    """(format name, records, problems, span) of a CMS export, or None for any other JSON."""
    if looks_like_json_feed(document):
        records, problems = read_json_feed(document, source, address)
        return JSON_FEED, records, problems, Span(THROUGH_AS_OF)  # as of its newest item
    if looks_like_ghost(document):
        records, problems = read_ghost(_posts(document), source)
        span = Span(ENTRIES if later_ghost_page(document) else THROUGH_AS_OF)
        return GHOST, records, problems, span
    if looks_like_wordpress_com(document):
        records, problems = read_wordpress_com(_posts(document), source)
        return WORDPRESS_COM, records, problems, Span(THROUGH_AS_OF)
    return None


def later_ghost_page(document) -> bool:
    """Whether a Ghost page says it is page 2 or later of its listing (then it covers only the
    days from its oldest post to its newest, like a later page of a blog listing)."""
    meta = document.get("meta") if isinstance(document, dict) else None
    pagination = meta.get("pagination") if isinstance(meta, dict) else None
    page = pagination.get("page") if isinstance(pagination, dict) else None
    return isinstance(page, int) and not isinstance(page, bool) and page > 1


def _record(title, published, url, summary, authors, tags, number: int) -> dict:
    return {
        "title": title,
        "published": published,
        "url": url,
        "summary": summary,
        "authors": authors,
        "tags": tags,
        "topics": [],
        "kind": "feed",
        "position": f"item {number}",
    }


def _not_an_object(source: str, number: int, item) -> Problem:
    return Problem(source, f"item {number}", f"not a JSON object ({type(item).__name__})")


def _names(value, field: str, source: str, number: int, problems: list[Problem]) -> list:
    """The names in an author or tag value (objects, text, or a mix); objects without one
    are reported."""
    if value is None:
        return []
    names, nameless = named_items(value)
    if nameless:
        problems.append(nameless_problem(source, f"item {number}", field, nameless))
    if isinstance(names, str):
        return [names]
    return list(names) if isinstance(names, list) else []


def _first_text(item: dict, *keys: str):
    """The first of ``keys`` whose value is non-empty text; else the first key's value (so a
    title that is not text is rejected as such)."""
    for key in keys:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return item.get(keys[0])


def read_ghost(posts: list, source: str) -> tuple[list[dict], list[Problem]]:
    """One record per Ghost post: its authors in byline order (the primary author first when
    the list leaves it out) and its public tags (internal ones, ``#name`` or ``visibility:
    internal``, are the site's own bookkeeping)."""
    records, problems = [], []
    for number, post in enumerate(posts, 1):
        if not isinstance(post, dict):
            problems.append(_not_an_object(source, number, post))
            continue
        authors = _names(post.get("authors"), "authors", source, number, problems)
        primary = post.get("primary_author")
        if isinstance(primary, dict) and (name := object_name(primary)) and name not in authors:
            authors.insert(0, name)
        tags = post.get("tags")
        if isinstance(tags, list):
            tags = [tag for tag in tags if not _internal_tag(tag)]
        elif _internal_tag(tags):
            tags = None
        tags = _names(tags, "tags", source, number, problems)
        primary_tag = post.get("primary_tag")
        if (
            isinstance(primary_tag, dict)
            and not _internal_tag(primary_tag)
            and (name := object_name(primary_tag))
            and name not in tags
        ):
            tags.insert(0, name)
        records.append(
            _record(
                post.get("title"),
                post.get("published_at"),
                _first_text(post, "url", "canonical_url"),
                _first_text(post, "custom_excerpt", "excerpt", "meta_description"),
                authors,
                tags,
                number,
            )
        )
    return records, problems


def _internal_tag(tag) -> bool:
    if not isinstance(tag, dict):
        return isinstance(tag, str) and tag.startswith("#")
    name = tag.get("name")
    return tag.get("visibility") == "internal" or (isinstance(name, str) and name.startswith("#"))


def read_wordpress_com(posts: list, source: str) -> tuple[list[dict], list[Problem]]:
    """One record per WordPress.com post: its author, and its categories then tags (objects
    keyed by name)."""
    records, problems = [], []
    for number, post in enumerate(posts, 1):
        if not isinstance(post, dict):
            problems.append(_not_an_object(source, number, post))
            continue
        authors = _names(post.get("author"), "authors", source, number, problems)
        terms = [
            *_names(post.get("categories"), "tags", source, number, problems),
            *_names(post.get("tags"), "tags", source, number, problems),
        ]
        records.append(
            _record(
                post.get("title"),
                post.get("date"),
                _first_text(post, "URL", "short_URL"),
                post.get("excerpt"),
                authors,
                terms,
                number,
            )
        )
    return records, problems


def read_json_feed(
    document: dict, source: str, address: str | None
) -> tuple[list[dict], list[Problem]]:
    """One record per JSON Feed item. An item without authors has the feed's (as the
    specification says); links are resolved against the feed's address, else its home page."""
    problems: list[Problem] = []
    feed_authors = _feed_authors(document, source, problems)
    base = address or _text(document.get("home_page_url")) or _text(document.get("feed_url"))
    records = []
    for number, item in enumerate(document["items"], 1):
        if not isinstance(item, dict):
            problems.append(_not_an_object(source, number, item))
            continue
        authors = _names(item.get("authors"), "authors", source, number, problems)
        if not authors:
            authors = _names(item.get("author"), "authors", source, number, problems)
        link = item.get("url")
        if not _text(link) and _text(item.get("id"), web=True):
            link = item["id"]  # an id that is an address, as in Atom
        records.append(
            _record(
                item.get("title"),
                _first_text(item, "date_published", "date_modified"),
                resolve(base, link) if _text(link) else link,
                _first_text(item, "summary", "content_text", "content_html"),
                authors or list(feed_authors),
                _names(item.get("tags"), "tags", source, number, problems),
                number,
            )
        )
    return records, problems


def _feed_authors(document: dict, source: str, problems: list[Problem]) -> list:
    for key in ("authors", "author"):
        names, nameless = named_items(document.get(key))
        if nameless:
            problems.append(nameless_problem(source, "feed", "authors", nameless))
        if isinstance(names, str):
            names = [names]
        if isinstance(names, list) and names:
            return names
    return []


def _text(value, web: bool = False) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    if web and not value.startswith(("http://", "https://")):
        return None
    return value
