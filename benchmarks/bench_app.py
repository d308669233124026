"""Server-side time of a filter change: one AppTest rerun, on the bundled and a generated archive.

A filter change is what a visitor waits for after picking an author, a topic, a date or a search
word: the whole script runs again (frame, filters, page). The archive is loaded once before the
measurements, as on a running server; each change is then timed and the median printed per page.

    python benchmarks/bench_app.py [--posts 100000] [--changes 12] [--seed 7]

The generated archive has a long tail of authors (a few write most posts), one to three topics
per post from the bundled taxonomy, and more posts in recent years.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.schema import to_arrow  # noqa: E402

APP = ROOT / "dashboard" / "app.py"
BUNDLED = ROOT / "data" / "posts.parquet"
PAGES = ["overview", "timeline", "authors", "topics", "gaps", "posts"]
FIRST = (
    "Tom James Belinda Cleo Joanna Ian Lucy Mark Andrew Sarah Priya Omar Hannah Daniel Aisha "
    "Rachel Kwame Sofia Liam Grace Mei Ahmed Chloe Owen Fatima Ruth David Nadia Peter Zoe"
).split()
LAST = (
    "Arnold Hickson Tyrrell Hachem Hayes Wray Natarajan Swift Coe McClelland Patel Jones Smith "
    "Williams Brown Taylor Davies Evans Thomas Roberts Khan Walker Wright Green Hall Wood Clarke "
    "Hughes Edwards Turner Hill Moore Baker Harris Lewis Young King Lee Ward Morgan"
).split()
TOPICS = [
    "Balanced regional development and levelling up",
    "English devolution and combined authorities",
    "Social economy and social innovation",
    "Health and wellbeing",
    "Urban governance",
    "Civic participation and community organising",
    "Work and the labour market",
    "Growth and industrial strategy",
    "Planning and infrastructure",
    "Poverty and social inclusion",
    "Climate and energy",
    "National politics and elections",
    "COVID-19",
    "Heritage and culture",
]
WORDS = (
    "notes on the city region a year of lessons from what next for our place people and "
    "questions answers reflections review data evidence ideas why how where"
).split()


def generate_archive(posts: int, seed: int) -> pd.DataFrame:
    """A posts table of ``posts`` rows with realistic skews (see the module docstring)."""
    rng = np.random.default_rng(seed)
    people = np.array([f"{f} {last}" for f in FIRST for last in LAST])
    weights = 1 / np.arange(1, len(people) + 1) ** 1.1  # a long tail: few write most
    weights /= weights.sum()
    byline_sizes = rng.choice([0, 1, 2, 3], posts, p=[0.08, 0.67, 0.2, 0.05])
    authors = [list(dict.fromkeys(rng.choice(people, k, p=weights))) for k in byline_sizes]
    topic_weights = np.linspace(3, 1, len(TOPICS))
    topic_weights /= topic_weights.sum()
    topic_sizes = rng.choice([1, 2, 3], posts, p=[0.5, 0.35, 0.15])
    topics = [list(rng.choice(TOPICS, k, replace=False, p=topic_weights)) for k in topic_sizes]
    span = (pd.Timestamp("2024-12-31") - pd.Timestamp("2005-01-01")).days
    days = (np.sqrt(rng.random(posts)) * span).astype(int)  # more posts in later years
    published = pd.Timestamp("2005-01-01") + pd.to_timedelta(days, unit="D")
    words = rng.choice(WORDS, size=(posts, 7))
    titles = [" ".join(w).capitalize() + f" {i}" for i, w in enumerate(words)]
    return pd.DataFrame(
        {
            "post_id": [f"{i:016x}" for i in range(posts)],
            "title": titles,
            "published": published,
            "url": [f"https://blog.example.org/posts/{i}" for i in range(posts)],
            "summary": [f"A post about {' '.join(w[:4])}." for w in words],
            "authors": authors,
            "topics": topics,
            "tags": [[] for _ in range(posts)],
            "source": "generated",
        }
    )


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


def time_changes(source: Path, changes: int) -> tuple[float, dict[str, float]]:
    """Seconds of the first (loading) run, and the median filter change per page."""
    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_DATA"] = str(source)
    app = AppTest.from_file(str(APP), default_timeout=600)
    start = time.perf_counter()
    app.run()  # the first paint: loads the archive
    loading = time.perf_counter() - start
    app.run()  # the follow-up that draws the filters and the rest of the page
    if app.exception or app.error:
        raise SystemExit(f"the dashboard failed on {source}: {[e.value for e in app.error]}")
    names = list(app.multiselect(key="author").options)
    topics = list(app.multiselect(key="topic").options)
    first, last = app.date_input(key="from").value, app.date_input(key="to").value
    script = filter_changes(names, topics, first, last)
    medians = {}
    for page in PAGES:
        app.switch_page(f"views/{page}.py").run()
        times = []
        for key, kind, value in (script * 3)[:changes]:
            getattr(app, kind)(key=key).set_value(value)
            start = time.perf_counter()
            app.run()
            times.append(time.perf_counter() - start)
            if app.exception:
                raise SystemExit(f"{page}: {app.exception[0].value}")
        medians[page] = statistics.median(times)
    return loading, medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000, help="size of the generated archive")
    parser.add_argument("--changes", type=int, default=12, help="filter changes timed per page")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        generated = Path(folder) / "generated.parquet"
        pq.write_table(to_arrow(generate_archive(options.posts, options.seed)), generated)
        archives = [(f"bundled ({BUNDLED.name})", BUNDLED)] if BUNDLED.exists() else []
        archives.append((f"generated ({options.posts:,} posts)", generated))
        print(f"median seconds of one filter change, {options.changes} changes per page")
        print(f"{'archive':<28} {'first load':>10} " + " ".join(f"{p:>9}" for p in PAGES))
        for name, source in archives:
            loading, medians = time_changes(source, options.changes)
            row = " ".join(f"{medians[p]:>9.3f}" for p in PAGES)
            print(f"{name:<28} {loading:>10.2f} {row}", flush=True)


if __name__ == "__main__":
    main()
