"""Whatever a file holds, the loader answers with posts or its own error, and its counts add up."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.load import LoadError, load_sources

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
EXTENSIONS = ["", ".txt", ".csv", ".json", ".jsonl", ".xml", ".html", ".parquet"]
FIELDS = ["title", "published", "url", "summary", "authors", "tags", "topics", "source"]

# Cells that look like what sources hold, mixed with anything at all.
DATES = st.sampled_from(
    [
        "2024-07-18",
        "18 July 2024",
        "Thu, 18 Jul 2024 00:15:00 +0100",
        "2024-07-18T23:59:00-05:00",
        "07/18/2024",
        "31/02/2024",
        "0000-00-00",
        "9999-12-31",
        "yesterday",
        "",
        "1e10",
        "2024",
    ]
)
URLS = st.sampled_from(
    [
        "https://civicfutures.example.org/blog/a/",
        "/blog/a/",
        "javascript:alert(1)",
        "mailto:x@y",
        "http://",
        "https://[::1",
        "//example.org/a",
        "ftp://example.org/",
        "",
        "http://a b/",
    ]
)
CELLS = st.one_of(
    st.text(max_size=30),
    DATES,
    URLS,
    st.sampled_from(['"', ";", ",", "\n", "[]", '["a", 1]', "<b>x</b>"]),
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | DATES
    | URLS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=12,
)
RECORDS = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), JSON_VALUES, max_size=7)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("random")


def check(path: Path, data: bytes) -> None:
    """Load ``data`` from ``path``: only LoadError may escape; every count must add up."""
    path.write_bytes(data)
    try:
        result = load_sources([path])
    except LoadError as error:
        report = error.report
        if report is not None:
            assert all(s.read == s.rejected for s in report.sources), report.format()
        return
    report = result.report
    for entry in report.sources:
        assert entry.read == entry.loaded + entry.merged + entry.rejected, report.format()
    assert len(result.posts) == report.loaded
    assert report.rejected == len(report.rejections)
    assert result.posts["title"].map(lambda t: isinstance(t, str) and t.strip() != "").all()
    assert (
        result.posts["url"].map(lambda u: u is None or u.startswith(("http://", "https://"))).all()
    )


@SETTINGS
@given(text=st.text(max_size=300), extension=st.sampled_from(EXTENSIONS))
def test_random_text(folder, text, extension):
    check(folder / f"text{extension}", text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(data=st.binary(max_size=300), extension=st.sampled_from(EXTENSIONS))
def test_random_bytes(folder, data, extension):
    check(folder / f"bytes{extension}", data)


@SETTINGS
@given(
    header=st.lists(st.sampled_from(FIELDS) | st.text(max_size=8), min_size=1, max_size=6).map(
        lambda names: ["title", "published", *names]
    ),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, None]),
)
def test_random_csv(folder, header, rows, delimiter, encoding, quoting):
    if quoting is None:  # cells joined as they are: stray quotes, delimiters and newlines
        text = "\n".join(delimiter.join(row) for row in [header, *rows])
    else:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, quoting=quoting)
        for row in [header, *rows]:
            writer.writerow(row)
        text = out.getvalue()
    data = text.encode(encoding, "replace")
    check(folder / "records.csv", data)


@SETTINGS
@given(
    records=st.lists(RECORDS | JSON_VALUES, max_size=6),
    shape=st.sampled_from(["array", "wrapped", "lines", "lines with junk"]),
    extension=st.sampled_from([".json", ".jsonl", ".txt"]),
)
def test_random_json(folder, records, shape, extension):
    if shape == "array":
        text = json.dumps(records)
    elif shape == "wrapped":
        text = json.dumps({"posts": records, "count": len(records)})
    else:
        lines = [json.dumps(r) for r in records]
        if shape == "lines with junk":
            lines.insert(len(lines) // 2, '{"title": "cut off", "published": "2024-')
        text = "\n".join(lines)
    check(folder / f"records{extension}", text.encode("utf-8"))


@SETTINGS
@given(
    entries=st.lists(
        st.fixed_dictionaries(
            {
                "title": CELLS,
                "link": URLS,
                "date": DATES,
                "author": st.text(max_size=20),
                "category": st.text(max_size=20),
            }
        ),
        max_size=5,
    ),
    base=st.sampled_from(["", "https://civicfutures.example.org/blog/"]),
)
def test_random_feed(folder, entries, base):
    def escape(value: str) -> str:
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    items = "".join(
        f"<item><title>{escape(e['title'])}</title><link>{escape(e['link'])}</link>"
        f"<pubDate>{escape(e['date'])}</pubDate><dc:creator>{escape(e['author'])}</dc:creator>"
        f"<category>{escape(e['category'])}</category></item>"
        for e in entries
    )
    text = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Random</title>'
        f"<link>{base}</link>{items}</channel></rss>"
    )
    check(folder / "feed.xml", text.encode("utf-8", "surrogatepass"))


HTML_TOKENS = st.sampled_from(
    [
        "<html>",
        "<head>",
        "</head>",
        "<body>",
        "</body>",
        "<main>",
        "</main>",
        "<article>",
        "</article>",
        "<header>",
        "</header>",
        "<footer>",
        "</footer>",
        "<nav>",
        "</nav>",
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<h2>",
        "</h2>",
        "<br>",
        "<br/>",
        "<script>",
        "</script>",
        "<svg/>",
        "<time>",
        "</time>",
        "</a>",
        "<a>",
        '<a href="/blog/a/">',
        '<a href="#">',
        '<a href="javascript:void(0)">',
        '<a href="https://[::1">',
        '<base href="/x/">',
        '<link rel="canonical" href="https://civicfutures.example.org/blog/a/">',
        '<link rel="canonical" href="/blog/a/">',
        "Posted on: 18 July 2024",
        "Posted on: 8 March 2022 by Tom Arnold and Cleo Hachem in Blog",
        " | Category: Blog",
        "Next",
        "1",
        "What the King’s Speech means for city regions",
        "The new government’s first King’s Speech promises an English Devolution Bill.",
        "&amp;",
        "&#8217;",
        "<!-- comment -->",
        "<![CDATA[x]]>",
        "<!DOCTYPE html>",
        "\n",
        " ",
    ]
)


@SETTINGS
@given(
    tokens=st.lists(HTML_TOKENS | st.text(max_size=10), max_size=60),
    extension=st.sampled_from([".html", ".txt", ""]),
)
def test_random_html(folder, tokens, extension):
    check(folder / f"page{extension}", ("<!DOCTYPE html>" + "".join(tokens)).encode("utf-8"))


PAGE_LINES = st.sampled_from(
    [
        "URL: https://civicfutures.example.org/blog/?page=2",
        "URL: /blog/",
        "URL: https://[::1",
        "Posted on: 18 July 2024",
        "Posted on: 31 February 2024",
        "Posted on: 18 July 2024 | Category: Blog",
        "Posted on: 8 March 2022 by Tom Arnold and Cleo Hachem in Blog",
        "What the King’s Speech means for city regions" * 2,  # printed twice, run together
        "What the King’s Speech means for city regions",
        "Blog",
        "Next",
        "",
        "Photo: the Mersey at dusk is licensed under CC BY 2.0",
        "In this blog, Cleo Hachem and Tom Arnold highlight what the speech means for the region.",
    ]
)


@SETTINGS
@given(lines=st.lists(PAGE_LINES | st.text(max_size=20), max_size=25))
def test_random_page_text(folder, lines):
    check(folder / "page.txt", "\n".join(lines).encode("utf-8"))


def test_page_text_with_two_dates_in_a_row(folder):
    """A summary line followed by two date lines: found by the property above."""
    lines = [
        "In this blog, Cleo Hachem and Tom Arnold highlight what the speech means for the region.",
        "Posted on: 18 July 2024",
        "Posted on: 18 July 2024",
    ]
    check(folder / "page.txt", "\n".join(lines).encode("utf-8"))
