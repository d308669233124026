"""Many visitors at once: concurrent browser sessions against one dashboard address.

Each session is a context of headless Chromium (its own cookies, so its own Streamlit session).
It opens a page by its URL with its filters in the address, then, until the time is up, opens
pages (from the sidebar, now and then by URL) and changes its filters in the sidebar: authors
and search words from pools no other session uses (one of its own authors always stays chosen,
so no two sessions ever hold the same filters), topics and years of the date range. After every
step it checks what it sees:

- errors: no Streamlit exception, no error alert, no uncaught script error, no step stuck for
  90 s;
- isolation: the page URL and the sidebar (dates, author and topic tags, search box) hold
  exactly this session's filters, and the caption says "N of M posts match the filters." with
  N counted here from the data file with pyarrow and numpy (not with the dashboard's code);
  a difference counts once it lasts 5 s (a multiselect draws its tags a moment after the run);
- requests: every failed request and every HTTP answer of 400 or more (except the 404s of
  Streamlit's base-path probe, see ``PROBE``, which are counted apart);
- stickiness, behind deploy/nginx.conf: the ``X-Upstream`` header of every answer and of every
  websocket handshake names the process that served the session.

First a warm-up: each session opens its first page, changes a filter and visits its share of
the six pages, so every page has run before the server's memory is read. Then the timed phase,
for which it reports page loads, filter changes, HTTP requests and websocket messages; the
median and 95th percentile time from a filter change (the click or key that commits it) until
the caption shows the new count, the script run has finished and no element is stale (the
chart is redrawn); and the resident memory of the server (its process and all children, from
/proc) after the warm-up and at the end. Exit status 1 when anything went wrong: an error, a
failed request, an isolation violation, a session served by two processes, or memory growing by
more than 10%.

    python benchmarks/load_test.py [--sessions 8] [--seconds 60] [--data FILE | --posts 10000]
                                   [--url URL [--server-pid PID] | --cluster N] [--json FILE]

Without ``--url`` it starts the dashboard itself (with ``--cluster N``: N processes behind nginx,
through deploy/cluster.py). Without ``--data`` it generates an archive (``python -m dashboard
synth``, then ``ingest``); a file given with ``--data`` must be a posts table as ``ingest``
writes it, which the dashboard shows as it is. With ``--url`` the server's memory is measured
only when ``--server-pid`` names its process.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_LAUNCH,
    answers,
    descendants,
    free_port,
    streamlit_server,
)

CLUSTER = ROOT / "deploy" / "cluster.py"
# URL path, page title (its heading and its link in the sidebar)
PAGES = {
    "": "Overview",
    "timeline": "Timeline",
    "authors": "Authors",
    "topics": "Topics",
    "gaps": "Coverage gaps",
    "posts": "Posts",
}
UNCLASSIFIED = "Unclassified"  # how the dashboard shows a post without a topic (README)
SEARCH_LABEL = "Search titles and summaries"  # also in SETTLED and SNAPSHOT
STEP_SECONDS = 90  # one step on a loaded 2-core machine can take many seconds; a stuck one fails
GIVE_UP = 3  # stuck steps after which a session stops
RENDER_GRACE_SECONDS = 5
MEMORY_GROWTH_LIMIT = 1.10
VIEWPORT = {"width": 1280, "height": 800}
WORD = re.compile(r"[a-z]{6,}")
# Opened at /timeline, Streamlit's page first tries /timeline/ as the server's base path
# (/timeline/_stcore/health and host-config, answered 404), then /. Counted, not failures.
PROBE = re.compile(r"/([a-z]+)/_stcore/(?:health|host-config)")

# True once the page shows this title, the expected caption, drawn filters and a finished run.
SETTLED = """([title, caption]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    const heading = document.querySelector('[data-testid="stMain"] h1');
    if (!heading || heading.textContent.trim() !== title) return false;
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    const search = 'input[aria-label="Search titles and summaries"]';
    if (!sidebar || !sidebar.querySelector(search)) return false;
    const shown = [...sidebar.querySelectorAll('[data-testid="stCaptionContainer"]')]
        .map((element) => element.textContent.trim()).find((text) => text.includes('posts match'));
    if (shown !== caption || document.querySelector('[data-stale="true"]')) return false;
    return performance.now();
}"""
# What the session sees: URL, sidebar filters, caption, error elements.
SNAPSHOT = """() => {
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    const errors = [...document.querySelectorAll(
        '[data-testid="stException"], [data-testid="stAlertContentError"]'
    )].map((element) => element.textContent.trim().slice(0, 300));
    if (!sidebar) {
        return {url: location.href, authors: [], topics: [], text: null, dates: [], errors};
    }
    const tags = (label) => [...sidebar.querySelectorAll(
        `[data-testid="stMultiSelect"]:has(input[aria-label="${label}"]) [data-tag] [title]`
    )].map((element) => element.getAttribute('title'));
    const search = sidebar.querySelector('input[aria-label="Search titles and summaries"]');
    return {
        url: location.href,
        authors: tags('Authors'),
        topics: tags('Topics'),
        text: search ? search.value : null,
        dates: [...sidebar.querySelectorAll('[data-testid="stDateInput"] input[type="date"]')]
            .map((element) => element.value),
        caption: [...sidebar.querySelectorAll('[data-testid="stCaptionContainer"]')]
            .map((element) => element.textContent.trim()).find((t) => t.includes('posts match')),
        errors,
    };
}"""


# --- The data, read independently of the dashboard ---------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A session's filters as its sidebar holds them (dates always set, as the widgets are)."""

    start: date
    end: date
    authors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    text: str = ""


