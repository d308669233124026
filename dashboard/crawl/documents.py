"""Fetched pages through the loader's own readers, and one posts table from them and the archive.

Each page is detected and read as the loader reads any source (``detect.read``, then
``normalise``), and the rows are merged with the posts the output file already holds by the
loader's ``merge_rows``, so post ids and merging are exactly those of ``ingest``. This module
only differs from ``load_sources`` in taking bytes already fetched instead of fetching them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.coverage import Coverage
from dashboard.load import LoadError, LoadResult, Problem, Report, SourceReport, detect
from dashboard.load.merge import title_keys, url_keys
from dashboard.load.normalise import normalise
from dashboard.load.pipeline import posts_table, read_source
from dashboard.load.spans import Span, source_coverage


@dataclass
class Document:
    """One source as the loader read it: its rows, what it rejected, how many records it held."""

    name: str
    address: str | None
    format: str
    rows: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    read: int = 0
    span: Span = field(default_factory=Span)  # the period the source covers

    @property
    def kinds(self) -> set[str]:
        return set(self.rows["kind"].dropna()) if len(self.rows) else set()


def read_document(
    name: str, body: bytes, address: str | None, tags: Sequence[str] = ()
) -> Document:
    """The records of a fetched page; ``tags`` (categories the page names) go to its article.

    Raises LoadError when the page holds nothing the loader can read.
    """
    frame, problems, fmt, address, span = detect.read(body, name, address)
    rows, rejected, dropped = normalise(frame, name, address)
    if tags and len(rows):
        articles = rows["kind"] == "article"
        rows.loc[articles, "tags"] = pd.Series(
            [list(dict.fromkeys([*t, *tags])) for t in rows.loc[articles, "tags"]],
            index=rows.index[articles],
            dtype=object,
        )
    read = len(frame) + sum(p.rejected for p in problems)
    return Document(name, address, fmt, rows, problems + rejected + dropped, read, span)


def read_archive(out: Path) -> Document | None:
    """The posts the output file already holds (None when there is no file yet).

    Raises LoadError when the file exists but cannot be read: a crawl must not replace an
    archive it could not merge with.
    """
    if not out.exists():
        return None
    try:
        rows, problems, fmt, read, span = read_source(str(out))
    except LoadError as error:
        raise LoadError(f"cannot read the existing {out} ({error})") from None
    return Document(str(out), None, fmt, rows, problems, read, span)


def post_keys(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(title-and-date key, URL key) of each row: the keys the loader merges posts by."""
    if not len(rows):
        empty = pd.Series([], dtype=object)
        return empty, empty
    dates = rows["published"].dt.strftime("%Y-%m-%d")
    return (title_keys(rows["title"]) + "|" + dates).astype(object), url_keys(rows["url"])


def page_key(url: str) -> str:
    """The loader's URL key of one address."""
    return url_keys(pd.Series([url], dtype=object)).iat[0]


def merge_documents(
    documents: Sequence[Document],
    unread: Sequence[tuple[str, str]] = (),
    *,
    authors: Path | None = None,
    topics: Path | None = None,
    coverage: Coverage | None = None,
) -> LoadResult:
    """One posts table from the documents (the archive first), as ``load_sources`` builds it.

    ``unread`` lists pages that were not fetched, with the reason; the report shows each as a
    source that could not be read. ``coverage`` is what the walk itself covered, beyond each
    page's own span. Raises LoadError when no document holds a post.
    """
    report = Report()
    parts = []
    for document in documents:
        entry = SourceReport(document.name, document.format, document.read)
        entry.rejected = sum(p.rejected for p in document.problems)
        report.sources.append(entry)
        report.problems.extend(document.problems)
        if len(document.rows):
            entry.coverage = source_coverage(document.span, document.rows["published"])
            parts.append(document.rows.assign(_source_index=len(report.sources) - 1))
    for url, reason in unread:
        report.sources.append(SourceReport(url, "html", error=reason))
        report.problems.append(Problem(url, "whole source", reason))
    if not parts:
        raise LoadError("nothing could be read (no posts in any page)", report.read, report)
    return posts_table(parts, report, authors=authors, topics=topics, coverage=coverage)
