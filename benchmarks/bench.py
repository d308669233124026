"""The dashboard's speed and weight at several archive sizes, in one table.

For each size a synthetic archive (``dashboard.synth``) is written as CSV, JSON Lines, Parquet
and RSS 2.0, and every measurement runs in a fresh process, so that nothing one size loaded is
still in memory for the next:

- ingest: ``load_sources`` on one file plus writing the posts table (imports excluded), as
  records per second, and the process's peak resident memory;
- ingest of the posts table ingest itself wrote from the Parquet file (read back as it is);
- the dashboard (AppTest on ``dashboard/app.py``, ``DASHBOARD_DATA`` set to that posts table,
  as a deployment reads ``data/posts.parquet``):
  the cold first paint (importing the dashboard and reading the file included), the follow-up
  run that draws the filters and the rest, the first run of every page and the bytes it sends
  (every element's protobuf of that run, sidebar included: plotly figures travel as JSON and
  tables as Arrow bytes inside their elements), then on each page a visitor's session of
  filter changes (median and slowest), and the process's peak resident memory;
- a naive reference for the same filter changes: read the Parquet file on every change, filter
  with Python loops over the rows, count the posts per month, author and topic.

Prints medians over ``--runs`` runs (one run from 1,000,000 posts: ``--large-runs``) as one
table, a row per metric and a column per size, and writes it with ``--json FILE``. Progress goes
to stderr. A process that outlives ``--timeout`` (or the ``--budget`` of the whole run) is
recorded as "timeout", keeping what it measured so far; the exit status is 1 only when a step
fails (an exception, an error on a page), never because of slow numbers.

    python benchmarks/bench.py [--sizes 1000,100000,1000000] [--runs 3] [--json FILE]
    python benchmarks/bench.py --quick [--json FILE]

``--quick`` is for CI: 100,000 posts, one run, ingest from CSV and Parquet, loading, every
page's first run and bytes, filter changes on the overview, topics and gaps pages (gaps last,
the slowest), no naive reference, all within a 110 s budget.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
PAGES = ("overview", "timeline", "authors", "topics", "gaps", "posts")
QUICK_PAGES = ("overview", "topics", "gaps")
FORMATS = {"csv": "CSV", "jsonl": "JSON Lines", "parquet": "Parquet", "rss": "RSS"}
SUFFIXES = {"csv": ".csv", "jsonl": ".jsonl", "parquet": ".parquet", "rss": ".xml"}
LARGE = 1_000_000  # archives this big run --large-runs times
LINE = "BENCH "  # children prefix the lines they report with this
MATCHING = re.compile(r"([\d,]+) of [\d,]+ posts match")
TIMEOUT, FAILED = "timeout", "failed"
QUICK_BUDGET = 110  # seconds: --quick must finish within two minutes


# --- The measurements, each run in a child process ------------------------------------------


def report(**values) -> None:
    """Hand one result to the parent at once, so a step that times out keeps what it measured."""
    print(LINE + json.dumps(values, default=str), flush=True)


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(posts: int, seed: int, folder: str, formats: list[str]) -> None:
    """Write the synthetic archive once in every format asked for."""
    from dashboard.synth import synthetic_posts, write_archive

    start = time.perf_counter()
    frame = synthetic_posts(posts, seed)
    for name in formats:
        path = Path(folder) / f"posts{SUFFIXES[name]}"
        write_rss(frame, path) if name == "rss" else write_archive(frame, path)
    report(seconds=time.perf_counter() - start)


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
RSS_HEAD = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Synthetic blog</title>
<link>https://blog.example.org/</link>
<description>Synthetic posts for benchmarks.</description>
"""


