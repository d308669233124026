"""Where the dashboard's data comes from: the configured source and what marks a new version of
it. Pure (no Streamlit): the cached loaders in ``data`` key on these two values."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dashboard.display import SEARCH_TEMPLATE

DATA_ENV = "DASHBOARD_DATA"
BUNDLED_DATA = Path(__file__).resolve().parent.parent.parent / "data" / "posts.parquet"
INGEST_HINT = "python -m dashboard ingest data/sources --out data/posts.parquet"
URL_REFRESH_SECONDS = 3600  # a source on the web is fetched again at most once an hour
SEARCH_ENV = "DASHBOARD_SEARCH_URL"  # the search for a post's title when no source gave its URL


def data_source() -> str:
    """The source to show: ``DASHBOARD_DATA`` when set, else the bundled ``data/posts.parquet``."""
    return os.environ.get(DATA_ENV, "").strip() or str(BUNDLED_DATA)


def source_version(source: str) -> object:
    """What changes when the source changes: file modification times, or the hour for a URL."""
    if source.lower().startswith(("http://", "https://")):
        return int(time.time() // URL_REFRESH_SECONDS)
    path = Path(source)
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file()]
        return (len(files), max((p.stat().st_mtime_ns for p in files), default=0))
    return path.stat().st_mtime_ns if path.exists() else None


def search_template() -> str:
    """The search address for a post's title (``{query}`` stands for the query): the value of
    ``DASHBOARD_SEARCH_URL`` when it is an http(s) address holding ``{query}``, else the default
    (a web search restricted to the blog's site)."""
    value = os.environ.get(SEARCH_ENV, "").strip()
    if value.lower().startswith(("http://", "https://")) and "{query}" in value:
        return value
    return SEARCH_TEMPLATE
