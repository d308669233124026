"""The command line: ``python -m dashboard ingest`` writes the posts table and reports."""

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.__main__ import main

PAGES = Path(__file__).parent / "fixtures" / "data" / "heseltine-pages"


def test_ingest_writes_the_contract_schema_and_reports(tmp_path, capsys):
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(PAGES / "002.txt"), str(PAGES / "009.txt"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    table = pq.read_table(out)
    assert table.schema.names[:9] == [
        "post_id",
        "title",
        "published",
        "url",
        "summary",
        "authors",
        "topics",
        "tags",
        "source",
    ]
    types = dict(zip(table.schema.names, table.schema.types, strict=True))
    assert types["published"] == pa.date32()
    assert types["authors"] == types["topics"] == types["tags"] == pa.list_(pa.string())
    assert types["post_id"] == types["title"] == types["url"] == pa.string()
    assert table.num_rows == 4
    lines = printed.splitlines()
    assert lines[0].split() == ["source", "format", "read", "loaded", "merged", "rejected"]
    assert lines[1].split()[-4:] == ["5", "4", "0", "1"]  # 002: one entry cut short
    assert lines[2].split()[-4:] == ["1", "0", "1", "0"]  # 009: its post is already in 002
    assert any("line 31: rejected: entry 'Why Liver'" in line for line in lines)
    assert lines[-1] == f"wrote 4 posts to {out}"


def test_ingest_that_reads_nothing_fails_and_keeps_the_existing_file(tmp_path, capsys):
    out = tmp_path / "posts.parquet"
    out.write_bytes(b"previous contents")
    garbage = tmp_path / "notes.bin"
    garbage.write_bytes(bytes(range(256)) * 4)
    code = main(["ingest", str(garbage), str(tmp_path / "missing.csv"), "--out", str(out)])
    assert code == 1
    assert out.read_bytes() == b"previous contents"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: nothing could be read")
    assert list(tmp_path.glob(".posts.parquet.*")) == []  # no temporary file left behind


def test_ingest_refuses_other_output_formats(tmp_path, capsys):
    assert main(["ingest", str(PAGES / "009.txt"), "--out", str(tmp_path / "x.csv")]) == 2
    assert "--out must name a .parquet file" in capsys.readouterr().err


def test_ingest_into_unwritable_place_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code = main(["ingest", str(PAGES / "009.txt"), "--out", str(blocker / "posts.parquet")])
    assert code == 1
    assert "error:" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["ingest", "--help"], ["check-enrichment", "--help"]])
def test_help_explains_every_option(argv):
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", *argv], capture_output=True, text=True, check=True
    )
    for word in {
        "--help": ["ingest", "check-enrichment"],
        "ingest": ["--out", "--authors", "--topics", "--max-problems", "--quiet"],
        "check-enrichment": ["LABELLED.json", "--authors", "--topics"],
    }[argv[0]]:
        assert word in done.stdout


def test_bundled_dataset_is_what_the_sources_give(tmp_path):
    """data/posts.parquet is reproducible from data/sources with the documented command."""
    repo = Path(__file__).parents[1]
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(repo / "data" / "sources"), "--out", str(out), "--quiet"]) == 0
    rebuilt = pq.read_table(out).drop_columns(["source"])
    bundled = pq.read_table(repo / "data" / "posts.parquet").drop_columns(["source"])
    assert rebuilt.equals(bundled)


def test_quiet_ingest_prints_only_the_totals(tmp_path, capsys):
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(PAGES / "002.txt"), "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().out.splitlines() == ["total 5 4 0 1", f"wrote 4 posts to {out}"]
