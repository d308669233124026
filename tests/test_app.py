"""The dashboard run headless with AppTest: every page, every filter, the URL, hostile text.

``DASHBOARD_DATA`` points at a Parquet archive built from conftest's fixtures; the expected
numbers are the hand counts of ``CLEAN_FACTS``.
"""

from __future__ import annotations

import base64
import json
import pickle
from datetime import date

import numpy as np
import pandas as pd
import pytest
from conftest import (
    CLEAN_FACTS,
    CLEAN_POSTS,
    HEALTH,
    HTML_TOPIC,
    IMG_TITLE,
    LINK_TITLE,
    LINK_TOPIC,
    ROOT,
    posts_frame,
    write_parquet,
)
from streamlit.testing.v1 import AppTest

from dashboard import schema, state
from dashboard.display import escape_markdown
from dashboard.load import LoadResult, Report, SourceReport, load_sources

APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["overview", "timeline", "authors", "topics", "gaps", "posts"]
TITLES = {"gaps": "Coverage gaps"}


def first_paint(monkeypatch, source, params: dict | None = None) -> AppTest:
    """The session's first run: the navigation and the landing page's lead only."""
    monkeypatch.setenv(state.DATA_ENV, str(source))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run_app(monkeypatch, source, params: dict | None = None, page: str | None = None) -> AppTest:
    """Run the dashboard on ``source`` with the given URL query parameters, all drawn.

    In a browser a timer reruns the app right after the first paint; here a second run does.
    """
    at = first_paint(monkeypatch, source, params)
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def figures(at: AppTest) -> list[dict]:
    """The plotly figures on the page, with binary-encoded arrays decoded."""
    return [_decode(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def _decode(value):
    if isinstance(value, dict) and set(value) == {"dtype", "bdata"}:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def open_table(at: AppTest, chart_title: str) -> pd.DataFrame:
    """Open the table behind a chart (one click: its expander) and return it."""
    at.session_state[f"table:{chart_title}"] = True
    at.run()
    (expander,) = [e for e in at.expander if e.key == f"table:{chart_title}"]
    return expander.dataframe[0].value


def bar_total(figure: dict) -> int:
    return int(sum(sum(trace["y"]) for trace in figure["data"] if trace["type"] == "bar"))


# --- the archive passes through the loader as written ----------------------------------------


def test_the_fixture_archive_loads_as_written(clean_archive):
    """If this fails, the taxonomy or the author list now reads the fixture text differently."""
    loaded = load_sources([clean_archive]).posts.set_index("title")
    for title, _, _, _, authors, topics in CLEAN_POSTS:
        assert loaded.loc[title, "authors"] == authors
        assert sorted(loaded.loc[title, "topics"]) == sorted(topics)  # [] when none matched


# --- every page runs --------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(monkeypatch, clean_archive, page):
    at = run_app(monkeypatch, clean_archive, page=page)
    assert at.title[0].value == TITLES.get(page, page.capitalize())
    assert not at.error


def test_charts_pages_draw_charts(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive)
    counts = {}
    for page in PAGES:
        at.switch_page(f"views/{page}.py").run()
        counts[page] = len(at.get("plotly_chart"))
    assert counts == {
        "overview": 1,
        "timeline": 1,
        "authors": 3,
        "topics": 4,
        "gaps": 2,
        "posts": 0,
    }


def test_overview_headline_figures(monkeypatch, clean_archive):
    shown = metrics(run_app(monkeypatch, clean_archive))
    assert shown["Posts"] == str(CLEAN_FACTS["posts"])
    assert shown["Authors"] == str(CLEAN_FACTS["authors"])
    assert shown["Topics"] == str(CLEAN_FACTS["topics"])
    assert shown["Posts per month"] == CLEAN_FACTS["posts_per_month"]
    assert shown["Latest post"] == CLEAN_FACTS["latest"]
    assert shown["Longest silence"] == CLEAN_FACTS["longest_silence"]
    assert shown["Records read"] == "10"
    assert shown["Posts without author"] == "1 (10%)"
    assert shown["Posts without URL"] == "1 (10%)"
    assert shown["Posts without topic"] == "1 (10%)"


def test_overview_chart_counts_every_month(monkeypatch, clean_archive):
    (figure,) = figures(run_app(monkeypatch, clean_archive))
    (bar,) = [t for t in figure["data"] if t["type"] == "bar"]
    assert bar["y"] == [2, 1, 0, 2, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1]


def test_overview_lists_the_latest_posts_with_links(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive)
    body = next(m.value for m in at.markdown if "Summer reading" in m.value)
    assert "[Summer reading](<https://blog.example.org/posts/summer-reading>)" in body
    # no URL, so no link: a search for the exact title on the blog's site instead
    assert (
        "Looking back\\, looking ahead ([search for it](<https://duckduckgo.com/"
        "?q=%22Looking+back%2C+looking+ahead%22+site%3Ablog.example.org>)) · Tom Arnold"
    ) in body


# --- the first paint --------------------------------------------------------------------------


def test_the_first_paint_draws_the_landing_chart_alone(monkeypatch, clean_archive):
    at = first_paint(monkeypatch, clean_archive)
    assert at.title[0].value == "Overview"
    assert len(at.get("plotly_chart")) == 1
    assert not at.metric and not at.multiselect and not at.date_input
    at.run()  # what the browser's timer does
    assert len(at.metric) > 0
    assert at.multiselect(key="author").options


@pytest.mark.parametrize(
    ("params", "made"),
    [
        ({}, set()),
        ({"from": "2023-02-01", "q": "the"}, set()),
        ({"topic": HEALTH}, {"authors", "topics", "names"}),  # the topic's name is checked
    ],
)
def test_the_first_paint_makes_the_long_tables_only_when_it_needs_them(
    monkeypatch, tmp_path, params, made
):
    source = write_parquet(tmp_path / "posts.parquet", CLEAN_POSTS)  # a new cache key
    at = first_paint(monkeypatch, source, params)
    view = at.session_state["filtered_view"][1]
    # the coverage is made for the as-of line every page shows; it costs no long table
    cheap = {"posts", "report", "config", "coverage", "events", "span"}  # no long table here
    assert set(vars(view.dataset.derived)) - cheap == made
    at.run()  # the follow-up run draws the filters: now they are made
    assert {"authors", "topics", "names", "listed_authors"} <= set(vars(view.dataset.derived))
    assert at.multiselect(key="author").options


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"author": "Tom Arnold", "from": "2023-02-01"},
        {"topic": [HEALTH, "Unclassified"], "q": "the", "to": "2023-12-31"},
        {"author": ["Nobody Known", "Cleo Hachem"], "from": "banana"},
        {"from": "2023-01-10", "to": "2024-06-25"},  # the data's own edges: no filter
    ],
)
def test_the_first_paint_reads_the_url_as_the_filters_do(monkeypatch, clean_archive, params):
    at = first_paint(monkeypatch, clean_archive, params)
    first_total = bar_total(figures(at)[0])
    at.run()
    assert first_total == int(metrics(at)["Posts"])
    assert bar_total(figures(at)[0]) == first_total


