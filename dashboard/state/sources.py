"""Where the dashboard's data comes from: the configured source and what marks a new version of
it. Pure (no Streamlit): the cached loaders in ``data`` key on these two values."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dashboard.config import CONFIG_ENV, DEFAULT_DIR, Config, load_config, recorded_config
from dashboard.display import SEARCH_TEMPLATE
from dashboard.load.stored import recorded_registries

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


def search_template(config: Config | None = None) -> str:
    """The search address for a post's title (``{query}`` stands for the query): the value of
    ``DASHBOARD_SEARCH_URL`` when it is an http(s) address holding ``{query}``, else the
    configuration's ``search_url``, else the default (a web search restricted to the blog's
    site)."""
    value = os.environ.get(SEARCH_ENV, "").strip()
    if value.lower().startswith(("http://", "https://")) and "{query}" in value:
        return value
    if config is not None and config.site.search_url:
        return config.site.search_url
    return SEARCH_TEMPLATE


def dashboard_config(source: str) -> Config:
    """The configuration the dashboard shows ``source`` with: ``DASHBOARD_CONFIG`` when set;
    else, for a posts table that records the registries it was made with, those registries and
    their folder's ``site.toml``; else ``data/``'s registries, with no site settings (so that
    another blog's data is never shown under the default blog's name)."""
    if os.environ.get(CONFIG_ENV, "").strip():
        return load_config()
    recorded = recorded_registries(source)
    if recorded is not None:
        return recorded_config(*recorded)
    return Config(DEFAULT_DIR)


def config_version(config: Config) -> tuple:
    """What changes when the configuration's files change (their modification times)."""
    files = (config.authors, config.topics, config.dir / "site.toml", config.dir / "events.toml")
    return tuple(p.stat().st_mtime_ns if p.exists() else None for p in files)
