"""Where a loaded server's time goes: a sampling profile of the dashboard under many sessions.

The dashboard runs as deployed (one ``streamlit run``, no file watcher) under ``py-spy record``
(https://github.com/benfred/py-spy, a sampling profiler that reads the process from outside,
so the server runs at full speed); ``ws_load.py`` drives it with protocol sessions. With
``--gil`` (the default) py-spy samples only the thread holding Python's GIL, which is what one
process has to share between its sessions; ``--all-threads`` samples every active thread.

Each sample's stack is put in one part, looked for from the innermost frame outwards: plotly
serialising a figure to JSON, plotly building a figure (its validators), Arrow (turning a
table into Arrow for ``st.dataframe``), protobuf, then the first frame of the dashboard's own
code (``dashboard/analysis``, ``charts``, ``gaps``, ``views``, ``state``...), then Streamlit's
runtime, the web server (tornado, asyncio) and the rest. Printed: each part's share of the
samples, and the twenty functions of the dashboard with the most samples below them.

    pip install py-spy   # in the test dependencies: pip install -e '.[test]'
    python benchmarks/profile_server.py [--sessions 50] [--seconds 60] [--think 10]
                                        [--shared-links P] [--data FILE | --posts 100000]
                                        [--raw FILE] [--summary-of FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load_test import generated_archive  # noqa: E402
from benchmarks.ws_load import Load, add_load_options, report  # noqa: E402
from tests.browser_support import free_port, wait_until_answers  # noqa: E402

# (part, pattern of a frame's file), looked for from the innermost frame outwards
LIBRARY_PARTS = [
    ("plotly: figure to JSON", re.compile(r"plotly/io/_json|PlotlyJSONEncoder|json/encoder")),
    ("plotly: building figures", re.compile(r"plotly/|_plotly_utils/")),
    ("Arrow tables for st.dataframe", re.compile(r"pyarrow/|dataframe_util|lib/column_config")),
    ("protobuf", re.compile(r"google/protobuf/")),
]
OWN = re.compile(r"\((dashboard/[\w/]+)\.py:\d+\)")
OUTER_PARTS = [
    ("Streamlit runtime", re.compile(r"streamlit/")),
    ("web server (tornado, asyncio)", re.compile(r"tornado/|asyncio/")),
]
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*):\d+\)$")


def part_of(stack: list[str]) -> str:
    """The part a sample belongs to; ``stack`` from the outermost frame to the innermost."""
    for frame in reversed(stack):
        for part, pattern in LIBRARY_PARTS:
            if pattern.search(frame):
                return part
        own = OWN.search(frame)
        if own:
            return own.group(1)
    for part, pattern in OUTER_PARTS:
        if any(pattern.search(frame) for frame in stack):
            return part
    return "other (imports, threads waiting)"


def read_raw(path: Path) -> list[tuple[list[str], int]]:
    """py-spy's raw (collapsed) output: one ``frame;frame;... count`` line per stack."""
    stacks = []
    for line in path.read_text().splitlines():
        frames, _, count = line.rpartition(" ")
        if frames and count.isdigit():
            stacks.append((frames.split(";"), int(count)))
    return stacks


def _function(frame: str) -> str:
    """``function (file)`` of a frame ``function (file:line)``; a module's code as its file."""
    function, _, place = frame.rpartition(" (")
    where = place.rpartition(":")[0]
    return where if function == "<module>" else f"{function} ({where})"


def summary(stacks: list[tuple[list[str], int]], functions: int = 20) -> str:
    """Each part's share of the samples, and the dashboard's functions with most below them."""
    total = sum(count for _, count in stacks) or 1
    parts: Counter[str] = Counter()
    below: Counter[str] = Counter()
    for stack, count in stacks:
        parts[part_of(stack)] += count
        for function in {_function(frame) for frame in stack if "(dashboard/" in frame}:
            below[function] += count
    lines = [f"{total:,} samples"]
    lines += [f"  {count / total:6.1%}  {part}" for part, count in parts.most_common()]
    lines.append("dashboard functions, share of samples spent in them or below:")
    lines += [f"  {count / total:6.1%}  {frame}" for frame, count in below.most_common(functions)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_options(parser, posts=100_000)
    parser.add_argument("--rate", type=int, default=50, help="samples per second (50)")
    parser.add_argument("--all-threads", action="store_true", help="not only the GIL's holder")
    parser.add_argument("--raw", type=Path, help="also keep py-spy's raw stacks here")
    parser.add_argument("--summary-of", type=Path, help="only summarise an earlier --raw file")
    options = parser.parse_args()
    if options.summary_of:
        print(summary(read_raw(options.summary_of)))
        return
    beside = Path(sys.executable).parent / "py-spy"  # installed in this environment
    spy = str(beside) if beside.exists() else shutil.which("py-spy")
    if spy is None:
        raise SystemExit("py-spy is not installed: pip install py-spy")
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="profile-")))
        data = (options.data or generated_archive(scratch, options.posts, options.seed)).resolve()
        raw = options.raw or scratch / "stacks.txt"
        port = free_port()
        command = [
            spy, "record", "--rate", str(options.rate), "--format", "raw", "--output", str(raw),
            *([] if options.all_threads else ["--gil"]), "--",
            sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
            "--server.headless", "true", "--server.port", str(port),
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DASHBOARD_DATA": str(data),
            "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
        }
        log = scratch / "server.log"
        with log.open("wb") as output:
            spying = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        try:
            address = f"http://localhost:{port}"
            wait_until_answers(address, spying, log, 60)
            server = int(
                subprocess.run(
                    ["pgrep", "-P", str(spying.pid)], capture_output=True, text=True
                ).stdout.split()[0]
            )
            load = Load.of(options, data, address, server)
            results = asyncio.run(load.drive())
        finally:
            spying.send_signal(signal.SIGINT)  # py-spy writes its output, then stops the server
            try:
                spying.wait(60)
            except subprocess.TimeoutExpired:
                spying.kill()
        time.sleep(0.5)
        print(report(results))
        print(summary(read_raw(raw)))


if __name__ == "__main__":
    main()