# --- each filter changes the numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "posts"),
    [
        ("author", ["Tom Arnold"], "4"),
        ("author", ["James Hickson", "Joanna Hayes"], "4"),
        ("topic", [HEALTH], "3"),
        ("topic", ["Unclassified"], "1"),
        ("from", date(2024, 1, 1), "3"),
        ("to", date(2023, 1, 24), "2"),
        ("q", "reading", "2"),
    ],
)
def test_each_filter_changes_the_numbers(monkeypatch, clean_archive, key, value, posts):
    at = run_app(monkeypatch, clean_archive)
    widget = {
        "author": at.multiselect,
        "topic": at.multiselect,
        "from": at.date_input,
        "to": at.date_input,
        "q": at.text_input,
    }[key](key=key)
    widget.set_value(value).run()
    assert metrics(at)["Posts"] == posts
    assert at.sidebar.caption[0].value.startswith(f"{posts} of 10 posts")
    assert bar_total(figures(at)[0]) == int(posts)


def test_filters_combine(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive)
    at.multiselect(key="author").set_value(["Tom Arnold"]).run()
    at.date_input(key="from").set_value(date(2023, 2, 1)).run()
    assert metrics(at)["Posts"] == "2"  # posts 6 and 8


def test_authors_page_follows_the_filters(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive, {"topic": HEALTH}, page="authors")
    assert metrics(at)["Authors"] == "3"  # posts 2, 3, 10: Tom, Cleo, Joanna
    assert not at.dataframe  # the tables behind the charts wait for a click
    table = open_table(at, "Posts per author")
    assert list(table.columns) == ["Author", "Posts", "First post", "Last post"]
    assert dict(zip(table["Author"], table["Posts"], strict=True)) == {
        "Cleo Hachem": 2,
        "Joanna Hayes": 1,
        "Tom Arnold": 1,
    }