def write_rss(frame, path: Path) -> None:
    """The posts as one RSS 2.0 feed: an author per ``dc:creator``, topics and tags as
    ``category`` (the loader reads categories as tags and recognises topics among them)."""
    from xml.sax.saxutils import escape

    published = frame["published"]
    dates = [
        f"{WEEKDAYS[w]}, {d:02d} {MONTHS[m - 1]} {y} 00:00:00 +0000"
        for w, d, m, y in zip(
            published.dt.dayofweek,
            published.dt.day,
            published.dt.month,
            published.dt.year,
            strict=True,
        )
    ]
    columns = [frame[c].tolist() for c in ("title", "url", "summary", "authors", "topics", "tags")]
    with path.open("w", encoding="utf-8") as out:
        out.write(RSS_HEAD)
        for day, title, url, summary, authors, topics, tags in zip(dates, *columns, strict=True):
            creators = "".join(f"<dc:creator>{escape(a)}</dc:creator>" for a in authors)
            categories = "".join(f"<category>{escape(c)}</category>" for c in [*topics, *tags])
            out.write(
                f"<item><title>{escape(title)}</title><link>{escape(url)}</link>"
                f'<guid isPermaLink="true">{escape(url)}</guid><pubDate>{day}</pubDate>'
                f"<description>{escape(summary)}</description>{creators}{categories}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def ingest(source: str, out: str) -> None:
    """Load one file and write the posts table, as ``python -m dashboard ingest`` does."""
    from dashboard.load import load_sources
    from dashboard.schema import write_parquet

    start = time.perf_counter()
    result = load_sources([source])
    write_parquet(result.posts, Path(out))
    total = time.perf_counter() - start
    report(seconds=total, read=result.report.read, posts=len(result.posts), peak_mb=peak_mb())


def filter_changes(names: list[str], topics: list[str], first: date, last: date) -> list:
    """A visitor's session: pick an author, a topic, a date, a search word, then clear each."""
    middle = first + (last - first) / 2
    return [
        ("author", "multiselect", [names[0]]),
        ("topic", "multiselect", [topics[0]]),
        ("from", "date_input", middle),
        ("q", "text_input", "city"),
        ("author", "multiselect", []),
        ("topic", "multiselect", []),
        ("from", "date_input", first),
        ("q", "text_input", ""),
        ("author", "multiselect", names[1:3]),
        ("to", "date_input", middle),
        ("author", "multiselect", []),
        ("to", "date_input", last),
    ]


def sent_bytes(block) -> int:
    """Bytes of every element and block of one run below ``block``, as serialised protobufs.

    Charts carry their plotly figure as JSON and tables their rows as Arrow bytes, inside the
    element, so both are counted; a download's file is fetched only on a click, so it is not.
    """
    return sum(node.proto.ByteSize() for node in block if getattr(node, "proto", None))


def matching(app) -> int | None:
    """The number of posts the sidebar says pass the filters."""
    for caption in app.sidebar.caption:
        found = MATCHING.search(caption.value)
        if found:
            return int(found.group(1).replace(",", ""))
    return None


def dashboard(source: str, pages: list[str], changes: int, timeout: float) -> None:
    """Load the dashboard, open every page, then change the filters on each of ``pages``."""
    from streamlit.testing.v1 import AppTest

    def failed(app, what: str) -> None:
        problems = [e.value for e in app.exception] or [e.value for e in app.error]
        if problems:
            raise SystemExit(f"{what}: {problems[0]}")

    def timed(step) -> float:
        start = time.perf_counter()
        step()
        return time.perf_counter() - start

    os.environ["DASHBOARD_DATA"] = source
    app = AppTest.from_file(str(APP), default_timeout=timeout)
    report(first_paint_s=timed(app.run))
    failed(app, "first paint")
    report(follow_up_s=timed(app.run), peak_mb=peak_mb())
    failed(app, "follow-up run")
    names = list(app.multiselect(key="author").options)
    topics = list(app.multiselect(key="topic").options)
    first, last = app.date_input(key="from").value, app.date_input(key="to").value
    script = (filter_changes(names, topics, first, last) * 3)[:changes]
    cleared = [
        ("author", "multiselect", []),
        ("topic", "multiselect", []),
        ("from", "date_input", first),
        ("to", "date_input", last),
        ("q", "text_input", ""),
    ]
    report(script=script, sidebar_bytes=sent_bytes(app.sidebar))
    for page in PAGES:
        seconds = timed(lambda page=page: app.switch_page(f"views/{page}.py").run())
        failed(app, page)
        report(page=page, first_run_s=seconds, bytes=sent_bytes(app.main) + sent_bytes(app.sidebar))
    for page in pages:
        app.switch_page(f"views/{page}.py").run()
        times, counts = [], []
        for key, kind, value in script:
            getattr(app, kind)(key=key).set_value(value)
            times.append(timed(app.run))
            failed(app, f"{page}, {key} = {value!r}")
            counts.append(matching(app))
            report(page=page, changes_s=times)  # so far: a timeout still tells which was slow
        report(page=page, counts=counts)
        report(peak_mb=peak_mb())
        for key, kind, value in cleared:  # the next page starts from the whole archive
            getattr(app, kind)(key=key).set_value(value)
        app.run()


def naive(source: str, script: list) -> None:
    """The same filter changes done naively: read the file every time, loop over the rows."""
    from collections import Counter

    import pyarrow.parquet as pq

    state = {"author": [], "topic": [], "from": None, "to": None, "q": ""}
    times, counts = [], []
    for key, kind, value in script:
        state[key] = date.fromisoformat(value) if kind == "date_input" else value
        start = time.perf_counter()
        rows = pq.read_table(source).to_pylist()
        authors, topics = set(state["author"]), set(state["topic"])
        words = [w.lower() for w in state["q"].split()]
        per_month, per_author, per_topic = Counter(), Counter(), Counter()
        for row in rows:
            day = row["published"]
            if state["from"] and day < state["from"] or state["to"] and day > state["to"]:
                continue
            if authors and not authors.intersection(row["authors"] or ()):
                continue
            if topics and not topics.intersection(row["topics"] or ["Unclassified"]):
                continue
            if words:
                title, summary = (row["title"] or "").lower(), (row["summary"] or "").lower()
                if not all(w in title or w in summary for w in words):
                    continue
            per_month[day.year, day.month] += 1
            per_author.update(row["authors"] or ())
            per_topic.update(row["topics"] or ["Unclassified"])
        times.append(time.perf_counter() - start)
        counts.append(sum(per_month.values()))
    report(filter_change_s=statistics.median(times), counts=counts, peak_mb=peak_mb())


CHILDREN = {"prepare": prepare, "ingest": ingest, "dashboard": dashboard, "naive": naive}


# --- Running the children --------------------------------------------------------------------


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Runner:
    """Runs each measurement in a fresh process, within ``--timeout`` and what is left of
    ``--budget``, and keeps the notes and failures to print under the table."""

    def __init__(self, options) -> None:
        self.options = options
        self.deadline = time.monotonic() + options.budget if options.budget else math.inf
        self.notes: list[str] = []
        self.failures: list[str] = []

    def run(self, step: str, what: str, **arguments) -> dict:
        """What the child reported, with ``status`` "ok", "timeout" or "failed"."""
        limit = min(self.options.timeout, self.deadline - time.monotonic())
        if limit < 1:
            self.notes.append(f"{what}: not run, the time budget was spent")
            return {"status": TIMEOUT, "pages": {}}
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            step,
            json.dumps(arguments, default=str),
        ]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        try:
            done = subprocess.run(
                command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=limit
            )
        except subprocess.TimeoutExpired as expired:
            output = expired.stdout or ""
            got = merge(output.decode() if isinstance(output, bytes) else output)
            progress(f"  {what}: timeout after {limit:.0f} s")
            return {**got, "status": TIMEOUT}
        progress(f"  {what}: {time.perf_counter() - start:.1f} s")
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            self.failures.append(f"{what}: exited with {done.returncode}: {last}")
            return {**merge(done.stdout), "status": FAILED}
        return {**merge(done.stdout), "status": "ok"}


