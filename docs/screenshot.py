"""The picture on the README's front page: the Overview of the bundled data, as a visitor sees it.

Starts ``streamlit run dashboard/app.py`` headless on a free port, on the bundled
``data/posts.parquet``; opens it in Debian's Chromium through Playwright; waits until the
Overview has drawn (its heading, the sidebar's "N of M posts match" caption, the chart, and
Streamlit idle); saves the browser window, 1400 x 900, as a PNG; and stops the server, also
when something fails.

    .venv/bin/python docs/screenshot.py [--out docs/overview.png]

Exit status 0 when the PNG is written, 1 with a one-line reason (and the server's log when it
is the server that failed) otherwise. The server and Chromium helpers are the ones the browser
tests and benchmarks use (``tests/browser_support.py``, standard library only).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_LAUNCH,
    MISSING_CHROMIUM,
    ServerError,
    streamlit_server,
)

OUT = ROOT / "docs" / "overview.png"
DATA = ROOT / "data" / "posts.parquet"
WIDTH, HEIGHT = 1400, 900
WAIT_MS = 60_000
# The bundled data in staff mode, whatever this shell's environment says.
ENV = {"DASHBOARD_DATA": str(DATA), "DASHBOARD_PUBLIC": "", "DASHBOARD_CRAWL_URL": ""}
SIDEBAR_CAPTION = '[data-testid="stSidebar"] [data-testid="stCaptionContainer"]'
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


class ScreenshotError(RuntimeError):
    """The page did not draw as expected."""


def shoot(address: str, out: Path) -> None:
    """Open the Overview at ``address``, wait until it has drawn, and save the window to ``out``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**CHROMIUM_LAUNCH)
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.goto(address)
            page.get_by_role("heading", name="Overview", level=1).wait_for(timeout=WAIT_MS)
            caption = page.locator(SIDEBAR_CAPTION).filter(has_text="posts match")
            caption.wait_for(timeout=WAIT_MS)
            page.locator(CHART).nth(1).wait_for(timeout=WAIT_MS)  # plotly draws two svg layers
            page.wait_for_function(IDLE, timeout=WAIT_MS)
            page.wait_for_timeout(800)  # let plotly finish its transitions
            if page.locator('[data-testid="stException"]').count():
                raise ScreenshotError("the Overview shows an error instead of its charts")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"PNG to write (default: {OUT})")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"screenshot: {MISSING_CHROMIUM}", file=sys.stderr)
        return 1
    try:
        with streamlit_server(ENV) as server:
            shoot(server.address, args.out)
    except ServerError as error:
        print(f"screenshot: the dashboard did not start: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # Playwright's timeouts and errors, ScreenshotError
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"screenshot: the Overview did not draw: {first}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({WIDTH} x {HEIGHT})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