class Archive:
    """The posts table of a Parquet file, counted with pyarrow and numpy alone.

    The dashboard's filters as its README describes them: dates inclusive, any of the chosen
    authors, any of the chosen topics (a post without one is "Unclassified"), every search
    word in the title or summary ignoring case, all combined with AND.
    """

    def __init__(self, path: Path) -> None:
        table = pq.read_table(path, columns=["published", "title", "summary", "authors", "topics"])
        self.total = table.num_rows
        days = table["published"].combine_chunks().cast(pa.date32())
        self.days = days.to_numpy(zero_copy_only=False).astype("datetime64[D]")
        self.first = self.days.min().astype(date)
        self.last = self.days.max().astype(date)
        self.title = table["title"].combine_chunks()
        self.summary = table["summary"].combine_chunks()
        self.authors = self._long(table["authors"].combine_chunks(), None)
        self.topics = self._long(table["topics"].combine_chunks(), UNCLASSIFIED)

    def _long(self, lists: pa.ListArray, empty: str | None) -> tuple[np.ndarray, np.ndarray]:
        """(names, row of each name); rows without a name get ``empty`` when it is given."""
        lists = pc.if_else(pc.is_null(lists), pa.scalar([], type=lists.type), lists)
        names = pc.list_flatten(lists).to_numpy(zero_copy_only=False)
        rows = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        if empty is not None:
            bare = np.flatnonzero(pc.list_value_length(lists).to_numpy(zero_copy_only=False) == 0)
            names = np.concatenate([names, np.full(len(bare), empty, dtype=object)])
            rows = np.concatenate([rows, bare])
        return names, rows

    def names(self, which: str, least: int = 1) -> list[str]:
        """Author or topic names with at least ``least`` posts, most posts first."""
        names, _ = self.authors if which == "authors" else self.topics
        counts = Counter(names.tolist())
        return [name for name, posts in counts.most_common() if posts >= least]

    def words(self) -> list[str]:
        """Title words of six letters or more found in 0.5% to 20% of the posts, commonest first."""
        counts = Counter(
            word
            for title in self.title.to_pylist()
            for word in set(WORD.findall((title or "").lower()))
        )
        low, high = self.total * 0.005, self.total * 0.2
        return [word for word, posts in counts.most_common() if low <= posts <= high]

    def count(self, choice: Choice) -> int:
        """How many posts pass ``choice``."""
        mask = (self.days >= np.datetime64(choice.start)) & (self.days <= np.datetime64(choice.end))
        if choice.authors:
            mask &= np.logical_or.reduce([self._mask("authors", a) for a in choice.authors])
        if choice.topics:
            mask &= np.logical_or.reduce([self._mask("topics", t) for t in choice.topics])
        for word in choice.text.split():
            mask &= self._mask("text", word)
        return int(mask.sum())

    @functools.cache  # noqa: B019 (one archive per run, a few hundred names and words)
    def _mask(self, which: str, value: str) -> np.ndarray:
        """The posts with this author or topic, or with this word in the title or summary."""
        if which == "text":
            found = pc.or_kleene(
                pc.match_substring(self.title, value, ignore_case=True),
                pc.match_substring(self.summary, value, ignore_case=True),
            )
            return pc.fill_null(found, False).to_numpy(zero_copy_only=False)
        names, rows = self.authors if which == "authors" else self.topics
        mask = np.zeros(self.total, dtype=bool)
        mask[rows[names == value]] = True
        return mask

    def caption(self, choice: Choice) -> str:
        return f"{self.count(choice):,} of {self.total:,} posts match the filters."

    def query(self, choice: Choice) -> dict[str, list[str]]:
        """The URL parameters the dashboard writes for ``choice`` (a date at its edge is none)."""
        query: dict[str, list[str]] = {}
        if choice.start != self.first:
            query["from"] = [choice.start.isoformat()]
        if choice.end != self.last:
            query["to"] = [choice.end.isoformat()]
        if choice.authors:
            query["author"] = sorted(choice.authors)
        if choice.topics:
            query["topic"] = sorted(choice.topics)
        if choice.text:
            query["q"] = [choice.text]
        return query


