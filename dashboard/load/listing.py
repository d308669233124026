"""Listing pages of common blog themes (WordPress, Ghost, Hugo, Jekyll), read by their markup.

An *entry* is an outermost ``<article>``, ``.post``, ``.hentry`` / ``.h-entry``, ``.post-card``,
``.post-entry`` or ``.type-post`` block, or an item of a ``.post-list``, whose title is a link:
the block's first ``.entry-title`` / ``.post-title`` / ``.p-name`` / ``.post-card-title`` (else
its first heading) with a link inside it or around it. A block whose title is no link (an
article page's own ``<h1>``) is not an entry. Of each entry:

- title and URL: the title's text and its link, resolved against the page's address;
- date: ``<time datetime>`` (``.published`` or ``[itemprop=datePublished]`` first), else the
  text of a ``<time>`` or of a ``.entry-date`` / ``.post-date`` / ``.post-meta`` / ``.date``;
- authors, in byline order: ``rel="author"`` links, ``.author`` / ``.p-author`` /
  ``.post-author`` / ``.author-name`` elements (the names of the links or ``.fn`` inside one),
  links to ``/author/...`` pages;
- tags: ``rel="tag"`` and ``rel="category"`` links, as the page gives them;
- summary: ``.entry-summary``, ``.p-summary``, ``.entry-excerpt``, ``.post-excerpt``,
  ``.post-card-excerpt``, ``.excerpt``, ``.entry-content``, ``.post-summary``, else the
  first paragraph.

A page is a listing when it holds two entries or more, or one on a later page of a listing
(``/page/3/``). ``dashboard.load.article`` asks this reader first for a page that does not
declare itself an article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from dashboard.load.fetch import is_absolute, resolve
from dashboard.load.pages import PageRecords, parse_html
from dashboard.load.report import Problem
from dashboard.load.spans import first_listing_page
from dashboard.load.text import parse_date_text
from dashboard.schema import clean_text


def _class(*names: str) -> str:
    """An XPath test: the element's class list holds one of ``names``."""
    tests = (f"contains(concat(' ', normalize-space(@class), ' '), ' {n} ')" for n in names)
    return " or ".join(tests)


def _rel(*names: str) -> str:
    tests = (f"contains(concat(' ', normalize-space(@rel), ' '), ' {n} ')" for n in names)
    return " or ".join(tests)


ENTRY_CLASSES = ("post", "hentry", "h-entry", "post-card", "post-entry", "type-post")
BLOCKS = lxml.etree.XPath(
    f"//article | //*[{_class(*ENTRY_CLASSES)}] | //*[{_class('post-list')}]/li"
)
TITLES = lxml.etree.XPath(
    f".//*[{_class('entry-title', 'post-title', 'p-name', 'post-card-title')}]"
    " | .//h1 | .//h2 | .//h3 | .//h4"
)
TITLE_CLASSES = lxml.etree.XPath(
    f"self::*[{_class('entry-title', 'post-title', 'p-name', 'post-card-title')}]"
)
PUBLISHED_TIMES = lxml.etree.XPath(
    f".//time[@datetime][{_class('published')} or @itemprop='datePublished' or @pubdate]"
)
TIMES = lxml.etree.XPath(".//time")
DATE_TEXT = lxml.etree.XPath(
    f".//*[{_class('entry-date', 'post-date', 'post-meta', 'date', 'published')}]"
)
AUTHORS = lxml.etree.XPath(
    f".//*[{_class('author', 'p-author', 'post-author', 'author-name')}]"
    f" | .//a[{_rel('author')}] | .//a[contains(@href, '/author/')]"
)
AUTHOR_NAMES = lxml.etree.XPath(f".//*[{_class('fn', 'p-name')}] | .//a")
TAGS = lxml.etree.XPath(f".//a[{_rel('tag', 'category')}]")
SUMMARIES = lxml.etree.XPath(
    ".//*["
    + _class(
        "entry-summary",
        "p-summary",
        "entry-excerpt",
        "post-excerpt",
        "post-card-excerpt",
        "excerpt",
        "entry-content",
        "post-summary",
    )
    + "]"
)
PARAGRAPHS = lxml.etree.XPath(".//p[not(ancestor::h1 or ancestor::h2 or ancestor::h3)]")
BY = re.compile(r"^(?:posted\s+)?by\s+", re.IGNORECASE)
READ_MORE = re.compile(
    r"\s*(?:\[?(?:…|\.\.\.)\]?\s*)?(?:read more|continue reading)\b.*$", re.IGNORECASE
)


@dataclass
class Entry:
    """One entry of a listing page, as its markup states it."""

    title: str
    href: str
    line: int | None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str | None = None


