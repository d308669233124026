"""Which reader a source needs: decided from its content first, its file extension second."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import pandas as pd

from dashboard.load import exports, feeds, html, pages, spans, tabular
from dashboard.load.normalise import records_frame
from dashboard.load.report import LoadError
from dashboard.load.spans import ENTRIES, OWN_DAYS, STORED, THROUGH_AS_OF, Span
from dashboard.load.text import decode, parse_date_text

EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".html": "html",
    ".htm": "html",
    ".txt": "page text",
}
NO_JSON = object()  # sniff's marker for "not parsed as one JSON document"
_FIRST_VISIBLE = re.compile(r"\S")  # what str.strip() keeps, found without copying the text
_SPACE_BYTES = re.compile(rb"[ \t\n\r\x0b\x0c]*")  # what bytes.strip() drops


def _blank(data: bytes) -> bool:
    """``not data.strip()``, without copying a large file to find out."""
    return _SPACE_BYTES.match(data).end() == len(data)


def extension_format(source: str) -> str | None:
    """The format a file name or URL path suggests, if any."""
    path = urlsplit(source).path if "://" in source else source
    return EXTENSIONS.get(PurePosixPath(path).suffix.lower())


def sniff(data: bytes, source: str) -> tuple[str, str | None, object]:
    """(format, decoded text or None for Parquet, the parsed JSON document or NO_JSON)."""
    if data.startswith(b"PAR1"):
        return "parquet", None, NO_JSON
    if _blank(data):
        raise LoadError("empty file")
    text = decode(data)
    start = _FIRST_VISIBLE.search(text)
    if start is None:
        raise LoadError("empty file")
    head = start.group()
    json_error = None
    if head in "[{":
        try:
            return "json", text, tabular.parse_json(text)
        except LoadError as error:
            if tabular.looks_like_jsonl(text):
                return "jsonl", text, NO_JSON
            json_error = error  # perhaps page text that starts with a bracket
    if head == "<":
        if feeds.looks_like_feed(text):
            return "feed", text, NO_JSON
        if html.looks_like_html(text):
            return "html", text, NO_JSON
    if tabular.looks_like_csv(text):
        return "csv", text, NO_JSON
    if pages.looks_like_page_text(text):
        return "page text", text, NO_JSON
    guess = extension_format(source)
    if json_error and guess in (None, "json"):
        raise json_error
    if guess in (None, "parquet", "json"):
        raise LoadError("unrecognised format (not a feed, page, CSV, JSON or Parquet file)")
    return guess, text, NO_JSON


def read(data: bytes, source: str, address: str | None):
    """(records frame, reader problems, format name, page address, span) of one source's bytes;
    the span says which period the source covers (``dashboard.load.spans``)."""
    fmt, text, value = sniff(data, source)
    span = Span(THROUGH_AS_OF)  # a records file: an export is complete
    if fmt == "parquet":
        frame, problems = tabular.read_parquet(data, source)
        stored = tabular.parquet_coverage(data)
        if stored is not None:
            span = Span(STORED, stored.as_of, stored)
    elif fmt == "csv":
        frame, problems = tabular.read_csv(text, source)
    elif fmt == "jsonl":
        frame, problems = tabular.read_jsonl(text, source)
    elif fmt == "json" and (export := exports.read_export(value, source, address)):
        # A whole document whose keys name its CMS: read before looking for a list of posts
        fmt, records, problems, span = export
        frame = records_frame(records)
    elif fmt == "json":
        items = tabular.json_items(value)
        if items is None:
            raise LoadError("JSON holds no list of posts")
        if feeds.looks_like_wordpress(items):
            fmt = "wordpress"
            records, problems = feeds.read_wordpress(items, source)
            frame = records_frame(records)
        else:
            frame, problems = tabular.read_json_items(items, source)
    elif fmt == "feed":
        # The original bytes: feedparser honours the encoding the XML declaration states.
        records, problems, built = feeds.read_feed(data, source, address)
        frame = records_frame(records)
        span = Span(THROUGH_AS_OF, parse_date_text(built) if built else None)
    else:
        result = (
            html.read_html_page(text, source, address)
            if fmt == "html"
            else pages.read_page_text(text, source)
        )
        frame, problems = records_frame(result.records), result.problems
        address = result.page_url or address
        span = page_span(result)
    if isinstance(frame, pd.DataFrame) and "source" not in frame:
        frame["source"] = None
    return frame, problems, fmt, address, span


def page_span(result: pages.PageRecords) -> Span:
    """An article page covers its own post; a listing page its entries, and up to the day it
    was taken when it is the listing's first page."""
    captured = parse_date_text(result.captured) if result.captured else None
    if any(record.get("kind") == "article" for record in result.records):
        return Span(OWN_DAYS, captured)
    first = spans.first_listing_page(result.page_url)
    return Span(THROUGH_AS_OF if first else ENTRIES, captured)