# --- Measurements ------------------------------------------------------------------------------


@dataclass
class Phase:
    """What the sessions did in one phase (warm-up or timed)."""

    full_page_loads: int = 0
    page_switches: int = 0
    filter_changes: int = 0
    requests: int = 0
    websockets: int = 0
    messages_sent: int = 0  # websocket messages: widget changes, page switches, pings
    messages_received: int = 0
    base_path_probes: int = 0
    late_renders: int = 0  # checks that saw the right filters only after a moment
    change_ms: list[float] = field(default_factory=list)
    switch_ms: list[float] = field(default_factory=list)
    load_ms: list[float] = field(default_factory=list)


@dataclass
class Problems:
    """Everything that went wrong, over the whole run; a sample of each kind is kept."""

    counts: Counter = field(default_factory=Counter)
    samples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, text: str) -> None:
        self.counts[kind] += 1
        kept = self.samples.setdefault(kind, [])
        if len(kept) < 5:
            kept.append(text)


def tree_rss(pid: int) -> int:
    """Resident bytes of process ``pid`` and all its descendants, from /proc."""
    tree = [pid, *descendants(pid)]
    total = 0
    for member in tree:
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        total += int(found.group(1)) * 1024 if found else 0
    return total


def percentiles(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"n": 0, "p50": None, "p95": None}
    p50, p95 = np.percentile(values, [50, 95])
    return {"n": len(values), "p50": round(float(p50)), "p95": round(float(p95))}


# --- One session -------------------------------------------------------------------------------


