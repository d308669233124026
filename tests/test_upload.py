"""Uploads for staff: ``dashboard.upload`` (pure), ``load_bytes``, and the uploader in the app.

The upload is ``fixtures/records/spreadsheet-export.csv``: 9 records, 6 posts, 3 rejected (an
extra field, an empty title, an unreadable date) and 3 records with a field dropped.
"""

from __future__ import annotations

import pytest
import streamlit as st
from conftest import CLEAN_POSTS, ROOT
from streamlit import config
from streamlit.testing.v1 import AppTest

from dashboard import state, upload
from dashboard.display import escape_markdown
from dashboard.load import LoadError, load_bytes, load_sources

APP = str(ROOT / "dashboard" / "app.py")
PAGES = ["overview", "timeline", "authors", "topics", "gaps", "posts"]
RECORDS = ROOT / "tests" / "fixtures" / "records"
EXPORT = RECORDS / "spreadsheet-export.csv"
EXPORT_TITLES = {
    "What will a Labour government mean for levelling up?",
    "Heseltine lecture 2024: a note for the diary",
    "The case for social broadband",
    "Do We Need a Plan for England?",
    "Developing local solutions to the problem of precarious work",
    "Post-Covid challenges for the city region's metro mayor",
}
EXPORT_AUTHORS = ["Ian Wray", "James Hickson", "Lucy Natarajan", "Tom Arnold"]
UNREADABLE = b"\x00\x01\x02\x03 not a file of posts"


# --- load_bytes reads what load_sources reads -------------------------------------------------

FORMATS = [
    "records/spreadsheet-export.csv",
    "records/semicolon-excel.csv",
    "records/posts-array.json",
    "records/posts-wrapped.json",
    "records/posts.jsonl",
    "records/posts.parquet",
    "feeds/wordpress-rss2.xml",
    "feeds/atom-xmlbase.atom",
    "feeds/rss1-rdf.rdf",
    "feeds/wp-posts-embed.json",
    "html/listing-page.html",
    "data/heseltine-pages/002.txt",
]


@pytest.mark.parametrize("fixture", FORMATS)
def test_load_bytes_reads_a_file_as_load_sources_does(fixture):
    path = ROOT / "tests" / "fixtures" / fixture
    from_bytes = load_bytes(path.name, path.read_bytes())
    from_path = load_sources([path])
    assert len(from_bytes.posts) > 0
    # the file's name where the path would be (a records file may name its own sources)
    named = from_path.posts["source"].replace(str(path), path.name)
    assert from_bytes.posts["source"].tolist() == named.tolist()
    columns = [c for c in from_path.posts.columns if c != "source"]
    assert from_bytes.posts[columns].equals(from_path.posts[columns])
    (got,), (want,) = from_bytes.report.sources, from_path.report.sources
    assert (got.format, got.read, got.loaded, got.merged, got.rejected) == (
        want.format, want.read, want.loaded, want.merged, want.rejected)  # fmt: skip
    assert [(p.position, p.reason, p.field) for p in from_bytes.report.problems] == [
        (p.position, p.reason, p.field) for p in from_path.report.problems
    ]


@pytest.mark.parametrize(
    ("data", "message", "records"),
    [
        (b"", "empty file", 0),
        (UNREADABLE, "binary content, not text", 0),
        (b"title,published\n,2024-01-02\nA post,next week\n", "every record was rejected (2)", 2),
    ],
)
def test_load_bytes_without_a_post_raises_with_the_report(data, message, records):
    with pytest.raises(LoadError) as raised:
        load_bytes("posts.csv", data)
    assert str(raised.value) == message
    report = raised.value.report
    assert [s.source for s in report.sources] == ["posts.csv"]
    assert (report.read, report.rejected) == (records, records)


# --- dashboard.upload -------------------------------------------------------------------------


def test_an_upload_gives_prepared_posts_and_the_report():
    result = upload.read_upload("export.csv", EXPORT.read_bytes(), limit_mb=50)
    assert set(result.posts["title"]) == EXPORT_TITLES
    assert list(result.posts.index) == list(range(6))  # prepared: a 0..n-1 index
    assert (result.report.read, result.report.loaded, result.report.rejected) == (9, 6, 3)
    reasons = {p.position: p.reason for p in result.report.rejections}
    assert reasons == {
        "row 5": "7 fields where the header has 6",
        "row 9": "title is empty",
        "row 10": "unreadable publication date 'next Tuesday'",
    }


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [
        (50 * upload.MEGABYTE, 50, None),
        (50 * upload.MEGABYTE + 1, 50, "big.csv is 50.1 MB, over the 50 MB limit for uploads."),
        (upload.MEGABYTE + 1, 1, "big.csv is 1.1 MB, over the 1 MB limit for uploads."),
        (3 * upload.MEGABYTE, 2, "big.csv is 3.0 MB, over the 2 MB limit for uploads."),
    ],
)
def test_check_size(size, limit, message):
    if message is None:
        upload.check_size("big.csv", size, limit)
    else:
        with pytest.raises(upload.UploadError) as raised:
            upload.check_size("big.csv", size, limit)
        assert str(raised.value) == message


