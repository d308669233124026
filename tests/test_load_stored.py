"""A posts table that ingest wrote is read back as it is, only when that gives the same posts."""

import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.__main__ import main
from dashboard.enrich import DEFAULT_AUTHORS, DEFAULT_TOPICS, registries_fingerprint
from dashboard.load import load_sources
from dashboard.schema import MARK

RECORDS = """title,published,url,authors,tags,summary
Devolution deals in the North,2024-03-01,https://blog.example.org/a/,Ada Bello; Tom Chen,Devolution,
A second look at devolution deals,2024-03-02,https://blog.example.org/b/,Ada Bello,,Again.
Hospital waiting lists,2024-02-01,https://blog.example.org/c/,,Health,Tom Chen looks at it.
Hospital waiting lists,2024-02-01,http://www.blog.example.org/c,Tom Chen,,A duplicate record.
"""


@pytest.fixture
def ingested(tmp_path):
    """The posts table that ``ingest`` writes from RECORDS, and the full path's own result."""
    records = tmp_path / "records.csv"
    records.write_text(RECORDS)
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(records), "--out", str(out), "--quiet"]) == 0
    return out, load_sources([records])


def frame_values(posts: pd.DataFrame) -> list[dict]:
    """Plain values to compare; a missing text is None whichever way the table was read."""
    return [
        {
            k: list(v) if k in ("authors", "topics", "tags") else None if pd.isna(v) else v
            for k, v in row.items()
        }
        for row in posts.to_dict("records")
    ]


def test_ingest_marks_its_table_with_the_registries_fingerprint(ingested):
    out, _ = ingested
    metadata = pq.read_schema(out).metadata
    assert metadata[MARK] == registries_fingerprint().encode()


def test_a_marked_table_loads_as_it_is_with_the_same_posts(ingested):
    out, direct = ingested
    result = load_sources([out])
    (entry,) = result.report.sources
    assert (entry.format, entry.read, entry.loaded, entry.merged, entry.rejected) == (
        "posts table",
        3,
        3,
        0,
        0,
    )
    assert frame_values(result.posts) == frame_values(direct.posts)
    assert result.posts["published"].dtype == "datetime64[ns]"


def test_an_edited_taxonomy_sends_the_table_through_the_full_path(ingested, tmp_path):
    out, _ = ingested
    topics = tmp_path / "topics.toml"
    topics.write_text('[[topic]]\nname = "Waiting lists"\nkeywords = ["waiting lists"]\n')
    result = load_sources([out], topics=topics)
    assert result.report.sources[0].format == "parquet"
    by_title = dict(zip(result.posts["title"], result.posts["topics"], strict=True))
    assert list(by_title["Hospital waiting lists"])[0] == "Waiting lists"  # matched again


def test_the_fingerprint_follows_either_registry_file(tmp_path):
    authors, topics = tmp_path / "authors.toml", tmp_path / "topics.toml"
    shutil.copy(DEFAULT_AUTHORS, authors)
    shutil.copy(DEFAULT_TOPICS, topics)
    before = registries_fingerprint(authors, topics)
    assert before == registries_fingerprint()
    topics.write_text(topics.read_text() + "\n# an edit\n")
    assert registries_fingerprint(authors, topics) != before
    authors.write_text(authors.read_text() + "\n# an edit\n")
    assert (
        len(
            {
                before,
                registries_fingerprint(authors, topics),
                registries_fingerprint(authors, DEFAULT_TOPICS),
            }
        )
        == 3
    )


@pytest.mark.parametrize(
    "tamper, problem",
    [
        (
            lambda t: t.set_column(1, "title", pa.array([None, "x", "y"], pa.string())),
            "title is empty",
        ),
        (lambda t: t.set_column(0, "post_id", pa.array(["same"] * 3, pa.string())), None),
        (
            lambda t: t.set_column(1, "title", pa.array(["", "x", "y"], pa.string())),
            "title is empty",
        ),
    ],
    ids=["missing title", "repeated ids", "empty title"],
)
def test_a_marked_table_that_fails_a_check_is_read_record_by_record(ingested, tamper, problem):
    out, _ = ingested
    table = pq.read_table(out)
    pq.write_table(tamper(table).replace_schema_metadata(table.schema.metadata), out)
    result = load_sources([out])
    (entry,) = result.report.sources
    assert entry.format == "parquet"
    assert entry.read == entry.loaded + entry.merged + entry.rejected == 3
    if problem:
        assert [p.reason for p in result.report.problems if p.rejected] == [problem]


def test_an_unmarked_table_takes_the_full_path(ingested):
    out, direct = ingested
    table = pq.read_table(out)
    pq.write_table(table.replace_schema_metadata(None), out)
    result = load_sources([out])
    assert result.report.sources[0].format == "parquet"
    assert frame_values(result.posts) == frame_values(direct.posts)