class Session:
    """One visitor: a browser context that opens pages and changes its own filters."""

    def __init__(self, number: int, run: Run, authors: list[str], words: list[str]) -> None:
        self.number = number
        self.run = run
        self.archive = run.archive
        self.random = random.Random(f"{run.seed}-{number}")
        self.own_authors = authors
        self.own_words = words
        self.choice = Choice(run.archive.first, run.archive.last, authors=(authors[0],))
        self.path = list(PAGES)[number % len(PAGES)]
        self.http_upstreams: Counter = Counter()
        self.ws_upstreams: Counter = Counter()
        self.in_flight = 0
        self.closing = False
        self.stuck = 0  # steps that failed; the session gives up after GIVE_UP of them

    # Events, counted as they come.

    def _request(self, request) -> None:
        self.in_flight += 1
        self.run.phase.requests += 1

    def _finished(self, request) -> None:
        self.in_flight -= 1

    def _failed(self, request) -> None:
        self.in_flight -= 1
        if not self.closing:
            self.run.problems.add(
                "failed requests", f"session {self.number}: {request.url} {request.failure}"
            )

    def _response(self, response) -> None:
        probe = PROBE.fullmatch(urlsplit(response.url).path)
        if response.status == 404 and probe and probe.group(1) in PAGES:
            self.run.phase.base_path_probes += 1
        elif response.status >= 400:
            self.run.problems.add(
                "failed requests", f"session {self.number}: {response.url} HTTP {response.status}"
            )
        upstream = response.headers.get("x-upstream")
        if upstream:
            self.http_upstreams[upstream] += 1

    def _handshake(self, event: dict) -> None:
        headers = {key.lower(): value for key, value in event["response"]["headers"].items()}
        if "x-upstream" in headers:
            self.ws_upstreams[headers["x-upstream"]] += 1

    def _websocket(self, websocket) -> None:
        self.run.phase.websockets += 1
        websocket.on("framesent", self._frame_sent)
        websocket.on("framereceived", self._frame_received)

    def _frame_sent(self, payload) -> None:
        self.run.phase.messages_sent += 1

    def _frame_received(self, payload) -> None:
        self.run.phase.messages_received += 1

    def _page_error(self, error) -> None:
        if not self.closing:
            self.run.problems.add("script errors", f"session {self.number}: {error}")

    async def start(self, browser) -> None:
        self.context = await browser.new_context(viewport=VIEWPORT)
        self.page = page = await self.context.new_page()
        page.set_default_timeout(STEP_SECONDS * 1000)
        page.on("request", self._request)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("websocket", self._websocket)
        page.on("pageerror", self._page_error)
        cdp = await self.context.new_cdp_session(page)
        await cdp.send("Network.enable")
        cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)

    async def close(self) -> None:
        self.closing = True
        await self.context.close()

    # Steps.

    async def settle(self) -> float:
        """Wait until the page shows this session's caption and the run finished."""
        title = PAGES[self.path]
        handle = await self.page.wait_for_function(
            SETTLED, arg=[title, self.archive.caption(self.choice)], polling=50
        )
        return await handle.json_value()

    async def open_by_url(self) -> None:
        """A full page load of the current page with this session's filters in its URL."""
        deadline = time.monotonic() + 5  # let running requests finish: leaving would abort them
        while self.in_flight > 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        query = urlencode(self.archive.query(self.choice), doseq=True)
        started = time.monotonic()
        await self.page.goto(f"{self.run.address}/{self.path}{'?' + query if query else ''}")
        await self.settle()
        self.run.phase.full_page_loads += 1
        self.run.phase.load_ms.append((time.monotonic() - started) * 1000)

    async def switch_page(self, path: str | None = None) -> None:
        """Another page (``path``, else one at random) from the sidebar's navigation."""
        if path is None:
            path = self.random.choice([other for other in PAGES if other != self.path])
        self.path = path
        sidebar = self.page.locator('[data-testid="stSidebar"]')
        link = sidebar.get_by_role("link", name=PAGES[self.path], exact=True)
        await self.mark()
        await link.click()
        self.run.phase.switch_ms.append(await self.settle() - await self.marked())
        self.run.phase.page_switches += 1

    async def mark(self) -> None:
        await self.page.evaluate("() => { window.__changeStart = performance.now(); }")

    async def marked(self) -> float:
        return await self.page.evaluate("() => window.__changeStart")

    def changes(self) -> list[tuple[str, object, Choice]]:
        """Every filter change this session may make now: (kind, value, filters after it)."""
        choice, archive = self.choice, self.archive
        options: list[tuple[str, object, Choice]] = []
        for kind, chosen, pool, most in (
            ("author", choice.authors, self.own_authors, 3),
            ("topic", choice.topics, self.run.topics, 2),
        ):
            field_name = f"{kind}s"
            if len(chosen) < most:
                for name in pool:
                    if name not in chosen:
                        after = replace(choice, **{field_name: (*chosen, name)})
                        options.append((f"add {kind}", name, after))
            # one of its own authors always stays, so no two sessions ever hold the same filters
            if len(chosen) > (1 if kind == "author" else 0):
                for name in chosen:
                    after = replace(choice, **{field_name: tuple(n for n in chosen if n != name)})
                    options.append((f"remove {kind}", name, after))
        for word in [*self.own_words, ""]:
            if word != choice.text:
                options.append(("search", word, replace(choice, text=word)))
        for year in range(archive.first.year, archive.last.year + 1):
            for edge in ("From", "To"):
                day = choice.start if edge == "From" else choice.end
                if (day.month, day.day) == (2, 29) or year == day.year:
                    continue
                moved = {"start" if edge == "From" else "end": day.replace(year=year)}
                after = replace(choice, **moved)
                if archive.first <= after.start <= after.end <= archive.last:
                    options.append((f"year, {edge}", year, after))
        return options

    async def change_filter(self) -> bool:
        """One filter change that alters the count, made in the sidebar; False if none is left."""
        now = self.archive.count(self.choice)
        options = self.changes()
        self.random.shuffle(options)
        changed = (option for option in options if self.archive.count(option[2]) != now)
        kind, value, after = next(changed, (None, None, None))
        if after is None:
            return False
        page = self.page
        sidebar = page.locator('[data-testid="stSidebar"]')
        if kind in ("add author", "add topic"):
            label = "Authors" if kind == "add author" else "Topics"
            box = sidebar.locator(f'input[aria-label="{label}"]')
            await box.click()
            await box.fill(str(value))
            option = page.get_by_role("option", name=str(value), exact=True)
            await option.wait_for()
            await self.mark()
            await option.click()
            await page.keyboard.press("Escape")
        elif kind in ("remove author", "remove topic"):
            await self.mark()
            await sidebar.get_by_role("button", name=f"Remove {value}", exact=True).click()
        elif kind == "search":
            box = sidebar.locator(f'input[aria-label="{SEARCH_LABEL}"]')
            await box.fill(str(value))
            await self.mark()
            await box.press("Enter")
        else:  # a year typed into a date field is committed when the field loses focus
            await sidebar.get_by_role("spinbutton", name=kind, exact=True).click()
            await page.keyboard.type(str(value))
            await self.mark()
            await page.locator('[data-testid="stMain"] h1').click()
        self.choice = after
        latency = await self.settle() - await self.marked()
        self.run.phase.change_ms.append(latency)
        self.run.phase.filter_changes += 1
        return True

    async def check(self, step: str) -> None:
        """Record error elements and anything on the page that is not this session's.

        A widget may draw its value a moment after the run that set it has finished (the
        multiselect lays its tags out in a second pass), so a difference must last
        ``RENDER_GRACE_SECONDS`` to count as a violation; shorter ones are counted as late.
        """
        seen = await self.page.evaluate(SNAPSHOT)
        who = f"session {self.number} after {step}"
        for text in seen["errors"]:
            self.run.problems.add("error elements", f"{who}: {text}")
        differences = self.differences(seen)
        deadline = time.monotonic() + RENDER_GRACE_SECONDS
        if differences:
            while differences and time.monotonic() < deadline:
                await asyncio.sleep(0.25)
                differences = self.differences(await self.page.evaluate(SNAPSHOT))
            if not differences:
                self.run.phase.late_renders += 1
        for key, shown, expected in differences:
            self.run.problems.add(
                "isolation violations", f"{who}: {key} is {shown!r}, expected {expected!r}"
            )

    def differences(self, seen: dict) -> list[tuple[str, object, object]]:
        """(what, shown, expected) for each part of the page that does not show this session's
        filters and match count."""
        choice, archive = self.choice, self.archive
        query = parse_qs(urlsplit(seen["url"]).query)
        shown = {
            **seen,
            "url": {key: sorted(values) for key, values in query.items()},
            "authors": sorted(seen["authors"]),
            "topics": sorted(seen["topics"]),
        }
        expected = {
            "url": archive.query(choice),
            "authors": sorted(choice.authors),
            "topics": sorted(choice.topics),
            "text": choice.text,
            "dates": [choice.start.isoformat(), choice.end.isoformat()],
            "caption": archive.caption(choice),
        }
        return [(key, shown.get(key), value) for key, value in expected.items()
                if shown.get(key) != value]  # fmt: skip

    async def step(self, action: str, path: str | None = None) -> None:
        """One step and its check; a step that fails is recorded and the page reloaded."""
        if self.stuck >= GIVE_UP:
            return
        try:
            if action == "load":
                await self.open_by_url()
            elif action == "switch" or not await self.change_filter():
                await self.switch_page(path)
            await self.check(action)
        except PlaywrightError as error:
            if self.closing:
                return
            first_line = str(error).strip().splitlines()[0]
            self.run.problems.add("stuck steps", f"session {self.number} {action}: {first_line}")
            self.stuck += 1
            if self.stuck >= GIVE_UP:
                self.run.problems.add("sessions given up", f"session {self.number}")
                return
            try:
                await self.check(action)
                await self.open_by_url()
            except PlaywrightError:
                pass

    async def warm_up(self, sessions: int) -> None:
        """This session's first page and filter change, then its share of the other pages."""
        await self.step("load")
        await self.step("change")
        paths = list(PAGES)
        for page in range(self.number + sessions, len(paths), sessions):
            await self.step("switch", paths[page])

    async def keep_going(self, deadline: float) -> None:
        while time.monotonic() < deadline and self.stuck < GIVE_UP:
            roll = self.random.random()
            await self.step("load" if roll < 0.1 else "switch" if roll < 0.3 else "change")