def test_an_oversized_upload_is_refused_before_it_is_read():
    with pytest.raises(upload.UploadError, match="over the 1 MB limit"):
        upload.read_upload("big.csv", b"x" * (upload.MEGABYTE + 1), limit_mb=1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Could not read bad.csv: empty file."),
        (UNREADABLE, "Could not read bad.csv: binary content, not text."),
        (
            b"title,published\n,2024-01-02\n",
            "Could not read bad.csv: every record was rejected (1); the first, row 2: "
            "title is empty.",
        ),
        (b"PAR1 not really parquet", "Could not read bad.csv: unreadable Parquet file"),
    ],
)
def test_an_unreadable_upload_says_why(data, message):
    with pytest.raises(upload.UploadError) as raised:
        upload.read_upload("bad.csv", data, limit_mb=50)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("posts.csv", "posts.csv"),
        ("exports/2024/posts.csv", "posts.csv"),
        ("C:\\Users\\someone\\posts.csv", "posts.csv"),
        ("", "uploaded file"),
    ],
)
def test_file_name(name, expected):
    assert upload.file_name(name) == expected


def test_content_version_tells_files_apart_by_content_alone():
    assert upload.content_version(b"a") == upload.content_version(b"a")
    assert upload.content_version(b"a") != upload.content_version(b"b")


def test_upload_types_cover_every_extension_the_loader_knows():
    assert {"csv", "json", "jsonl", "parquet", "xml", "rss", "atom", "html", "txt"} <= set(
        upload.UPLOAD_TYPES
    )


def test_upload_summary():
    result = upload.read_upload("export.csv", EXPORT.read_bytes(), limit_mb=50)
    assert upload.upload_summary("export.csv", 6, result.report) == (
        "Read export.csv: 6 posts (9 records read, 3 rejected, 3 with a field dropped)."
    )


# --- the uploader in the dashboard ------------------------------------------------------------