def test_topics_page_follows_the_filters(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive, {"author": "Cleo Hachem"}, page="topics")
    per_topic = open_table(at, "Posts per topic")
    assert dict(zip(per_topic["Topic"], per_topic["Posts"], strict=True)) == {
        HEALTH: 2,
        "English devolution and combined authorities": 1,
        "Urban governance": 1,
    }


@pytest.mark.parametrize(("freq", "counts"), [("year", [7, 3]), ("quarter", [3, 3, 0, 1, 2, 1])])
def test_timeline_counts_per_period(monkeypatch, clean_archive, freq, counts):
    at = run_app(monkeypatch, clean_archive, page="timeline")
    at.radio(key="timeline_period").set_value(freq).run()
    (figure,) = figures(at)
    (bar,) = [t for t in figure["data"] if t["type"] == "bar"]
    assert bar["y"] == counts


def test_timeline_breakdown_and_running_total(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive, page="timeline")
    at.radio(key="timeline_period").set_value("year").run()
    at.radio(key="timeline_breakdown").set_value("author").run()
    (figure,) = figures(at)
    by_author = {t["name"]: t["y"] for t in figure["data"] if t["type"] == "bar"}
    assert by_author == {
        "Tom Arnold": [3, 1],
        "Cleo Hachem": [2, 1],
        "James Hickson": [2, 0],
        "Joanna Hayes": [1, 1],
    }
    at.radio(key="timeline_breakdown").set_value("none").run()
    at.toggle(key="timeline_running_total").set_value(True).run()
    (figure,) = figures(at)
    assert figure["data"][0]["y"] == [7, 10]


# --- the URL ----------------------------------------------------------------------------------


def test_query_params_restore_the_filters(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive, {"author": "Tom Arnold", "from": "2023-02-01"})
    assert at.multiselect(key="author").value == ["Tom Arnold"]
    assert at.date_input(key="from").value == date(2023, 2, 1)
    assert metrics(at)["Posts"] == "2"
    assert at.query_params["author"] == "Tom Arnold"


def test_query_params_with_repeated_values_and_text(monkeypatch, clean_archive):
    params = {"topic": [HEALTH, "Unclassified"], "q": "the", "to": "2023-12-31"}
    at = run_app(monkeypatch, clean_archive, params)
    assert at.multiselect(key="topic").value == [HEALTH, "Unclassified"]
    assert at.text_input(key="q").value == "the"
    # Health or Unclassified, in 2023, with "the": posts 2, 3 and 7
    assert metrics(at)["Posts"] == "3"


def test_switching_pages_keeps_the_filters(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive)
    at.multiselect(key="author").set_value(["Tom Arnold"]).run()
    for page in PAGES[1:]:
        at.switch_page(f"views/{page}.py").run()
        assert at.multiselect(key="author").value == ["Tom Arnold"]
        assert at.sidebar.caption[0].value.startswith("4 of 10 posts")
    assert len(at.dataframe[0].value) == 4  # the Posts page


