"""Several dashboard processes behind nginx (deploy/): the proxy, sticky sessions, a short load.

Starts ``deploy/cluster.py`` as an operator would (two processes behind Debian's nginx, on a
generated archive) and checks with real Chromium sessions that nginx proxies pages and the
websocket, that a browser's page and websocket reach the same process while different browsers
can reach different ones, that a short load test through nginx passes, and that Ctrl-C stops
everything. nginx (``/usr/sbin/nginx``) is required: without it these tests fail.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_support import descendants, free_port
from conftest import ROOT

pytestmark = pytest.mark.browser

NGINX = Path("/usr/sbin/nginx")
MISSING_NGINX = (
    f"Debian's nginx is missing ({NGINX}): the scale-out tests need it. "
    "Install it with `apt-get install -y nginx`."
)
CLUSTER = ROOT / "deploy" / "cluster.py"
LOAD_TEST = ROOT / "benchmarks" / "load_test.py"
START_SECONDS = 120
ROUTE = re.compile(r"dashboard_route=([0-9a-f]{32});")
VIEWPORT = {"width": 1280, "height": 800}
CAPTION = '[data-testid="stSidebar"] [data-testid="stCaptionContainer"]'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@dataclass
class Cluster:
    """A running ``deploy/cluster.py``: nginx's URL, the processes behind it, its files."""

    url: str
    upstreams: list[str]
    launcher: subprocess.Popen
    directory: Path

    def access_log(self) -> str:
        return (self.directory / "logs" / "access.log").read_text()


@contextmanager
def running_cluster(directory: Path, processes: int, data: Path):
    if not NGINX.exists():
        pytest.fail(MISSING_NGINX)
    output = directory / "cluster.out"
    command = [
        sys.executable, str(CLUSTER), "--processes", str(processes), "--port", str(free_port()),
        "--data", str(data), "--dir", str(directory / "cluster"),
    ]  # fmt: skip
    with output.open("wb") as sink:
        launcher = subprocess.Popen(command, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_SECONDS
        while "ready " not in output.read_text():
            if launcher.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"deploy/cluster.py did not start:\n{output.read_text()}")
            time.sleep(0.3)
        lines = output.read_text().splitlines()
        url = next(line.split()[1] for line in lines if line.startswith("ready "))
        upstreams = [line.split("//")[1] for line in lines if line.startswith("process ")]
        yield Cluster(url, upstreams, launcher, directory / "cluster")
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGINT)
            try:
                launcher.wait(timeout=30)
            except subprocess.TimeoutExpired:
                launcher.kill()
                launcher.wait()


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """2,000 synthetic posts, passed through ingest (the load test counts from this file)."""
    directory = tmp_path_factory.mktemp("archive")
    raw, posts = directory / "synthetic.parquet", directory / "posts.parquet"
    dashboard = [sys.executable, "-m", "dashboard"]
    for command in (
        [*dashboard, "synth", "--posts", "2000", "--out", str(raw), "--seed", "5"],
        [*dashboard, "ingest", str(raw), "--out", str(posts), "--quiet"],
    ):
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return posts


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, archive):
    with running_cluster(tmp_path_factory.mktemp("cluster"), 2, archive) as running:
        yield running


@dataclass
class Visit:
    """A browser context that records which process answered its requests and websocket."""

    context: object
    page: object
    http: set[str] = field(default_factory=set)
    websocket: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, context) -> Visit:
        """A new page in ``context``, its answers and websocket handshakes recorded."""
        visit = cls(context, context.new_page())
        visit.page.on("response", visit._response)
        visit.page.on("requestfailed", lambda r: visit.failures.append(f"{r.url} {r.failure}"))
        cdp = context.new_cdp_session(visit.page)
        cdp.send("Network.enable")
        cdp.on("Network.webSocketHandshakeResponseReceived", visit._handshake)
        return visit

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failures.append(f"{response.url} HTTP {response.status}")
        if upstream := response.headers.get("x-upstream"):
            self.http.add(upstream)

    def _handshake(self, event: dict) -> None:
        headers = {key.lower(): value for key, value in event["response"]["headers"].items()}
        self.websocket.add(headers.get("x-upstream", "(no X-Upstream header)"))

    def route(self) -> str:
        return next(c["value"] for c in self.context.cookies() if c["name"] == "dashboard_route")

    def open(self, address: str) -> None:
        """The landing page, whole: heading, filters, match count, a drawn chart, a quiet app."""
        page = self.page
        page.goto(address)
        page.get_by_role("heading", name="Overview", level=1).wait_for(timeout=60_000)
        page.locator(CAPTION).filter(has_text="posts match").wait_for(timeout=60_000)
        page.locator(".js-plotly-plot .main-svg").nth(1).wait_for(timeout=60_000)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stApp\"]')"
            ".getAttribute('data-test-script-state') === 'notRunning'",
            timeout=60_000,
        )


