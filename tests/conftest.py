"""Shared fixtures: small, hand-countable archives written as Parquet, as `ingest` writes them.

``CLEAN_POSTS`` is a ten-post archive whose numbers the dashboard tests check by hand (see the
table in ``CLEAN_FACTS``). ``HOSTILE_POSTS`` holds records whose text would run as HTML or
Markdown if the dashboard ever interpreted it. Titles and summaries avoid the taxonomy's keywords,
so loading leaves their authors and topics as written (``test_app`` checks that).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from browser_support import CHROMIUM, CHROMIUM_LAUNCH, MISSING_CHROMIUM  # noqa: E402

from dashboard.analysis import explode_list  # noqa: E402
from dashboard.load.prepare import prepare_posts  # noqa: E402
from dashboard.schema import to_arrow  # noqa: E402

BLOG = "https://blog.example.org/posts/"
GOVERNANCE = "Urban governance"
HEALTH = "Health and wellbeing"
DEVOLUTION = "English devolution and combined authorities"

# title, published, slug (None: no URL), summary, authors, topics
# fmt: off
CLEAN_POSTS = [
    ("Notes from the spring roundtable", "2023-01-10", "spring-roundtable",
     "What we heard at the roundtable in Liverpool.", ["Tom Arnold"], [GOVERNANCE]),
    ("Five charts on the city region", "2023-01-24", "five-charts",
     "A short tour of the numbers.", ["Tom Arnold", "Cleo Hachem"], [GOVERNANCE, HEALTH]),
    ("Reading the latest statistics", "2023-02-14", "latest-statistics",
     "Figures released this month, explained.", ["Cleo Hachem"], [HEALTH]),
    ("What the new deal means locally", "2023-04-03", "new-deal",
     "The agreement, clause by clause.", ["James Hickson"], [DEVOLUTION]),
    ("A year of the observatory", "2023-04-18", "observatory-year",
     "Twelve months of the observatory in review.", [], [GOVERNANCE]),
    ("Lessons from the pilot", "2023-05-02", "pilot-lessons",
     "What the pilot taught us.", ["Joanna Hayes", "Tom Arnold"], [GOVERNANCE]),
    ("An update from the team", "2023-11-20", "team-update",
     "News from the institute.", ["James Hickson"], []),
    ("Looking back, looking ahead", "2024-01-08", None,
     "The year behind us and the one in front.", ["Tom Arnold"], [DEVOLUTION]),
    ("Questions for the region's leaders", "2024-03-12", "questions-for-leaders",
     "Six questions worth asking.", ["Cleo Hachem"], [DEVOLUTION]),
    ("Summer reading", "2024-06-25", "summer-reading",
     "Books the team enjoyed this year.", ["Joanna Hayes"], [HEALTH]),
]
# fmt: on

# What the clean archive holds, counted by hand from the table above.
CLEAN_FACTS = {
    "posts": 10,
    "authors": 4,
    "topics": 3,  # "Unclassified" is not a topic
    "posts_per_month": "0.6",  # 10 posts over Jan 2023 .. Jun 2024, 18 months
    "latest": "25 Jun 2024",
    "longest_silence": "202 days",  # 2 May 2023 .. 20 Nov 2023
    "posts_by": {"Tom Arnold": 4, "Cleo Hachem": 3, "James Hickson": 2, "Joanna Hayes": 2},
    "posts_on": {GOVERNANCE: 4, HEALTH: 3, DEVOLUTION: 3, "Unclassified": 1},
    "unattributed": 1,
}

# Hostile text. Loading unescapes entities, so "&lt;img ...&gt;" arrives as "<img ...>";
# the javascript: URL is dropped by the loader (and would not be linked by the dashboard).
IMG_TITLE = "<img src=x onerror=alert(1)>"
LINK_TITLE = "[x](javascript:alert(1))"
HTML_TOPIC = "<i>Tilted</i>"  # arrives unescaped, like IMG_TITLE
LINK_TOPIC = "[t](javascript:alert(5))"
# fmt: off
HOSTILE_POSTS = [
    ("&lt;img src=x onerror=alert(1)&gt;", "2024-05-06", "hostile-image",
     "&lt;script&gt;alert(2)&lt;/script&gt; **not bold**", ["Mallory Example"], [GOVERNANCE]),
    (LINK_TITLE, "2024-05-13", "javascript:alert(1)",
     "[click](javascript:alert(3)) :red[not red] $x^2$", ["Mallory Example"],
     ["&lt;i&gt;Tilted&lt;/i&gt;", "[t](javascript:alert(5))"]),
]
# fmt: on


def posts_frame(rows: list[tuple]) -> pd.DataFrame:
    """A posts table (DESIGN §1 columns) from fixture rows."""
    records = []
    for title, published, slug, summary, authors, topics in rows:
        url = None if slug is None else (slug if ":" in slug else BLOG + slug)
        records.append(
            {
                "post_id": hashlib.sha1(f"{url}|{title}".encode()).hexdigest()[:16],
                "title": title,
                "published": pd.Timestamp(published),
                "url": url,
                "summary": summary,
                "authors": list(authors),
                "topics": list(topics),
                "tags": [],
                "source": "fixture",
            }
        )
    return pd.DataFrame.from_records(records)


TITLES = [row[0] for row in CLEAN_POSTS]  # TITLES[0] is post 1 of the table, and so on


def titles(*numbers: int) -> set[str]:
    """The titles of posts given by their number (from 1) in CLEAN_POSTS."""
    return {TITLES[n - 1] for n in numbers}


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The clean archive as the loader returns it: Python lists, input order."""
    return posts_frame(CLEAN_POSTS)