def merge(output: str) -> dict:
    """One dict of a child's reports; a page's reports are gathered under ``pages``."""
    merged: dict = {"pages": {}}
    for line in output.splitlines():
        if line.startswith(LINE):
            values = json.loads(line[len(LINE) :])
            page = values.pop("page", None)
            (merged["pages"].setdefault(page, {}) if page else merged).update(values)
    return merged


def median(values: list) -> float | str | None:
    """The median of the numbers; "failed" or "timeout" when no run gave one."""
    numbers = [v for v in values if isinstance(v, int | float)]
    if numbers:
        return statistics.median(numbers)
    return next((v for v in (FAILED, TIMEOUT) if v in values), None)


def measure(posts: int, runner: Runner) -> dict[str, object]:
    """Every metric for one archive size: metric key -> median value (or why there is none)."""
    options = runner.options
    runs = options.large_runs if posts >= LARGE else options.runs
    size = f"{posts:,} posts"
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        files = {name: str(Path(folder) / f"posts{SUFFIXES[name]}") for name in FORMATS}
        written = runner.run(
            "prepare",
            f"{size}, writing the archive",
            posts=posts,
            seed=options.seed,
            folder=folder,
            formats=sorted({*options.formats, "parquet"}),
        )
        if written["status"] != "ok":
            return results

        for name in options.formats:
            speeds, peaks = [], []
            for number in range(1, runs + 1):
                got = runner.run(
                    "ingest",
                    f"{size}, ingest {FORMATS[name]}, run {number}",
                    source=files[name],
                    out=str(Path(folder) / "out.parquet"),
                )
                if got["status"] != "ok":
                    speeds.append(got["status"]), peaks.append(got["status"])
                    if got["status"] == TIMEOUT:
                        break  # the next run would time out too
                    continue
                if got["read"] != posts or got["posts"] != posts:
                    runner.notes.append(
                        f"{size}, ingest {FORMATS[name]}: read {got['read']:,} "
                        f"records and kept {got['posts']:,} posts"
                    )
                speeds.append(posts / got["seconds"]), peaks.append(got["peak_mb"])
            results[f"ingest.{name}.records_per_s"] = median(speeds)
            results[f"ingest.{name}.peak_mb"] = median(peaks)

        # The dashboard reads what ingest writes, as deployed: the posts table, with its mark.
        table = str(Path(folder) / "posts-table.parquet")
        made = runner.run(
            "ingest",
            f"{size}, ingest into the posts table the dashboard reads",
            source=files["parquet"],
            out=table,
        )
        source = table if made["status"] == "ok" else files["parquet"]
        if made["status"] == "ok":
            speeds = []
            for number in range(1, runs + 1):
                got = runner.run(
                    "ingest",
                    f"{size}, ingest a posts table again, run {number}",
                    source=table,
                    out=str(Path(folder) / "again.parquet"),
                )
                speeds.append(posts / got["seconds"] if got["status"] == "ok" else got["status"])
            results["ingest.table.records_per_s"] = median(speeds)

        apps, naives = [], []
        for number in range(1, runs + 1):
            got = runner.run(
                "dashboard",
                f"{size}, dashboard, run {number}",
                source=source,
                pages=options.pages,
                changes=options.changes,
                timeout=options.timeout,
            )
            apps.append(got)
            if not options.naive or "script" not in got:
                continue
            reference = runner.run(
                "naive",
                f"{size}, naive reference, run {number}",
                source=source,
                script=got["script"],
            )
            if reference["status"] != "ok":
                naives.append(reference["status"])
                continue
            naives.append(reference["filter_change_s"])
            counted = next((p["counts"] for p in got["pages"].values() if "counts" in p), None)
            if counted and counted != reference["counts"]:
                runner.notes.append(
                    f"{size}: the naive reference and the dashboard count other "
                    f"posts ({reference['counts']} against {counted})"
                )
    results.update(app_metrics(apps, options, size, runner.notes))
    if options.naive:
        results["naive.filter_change_s"] = naive_s = median(naives)
        changes = [results[f"page.{p}.filter_change_s"] for p in options.pages]
        changes = [c for c in changes if isinstance(c, float)]
        if changes and isinstance(naive_s, float):
            results["naive.ratio_median_page"] = naive_s / statistics.median(changes)
            results["naive.ratio_slowest_page"] = naive_s / max(changes)
    return results


