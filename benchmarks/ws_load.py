"""Many visitors at the protocol level: Streamlit websocket sessions without a browser.

``load_test.py`` drives headless Chromium, so the machine also pays for the browsers. This
client speaks Streamlit's own protocol (``/_stcore/stream``, protobuf ``BackMsg`` out and
``ForwardMsg`` in), so only the server is measured. Each session is one websocket, so one
Streamlit session. It opens a random page (by its URL path, as ``page_name``) with its own
filters in the query string (authors, topics, years, search words read from the archive),
waits until the run's ``script_finished``, reads for ``--think`` seconds (randomised by
±50%), and opens the next. With ``--shared-links P`` a view is, with probability P, one of
five links every session opens instead (a page and its filters passed around, as a newsletter
does), so that sessions meet on the same views. A new session's first run is the dashboard's
*first paint*; the browser's timer would rerun the app a moment later, so the session sends
that second run itself.

Each run is timed from the ``rerun_script`` message to its ``script_finished``. Errors: an
exception element, an error alert, a run that did not finish successfully, a page not found,
a dropped connection (the session then stops), a run taking more than ``STEP_SECONDS``.
Reported: runs done, their p50, p95 and max, errors by kind, dropped sessions, and the resident
memory of the server (its process and children, from /proc) after the warm-up (every session's
first page) and at the end. Exit status 1 on any error.

    python benchmarks/ws_load.py [--sessions 50] [--seconds 60] [--think 10]
                                 [--shared-links P] [--data FILE | --posts 10000]
                                 [--url URL [--server-pid PID]] [--json FILE]

Behind deploy/nginx.conf (``--url`` of deploy/cluster.py) each session sends its own
``dashboard_route`` cookie with the handshake, so nginx spreads the sessions over the processes;
the ``X-Upstream`` header of each handshake is counted per process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, WebSocketException

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks.load_test import WORD, dashboard_under_load, tree_rss  # noqa: E402

# URL path of each page (its page_name; "" is the default page, Overview)
PAGES = ["", "timeline", "authors", "topics", "gaps", "posts"]
LINKS = 5  # views passed around (a newsletter's links): what --shared-links opens
STEP_SECONDS = 90  # a run on a loaded 2-core machine can take seconds; a stuck one is an error
FINISHED = ForwardMsg.ScriptFinishedStatus


# --- The archive's names --------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """What the sessions put in their query strings: real names, years and words."""

    authors: list[str]
    topics: list[str]
    years: list[int]
    words: list[str]

    @classmethod
    def read(cls, path: Path) -> Names:
        table = pq.read_table(path, columns=["published", "title", "authors", "topics"])
        years = pc.year(table["published"]).to_numpy(zero_copy_only=False)
        counts = {}
        for column in ("authors", "topics"):
            flat = pc.list_flatten(table[column].combine_chunks())
            counted = pc.value_counts(flat).to_pylist()
            counts[column] = [c["values"] for c in sorted(counted, key=lambda c: -c["counts"])]
        titles = table["title"].to_pylist()[:20_000]
        words = Counter(w for t in titles for w in set(WORD.findall((t or "").lower())))
        low, high = len(titles) * 0.005, len(titles) * 0.2
        return cls(
            authors=counts["authors"][:200],
            topics=counts["topics"],
            years=sorted({int(y) for y in np.unique(years)}),
            words=[w for w, n in words.most_common() if low <= n <= high][:200],
        )

    def query(self, rng: random.Random) -> str:
        """A random query string: each filter present or not."""
        params: list[tuple[str, str]] = []
        if self.authors and rng.random() < 0.5:
            params += [("author", a) for a in rng.sample(self.authors, rng.randint(1, 2))]
        if self.topics and rng.random() < 0.4:
            params.append(("topic", rng.choice(self.topics)))
        if len(self.years) > 1 and rng.random() < 0.5:
            start = rng.choice(self.years[:-1])
            end = rng.choice([y for y in self.years if y >= start])
            params += [("from", f"{start}-01-01"), ("to", f"{end}-12-31")]
        if self.words and rng.random() < 0.3:
            params.append(("q", rng.choice(self.words)))
        return urlencode(params)


# --- Measurements ---------------------------------------------------------------------------


@dataclass
class Tally:
    runs: list[float] = field(default_factory=list)  # seconds, timed phase only
    warm_runs: int = 0
    errors: Counter = field(default_factory=Counter)
    samples: dict[str, list[str]] = field(default_factory=dict)
    dropped: int = 0
    upstreams: Counter = field(default_factory=Counter)
    bytes_received: int = 0

    def error(self, kind: str, text: str) -> None:
        self.errors[kind] += 1
        kept = self.samples.setdefault(kind, [])
        if len(kept) < 5:
            kept.append(text[:300])


def megabytes(size: int | None) -> float | None:
    return round(size / 2**20, 1) if size else None


class Dropped(Exception):
    """The connection closed under a session."""


# --- One session ----------------------------------------------------------------------------


class Session:
    def __init__(self, number: int, load: Load) -> None:
        self.number = number
        self.load = load
        self.rng = random.Random(f"{load.seed}-{number}")
        self.route = f"ws-load-{load.seed}-{number}-{self.rng.getrandbits(32):08x}"

    async def run_once(self, websocket, page: str, query: str, timed: bool) -> None:
        """Send one ``rerun_script`` and read until its ``script_finished``."""
        tally = self.load.tally
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_name = page
        where = f"session {self.number} /{page}?{query}"
        start = time.perf_counter()
        await websocket.send(message.SerializeToString())
        deadline = start + STEP_SECONDS
        while True:
            try:
                data = await asyncio.wait_for(websocket.recv(), deadline - time.perf_counter())
            except TimeoutError:
                tally.error("timeouts", f"{where}: no script_finished in {STEP_SECONDS} s")
                raise Dropped from None
            except ConnectionClosed as closed:
                raise Dropped(f"{where}: {closed}") from None
            tally.bytes_received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    tally.error(
                        "exceptions",
                        f"{where}: {element.exception.type}: {element.exception.message}",
                    )
                elif which == "alert" and element.alert.format == Alert.ERROR:
                    tally.error("error alerts", f"{where}: {element.alert.body}")
            elif kind == "page_not_found":
                tally.error("pages not found", f"{where}: {forward.page_not_found.page_name!r}")
            elif kind == "script_finished":
                status = forward.script_finished
                if status == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    continue  # not ours: the app's own fragment
                if status != FINISHED.FINISHED_SUCCESSFULLY:
                    tally.error("unfinished runs", f"{where}: {FINISHED.Name(status)}")
                break
        seconds = time.perf_counter() - start
        if timed:
            tally.runs.append(seconds)
        else:
            tally.warm_runs += 1

    async def live(self) -> None:
        load = self.load
        headers = {"Cookie": f"dashboard_route={self.route}"}
        try:
            async with connect(
                load.stream,
                subprotocols=["streamlit"],
                additional_headers=headers,
                max_size=None,
                open_timeout=STEP_SECONDS,
                ping_interval=None,  # the server's runs may hold the loop for seconds
            ) as websocket:
                upstream = websocket.response.headers.get("X-Upstream")
                if upstream:
                    load.tally.upstreams[upstream] += 1
                # Warm-up: the first page and the first paint's follow-up run.
                page, query = load.next_view(self.rng)
                await self.run_once(websocket, page, query, timed=False)
                await self.run_once(websocket, page, query, timed=False)
                load.warm.release()
                await load.started.wait()
                while True:
                    think = load.think * self.rng.uniform(0.5, 1.5)
                    if time.monotonic() + think >= load.end:
                        break
                    await asyncio.sleep(think)
                    page, query = load.next_view(self.rng)
                    await self.run_once(websocket, page, query, timed=True)
        except Dropped as dropped:
            load.tally.dropped += 1
            if dropped.args:
                load.tally.error("dropped connections", dropped.args[0])
        except (OSError, WebSocketException, TimeoutError) as failed:
            load.tally.dropped += 1
            load.tally.error("dropped connections", f"session {self.number}: {failed!r}")
        finally:
            load.warm.release()  # a session that failed in the warm-up does not hold it up


# --- The run --------------------------------------------------------------------------------


class Load:
    def __init__(
        self, address, names, sessions, seconds, think, seed, server_pid, shared=0.0
    ) -> None:
        parts = urlsplit(address)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.stream = f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
        self.address = address
        self.names = names
        self.sessions = sessions
        self.seconds = seconds
        self.think = think
        self.seed = seed
        self.server_pid = server_pid
        self.shared = shared
        links = random.Random(f"{seed}-links")
        self.links = [(links.choice(PAGES), names.query(links)) for _ in range(LINKS)]
        self.tally = Tally()
        self.end = float("inf")

    @classmethod
    def of(cls, options: argparse.Namespace, data: Path, address: str, server_pid) -> Load:
        """The load of ``add_load_options``' options on ``data``, served at ``address``."""
        return cls(
            address, Names.read(data), options.sessions, options.seconds, options.think,
            options.seed, server_pid, options.shared_links,
        )  # fmt: skip

    def next_view(self, rng: random.Random) -> tuple[str, str]:
        """The page and query string a session opens next: one of the ``LINKS`` with the
        probability ``shared``, else a page and filters of its own."""
        if self.shared and rng.random() < self.shared:
            return rng.choice(self.links)
        return rng.choice(PAGES), self.names.query(rng)

    async def drive(self) -> dict:
        self.warm = asyncio.Semaphore(0)
        self.started = asyncio.Event()
        began = time.monotonic()
        tasks = [asyncio.create_task(Session(n, self).live()) for n in range(self.sessions)]
        for _ in range(self.sessions):
            await self.warm.acquire()
        warm_seconds = time.monotonic() - began
        memory_warm = tree_rss(self.server_pid) if self.server_pid else None
        load_start = os.getloadavg()[0]
        timed_start = time.monotonic()
        self.end = timed_start + self.seconds
        self.started.set()
        await asyncio.gather(*tasks)
        seconds = time.monotonic() - timed_start
        memory_end = tree_rss(self.server_pid) if self.server_pid else None
        return self.results(warm_seconds, seconds, memory_warm, memory_end, load_start)

    def results(self, warm_seconds, seconds, memory_warm, memory_end, load_start) -> dict:
        tally = self.tally
        runs = tally.runs
        if runs:
            p50, p95 = (round(float(v), 3) for v in np.percentile(runs, [50, 95]))
            timing = {"p50_s": p50, "p95_s": p95, "max_s": round(max(runs), 3)}
        else:
            timing = {"p50_s": None, "p95_s": None, "max_s": None}
        growth = (
            round(100 * (memory_end / memory_warm - 1), 1) if memory_warm and memory_end else None
        )
        errors = sum(tally.errors.values())
        return {
            "address": self.address,
            "sessions": self.sessions,
            "think_s": self.think,
            "shared_links": self.shared,
            "cpus": os.cpu_count(),
            "load_average_1min": {"start": load_start, "end": os.getloadavg()[0]},
            "warm_up": {"seconds": round(warm_seconds, 1), "runs": tally.warm_runs},
            "seconds": round(seconds, 1),
            "reruns": len(runs),
            **timing,
            "errors": errors,
            "errors_by_kind": dict(tally.errors),
            "samples": tally.samples,
            "dropped_sessions": tally.dropped,
            "bytes_received": tally.bytes_received,
            "sessions_per_upstream": dict(tally.upstreams),
            "memory": {
                "pid": self.server_pid,
                "after_warm_up_mb": megabytes(memory_warm),
                "end_mb": megabytes(memory_end),
                "growth_percent": growth,
            },
            "ok": errors == 0 and tally.dropped == 0,
        }