def head(url: str, cookie: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, answer.headers, answer.read()


def test_nginx_proxies_and_hands_out_a_route(cluster):
    assert head(f"{cluster.url}/_stcore/health")[2] == b"ok"
    status, headers, body = head(f"{cluster.url}/")
    assert status == 200 and b'<div id="root">' in body
    upstream = headers["X-Upstream"]
    assert upstream in cluster.upstreams
    route = ROUTE.search(" ".join(headers.get_all("Set-Cookie")))
    assert route, headers.get_all("Set-Cookie")
    # with the cookie: the same process every time, and no new route
    for _ in range(5):
        _, again, _ = head(f"{cluster.url}/", f"dashboard_route={route.group(1)}")
        assert again["X-Upstream"] == upstream
        assert not ROUTE.search(" ".join(again.get_all("Set-Cookie") or []))
    config = (cluster.directory / "nginx.conf").read_text()
    assert f"listen {cluster.url.split('//')[1]};" in config
    assert all(f"server {upstream};" in config for upstream in cluster.upstreams)


def test_a_session_through_nginx_renders_without_errors(cluster, browser):
    visit = Visit.of(browser.new_context(viewport=VIEWPORT))
    try:
        visit.open(f"{cluster.url}/")
        assert visit.page.locator(ERRORS).count() == 0
        assert visit.failures == []
        assert "of 2,000 posts match" in visit.page.locator(CAPTION).last.inner_text()
    finally:
        visit.context.close()


def test_a_sessions_page_and_websocket_reach_the_same_process(cluster, browser):
    visit = Visit.of(browser.new_context(viewport=VIEWPORT))
    try:
        visit.open(f"{cluster.url}/")
        route = visit.route()
    finally:
        visit.context.close()
    assert len(visit.http) == 1 and visit.http <= set(cluster.upstreams)
    assert visit.websocket == visit.http
    # nginx's own log agrees; the websocket's line is written when it closes
    deadline = time.monotonic() + 15
    websocket_line = re.compile(rf'"GET /_stcore/stream HTTP/1.1" 101 \d+ route={route} ')
    while not websocket_line.search(cluster.access_log()):
        assert time.monotonic() < deadline, "the websocket's line never reached the access log"
        time.sleep(0.2)
    served = re.findall(rf"route={route} upstream=(\S+)", cluster.access_log())
    assert len(served) > 3 and set(served) == visit.http


def test_different_sessions_can_reach_different_processes(cluster, browser):
    # A new browser gets a random route: contexts until two landed on different processes.
    contexts, first_of = [], {}
    try:
        for _ in range(20):
            context = browser.new_context()
            contexts.append(context)
            answer = context.request.get(f"{cluster.url}/_stcore/health")
            first_of.setdefault(answer.headers["x-upstream"], context)
            if len(first_of) == 2:
                break
        assert len(first_of) == 2, "20 browsers in a row reached the same process"
    finally:
        for context in contexts:
            if context not in first_of.values():
                context.close()
    served = {}
    for upstream, context in first_of.items():
        visit = Visit.of(context)
        try:
            visit.open(f"{cluster.url}/")
        finally:
            context.close()
        assert visit.http == visit.websocket == {upstream}
        served[upstream] = visit
    assert len(served) == 2


def test_a_short_load_test_through_nginx_passes(cluster, archive, tmp_path):
    results = tmp_path / "load.json"
    command = [
        sys.executable, str(LOAD_TEST), "--url", f"{cluster.url}", "--sessions", "3",
        "--seconds", "10", "--data", str(archive), "--json", str(results),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    found = json.loads(results.read_text())
    assert found["ok"] and found["problems"] == {}
    assert found["filter_changes"] > 0 and found["page_loads"] > 0
    assert found["failed_requests"] == found["error_elements"] == 0
    assert found["isolation_violations"] == 0
    assert found["stickiness"]["split_sessions"] == 0
    assert sum(found["stickiness"]["sessions_per_upstream"].values()) == 3


def test_ctrl_c_stops_nginx_and_every_process(tmp_path, archive):
    with running_cluster(tmp_path, 1, archive) as running:
        children = descendants(running.launcher.pid)
        assert len(children) >= 3  # streamlit, nginx's master and its worker
        running.launcher.send_signal(signal.SIGINT)
        assert running.launcher.wait(timeout=30) == 0
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
    with pytest.raises(OSError):
        head(f"{running.url}/_stcore/health")


def test_the_launcher_says_when_nginx_is_missing(tmp_path):
    command = [sys.executable, str(CLUSTER), "--nginx", str(tmp_path / "no-nginx")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert "nginx is missing" in done.stderr