def app_metrics(apps: list[dict], options, size: str, notes: list[str]) -> dict[str, object]:
    """Medians over the dashboard runs; a run that stopped early counts for what it measured."""

    def values(get) -> list:
        out = []
        for app in apps:
            try:
                out.append(get(app))
            except KeyError:  # the run stopped before this measurement
                out.append(app["status"] if app["status"] != "ok" else None)
        return out

    results = {
        "app.first_paint_s": median(values(lambda a: a["first_paint_s"])),
        "app.follow_up_s": median(values(lambda a: a["follow_up_s"])),
        "app.peak_mb": median(values(lambda a: a["peak_mb"])),
        "app.sidebar_bytes": median(values(lambda a: a["sidebar_bytes"])),
    }
    for page in PAGES:
        for metric in ("first_run_s", "bytes"):
            got = values(lambda a, page=page, metric=metric: a["pages"][page][metric])
            results[f"page.{page}.{metric}"] = median(got)
        if page not in options.pages:
            continue
        medians, slowest = [], []
        for app in apps:
            times = app["pages"].get(page, {}).get("changes_s", [])
            if len(times) == options.changes:
                medians.append(statistics.median(times)), slowest.append(max(times))
                continue
            status = app["status"] if app["status"] != "ok" else FAILED
            medians.append(status), slowest.append(status)
            slowest_done = f", the slowest {max(times):.1f} s" if times else ""
            notes.append(
                f"{size}, {page}: {status} after {len(times)} of {options.changes} "
                f"filter changes{slowest_done}"
            )
        results[f"page.{page}.filter_change_s"] = median(medians)
        results[f"page.{page}.slowest_change_s"] = median(slowest)
    sizes = [results[f"page.{p}.bytes"] for p in PAGES]
    numbers = [s for s in sizes if isinstance(s, int | float)]
    results["app.max_page_bytes"] = max(numbers) if numbers else median(sizes)
    return results