# --- The run -----------------------------------------------------------------------------------


@dataclass
class Run:
    address: str
    archive: Archive
    sessions: int
    seconds: float
    seed: int
    server_pid: int | None
    topics: list[str] = field(default_factory=list)
    load_average: list[float] = field(default_factory=list)
    phase: Phase = field(default_factory=Phase)
    problems: Problems = field(default_factory=Problems)

    async def drive(self) -> dict:
        authors = self.archive.names("authors", least=5)
        words = self.archive.words()
        self.topics = [t for t in self.archive.names("topics") if t != UNCLASSIFIED]
        if len(authors) < self.sessions or len(words) < self.sessions:
            raise SystemExit(
                f"the data has {len(authors)} authors with 5 posts or more and {len(words)} "
                f"search words: too few to give {self.sessions} sessions filters of their own"
            )
        pools = [(authors[n :: self.sessions][:6], words[n :: self.sessions][:4])
                 for n in range(self.sessions)]  # fmt: skip
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**CHROMIUM_LAUNCH)
            sessions = [Session(n, self, *pools[n]) for n in range(self.sessions)]
            load_before = os.getloadavg()
            started = time.monotonic()
            for session in sessions:
                await session.start(browser)
            await asyncio.gather(*(session.warm_up(self.sessions) for session in sessions))
            warm_up = self.phase
            warm_seconds = time.monotonic() - started
            memory_warm = tree_rss(self.server_pid) if self.server_pid else None
            self.phase = Phase()
            started = time.monotonic()
            await asyncio.gather(*(s.keep_going(started + self.seconds) for s in sessions))
            seconds = time.monotonic() - started
            memory_end = tree_rss(self.server_pid) if self.server_pid else None
            self.load_average = [round(x, 2) for x in (*load_before[:1], os.getloadavg()[0])]
            for session in sessions:
                await session.close()
            await browser.close()
        return self.results(sessions, warm_up, warm_seconds, seconds, memory_warm, memory_end)

    def results(self, sessions, warm_up, warm_seconds, seconds, memory_warm, memory_end) -> dict:
        timed = self.phase
        stickiness = [
            {
                "session": s.number,
                "http": dict(s.http_upstreams),
                "websocket": dict(s.ws_upstreams),
            }
            for s in sessions
        ]
        upstream_of = {
            s.number: set(s.http_upstreams) | set(s.ws_upstreams)
            for s in sessions
            if s.http_upstreams or s.ws_upstreams
        }
        for number, upstreams in upstream_of.items():
            if len(upstreams) > 1:
                self.problems.add("split sessions", f"session {number}: {sorted(upstreams)}")
        spread = Counter(next(iter(u)) for u in upstream_of.values() if len(u) == 1)
        ratio = memory_end / memory_warm if memory_warm and memory_end else None
        if ratio is not None and ratio > MEMORY_GROWTH_LIMIT:
            self.problems.add("memory growth", f"{ratio:.3f} > {MEMORY_GROWTH_LIMIT}")
        return {
            "address": self.address,
            "sessions": self.sessions,
            "posts": self.archive.total,
            "cpus": os.cpu_count(),
            "load_average_1min": {"start": self.load_average[0], "end": self.load_average[1]},
            "warm_up": {
                "seconds": round(warm_seconds, 1),
                "page_loads": warm_up.full_page_loads + warm_up.page_switches,
                "filter_changes": warm_up.filter_changes,
                "requests": warm_up.requests,
            },
            "seconds": round(seconds, 1),
            "page_loads": timed.full_page_loads + timed.page_switches,
            "full_page_loads": timed.full_page_loads,
            "page_switches": timed.page_switches,
            "filter_changes": timed.filter_changes,
            "requests": timed.requests,
            "websockets": timed.websockets,
            "websocket_messages": {
                "sent": timed.messages_sent,
                "received": timed.messages_received,
            },
            "base_path_probes": timed.base_path_probes + warm_up.base_path_probes,
            "late_renders": timed.late_renders + warm_up.late_renders,
            "change_ms": percentiles(timed.change_ms),
            "switch_ms": percentiles(timed.switch_ms),
            "full_load_ms": percentiles(timed.load_ms),
            "failed_requests": self.problems.counts["failed requests"],
            "error_elements": self.problems.counts["error elements"],
            "script_errors": self.problems.counts["script errors"],
            "stuck_steps": self.problems.counts["stuck steps"],
            "isolation_violations": self.problems.counts["isolation violations"],
            "memory": {
                "pid": self.server_pid,
                "after_warm_up_mb": round(memory_warm / 2**20, 1) if memory_warm else None,
                "end_mb": round(memory_end / 2**20, 1) if memory_end else None,
                "ratio": round(ratio, 3) if ratio else None,
            },
            "stickiness": {
                "sessions_per_upstream": dict(spread),
                "split_sessions": self.problems.counts["split sessions"],
                "per_session": stickiness,
            },
            "problems": dict(self.problems.counts),
            "samples": self.problems.samples,
            "ok": not self.problems.counts,
        }


