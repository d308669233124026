"""benchmarks/bench.py end to end on a tiny archive: every metric of every page and format."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench.py"
PAGES = ["overview", "timeline", "authors", "topics", "gaps", "posts"]
FORMATS = ["csv", "jsonl", "parquet", "rss"]


def test_bench_reports_every_metric(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "100", "--runs", "1", "--changes", "2",
         "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())
    expected = {f"ingest.{f}.{m}" for f in FORMATS for m in ("records_per_s", "peak_mb")}
    expected |= {
        f"page.{p}.{m}"
        for p in PAGES
        for m in ("first_run_s", "filter_change_s", "slowest_change_s", "bytes")
    }
    expected |= {
        "ingest.table.records_per_s",
        "app.first_paint_s",
        "app.follow_up_s",
        "app.peak_mb",
        "app.sidebar_bytes",
        "app.max_page_bytes",
        "naive.filter_change_s",
        "naive.ratio_median_page",
        "naive.ratio_slowest_page",
        "wall_s",
    }
    assert expected <= set(result["metrics"])
    values = {key: metric["values"]["100"] for key, metric in result["metrics"].items()}
    assert {k: v for k, v in values.items() if not (isinstance(v, int | float) and v > 0)} == {}
    assert result["failures"] == [] and result["notes"] == []
    # Charts and tables travel inside their elements, so a page weighs kilobytes, not bytes.
    assert all(values[f"page.{p}.bytes"] > 2000 for p in PAGES)
    assert "| metric" in done.stdout


def test_ingest_stages_times_every_stage_of_a_file(tmp_path):
    from dashboard.load import load_sources
    from dashboard.synth import synthetic_posts, write_archive

    source = tmp_path / "records.csv"
    write_archive(synthetic_posts(300, seed=3), source)
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "ingest_stages.py"), str(source),
         "--runs", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert f"{len(load_sources([source]).posts):,} posts" in lines[0]
    stages = [line.split("  ")[1].strip() for line in lines[1:]]
    assert stages[:-1] == [
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
    ]
    assert lines[-1].split()[0] == "total" and lines[-1].endswith("records/s")


@pytest.mark.browser
def test_page_controls_times_each_control_against_another_checkout():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "page_controls.py"), "--clicks", "2",
         "--against", str(ROOT)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    header, *rows = done.stdout.splitlines()
    assert header.split() == ["page", "control", "now", "before", "ratio"]
    assert [row.split()[0] for row in rows] == ["gaps", "gaps", "topics"]
    for row in rows:
        seconds = [float(cell) for cell in row.split() if cell.replace(".", "").isdigit()]
        assert len(seconds) == 2 and all(0 < s < 60 for s in seconds)
        ratio = float(row.split()[-1].removesuffix("x"))
        assert ratio == pytest.approx(seconds[1] / seconds[0], abs=0.01)


def test_page_controls_refuses_a_folder_without_the_dashboard(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "page_controls.py"), "--against",
         str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "holds no dashboard/app.py" in done.stderr


def test_report_speed_times_fresh_report_commands():
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "report_speed.py"),
         str(ROOT / "data" / "posts.parquet"), "--period", "2024", "--runs", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    *runs, summary = done.stdout.splitlines()
    seconds = [float(line.split()[2]) for line in runs]
    assert [line.split()[:2] for line in runs] == [["run", "1:"], ["run", "2:"]]
    median = float(summary.split()[1])
    assert median == pytest.approx(sum(seconds) / 2, abs=0.01)  # the median of two runs
    assert summary.endswith("(2024)") and "kB" in summary


def test_ws_load_runs_sessions_over_the_websocket(tmp_path):
    out = tmp_path / "ws_load.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "ws_load.py"), "--posts", "2000",
         "--sessions", "3", "--seconds", "8", "--think", "1", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())
    assert result["reruns"] > 0
    assert result["errors"] == 0 and result["dropped_sessions"] == 0, result["samples"]
    assert result["p50_s"] <= result["p95_s"] <= result["max_s"]
    assert result["memory"]["after_warm_up_mb"] > 0 and result["memory"]["end_mb"] > 0


PROFILE = ROOT / "benchmarks" / "profile_server.py"
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.mark.parametrize(
    ("stack", "part"),
    [
        # innermost frame last, as py-spy writes them
        (["run (threading.py:982)", "<module> (dashboard/app.py:52)",
          "chart (dashboard/views/blocks.py:40)",
          "plotly_chart (streamlit/elements/plotly_chart.py:899)",
          "to_json (plotly/io/_json.py:200)", "encode (json/encoder.py:199)"],
         "plotly: figure to JSON"),
        (["<module> (dashboard/views/topics.py:60)", "heatmap_chart (dashboard/charts.py:391)",
          "__init__ (plotly/graph_objs/_figure.py:10)",
          "validate (_plotly_utils/basevalidators.py:5)"],
         "plotly: building figures"),
        (["<module> (dashboard/views/gaps.py:80)", "dataframe (streamlit/elements/arrow.py:600)",
          "convert_anything_to_arrow_bytes (streamlit/dataframe_util.py:900)"],
         "Arrow tables for st.dataframe"),
        (["<module> (dashboard/views/gaps.py:80)", "last_activity (dashboard/gaps.py:120)",
          "groupby (pandas/core/frame.py:9000)"],
         "dashboard/gaps"),
        (["<module> (dashboard/app.py:40)", "_enqueue (streamlit/delta_generator.py:500)",
          "SerializeToString (google/protobuf/message.py:3)"],
         "protobuf"),
        (["run (threading.py:982)",
          "_run_script (streamlit/runtime/scriptrunner/script_runner.py:961)"],
         "Streamlit runtime"),
        (["run_forever (asyncio/base_events.py:600)", "write_message (tornado/websocket.py:300)"],
         "web server (tornado, asyncio)"),
    ],
)  # fmt: skip
def test_profile_server_puts_each_sample_in_the_part_it_was_spent_in(stack, part):
    from profile_server import part_of

    assert part_of(stack) == part


def test_profile_server_summary_counts_shares_and_the_dashboard_functions(tmp_path):
    from profile_server import read_raw, summary

    raw = tmp_path / "stacks.txt"
    raw.write_text(
        "<module> (dashboard/app.py:52);silent_spells (dashboard/views/gaps.py:80);"
        "last_activity (dashboard/gaps.py:120) 3\n"
        "<module> (dashboard/app.py:52);to_json (plotly/io/_json.py:200) 1\n"
    )
    lines = summary(read_raw(raw)).splitlines()
    assert lines[0] == "4 samples"
    assert "   75.0%  dashboard/gaps" in lines and "   25.0%  plotly: figure to JSON" in lines
    assert "  100.0%  dashboard/app.py" in lines  # the module's code: every sample below it
    assert "   75.0%  silent_spells (dashboard/views/gaps.py)" in lines


def test_profile_server_profiles_a_dashboard_under_load(tmp_path):
    raw = tmp_path / "stacks.txt"
    done = subprocess.run(
        [sys.executable, str(PROFILE), "--posts", "500", "--sessions", "3", "--seconds", "6",
         "--think", "1", "--rate", "200", "--raw", str(raw)],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "errors 0; dropped sessions 0" in done.stdout
    assert "dashboard functions, share of samples spent in them or below:" in done.stdout
    assert "(dashboard/app.py:" in raw.read_text()  # the server's own stacks were sampled


def test_ws_load_sessions_meet_on_the_shared_links_as_often_as_asked():
    import random

    from ws_load import LINKS, Load, Names

    names = Names(
        authors=[f"Author {n}" for n in range(200)],
        topics=[f"Topic {n}" for n in range(20)],
        years=list(range(2000, 2025)),
        words=[f"word{n}" for n in range(200)],
    )

    def views(shared: float) -> list[tuple[str, str]]:
        load = Load("http://localhost:1", names, 50, 60, 10, 7, None, shared)
        rng = random.Random(1)
        return [load.next_view(rng) for _ in range(2000)], load.links

    opened, links = views(1.0)
    assert len(links) == LINKS and set(opened) <= set(links)
    opened, links = views(0.5)
    from_links = sum(view in links for view in opened) / len(opened)
    assert 0.45 < from_links < 0.6  # unfiltered views of a page may also match a link
    opened, links = views(0.0)
    assert len(set(opened)) > 1000  # each session's own filters: views rarely repeat