@pytest.mark.parametrize(
    ("params", "notices", "posts"),
    [
        ({"author": "Nobody Known"}, ["Nobody Known"], "10"),
        ({"from": "banana"}, ["banana"], "10"),
        ({"to": "2024-13-45"}, ["2024\\-13\\-45"], "10"),
        ({"topic": "Gardening"}, ["Gardening"], "10"),
        ({"author": ["Tom Arnold", "Nobody Known"]}, ["Nobody Known"], "4"),
        ({"from": "banana", "author": "Nobody Known"}, ["banana", "Nobody Known"], "10"),
    ],
)
def test_invalid_params_are_ignored_with_a_notice(
    monkeypatch, clean_archive, params, notices, posts
):
    at = run_app(monkeypatch, clean_archive, params)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == len(notices)
    for notice, warning in zip(notices, warnings, strict=True):
        assert notice in warning
    assert metrics(at)["Posts"] == posts


def test_clear_filters(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive, {"author": "Tom Arnold", "q": "looking"})
    assert metrics(at)["Posts"] == "1"
    at.button[0].click().run()
    assert metrics(at)["Posts"] == "10"
    assert at.multiselect(key="author").value == []
    assert at.text_input(key="q").value == ""
    assert at.button[0].disabled


# --- posts page -------------------------------------------------------------------------------


@pytest.fixture
def long_archive(tmp_path):
    """250 posts, one a day from 1 Jan 2024, so that the posts page has three pages."""
    rows = [
        (f"Post number {n}", str(date(2024, 1, 1) + pd.Timedelta(days=n - 1)), f"post-{n}",
         "A note.", ["Tom Arnold"], [HEALTH])
        for n in range(1, 251)
    ]  # fmt: skip
    return write_parquet(tmp_path / "long.parquet", rows)


def test_posts_page_shows_a_bounded_page(monkeypatch, long_archive):
    at = run_app(monkeypatch, long_archive, page="posts")
    first = at.dataframe[0].value
    assert len(first) == 100
    assert first["title"].iloc[0] == "Post number 250"
    assert at.number_input[0].label == "Page (of 3)"
    at.number_input[0].set_value(3).run()
    last = at.dataframe[0].value
    assert len(last) == 50
    assert last["title"].iloc[-1] == "Post number 1"
    at.selectbox(key="posts_order").set_value("Oldest first").run()
    assert at.dataframe[0].value["title"].iloc[0] == "Post number 1"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download all 250 as CSV", "Download all 250 as Parquet"]


def test_posts_page_sorts_a_filtered_view(monkeypatch, long_archive):
    at = run_app(monkeypatch, long_archive, page="posts")
    at.text_input(key="q").set_value("number 1").run()
    at.selectbox(key="posts_order").set_value("Title A to Z").run()
    # every word of the search, anywhere in the title: "1" in 1, 10-19, 21, 31 ... 201
    matching = sorted(f"Post number {n}" for n in range(1, 251) if "1" in str(n))
    assert list(at.dataframe[0].value["title"]) == matching[:100]
    at.number_input[0].set_value(2).run()
    assert list(at.dataframe[0].value["title"]) == matching[100:]


def test_posts_page_links(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive, page="posts")
    table = at.dataframe[0].value.set_index("title")
    assert table.loc["Summer reading", "link"] == "https://blog.example.org/posts/summer-reading"
    assert pd.isna(table.loc["Looking back, looking ahead", "link"])


# --- data that cannot be loaded ---------------------------------------------------------------


def test_a_missing_source_shows_a_message(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path / "nowhere.parquet")
    assert "Could not load the posts" in at.error[0].value
    assert "no such file" in at.error[0].value
    assert not at.get("plotly_chart")


def test_a_broken_source_shows_a_message(monkeypatch, tmp_path):
    broken = tmp_path / "posts.parquet"
    broken.write_bytes(b"PAR1 this is not really parquet")
    at = run_app(monkeypatch, broken)
    assert "Could not load the posts" in at.error[0].value


# --- hostile text is shown as text ------------------------------------------------------------


