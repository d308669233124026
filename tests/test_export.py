"""The downloads of dashboard.export.

The archive is ``CLEAN_POSTS`` of conftest (ten posts, Jan 2023 to Jun 2024); each expected value
below is read off that table, not computed by the code under test.
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow.parquet as pq

from dashboard import export
from dashboard.schema import from_arrow


def test_posts_parquet_round_trips(posts):
    back = from_arrow(pq.read_table(io.BytesIO(export.posts_parquet(posts))))
    assert len(back) == 10
    assert back["authors"].iloc[0] == ["Joanna Hayes"]
    assert back["published"].iloc[0] == pd.Timestamp("2024-06-25")


def test_posts_csv_joins_lists(posts):
    text = export.posts_csv(posts).decode("utf-8")
    back = pd.read_csv(io.StringIO(text))
    assert len(back) == 10
    assert "Tom Arnold; Cleo Hachem" in set(back["authors"])
    assert back["published"].iloc[0] == "2024-06-25"
