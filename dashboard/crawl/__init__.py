"""Crawling a blog into the posts table: listing pages or a feed, then each new post's page.

The flow, one module per step: ``http`` fetches politely (robots.txt, pauses, retries,
conditional requests against an on-disk cache); ``discover`` reads which feed or WordPress
REST API a blog's first page announces; ``links`` reads where the next page is; ``walk`` pages
through that feed or API, else the page's own listing; ``documents`` reads the fetched pages
with the loader's readers and merges them with the archive; ``run`` ties these together and
writes the output file atomically.
"""

from dashboard.crawl.http import USER_AGENT, Cache, Client, Disallowed, FetchError, Stats
from dashboard.crawl.run import (
    CACHE_DIR_NAME,
    CRAWL_URL_VARIABLE,
    CrawlError,
    CrawlResult,
    Settings,
    configured_crawl_url,
    crawl,
    refresh,
)

__all__ = [
    "CACHE_DIR_NAME",
    "CRAWL_URL_VARIABLE",
    "USER_AGENT",
    "Cache",
    "Client",
    "CrawlError",
    "CrawlResult",
    "Disallowed",
    "FetchError",
    "Settings",
    "Stats",
    "configured_crawl_url",
    "crawl",
    "refresh",
]