# --- The table -------------------------------------------------------------------------------


def metrics(options) -> list[tuple[str, str, str]]:
    """Rows of the table: (key, label, unit), in the order printed."""
    rows = []
    for name in options.formats:
        rows += [
            (f"ingest.{name}.records_per_s", f"ingest {FORMATS[name]}", "records/s"),
            (f"ingest.{name}.peak_mb", f"ingest {FORMATS[name]}, peak memory", "MB"),
        ]
    rows += [
        ("ingest.table.records_per_s", "ingest a posts table ingest wrote", "records/s"),
        ("app.first_paint_s", "dashboard first paint, cold", "s"),
        ("app.follow_up_s", "dashboard follow-up run", "s"),
        ("app.peak_mb", "dashboard peak memory", "MB"),
    ]
    for page in PAGES:
        rows.append((f"page.{page}.first_run_s", f"{page}: first run", "s"))
        if page in options.pages:
            rows += [
                (f"page.{page}.filter_change_s", f"{page}: filter change", "s"),
                (f"page.{page}.slowest_change_s", f"{page}: slowest filter change", "s"),
            ]
        rows.append((f"page.{page}.bytes", f"{page}: bytes sent", "KB"))
    rows += [
        ("app.sidebar_bytes", "sidebar bytes (in every page's)", "KB"),
        ("app.max_page_bytes", "most bytes sent by a page", "KB"),
    ]
    if options.naive:
        rows += [
            ("naive.filter_change_s", "naive filter change", "s"),
            ("naive.ratio_median_page", "naive / dashboard, median page", "x"),
            ("naive.ratio_slowest_page", "naive / dashboard, slowest page", "x"),
        ]
    rows.append(("wall_s", "benchmark time for this size", "s"))
    return rows


