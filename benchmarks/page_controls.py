"""The controls inside a page, as a visitor feels them: a click until the page has redrawn.

Opens each page in headless Chromium, then switches one of its own controls (not a sidebar
filter) back and forth, timing each click until the part it changes shows the new choice and
the app is idle. The sections of Topics and Coverage gaps are fragments, so such a click reruns
that section only; ``--against DIR`` starts a second server on another checkout of the
dashboard (an earlier revision: ``git worktree add /tmp/before REV``), alternates between the
two, and prints the ratio of their medians (DIR's over this checkout's).

    python benchmarks/page_controls.py [--data SOURCE] [--clicks 8] [--against DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import APP, CHROMIUM_LAUNCH, streamlit_server  # noqa: E402

IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
# (page, radio label, [(option, text that shows it is drawn)], a text that ends the page)
CONTROLS = [
    (
        "gaps",
        "Per",
        [("Month", "Posts per topic and month"), ("Year", "Posts per topic and year")],
        "Topics covered by a single author",
    ),
    (
        "gaps",
        "Compare",
        [("Year", "The year of"), ("Month", "The month of")],
        "Topics covered by a single author",
    ),
    (
        "topics",
        "Over time, per",
        [("Month", "Posts per topic and month"), ("Year", "Posts per topic and year")],
        "Posts per topic by",
    ),
]


def click_seconds(page, label: str, option: str, shown: str) -> float:
    """Seconds from a click on ``option`` of radio ``label`` until ``shown`` is drawn, idle."""
    radio = page.locator('[data-testid="stRadio"]').filter(has_text=label)
    start = time.perf_counter()
    radio.get_by_text(option, exact=True).click()
    page.get_by_text(shown).first.wait_for(timeout=120_000)
    page.wait_for_function(IDLE, timeout=120_000, polling="raf")
    return time.perf_counter() - start


def control_times(browser, address: str, control, clicks: int) -> list[float]:
    """The click times of one control, on a page opened afresh."""
    name, label, options, last = control
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{address}/{name}", timeout=300_000)
        page.get_by_text(last).first.wait_for(timeout=300_000)
        page.wait_for_function(IDLE, timeout=120_000)
        times = []
        for click in range(clicks):
            option, shown = options[click % len(options)]
            times.append(click_seconds(page, label, option, shown))
        return times
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the dashboard's source (default: the bundled data)")
    parser.add_argument("--clicks", type=int, default=8, help="timed clicks per control")
    parser.add_argument(
        "--against", metavar="DIR", type=Path, help="also time the dashboard of this other checkout"
    )
    options = parser.parse_args()
    before = options.against / "dashboard" / "app.py" if options.against else None
    if before and not before.is_file():
        parser.error(f"{options.against} holds no dashboard/app.py")
    env = {"DASHBOARD_DATA": options.data} if options.data else {}
    with ExitStack() as stack:
        servers = {"now": stack.enter_context(streamlit_server(env, APP)).address}
        if before:
            servers["before"] = stack.enter_context(streamlit_server(env, before)).address
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(**CHROMIUM_LAUNCH)
        print(f"{'page':8s} {'control':16s} " + " ".join(f"{name:>14s}" for name in servers)
              + ("   ratio" if len(servers) > 1 else ""))  # fmt: skip
        for number, control in enumerate(CONTROLS):
            medians = {}
            order = list(servers) if number % 2 == 0 else list(reversed(servers))
            for name in order:
                medians[name] = statistics.median(
                    control_times(browser, servers[name], control, options.clicks)
                )
            cells = " ".join(f"{medians[name]:12.3f} s" for name in servers)
            ratio = (f"   {medians['before'] / medians['now']:5.2f}x"
                     if options.against else "")  # fmt: skip
            print(f"{control[0]:8s} {control[1]:16s} {cells}{ratio}", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
