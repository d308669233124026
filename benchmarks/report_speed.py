"""How long the report of a period takes, loading included, as a visitor's command would.

    python benchmarks/report_speed.py ARCHIVE.parquet [--period 2024-Q2] [--runs 3]

Each run is a fresh ``python -m dashboard report`` process (imports, reading the posts table,
the long tables, the report); prints each run, the median and the report's size.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--period", default="2024-Q2")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    times = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.html"
        for run in range(1, args.runs + 1):
            command = [sys.executable, "-m", "dashboard", "report", "--period", args.period,
                       "--data", str(args.archive), "--out", str(out)]  # fmt: skip
            start = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            if done.returncode:
                print(done.stderr.strip(), file=sys.stderr)
                return 1
            times.append(elapsed)
            print(f"run {run}: {elapsed:.2f} s")
        size = out.stat().st_size
    print(f"median {statistics.median(times):.2f} s; report {size / 1000:,.0f} kB ({args.period})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
