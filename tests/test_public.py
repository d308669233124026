"""Public mode (``DASHBOARD_PUBLIC=1``): read-only, and no path or traceback reaches a visitor.

The data sits in a folder whose name must never appear on a page: ``SECRET``. Every element's
protobuf is searched for it, so a path shown anywhere (Markdown, captions, metrics, tables,
errors, help texts) fails the test.
"""

from __future__ import annotations

import functools
import inspect
import tomllib

import pandas as pd
import pytest
import streamlit as st
from conftest import CLEAN_POSTS, ROOT, write_parquet
from streamlit.testing.v1 import AppTest, local_script_runner

from dashboard import analysis, state
from dashboard.display import escape_markdown

# What the bundled configuration's site.toml says a public demo is, as the sidebar shows it.
PUBLIC_NOTE = escape_markdown(
    tomllib.loads((ROOT / "data" / "site.toml").read_text(encoding="utf-8"))["public_note"]
)

APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["overview", "timeline", "authors", "topics", "gaps", "posts"]
SECRET = "staff-only-folder-4e1c"
EXPORT = ROOT / "tests" / "fixtures" / "records" / "spreadsheet-export.csv"
CRAWL_URL = "http://127.0.0.1:9/feed/"  # never fetched: public mode has no refresh
PAGE_FAILED = (f"{state.PAGE_FAILED} {state.LOGGED}", ":material/error:")  # message and icon


@pytest.fixture
def secret_csv(tmp_path):
    """A CSV with rejected rows (so the report has problems), in a folder named ``SECRET``."""
    folder = tmp_path / SECRET
    folder.mkdir()
    path = folder / "posts.csv"
    path.write_bytes(EXPORT.read_bytes())
    return path


def run(monkeypatch, source, *, public: bool = True) -> AppTest:
    """A session on ``source`` (None: the bundled data), drawn in full."""
    if public:
        monkeypatch.setenv(state.PUBLIC_ENV, "1")
    else:
        monkeypatch.delenv(state.PUBLIC_ENV, raising=False)
    monkeypatch.setenv("DASHBOARD_CRAWL_URL", CRAWL_URL)
    if source is None:
        monkeypatch.delenv(state.DATA_ENV, raising=False)
    else:
        monkeypatch.setenv(state.DATA_ENV, str(source))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.run()
    return at


def everything_shown(at: AppTest) -> str:
    """The text of every element and block on the page, tables included."""

    def protos(node):
        for child in getattr(node, "children", {}).values():
            yield from protos(child)
        if getattr(node, "proto", None) is not None:
            yield node.proto

    parts = [str(proto) for proto in protos(at._tree)]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