def run_staff(monkeypatch, source) -> AppTest:
    """A staff session on ``source``, drawn in full (the first paint and its follow-up)."""
    monkeypatch.delenv(state.PUBLIC_ENV, raising=False)
    if source is None:
        monkeypatch.delenv(state.DATA_ENV, raising=False)
    else:
        monkeypatch.setenv(state.DATA_ENV, str(source))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def send(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def posts_shown(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Posts")


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_an_upload_becomes_the_data_of_every_page(monkeypatch, clean_archive):
    at = run_staff(monkeypatch, clean_archive)
    assert posts_shown(at) == str(len(CLEAN_POSTS))
    send(at, "export.csv", EXPORT.read_bytes())
    assert posts_shown(at) == "6"
    assert at.sidebar.caption[0].value == "6 of 6 posts match the filters."
    assert at.sidebar.success[0].value.startswith("Read export\\.csv\\: 6 posts")
    assert at.sidebar.caption[1].value.startswith("Showing your upload, export\\.csv")
    assert at.multiselect(key="author").options == EXPORT_AUTHORS
    assert any(m.value.startswith("Source: export\\.csv \\(uploaded") for m in at.markdown)
    for page in PAGES[1:]:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.sidebar.caption[0].value == "6 of 6 posts match the filters.", page
    assert set(at.dataframe[0].value["title"]) == EXPORT_TITLES  # the Posts page
    at.multiselect(key="author").set_value(["James Hickson"]).run()
    assert len(at.dataframe[0].value) == 2
    at.switch_page("views/authors.py").run()
    assert next(m.value for m in at.metric if m.label == "Authors") == "1"


def test_the_report_of_an_upload_lists_its_rejected_rows(monkeypatch, clean_archive):
    at = send(run_staff(monkeypatch, clean_archive), "export.csv", EXPORT.read_bytes())
    shown = {m.label: m.value for m in at.metric}
    assert (shown["Records read"], shown["Loaded"], shown["Rejected"]) == ("9", "6", "3")
    (problems,) = [e for e in at.expander if e.key == state.PROBLEMS_OPEN]
    table = problems.dataframe[0].value  # opened by the upload
    rejected = table[table["What"] == "rejected"]
    assert rejected[["Where", "Reason"]].values.tolist() == [
        ["row 5", "7 fields where the header has 6"],
        ["row 9", "title is empty"],
        ["row 10", "unreadable publication date 'next Tuesday'"],
    ]
    assert "dropped url" in set(table["What"])
    assert set(table["Source"]) == {"export.csv"}


def test_an_upload_is_seen_by_its_own_session_only(monkeypatch, clean_archive):
    first = send(run_staff(monkeypatch, clean_archive), "export.csv", EXPORT.read_bytes())
    assert posts_shown(first) == "6"
    second = run_staff(monkeypatch, clean_archive)
    assert posts_shown(second) == str(len(CLEAN_POSTS))
    assert "Tom Arnold" in second.multiselect(key="author").options
    assert "Ian Wray" not in second.multiselect(key="author").options
    assert not second.sidebar.success


def test_an_unreadable_upload_keeps_the_data_shown(monkeypatch, clean_archive):
    at = run_staff(monkeypatch, clean_archive)
    send(at, "notes.csv", UNREADABLE)
    (error,) = at.sidebar.error
    assert error.value == escape_markdown(
        "Could not read notes.csv: binary content, not text. The data shown has not changed."
    )
    assert posts_shown(at) == str(len(CLEAN_POSTS))
    send(at, "export.csv", EXPORT.read_bytes())
    send(at, "empty.json", b"")
    assert "Could not read empty\\.json\\: empty file" in at.sidebar.error[0].value
    assert posts_shown(at) == "6"  # the previous upload stays, and says so
    assert at.sidebar.caption[1].value.startswith("Showing your upload, export\\.csv")
    assert button(at, "Use the configured data")


@pytest.fixture
def one_megabyte_limit():
    """``server.maxUploadSize`` at 1 MB for one test, as a deployment could set it."""
    before = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 1)
    yield
    config.set_option("server.maxUploadSize", before)


def test_an_oversized_upload_keeps_the_data_shown(monkeypatch, clean_archive, one_megabyte_limit):
    at = run_staff(monkeypatch, clean_archive)
    assert st.get_option("server.maxUploadSize") == 1
    big = EXPORT.read_bytes() + b"\n" * upload.MEGABYTE  # a readable file, only too large
    send(at, "big.csv", big)
    (error,) = at.sidebar.error
    assert error.value == escape_markdown(
        "big.csv is 1.1 MB, over the 1 MB limit for uploads. The data shown has not changed."
    )
    assert posts_shown(at) == str(len(CLEAN_POSTS))


def test_back_to_the_bundled_data(monkeypatch):
    at = run_staff(monkeypatch, None)
    bundled = posts_shown(at)
    send(at, "export.csv", EXPORT.read_bytes())
    assert posts_shown(at) == "6"
    button(at, "Use the bundled data").click().run()
    assert posts_shown(at) == bundled
    assert at.file_uploader[0].value is None  # the uploader is empty again
    assert not at.sidebar.success
    assert not [b for b in at.button if b.label == "Use the bundled data"]


def test_taking_the_file_out_of_the_uploader_keeps_the_data(monkeypatch, clean_archive):
    """A browser takes the old file out before a new one replaces it: no switch in between."""
    at = send(run_staff(monkeypatch, clean_archive), "export.csv", EXPORT.read_bytes())
    at.file_uploader[0].clear().run()
    assert posts_shown(at) == "6"
    assert button(at, "Use the configured data")
    send(at, "notes.csv", UNREADABLE)
    assert "Could not read notes\\.csv" in at.sidebar.error[0].value
    assert posts_shown(at) == "6"


def test_filters_start_again_on_new_data(monkeypatch, clean_archive):
    at = run_staff(monkeypatch, clean_archive)
    at.multiselect(key="author").set_value(["Cleo Hachem"]).run()
    send(at, "export.csv", EXPORT.read_bytes())
    assert at.multiselect(key="author").value == []
    assert posts_shown(at) == "6"
    assert not at.warning


def test_an_uploaded_file_name_is_text(monkeypatch, clean_archive):
    name = "[x](javascript:alert(1)) <b>.csv"
    at = send(run_staff(monkeypatch, clean_archive), name, EXPORT.read_bytes())
    for element in list(at.markdown) + list(at.success) + list(at.caption):
        assert "](javascript" not in element.value
    assert escape_markdown(name) in at.sidebar.success[0].value


def test_a_staff_session_can_upload_when_the_configured_data_fails(monkeypatch, tmp_path):
    at = run_staff(monkeypatch, tmp_path / "nowhere.parquet")
    assert "Could not load the posts" in at.error[0].value
    send(at, "export.csv", EXPORT.read_bytes()).run()  # the first paint, then the rest
    assert posts_shown(at) == "6"


def test_a_posts_table_from_ingest_can_be_uploaded(monkeypatch, clean_archive):
    bundled = ROOT / "data" / "posts.parquet"
    at = send(run_staff(monkeypatch, clean_archive), "posts.parquet", bundled.read_bytes())
    assert posts_shown(at) == str(len(load_sources([bundled]).posts))
    assert not at.sidebar.error


def test_what_is_made_from_an_upload_stays_in_its_session(monkeypatch, clean_archive):
    at = send(run_staff(monkeypatch, clean_archive), "export.csv", EXPORT.read_bytes())
    for page in PAGES[1:]:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
    views, results = state.data._process_shelves()
    sources = {key[0] for shelf in (views, results) for key, _ in shelf.items()}
    assert "export.csv" not in sources
    assert str(clean_archive) in sources  # the configured data's are shared
