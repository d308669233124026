"""Posts tables that ``ingest`` or ``crawl`` wrote, read back as they are.

Such a Parquet file carries a mark in its metadata: the fingerprint of the registries its
authors and topics came from (``dashboard.enrich.registries_fingerprint``). When the mark
matches the registries in use and the table passes the checks below, its rows already are the
posts: normalising, merging and enriching them again would give the same table. They are then
loaded directly, which takes a fraction of a second for a million posts; anything else (another
Parquet file, an edited registry, a table that fails a check) takes the full path.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.coverage import COVERAGE_ATTR, Coverage
from dashboard.schema import ARROW_SCHEMA, AUTHORS_KEY, MARK, TOPICS_KEY, from_arrow

FORMAT = "posts table"


def read_stored(source: str, fingerprint: str) -> pd.DataFrame | None:
    """The posts of a marked posts table whose mark is ``fingerprint``, else None."""
    path = Path(source)
    if path.suffix.lower() not in (".parquet", ".pq") or not path.is_file():
        return None
    try:
        parquet = pq.ParquetFile(path)
        metadata = parquet.schema_arrow.metadata or {}
        if metadata.get(MARK) != fingerprint.encode():
            return None
        table = parquet.read()
    except (pa.ArrowException, OSError, ValueError):
        return None
    if not _sound(table):
        return None
    posts = from_arrow(table)
    coverage = Coverage.from_metadata(metadata)
    if coverage is not None:
        posts.attrs[COVERAGE_ATTR] = coverage
    return posts


def _sound(table: pa.Table) -> bool:
    """The contract's columns and types, every post with an id, title and date, ids distinct."""
    if [(f.name, f.type) for f in table.schema] != [(f.name, f.type) for f in ARROW_SCHEMA]:
        return False
    required = ("post_id", "title", "published")
    if any(table[name].null_count for name in required):
        return False
    if pc.any(pc.equal(table["title"], "")).as_py():
        return False
    # pc.unique is several times faster than pc.count_distinct on a million ids
    return len(pc.unique(table["post_id"])) == table.num_rows


def recorded_registries(source: str) -> tuple[Path, Path] | None:
    """The registry files a posts table this project wrote was enriched with, as it records
    them, when both still exist; None for any other source."""
    path = Path(source)
    if path.suffix.lower() not in (".parquet", ".pq") or not path.is_file():
        return None
    try:
        metadata = pq.read_schema(path).metadata or {}
    except (pa.ArrowException, OSError, ValueError):
        return None
    try:
        files = tuple(path.parent / metadata[key].decode() for key in (AUTHORS_KEY, TOPICS_KEY))
    except (KeyError, UnicodeDecodeError):
        return None
    return files if all(f.is_file() for f in files) else None
