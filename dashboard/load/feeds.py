"""Syndication feeds (RSS 2.0, RSS 1.0, Atom) through feedparser, and WordPress REST API JSON."""

from __future__ import annotations

import re
from xml.sax import SAXException

import feedparser

from dashboard.load.fetch import resolve
from dashboard.load.report import LoadError, Problem

FEED_ROOTS = ("rss", "feed", "rdf", "channel")
PROLOGUE = (("<?", "?>"), ("<!--", "-->"), ("<!", ">"))  # declaration, comments, doctype
ELEMENT_NAME = re.compile(r"<([\w:.-]+)")
SPACE = re.compile(r"\s*")
SUBSET_END = re.compile(r"\]\s*>")  # the end of a doctype's internal subset
CHARACTER_REFERENCE = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")


def looks_like_feed(text: str) -> bool:
    """True for an RSS or Atom document: its root element is rss, feed or rdf:RDF."""
    name = root_element(text[:65536])
    return name is not None and name.lower().rsplit(":", 1)[-1] in FEED_ROOTS


def root_element(text: str) -> str | None:
    """The name of the first element, after any XML declaration, comments and doctype."""
    at = 0
    while True:
        at = SPACE.match(text, at).end()
        for opening, closing in PROLOGUE:
            if text.startswith(opening, at):
                end = text.find(closing, at + len(opening))
                if end < 0:
                    return None
                if opening == "<!" and "[" in text[at:end]:  # <!DOCTYPE rss [<!ENTITY ...>]>
                    subset = SUBSET_END.search(text, at)
                    if subset is None:
                        return None
                    end = subset.end() - len(closing)
                at = end + len(closing)
                break
        else:
            match = ELEMENT_NAME.match(text, at)
            return match.group(1) if match else None


def read_feed(
    data: bytes, source: str, address: str | None
) -> tuple[list[dict], list[Problem], str | None]:
    """One record per feed entry, and the date the feed was built as it states it (RSS
    ``lastBuildDate``, Atom ``updated``), if it does. Dates are read from the feed's own text,
    so they stay in the feed's time zone (feedparser's parsed dates are converted to UTC, which
    can change the day)."""
    headers = {"content-location": address or "", "content-type": "application/xml"}
    try:
        parsed = feedparser.parse(_valid_references(data), response_headers=headers)
    except Exception as error:  # feedparser's lenient parser fails in many ways (KeyError ...)
        raise LoadError(f"not a readable feed ({type(error).__name__})") from None
    broken = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries and broken is not None:
        raise LoadError(f"not a readable feed ({type(broken).__name__}: {broken})")
    problems = []
    if isinstance(broken, SAXException):
        problems.append(
            Problem(
                source,
                "document",
                f"not well-formed XML ({broken}); read leniently, so entries "
                "may be missing or garbled",
                field="entries",
            )
        )
    base = address or parsed.feed.get("link") or ""
    atom = str(parsed.get("version", "")).startswith("atom")
    records = []
    for number, entry in enumerate(parsed.entries, 1):
        # dict.get: feedparser's own lookup maps a missing "updated" to "published", with a
        # deprecation warning.
        published = next(
            (
                dict.get(entry, key)
                for key in ("published", "updated", "created")
                if dict.get(entry, key)
            ),
            None,
        )
        link = entry.get("link")
        if not link and atom and _is_link(entry.get("id")):
            link = entry["id"]  # an Atom id that is an address; RSS guids are not, unless stated
        authors, email = _entry_authors(entry)
        if email:
            problems.append(
                Problem(
                    source,
                    f"entry {number}",
                    f"the author is an email address, not a name: {email}",
                    field="authors",
                )
            )
        records.append(
            {
                "title": entry.get("title"),
                "published": published,
                "url": resolve(base, link) if isinstance(link, str) and link else None,
                "summary": entry.get("summary"),
                "authors": authors,
                "tags": [t.get("term") for t in entry.get("tags", []) if t.get("term")],
                "topics": [],
                "kind": "feed",
                "position": f"entry {number}",
            }
        )
    built = dict.get(parsed.feed, "updated")
    return records, problems, built if isinstance(built, str) else None


def _valid_references(data: bytes) -> bytes:
    """Character references to no character (a UTF-16 surrogate, as some sites write emoji, or
    past U+10FFFF) as U+FFFD: feedparser's lenient parser raises on them, losing the whole feed."""
    if b"&#" not in data:
        return data

    def valid(match: re.Match) -> bytes:
        ref = match.group(1)
        hexadecimal = ref[:1] in b"xX"
        digits = (ref[1:] if hexadecimal else ref).lstrip(b"0") or b"0"
        code = int(digits, 16 if hexadecimal else 10) if len(digits) <= 8 else -1
        good = 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
        return match.group() if good else b"&#xFFFD;"

    return CHARACTER_REFERENCE.sub(valid, data)


def _is_link(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _entry_authors(entry) -> tuple[list[str], str | None]:
    """The entry's author names, and an RSS ``<author>`` that is only an email address."""
    names = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    author = entry.get("author")
    if names or not isinstance(author, str) or not author.strip():
        return names, None
    if "@" in author and " " not in author.strip():
        return [], author.strip()
    return [author], None


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
        embedded = item.get("_embedded")
        embedded = embedded if isinstance(embedded, dict) else {}
        authors = [a.get("name") for a in _list(embedded.get("author")) if isinstance(a, dict)]
        terms = [
            term.get("name")
            for group in _list(embedded.get("wp:term"))
            for term in _list(group)
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
        if not embedded and item.get("author"):
            problems.append(
                Problem(
                    source,
                    f"item {number}",
                    "the author is a numeric id without a name (fetch with ?_embed)",
                    field="authors",
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


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _rendered(value):
    return value.get("rendered") if isinstance(value, dict) else value
