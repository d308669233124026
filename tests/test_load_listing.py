"""Listing pages of common blog themes, read by their markup (``dashboard/load/listing.py``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dashboard.__main__ import main
from dashboard.coverage import Coverage
from dashboard.load import load_sources
from dashboard.load.html import read_html_page

HTML = Path(__file__).parent / "fixtures" / "html"
SITE = "https://fenwick-housing.example.org"


def test_ingest_reads_a_saved_wordpress_theme_listing_page(tmp_path, capsys):
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(HTML / "listing-wordpress-theme.html"), "--out", str(out)]) == 0
    posts = pq.read_table(out).to_pandas()
    assert [
        (p.title, str(p.published)[:10], list(p.authors), list(p.tags), p.url)
        for p in posts.itertuples()
    ] == [
        (
            "Rents outpace wages for a third year",
            "2024-03-14",
            ["Ruth Okafor", "Dan Whitlow"],
            ["Rents", "Private rented sector"],
            f"{SITE}/2024/03/rents-outpace-wages/",
        ),
        (
            "Brownfield first, but at what cost?",
            "2024-02-27",
            ["Dan Whitlow"],
            ["Planning"],
            f"{SITE}/2024/02/brownfield-first/",
        ),
        (
            "The rising bill for temporary accommodation",
            "2024-01-09",
            ["Mina Sahota"],
            ["Homelessness"],
            f"{SITE}/2024/01/temporary-accommodation/",  # relative link, canonical base
        ),
    ]
    assert posts["summary"].iloc[0] == (
        "Private rents in the region rose faster than earnings again in 2023."
    )
    # page 2 of the listing (its canonical address says so): it covers its entries only
    coverage = Coverage.from_metadata(pq.read_schema(out).metadata)
    assert coverage.windows == ((date(2024, 1, 9), date(2024, 3, 14)),)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split()[-5:] == ["html", "3", "3", "0", "0"]  # read, loaded, merged, rejected
    assert "data as of 2024-03-14; captured: 2024-01-09 to 2024-03-14" in lines


def test_a_listing_of_another_site_is_now_read():
    result = load_sources([HTML / "listing-other-site.html"])
    assert list(result.posts["title"]) == ["Saving the piers", "Island ferries"]
    assert [s.format for s in result.report.sources] == ["html"]


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>Blog</title>{head}</head><body>{body}</body></html>"


GHOST_CARD = (
    '<article class="post-card post tag-rail"><a class="post-card-image-link" href="/r/">'
    '<img src="/r.jpg" alt=""></a><div class="post-card-content">'
    '<a class="post-card-content-link" href="/{slug}/"><header class="post-card-header">'
    '<h2 class="post-card-title">{title}</h2></header>'
    '<div class="post-card-excerpt">{summary}</div></a>'
    '<footer class="post-card-meta"><span class="post-card-byline-content">'
    '<span><a href="/author/{a}/">{author}</a></span></span>'
    '<time class="post-card-meta-date" datetime="{day}">{day}</time></footer></div></article>'
)


@pytest.mark.parametrize(
    ("html", "address", "expected"),
    [
        (  # Ghost's Casper: the heading inside the link, the author a link to /author/
            page(
                GHOST_CARD.format(
                    slug="rail-fares",
                    title="Rail fares",
                    summary="Up again.",
                    a="ola",
                    author="Ola Brandt",
                    day="2023-11-02",
                )
                + GHOST_CARD.format(
                    slug="bus-lanes",
                    title="Bus lanes",
                    summary="Faster buses.",
                    a="kit",
                    author="Kit Moran",
                    day="2023-10-19",
                )
            ),
            "https://transit.example.net/",
            [
                (
                    "Rail fares",
                    "2023-11-02",
                    ["Ola Brandt"],
                    "https://transit.example.net/rail-fares/",
                ),
                (
                    "Bus lanes",
                    "2023-10-19",
                    ["Kit Moran"],
                    "https://transit.example.net/bus-lanes/",
                ),
            ],
        ),
        (  # Jekyll's minima: a post list, the date as text
            page(
                '<ul class="post-list"><li><span class="post-meta">Jun 3, 2022</span>'
                '<h3><a class="post-link" href="/2022/06/03/tides.html">Tides</a></h3></li>'
                '<li><span class="post-meta">May 20, 2022</span>'
                '<h3><a class="post-link" href="/2022/05/20/dunes.html">Dunes</a></h3></li></ul>'
            ),
            "https://shore.example.net/",
            [
                ("Tides", "2022-06-03", [], "https://shore.example.net/2022/06/03/tides.html"),
                ("Dunes", "2022-05-20", [], "https://shore.example.net/2022/05/20/dunes.html"),
            ],
        ),
        (  # rel="author" links in byline order; one entry alone on a later page
            page(
                '<div class="post"><h2><a href="/p/9">Ninth</a></h2><p class="meta">By '
                '<a rel="author" href="/u/b">Bea Lund</a> and <a rel="author" href="/u/a">'
                'Arno Dahl</a></p><time datetime="2021-02-01">1 Feb</time></div>'
            ),
            "https://blog.example.net/page/4/",
            [("Ninth", "2021-02-01", ["Bea Lund", "Arno Dahl"], "https://blog.example.net/p/9")],
        ),
    ],
)
def test_theme_listing_entries(html, address, expected):
    result = read_html_page(html, "page.html", address)
    assert [
        (r["title"], r["published"], r["authors"], r["url"]) for r in result.records
    ] == expected
    assert {r["kind"] for r in result.records} == {"listing"}
    assert result.problems == []


def test_an_article_with_related_posts_is_an_article():
    related = "".join(
        f'<article class="post"><h3><a href="/r{i}/">Related {i}</a></h3>'
        f'<time datetime="2020-0{i}-01"></time></article>'
        for i in (1, 2, 3)
    )
    html = page(
        '<article class="post hentry"><h1 class="entry-title">The main story</h1>'
        '<time class="published" datetime="2024-04-04">4 April</time><p>Text.</p>'
        f"<aside>{related}</aside></article>"
    )
    (record,) = read_html_page(html, "page.html", "https://blog.example.net/main/").records
    assert (record["title"], record["published"], record["kind"]) == (
        "The main story",
        "2024-04-04",
        "article",
    )


def test_one_entry_on_a_first_page_is_read_as_an_article_page():
    html = page(
        '<article class="post"><h2><a href="/only/">Only</a></h2>'
        '<time datetime="2024-01-01"></time></article>'
    )
    result = read_html_page(html, "page.html", "https://blog.example.net/")
    assert [r["kind"] for r in result.records] == ["article"]


def test_an_entry_without_a_date_is_reported():
    html = page(
        '<article class="post"><h2><a href="/a/">Dated</a></h2><time datetime="2024-01-02">'
        '</time></article>\n<article class="post"><h2><a href="/b/">Undated</a></h2></article>'
    )
    result = read_html_page(html, "page.html", "https://blog.example.net/")
    assert [r["title"] for r in result.records] == ["Dated"]
    (problem,) = result.problems
    assert problem.position == "line 2"
    assert "'Undated' states no date" in problem.reason