def all_text(at: AppTest) -> list:
    return list(at.markdown) + list(at.caption) + list(at.warning) + list(at.error)


@pytest.mark.parametrize("page", PAGES)
def test_no_element_allows_html(monkeypatch, hostile_archive, page):
    at = run_app(monkeypatch, hostile_archive, page=page)
    for element in all_text(at):
        assert not element.proto.allow_html if hasattr(element.proto, "allow_html") else True
        assert IMG_TITLE not in element.value
        assert LINK_TITLE not in element.value
        assert "](javascript" not in element.value  # a Markdown link to javascript:


def test_hostile_titles_are_escaped_in_lists(monkeypatch, hostile_archive):
    at = run_app(monkeypatch, hostile_archive)
    body = next(m.value for m in at.markdown if "Summer reading" in m.value)
    assert escape_markdown(IMG_TITLE) in body
    assert escape_markdown(LINK_TITLE) in body  # its javascript: URL was dropped: no link
    assert f"[{escape_markdown(LINK_TITLE)}]" not in body


def test_hostile_labels_are_escaped_in_charts(monkeypatch, hostile_archive):
    at = run_app(monkeypatch, hostile_archive, page="topics")
    labels = [label for f in figures(at) for t in f["data"] for label in (t.get("y") or [])]
    assert "&lt;i&gt;Tilted&lt;/i&gt;" in labels
    assert HTML_TOPIC not in labels
    options = at.multiselect(key="topic").options
    assert HTML_TOPIC in options and LINK_TOPIC in options  # options are plain text


def test_a_javascript_url_that_reaches_the_dashboard_is_never_a_link(monkeypatch, tmp_path):
    """Defence in depth: even if a loader let one through, the pages would not link it."""
    rows = [(LINK_TITLE, "2024-05-13", "javascript:alert(1)", None, ["Ann Example"], [HEALTH])]
    posts = posts_frame(rows)
    loaded = LoadResult(posts, Report([SourceReport("fake", "parquet", 1, 1, 0, 0)]))
    monkeypatch.setattr("dashboard.state.data.load_sources", lambda sources, **registries: loaded)
    source = write_parquet(tmp_path / "unused.parquet", rows)
    at = run_app(monkeypatch, source)
    body = next(m.value for m in at.markdown if "Ann Example" in m.value)
    search = "https://duckduckgo.com/?q=%22%5Bx%5D%28javascript%3Aalert%281%29%29%22"
    assert body == (
        f"- 13 May 2024 · {escape_markdown(LINK_TITLE)} ([search for it](<{search}>)) · Ann Example"
    )
    at.switch_page("views/posts.py").run()
    assert pd.isna(at.dataframe[0].value["link"].iloc[0])
    assert at.dataframe[0].value["search"].iloc[0] == search  # a search, never the address
    assert schema.web_url("javascript:alert(1)") is None


