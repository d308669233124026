"""CMS exports (Ghost Content API, WordPress.com REST v1.1, JSON Feed 1.0/1.1), Unix-time dates
and author and tag objects in JSON records: every post, author and tag a source gives."""

from __future__ import annotations

import html
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import posts_of

from dashboard.load import load_sources
from dashboard.load.exports import (
    looks_like_ghost,
    looks_like_json_feed,
    looks_like_wordpress_com,
    read_export,
)
from dashboard.load.tabular import named_items, object_name

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
HARBOUR = "https://harbourlane.example.org"
NORTHGATE = "https://northgateinstitute.example.com"
TIDEWATER = "https://tidewater.example.net/notes"
FENWICK = "https://fenwickcities.example.org/commentary"
EASTBAY = "https://eastbay-observatory.example.org/posts"
WESTMOOR = "https://westmoor-analytics.example.com/blog"
KESTREL = "https://kestrel-energy.example.org/posts"


def post(title, day, url=None, authors=(), tags=()) -> dict:
    return {"title": title, "date": day, "url": url, "authors": list(authors), "tags": list(tags)}


EXPECTED = {
    # Two authors in byline order; the internal "#feature" and "Newsletter" tags left out; a
    # post whose authors were not included gives its primary author; dates as the site states
    # them (23:45 -04:00 on 30 July stays 30 July).
    "ghost-content-api.json": [
        post(
            "Rethinking bus franchising in mid-sized cities",
            "2024-09-12",
            f"{HARBOUR}/bus-franchising-mid-sized-cities/",
            ["Priya Nandakumar", "Owen Maddox"],
            ["Transport", "Local government"],
        ),
        post(
            "What the spending review means for adult social care",
            "2024-08-28",
            f"{HARBOUR}/spending-review-adult-social-care/",
            ["Owen Maddox"],
            ["Social care"],
        ),
        post(
            "Three charts on regional productivity",
            "2024-07-30",
            f"{HARBOUR}/three-charts-regional-productivity/",
            ["Lena Okafor"],
        ),
    ],
    # Categories then tags, objects keyed by name; an author whose display name is empty gives
    # first and last name.
    "wordpress-com-v1.1.json": [
        post(
            "Housing supply and the planning reforms",
            "2024-10-03",
            f"{NORTHGATE}/2024/10/03/housing-supply-planning-reforms/",
            ["Hana McAllister"],
            ["Policy", "Housing", "Planning reform", "Green belt"],
        ),
        post(
            "Skills, jobs & the regions",
            "2024-09-19",
            f"{NORTHGATE}/2024/09/19/skills-jobs-regions/",
            ["Tomas Frost"],
            ["Uncategorized"],
        ),
    ],
    # An item without authors has the feed's; a relative link is resolved against the home page.
    "json-feed-1.1.json": [
        post(
            "Who will insure the coast?",
            "2024-11-20",
            f"{TIDEWATER}/coastal-flooding-insurance/",
            ["Marta Ferreira", "Dev Raman"],
            ["Climate", "Insurance"],
        ),
        post(
            "Port cities and the new trade routes",
            "2024-10-08",
            f"{TIDEWATER}/port-cities-and-trade/",
            ["Tidewater Research Team"],
            ["Trade"],
        ),
    ],
    # JSON Feed 1.0: one "author" object, the feed's for an item without; date_modified alone.
    "json-feed-1.0.json": [
        post(
            "High streets after the banks leave",
            "2024-06-14",
            f"{FENWICK}/high-streets-after-the-banks/",
            ["Rhiannon Beck"],
            ["High streets", "Retail"],
        ),
        post(
            "What the mayoral elections told us",
            "2024-05-07",
            f"{FENWICK}/what-the-mayoral-elections-told-us/",
            ["Fenwick Centre for Cities"],
            ["Elections"],
        ),
    ],
    # Seconds as integers, a float and digits in text; the UTC calendar date (23:59:59 UTC).
    "records-epoch-seconds.json": [
        post(
            "The July jobs figures in four charts",
            "2024-07-18",
            f"{EASTBAY}/july-jobs-figures",
            ["Grace Whitlow"],
            ["Labour market"],
        ),
        post(
            "Spring budget: what changed for councils",
            "2024-03-05",
            f"{EASTBAY}/spring-budget-councils",
            ["Grace Whitlow"],
            ["Local finance"],
        ),
        post(
            "A fresh start for the observatory",
            "2024-01-01",
            f"{EASTBAY}/fresh-start",
            ["Grace Whitlow", "Sam Idowu"],
            ["News"],
        ),
        post(
            "Year in review",
            "2023-12-31",
            f"{EASTBAY}/year-in-review",
            ["Sam Idowu"],
            ["News", "Annual review"],
        ),
    ],
    "records-epoch-milliseconds.json": [
        post(
            "Midnight in UTC, evening in New York",
            "2024-07-18",
            f"{WESTMOOR}/midnight-utc",
            ["Ines Carvalho", "Paul Marsh"],
            ["Methods"],
        ),
        post(
            "Commuting is back, but not on Fridays",
            "2024-06-02",
            f"{WESTMOOR}/commuting-fridays",
            ["Ines Carvalho"],
            ["Transport", "Work"],
        ),
    ],
    # Objects with a name, a title, a slug or first and last names; one object, or objects
    # keyed by name; text beside objects.
    "records-author-objects.json": [
        post(
            "Heat pumps in terraced streets",
            "2024-05-01",
            f"{KESTREL}/heat-pumps-terraces",
            ["Ann Cole", "Bo Lindqvist"],
            ["Energy", "net-zero"],
        ),
        post(
            "Grid connections: the queue explained",
            "2024-04-17",
            f"{KESTREL}/grid-connection-queue",
            ["Ann Cole"],
            ["Energy", "Infrastructure"],
        ),
        post(
            "Community energy after the subsidy",
            "2024-03-26",
            f"{KESTREL}/community-energy",
            ["Chidi Obi", "Bo Lindqvist"],
            ["Community energy", "Policy"],
        ),
    ],
}

