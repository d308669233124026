"""Which reader a source needs: decided from its content first, its file extension second."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

import pandas as pd

from dashboard.load import feeds, html, pages, tabular
from dashboard.load.normalise import records_frame
from dashboard.load.report import LoadError, Problem
from dashboard.load.text import decode

EXTENSIONS = {
    ".csv": "csv", ".tsv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".parquet": "parquet", ".pq": "parquet", ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".html": "html", ".htm": "html", ".txt": "page text",
}


def extension_format(source: str) -> str | None:
    """The format a file name or URL path suggests, if any."""
    path = urlsplit(source).path if "://" in source else source
    return EXTENSIONS.get(PurePosixPath(path).suffix.lower())


def sniff(data: bytes, source: str) -> tuple[str, str | None]:
    """(format, decoded text or None for binary formats)."""
    if data.startswith(b"PAR1"):
        return "parquet", None
    if not data.strip():
        raise LoadError("empty file")
    text = decode(data)
    head = text.lstrip()[:1]
    if head in "[{":
        if tabular.looks_like_jsonl(text) and text.strip().count("\n"):
            try:
                tabular.parse_json(text)
            except LoadError:
                return "jsonl", text
        return "json", text
    if head == "<":
        if feeds.looks_like_feed(text):
            return "feed", text
        if html.looks_like_html(text):
            return "html", text
    if pages.looks_like_page_text(text) and not tabular.looks_like_csv(text):
        return "page text", text
    if tabular.looks_like_csv(text):
        return "csv", text
    guess = extension_format(source)
    if guess in (None, "parquet"):
        raise LoadError("unrecognised format (not a feed, page, CSV, JSON or Parquet file)")
    return guess, text


def read(data: bytes, source: str, address: str | None):
    """(records frame, reader problems, format name, page address) of one source's bytes."""
    fmt, text = sniff(data, source)
    if fmt == "parquet":
        frame, problems = tabular.read_parquet(data, source)
    elif fmt == "csv":
        frame, problems = tabular.read_csv(text, source)
    elif fmt == "jsonl":
        frame, problems = tabular.read_jsonl(text, source)
    elif fmt == "json":
        value = tabular.parse_json(text)
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
        records, problems = feeds.read_feed(text.encode("utf-8"), source, address)
        frame = records_frame(records)
    else:
        result = (
            html.read_html_page(text, source, address)
            if fmt == "html"
            else pages.read_page_text(text, source)
        )
        frame, problems = records_frame(result.records), result.problems
        address = result.page_url or address
    if isinstance(frame, pd.DataFrame) and "source" not in frame:
        frame["source"] = None
    return frame, problems, fmt, address