def report(results: dict) -> str:
    memory = results["memory"]
    lines = [
        f"{results['sessions']} websocket sessions on {results['address']}, think "
        f"{results['think_s']} s ±50%, {results['shared_links']:.0%} of views from "
        f"{LINKS} shared links, warm-up {results['warm_up']['seconds']} s "
        f"({results['warm_up']['runs']} runs), then {results['seconds']} s "
        f"({results['cpus']} CPUs, load average {results['load_average_1min']['start']:.2f} "
        f"-> {results['load_average_1min']['end']:.2f}):",
        f"  reruns {results['reruns']}: p50 {results['p50_s']} s, p95 {results['p95_s']} s, "
        f"max {results['max_s']} s",
        f"  errors {results['errors']}"
        + "".join(f", {kind} {n}" for kind, n in results["errors_by_kind"].items())
        + f"; dropped sessions {results['dropped_sessions']}",
    ]
    if memory["pid"]:
        lines.append(
            f"  server memory (pid {memory['pid']} and children): {memory['after_warm_up_mb']} MB "
            f"after warm-up, {memory['end_mb']} MB at the end ({memory['growth_percent']:+}%)"
        )
    else:
        lines.append("  server memory: not measured (give --server-pid with --url)")
    if results["sessions_per_upstream"]:
        lines.append(f"  sessions per upstream: {results['sessions_per_upstream']}")
    for kind, samples in results["samples"].items():
        lines.append(f"  {kind}:")
        lines.extend(f"    {sample}" for sample in samples)
    lines.append("OK" if results["ok"] else "FAILED")
    return "\n".join(lines)