FORMATS = {
    "ghost-content-api.json": "ghost",
    "wordpress-com-v1.1.json": "wordpress.com",
    "json-feed-1.1.json": "json feed",
    "json-feed-1.0.json": "json feed",
    "records-epoch-seconds.json": "json",
    "records-epoch-milliseconds.json": "json",
    "records-author-objects.json": "json",
}

# (position, dropped field or None for a rejected record, reason) of every problem.
PROBLEMS = {
    "ghost-content-api.json": [
        ("item 4", None, "not a JSON object (str)"),
        ("item 5", None, "title is empty"),
    ],
    "wordpress-com-v1.1.json": [
        ("item 3", None, "not a JSON object (int)"),
        ("item 4", None, "no publication date"),
    ],
    "json-feed-1.1.json": [
        ("item 3", None, "title is empty"),
        ("item 4", None, "not a JSON object (list)"),
    ],
    "json-feed-1.0.json": [],
    "records-epoch-seconds.json": [
        ("item 5", None, "unreadable publication date '99999999999'"),
    ],
    "records-epoch-milliseconds.json": [
        ("item 3", None, "unreadable publication date '9999999999999999'"),
    ],
    "records-author-objects.json": [
        (
            "item 3",
            "authors",
            "1 object(s) with no name (name, display_name, title, label, slug)",
        ),
        ("item 4", None, "not a JSON object (str)"),
        ("item 5", None, "title is empty"),
    ],
}


def assert_counts_add_up(report) -> None:
    for entry in report.sources:
        assert entry.read == entry.loaded + entry.merged + entry.rejected, entry


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_export_gives_its_posts(name):
    result = load_sources([EXPORTS / name])
    assert posts_of(result) == EXPECTED[name]
    assert_counts_add_up(result.report)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_export_is_a_format_of_its_own_in_the_report(name):
    result = load_sources([EXPORTS / name])
    assert [entry.format for entry in result.report.sources] == [FORMATS[name]]


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_bad_items_are_reported_with_position_and_reason(name):
    result = load_sources([EXPORTS / name])
    found = sorted((p.position, p.field, p.reason) for p in result.report.problems)
    assert found == sorted(PROBLEMS[name])
    assert {p.source for p in result.report.problems} <= {str(EXPORTS / name)}


