"""The posts table: its columns, their types, and the helpers that normalise values into them.

One row per post. In pandas, ``published`` is ``datetime64[ns]`` at midnight of the calendar date
the source states (in the source's own time zone); in Parquet it is ``date32``. The list columns
are Arrow lists of strings (``LIST_DTYPE``; never missing: an empty list when there is nothing):
a cell reads back as a Python list, and a million lists cost no Python objects until then.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.coverage import COVERAGE_ATTR

COLUMNS = ("post_id", "title", "published", "url", "summary", "authors", "topics", "tags", "source")
LIST_COLUMNS = ("authors", "topics", "tags")
LIST_TYPE = pa.list_(pa.string())
# Parquet metadata key of a posts table's mark: the fingerprint of the registries that
# enriched it (see ``dashboard.load.stored``), kept in ``DataFrame.attrs`` under this name too.
MARK = b"dashboard.registries"
MARK_ATTR = MARK.decode()
# Metadata keys of the registry files a table was enriched with (paths relative to the table's
# folder), so that it is read again with the configuration it was made with; kept in ``attrs``
# under REGISTRIES_ATTR.
AUTHORS_KEY, TOPICS_KEY = b"dashboard.authors", b"dashboard.topics"
REGISTRIES_ATTR = "dashboard.registry_files"
# Row groups of this many posts let a large table be read on every core; zstd keeps the file
# smallest and read it fastest of snappy, zstd and none at a million posts.
ROW_GROUP = 131_072
LIST_DTYPE = pd.ArrowDtype(LIST_TYPE)

ARROW_SCHEMA = pa.schema(
    [
        pa.field("post_id", pa.string(), nullable=False),
        pa.field("title", pa.string(), nullable=False),
        pa.field("published", pa.date32(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("summary", pa.string()),
        pa.field("authors", pa.list_(pa.string())),
        pa.field("topics", pa.list_(pa.string())),
        pa.field("tags", pa.list_(pa.string())),
        pa.field("source", pa.string()),
    ]
)

_WEB_URL = r"[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+(?:[/?#]\S*)?"
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")


def empty_posts() -> pd.DataFrame:
    """An empty posts table with the right columns and dtypes."""
    return from_arrow(ARROW_SCHEMA.empty_table())


def string_array(values: pd.Series) -> pa.StringArray:
    """A column of text (any pandas dtype holding strings or missing values) as one Arrow
    string array."""
    array = pa.array(values.astype("string[pyarrow]").array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.string()) if array.type != pa.string() else array


def list_array(values: object) -> pa.ListArray:
    """A list column (Arrow lists, or any iterable of Python lists) as one Arrow list array,
    with missing cells as empty lists."""
    if isinstance(values, pa.Array | pa.ChunkedArray):
        array = values
    else:
        if isinstance(values, pd.Series):
            values = values.array
        # (Arrow cannot convert an empty column of Python objects to lists)
        array = (
            pa.array(values, type=LIST_TYPE, from_pandas=True)
            if len(values)
            else pa.array([], type=LIST_TYPE)
        )
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.type != LIST_TYPE:
        array = array.cast(LIST_TYPE)
    return array.fill_null(pa.scalar([], type=LIST_TYPE)) if array.null_count else array


def replace_rows(array: pa.Array, positions: np.ndarray, values: pa.Array) -> pa.Array:
    """``array`` with its values at ``positions`` replaced by ``values``, in order. Works for
    every type, lists included, which ``pc.replace_with_mask`` does not take."""
    order = np.arange(len(array))
    order[positions] = len(array) + np.arange(len(positions))
    return pa.concat_arrays([array, values]).take(pa.array(order))


def grouped_lists(items: pa.Array, parents: np.ndarray, length: int) -> pa.ListArray:
    """``length`` lists from flat items and the (ascending) list each item belongs to."""
    counts = np.bincount(parents, minlength=length) if len(parents) else np.zeros(length, int)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), items)


def list_series(values: pa.Array, index: pd.Index | None = None) -> pd.Series:
    """An Arrow list array as a pandas column of ``LIST_DTYPE`` (no copy)."""
    return pd.Series(pd.arrays.ArrowExtensionArray(values), index=index)


def to_arrow(
    posts: pd.DataFrame, mark: str | None = None, metadata: dict[bytes, bytes] | None = None
) -> pa.Table:
    """The posts table as Arrow, with exactly the contract's types (extra columns kept after),
    ``mark`` (a registries fingerprint) and ``metadata`` in its schema metadata when given."""
    columns = {}
    for field in ARROW_SCHEMA:
        values = posts[field.name]
        if field.name == "published":
            days = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
            columns[field.name] = pa.array(days, type=pa.date32())
        elif field.name in LIST_COLUMNS:
            columns[field.name] = list_array(values)
        else:
            array = pa.array(values.array, type=field.type, from_pandas=True)
            if isinstance(array, pa.ChunkedArray):
                array = array.combine_chunks()
            columns[field.name] = array
    table = pa.table(columns, schema=ARROW_SCHEMA)
    for extra in posts.columns:
        if extra not in COLUMNS:
            table = table.append_column(extra, pa.array(posts[extra], from_pandas=True))
    entries = {**({MARK: mark.encode()} if mark else {}), **(metadata or {})}
    if entries:
        table = table.replace_schema_metadata(entries)
    return table


def from_arrow(table: pa.Table) -> pd.DataFrame:
    """A posts table from Arrow (e.g. a Parquet file written by ``ingest``)."""
    lists = [c for c in table.column_names if c in LIST_COLUMNS]
    frame = table.drop_columns(lists).to_pandas(date_as_object=False)
    frame["published"] = pd.to_datetime(frame["published"]).astype("datetime64[ns]")
    for column in lists:  # Arrow lists stay Arrow lists: no Python list per post
        frame[column] = list_series(list_array(table[column]), frame.index)
    return frame[table.column_names]


def write_parquet(posts: pd.DataFrame, out: Path) -> None:
    """Write the table beside ``out`` first, then rename: a failed run leaves ``out`` untouched.

    A table the loader made carries its registries fingerprint in ``attrs``; it is written as
    the file's mark, so that loading the file again can skip the work already done. Its
    coverage (``dashboard.coverage``), also in ``attrs``, is written to the file's metadata.

    The file gets the permissions a newly created file would (the temporary file's are 0600).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        coverage = posts.attrs.get(COVERAGE_ATTR)
        metadata = coverage.to_metadata() if coverage is not None else {}
        registries = posts.attrs.get(REGISTRIES_ATTR)
        if registries:  # relative to the table's folder, so that the two can move together
            where = out.parent.resolve()
            metadata[AUTHORS_KEY], metadata[TOPICS_KEY] = (
                os.path.relpath(Path(p).resolve(), where).encode() for p in registries
            )
        table = to_arrow(posts, posts.attrs.get(MARK_ATTR), metadata)
        pq.write_table(table, tmp, compression="zstd", row_group_size=ROW_GROUP)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def clean_text(value: object) -> str | None:
    """Plain text: HTML tags stripped, entities unescaped, whitespace collapsed; None if empty."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = _SPACE.sub(" ", text).strip()
    return text or None


def title_key(title: str) -> str:
    """A title reduced to its letters and digits, so that quoting and punctuation do not matter."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return _NOT_WORD.sub("", text)


def web_url(value: object) -> str | None:
    """The value if it is an absolute http(s) address without spaces, else None (never a link)."""
    if not isinstance(value, str) or not re.fullmatch(_WEB_URL, value):
        return None
    parts = urlsplit(value)
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def web_urls(urls: pd.Series) -> pd.Series:
    """``web_url`` over a column: addresses that are not http(s) become missing."""
    text = pa.array(urls.astype("str"), type=pa.string(), from_pandas=True)
    web = pc.match_substring_regex(text, f"^(?:{_WEB_URL})$").fill_null(False)
    return urls.astype("str").where(web.to_numpy(zero_copy_only=False))


def first_of_pairs(groups: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Whether each (group, code) pair is the first of its kind in the arrays' order: the
    "hashed pairs" trick, used wherever a value repeated within one list must count once.

    ``codes`` are non-negative integers. Each pair is packed into one int64 and hashed, several
    times faster than the plain definition, ``first_of_pairs_plain``.
    """
    codes = np.asarray(codes, dtype=np.int64)
    pairs = np.asarray(groups, dtype=np.int64) * (int(codes.max(initial=0)) + 1) + codes
    return ~pd.Series(pairs).duplicated().to_numpy()


def first_of_pairs_plain(groups: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``first_of_pairs`` as ordinary pandas: the pairs not seen before."""
    return ~pd.DataFrame({"group": groups, "code": codes}).duplicated().to_numpy()
