"""A crawl from start to end: walk the pages, read the article pages the archive lacks, merge
with the archive, write it atomically, and remember how far the walk got for the next run."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pandas as pd

from dashboard.coverage import Coverage
from dashboard.crawl import links
from dashboard.crawl.documents import (
    Document,
    merge_documents,
    page_key,
    post_keys,
    read_archive,
    read_document,
)
from dashboard.crawl.http import USER_AGENT, Cache, Client, Disallowed, FetchError, Stats, plural
from dashboard.crawl.walk import NOT_FETCHED, Known, Progress, Walk, walk
from dashboard.load import LoadError, Report
from dashboard.load.fetch import is_url
from dashboard.load.text import decode

CRAWL_URL_VARIABLE = "DASHBOARD_CRAWL_URL"
CACHE_DIR_NAME = ".crawl-cache"
DEFAULT_MAX_PAGES = 100


class CrawlError(LoadError):
    """A crawl that wrote nothing: the reason, the report when pages were read, the requests."""

    def __init__(self, message: str, report: Report | None = None, stats: Stats | None = None):
        super().__init__(message, 0, report)
        self.stats = stats


@dataclass(frozen=True)
class Settings:
    """How to crawl: politeness (delay, timeout, retries, user agent), cap, cache and refetch."""

    delay: float = 1.0  # seconds between requests
    max_pages: int = DEFAULT_MAX_PAGES  # listing or feed pages, not counting article pages
    refetch: bool = False  # read every page again, whatever the archive holds
    cache_dir: Path | None = None  # default: .crawl-cache beside the output file
    user_agent: str = USER_AGENT
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry; doubled for each further one
    authors: Path | None = None
    topics: Path | None = None
    today: date | None = None  # the day of the crawl, its data's as-of date (default: today)


@dataclass
class CrawlResult:
    """The merged posts table, the load report, and what the crawl fetched and skipped."""

    posts: pd.DataFrame
    report: Report
    stats: Stats
    out: Path
    pages: list[str]  # listing or feed pages read
    articles: list[str]  # article pages read
    unread: list[tuple[str, str]]  # pages not read, with the reason
    reached_end: bool
    stopped_early: bool
    written: bool = False
    state: dict = field(default_factory=dict, repr=False)  # what the next crawl starts from
    via: str | None = None  # the feed or API the first page announced, when the crawl used it

    def summary(self) -> list[str]:
        """What was crawled and fetched, in two or three lines for the terminal or the app."""
        skipped = sum(1 for _, reason in self.unread if reason.startswith(NOT_FETCHED))
        failed = len(self.unread) - skipped
        via = f" via {self.via}" if self.via else ""
        lines = [
            f"crawl: {plural(len(self.pages), 'page')}{via} ({self._ending()}), "
            f"{plural(len(self.articles), 'article page')} read, {skipped} not fetched "
            f"(robots.txt), {failed} failed",
            self.stats.summary(),
        ]
        if self.written:
            lines.append(f"wrote {len(self.posts)} posts to {self.out}")
        return lines

    def _ending(self) -> str:
        if self.stopped_early:
            return "stopped where the archive already holds every post"
        if self.reached_end:
            return "the end of the pagination"
        return "stopped before the end: the cap or a page that failed; the next crawl walks on"


def configured_crawl_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The blog address the dashboard's refresh crawls: ``DASHBOARD_CRAWL_URL``, if set."""
    value = (os.environ if environ is None else environ).get(CRAWL_URL_VARIABLE, "").strip()
    return value or None


def start_address(url: str) -> str:
    """The first page to fetch: a WordPress REST posts endpoint gets ``_embed``, so that its
    posts carry author and category names rather than numeric ids."""
    parts = urlsplit(url)
    names = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if parts.path.rstrip("/").endswith("/wp/v2/posts") and "_embed" not in names:
        return links.with_query(url, _embed=1)
    return url


def refresh(
    source_url: str,
    out: str | Path,
    *,
    progress: Progress | None = None,
    delay: float = 1.0,
    max_pages: int = DEFAULT_MAX_PAGES,
    refetch: bool = False,
    cache_dir: str | Path | None = None,
    user_agent: str = USER_AGENT,
    timeout: float = 20.0,
    retries: int = 3,
    backoff: float = 1.0,
    authors: str | Path | None = None,
    topics: str | Path | None = None,
) -> CrawlResult:
    """Crawl ``source_url`` into the posts table at ``out`` and write it (see ``crawl``).

    Raises CrawlError, leaving ``out`` untouched, when nothing could be read or written.
    ``progress(stage, done, total, message)`` hears of every page ("pages" or "articles").
    """
    settings = Settings(
        delay=delay,
        max_pages=max_pages,
        refetch=refetch,
        cache_dir=Path(cache_dir) if cache_dir else None,
        user_agent=user_agent,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        authors=Path(authors) if authors else None,
        topics=Path(topics) if topics else None,
    )
    out = Path(out)
    result = crawl(source_url, out, settings, progress)
    from dashboard.schema import write_parquet

    try:
        write_parquet(result.posts, out)
    except OSError as error:
        reason = error.strerror or str(error)
        raise CrawlError(f"cannot write {out}: {reason}", result.report, result.stats) from None
    result.written = True
    _save_state(_state_path(settings, out), result.state)
    return result