def given_names(value) -> list[str]:
    """Every name an author or tag value spells, however nested: a plain walk of the raw JSON,
    independent of the readers."""
    if isinstance(value, str):
        return [name.strip() for name in value.split(";")]
    if isinstance(value, list):
        return [name for item in value for name in given_names(item)]
    if isinstance(value, dict):
        if value.get("visibility") == "internal":
            return []
        for key in ("name", "title", "slug"):
            if isinstance(value.get(key), str) and value[key]:
                return [value[key]]
        if "first_name" in value:
            return [f"{value['first_name']} {value['last_name']}"]
        return [key for key, entry in value.items() if isinstance(entry, dict)]
    return []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nothing_is_dropped(name):
    """Every author and public tag of every loaded post arrives in the table."""
    document = json.loads((EXPORTS / name).read_text(encoding="utf-8"))
    if isinstance(document, list):
        document = {"items": document}
    feed_authors = given_names(document.get("authors") or document.get("author"))
    items = document.get("posts") or document.get("items") or document.get("records")
    posts = {p["title"]: p for p in posts_of(load_sources([EXPORTS / name]))}
    checked = 0
    for item in items:
        title = html.unescape(str(item.get("title"))) if isinstance(item, dict) else None
        if title not in posts:
            continue
        loaded = posts[title]
        authors = [
            n for key in ("authors", "author", "primary_author") for n in given_names(item.get(key))
        ]
        tags = [
            n
            for key in ("tags", "categories", "primary_tag")
            for n in given_names(item.get(key))
            if not n.startswith("#")
        ]
        assert set(authors or feed_authors) <= set(loaded["authors"]), title
        assert set(tags) <= set(loaded["tags"]), title
        checked += 1
    assert checked == len(EXPECTED[name])


@pytest.mark.parametrize("name", ["ghost-content-api.json", "json-feed-1.1.json"])
@pytest.mark.parametrize("saved_as", ["export.txt", "export", "export.csv"])
def test_content_decides_not_the_file_name(tmp_path, name, saved_as):
    path = tmp_path / saved_as
    shutil.copy(EXPORTS / name, path)
    result = load_sources([path])
    assert result.report.sources[0].format == FORMATS[name]
    assert posts_of(result) == EXPECTED[name]


def test_json_feed_is_as_of_its_newest_item_through_to_then():
    coverage = load_sources([EXPORTS / "json-feed-1.1.json"]).report.sources[0].coverage
    assert coverage.as_of == date(2024, 11, 20)
    assert coverage.windows == ((date(2024, 10, 8), date(2024, 11, 20)),)


def test_a_later_ghost_page_covers_only_its_own_entries(tmp_path):
    document = json.loads((EXPORTS / "ghost-content-api.json").read_text(encoding="utf-8"))
    document["meta"]["pagination"].update(page=2, prev=1)
    path = tmp_path / "page-2.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    coverage = load_sources([path]).report.sources[0].coverage
    assert coverage.windows == ((date(2024, 7, 30), date(2024, 9, 12)),)
    assert coverage.as_of == date(2024, 9, 12)


