"""Normalising records and merging the records of one post into one row."""

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.load import load_sources, normalise
from dashboard.load.merge import TITLE_KEY_DROP, URL_KEY_RULES, title_keys, url_keys

PAGES = Path(__file__).parent / "fixtures" / "data" / "heseltine-pages"


def write_json(path: Path, records: list[dict]) -> Path:
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def post(**fields):
    return {"title": "A post", "published": "2024-05-01", **fields}


@pytest.mark.parametrize(
    ("record", "title", "summary"),
    [
        (post(title="<b>Bold</b> &amp; <i>brave</i>"), "Bold & brave", None),
        (post(title="  Spread \n\t over   lines "), "Spread over lines", None),
        (
            post(summary="<p>Para one.</p><p>Para&nbsp;two &#8211; end</p>"),
            "A post",
            "Para one. Para two – end",
        ),
        (post(summary="   "), "A post", None),
    ],
)
def test_text_fields_become_plain_text(tmp_path, record, title, summary):
    posts = load_sources([write_json(tmp_path / "r.json", [record])]).posts
    assert posts["title"].iloc[0] == title
    assert posts["summary"].iloc[0] == summary


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (post(title=""), "title is empty"),
        (post(title="<p> </p>"), "title is empty"),
        (post(title={"rendered": "x"}), "title is not text"),
        (post(published=None), "no publication date"),
        (post(published="soon"), "unreadable publication date 'soon'"),
    ],
)
def test_records_that_cannot_be_posts_are_rejected_with_reason(tmp_path, record, reason):
    source = write_json(tmp_path / "r.json", [post(title="Good"), record])
    result = load_sources([source])
    assert list(result.posts["title"]) == ["Good"]
    (problem,) = result.report.rejections
    assert (problem.source, problem.position, problem.reason) == (str(source), "item 2", reason)


@pytest.mark.parametrize(
    ("url", "reason_part"),
    [
        ("javascript:alert(1)", "scheme 'javascript' is not http(s)"),
        ("mailto:someone@example.org", "scheme 'mailto' is not http(s)"),
        ("/blog/a-post/", "relative link '/blog/a-post/' with no page address"),
        ("http://", "not a valid web address"),
    ],
)
def test_bad_urls_are_dropped_and_reported_record_kept(tmp_path, url, reason_part):
    result = load_sources([write_json(tmp_path / "r.json", [post(url=url)])])
    assert result.posts["url"].iloc[0] is None
    (problem,) = result.report.dropped_fields
    assert problem.field == "url" and reason_part in problem.reason
    assert problem.position == "item 1"


def test_listing_entry_and_its_article_page_are_one_post():
    result = load_sources([PAGES / "002.txt", PAGES / "009.txt"])
    heritage = result.posts[result.posts["title"].str.startswith("Exploring heritage")]
    assert len(heritage) == 1
    row = heritage.iloc[0]
    assert row["url"].endswith("tobebuildbridgestotheworld/")
    assert row["authors"] == ["Andrew McClelland"]
    assert row["tags"] == ["Blog"]
    by_source = {Path(s.source).name: (s.loaded, s.merged) for s in result.report.sources}
    assert by_source == {"002.txt": (4, 0), "009.txt": (0, 1)}  # article merged into listing row


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://www.example.org/blog/post/", "https://example.org/blog/post"),
        ("http://example.org/blog/post", "https://EXAMPLE.org/blog/post/#comments"),
    ],
)
def test_same_url_in_other_forms_is_one_post(tmp_path, first, second):
    a = write_json(tmp_path / "a.json", [post(url=first, authors=["Ann Lee"], tags=["x"])])
    b = write_json(
        tmp_path / "b.json",
        [
            post(
                title="A post!",
                url=second,
                published="2024-05-02",
                authors=["Bo Chan"],
                tags=["y", "x"],
            )
        ],
    )
    posts = load_sources([a, b]).posts
    assert len(posts) == 1
    assert posts["authors"].iloc[0] == ["Ann Lee", "Bo Chan"]
    assert posts["tags"].iloc[0] == ["x", "y"]


