"""The synthetic archive: reproducible, marked synthetic, and shaped like a real blog."""

import numpy as np
import pandas as pd
import pytest

from dashboard.load import load_sources
from dashboard.synth import synthetic_posts, write_archive


@pytest.fixture(scope="module")
def posts():
    return synthetic_posts(20_000, seed=5)


def test_same_seed_same_archive_other_seed_other_archive():
    assert synthetic_posts(500, seed=2).equals(synthetic_posts(500, seed=2))
    assert not synthetic_posts(500, seed=2)["published"].equals(
        synthetic_posts(500, seed=3)["published"]
    )


def test_every_record_is_marked_synthetic(posts):
    assert set(posts["source"]) == {"synthetic (seed=5)"}


def test_spans_sixteen_years_and_grows(posts):
    years = posts["published"].dt.year.value_counts()
    assert years.index.min() == 2010 and years.index.max() == 2025
    assert years[2025] > 2 * years[2010]


def test_quiet_august_weekends_and_silent_spells(posts):
    months = posts["published"].dt.month.value_counts()
    assert months[8] < 0.6 * months[[3, 4, 5, 6]].mean()
    weekend = posts["published"].dt.day_of_week >= 5
    assert weekend.mean() < 0.1
    days = np.unique(posts["published"].to_numpy().astype("datetime64[D]"))
    assert (np.diff(days).astype(int) >= 21).sum() >= 5  # spells with nothing at all


def test_long_tail_of_authors_and_co_authored_posts(posts):
    per_author = posts["authors"].explode().value_counts()
    assert per_author.iloc[0] > 20 * per_author.median()  # a few prolific, most occasional
    sizes = posts["authors"].map(len).value_counts(normalize=True)
    assert 0.17 < sizes[2] < 0.23 and 0.04 < sizes[0] < 0.08
    assert posts["topics"].map(len).between(1, 3).all()
    assert posts["topics"].map(len).gt(1).mean() > 0.4


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_written_archive_loads_back_whole(tmp_path, suffix):
    small = synthetic_posts(300, seed=9)
    out = tmp_path / f"archive{suffix}"
    write_archive(small, out)
    result = load_sources([out])
    assert result.report.read == 300 and result.report.loaded == 300
    assert result.report.rejected == 0
    loaded = result.posts.set_index("url").loc[small["url"]]
    assert loaded["published"].tolist() == small["published"].tolist()
    assert loaded["authors"].tolist() == small["authors"].tolist()


def test_unknown_extension_is_refused(tmp_path):
    with pytest.raises(ValueError, match="use .parquet, .csv or .jsonl"):
        write_archive(synthetic_posts(5), tmp_path / "archive.xlsx")


def test_synth_command_writes_the_archive(tmp_path, capsys):
    from dashboard.__main__ import main

    out = tmp_path / "big.csv"
    assert main(["synth", "--posts", "250", "--seed", "4", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote 250 synthetic posts to {out}"
    assert len(pd.read_csv(out)) == 250
    assert main(["synth", "--posts", "0", "--out", str(out)]) == 2