def shown(value, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if unit == "KB":
        return f"{value / 1000:,.1f}"
    if unit in ("records/s", "MB"):
        return f"{value:,.0f}"
    if unit == "x":
        return f"{value:,.1f}" if value >= 1 else f"{value:.2f}" if value >= 0.01 else "<0.01"
    return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"


def table(rows, sizes: list[int], results: dict[int, dict]) -> str:
    """A Markdown table: a row per metric, a column per archive size."""
    header = ["metric", "unit", *[f"{n:,} posts" for n in sizes]]
    lines = [
        [label, unit, *[shown(results[n].get(key), unit) for n in sizes]]
        for key, label, unit in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]

    def row(cells: list[str]) -> str:
        padded = [
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([row(header), rule, *map(row, lines)])


def as_json(options, rows, results: dict[int, dict], runner: Runner) -> str:
    """The table as JSON: per metric its label, unit and value per size (bytes as bytes)."""

    def value(number):
        return None if isinstance(number, float) and not math.isfinite(number) else number

    return (
        json.dumps(
            {
                "sizes": options.sizes,
                "runs": options.runs,
                "large_runs": options.large_runs,
                "changes": options.changes,
                "quick": options.quick,
                "metrics": {
                    key: {
                        "label": label,
                        "unit": "bytes" if unit == "KB" else unit,
                        "values": {str(n): value(results[n].get(key)) for n in options.sizes},
                    }
                    for key, label, unit in rows
                },
                "notes": runner.notes,
                "failures": runner.failures,
            },
            indent=2,
        )
        + "\n"
    )


def sizes_list(text: str) -> list[int]:
    sizes = [int(float(s)) for s in text.replace("_", "").split(",") if s.strip()]
    if not sizes or min(sizes) < 20:
        raise argparse.ArgumentTypeError("sizes are numbers of posts, at least 20 each")
    return sizes


def names_list(choices):
    def parse(text: str) -> list[str]:
        names = [s.strip() for s in text.split(",") if s.strip()]
        if not names or set(names) - set(choices):
            raise argparse.ArgumentTypeError(f"choose from {','.join(choices)}")
        return [c for c in choices if c in names]

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=sizes_list,
        default=[1_000, 100_000, 1_000_000],
        help="numbers of posts, comma-separated (default 1000,100000,1000000)",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument(
        "--large-runs",
        type=int,
        default=1,
        metavar="RUNS",
        help=f"runs per measurement from {LARGE:,} posts on (default 1)",
    )
    parser.add_argument(
        "--formats",
        type=names_list(tuple(FORMATS)),
        default=list(FORMATS),
        help="ingest formats (default csv,jsonl,parquet,rss)",
    )
    parser.add_argument(
        "--pages",
        type=names_list(PAGES),
        default=list(PAGES),
        help="pages whose filter changes are timed (default all)",
    )
    parser.add_argument(
        "--changes", type=int, default=12, help="filter changes timed per page (default 12)"
    )
    parser.add_argument(
        "--no-naive", dest="naive", action="store_false", help="skip the naive reference"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1200,
        metavar="SECONDS",
        help="longest one process may run before it counts as a timeout (default 1200)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        metavar="SECONDS",
        help="longest the whole benchmark may run; later steps time out",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic archive")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the table here")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="for CI: 100,000 posts, one run, CSV and Parquet, filter changes on "
        f"{', '.join(QUICK_PAGES)}, no naive reference, a {QUICK_BUDGET} s budget",
    )
    options = parser.parse_args(argv)
    if options.quick:
        options.sizes, options.runs, options.large_runs = [100_000], 1, 1
        options.formats, options.pages, options.naive = ["csv", "parquet"], list(QUICK_PAGES), False
        options.budget = options.budget or QUICK_BUDGET
    if min(options.runs, options.large_runs, options.changes) < 1:
        parser.error("--runs, --large-runs and --changes must be at least 1")

    runs = f"median of {options.runs} run{'s' * (options.runs > 1)}"
    if any(n >= LARGE for n in options.sizes) and options.large_runs != options.runs:
        runs += f" ({options.large_runs} from {LARGE:,} posts)"
    print(
        f"synthetic archives (seed {options.seed}), {runs}, "
        f"{options.changes} filter changes per page",
        flush=True,
    )
    runner, results = Runner(options), {}
    for posts in options.sizes:
        start = time.perf_counter()
        results[posts] = measure(posts, runner)
        results[posts]["wall_s"] = time.perf_counter() - start
        progress(f"{posts:,} posts measured in {results[posts]['wall_s']:.0f} s")

    rows = metrics(options)
    print(table(rows, options.sizes, results))
    for note in runner.notes:
        print(f"note: {note}")
    for failure in runner.failures:
        print(f"failed: {failure}")
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(as_json(options, rows, results, runner))
    return 1 if runner.failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        CHILDREN[sys.argv[2]](**json.loads(sys.argv[3]))
    else:
        sys.exit(main())
