"""Blog pages saved as HTML: turned into the same lines as captured text, links kept aside.

The page text reader then finds the posts; each post's URL is the link whose text is its title
(on an article page, the page's canonical address).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

from dashboard.load.pages import PageRecords, read_page_text, undouble_title
from dashboard.schema import clean_text, title_key

BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hr li main nav ol p pre section table tbody td th thead time tr ul".split()
)
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head"})


class _PageText(HTMLParser):
    """Collects the visible text as lines, the links with their text, and the page's address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.link_stack: list[tuple[str, list[str]]] = []
        self.skipping = 0
        self.canonical: str | None = None
        self.base: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        if tag == "link" and "canonical" in attributes.get("rel", "").lower().split():
            self.canonical = attributes.get("href") or None
        elif tag == "meta" and attributes.get("property") == "og:url" and not self.canonical:
            self.canonical = attributes.get("content") or None
        elif tag == "base" and attributes.get("href"):
            self.base = attributes["href"]
        if tag in BLOCK_TAGS:
            self._break()
        if tag == "a":
            self.link_stack.append((attributes.get("href", ""), []))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_TAGS:
            self.skipping -= 1

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        if tag == "a" and self.link_stack:
            href, parts = self.link_stack.pop()
            text = clean_text(" ".join(parts))
            if href and text:
                self.links.append((text, href))
        if tag in BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        if self.skipping:
            return
        self.current.append(data)
        for _, parts in self.link_stack:
            parts.append(data)

    def _break(self):
        line = clean_text("".join(self.current))
        if line:
            self.lines.append(line)
        self.current = []

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
    page_url = parser.canonical or address
    base = urljoin(address or "", parser.base or "") or page_url
    lines = ([f"URL: {page_url}", ""] if page_url else []) + parser.lines
    result = read_page_text("\n".join(lines), source)
    links = {}
    for link_text, href in parser.links:
        links.setdefault(title_key(undouble_title(link_text)), href)
    for record in result.records:
        href = links.get(title_key(record["title"]))
        if href:
            record["url"] = urljoin(base or "", href)
        elif record["kind"] == "article" and page_url:
            record["url"] = urljoin(base or "", page_url)
    return result
