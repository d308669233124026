"""RSS 2.0, RSS 1.0, Atom and WordPress REST API JSON: posts, their dates, and every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import posts_of

from dashboard.load import LoadError, Problem, load_sources

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def problems_of(result) -> set[tuple[str, str | None]]:
    """(position, dropped field or None for a rejected record) of every problem."""
    return {(p.position, p.field) for p in result.report.problems}


def assert_counts_add_up(report) -> None:
    for entry in report.sources:
        assert entry.read == entry.loaded + entry.merged + entry.rejected, entry


CIVIC = "https://civicfutures.example.org/blog"

EXPECTED = {
    # Dates stay in the feed's own time zone: 00:15 +0100 on 18 July is 17 July in UTC, and
    # 23:45 -0400 on 14 June is 15 June in UTC.
    "wordpress-rss2.xml": [
        {
            "title": "What the King’s Speech means for city regions",
            "date": "2024-07-18",
            "url": f"{CIVIC}/2024/07/kings-speech-city-regions/",  # relative <link>, channel base
            "authors": ["Cleo Hachem", "Tom Arnold"],
            "tags": ["Blog", "Devolution", "Local government"],
        },
        {
            "title": "Joined up? How central government can support place-based working",
            "date": "2024-07-16",
            "url": f"{CIVIC}/2024/07/joined-up-place-based-working/",
            "authors": ["Joanna Hayes"],
            "tags": ["Blog", "Public services"],
        },
        {
            "title": "What the manifestos say about combined authorities",
            "date": "2024-06-14",
            "url": f"{CIVIC}/2024/06/manifestos-combined-authorities/",
            "authors": ["Tom Arnold"],
            "tags": ["Blog", "General Election 2024"],
        },
    ],
    # RSS 1.0: dc:date 00:05 +01:00 on 17 October is 16 October in UTC.
    "rss1-rdf.rdf": [
        {
            "title": "The 2023 Party Conferences: long-term decisions for next year’s election",
            "date": "2023-10-17",
            "url": "https://policyhub.example.ac.uk/commentary/party-conferences-2023",
            "authors": ["James Hickson"],
            "tags": ["Elections"],
        },
        {
            "title": "The case for social broadband",
            "date": "2023-09-26",
            "url": "https://policyhub.example.ac.uk/commentary/social-broadband",
            "authors": [],
            "tags": ["Digital inclusion"],
        },
    ],
    # Atom: links relative to xml:base (the feed's, then an entry's own); HTML title stripped;
    # 23:40 -05:00 on 15 February is 16 February in UTC; an entry with only <updated>.
    "atom-xmlbase.atom": [
        {
            "title": "Things might actually get better: Trends, discontinuities and the future for "
            "‘Levelling Up’",
            "date": "2024-02-15",
            "url": "https://northernpolicy.example.net/research/notes/things-might-actually-get-better/",
            "authors": ["Ian Wray", "Lucy Natarajan"],
            "tags": ["Levelling up", "Regional inequality"],
        },
        {
            "title": "The Power of Plans - in Shenzhen, Dublin and New York",
            "date": "2023-08-15",
            "url": "https://northernpolicy.example.net/archive/2023/power-of-plans.html",
            "authors": ["Lucy Natarajan"],
            "tags": ["Planning"],
        },
    ],
    # The XML declaration says ISO-8859-1, and the bytes are Latin-1.
    "iso-8859-1.xml": [
        {
            "title": "Cafés, marchés et centres-villes : ce que disent les données",
            "date": "2024-06-14",
            "url": "https://metropoles.example.fr/carnet/cafes-marches-centres-villes",
            "authors": ["Cleo Hachem"],
            "tags": ["Commerce de proximité"],
        },
    ],
    # WordPress REST API with ?_embed: author and term names, the site's local date.
    "wp-posts-embed.json": [
        {
            "title": "Precarious work is on the rise: Why is this a problem?",
            "date": "2022-03-08",
            "url": f"{CIVIC}/precarious-work-is-on-the-rise/",
            "authors": ["James Hickson"],
            "tags": ["Blog"],
        },
        {
            "title": "Post-Covid challenges for the city region’s metro mayor",
            "date": "2021-05-05",  # date_gmt is 4 May
            "url": f"{CIVIC}/post-covid-challenges-for-the-metro-mayor/",
            "authors": ["Tom Arnold"],
            "tags": ["Blog", "Devolution", "Metro mayors", "COVID-19"],
        },
    ],
    # Without ?_embed: authors and terms are bare ids, so none are named.
    "wp-posts-plain.json": [
        {
            "title": "Developing local solutions to the problem of precarious work",
            "date": "2022-03-21",
            "url": f"{CIVIC}/developing-local-solutions-precarious-work/",
            "authors": [],
            "tags": [],
        },
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_feed_gives_its_posts(name):
    result = load_sources([FEEDS / name])
    assert posts_of(result) == EXPECTED[name]
    assert_counts_add_up(result.report)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("wordpress-rss2.xml", "feed"),
        ("rss1-rdf.rdf", "feed"),
        ("atom-xmlbase.atom", "feed"),
        ("wp-posts-embed.json", "wordpress"),
    ],
)
def test_format_is_reported(name, fmt):
    assert load_sources([FEEDS / name]).report.sources[0].format == fmt


def test_summaries_are_plain_text():
    result = load_sources([FEEDS / "atom-xmlbase.atom"])
    summary = result.posts.set_index("title").loc[
        "The Power of Plans - in Shenzhen, Dublin and New York", "summary"
    ]
    assert summary == (
        "Three cities, three very different planning systems, and one lesson about long-term "
        "ambition."
    )
    wordpress = load_sources([FEEDS / "wp-posts-embed.json"]).posts
    assert wordpress["summary"].tolist()[1] == (
        "The re-elected mayor faces a recovery that is uneven across the boroughs & a funding "
        "settlement that runs out in two years."
    )


def test_problem_feed_reports_every_record():
    result = load_sources([FEEDS / "feed-problems.xml"])
    source = str(FEEDS / "feed-problems.xml")
    assert posts_of(result) == [
        {
            "title": "Rethinking the high street after the pandemic",
            "date": "2020-05-20",
            "url": None,  # relative, and the feed states no address
            "authors": ["Belinda Tyrrell"],
            "tags": ["High streets"],
        },
        {
            "title": "Press notice: spring seminar series",
            "date": "2020-04-22",
            "url": "https://urbanrenewal.example.org/posts/spring-seminars",
            "authors": [],  # <author> holds only an email address
            "tags": [],
        },
        {
            "title": "Town deals: what the evaluations say",
            "date": "2020-04-21",
            "url": "https://urbanrenewal.example.org/posts/town-deals-evaluations",
            "authors": ["Joanna Hayes"],  # <author>email (Name)</author>
            "tags": [],
        },
        {
            "title": "Why place-based policy needs patient money",
            "date": "2020-04-16",
            "url": "https://urbanrenewal.example.org/posts/patient-money",  # a permalink guid
            "authors": [],
            "tags": [],
        },
        {
            "title": "Local growth plans: a reading list",
            "date": "2020-04-12",
            "url": None,  # isPermaLink="false": the guid is not an address
            "authors": [],
            "tags": [],
        },
        {
            "title": "Community wealth building: a primer",
            "date": "2019-09-27",
            "url": None,  # javascript: link
            "authors": ["Mark Swift"],
            "tags": [],
        },
    ]
    problems = {(p.position, p.field): p for p in result.report.problems}
    assert set(problems) == {
        ("entry 1", "url"),
        ("entry 2", "url"),
        ("entry 3", None),
        ("entry 4", None),
        ("entry 5", None),
        ("entry 9", "authors"),
    }
    assert all(p.source == source for p in problems.values())
    assert "relative link" in problems["entry 1", "url"].reason
    assert "no page address" in problems["entry 1", "url"].reason
    assert "javascript" in problems["entry 2", "url"].reason
    assert problems["entry 3", None].reason == "title is empty"
    assert problems["entry 4", None].reason == "no publication date"
    assert "sometime in autumn" in problems["entry 5", None].reason
    assert "email address" in problems["entry 9", "authors"].reason
    entry = result.report.sources[0]
    assert (entry.read, entry.loaded, entry.merged, entry.rejected) == (9, 6, 0, 3)


def test_wordpress_without_embed_reports_the_unnamed_fields():
    result = load_sources([FEEDS / "wp-posts-plain.json"])
    assert problems_of(result) == {("item 1", "tags"), ("item 1", "authors")}
    assert all("_embed" in p.reason for p in result.report.problems)


def test_wordpress_item_that_is_not_an_object_is_rejected(tmp_path):
    items = (FEEDS / "wp-posts-embed.json").read_text(encoding="utf-8").rstrip()
    path = tmp_path / "posts.json"
    path.write_text(items[:-1] + ', "stray", {"title": {"rendered": "No date"}}]', encoding="utf-8")
    result = load_sources([path])
    assert [(p.position, p.reason) for p in result.report.rejections] == [
        ("item 3", "not a JSON object"),
        ("item 4", "no publication date"),
    ]
    assert result.report.sources[0].read == 4
    assert_counts_add_up(result.report)


def test_malformed_wordpress_embeds_do_not_break_the_reader(tmp_path):
    path = tmp_path / "posts.json"
    path.write_text(
        '[{"title": {"rendered": "Odd embed"}, "date": "2022-03-08T09:00:00", '
        '"link": "https://civicfutures.example.org/blog/odd-embed/", '
        '"_embedded": {"author": "Tom Arnold", "wp:term": [{"name": "Blog"}, 7, null]}},'
        ' {"title": {"rendered": "Listy embed"}, "date": "2022-03-09", "_embedded": [1, 2]}]',
        encoding="utf-8",
    )
    result = load_sources([path])
    assert posts_of(result) == [
        {"title": "Listy embed", "date": "2022-03-09", "url": None, "authors": [], "tags": []},
        {
            "title": "Odd embed",
            "date": "2022-03-08",
            "url": "https://civicfutures.example.org/blog/odd-embed/",
            "authors": [],
            "tags": [],
        },
    ]


@pytest.mark.parametrize("saved_as", ["feed.txt", "feed.csv", "feed.json", "feed"])
def test_content_wins_over_a_misleading_extension(tmp_path, saved_as):
    path = tmp_path / saved_as
    shutil.copy(FEEDS / "wordpress-rss2.xml", path)
    result = load_sources([path])
    assert result.report.sources[0].format == "feed"
    assert [p["title"] for p in posts_of(result)] == [
        p["title"] for p in EXPECTED["wordpress-rss2.xml"]
    ]


def test_wordpress_json_saved_as_text_is_still_wordpress(tmp_path):
    path = tmp_path / "export.txt"
    shutil.copy(FEEDS / "wp-posts-embed.json", path)
    result = load_sources([path])
    assert result.report.sources[0].format == "wordpress"
    assert len(result.posts) == 2


def test_html_page_mentioning_feeds_is_not_a_feed(tmp_path):
    path = tmp_path / "page.xml"
    path.write_text(
        '<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" '
        'href="/feed/"></head><body><p>Subscribe with &lt;rss&gt; or &lt;feed&gt;.</p>'
        "<h2>The case for social broadband</h2><p>Posted on: 26 September 2023</p>"
        "<p>Digital exclusion follows the map of deprivation across the city region.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    result = load_sources([path])
    assert result.report.sources[0].format == "html"
    assert posts_of(result)[0]["title"] == "The case for social broadband"


def test_feed_that_is_not_well_formed_is_read_and_reported(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Notes</title><link>https://notes.example.org/</link>\n"
        "<item><title>Fish & chips economics</title><link>/p/1</link>"
        "<pubDate>Fri, 14 Jun 2024 09:00:00 +0100</pubDate></item>\n"
        "<item><title>Second note</title><link>/p/2</link>"
        "<pubDate>Sat, 15 Jun 2024 09:00:00 +0100</pubDate></item>\n"
        "</channel></rss>\n",
        encoding="utf-8",
    )
    result = load_sources([path])
    assert [(p["title"], p["url"]) for p in posts_of(result)] == [
        ("Second note", "https://notes.example.org/p/2"),
        ("Fish & chips economics", "https://notes.example.org/p/1"),
    ]
    [problem] = result.report.problems
    assert problem == Problem(str(path), "document", problem.reason, field="entries")
    assert "not well-formed" in problem.reason
    assert_counts_add_up(result.report)


@pytest.mark.parametrize(
    "content",
    [
        "<rss version='2.0'><channel><title>Empty",
        "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry><title>",
        "<rss><<<>>>\x00",
    ],
)
def test_unreadable_feed_is_a_load_error(tmp_path, content):
    path = tmp_path / "feed.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_sources([path])
    report = caught.value.report
    assert report is not None and report.sources[0].read == report.sources[0].rejected


def test_feed_and_wordpress_copies_of_a_post_merge(tmp_path):
    """The same post in the RSS feed and in a JSON export (www. host, no trailing slash)."""
    export = tmp_path / "export.json"
    export.write_text(
        '[{"title": "What the manifestos say about combined authorities", "date": "2024-06-14",'
        ' "url": "https://www.civicfutures.example.org/blog/2024/06/manifestos-combined-authorities",'
        ' "authors": ["Tom Arnold"], "tags": ["Manifestos"]}]',
        encoding="utf-8",
    )
    result = load_sources([FEEDS / "wordpress-rss2.xml", export])
    rows = result.posts[result.posts["title"].str.startswith("What the manifestos")]
    assert len(rows) == 1
    assert rows["tags"].iloc[0] == ["Blog", "General Election 2024", "Manifestos"]
    feed, records = result.report.sources
    assert (feed.read, feed.loaded, feed.merged) == (3, 3, 0)
    assert (records.read, records.loaded, records.merged) == (1, 0, 1)
