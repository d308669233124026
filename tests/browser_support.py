"""What the real-browser tests and the browser benchmarks share: Chromium and a dashboard server.

Debian's Chromium (``playwright install`` is not used) with the flags a headless container
needs, a free local port, and ``streamlit_server``: ``streamlit run dashboard/app.py`` started
with extra environment variables, waited for until it answers, and stopped afterwards.

It lives beside the tests, which import it as ``browser_support`` the way they import
``conftest``. The benchmarks put the project root on ``sys.path`` (as they already do for
``dashboard``) and import it as ``tests.browser_support``. It uses only the standard library, so
importing it costs nothing and needs neither pytest nor Playwright.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# keyword arguments of ``playwright.chromium.launch`` (sync or async API)
CHROMIUM_LAUNCH = {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}
MISSING_CHROMIUM = (
    f"Debian's Chromium is missing ({CHROMIUM}): the browser tests and benchmarks need it. "
    "Install it with `apt-get install -y chromium`."
)
SERVER_START_SECONDS = 60


class ServerError(RuntimeError):
    """A server that exited or did not answer in time; the message ends with its log."""


@dataclass(frozen=True)
class Server:
    """A running server: its address (``http://localhost:PORT``), process and log file."""

    address: str
    process: subprocess.Popen
    log: Path


def descendants(pid: int) -> list[int]:
    """The ids of every process below ``pid``, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found.extend(children)
        todo.extend(children)
    return found


def free_port() -> int:
    """A TCP port nobody listens on at the moment of asking."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(address: str) -> bool:
    """Whether a Streamlit server (or a proxy in front of one) says it is healthy."""
    try:
        with urllib.request.urlopen(f"{address}/_stcore/health", timeout=2) as answer:
            return answer.read() == b"ok"
    except OSError:
        return False


def wait_until_answers(
    address: str, process: subprocess.Popen, log: Path, seconds: float = SERVER_START_SECONDS
) -> None:
    """Wait until ``address`` is healthy; raise ``ServerError`` if ``process`` exits first."""
    deadline = time.monotonic() + seconds
    while not answers(address):
        if process.poll() is not None:
            raise ServerError(f"the server exited with {process.returncode}:\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise ServerError(f"{address} did not answer within {seconds:.0f} s:\n{_tail(log)}")
        time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    """Terminate ``process`` and wait for it; kill it if it takes more than ten seconds."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def streamlit_server(
    env: Mapping[str, str] | None = None,
    script: Path = APP,
    log: Path | None = None,
    seconds: float = SERVER_START_SECONDS,
) -> Iterator[Server]:
    """``streamlit run script`` (the dashboard by default) on a free port, headless.

    ``env`` adds to (or overrides) this process's environment, e.g. ``DASHBOARD_DATA``. Output
    goes to ``log`` (a temporary file when not given). Yields once the server answers.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    variables = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    with tempfile.TemporaryDirectory(prefix="streamlit-") as scratch:
        log = log or Path(scratch) / "streamlit.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                command, cwd=ROOT, env=variables, stdout=output, stderr=subprocess.STDOUT
            )
        try:
            address = f"http://localhost:{port}"
            wait_until_answers(address, process, log, seconds)
            yield Server(address, process, log)
        finally:
            stop(process)


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
