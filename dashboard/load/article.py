"""Article pages of any site, read by the metadata they declare rather than by their layout.

The page is parsed once with lxml. Comment sections are removed first, so a commenter is never
credited. Then each field is taken from the first of these that states it:

- title: JSON-LD ``headline`` (``name``), ``og:title``, microdata ``headline``, the hentry's
  ``.entry-title``, ``<title>``; a trailing `` | Site`` (`` - ``, `` – ``, `` — ``) is dropped
  when it is the page's ``og:site_name`` or its JSON-LD publisher or site name;
- date: JSON-LD ``datePublished`` (``dateCreated``), ``article:published_time``, microdata
  ``datePublished``, the hentry's ``published``, a ``<time datetime>`` (``time.published``,
  ``[itemprop=datePublished]`` and ``[pubdate]`` first);
- authors (byline order): JSON-LD ``author`` (objects, lists or strings), ``article:author``
  names, ``<meta name="author">``, microdata ``author``, the hentry's ``.author`` (vcard),
  ``rel="author"`` links;
- URL: ``<link rel="canonical">``, ``og:url``, else the page's address;
- tags, as the page gives them: JSON-LD ``articleSection`` and ``keywords``,
  ``article:section`` and ``article:tag``;
- summary: JSON-LD ``description``, ``og:description``, ``<meta name="description">``.

extruct reads JSON-LD and microdata and mf2py (through which extruct reads microformats) the
hentry; the code here only chooses among what they found. A page that states no title or no
date is reported with what was missing. A page that does not declare itself an article is first
offered to ``dashboard.load.listing``: a theme's listing page gives its entries instead.
"""

from __future__ import annotations

import copy
import re
import warnings
from dataclasses import dataclass, field
from datetime import date

import lxml.etree
import lxml.html
import mf2py
from extruct.jsonld import JsonLdExtractor
from extruct.w3cmicrodata import MicrodataExtractor

from dashboard.load.fetch import is_absolute, resolve
from dashboard.load.listing import read_listing_page
from dashboard.load.pages import PageRecords, parse_html
from dashboard.load.report import Problem
from dashboard.load.text import parse_date_text
from dashboard.schema import clean_text

# schema.org types of a post (the Article family); a Comment or a WebPage is not one.
ARTICLE_TYPES = frozenset(
    "Article BlogPosting NewsArticle AnalysisNewsArticle OpinionNewsArticle ReportageNewsArticle "
    "ReviewNewsArticle BackgroundNewsArticle ScholarlyArticle TechArticle Report "
    "LiveBlogPosting SocialMediaPosting".split()
)
SITE_TYPES = frozenset({"WebSite", "Organization", "NewsMediaOrganization"})
POSITION = "page metadata"


def _class(*names: str) -> str:
    """An XPath test: the element's class list holds one of ``names``."""
    tests = (f"contains(concat(' ', normalize-space(@class), ' '), ' {n} ')" for n in names)
    return " or ".join(tests)


# Comment sections: removed before anything is read, so commenters are never credited.
COMMENT_SECTIONS = lxml.etree.XPath(
    "//*[@id='comments' or @id='respond' or @id='disqus_thread' or "
    + _class("comment", "comments", "comment-list", "commentlist", "comments-area")
    + " or contains(@itemtype, 'schema.org/Comment')]"
)
HENTRY = lxml.etree.XPath(f"//*[{_class('hentry', 'h-entry')}]")
ENTRY_TITLE = lxml.etree.XPath(f".//*[{_class('entry-title', 'p-name')}]")
ENTRY_CONTENT = lxml.etree.XPath(f".//*[{_class('entry-content', 'e-content')}]")
PUBLISHED_TIME = lxml.etree.XPath(
    f"//time[@datetime][{_class('published')} or @itemprop='datePublished' or @pubdate]"
)
CONTENT_TIME = lxml.etree.XPath("(//article | //main)//time[@datetime]")
ANY_TIME = lxml.etree.XPath("//time[@datetime]")
AUTHOR_LINKS = lxml.etree.XPath(
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]"
)
# Wrappers some pages put around their JSON-LD: <!-- -->, <![CDATA[ ]]>, //<![CDATA[ //]]>.
JSONLD_OPEN = re.compile(r"^\s*(?:(?://|/\*)?\s*<!\[CDATA\[\s*(?:\*/)?|<!--)")
JSONLD_CLOSE = re.compile(r"(?:(?://|/\*)?\s*\]\]>\s*(?:\*/)?|-->)\s*$")
TITLE_SUFFIX = re.compile(r"^(?P<title>.+?)\s+[|\-–—]\s+(?P<suffix>[^|\-–—]+)$")
MAX_ENTRY = 200_000  # characters of hentry markup (without its content) worth giving mf2py


