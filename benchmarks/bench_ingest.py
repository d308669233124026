"""Ingest throughput and peak memory for generated CSV and JSON Lines archives.

Each run is a fresh process that loads one file and writes the posts table, timing the load and
write (imports excluded) and reporting its own peak resident memory. Prints medians.

    python benchmarks/bench_ingest.py [--records 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

CHILD = """
import json, resource, sys, time
from pathlib import Path
from dashboard.schema import write_parquet
from dashboard.load import load_sources
start = time.perf_counter()
result = load_sources([sys.argv[1]])
loaded = time.perf_counter()
write_parquet(result.posts, Path(sys.argv[2]))
done = time.perf_counter()
print(json.dumps({"load": loaded - start, "total": done - start, "posts": len(result.posts),
                  "read": result.report.read,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

FIRST = ["Tom", "James", "Belinda", "Cleo", "Joanna", "Ian", "Lucy", "Mark", "Andrew", "Sarah"]
LAST = ["Arnold", "Hickson", "Tyrrell", "Hachem", "Hayes", "Wray", "Natarajan", "Swift", "Coe"]
WORDS = ("devolution levelling up combined authority housing transport health work skills "
         "growth planning election mayor city region community economy policy").split()


def generate(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` realistic records: long-tail authors, one to three tags, 15 years of dates."""
    rng = np.random.default_rng(seed)
    people = [f"{first} {last}" for first in FIRST for last in LAST]
    weights = 1 / np.arange(1, len(people) + 1)
    weights /= weights.sum()
    first = rng.choice(len(people), n, p=weights)
    second = rng.choice(len(people), n, p=weights)
    coauthored = rng.random(n) < 0.2
    authors = [
        [people[a], people[b]] if c and a != b else [people[a]]
        for a, b, c in zip(first, second, coauthored, strict=True)
    ]
    words = rng.choice(WORDS, size=(n, 8))
    titles = [" ".join(w).capitalize() + f" ({i})" for i, w in enumerate(words)]
    days = rng.integers(0, 15 * 365, n)
    dates = (pd.Timestamp("2010-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    tags = [list(rng.choice(WORDS, rng.integers(1, 4), replace=False)) for _ in range(n)]
    return pd.DataFrame({
        "title": titles,
        "published": dates,
        "url": [f"https://blog.example.org/posts/{i}/" for i in range(n)],
        "summary": [f"In this blog, {a[0]} looks at {t.lower()}." for a, t in
                    zip(authors, titles, strict=True)],
        "authors": authors,
        "tags": tags,
    })


def write_inputs(frame: pd.DataFrame, folder: Path) -> dict[str, Path]:
    csv_frame = frame.assign(authors=frame["authors"].map("; ".join),
                             tags=frame["tags"].map("; ".join))
    paths = {"csv": folder / "posts.csv", "jsonl": folder / "posts.jsonl"}
    csv_frame.to_csv(paths["csv"], index=False)
    frame.to_json(paths["jsonl"], orient="records", lines=True, force_ascii=False)
    return paths


def run(path: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(out)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_inputs(generate(args.records), folder)
        print(f"{args.records:,} records, median of {args.runs} runs")
        print(f"{'format':<7} {'load s':>8} {'load+write s':>13} {'records/s':>11} {'peak MB':>8}")
        for name, path in paths.items():
            runs = [run(path, folder / "out.parquet") for _ in range(args.runs)]
            assert all(r["read"] == args.records for r in runs)
            load = statistics.median(r["load"] for r in runs)
            total = statistics.median(r["total"] for r in runs)
            peak = statistics.median(r["rss_mb"] for r in runs)
            print(f"{name:<7} {load:>8.3f} {total:>13.3f} {args.records / total:>11,.0f} "
                  f"{peak:>8.0f}")


if __name__ == "__main__":
    main()
