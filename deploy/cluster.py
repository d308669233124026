"""Several dashboard processes behind nginx, each browser kept on one of them.

Starts ``--processes`` copies of ``streamlit run dashboard/app.py`` on free local ports, then
Debian's nginx (``/usr/sbin/nginx``) in the foreground as the current user, configured from
``deploy/nginx.conf`` with its pid file, logs and temporary files in one directory. Ctrl-C (or
SIGTERM) stops nginx and every process; so does any of them exiting on its own.

    python deploy/cluster.py [--processes 3] [--port 8080] [--host 127.0.0.1] [--data FILE]
                             [--dir DIR] [--nginx /usr/sbin/nginx]

Once everything answers it prints ``ready http://HOST:PORT``, one ``process http://...`` line per
dashboard process, and where the logs are. Without ``--dir`` the directory is temporary and
removed at the end; with it the files stay for a look at ``logs/access.log``.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
NGINX = "/usr/sbin/nginx"
START_SECONDS = 90


class ClusterError(RuntimeError):
    """A process of the cluster could not start or stopped on its own."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on at the moment of asking."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def nginx_config(listen: str, upstreams: list[str], template: Path = TEMPLATE) -> str:
    """The nginx configuration for ``listen`` (``host:port``) in front of ``upstreams``.

    Fills the template's ``listen @LISTEN@;`` directive and its ``@SERVERS@`` line (the
    placeholders in its comments stay as they are).
    """
    text, listens = re.subn(
        r"(?m)^(\s*)listen @LISTEN@;$", rf"\g<1>listen {listen};", template.read_text()
    )
    line = re.search(r"(?m)^(\s*)@SERVERS@\n", text)
    if listens != 1 or line is None:
        raise ClusterError(f"{template} needs one `listen @LISTEN@;` and one `@SERVERS@` line")
    servers = "".join(f"{line.group(1)}server {address};\n" for address in upstreams)
    return text[: line.start()] + servers + text[line.end() :]


def port_taken(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port`` (then nginx could not start)."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def healthy(address: str) -> bool:
    """Whether ``http://host:port`` answers Streamlit's health check (directly or via nginx)."""
    try:
        with urllib.request.urlopen(f"http://{address}/_stcore/health", timeout=2) as answer:
            return answer.read() == b"ok"
    except OSError:
        return False


def wait_until_healthy(name: str, address: str, process: subprocess.Popen, log: Path) -> None:
    """Wait until ``address`` answers; ``ClusterError`` if ``process`` exits or takes too long."""
    deadline = time.monotonic() + START_SECONDS
    while not healthy(address):
        if process.poll() is not None:
            raise ClusterError(f"{name} exited with {process.returncode}; see {log}")
        if time.monotonic() > deadline:
            raise ClusterError(f"{name} did not answer within {START_SECONDS} s; see {log}")
        time.sleep(0.3)


def prepare_directory(directory: Path) -> None:
    """The prefix directory: logs/ and temp/ (nginx creates its temporary paths inside)."""
    (directory / "logs").mkdir(parents=True, exist_ok=True)
    (directory / "temp").mkdir(exist_ok=True)


def start_dashboard(port: int, directory: Path, secret: str, data: str | None) -> subprocess.Popen:
    """One ``streamlit run dashboard/app.py`` on 127.0.0.1:``port``, logging to logs/."""
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        # A deployed process runs the code it started with: no reloading when a file changes.
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    # One secret for all processes, so a signed cookie (XSRF) is valid on any of them.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STREAMLIT_SERVER_COOKIE_SECRET": secret}
    if data:
        env["DASHBOARD_DATA"] = data
    with (directory / "logs" / f"streamlit-{port}.log").open("wb") as log:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def start_nginx(nginx: str, directory: Path) -> subprocess.Popen:
    """nginx in the foreground, everything it writes under ``directory``."""
    command = [
        nginx, "-p", f"{directory}/", "-c", str(directory / "nginx.conf"),
        "-e", str(directory / "logs" / "error.log"), "-g", "daemon off;",
    ]  # fmt: skip
    with (directory / "logs" / "nginx.out").open("wb") as log:
        return subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_all(processes: list[subprocess.Popen]) -> None:
    """SIGTERM to every process (nginx first), then SIGKILL to those still running after 10 s."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(options: argparse.Namespace, directory: Path) -> int:
    if not Path(options.nginx).exists():
        raise ClusterError(
            f"nginx is missing ({options.nginx}); install it with `apt-get install -y nginx`"
        )
    if port_taken(options.host, options.port):
        raise ClusterError(f"{options.host}:{options.port} is already in use")
    prepare_directory(directory)
    secret = secrets.token_hex(32)
    data = options.data
    if data and Path(data).exists():  # a local file, read by processes started in the project
        data = str(Path(data).resolve())
    ports = [free_port() for _ in range(options.processes)]
    processes: list[subprocess.Popen] = []  # nginx first once started, so it stops first

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a shell's `&` ignores it
        signal.signal(signum, stop)
    try:
        dashboards = [start_dashboard(port, directory, secret, data) for port in ports]
        processes.extend(dashboards)
        for port, process in zip(ports, dashboards, strict=True):
            log = directory / "logs" / f"streamlit-{port}.log"
            wait_until_healthy(f"streamlit on port {port}", f"127.0.0.1:{port}", process, log)
        listen = f"{options.host}:{options.port}"
        upstreams = [f"127.0.0.1:{port}" for port in ports]
        (directory / "nginx.conf").write_text(nginx_config(listen, upstreams))
        proxy = start_nginx(options.nginx, directory)
        processes.insert(0, proxy)
        wait_until_healthy("nginx", listen, proxy, directory / "logs" / "error.log")
        print(f"ready http://{listen}", flush=True)
        for upstream in upstreams:
            print(f"process http://{upstream}", flush=True)
        print(f"logs in {directory / 'logs'} (Ctrl-C stops everything)", flush=True)
        while True:
            for process in processes:
                if process.poll() is not None:
                    name = "nginx" if process is proxy else f"streamlit (pid {process.pid})"
                    raise ClusterError(f"{name} exited with {process.returncode}")
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("stopping", flush=True)
        return 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut this short
            signal.signal(signum, signal.SIG_IGN)
        stop_all(processes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=3, help="dashboard processes (3)")
    parser.add_argument("--port", type=int, default=8080, help="the port nginx listens on (8080)")
    parser.add_argument("--host", default="127.0.0.1", help="the address nginx listens on")
    parser.add_argument("--data", help="the dashboard's source, DASHBOARD_DATA of every process")
    parser.add_argument("--dir", type=Path, help="keep the configuration and logs here")
    parser.add_argument("--nginx", default=NGINX, help=f"the nginx binary ({NGINX})")
    options = parser.parse_args()
    if options.processes < 1:
        parser.error("--processes must be at least 1")
    directory = options.dir.resolve() if options.dir else Path(tempfile.mkdtemp(prefix="cluster-"))
    try:
        status = run(options, directory)
    except ClusterError as error:
        print(f"error: {error}", file=sys.stderr, flush=True)
        status = 1
    finally:
        if not options.dir:
            shutil.rmtree(directory, ignore_errors=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
