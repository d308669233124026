"""Drafting a new blog's registries from its posts (``python -m dashboard init``)."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from dashboard.__main__ import main
from dashboard.enrich import AuthorRegistry, Taxonomy
from dashboard.enrich.draft import (
    author_groups,
    draft_authors,
    draft_topics,
    phrase_topics,
    tag_key,
    tag_topics,
)
from dashboard.enrich.topics import assign_topics


@pytest.mark.parametrize(
    ("names", "groups"),
    [
        # case, a title, dots: one person, the most used spelling first
        (
            ["Tom Arnold", "Tom Arnold", "Dr Tom Arnold", "TOM ARNOLD"],
            [("Tom Arnold", ["Dr Tom Arnold", "TOM ARNOLD"], 4)],
        ),
        # accents; an initial joins the one full name it fits
        (
            ["José Díaz", "Jose Diaz", "J. Díaz"],
            [("José Díaz", ["Jose Diaz", "J. Díaz"], 3)],
        ),
        # an initial that fits two people joins neither
        (
            ["Jane Smith", "John Smith", "J Smith"],
            [("J Smith", [], 1), ("Jane Smith", [], 1), ("John Smith", [], 1)],
        ),
    ],
)
def test_author_groups(names, groups):
    assert author_groups(names) == groups


@pytest.mark.parametrize(
    ("tags", "same"),
    [
        (["Local Government", "local-government", "Local governments", "local  government"], True),
        (["Transport & Infrastructure", "transport and infrastructure"], True),
        (["Press", "Pres"], False),  # a double s is no plural
        (["Housing", "Health"], False),
    ],
)
def test_tag_key_merges_near_duplicates(tags, same):
    assert (len({tag_key(t) for t in tags}) == 1) is same


def archive(rows) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": [r[0] for r in rows],
            "summary": [r[1] for r in rows],
            "authors": [r[2] for r in rows],
            "tags": [r[3] for r in rows],
        }
    )


TAGGED = archive(
    [
        ("Buses back in public hands", None, ["Ann Lee"], ["Transport", "Blog"]),
        ("A new tram line", None, ["Ann Lee"], ["transport", "Uncategorized"]),
        ("Council tax rises", None, ["Bo Chan"], ["Local Government", "#internal"]),
        ("Mayors and money", None, ["Bo Chan"], ["local-government", "Featured"]),
        ("Homes for all", None, ["Cy Dee"], ["Housing"]),
        ("Rents keep rising", None, ["Cy Dee"], ["Housing", "Transport"]),
        ("A note from the editor", None, [], ["News"]),
        ("One-off essay", None, [], ["Poetry"]),  # on one post: no topic
    ]
)


def test_tag_topics_merge_spellings_and_leave_out_generic_and_internal_tags():
    assert tag_topics(TAGGED) == [
        ("Transport", ["transport"], 3),
        ("Housing", [], 2),
        ("Local Government", ["local-government"], 2),
    ]


def test_drafted_topics_from_tags_parse_and_cover_the_tagged_posts(tmp_path):
    text, origin = draft_topics(TAGGED)
    assert origin == "tags"
    assert '# covers 3 posts\n[[topic]]\nname = "Transport"' in text
    path = tmp_path / "topics.toml"
    path.write_text(text, encoding="utf-8")
    taxonomy = Taxonomy.load(path)
    assigned = assign_topics(TAGGED.assign(topics=[[]] * len(TAGGED)), taxonomy)
    # every post with a real tag of the blog gets a topic; the note and the poem do not
    assert [bool(len(t)) for t in assigned] == [True] * 6 + [False, False]


UNTAGGED = archive(
    [
        ("Why bus franchising matters", "Bus franchising gives the mayor control.", [], []),
        ("Bus franchising, one year on", "What changed for passengers.", [], []),
        ("Social housing waiting lists", "The social housing shortage grows.", [], []),
        ("Building social housing again", "Councils return to building.", [], []),
        ("The blog's tenth birthday", "A look back at the blog.", [], []),
    ]
)


def test_without_tags_topics_come_from_recurring_phrases(tmp_path):
    assert phrase_topics(UNTAGGED) == [
        ("Bus franchising", ["bus franchising"], 2),
        ("Social housing", ["social housing"], 2),
    ]
    text, origin = draft_topics(UNTAGGED)
    assert origin == "phrases"
    path = tmp_path / "topics.toml"
    path.write_text(text, encoding="utf-8")
    assert [t.name for t in Taxonomy.load(path).topics] == ["Bus franchising", "Social housing"]


def test_drafted_authors_parse_with_aliases_and_counts(tmp_path):
    posts = archive([("A", None, ["Dr Ann Lee"], []), ("B", None, ["Ann Lee", "Bo Chan"], [])])
    posts.loc[2] = ["C", None, ["Ann Lee"], []]
    text = draft_authors(posts)
    assert '# 3 posts\n[[author]]\nname = "Ann Lee"\naliases = ["Dr Ann Lee"]' in text
    path = tmp_path / "authors.toml"
    path.write_text(text, encoding="utf-8")
    registry = AuthorRegistry.load(path)
    assert [a.name for a in registry.authors] == ["Ann Lee", "Bo Chan"]


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Urban Futures</title>
<link>https://urbanfutures.example.org/</link>{items}</channel></rss>"""
ITEM = (
    "<item><title>{title}</title><link>https://urbanfutures.example.org/{n}/</link>"
    "<pubDate>Mon, 0{day} Jan 2024 09:00:00 +0000</pubDate><dc:creator "
    'xmlns:dc="http://purl.org/dc/elements/1.1/">{author}</dc:creator>{tags}</item>'
)


