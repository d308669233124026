"""The load pipeline: expand sources, fetch, detect, read, normalise, merge, enrich, report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.coverage import COVERAGE_ATTR, Coverage
from dashboard.enrich import DEFAULT_AUTHORS, DEFAULT_TOPICS, registries_fingerprint
from dashboard.load import detect
from dashboard.load.fetch import fetch, is_url
from dashboard.load.merge import merge_rows
from dashboard.load.normalise import normalise
from dashboard.load.prepare import newest_first_order
from dashboard.load.report import LoadError, Problem, Report, SourceReport
from dashboard.load.spans import Span, source_coverage
from dashboard.load.stored import FORMAT, read_stored
from dashboard.schema import COLUMNS, MARK_ATTR, REGISTRIES_ATTR

Progress = Callable[[int, int, str], None]
RECORD_FORMATS = ("csv", "json", "jsonl", "parquet")  # exports: complete unless said partial


@dataclass
class LoadResult:
    """The posts table and the report of how it was made."""

    posts: pd.DataFrame
    report: Report


def expand(sources: Iterable[str | Path]) -> list[str]:
    """Every file of each directory (sorted, hidden files skipped); URLs and files as given."""
    expanded = []
    for source in sources:
        text = str(source)
        path = Path(text)
        if not is_url(text) and path.is_dir():
            expanded.extend(str(p) for p in sorted(path.rglob("*")) if _visible_file(p, path))
        else:
            expanded.append(text)
    return expanded


def _visible_file(path: Path, top: Path) -> bool:
    return path.is_file() and not any(p.startswith(".") for p in path.relative_to(top).parts)


def read_source(source: str) -> tuple[pd.DataFrame, list[Problem], str, int, Span]:
    """Rows of one source: (normalised rows, problems, format name, records read, span)."""
    if is_url(source):
        data, address = fetch(source)
    else:
        try:
            data = Path(source).read_bytes()
        except FileNotFoundError:
            raise LoadError("no such file or directory") from None
        except IsADirectoryError:
            raise LoadError("is a directory") from None
        except OSError as error:
            raise LoadError(f"cannot read file ({error.strerror or error})") from None
        address = None
    frame, problems, fmt, address, span = detect.read(data, source, address)
    rows, rejected, dropped = normalise(frame, source, address)
    read = len(frame) + sum(p.rejected for p in problems)
    return rows, problems + rejected + dropped, fmt, read, span


def load_sources(
    sources: Sequence[str | Path],
    *,
    authors: Path | None = None,
    topics: Path | None = None,
    progress: Progress | None = None,
    as_of: date | None = None,
    partial: bool = False,
) -> LoadResult:
    """Load every source into one posts table (see the module docstring of ``dashboard.load``).

    ``authors`` and ``topics`` name the registry files (default: ``data/authors.toml`` and
    ``data/topics.toml``). ``as_of`` overrides the date each source says it was taken;
    ``partial`` says records files (CSV, JSON, Parquet) hold only some posts of their span, so
    they cover only their posts' own days. Raises LoadError when no source gave a single record.
    """
    report = Report()
    parts = []
    names = expand(sources)
    if not names:
        raise LoadError("no sources given (an empty directory?)")
    fingerprint = registries_fingerprint(authors, topics)
    if len(names) == 1 and as_of is None:  # a posts table this project wrote, read as it is
        posts = read_stored(names[0], fingerprint)
        if posts is not None:
            count = len(posts)
            entry = SourceReport(names[0], FORMAT, count, count)
            # a table that states no coverage is read as any records file: a complete export
            entry.coverage = posts.attrs.get(COVERAGE_ATTR) or source_coverage(
                Span(), posts["published"]
            )
            report.sources.append(entry)
            posts.attrs[MARK_ATTR] = fingerprint
            posts.attrs[COVERAGE_ATTR] = entry.coverage
            return LoadResult(posts, report)
    for number, source in enumerate(names, 1):
        if progress:
            progress(number, len(names), source)
        entry = SourceReport(source)
        report.sources.append(entry)
        try:
            rows, problems, entry.format, entry.read, span = read_source(source)
        except LoadError as error:
            entry.error = str(error)
            entry.read = entry.rejected = error.records
            report.problems.append(Problem(source, "whole source", str(error)))
            continue
        report.problems.extend(problems)
        entry.rejected = sum(p.rejected for p in problems)
        if partial and entry.format in RECORD_FORMATS:
            span = span.partial()
        entry.coverage = source_coverage(span, rows["published"], as_of)
        rows["_source_index"] = len(report.sources) - 1
        parts.append(rows)
    if not parts or not any(len(p) for p in parts):
        errors = [f"{s.source}: {s.error}" for s in report.sources if s.error]
        reason = errors[0] if len(errors) == 1 else f"{len(names)} sources, no posts in any"
        raise LoadError(f"nothing could be read ({reason})", report.read, report)
    return posts_table(parts, report, authors=authors, topics=topics, fingerprint=fingerprint)


def posts_table(
    parts: Sequence[pd.DataFrame],
    report: Report,
    *,
    authors: Path | None = None,
    topics: Path | None = None,
    fingerprint: str | None = None,
    coverage: Coverage | None = None,
) -> LoadResult:
    """Merge the normalised rows of every source into posts, count loaded and merged records
    in ``report``, enrich, and sort newest first.

    Each part carries ``_source_index``, the position of its source in ``report.sources``.
    ``fingerprint`` is the registries' (``registries_fingerprint``) when the caller has it.
    The table's coverage is its sources' (``Report.coverage``) together with ``coverage``.
    """
    rows = pd.concat([p for p in parts if len(p)], ignore_index=True)
    posts, merged = merge_rows(rows)
    counts = pd.DataFrame({"source": rows["_source_index"], "merged": merged})
    for index, group in counts.groupby("source"):
        entry = report.sources[index]
        entry.merged = int(group["merged"].sum())
        entry.loaded = len(group) - entry.merged
    posts = _enrich(posts, authors, topics)
    table = posts.iloc[newest_first_order(posts)][list(COLUMNS)].reset_index(drop=True)
    # written as the file's mark
    table.attrs[MARK_ATTR] = fingerprint or registries_fingerprint(authors, topics)
    table.attrs[COVERAGE_ATTR] = report.coverage().merged(coverage or Coverage())
    table.attrs[REGISTRIES_ATTR] = tuple(
        str(Path(path).resolve()) for path in (authors or DEFAULT_AUTHORS, topics or DEFAULT_TOPICS)
    )
    return LoadResult(table, report)


def _enrich(posts: pd.DataFrame, authors: Path | None, topics: Path | None) -> pd.DataFrame:
    from dashboard.enrich import enrich, load_registries

    registry, taxonomy = load_registries(authors, topics)
    return enrich(posts, registry, taxonomy)


def load_bytes(
    name: str,
    data: bytes,
    *,
    authors: Path | None = None,
    topics: Path | None = None,
) -> LoadResult:
    """Load the bytes of one file (an upload) as ``load_sources`` loads a file of that name.

    ``name`` stands for the source in the report and the ``source`` column, and its extension
    guides detection when the content does not decide it. Raises LoadError, carrying the
    report, when the bytes hold no readable record.
    """
    report = Report()
    entry = SourceReport(name)
    report.sources.append(entry)
    try:
        frame, problems, entry.format, address, span = detect.read(data, name, None)
        rows, rejected, dropped = normalise(frame, name, address)
    except LoadError as error:
        entry.error = str(error)
        entry.read = entry.rejected = error.records
        report.problems.append(Problem(name, "whole source", str(error)))
        raise LoadError(str(error), report.read, report) from None
    entry.read = len(frame) + sum(p.rejected for p in problems)
    report.problems.extend(problems + rejected + dropped)
    entry.rejected = sum(p.rejected for p in report.problems)
    if not len(rows):
        reason = f"every record was rejected ({entry.rejected:,})" if entry.read else "no posts"
        raise LoadError(reason, report.read, report)
    entry.coverage = source_coverage(span, rows["published"])
    rows["_source_index"] = 0
    return posts_table([rows], report, authors=authors, topics=topics)