@pytest.fixture(scope="module")
def posts(raw) -> pd.DataFrame:
    """The clean archive as the dashboard holds it (``prepare_posts``)."""
    return prepare_posts(raw)


@pytest.fixture(scope="module")
def authors(posts) -> pd.DataFrame:
    """The clean archive's long table of post and author."""
    return explode_list(posts, "authors", "author")


@pytest.fixture(scope="module")
def topics(posts) -> pd.DataFrame:
    """The clean archive's long table of post and topic."""
    return explode_list(posts, "topics", "topic")


def posts_of(result) -> list[dict]:
    """A load result's posts as plain values (newest first, the loader's own order)."""
    return [
        {
            "title": row.title,
            "date": row.published.date().isoformat(),
            "url": row.url,
            "authors": list(row.authors),
            "tags": list(row.tags),
        }
        for row in result.posts.itertuples()
    ]


def write_parquet(path: Path, rows: list[tuple]) -> Path:
    """Write fixture rows as the posts table Parquet that `ingest` writes; return the path."""
    pq.write_table(to_arrow(posts_frame(rows)), path)
    return path


@pytest.fixture(autouse=True)
def error_details_restored():
    """Public mode sets ``client.showErrorDetails`` to "none" for the whole process: every test
    starts from the config file's "full" (so failures show their exception) and puts back what
    it found."""
    from streamlit import config

    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", before)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium for one module's browser tests. Module-scoped: only one sync
    Playwright can run in a thread, and the load test starts its own."""
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**CHROMIUM_LAUNCH)
        yield chromium
        chromium.close()


@pytest.fixture
def clean_archive(tmp_path: Path) -> Path:
    return write_parquet(tmp_path / "posts.parquet", CLEAN_POSTS)


@pytest.fixture
def hostile_archive(tmp_path: Path) -> Path:
    return write_parquet(tmp_path / "hostile.parquet", CLEAN_POSTS + HOSTILE_POSTS)


# A blog's feed (ten posts, 1 March to 26 June 2024) and one older article page: an archive that
# captured two periods of the blog, not its whole life.
FEED_DAYS = [  # ten posts, 1 March to 26 June 2024
    "2024-03-01", "2024-03-15", "2024-03-29", "2024-04-12", "2024-04-26",
    "2024-05-10", "2024-05-24", "2024-06-07", "2024-06-21", "2024-06-26",
]  # fmt: skip


def rss(build: str | None, days=FEED_DAYS) -> str:
    items = "".join(
        f"<item><title>Post of {day}</title><link>https://blog.example.org/{day}/</link>"
        f"<pubDate>{pd.Timestamp(day):%a, %d %b %Y} 09:00:00 +0000</pubDate></item>"
        for day in days
    )
    built = f"<lastBuildDate>{build}</lastBuildDate>" if build else ""
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>'
        f"<link>https://blog.example.org/</link>{built}{items}</channel></rss>"
    )


ARTICLE = """URL: https://blog.example.org/2021/older-post/

An older post on its own page

Posted on: 1 March 2021 by Jane Doe in Blog

What this older post is about, in a sentence of its own.
"""


@pytest.fixture
def feed_and_article(tmp_path: Path) -> Path:
    """The feed, built 2 July 2024, and the article of 1 March 2021, ingested as one table."""
    from dashboard.__main__ import main

    feed = tmp_path / "feed.xml"
    feed.write_text(rss("Tue, 02 Jul 2024 08:00:00 +0000"), encoding="utf-8")
    article = tmp_path / "older.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "partial.parquet"
    assert main(["ingest", str(feed), str(article), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture
def feed_server():
    """A local web server with one RSS feed of 3 posts at /feed/ (and no robots.txt)."""
    import http.server
    import threading

    body = (Path(__file__).parent / "fixtures" / "feeds" / "wordpress-rss2.xml").read_bytes()

    class Feed(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            found = self.path.startswith("/feed/") and "paged=" not in self.path
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body if found else b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed/"
    server.shutdown()
    server.server_close()