def test_init_writes_a_configuration_folder_that_ingest_can_use(tmp_path, capsys):
    rows = [
        ("Buses back in public hands", "Ann Lee", ["Transport"]),
        ("A new tram line", "Dr Ann Lee", ["Transport", "Blog"]),
        ("Council tax rises", "Bo Chan", ["Local Government"]),
        ("Mayors and money", "Bo Chan", ["Local government"]),
        ("Rents keep rising", "Cy Dee", ["Housing"]),
        ("Homes for all", "Cy Dee", ["Housing"]),
    ]
    items = "".join(
        ITEM.format(
            title=title, n=n, day=n + 1, author=author,
            tags="".join(f"<category>{t}</category>" for t in tags),
        )
        for n, (title, author, tags) in enumerate(rows)
    )  # fmt: skip
    feed = tmp_path / "feed.xml"
    feed.write_text(FEED.format(items=items), encoding="utf-8")
    folder = tmp_path / "urban"
    assert main(["init", str(feed), "--dir", str(folder), "--name", "Urban Futures"]) == 0
    printed = capsys.readouterr().out
    assert (
        "6 posts: 3 authors, 3 topics from the blog's categories and tags, 100% of the posts"
        in printed
    )
    site = tomllib.loads((folder / "site.toml").read_text(encoding="utf-8"))
    assert site["name"] == "Urban Futures"
    assert site["home"] == "https://urbanfutures.example.org/"
    # a second run does not overwrite staff's edits
    assert main(["init", str(feed), "--dir", str(folder)]) == 2
    assert "exists (--force replaces it)" in capsys.readouterr().err
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(feed), "--out", str(out), "--config", str(folder), "--quiet"]) == 0
    from dashboard.load import load_sources

    posts = load_sources(
        [str(out)], authors=folder / "authors.toml", topics=folder / "topics.toml"
    ).posts
    assert sorted({t for cell in posts["topics"] for t in cell}) == [
        "Housing",
        "Local Government",
        "Transport",
    ]
    assert sorted({a for cell in posts["authors"] for a in cell}) == [
        "Ann Lee",
        "Bo Chan",
        "Cy Dee",
    ]
