"""Where ingest time goes: each stage of loading one records file, timed on its own.

The stages are those of ``dashboard.load.load_sources`` followed by writing the posts table,
called one after the other as the pipeline calls them:

    python benchmarks/ingest_stages.py FILE [--runs 3]

Each run is a fresh process (imports excluded from the times); the script prints the median
seconds of each stage and the records per second of the whole, and the number of posts, which
must equal what ``python -m dashboard ingest FILE`` writes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = (
    "read the file",
    "detect and parse",
    "normalise",
    "merge keys",
    "group records",
    "post ids",
    "authors",
    "topics",
    "order",
    "write",
)


def one_run(source: str, out: str) -> dict[str, float]:
    """The seconds of each stage, and the posts made, in this process."""
    sys.path.insert(0, str(ROOT))
    from dashboard.enrich import load_registries, registries_fingerprint
    from dashboard.enrich.authors import author_column
    from dashboard.enrich.topics import assign_topics
    from dashboard.load import detect, merge
    from dashboard.load.normalise import normalise
    from dashboard.load.prepare import newest_first_order
    from dashboard.schema import COLUMNS, MARK_ATTR, write_parquet

    times: dict[str, float] = {}
    clock = [time.perf_counter()]

    def done(stage: str) -> None:
        now = time.perf_counter()
        times[stage] = now - clock[0]
        clock[0] = now

    data = Path(source).read_bytes()
    done("read the file")
    frame, _, _, address, _ = detect.read(data, source, None)
    done("detect and parse")
    rows, _, _ = normalise(frame, source, address)
    done("normalise")
    rows["_tkey"], rows["_ukey"] = merge._keys(rows)
    done("merge keys")
    groups = merge.group_ids(rows["_tkey"], rows["_ukey"])
    done("group records")
    if len(set(groups.tolist())) != len(rows):
        raise SystemExit("records merge in this file: time it with bench.py instead")
    posts = merge._with_ids(rows)
    done("post ids")
    registry, taxonomy = load_registries()
    posts["authors"] = author_column(posts, registry)
    done("authors")
    posts["topics"] = assign_topics(posts, taxonomy)
    done("topics")
    table = posts.iloc[newest_first_order(posts)][list(COLUMNS)].reset_index(drop=True)
    table.attrs[MARK_ATTR] = registries_fingerprint()
    done("order")
    write_parquet(table, Path(out))
    done("write")
    return {**times, "posts": len(table)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="a records file (CSV, JSON Lines, Parquet ...)")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes (default 3)")
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "posts.parquet")
        if options.one_run:
            print(json.dumps(one_run(options.file, out)))
            return 0
        runs = []
        for _ in range(options.runs):
            done = subprocess.run(
                [sys.executable, __file__, options.file, "--one-run"],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode:
                sys.stderr.write(done.stderr)
                return 1
            runs.append(json.loads(done.stdout.splitlines()[-1]))
    medians = {stage: statistics.median(r[stage] for r in runs) for stage in STAGES}
    total = sum(medians.values())
    posts = runs[0]["posts"]
    print(f"{options.file}: {posts:,} posts, median of {len(runs)} runs")
    for stage, seconds in medians.items():
        print(f"  {stage:18s} {seconds:7.3f} s  {seconds / total:5.1%}")
    print(f"  {'total':18s} {total:7.3f} s  {posts / total:,.0f} records/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
