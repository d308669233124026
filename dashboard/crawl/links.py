"""What a page says about where to go next: pagination links, page numbers in addresses, and the
categories an article page names. Pure functions over text and addresses, no network.

Pagination is read from the markup any blog engine produces (``rel="next"``, WordPress's
``a.next.page-numbers``, a link whose text is "Next" or "Older posts", ``?page=N`` or
``/page/N/``), never from the CSS classes of one site.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from dashboard.schema import clean_text

# A link's text (arrows and punctuation stripped) that points to the next, older page.
NEXT_TEXT = re.compile(
    r"^(?:next(?: page)?|older(?: posts| entries| articles)?|more (?:posts|articles)|"
    r"previous (?:posts|entries)|earlier (?:posts|entries))$",
    re.IGNORECASE,
)
ARROWS = "»›→>.…<«‹← \u00a0"
PAGE_PARAMS = ("page", "paged", "pg")
PAGE_PATH = "/page/N/"  # the style of pages numbered in the path, as WordPress themes number them
PATH_NUMBER = re.compile(r"/page/(\d+)/?$")


class _Links(HTMLParser):
    """Collects ``rel=next`` targets, every link with its text, and category or tag names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rel_next: list[str] = []
        self.anchors: list[tuple[str, str]] = []  # (href, text or aria-label)
        self.tags: list[str] = []
        self._open: list[tuple[str, str, bool, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        rel = attributes.get("rel", "").lower().split()
        href = attributes.get("href", "").strip()
        classes = set(attributes.get("class", "").split())
        if tag in ("link", "a") and "next" in rel and href:
            self.rel_next.append(href)
        elif tag == "a" and {"next", "page-numbers"} <= classes and href:
            self.rel_next.append(href)  # WordPress's paginate_links(): its label may be "»"
        if tag == "meta" and attributes.get("property") in ("article:tag", "article:section"):
            self.tags.extend(filter(None, [clean_text(attributes.get("content"))]))
        if tag == "a":
            is_tag = bool({"tag", "category"} & set(rel))
            self._open.append((href, attributes.get("aria-label", ""), is_tag, []))

    def handle_endtag(self, tag):
        if tag != "a" or not self._open:
            return
        href, label, is_tag, parts = self._open.pop()
        text = clean_text(" ".join(parts)) or ""
        if not text.strip(ARROWS):  # an arrow alone: its label says where it leads
            text = clean_text(label) or text
        if href:
            self.anchors.append((href, text))
        if is_tag and text:
            self.tags.append(text)

    def handle_data(self, data):
        for _, _, _, parts in self._open:
            parts.append(data)


def scan(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser


def next_link(html: str, address: str) -> str | None:
    """The next (older) page this page links to: ``rel="next"`` first, then a "Next" link."""
    links = scan(html)
    candidates = links.rel_next + [
        href for href, text in links.anchors if NEXT_TEXT.match(text.strip(ARROWS))
    ]
    for href in candidates:
        target = _absolute(address, href)
        if target and same_site(target, address) and not _same_page(target, address):
            return target
    return None


def page_number(url: str, param: str = "page") -> int | None:
    """The page number ``url`` states in its query (``?page=3`` -> 3), if any."""
    for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if name == param and value.strip().isdigit():
            return int(value)
    return None


def numbered_pages(html: str, address: str) -> str | None:
    """How this page numbers its pages, if it does: a query parameter (``page``, ``paged``)
    found in the address itself or in links to the same path, else ``PAGE_PATH`` when the
    address or a link on the same site is its path followed by ``/page/N/``."""
    path = urlsplit(address).path
    urls = [address] + [_absolute(address, href) or "" for href, _ in scan(html).anchors]
    for param in PAGE_PARAMS:
        for url in urls:
            if urlsplit(url).path == path and page_number(url, param) is not None:
                return param
    base = _unnumbered(path)
    for url in urls:
        parts = urlsplit(url)
        numbered = PATH_NUMBER.search(parts.path) and _unnumbered(parts.path) == base
        if numbered and same_site(url, address):
            return PAGE_PATH
    return None


def _unnumbered(path: str) -> str:
    """A path without its ``/page/N/`` ending, with one trailing slash."""
    return PATH_NUMBER.sub("", path).rstrip("/") + "/"


def with_query(url: str, **params: str | int) -> str:
    """``url`` with the given query parameters set (others kept, in order)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def following_page(url: str, param: str) -> str:
    """The address of the page after ``url`` when pages are numbered by ``param`` (from 1), or
    in the path (``PAGE_PATH``: ``/blog/`` -> ``/blog/page/2/`` -> ``/blog/page/3/``)."""
    if param == PAGE_PATH:
        parts = urlsplit(url)
        match = PATH_NUMBER.search(parts.path)
        number = int(match.group(1)) if match else 1
        path = f"{_unnumbered(parts.path)}page/{number + 1}/"
        return urlunsplit(parts._replace(path=path))
    return with_query(url, **{param: (page_number(url, param) or 1) + 1})


def category_tags(html: str) -> list[str]:
    """Categories and tags an article page names: ``rel="tag"``/``rel="category"`` links and
    ``article:tag``/``article:section`` metadata (what WordPress and most themes print)."""
    return list(dict.fromkeys(scan(html).tags))


def same_site(url: str, other: str) -> bool:
    """Whether two addresses are on the same host (``www.`` ignored)."""
    return _host(url) == _host(other) != ""


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _absolute(base: str, href: str) -> str | None:
    if href.startswith("#") or href.lower().startswith(("javascript:", "mailto:")):
        return None
    try:
        target = urljoin(base, href)
    except ValueError:
        return None
    return target if urlsplit(target).scheme in ("http", "https") else None


def _same_page(url: str, other: str) -> bool:
    return urlsplit(url)._replace(fragment="") == urlsplit(other)._replace(fragment="")