def test_public_mode_can_be_set_in_the_secrets_file(monkeypatch):
    """Hosts such as Community Cloud keep settings in secrets; the environment is not needed."""
    monkeypatch.delenv(state.PUBLIC_ENV, raising=False)
    monkeypatch.delenv(state.DATA_ENV, raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets[state.PUBLIC_ENV] = "1"
    at.run()
    at.run()
    assert not at.exception
    assert at.sidebar.caption[-1].value == PUBLIC_NOTE
    assert not at.file_uploader


def open_the_report(at: AppTest) -> AppTest:
    at.session_state["data:sources"] = True
    at.session_state[state.PROBLEMS_OPEN] = True
    return at.run()


def test_public_mode_is_read_only_and_says_what_it_shows(monkeypatch):
    at = run(monkeypatch, None)
    assert not at.exception
    assert at.sidebar.caption[-1].value == PUBLIC_NOTE
    assert "Heseltine Institute blog" in PUBLIC_NOTE
    assert not at.file_uploader
    labels = [b.label for b in at.button]
    # no refresh, no way back from an upload; the report is for visitors too
    assert labels == ["Clear filters", "Prepare the report"]
    assert any(m.value == "Source: the bundled dataset" for m in at.markdown)
    assert str(ROOT) not in everything_shown(open_the_report(at))


def test_staff_mode_offers_the_uploader_and_the_refresh(monkeypatch, clean_archive):
    at = run(monkeypatch, clean_archive, public=False)
    assert len(at.file_uploader) == 1
    assert "Refresh from the blog" in [b.label for b in at.button]
    assert PUBLIC_NOTE not in [c.value for c in at.sidebar.caption]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_a_path_in_public_mode(monkeypatch, secret_csv, page):
    at = open_the_report(run(monkeypatch, secret_csv))
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = everything_shown(at)
    assert SECRET not in shown
    assert str(secret_csv.parent.parent) not in shown
    assert "Traceback" not in shown
    assert ".toml" not in shown  # no hint at files a visitor cannot edit
    if page == "overview":  # the report is there, its sources named by file name
        assert any(m.value == "Source: posts\\.csv" for m in at.markdown)
        tables = [e.dataframe[0].value for e in at.expander if e.dataframe]
        assert [len(t) for t in tables] == [1, 6]
        assert set(tables[0]["Source"]) == set(tables[1]["Source"]) == {"posts.csv"}


def test_staff_mode_does_show_the_path(monkeypatch, secret_csv):
    """The check above would notice a path: staff see the source as configured."""
    at = open_the_report(run(monkeypatch, secret_csv, public=False))
    assert SECRET in everything_shown(at)


def test_a_missing_source_in_public_mode_is_named_without_its_path(monkeypatch, tmp_path):
    folder = tmp_path / SECRET
    at = run(monkeypatch, folder / "posts.parquet")
    (error,) = at.error
    assert error.value == (
        "Could not load the posts from posts\\.parquet: nothing could be read "
        "\\(posts\\.parquet\\: no such file or directory\\)."
    )
    assert SECRET not in everything_shown(at)
    assert not at.exception


def test_a_broken_source_in_public_mode_shows_no_detail(monkeypatch, tmp_path):
    folder = tmp_path / SECRET
    folder.mkdir()
    broken = folder / "posts.parquet"
    broken.write_bytes(b"PAR1 this is not really parquet")
    at = run(monkeypatch, broken)
    assert at.error[0].value.startswith("Could not load the posts from posts\\.parquet")
    shown = everything_shown(at)
    assert SECRET not in shown and "Traceback" not in shown


def test_an_unexpected_loading_error_in_public_mode_is_logged_not_shown(monkeypatch, tmp_path):
    source = write_parquet(tmp_path / "posts.parquet", CLEAN_POSTS)

    def fail(sources):
        raise RuntimeError(f"cannot open /srv/{SECRET}/posts.parquet")

    monkeypatch.setattr("dashboard.state.data.load_sources", fail)
    at = run(monkeypatch, source)
    (error,) = at.error
    assert error.value == f"Could not load the posts from posts\\.parquet. {state.LOGGED}"
    shown = everything_shown(at)
    assert SECRET not in shown and "RuntimeError" not in shown


@pytest.mark.parametrize("public", [True, False])
def test_an_error_on_a_page_shows_no_traceback_in_public_mode(monkeypatch, clean_archive, public):
    def fail(*args, **kwargs):
        raise ValueError(f"no such file /srv/{SECRET}/cache")

    monkeypatch.setattr(analysis, "headline_figures", fail)
    at = run(monkeypatch, clean_archive, public=public)
    if public:
        assert not at.exception
        assert (at.error[-1].value, at.error[-1].icon) == PAGE_FAILED
        assert SECRET not in everything_shown(at)
        assert st.get_option("client.showErrorDetails") == "none"
    else:  # staff see the error itself
        assert SECRET in at.exception[0].value


# --- a section that reruns alone (st.fragment) ------------------------------------------------


def rerun_fragment(at: AppTest, name: str, monkeypatch) -> AppTest:
    """Rerun the fragment ``name`` alone, as the browser does when a control inside it changes.

    ``AppTest.run`` reruns the whole script, so the rerun request is given the fragment's id,
    found among those the last run registered. Only the fragment is drawn again: the tree then
    holds its elements alone.
    """
    registered = at._fragment_storage._fragments
    (fragment_id,) = [
        key
        for key, fragment in registered.items()
        if inspect.getclosurevars(fragment).nonlocals["non_optional_func"].__name__ == name
    ]
    with monkeypatch.context() as patch:
        rerun = functools.partial(local_script_runner.RerunData, fragment_id_queue=[fragment_id])
        patch.setattr(local_script_runner, "RerunData", rerun)
        return at.run()


FRAGMENTS = {  # page: its fragment, a control inside it and a new value, a function it calls
    "gaps": ("thin_coverage", lambda at: at.radio(key="gaps_freq"), "year", "topic_period_matrix"),
    "topics": ("over_time", lambda at: at.radio[0], "year", "topic_share_over_time"),
    "posts": (
        "one_page",
        lambda at: at.selectbox(key="posts_order"),
        "Oldest first",
        "page_in_order",
    ),
}


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize("page", FRAGMENTS)
def test_an_error_in_a_fragments_own_rerun_shows_the_pages_message(
    monkeypatch, clean_archive, page, public
):
    """A control inside a fragment reruns the fragment, not app.py and its page_errors: the
    message must come from the fragment itself."""
    name, control, value, called = FRAGMENTS[page]
    at = run(monkeypatch, clean_archive, public=public)
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception and not at.error

    def fail(*args, **kwargs):
        raise ValueError(f"no such file /srv/{SECRET}/cache")

    monkeypatch.setattr(analysis, called, fail)
    control(at).set_value(value)
    rerun_fragment(at, name, monkeypatch)
    assert not at.title  # the fragment alone was drawn again
    if public:
        assert not at.exception  # Streamlit's error box, even with its details hidden
        assert [(e.value, e.icon) for e in at.error] == [PAGE_FAILED]
        assert SECRET not in everything_shown(at)
    else:  # staff see the error itself
        assert SECRET in at.exception[0].value


def test_an_error_in_a_fragment_in_a_full_run_shows_the_pages_message(monkeypatch, clean_archive):
    """In a full run too, the fragment's message comes in its own place, without Streamlit's
    error box; the sections after it are drawn."""
    at = run(monkeypatch, clean_archive)

    def fail(*args, **kwargs):
        raise ValueError(f"no such file /srv/{SECRET}/cache")

    monkeypatch.setattr(analysis, "topic_period_matrix", fail)
    at.switch_page("views/gaps.py").run()
    assert not at.exception
    assert [(e.value, e.icon) for e in at.error] == [PAGE_FAILED]
    assert [h.value for h in at.main.header][-2:] == ["This period against the last", "Targets"]


def test_public_mode_writes_nothing(monkeypatch, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    source = write_parquet(folder / "posts.parquet", CLEAN_POSTS)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    at = run(monkeypatch, source)
    for page in PAGES:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


# --- the pure helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "name"),
    [
        (str(state.BUNDLED_DATA), "the bundled dataset"),
        ("/srv/staff/exports/posts.parquet", "posts.parquet"),
        ("data/sources/heseltine-pages/006.txt", "006.txt"),
        ("C:\\Users\\someone\\posts.csv", "posts.csv"),
        ("https://blog.example.org/feed/?token=abc#top", "https://blog.example.org/feed/"),
        ("https://user:secret@blog.example.org:8443/feed", "https://blog.example.org:8443/feed"),
        ("/", "the data source"),
    ],
)
def test_neutral_name(source, name):
    assert state.neutral_name(source) == name


@pytest.mark.parametrize(
    ("text", "other_paths", "expected"),
    [
        ("nothing could be read (/srv/a/posts.csv: no such file)", True,
         "nothing could be read (posts.csv: no such file)"),
        ("cannot open /home/someone/.cache/x.db for reading", True, "cannot open … for reading"),
        ("cannot open C:\\data\\x.db", True, "cannot open …"),
        ("fetched https://blog.example.org/a/b and/or 2024/05/01", True,
         "fetched https://blog.example.org/a/b and/or 2024/05/01"),
        ("relative link '/blog/a-post/' with no page address", False,
         "relative link '/blog/a-post/' with no page address"),
    ],
)  # fmt: skip
def test_neutral_text(text, other_paths, expected):
    sources = ["/srv/a/posts.csv", "/srv/a"]
    assert state.neutral_text(text, sources, other_paths=other_paths) == expected


@pytest.mark.parametrize(("public", "sources"), [
    (True, ["posts.csv", "https://blog.example.org/feed/"]),
    (False, ["/srv/staff/posts.csv", "https://blog.example.org/feed/?key=1"]),
])  # fmt: skip
def test_downloads_name_sources_neutrally_in_public_mode(monkeypatch, public, sources):
    if public:
        monkeypatch.setenv(state.PUBLIC_ENV, "1")
    else:
        monkeypatch.delenv(state.PUBLIC_ENV, raising=False)
    posts = pd.DataFrame(
        {
            "title": ["A", "B"],
            "source": ["/srv/staff/posts.csv", "https://blog.example.org/feed/?key=1"],
        }
    )
    assert state.downloadable(posts)["source"].tolist() == sources


def test_the_config_file_sets_safe_server_options():
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["maxUploadSize"] == 50
    assert settings["server"]["enableXsrfProtection"] is True
    assert settings["browser"]["gatherUsageStats"] is False
    assert settings["client"]["toolbarMode"] == "minimal"
    assert settings["client"]["showErrorDetails"] in {"full", "stacktrace", "type", "none"}