def read_listing_page(text: str, source: str, address: str | None) -> PageRecords | None:
    """The entries of a theme's listing page, or None when the page is not one (see the
    module docstring). Entries without a date are reported."""
    tree = parse_html(text)
    if tree is None:
        return None
    page_url = _page_url(tree, address)
    entries = listing_entries(tree)
    later = page_url is not None and not first_listing_page(page_url)
    if len(entries) < 2 and not (entries and later):
        return None
    base = _base(tree, address, page_url)
    records, problems = [], []
    for entry in entries:
        position = f"line {entry.line}" if entry.line else "page markup"
        if not entry.published:
            shown = entry.title if len(entry.title) <= 60 else entry.title[:57] + "..."
            reason = f"listing entry {shown!r} states no date (<time datetime>, .entry-date)"
            problems.append(Problem(source, position, reason))
            continue
        records.append(
            {
                "title": entry.title,
                "published": entry.published,
                "url": resolve(base, entry.href),
                "summary": entry.summary,
                "authors": entry.authors,
                "tags": entry.tags,
                "topics": [],
                "kind": "listing",
                "position": position,
            }
        )
    return PageRecords(page_url, records, problems)


def listing_entries(tree) -> list[Entry]:
    """The entries of a parsed page, in page order (see the module docstring).

    A block holding two entries or more is a wrapper and gives them; a block whose title is
    not a link is an article (its nested blocks are related posts), and gives nothing.
    """
    blocks = BLOCKS(tree)
    chosen = set(blocks)
    nested: dict = {}
    top = []
    for block in blocks:
        parent = next((a for a in block.iterancestors() if a in chosen), None)
        (top if parent is None else nested.setdefault(parent, [])).append(block)

    def entries_of(group: list) -> list[Entry]:
        found = []
        for block in group:
            own, heading = _entry(block)
            if own is None and heading is not None:
                continue  # an article's own title: what it holds is not a listing
            inner = entries_of(nested.get(block, []))
            found.extend(inner if len(inner) >= 2 or own is None else [own])
        return found

    return entries_of(top)


def _entry(block) -> tuple[Entry | None, object]:
    """The block's entry (None when its title is not a link), and its title element."""
    titles = TITLES(block)
    named = [t for t in titles if TITLE_CLASSES(t)]
    heading = (named or titles or [None])[0]
    if heading is None:
        return None, None
    link = next((a for a in heading.iter("a") if (a.get("href") or "").strip()), None)
    if link is None:
        link = next((a for a in heading.iterancestors("a") if (a.get("href") or "").strip()), None)
    title = clean_text(heading.text_content())
    href = (link.get("href") or "").strip() if link is not None else ""
    if not title or not href or href.startswith(("#", "javascript:", "mailto:")):
        return None, heading
    entry = Entry(
        title=title,
        href=href,
        line=block.sourceline,
        published=_date(block),
        authors=_authors(block),
        tags=_unique(clean_text(a.text_content()) for a in TAGS(block)),
        summary=_summary(block),
    )
    return entry, heading


def _date(block) -> str | None:
    stated = [t.get("datetime") for t in PUBLISHED_TIMES(block)]
    stated += [t.get("datetime") for t in TIMES(block) if t.get("datetime")]
    stated += [t.text_content() for t in TIMES(block)]
    stated += [e.text_content() for e in DATE_TEXT(block)]
    for value in stated:
        day = parse_date_text(clean_text(value) or "") if value else None
        if day:
            return day.isoformat()
    return None


def _authors(block) -> list[str]:
    """Names in byline order; an author element inside another is part of it."""
    elements = AUTHORS(block)
    taken = set()
    names = []
    for element in elements:
        if any(ancestor in taken for ancestor in element.iterancestors()):
            continue
        taken.add(element)
        inner = [e for e in AUTHOR_NAMES(element) if e is not element]
        parts = [e.text_content() for e in inner] or [element.text_content()]
        names.extend(BY.sub("", clean_text(part) or "").strip(" ,;") for part in parts)
    return _unique(names)


def _summary(block) -> str | None:
    """The entry's excerpt: a marked one, else its first paragraph."""
    for element in [*SUMMARIES(block), *PARAGRAPHS(block)]:
        text = READ_MORE.sub("", clean_text(element.text_content()) or "")
        if text:
            return text
    return None


def _unique(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _page_url(tree, address: str | None) -> str | None:
    """The page's canonical address (``<link rel="canonical">``, ``og:url``), else ``address``."""
    stated = [
        link.get("href")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")
    ]
    stated += [m.get("content") for m in tree.iter("meta") if m.get("property") == "og:url"]
    for value in stated:
        url = resolve(address, value.strip()) if value and value.strip() else None
        if url and is_absolute(url):
            return url
    return address if is_absolute(address) else None


def _base(tree, address: str | None, page_url: str | None) -> str | None:
    known = address if is_absolute(address) else page_url
    base = next((b.get("href") for b in tree.iter("base") if b.get("href")), None)
    return resolve(known, base) if base else known
