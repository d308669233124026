"""Each kind of source states its as-of date and the period it covers; merged tables keep both."""

from datetime import date

import pytest
from conftest import ARTICLE, rss

from dashboard.__main__ import main
from dashboard.coverage import COVERAGE_ATTR, Coverage
from dashboard.load import load_sources
from dashboard.load.spans import first_listing_page

D = date.fromisoformat


def coverage_of(*paths, **options) -> Coverage:
    return load_sources(list(map(str, paths)), **options).posts.attrs[COVERAGE_ATTR]


def test_a_feed_and_an_older_article_page(tmp_path):
    """The case to meet: a feed of ten posts built 2 July 2024 plus one article of 2021."""
    feed = tmp_path / "feed.xml"
    feed.write_text(rss("Tue, 02 Jul 2024 08:00:00 +0000"), encoding="utf-8")
    article = tmp_path / "older.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = load_sources([str(feed), str(article)])
    coverage = result.posts.attrs[COVERAGE_ATTR]
    assert coverage.as_of == D("2024-07-02")
    assert coverage.windows == (
        (D("2021-03-01"), D("2021-03-01")),
        (D("2024-03-01"), D("2024-07-02")),
    )
    assert coverage.uncaptured(D("2021-03-02"), D("2024-02-29")) == (
        (D("2021-03-02"), D("2024-02-29")),
    )
    by_source = {s.source: s.coverage for s in result.report.sources}
    assert by_source[str(feed)] == Coverage(D("2024-07-02"), ((D("2024-03-01"), D("2024-07-02")),))
    assert by_source[str(article)] == Coverage(
        D("2021-03-01"), ((D("2021-03-01"), D("2021-03-01")),)
    )


def test_a_feed_without_a_build_date_is_taken_at_its_newest_item(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(rss(None), encoding="utf-8")
    assert coverage_of(feed) == Coverage(D("2024-06-26"), ((D("2024-03-01"), D("2024-06-26")),))


def test_an_atom_feed_states_its_updated_date(tmp_path):
    feed = tmp_path / "feed.atom"
    feed.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>'
        "<updated>2024-07-05T10:00:00+01:00</updated>"
        "<entry><title>One</title><link href='https://blog.example.org/one/'/>"
        "<id>https://blog.example.org/one/</id><updated>2024-05-01T09:00:00Z</updated></entry>"
        "</feed>",
        encoding="utf-8",
    )
    assert coverage_of(feed) == Coverage(D("2024-07-05"), ((D("2024-05-01"), D("2024-07-05")),))


LISTING = """URL: {url}
{captured}
Joined up? How central government can support place-based working

Posted on: 16 July 2024 | Category: Blog

Joanna Hayes looks at how central government can support local government.

Community organising improved my life

Posted on: 9 July 2024 | Category: Blog

Belinda Tyrrell reflects on what community organising can do for national renewal.
"""


@pytest.mark.parametrize(
    ("url", "captured", "expected"),
    [
        # the first page of the listing: from its oldest entry to the day it was taken
        ("https://blog.example.org/blog/", "", ("2024-07-16", "2024-07-09", "2024-07-16")),
        (
            "https://blog.example.org/blog/",
            "Captured: 2024-07-20\n",
            ("2024-07-20", "2024-07-09", "2024-07-20"),
        ),
        # a later page: its entries only, whatever day it was taken
        (
            "https://blog.example.org/blog/page/3/",
            "Captured: 2024-07-20\n",
            ("2024-07-20", "2024-07-09", "2024-07-16"),
        ),
        (
            "https://blog.example.org/blog/?paged=2",
            "",
            ("2024-07-16", "2024-07-09", "2024-07-16"),
        ),
    ],
)
def test_listing_pages(tmp_path, url, captured, expected):
    page = tmp_path / "listing.txt"
    page.write_text(LISTING.format(url=url, captured=captured), encoding="utf-8")
    as_of, first, last = map(D, expected)
    assert coverage_of(page) == Coverage(as_of, ((first, last),))


@pytest.mark.parametrize(
    ("address", "first"),
    [
        ("https://blog.example.org/blog/", True),
        ("https://blog.example.org/blog/page/1/", True),
        ("https://blog.example.org/blog/page/2/", False),
        ("https://blog.example.org/blog/?page=4", False),
        ("https://blog.example.org/blog/?paged=1", True),
        ("https://blog.example.org/page-turners/2/", True),
        ("https://[::1", False),  # not an address (an unclosed IPv6 bracket): unknown
        (None, False),
    ],
)
def test_first_listing_page(address, first):
    assert first_listing_page(address) is first


CSV = "title,published\nFirst,2023-01-10\nSecond,2023-06-30\nThird,2023-02-01\n"


def test_a_records_file_is_complete_over_its_span_unless_partial(tmp_path):
    records = tmp_path / "export.csv"
    records.write_text(CSV, encoding="utf-8")
    assert coverage_of(records) == Coverage(D("2023-06-30"), ((D("2023-01-10"), D("2023-06-30")),))
    partial = coverage_of(records, partial=True)
    assert partial.windows == tuple(
        (D(d), D(d)) for d in ("2023-01-10", "2023-02-01", "2023-06-30")
    )


def test_as_of_overrides_the_date_sources_state(tmp_path):
    records = tmp_path / "export.csv"
    records.write_text(CSV, encoding="utf-8")
    # an export is complete up to the day it was taken
    assert coverage_of(records, as_of=D("2023-07-31")) == Coverage(
        D("2023-07-31"), ((D("2023-01-10"), D("2023-07-31")),)
    )


def test_coverage_survives_writing_reading_and_merging(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(rss("Tue, 02 Jul 2024 08:00:00 +0000"), encoding="utf-8")
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(feed), "--out", str(out), "--quiet"]) == 0
    stored = coverage_of(out)  # read back as it is
    assert stored == Coverage(D("2024-07-02"), ((D("2024-03-01"), D("2024-07-02")),))
    article = tmp_path / "older.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    merged = coverage_of(out, article)  # the table as one source among others
    assert merged.as_of == D("2024-07-02")
    assert merged.windows == (
        (D("2021-03-01"), D("2021-03-01")),
        (D("2024-03-01"), D("2024-07-02")),
    )


def test_ingest_prints_the_as_of_date_and_windows(tmp_path, capsys):
    records = tmp_path / "export.csv"
    records.write_text(CSV, encoding="utf-8")
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(records), "--out", str(out), "--as-of", "2023-07-31"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2] == "data as of 2023-07-31; captured: 2023-01-10 to 2023-07-31"


def test_ingest_refuses_a_bad_as_of_date(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["ingest", "x.csv", "--out", str(tmp_path / "p.parquet"), "--as-of", "2 July"])
    assert stop.value.code == 2
    assert "not a date in the form YYYY-MM-DD: '2 July'" in capsys.readouterr().err