def report(results: dict) -> str:
    """The results as a few lines for a person."""
    memory = results["memory"]
    sticky = results["stickiness"]
    lines = [
        f"{results['sessions']} sessions on {results['address']} ({results['posts']:,} posts), "
        f"warm-up {results['warm_up']['seconds']} s, then {results['seconds']} s "
        f"({results['cpus']} CPUs, load average {results['load_average_1min']['start']} at the "
        f"start, {results['load_average_1min']['end']} at the end):",
        f"  page loads      {results['page_loads']} ({results['full_page_loads']} by URL, "
        f"{results['page_switches']} from the sidebar)",
        f"  filter changes  {results['filter_changes']}",
        f"  HTTP requests   {results['requests']} ({results['base_path_probes']} base-path "
        "probes answered 404 over the run, not counted as failed)",
        f"  websockets      {results['websockets']} opened, messages "
        f"{results['websocket_messages']['sent']} sent, "
        f"{results['websocket_messages']['received']} received",
        f"  change -> updated caption and chart: p50 {results['change_ms']['p50']} ms, "
        f"p95 {results['change_ms']['p95']} ms (n={results['change_ms']['n']})",
        f"  page from the sidebar: p50 {results['switch_ms']['p50']} ms, "
        f"p95 {results['switch_ms']['p95']} ms; by URL: p50 {results['full_load_ms']['p50']} ms, "
        f"p95 {results['full_load_ms']['p95']} ms",
        f"  failed requests {results['failed_requests']}, error elements "
        f"{results['error_elements']}, script errors {results['script_errors']}, stuck steps "
        f"{results['stuck_steps']}, isolation violations {results['isolation_violations']} "
        f"(sidebar drawn late but right: {results['late_renders']})",
    ]
    if memory["pid"]:
        lines.append(
            f"  server memory (pid {memory['pid']} and children): {memory['after_warm_up_mb']} MB "
            f"after warm-up, {memory['end_mb']} MB at the end, ratio {memory['ratio']}"
        )
    else:
        lines.append("  server memory: not measured (give --server-pid with --url)")
    if sticky["sessions_per_upstream"] or sticky["split_sessions"]:
        lines.append(
            f"  upstreams: sessions per process {sticky['sessions_per_upstream']}, "
            f"sessions served by more than one: {sticky['split_sessions']}"
        )
    for kind, samples in results["samples"].items():
        lines.append(f"  {kind}: {results['problems'][kind]}")
        lines.extend(f"    {sample}" for sample in samples)
    lines.append("OK" if results["ok"] else "FAILED")
    return "\n".join(lines)