def gaps_page(monkeypatch, source, params) -> AppTest:
    at = run_app(monkeypatch, source, params, page="gaps")
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_gaps_page_lists_silent_spells_dormancy_and_comparisons(monkeypatch, clean_archive):
    # "Now" is the data's as-of date, 25 June 2024 (its newest post: a records file states no
    # other), since the date filter ends later, on 30 June. Publishing days of the clean archive
    # are 14, 21, 48, 15, 14, 202, 49, 64 and 105 days apart: median 48, default gap 96 days.
    at = gaps_page(monkeypatch, clean_archive, {"to": "2024-06-30"})
    assert at.number_input(key="gap_days").value == 96
    assert metrics(at)["Current silence"] == "0 days"  # the latest post is of 25 June 2024
    spells, topics, authors, by_topic, by_author = (d.value for d in at.dataframe)
    assert spells[["days", "before_title", "after_title"]].values.tolist() == [
        [202, "Lessons from the pilot", "An update from the team"],
        [105, "Questions for the region's leaders", "Summer reading"],
    ]
    assert spells["after_url"].iloc[0] == "https://blog.example.org/posts/team-update"
    # 14 taxonomy topics: 11 never covered, governance quiet since 2 May 2023 (420 days)
    assert (topics["status"] == "never").sum() == 11
    headings = [s.value for s in at.subheader]
    assert "Topics: 1 dormant, 11 never covered" in headings and "Authors: 1 dormant" in headings
    governance = topics[topics["topic"] == "Urban governance"].iloc[0]
    assert (governance["status"], governance["days_since"]) == ("dormant", 420)
    assert "Unclassified" not in set(topics["topic"])
    assert authors[["author", "days_since", "status"]].values.tolist()[0] == [
        "James Hickson",
        218,
        "dormant",
    ]
    # the only single-author "topic" would be Unclassified, which is no topic
    assert any("at least two authors" in c.value for c in at.caption)
    # Q2 2024 against Q1 2024 and Q2 2023
    assert by_topic.values.tolist() == [
        [HEALTH, 1, 0, 1, 0, 1],
        ["English devolution and combined authorities", 0, 2, -2, 1, -1],
        ["Urban governance", 0, 0, 0, 2, -2],
    ]
    assert by_author.set_index("author").loc["Joanna Hayes"].tolist() == [1, 0, 1, 1, 0]
    assert any("No topic has a target yet" in i.value for i in at.info)


def test_gaps_follow_the_filters(monkeypatch, clean_archive):
    at = gaps_page(monkeypatch, clean_archive, {"to": "2024-06-30", "author": "Tom Arnold"})
    at.number_input(key="gap_days").set_value(60).run()
    spells = at.dataframe[0].value
    # Tom Arnold's posts: 10 Jan, 24 Jan, 2 May 2023, 8 Jan 2024; then silent to 25 June, the
    # data's as-of date (the filter's end, 30 June, is later)
    assert spells[["days", "current"]].values.tolist() == [[251, False], [169, True], [98, False]]


@pytest.mark.parametrize(
    ("typed", "message"),
    [(0, "at least one day"), (-5, "at least one day"), (10**6, "at most 36,500 days")],
)
def test_unusable_gap_threshold_is_a_notice_not_an_error(
    monkeypatch, clean_archive, typed, message
):
    at = gaps_page(monkeypatch, clean_archive, {"to": "2024-06-30"})
    at.number_input(key="gap_days").set_value(typed).run()
    assert not at.exception
    assert any(message in w.value for w in at.warning)


# --- refreshing from the blog -----------------------------------------------------------------


def test_refresh_button_crawls_the_configured_blog_into_the_data(
    monkeypatch, clean_archive, feed_server
):
    monkeypatch.setenv("DASHBOARD_CRAWL_URL", feed_server)
    at = run_app(monkeypatch, clean_archive)
    assert metrics(at)["Posts"] == "10"
    assert at.date_input(key="to").value == date(2024, 6, 25)
    refresh = next(b for b in at.button if b.label == "Refresh from the blog")
    refresh.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at)["Posts"] == "13"  # the feed's three posts joined the archive
    # the To box, at the old archive's last day (no filter), moved to the new last day
    assert at.date_input(key="to").value == date(2024, 7, 18)
    assert at.date_input(key="from").value == date(2023, 1, 10)
    assert "13 of 13 posts match the filters." in [c.value for c in at.sidebar.caption]
    assert len(load_sources([clean_archive]).posts) == 13
    assert any("fetched:" in c.value for c in at.sidebar.code)


def test_no_refresh_button_in_public_mode(monkeypatch, clean_archive, feed_server):
    monkeypatch.setenv("DASHBOARD_CRAWL_URL", feed_server)
    monkeypatch.setenv("DASHBOARD_PUBLIC", "1")
    at = run_app(monkeypatch, clean_archive)
    assert [b.label for b in at.button if b.label == "Refresh from the blog"] == []


