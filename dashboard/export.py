"""The posts as files to download: CSV and Parquet, both readable by the loader again."""

from __future__ import annotations

import io

import pandas as pd
import pyarrow.parquet as pq

from dashboard.schema import COLUMNS, LIST_COLUMNS, to_arrow


def posts_csv(posts: pd.DataFrame) -> bytes:
    """The posts as CSV (UTF-8), list columns joined with "; " as the loader reads them back."""
    table = posts[list(COLUMNS)].copy()
    for column in LIST_COLUMNS:
        values = table[column].tolist()
        table[column] = ["; ".join(v) if isinstance(v, list) else "" for v in values]
    table["published"] = table["published"].dt.strftime("%Y-%m-%d")
    return table.to_csv(index=False).encode("utf-8")


def posts_parquet(posts: pd.DataFrame) -> bytes:
    """The posts as Parquet with the contract's column types."""
    table = posts[list(COLUMNS)].copy()
    for column in LIST_COLUMNS:
        table[column] = [v if isinstance(v, list) else [] for v in table[column].tolist()]
    buffer = io.BytesIO()
    pq.write_table(to_arrow(table.reset_index(drop=True)), buffer)
    return buffer.getvalue()