def add_load_options(parser: argparse.ArgumentParser, posts: int) -> None:
    """The options of the sessions and of their archive (``posts`` generated by default), shared
    with profile_server.py."""
    parser.add_argument("--sessions", type=int, default=50, help="concurrent sessions (50)")
    parser.add_argument("--seconds", type=float, default=60, help="timed phase, seconds (60)")
    parser.add_argument("--think", type=float, default=10, help="reading time, seconds (10)")
    parser.add_argument(
        "--shared-links",
        type=float,
        default=0.0,
        metavar="P",
        help=f"probability that a view is one of {LINKS} links every session opens (0)",
    )
    parser.add_argument("--data", type=Path, help="a posts table written by ingest")
    parser.add_argument("--posts", type=int, default=posts, help=f"posts to generate ({posts:,})")
    parser.add_argument("--seed", type=int, default=7, help="for the archive and the sessions")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_options(parser, posts=10_000)
    parser.add_argument("--url", help="an already running dashboard (or nginx in front of it)")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's process id")
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()
    with ExitStack() as stack:
        data, address, pid = dashboard_under_load(stack, options, "ws-load-")
        load = Load.of(options, data, address, pid)
        results = asyncio.run(load.drive())
    print(report(results))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")
    sys.exit(0 if results["ok"] else 1)


if __name__ == "__main__":
    main()
