"""The dashboard in a real browser: Debian's Chromium driven by Playwright.

What only a browser shows: pages render without an error box, plotly draws the charts, links
point at the posts, a shared URL restores its filters, and hostile text stays text (no dialog
opens). A screenshot of every page goes to /tmp/shots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import (
    ServerError,
    streamlit_server,
)
from conftest import CLEAN_POSTS, HOSTILE_POSTS, HTML_TOPIC, IMG_TITLE, LINK_TITLE
from conftest import write_parquet as write_archive

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
# charts per page
PAGES = {"overview": 1, "timeline": 1, "authors": 3, "topics": 4, "gaps": 2, "posts": 0}
TITLES = {"gaps": "Coverage gaps"}
POSTS = len(CLEAN_POSTS) + len(HOSTILE_POSTS)
SUMMER_READING = "https://blog.example.org/posts/summer-reading"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`streamlit run dashboard/app.py` on the clean and hostile posts; yields its address."""
    archive = write_archive(
        tmp_path_factory.mktemp("data") / "posts.parquet", CLEAN_POSTS + HOSTILE_POSTS
    )
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    try:
        with streamlit_server({"DASHBOARD_DATA": str(archive)}, log=log) as running:
            yield running.address
    except ServerError as error:
        pytest.fail(str(error))


@pytest.fixture
def page(browser):
    """A page in a fresh context; every dialog it opens is recorded in ``page.dialogs``."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def open_page(page, url: str, title: str) -> None:
    """Go to ``url`` and wait for the whole page: the first paint, then the filters and the rest."""
    page.goto(url)
    page.get_by_role("heading", name=title, level=1).wait_for(timeout=30_000)
    page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').filter(
        has_text="posts match"
    ).wait_for(timeout=30_000)
    wait_until_idle(page)


def wait_until_idle(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(300)


def sidebar_caption(page) -> str:
    return page.locator(
        '[data-testid="stSidebar"] [data-testid="stCaptionContainer"]'
    ).last.inner_text()


def wait_for_match_count(page, posts: int) -> None:
    """Wait until the sidebar says how many posts match: the rerun after a change has finished."""
    page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').filter(
        has_text=f"{posts} of {POSTS} posts match"
    ).wait_for(timeout=15_000)
    wait_until_idle(page)


def screenshot(page, name: str) -> None:
    """The whole page: the app scrolls inside its own container, so grow the window to fit."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 60, 8000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    page.set_viewport_size({"width": 1400, "height": 900})


@pytest.mark.parametrize(("name", "charts"), PAGES.items())
def test_every_page_renders_and_draws_its_charts(server, page, name, charts):
    title = TITLES.get(name, name.capitalize())
    open_page(page, f"{server}/{'' if name == 'overview' else name}", title)
    if charts:
        drawn = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg')
        drawn.nth(charts * 2 - 1).wait_for(timeout=30_000)  # plotly draws two svg layers each
        assert page.locator('[data-testid="stPlotlyChart"]').count() == charts
    screenshot(page, name)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.dialogs == []


def test_a_post_link_points_to_the_post(server, page):
    open_page(page, server, "Overview")
    link = page.get_by_role("link", name="Summer reading")
    assert link.get_attribute("href") == SUMMER_READING
    hostile = page.get_by_role("link", name=IMG_TITLE)
    assert hostile.get_attribute("href") == "https://blog.example.org/posts/hostile-image"


def test_a_shared_url_restores_its_filters(server, page):
    open_page(page, f"{server}/?author=Tom+Arnold&from=2023-02-01", "Overview")
    assert sidebar_caption(page).startswith(f"2 of {POSTS} posts")
    sidebar = page.locator('[data-testid="stSidebar"]')
    chosen = sidebar.locator('[data-testid="stMultiSelectTagsContainer"] [title="Tom Arnold"]')
    chosen.first.wait_for(timeout=10_000)
    assert sidebar.locator("input").first.input_value() == "2023-02-01"
    # another page keeps the filters, in the view and in the URL
    sidebar.get_by_role("link", name="Authors").click()
    page.get_by_role("heading", name="Authors", level=1).wait_for()
    wait_for_match_count(page, 2)
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"author": ["Tom Arnold"], "from": ["2023-02-01"]}


