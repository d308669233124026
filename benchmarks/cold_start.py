"""Cold start as a first-time visitor sees it: opening the landing page until its first chart.

Starts two Streamlit servers, the dashboard and a page that draws one chart
(``one_chart_page.py``), visits each once to warm it up (the dashboard loads its data then),
and then opens them in turn, alternating, each time in a fresh browser context (no cache, no
cookies) of headless Chromium. A visit is timed from the start of navigation to the first drawn
plotly chart, as the page itself measures it (``performance.now()``). Prints the medians and
their ratio.

    python benchmarks/cold_start.py [--visits 15] [--data SOURCE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import APP, CHROMIUM_LAUNCH, streamlit_server  # noqa: E402

FIRST_CHART = """() => {
    const drawn = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg');
    return drawn ? performance.now() : null;
}"""


def first_chart_ms(browser, address: str) -> float:
    """Milliseconds from navigation to the first drawn chart, in a fresh context."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.goto(address, wait_until="commit")
        return page.wait_for_function(FIRST_CHART, timeout=60_000, polling="raf").json_value()
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=15, help="timed visits of each page")
    parser.add_argument("--data", help="the dashboard's source (default: the bundled data)")
    options = parser.parse_args()
    env = {"DASHBOARD_DATA": options.data} if options.data else {}
    with (
        streamlit_server(env, APP) as dashboard,
        streamlit_server(env, ROOT / "benchmarks" / "one_chart_page.py") as yardstick,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(**CHROMIUM_LAUNCH)
        addresses = {"dashboard": dashboard.address, "one chart": yardstick.address}
        warm = {name: first_chart_ms(browser, address) for name, address in addresses.items()}
        times: dict[str, list[float]] = {name: [] for name in addresses}
        for visit in range(options.visits):
            order = list(addresses) if visit % 2 == 0 else list(reversed(addresses))
            for name in order:
                times[name].append(first_chart_ms(browser, addresses[name]))
        browser.close()
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(
        "first visit after start (not counted): "
        + ", ".join(f"{name} {ms:.0f} ms" for name, ms in warm.items())
    )
    for name, values in times.items():
        print(
            f"{name:<10} median {medians[name]:6.0f} ms  (min {min(values):.0f}, "
            f"max {max(values):.0f}, {len(values)} visits)"
        )
    print(f"ratio dashboard / one chart: {medians['dashboard'] / medians['one chart']:.2f}")


if __name__ == "__main__":
    main()