# --- Servers and data --------------------------------------------------------------------------


def generated_archive(directory: Path, posts: int, seed: int) -> Path:
    """A synthetic archive passed through ``ingest``, so the file is what the dashboard shows."""
    raw, out = directory / "synthetic.parquet", directory / "posts.parquet"
    dashboard = [sys.executable, "-m", "dashboard"]
    run = {"cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([*dashboard, "synth", "--posts", str(posts), "--out", str(raw),
                    "--seed", str(seed)], **run)  # fmt: skip
    subprocess.run([*dashboard, "ingest", str(raw), "--out", str(out), "--quiet"], **run)
    return out


@contextmanager
def cluster(processes: int, data: Path):
    """deploy/cluster.py with ``processes`` dashboards behind nginx; yields (address, pid)."""
    with tempfile.TemporaryFile() as errors:
        command = [sys.executable, str(CLUSTER), "--processes", str(processes), "--port",
                   str(free_port()), "--data", str(data)]  # fmt: skip
        launcher = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True)
        try:
            for line in launcher.stdout:
                if line.startswith("ready "):
                    break
            else:
                errors.seek(0)
                raise SystemExit(f"cluster.py did not start:\n{errors.read().decode()}")
            yield line.split()[1], launcher.pid
        finally:
            launcher.send_signal(signal.SIGINT)
            try:
                launcher.wait(timeout=30)
            except subprocess.TimeoutExpired:
                launcher.kill()