def test_a_changed_filter_is_written_to_the_url(server, page):
    open_page(page, server, "Overview")
    search = page.get_by_role("textbox", name="Search titles and summaries")
    search.fill("reading")
    search.press("Enter")
    page.wait_for_function("() => location.search.includes('q=reading')", timeout=10_000)
    wait_for_match_count(page, 2)
    page.get_by_role("button", name="Clear filters").click()
    page.wait_for_function("() => !location.search.includes('q=')", timeout=10_000)
    wait_for_match_count(page, POSTS)


def test_an_invalid_parameter_shows_a_notice(server, page):
    open_page(page, f"{server}/?from=banana&author=Nobody+Known", "Overview")
    alerts = page.locator('[data-testid="stAlertContentWarning"]')
    assert "banana" in alerts.nth(0).inner_text()
    assert "Nobody Known" in alerts.nth(1).inner_text()
    assert sidebar_caption(page).startswith(f"{POSTS} of {POSTS} posts")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_selecting_a_bar_lists_that_periods_posts(server, page):
    open_page(page, f"{server}/timeline", "Timeline")
    bars = page.locator('[data-testid="stPlotlyChart"] .barlayer .point')
    bars.last.wait_for()
    box = bars.last.bounding_box()  # plotly takes clicks on its drag layer, above the bars
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # June 2024
    page.get_by_role("heading", name="Jun 2024: 1 post").wait_for(timeout=15_000)
    assert page.get_by_role("link", name="Summer reading").get_attribute("href") == SUMMER_READING
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.parametrize("name", PAGES)
def test_hostile_records_stay_text(server, page, name):
    title = TITLES.get(name, name.capitalize())
    open_page(page, f"{server}/{'' if name == 'overview' else name}", title)
    if PAGES[name]:
        page.locator(".js-plotly-plot .main-svg").nth(PAGES[name] * 2 - 1).wait_for()
    page.wait_for_timeout(500)
    assert page.dialogs == []
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator('a[href^="javascript"], a[href^="JAVASCRIPT"]').count() == 0
    assert page.locator('[data-testid="stMain"] i').filter(has_text="Tilted").count() == 0
    if name == "overview":
        assert page.get_by_role("link", name=IMG_TITLE, exact=True).count() == 1
        assert page.locator("li").filter(has_text=LINK_TITLE).count() == 1
    if name == "topics":
        svg_text = page.locator(".js-plotly-plot text").all_text_contents()
        assert HTML_TOPIC in svg_text


def test_gaps_page_shades_silences_and_explains_a_bad_threshold(server, page):
    open_page(page, f"{server}/gaps?to=2024-06-30", "Coverage gaps")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".main-svg").nth(1).wait_for(timeout=30_000)
    spells = chart.locator(".barlayer .trace").first.locator(".point path")
    assert spells.count() >= 1  # at least the 202 days of 2023
    assert "rgb(240, 228, 66)" in spells.first.get_attribute("style")  # theme.SILENCE
    box = page.get_by_role("spinbutton", name="A gap is longer than (days)")
    box.fill("0")
    box.press("Enter")
    warning = page.locator('[data-testid="stAlertContentWarning"]').filter(
        has_text="at least one day"
    )
    warning.wait_for(timeout=30_000)
    screenshot(page, "gaps-bad-threshold")
    assert page.locator('[data-testid="stException"]').count() == 0


def choose(page, group: str, option: str) -> None:
    """Click one option of a horizontal radio group, named by its label."""
    radio = page.locator('[data-testid="stRadio"]').filter(has_text=group)
    radio.get_by_text(option, exact=True).click()