def test_same_title_on_other_dates_are_different_posts(tmp_path):
    source = write_json(
        tmp_path / "r.json",
        [
            post(title="Weekly notes", published="2024-05-01"),
            post(title="Weekly notes", published="2024-05-08"),
        ],
    )
    assert len(load_sources([source]).posts) == 2


def test_post_id_is_stable_across_runs_and_source_order(tmp_path):
    a = write_json(tmp_path / "a.json", [post(url="https://example.org/p/1")])
    b = write_json(tmp_path / "b.json", [post(title="Other", url="https://www.example.org/p/1/")])
    first = load_sources([a, b]).posts["post_id"].tolist()
    second = load_sources([b, a]).posts["post_id"].tolist()
    bare = load_sources([a]).posts["post_id"].tolist()
    assert first == second == bare
    assert len(first[0]) == 16


def test_titles_differing_only_in_quotes_merge(tmp_path):
    source = write_json(
        tmp_path / "r.json",
        [
            post(title="What will Labour mean for 'levelling up'?"),
            post(title="What will Labour mean for ‘levelling up’?"),
        ],
    )
    result = load_sources([source])
    assert len(result.posts) == 1
    assert result.report.merged == 1


# --- the merge keys: fast paths against the regular expressions that define them ---------------

URL_PARTS = st.sampled_from(
    [
        "http://",
        "https://",
        "HTTPS://WWW.",
        "ftp://",
        "www.",
        "//",
        "Example.org",
        "a.b",
        ":80",
        ":443",
        ":8080",
        "/",
        "//",
        "/path",
        "?q=1",
        "?",
        "#frag",
        "#",
        " ",
        "É",
        "ü/",
        "\u00a0",
        "\t",
        "x",
    ]
)


def defined_url_keys(urls: pd.Series) -> pd.Series:
    text = urls.astype("string[pyarrow]").str.strip().str.lower()
    for pattern, replacement in URL_KEY_RULES:
        text = text.str.replace(pattern, replacement, regex=True)
    return text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.lists(URL_PARTS, max_size=8).map("".join), st.text()), max_size=20
    )
)
def test_url_keys_follow_their_rules(urls):
    values = pd.Series(urls, dtype=object)
    assert url_keys(values).tolist() == defined_url_keys(values).tolist()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(),
            st.text(alphabet="aZ09 -'’É.ß"),
            st.text(st.characters(max_codepoint=127)),
        ),
        max_size=20,
    )
)
def test_title_keys_keep_the_letters_and_digits(titles):
    values = pd.Series(titles, dtype=object)
    defined = (
        values.astype("string[pyarrow]").str.lower().str.replace(TITLE_KEY_DROP, "", regex=True)
    )
    assert title_keys(values).tolist() == defined.tolist()


def test_url_keys_of_common_addresses():
    urls = pd.Series(
        [
            "https://www.Example.org/blog/post/",
            "http://example.org:80/blog/post#top",
            "https://example.org/blog/post?page=2/",
            "https://example.org/blog/post//?x=1",
            None,
        ]
    )
    assert url_keys(urls).tolist()[:4] == [
        "example.org/blog/post",
        "example.org/blog/post",
        "example.org/blog/post?page=2",
        "example.org/blog/post?x=1",
    ]
    assert url_keys(urls).isna().tolist() == [False, False, False, False, True]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(),
            st.text(alphabet=" \t\n\u00a0\u200b\x1f<>&;ab"),
            st.sampled_from(
                [
                    "Plain title",
                    " lead",
                    "trail ",
                    "a&amp;b",
                    "<b>x</b>",
                    "two  spaces",
                    "\ufeffmark",
                ]
            ),
        ),
        max_size=20,
    )
)
def test_text_cleaning_touches_only_the_values_that_need_it(values):
    series = pd.Series(values, dtype=object)
    text, _ = normalise._text(series)
    everything = normalise._clean_text(series.astype("string[pyarrow]")).str.slice(
        0, normalise.TEXT_LIMIT
    )  # every value through every step
    expected = [None if v is pd.NA or v == "" else v for v in everything.tolist()]
    assert text.tolist() == expected
