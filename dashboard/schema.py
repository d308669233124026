"""The posts table: its columns, their types, and the helpers that normalise values into them.

One row per post. In pandas, ``published`` is ``datetime64[ns]`` at midnight of the calendar date
the source states (in the source's own time zone); in Parquet it is ``date32``. The list columns
hold Python lists of strings (never NaN: an empty list when there is nothing).
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

COLUMNS = ("post_id", "title", "published", "url", "summary", "authors", "topics", "tags", "source")
LIST_COLUMNS = ("authors", "topics", "tags")

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

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+")


def empty_posts() -> pd.DataFrame:
    """An empty posts table with the right columns and dtypes."""
    return from_arrow(ARROW_SCHEMA.empty_table())


def to_arrow(posts: pd.DataFrame) -> pa.Table:
    """The posts table as Arrow, with exactly the contract's types (extra columns kept after)."""
    columns = {}
    for field in ARROW_SCHEMA:
        values = posts[field.name]
        if field.name == "published":
            values = pd.to_datetime(values).dt.date
        columns[field.name] = pa.array(values.tolist(), type=field.type, from_pandas=True)
    table = pa.table(columns, schema=ARROW_SCHEMA)
    for extra in posts.columns:
        if extra not in COLUMNS:
            table = table.append_column(extra, pa.array(posts[extra], from_pandas=True))
    return table


def from_arrow(table: pa.Table) -> pd.DataFrame:
    """A posts table from Arrow (e.g. a Parquet file written by ``ingest``)."""
    frame = table.to_pandas(date_as_object=False)
    frame["published"] = pd.to_datetime(frame["published"]).astype("datetime64[ns]")
    for column in LIST_COLUMNS:
        frame[column] = [list(v) if v is not None else [] for v in frame[column]]
    return frame


def write_parquet(posts: pd.DataFrame, out: Path) -> None:
    """Write the table beside ``out`` first, then rename: a failed run leaves ``out`` untouched.

    The file gets the permissions a newly created file would (the temporary file's are 0600).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        pq.write_table(to_arrow(posts), tmp)
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