@pytest.mark.parametrize(
    ("document", "ghost", "wordpress_com", "json_feed"),
    [
        ({"posts": [{"title": "A", "published_at": "2024-01-01", "primary_author": {}}]}, 1, 0, 0),
        (
            {"posts": [{"title": "A", "published_at": "2024-01-01"}], "meta": {"pagination": {}}},
            1,
            0,
            0,
        ),
        ({"posts": [{"title": "A", "published_at": "2024-01-01"}]}, 0, 0, 0),  # plain records
        ({"found": 1, "posts": [{"title": "A", "URL": "https://a.example/"}]}, 0, 1, 0),
        ([{"title": "A", "site_ID": 5}], 0, 1, 0),
        ({"posts": [{"title": "A", "URL": "https://a.example/"}]}, 0, 0, 0),  # plain records
        ({"version": "https://jsonfeed.org/version/1.1", "items": []}, 0, 0, 1),
        ({"version": "https://jsonfeed.org/version/1", "items": [{"id": "1"}]}, 0, 0, 1),
        ({"version": "2", "items": [{"title": "A"}]}, 0, 0, 0),
        ({"title": {"rendered": "A"}}, 0, 0, 0),
        ([], 0, 0, 0),
        ("text", 0, 0, 0),
    ],
)
def test_detection_by_keys(document, ghost, wordpress_com, json_feed):
    assert looks_like_ghost(document) == bool(ghost)
    assert looks_like_wordpress_com(document) == bool(wordpress_com)
    assert looks_like_json_feed(document) == bool(json_feed)
    assert (read_export(document, "x.json", None) is None) == (
        not ghost + wordpress_com + json_feed
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([{"name": "Ann"}, {"name": "Bo"}], (["Ann", "Bo"], 0)),
        ({"name": "Ann"}, (["Ann"], 0)),
        ([{"display_name": "Ann Cole"}, "Bo"], (["Ann Cole", "Bo"], 0)),
        (
            [{"title": "Energy"}, {"label": "Heat"}, {"slug": "net-zero"}],
            (["Energy", "Heat", "net-zero"], 0),
        ),
        ({"first_name": "Chidi", "last_name": "Obi"}, (["Chidi Obi"], 0)),
        (
            {"Policy": {"ID": 3}, "Housing": {"name": "Housing and planning"}},
            (["Policy", "Housing and planning"], 0),
        ),
        ([{"id": 4}, {"name": ""}, {"name": "Ann"}], (["Ann"], 2)),
        ({}, ([], 0)),
        (["Ann", "Bo"], (["Ann", "Bo"], 0)),  # no objects: as it is
        ("Ann; Bo", ("Ann; Bo", 0)),
        (None, (None, 0)),
    ],
)
def test_named_items(value, expected):
    assert named_items(value) == expected


def test_object_name_prefers_the_name():
    assert object_name({"slug": "ann-cole", "name": "Ann Cole", "title": "Dr"}) == "Ann Cole"
    assert object_name({"id": 1}) is None


def test_author_as_one_object_under_the_author_key(tmp_path):
    path = tmp_path / "posts.json"
    records = [
        {"title": "One", "date": "2024-01-02", "author": {"name": "Ann Cole"}},
        {"title": "Two", "date": "2024-01-03", "author": [{"name": "Bo"}, {"name": "Ann Cole"}]},
    ]
    path.write_text(json.dumps(records), encoding="utf-8")
    posts = {p["title"]: p["authors"] for p in posts_of(load_sources([path]))}
    assert posts == {"One": ["Ann Cole"], "Two": ["Bo", "Ann Cole"]}


def test_unix_times_in_a_csv_and_in_json_lines(tmp_path):
    csv = tmp_path / "posts.csv"
    csv.write_text(
        "title,published\nSeconds,1721347199\nMilliseconds,1721260800000\n"
        "Too far,99999999999\nA plain date,2024-07-01\n",
        encoding="utf-8",
    )
    result = load_sources([csv])
    assert {p["title"]: p["date"] for p in posts_of(result)} == {
        "Seconds": "2024-07-18",
        "Milliseconds": "2024-07-18",
        "A plain date": "2024-07-01",
    }
    assert [(p.position, p.reason) for p in result.report.problems] == [
        ("row 4", "unreadable publication date '99999999999'")
    ]
    lines = tmp_path / "posts.jsonl"
    lines.write_text(
        '{"title": "A", "published": 1721260800}\n{"title": "B", "published": 1.7212608e12}\n',
        encoding="utf-8",
    )
    assert [p["date"] for p in posts_of(load_sources([lines]))] == ["2024-07-18", "2024-07-18"]