def test_gaps_tables_are_bounded(monkeypatch, tmp_path):
    rows = [
        (f"Post {n}", str(date(2020, 1, 1) + pd.Timedelta(days=10 * n)), f"p-{n}", "A note.",
         [f"Author {n:03d}"], [HEALTH])
        for n in range(150)
    ]  # fmt: skip
    at = gaps_page(monkeypatch, write_parquet(tmp_path / "many.parquet", rows), {})
    authors = next(
        d.value for d in at.dataframe if "author" in d.value.columns and "status" in d.value.columns
    )
    assert len(authors) == 100
    assert any(c.value == "The first 100 of 150 rows." for c in at.caption)


# --- a long list of authors -------------------------------------------------------------------


def test_the_author_filter_lists_the_most_prolific_and_takes_any_other(monkeypatch, clean_archive):
    monkeypatch.setattr("dashboard.state.data.AUTHORS_LISTED", 2)
    at = run_app(monkeypatch, clean_archive)
    box = at.multiselect(key="author")
    assert list(box.options) == ["Cleo Hachem", "Tom Arnold"]  # 3 and 4 posts; the others 2
    assert "2 most prolific of 4" in box.help
    box.set_value(["James Hickson"]).run()  # typed: not in the list, but an author
    assert at.sidebar.caption[-1].value == "2 of 10 posts match the filters."
    at.multiselect(key="author").set_value(["Nobody Here"]).run()
    assert "No author named “Nobody Here”" in at.sidebar.warning[0].value
    assert at.sidebar.caption[-1].value == "0 of 10 posts match the filters."


def test_a_linked_author_outside_the_list_is_offered_and_applied(monkeypatch, clean_archive):
    monkeypatch.setattr("dashboard.state.data.AUTHORS_LISTED", 2)
    at = run_app(monkeypatch, clean_archive, {"author": "Joanna Hayes"})
    box = at.multiselect(key="author")
    assert box.value == ["Joanna Hayes"]
    assert list(box.options) == ["Cleo Hachem", "Joanna Hayes", "Tom Arnold"]
    assert at.sidebar.caption[-1].value == "2 of 10 posts match the filters."


# The archive of a feed (1 March to 26 June 2024, built 2 July 2024) and one article page of
# 1 March 2021: the dashboard reasons only inside what it captured.
AS_OF_LINE = (
    "Data as of 2 July 2024. Its sources cover 2 periods, 10% of the days from 1 March 2021 "
    "to 2 July 2024; the rest is shown as not captured, never as silence."
)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_states_the_data_as_of_date(monkeypatch, feed_and_article, page):
    at = run_app(monkeypatch, feed_and_article, page=page)
    assert AS_OF_LINE in [c.value for c in at.caption]


def test_a_complete_archive_states_only_its_date(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive)
    assert "Data as of 25 June 2024." in [c.value for c in at.caption]
    assert not any("not captured" in c.value for c in at.caption)


def test_now_is_the_as_of_date_on_the_overview_and_gaps(monkeypatch, feed_and_article):
    at = run_app(monkeypatch, feed_and_article)
    latest = next(m for m in at.metric if m.label == "Latest post")
    assert (latest.value, latest.proto.delta) == ("26 Jun 2024", "6 days ago")
    gaps = gaps_page(monkeypatch, feed_and_article, {})
    assert metrics(gaps)["Current silence"] == "6 days"
    gaps.number_input(key="gap_days").set_value(5).run()
    spells = gaps.dataframe[0].value
    # eight fortnights inside the feed and the current six days; the three uncaptured years
    # between the article and the feed are no spell
    assert spells[["days", "current"]].values.tolist() == [[14, False]] * 8 + [[6, True]]


def test_current_silence_past_the_captured_data_is_not_a_number(monkeypatch, feed_and_article):
    # "now" is the end of the date filter, 30 June 2021: the days since the article of 1 March
    # 2021 were not captured, so neither a silence nor dormancy can be read from them
    at = gaps_page(monkeypatch, feed_and_article, {"to": "2021-06-30"})
    assert metrics(at)["Current silence"] == "not captured"
    at.number_input(key="dormant_days").set_value(90).run()
    authors = next(d.value for d in at.dataframe if "author" in d.value.columns)
    assert authors[["author", "days_since", "status"]].values.tolist() == [
        ["Jane Doe", 121, "not captured"]
    ]
    assert "Authors: 1 not captured" in [s.value for s in at.subheader]