def crawl(
    source_url: str, out: Path, settings: Settings, progress: Progress | None = None
) -> CrawlResult:
    """Walk from ``source_url``, read new article pages, and merge with the archive at ``out``.

    Nothing is written. Raises CrawlError when the archive cannot be read, the first page
    cannot be fetched or holds no posts, or no page holds a post.
    """
    client = Client(
        user_agent=settings.user_agent,
        delay=settings.delay,
        timeout=settings.timeout,
        retries=settings.retries,
        backoff=settings.backoff,
        cache=Cache(cache_root(settings, out) / "pages"),
    )
    start = start_address(source_url)
    try:
        archive = read_archive(out)
    except LoadError as error:
        raise CrawlError(str(error), stats=client.stats) from None
    state = _load_state(_state_path(settings, out))
    incremental = not settings.refetch and archive is not None
    known = _known(archive, state) if incremental else Known()
    try:
        walked = walk(
            client,
            start,
            max_pages=settings.max_pages,
            known=known,
            stop_at_known=incremental and bool(state.get("complete", {}).get(start)),
            progress=progress,
        )
    except (FetchError, LoadError) as error:
        client.stats.finished = time.monotonic()
        reason = getattr(error, "reason", None) or str(error)
        raise CrawlError(f"cannot crawl {start}: {reason}", stats=client.stats) from None
    retry = [] if settings.refetch else state.get("retry", [])
    articles = _read_articles(client, _unread_links([*walked.links, *retry], known), progress)
    client.stats.finished = time.monotonic()
    unread = walked.failures + articles.unread
    try:
        merged = merge_documents(
            [*([archive] if archive else []), *walked.documents, *articles.documents],
            unread,
            authors=settings.authors,
            topics=settings.topics,
            coverage=walk_coverage(walked.documents, settings.today or date.today()),
        )
    except LoadError as error:
        raise CrawlError(str(error), error.report, client.stats) from None
    return CrawlResult(
        merged.posts,
        merged.report,
        client.stats,
        out,
        pages=[d.name for d in walked.documents],
        articles=[d.name for d in articles.documents],
        unread=unread,
        reached_end=walked.reached_end,
        stopped_early=walked.stopped_early,
        state=_next_state(state, start, walked, articles),
        via=walked.via,
    )


def walk_coverage(pages: list[Document], today: date) -> Coverage:
    """What a walk from the first page covers: every post from the oldest on the pages it
    walked up to the day of the crawl, since the pages follow each other from the newest."""
    dates = [d.rows["published"].min() for d in pages if len(d.rows)]
    if not dates:
        return Coverage(today)
    return Coverage(today, ((min(dates).date(), today),))


@dataclass
class _Articles:
    """What reading the article pages gave: documents, pages not read and why, pages fetched."""

    documents: list[Document] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)  # whatever they held
    failed: list[str] = field(default_factory=list)  # worth trying again next time


def _next_state(state: dict, start: str, walked: Walk, articles: _Articles) -> dict:
    """What the next crawl into the same file starts from."""
    return {
        "complete": {**state.get("complete", {}), start: walked.reached_end},
        "read": sorted(set(state.get("read", [])) | {page_key(u) for u in articles.fetched}),
        "retry": articles.failed,
    }


def _known(archive: Document, state: dict) -> Known:
    """The archive's posts, and the pages already read: its sources and the article pages an
    earlier crawl read (whatever they gave)."""
    titles, urls = post_keys(archive.rows)
    sources = [s for s in archive.rows["source"].dropna() if is_url(s)]
    return Known(
        urls=frozenset(u for u in urls if isinstance(u, str)),
        titles=frozenset(titles),
        pages=frozenset(page_key(s) for s in sources) | frozenset(state.get("read", [])),
    )


def _unread_links(candidates: list[str], known: Known) -> list[str]:
    """Article links the archive has not read yet, each page once (by the loader's URL key)."""
    chosen: dict[str, str] = {}
    for link in candidates:
        key = page_key(link)
        if key not in known.pages and key not in chosen:
            chosen[key] = link
    return list(chosen.values())


def _read_articles(client: Client, urls: list[str], progress: Progress | None) -> _Articles:
    """Each article page read, or the reason it was not (robots.txt, a failure)."""
    result = _Articles()
    for number, url in enumerate(urls, 1):
        try:
            response = client.get(url)
        except Disallowed as error:
            outcome = f"{NOT_FETCHED}{error.reason}"
            result.unread.append((url, outcome))
        except FetchError as error:
            outcome = f"failed: {error.reason}"
            result.unread.append((url, error.reason))
            result.failed.append(url)
        else:
            result.fetched.append(url)
            outcome = "unchanged, from cache" if response.from_cache else f"HTTP {response.status}"
            try:
                tags = links.category_tags(decode(response.body))
                result.documents.append(read_document(url, response.body, response.final_url, tags))
            except LoadError as error:
                outcome = f"no post read: {error}"
                result.unread.append((url, f"no post read ({error})"))
        if progress:
            progress(
                "articles", number, len(urls), f"article {number}/{len(urls)}: {url}: {outcome}"
            )
    return result


def cache_root(settings: Settings, out: Path) -> Path:
    """Where the crawl keeps its cache and state: ``--cache-dir``, or beside the output file."""
    return settings.cache_dir or out.parent / CACHE_DIR_NAME


def _state_path(settings: Settings, out: Path) -> Path:
    return cache_root(settings, out) / f"{out.name}.state.json"


def _load_state(path: Path) -> dict:
    """What earlier crawls into this file left: walks that reached the end, article pages read."""
    try:
        state = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _save_state(path: Path, state: dict) -> None:
    """Best effort: without it the next crawl only walks further and reads more."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(state, indent=1), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