@dataclass
class ArticleMetadata:
    """What an article page states about its post, and what says whether it is one."""

    title: str | None = None
    published: date | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    summary: str | None = None
    site_names: list[str] = field(default_factory=list)
    unreadable_jsonld: int = 0  # JSON-LD blocks that are not valid JSON
    declared: bool = False  # the page says it is an article (JSON-LD, og:type, microdata)
    entries: int = 0  # outermost hentry or <article> elements: more than one is a listing's


def article_metadata(text: str, address: str | None) -> ArticleMetadata | None:
    """The metadata of one HTML page; None when lxml cannot parse it at all."""
    tree = parse_html(text)
    if tree is None:
        return None
    for section in COMMENT_SECTIONS(tree):
        if section.getparent() is not None:
            section.drop_tree()
    meta = _meta_tags(tree)
    found = ArticleMetadata()
    objects, found.unreadable_jsonld = _jsonld(tree)
    article = next((o for o in _walk(objects) if _types(o) & ARTICLE_TYPES), {})
    microdata = _microdata(tree, address)
    entry = _hentry(tree)

    found.declared = bool(
        article
        or microdata
        or "article" in meta.get("og:type", [])
        or meta.get("article:published_time")
    )
    found.entries = _outermost_entries(tree)
    found.site_names = _unique(
        [*meta.get("og:site_name", []), *_names(article.get("publisher"))]
        + [_text(o.get("name")) for o in _walk(objects) if _types(o) & SITE_TYPES]
    )
    found.title = _first_text(
        article.get("headline"),
        article.get("name"),
        *meta.get("og:title", []),
        microdata.get("headline"),
        *entry.get("name", []),
        _title_element(tree),
    )
    if found.title:
        found.title = _without_site_suffix(found.title, found.site_names)
    found.published = _first_date(
        article.get("datePublished"),
        article.get("dateCreated"),
        *meta.get("article:published_time", []),
        microdata.get("datePublished"),
        *entry.get("published", []),
        *entry.get("updated", []),
        *(t.get("datetime") for t in PUBLISHED_TIME(tree)),
        *(t.get("datetime") for t in CONTENT_TIME(tree)[:1]),
        *(t.get("datetime") for t in ANY_TIME(tree)[:1]),
    )
    found.authors = (
        _names(article.get("author"))
        or _names(meta.get("article:author", []))
        or _names(meta.get("author", []))
        or _names(microdata.get("author"))
        or _names(entry.get("author", []))
        or _unique([clean_text(a.text_content()) for a in AUTHOR_LINKS(tree)])
    )
    canonical = [
        link.get("href")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    stated = _first_text(*canonical, *meta.get("og:url", []))
    found.url = resolve(address, stated) if stated else address
    found.tags = _unique(
        _keywords(article.get("articleSection"))
        + _keywords(article.get("keywords"))
        + meta.get("article:section", [])
        + meta.get("article:tag", [])
    )
    found.summary = _first_text(
        article.get("description"), *meta.get("og:description", []), *meta.get("description", [])
    )
    return found


def read_article_page(text: str, source: str, address: str | None) -> PageRecords:
    """The post of an article page read by its metadata, or a problem that says what it lacks."""
    found = article_metadata(text, address)
    if found is None:
        problem = Problem(source, POSITION, "not an article page lxml can parse")
        return PageRecords(address, [], [problem])
    # the page's address only when it is one (the record's URL is checked by normalisation)
    page_url = found.url if is_absolute(found.url) else address
    if not found.declared:
        listing = read_listing_page(text, source, address)
        if listing is not None:
            return listing
    if not found.declared and found.entries > 1:
        reason = (
            f"no 'Posted on:' dateline and no article metadata; its {found.entries} entries "
            "look like a listing page, but none has a linked title (.entry-title a, h2 a)"
        )
        return PageRecords(page_url, [], [Problem(source, POSITION, reason)])
    if not found.title or not found.published:
        return PageRecords(page_url, [], [Problem(source, POSITION, _lacking(found))])
    record = {
        "title": found.title,
        "published": found.published.isoformat(),
        "url": found.url,
        "summary": found.summary,
        "authors": found.authors,
        "tags": found.tags,
        "topics": [],
        "kind": "article",
        "position": POSITION,
    }
    return PageRecords(page_url, [record], [])


def _lacking(found: ArticleMetadata) -> str:
    """Why a page gave no post: which of title and date its metadata lacks."""
    if not found.title and not found.published:
        reason = (
            "no 'Posted on:' dateline and no article metadata: no title (JSON-LD headline, "
            "og:title, .entry-title, <title>) and no publication date"
        )
    elif not found.title:
        reason = f"an article page dated {found.published.isoformat()} states no title"
    else:
        shown = found.title if len(found.title) <= 60 else found.title[:57] + "..."
        reason = (
            f"article page {shown!r} states no publication date (JSON-LD datePublished, "
            "article:published_time, .published or <time datetime>)"
        )
    if found.unreadable_jsonld:
        reason += f"; {found.unreadable_jsonld} JSON-LD block(s) are not valid JSON"
    return reason


def _meta_tags(tree) -> dict[str, list[str]]:
    """Every ``<meta>`` value by its lowercased ``property`` or ``name``, in page order."""
    tags: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = clean_text(element.get("content") or "")
        for key in {element.get("property"), element.get("name")} - {None}:
            if content:
                tags.setdefault(key.strip().lower(), []).append(content)
    return tags


def _jsonld(tree) -> tuple[list, int]:
    """The JSON-LD objects of the page, one script at a time (a broken one spoils no other),
    and how many scripts could not be read."""
    objects, unreadable = [], 0
    extractor = JsonLdExtractor()
    for script in tree.iter("script"):
        if (script.get("type") or "").split(";")[0].strip().lower() != "application/ld+json":
            continue
        script.text = JSONLD_CLOSE.sub("", JSONLD_OPEN.sub("", script.text or ""))
        try:
            objects.extend(extractor.extract_items(script))
        except Exception:  # invalid JSON, in whichever way the parser reports it
            unreadable += 1
    return objects, unreadable


def _walk(objects):
    """Every JSON-LD object, through ``@graph``, lists and a page's ``mainEntity``
    (iteratively: a page may nest deeper than recursion allows)."""
    pending = list(reversed(objects))
    seen = 0
    while pending and seen < 10_000:
        item = pending.pop()
        seen += 1
        if isinstance(item, list):
            pending.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            for key in ("@graph", "mainEntity"):
                if isinstance(item.get(key), list | dict):
                    pending.append(item[key])


def _types(item: dict) -> set[str]:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    # "schema:Article" and "http://schema.org/Article" are Article too
    return {re.split(r"[/:#]", k)[-1] for k in kinds if isinstance(k, str)}


def _microdata(tree, address: str | None) -> dict:
    """The first schema.org Article-family microdata item (extruct), else nothing."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            items = list(MicrodataExtractor().extract_items(tree, base_url=address))
    except Exception:  # a library's failure on odd markup must not lose the page
        return {}
    for item in _walk([i for i in items if isinstance(i, dict)]):
        kinds = item.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        names = {re.split(r"[/:#]", k)[-1] for k in kinds if isinstance(k, str)}
        if names & ARTICLE_TYPES:
            return {
                key: _microdata_value(value)
                for key, value in (item.get("properties") or {}).items()
            }
    return {}


def _microdata_value(value):
    if isinstance(value, dict) and "properties" in value:
        return value["properties"]
    if isinstance(value, list):
        return [_microdata_value(v) for v in value]
    return value


def _hentry(tree) -> dict[str, list]:
    """The properties of the page's first hentry / h-entry (mf2py), names as plain strings."""
    entries = HENTRY(tree)
    if not entries:
        return {}
    entry = copy.deepcopy(entries[0])
    for content in ENTRY_CONTENT(entry):  # the post's text: long, and holds no metadata
        if content.getparent() is not None:
            content.drop_tree()
    try:
        markup = lxml.html.tostring(entry, encoding="unicode")
        if len(markup) > MAX_ENTRY:  # mf2py reparses it with Beautiful Soup: slow when huge
            return {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            items = mf2py.parse(doc=markup, html_parser="lxml")["items"]
    except Exception:  # as for microdata: odd markup gives no hentry, not a lost page
        return {}
    item = next((i for i in items if "h-entry" in (i.get("type") or [])), None)
    if not item:
        return {}
    properties = item.get("properties") or {}
    authors = [
        a.get("properties", {}).get("name", [None])[0] if isinstance(a, dict) else a
        for a in properties.get("author", [])
    ]
    return {
        # mf2py implies a name from the entry's whole text; only a marked title is one
        "name": properties.get("name", []) if ENTRY_TITLE(entries[0]) else [],
        "published": properties.get("published", []),
        "updated": properties.get("updated", []),
        "author": [a for a in authors if isinstance(a, str)],
    }


def _outermost_entries(tree) -> int:
    """hentry and ``<article>`` elements not inside another: related posts inside an article
    page's own entry do not make it a listing."""
    blocks = set(HENTRY(tree)) | set(tree.iter("article"))
    return sum(1 for b in blocks if not any(a in blocks for a in b.iterancestors()))


def _title_element(tree) -> str | None:
    title = tree.find(".//title")
    return clean_text(title.text_content()) if title is not None else None


def _text(value) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return (clean_text(value) or None) if isinstance(value, str) else None


def _first_text(*values) -> str | None:
    return next((text for text in map(_text, values) if text), None)


def _first_date(*values) -> date | None:
    for value in values:
        text = _text(value)
        day = parse_date_text(text) if text else None
        if day:
            return day
    return None


def _names(value) -> list[str]:
    """Author names from a JSON-LD or microdata value: a name, an object with a ``name``, or a
    list of them. Addresses (``article:author`` often holds a profile URL) are not names."""
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values[:100]:
        if isinstance(item, dict):
            item = item.get("name")
        name = _text(item)
        if name and "://" not in name and not name.startswith("www."):
            names.append(name)
    return _unique(names)


def _keywords(value) -> list[str]:
    """Tags from ``keywords`` or ``articleSection``: a comma-separated string or a list."""
    if isinstance(value, str):
        return [t for t in (clean_text(part) for part in value.split(",")) if t]
    if isinstance(value, list):
        return [t for t in (_text(v.get("name") if isinstance(v, dict) else v) for v in value) if t]
    if isinstance(value, dict):
        return [t for t in [_text(value.get("name"))] if t]
    return []


def _unique(values) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def _without_site_suffix(title: str, site_names: list[str]) -> str:
    """``Title | Site`` -> ``Title`` when ``Site`` is the page's own site name."""
    match = TITLE_SUFFIX.match(title)
    sites = {" ".join(s.split()).casefold() for s in site_names}
    if match and " ".join(match.group("suffix").split()).casefold() in sites:
        return match.group("title").strip()
    return title