def test_the_data_panel_lists_the_captured_periods(monkeypatch, feed_and_article):
    at = run_app(monkeypatch, feed_and_article)
    at.session_state["data:coverage"] = True
    at.run()
    (panel,) = [e for e in at.expander if e.label.startswith("Captured periods")]
    assert panel.label == "Captured periods (2, 10% of the archive's span)"
    assert panel.dataframe[0].value.values.tolist() == [
        ["1 March 2021", "1 March 2021", 1],
        ["1 March 2024", "2 July 2024", 124],
    ]


def test_the_sidebar_prepares_the_report_of_the_current_filters(monkeypatch, clean_archive):
    at = run_app(monkeypatch, clean_archive, {"from": "2024-01-01"})
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the report" not in labels  # made on request only
    next(b for b in at.button if b.label == "Prepare the report").click().run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the report" in labels
    _, report, label = at.session_state["prepared_report"]
    text = report.decode("utf-8")
    # the filtered dates, up to the data's as-of day; the three posts of 2024, each listed
    assert label == "1 January 2024 to 25 June 2024"
    assert "<h1>the blog: 1 January 2024 to 25 June 2024</h1>" in text
    assert "Every post (3)" in text
    assert '<a href="https://blog.example.org/posts/summer-reading">Summer reading</a>' in text


# --- Results shared by sessions (``state.shared``) ------------------------------------------


def shared_of(source) -> tuple[dict, dict]:
    """The views and results the process keeps for ``source``: key -> pickled value."""
    views, results = state.data._process_shelves()
    return tuple(
        {key: pickle.dumps(value) for key, value in shelf.items() if key[0] == str(source)}
        for shelf in (views, results)
    )


def every_page(monkeypatch, source, params: dict) -> tuple[AppTest, dict[str, list]]:
    """A session opening every page; the figures each page drew, as sent."""
    at = run_app(monkeypatch, source, params)
    drawn = {}
    for page in PAGES:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        drawn[page] = [chart.proto.spec for chart in at.get("plotly_chart")]
    return at, drawn


def test_a_second_session_takes_what_the_first_made_and_finds_it_as_made(
    monkeypatch, clean_archive
):
    views, results = state.data._process_shelves()
    params = {"to": "2024-06-30"}
    _, first = every_page(monkeypatch, clean_archive, params)
    made = (views.made, results.made)
    kept = shared_of(clean_archive)
    assert len(kept[1]) >= 15  # every page's tables and charts
    _, second = every_page(monkeypatch, clean_archive, params)
    assert (views.made, results.made) == made  # nothing made again
    assert second == first
    # no page changed a shared table or figure while drawing it
    assert shared_of(clean_archive) == kept


def test_a_return_to_earlier_filters_recomputes_nothing(monkeypatch, clean_archive):
    views, results = state.data._process_shelves()
    at = gaps_page(monkeypatch, clean_archive, {"to": "2024-06-30"})
    before = at.dataframe[0].value
    at.multiselect(key="author").set_value(["Tom Arnold"]).run()
    assert len(at.dataframe[0].value) != len(before)
    made = (views.made, results.made)
    at.multiselect(key="author").set_value([]).run()
    assert (views.made, results.made) == made
    assert at.dataframe[0].value.equals(before)
    at.switch_page("views/topics.py").run()
    shown = at.radio(key="topics_period").value
    one, other = (freq for freq in ("month", "quarter", "year") if freq != shown)
    at.radio(key="topics_period").set_value(one).run()
    made = (views.made, results.made)
    at.radio(key="topics_period").set_value(other).run()
    assert results.made == made[1] + 1  # the other period's charts: not drawn before
    at.radio(key="topics_period").set_value(one).run()
    assert (views.made, results.made) == (made[0], made[1] + 1)  # the first period's: kept