def test_a_control_inside_a_page_redraws_its_part_and_keeps_the_rest(server, page):
    # These parts are fragments: their own control reruns them alone (timed by
    # benchmarks/page_controls.py); here, each control still redraws its part and the rest stays.
    open_page(page, f"{server}/gaps?to=2024-06-30", "Coverage gaps")
    titles = page.locator(".js-plotly-plot .gtitle")
    titles.filter(has_text="Posts per topic and quarter").wait_for(timeout=30_000)
    before = titles.all_text_contents()
    choose(page, "Per", "Month")
    titles.filter(has_text="Posts per topic and month").wait_for(timeout=30_000)
    wait_until_idle(page)
    assert titles.all_text_contents() == [
        "Posts per topic and month (grey: none)" if "Posts per topic and" in t else t
        for t in before
    ]
    choose(page, "Compare", "Year")
    page.get_by_text("The year of 1 Jan 2024 to 31 Dec 2024", exact=False).wait_for(timeout=30_000)
    wait_until_idle(page)
    assert page.get_by_text("Topics covered by a single author").count() == 1
    assert page.get_by_role("heading", name="Silent spells").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0

    open_page(page, f"{server}/topics", "Topics")
    heatmap = page.locator(".js-plotly-plot .gtitle").filter(has_text="Posts per topic and")
    choose(page, "Over time, per", "Year")
    heatmap.filter(has_text="Posts per topic and year").wait_for(timeout=30_000)
    wait_until_idle(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == PAGES["topics"]
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "topics-per-year")

    open_page(page, f"{server}/posts", "Posts")
    oldest = min(CLEAN_POSTS + HOSTILE_POSTS, key=lambda row: (row[1], row[0]))
    titles = page.locator('[data-testid="stDataFrame"] [role="gridcell"]')
    titles.nth(1).wait_for(state="attached", timeout=30_000)
    assert titles.nth(1).text_content() != oldest[0]  # newest first
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Sort by").click()
    page.get_by_role("option", name="Oldest first").click()
    page.wait_for_function(
        "title => document.querySelectorAll("
        '\'[data-testid="stDataFrame"] [role="gridcell"]\')[1]?.innerText === title',
        arg=oldest[0],
        timeout=30_000,
    )
    wait_until_idle(page)
    assert page.get_by_text(f"Posts 1 to {POSTS} of {POSTS}.").count() == 1
    assert page.locator('[data-testid="stDownloadButton"]').count() == 2  # outside, still there
    assert page.locator('[data-testid="stException"]').count() == 0


def date_box(page, label: str) -> str:
    box = page.locator('[data-testid="stDateInput"]').filter(has_text=label)
    return box.locator("input").input_value()


def test_after_a_refresh_the_date_boxes_show_the_dates_applied(page, tmp_path, feed_server):
    """The refresh brings posts up to 18 July 2024 into an archive that ended on 25 June: the
    To box, which stood at the old last day (no filter), shows the new one at once."""
    archive = write_archive(tmp_path / "posts.parquet", CLEAN_POSTS)
    env = {"DASHBOARD_DATA": str(archive), "DASHBOARD_CRAWL_URL": feed_server}
    try:
        with streamlit_server(env, log=tmp_path / "streamlit.log") as running:
            open_page(page, running.address, "Overview")
            assert date_box(page, "To") == "2024-06-25"
            page.get_by_role("button", name="Refresh from the blog").click()
            page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').filter(
                has_text="13 of 13 posts match"
            ).wait_for(timeout=60_000)
            wait_until_idle(page)
            assert date_box(page, "To") == "2024-07-18"
            assert date_box(page, "From") == "2023-01-10"
            screenshot(page, "refreshed")
    except ServerError as error:
        pytest.fail(str(error))


def test_two_visitors_of_one_view_share_it_but_not_each_others_choices(server, browser):
    """The view and its charts are made once for both (``state.shared``); the events one
    visitor turns off stay on for the other, whose page is drawn from the same shared view."""
    contexts = [browser.new_context(viewport={"width": 1400, "height": 900}) for _ in range(2)]
    first, second = (context.new_page() for context in contexts)
    events = '[data-testid="stPlotlyChart"] .legendtext'
    try:
        url = f"{server}/?to=2024-06-30"
        for tab in (first, second):
            open_page(tab, url, "Overview")
        assert first.locator(events, has_text="Events").count() == 1
        assert second.locator(events, has_text="Events").count() == 1
        second.get_by_text("Show events on time charts").click()
        wait_until_idle(second)
        second.locator(events, has_text="Events").wait_for(state="detached", timeout=15_000)
        first.reload()
        open_page(first, url, "Overview")
        assert first.locator(events, has_text="Events").count() == 1
        titles = '[data-testid="stPlotlyChart"] .gtitle'
        assert first.locator(titles).all_inner_texts() == second.locator(titles).all_inner_texts()
    finally:
        for context in contexts:
            context.close()