def dashboard_under_load(
    stack: ExitStack, options: argparse.Namespace, prefix: str
) -> tuple[Path, str, int | None]:
    """The archive and the dashboard a load test drives: ``--data`` or a generated archive of
    ``--posts``; ``--url`` as given, ``--cluster N`` processes behind nginx, else one server
    started here as deployed. Its address and process id; SystemExit when it does not answer."""
    data = options.data
    if data is None:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
        data = generated_archive(scratch, options.posts, options.seed)
    data = data.resolve()
    if options.url:
        address, pid = options.url.rstrip("/"), options.server_pid
    elif getattr(options, "cluster", None):
        address, pid = stack.enter_context(cluster(options.cluster, data))
    else:
        # as deployed (deploy/cluster.py): no reloading of the code when a file changes
        env = {"DASHBOARD_DATA": str(data), "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
        server = stack.enter_context(streamlit_server(env))
        address, pid = server.address, server.process.pid
    if not answers(address):
        raise SystemExit(f"{address} does not answer /_stcore/health")
    return data, address, pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8, help="concurrent sessions (8)")
    parser.add_argument("--seconds", type=float, default=60, help="timed phase, seconds (60)")
    parser.add_argument("--url", help="an already running dashboard (or nginx in front of it)")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's process id")
    parser.add_argument(
        "--cluster",
        type=int,
        metavar="N",
        help="start N dashboard processes behind nginx (deploy/cluster.py)",
    )
    parser.add_argument("--data", type=Path, help="a posts table written by ingest")
    parser.add_argument("--posts", type=int, default=10_000, help="posts to generate (10,000)")
    parser.add_argument("--seed", type=int, default=7, help="for the archive and the sessions")
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()  # fmt: skip
    if not CHROMIUM.exists():
        raise SystemExit(f"Debian's Chromium is missing ({CHROMIUM})")
    if options.url and options.cluster:
        parser.error("--url and --cluster exclude each other")
    with ExitStack() as stack:
        data, address, pid = dashboard_under_load(stack, options, "load-")
        run = Run(address, Archive(data), options.sessions, options.seconds, options.seed, pid)
        results = asyncio.run(run.drive())
    print(report(results))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")
    sys.exit(0 if results["ok"] else 1)


if __name__ == "__main__":
    main()
