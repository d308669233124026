"""Blog pages saved as HTML: turned into the same lines as captured text, links kept aside.

The page text reader then finds the posts; each post's URL is the link whose text is its title
(on an article page, the page's canonical address). Positions refer to lines of the HTML file.
A page in which it finds no ``Posted on:`` dateline is read by its metadata instead
(``dashboard.load.article``), or as a theme's listing page (``dashboard.load.listing``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

from dashboard.load.fetch import is_absolute, resolve
from dashboard.load.pages import FURNITURE, PageRecords, read_page_text, undouble_title
from dashboard.schema import clean_text, title_key

BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table tbody td th thead tr ul".split()
)
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav"})
# Site header and footer hold navigation, not posts; inside an article or main they may hold
# the title and byline, so they are kept there.
FURNITURE_TAGS = frozenset({"header", "footer"})
CONTENT_TAGS = frozenset({"article", "main"})
LINE_POSITION = re.compile(r"^line (\d+)$")
# Links that make up pagers and skip links; a line of nothing else is not part of any post.
LINK_FURNITURE = re.compile(r"^(skip to (main )?content|first|last|…|\.\.\.)$", re.IGNORECASE)


class _PageText(HTMLParser):
    """Collects the visible text as lines, the links with their text, and the page's address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line_numbers: list[int] = []  # the HTML line where each text line starts
        self.current: list[str] = []
        self.current_line = 1
        self.started = False
        self.line_links: list[str] = []  # texts of the links on the current line
        self.line_has_text = False  # text outside any link on the current line
        self.links: list[tuple[str, str]] = []
        self.link_stack: list[tuple[str, list[str]]] = []
        self.skipping: list[str] = []
        self.content = 0
        self.canonical: str | None = None
        self.og_url: str | None = None
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "body":
            self.skipping = [t for t in self.skipping if t != "head"]  # </head> may be omitted
        if tag in SKIPPED_TAGS or (tag in FURNITURE_TAGS and not self.content):
            self.skipping.append(tag)
        if tag in CONTENT_TAGS:
            self.content += 1
        if tag == "link" and "canonical" in attributes.get("rel", "").lower().split():
            self.canonical = self.canonical or attributes.get("href") or None
        elif tag == "meta" and attributes.get("property") == "og:url":
            self.og_url = self.og_url or attributes.get("content") or None
        elif tag == "base" and attributes.get("href"):
            self.base = self.base or attributes["href"]
        if tag in BLOCK_TAGS:
            self._break()
        if tag == "a":
            if self.link_stack:  # links do not nest: a new one ends the open one
                self.handle_endtag("a")
            self.link_stack.append((attributes.get("href", ""), []))

    def parse_marked_section(self, i, report=1):
        """``<![...]>`` sections the standard library cannot name (``<![ if]>``, a broken
        ``<![CDATA[``) are skipped up to the next ``>``, as browsers do, rather than raising."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_TAGS or tag in FURNITURE_TAGS:
            self._close(tag)
        if tag in CONTENT_TAGS:
            self.content = max(0, self.content - 1)

    def handle_endtag(self, tag):
        self._close(tag)
        if tag in CONTENT_TAGS:
            self.content = max(0, self.content - 1)
        if tag == "a" and self.link_stack:
            href, parts = self.link_stack.pop()
            text = clean_text(" ".join(parts))
            if href and text:
                self.links.append((text, href))
            if text:
                self.line_links.append(text)
        if tag in BLOCK_TAGS:
            self._break()

    def _close(self, tag):
        if tag in self.skipping:
            at = len(self.skipping) - 1 - self.skipping[::-1].index(tag)
            del self.skipping[at:]

    def handle_data(self, data):
        if self.skipping:
            return
        if not self.started and data.strip():
            self.started = True
            leading = data[: len(data) - len(data.lstrip())]
            self.current_line = self.getpos()[0] + leading.count("\n")
        self.current.append(data)
        if not self.link_stack and data.strip():
            self.line_has_text = True
        for _, parts in self.link_stack:
            parts.append(data)

    def _break(self):
        line = clean_text("".join(self.current))
        if (
            line
            and not self.line_has_text
            and self.line_links
            and all(FURNITURE.match(text) or LINK_FURNITURE.match(text) for text in self.line_links)
        ):
            line = None  # a pager or skip link
        if line:
            self.lines.append(line)
            self.line_numbers.append(self.current_line)
        self.current = []
        self.started = False
        self.line_links = []
        self.line_has_text = False

    def close(self):
        super().close()
        self._break()


def looks_like_html(text: str) -> bool:
    """True for an HTML document (doctype, <html>, <body> or block markup near the start)."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or any(
        marker in head for marker in ("<body", "<div", "<article", "<p>", "<h1", "<h2")
    )


def read_html_page(text: str, source: str, address: str | None) -> PageRecords:
    """Posts of one HTML page, with URLs from the title links or the page's canonical address."""
    parser = _PageText()
    parser.feed(text)
    parser.close()
    stated = parser.canonical or parser.og_url
    page_url = resolve(address, stated) if stated else address
    known = page_url if page_url and is_absolute(page_url) else address  # usable as a base
    base = resolve(known, parser.base) if parser.base else known
    lines = ([f"URL: {known}", ""] if known else []) + parser.lines
    result = read_page_text("\n".join(lines), source)
    if not result.records and not result.problems:
        # No 'Posted on:' dateline: an article page of another site, read by its metadata,
        # or a theme's listing page.
        # Imported here: lxml and extruct load only for the pages that need them.
        from dashboard.load.article import read_article_page

        return read_article_page(text, source, address)
    links: dict[str, str] = {}
    for link_text, href in parser.links:
        key = title_key(undouble_title(link_text))
        if key not in links or (_is_fallback(links[key]) and not _is_fallback(href)):
            links[key] = href  # a real address beats a "#" or javascript: placeholder
    for record in result.records:
        href = links.get(title_key(record["title"] or ""))
        if record["kind"] == "article" and page_url:
            record["url"] = page_url  # reported by normalisation if it is still relative
        elif href:
            record["url"] = resolve(base, href)
    offset = 2 if known else 0
    html_line = _html_line(parser.line_numbers, offset)
    for record in result.records:
        record["position"] = html_line(record["position"])
    problems = [replace(p, position=html_line(p.position)) for p in result.problems]
    return PageRecords(known, result.records, problems, result.captured)


def _is_fallback(href: str) -> bool:
    text = href.strip().lower()
    return text.startswith(("#", "javascript:", "mailto:", "data:")) or not text


def _html_line(numbers: list[int], offset: int):
    """Turns 'line N' of the extracted text into 'line M' of the HTML file."""

    def convert(position: str) -> str:
        match = LINE_POSITION.match(position or "")
        index = int(match.group(1)) - 1 - offset if match else -1
        return f"line {numbers[index]}" if 0 <= index < len(numbers) else position

    return convert
