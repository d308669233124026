"""The pure functions of dashboard.analysis, checked against numbers counted by hand.

The archive is ``CLEAN_POSTS`` of conftest (ten posts, Jan 2023 to Jun 2024); each expected value
below is read off that table, not computed by the code under test.
"""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import CLEAN_POSTS, DEVOLUTION, GOVERNANCE, HEALTH, posts_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import analysis, display, export, schema
from dashboard.analysis import OTHERS, Filters
from dashboard.load import prepare
from dashboard.schema import from_arrow

TITLES = [row[0] for row in CLEAN_POSTS]  # TITLES[0] is post 1 of the table, and so on


def titles(*numbers: int) -> set[str]:
    """The titles of posts given by their number (from 1) in CLEAN_POSTS."""
    return {TITLES[n - 1] for n in numbers}


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The archive as the loader returns it: Python lists, input order."""
    return posts_frame(CLEAN_POSTS)


@pytest.fixture(scope="module")
def posts(raw) -> pd.DataFrame:
    return prepare.prepare_posts(raw)


@pytest.fixture(scope="module")
def authors(posts) -> pd.DataFrame:
    return analysis.explode_list(posts, "authors", "author")


@pytest.fixture(scope="module")
def topics(posts) -> pd.DataFrame:
    return analysis.explode_list(posts, "topics", "topic")


# --- the table as the dashboard holds it ------------------------------------------------------


def test_prepare_posts_orders_newest_first_with_a_position_index(posts):
    assert posts["title"].iloc[0] == "Summer reading"
    assert posts["title"].iloc[-1] == "Notes from the spring roundtable"
    assert list(posts.index) == list(range(10))
    assert posts["authors"].iloc[0] == ["Joanna Hayes"]


def test_explode_list_counts_a_repeated_value_once_and_skips_missing_lists():
    table = pd.DataFrame(
        {
            "published": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
            "authors": [["Ann", "Ann", "Bob"], None, []],
        }
    )
    long = analysis.explode_list(table, "authors", "author")
    assert long[["row", "author"]].astype({"author": str}).values.tolist() == [
        [0, "Ann"],
        [0, "Bob"],
    ]
    assert list(long["published"]) == [pd.Timestamp("2024-01-01")] * 2


@given(st.lists(st.one_of(st.none(), st.lists(st.sampled_from("ABCDE"), max_size=20)), max_size=8))
@settings(max_examples=200, deadline=None)
def test_explode_list_keeps_each_value_of_a_post_once_in_list_order(lists):
    # Lists longer than SHORT_LISTS take the other way of finding repeats.
    table = pd.DataFrame(
        {"published": pd.Timestamp("2024-01-01"), "authors": lists},
        index=pd.RangeIndex(len(lists)) + 3 * (len(lists) % 2),
    )
    long = analysis.explode_list(table, "authors", "author")
    expected = [
        (row, value)
        for row, items in zip(table.index, lists, strict=True)
        for value in dict.fromkeys(items or [])
    ]
    assert list(zip(long["row"], long["author"].astype(str), strict=True)) == expected


# --- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), set(TITLES)),
        (Filters(authors=("Tom Arnold",)), titles(1, 2, 6, 8)),
        (Filters(authors=("Tom Arnold", "Cleo Hachem")), titles(1, 2, 3, 6, 8, 9)),
        (Filters(authors=("Nobody",)), set()),
        (Filters(topics=(HEALTH,)), titles(2, 3, 10)),
        (Filters(topics=(HEALTH, DEVOLUTION)), titles(2, 3, 4, 8, 9, 10)),
        (Filters(start=date(2024, 1, 1)), titles(8, 9, 10)),
        (Filters(end=date(2023, 1, 24)), titles(1, 2)),  # the end date is included
        (Filters(start=date(2023, 2, 1), end=date(2023, 12, 31)), titles(3, 4, 5, 6, 7)),
        (Filters(start=date(2024, 7, 1), end=date(2024, 1, 1)), set()),
        (Filters(text="reading"), titles(3, 10)),
        (Filters(text="  THE pilot "), titles(6)),  # every word, any case
        (Filters(text="review"), titles(5)),  # found in the summary only
        (Filters(text="pilot observatory"), set()),
        (Filters(authors=("Tom Arnold",), topics=(GOVERNANCE,)), titles(1, 2, 6)),
        (
            Filters(authors=("Tom Arnold",), start=date(2023, 2, 1), text="looking"),
            titles(8),
        ),
    ],
)
def test_filter_posts(raw, posts, authors, topics, filters, expected):
    assert set(analysis.filter_posts(raw, filters)["title"]) == expected
    assert set(analysis.filter_posts(posts, filters, authors, topics)["title"]) == expected


def test_a_selection_keeps_the_long_rows_of_the_kept_posts(posts, authors, topics):
    selection = analysis.select_posts(posts, Filters(topics=(HEALTH,)), authors, topics)
    kept = analysis.posts_at(posts, selection)
    kept_authors = analysis.long_rows_at(authors, selection)
    kept_topics = analysis.long_rows_at(topics, selection)
    assert set(kept["title"]) == titles(2, 3, 10)
    assert sorted(kept_authors["author"].astype(str)) == [
        "Cleo Hachem",
        "Cleo Hachem",
        "Joanna Hayes",
        "Tom Arnold",
    ]
    assert sorted(kept_topics["topic"].astype(str)) == [HEALTH, HEALTH, HEALTH, GOVERNANCE]


@pytest.mark.parametrize(
    ("filters", "kind", "expected"),
    [
        (Filters(), slice, titles(*range(1, 11))),
        # posts 6 to 9 are the four from May 2023 to March 2024: one run of rows
        (Filters(start=date(2023, 5, 1), end=date(2024, 3, 31)), slice, titles(6, 7, 8, 9)),
        (Filters(start=date(2030, 1, 1)), slice, set()),
        (Filters(topics=(HEALTH,)), np.ndarray, titles(2, 3, 10)),
    ],
)
def test_select_posts_gives_a_slice_for_one_run_of_rows(
    posts, authors, topics, filters, kind, expected
):
    selection = analysis.select_posts(posts, filters, authors, topics)
    assert isinstance(selection, kind)
    assert set(analysis.posts_at(posts, selection)["title"]) == expected


@pytest.mark.parametrize(
    "filters",
    [
        Filters(start=date(2023, 5, 1), end=date(2024, 3, 31)),
        Filters(topics=(HEALTH,)),
        Filters(start=date(2030, 1, 1)),
        Filters(text="housing"),
    ],
)
def test_long_rows_at_keeps_the_rows_of_the_selected_posts(posts, authors, topics, filters):
    selection = analysis.select_posts(posts, filters, authors, topics)
    kept = analysis.posts_at(posts, selection)
    for long in (authors, topics):  # the same rows as looking each post up by its label
        assert analysis.long_rows_at(long, selection).equals(long[long["row"].isin(kept.index)])


def test_posts_mask_active(posts):
    assert not Filters().active
    assert not Filters(text="   ").active
    assert Filters(start=date(2024, 1, 1)).active


# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "freq", "start"),
    [
        ("2024-07-18", "week", "2024-07-15"),  # a Thursday: weeks start on Monday
        ("2024-07-15", "week", "2024-07-15"),
        ("2024-07-21", "week", "2024-07-15"),  # a Sunday ends the week
        ("1970-01-01", "week", "1969-12-29"),
        ("2024-02-29", "month", "2024-02-01"),
        ("2024-08-31", "quarter", "2024-07-01"),
        ("2024-12-31", "quarter", "2024-10-01"),
        ("2024-03-31", "quarter", "2024-01-01"),
        ("2024-12-31", "year", "2024-01-01"),
    ],
)
def test_period_start(day, freq, start):
    got = analysis.period_start(np.array([np.datetime64(day, "ns")]), freq)
    assert got[0] == np.datetime64(start, "ns")


def test_period_start_rejects_an_unknown_period():
    with pytest.raises(ValueError, match="unknown period"):
        analysis.period_start(np.array([np.datetime64("2024-01-01", "ns")]), "fortnight")


@pytest.mark.parametrize(
    ("start", "end", "freq", "count", "first"),
    [
        ("2023-01-10", "2024-06-25", "month", 18, "2023-01-01"),
        ("2023-01-10", "2024-06-25", "quarter", 6, "2023-01-01"),
        ("2023-01-10", "2024-06-25", "year", 2, "2023-01-01"),
        ("2024-01-01", "2024-01-31", "week", 5, "2024-01-01"),
        ("2024-01-03", "2024-01-03", "week", 1, "2024-01-01"),
        ("2024-02-01", "2024-01-01", "month", 0, None),
    ],
)
def test_period_range(start, end, freq, count, first):
    periods = analysis.period_range(start, end, freq)
    assert len(periods) == count
    if first:
        assert periods[0] == pd.Timestamp(first)


@pytest.mark.parametrize(
    ("number", "expected"), [(0, "0 posts"), (1, "1 post"), (2, "2 posts"), (1200, "1,200 posts")]
)
def test_count_of(number, expected):
    assert display.count_of(number, "post") == expected


@pytest.mark.parametrize(
    ("freq", "expected"),
    [
        ("week", "Week of 15 Jul 2024"),
        ("month", "Jul 2024"),
        ("quarter", "2024 Q3"),
        ("year", "2024"),
    ],
)
def test_period_labels(freq, expected):
    assert analysis.period_labels([pd.Timestamp("2024-07-15")], freq) == [expected]


@pytest.mark.parametrize(
    ("start", "end", "most", "freq"),
    [
        ("2023-01-10", "2024-06-25", 24, "month"),  # 18 months
        ("2023-01-10", "2024-06-25", 12, "quarter"),  # 6 quarters
        ("2023-01-10", "2024-06-25", 5, "year"),
        ("2005-01-01", "2024-12-31", 24, "year"),
    ],
)
def test_suitable_freq(start, end, most, freq):
    assert analysis.suitable_freq(start, end, most) == freq


MONTHLY = [2, 1, 0, 2, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1]  # Jan 2023 .. Jun 2024


def test_posts_per_month_draws_empty_months_as_zero(posts):
    table = analysis.posts_per_period(posts, "month")
    assert list(table["posts"]) == MONTHLY
    assert table["period"].iloc[0] == pd.Timestamp("2023-01-01")
    assert table["period"].iloc[-1] == pd.Timestamp("2024-06-01")


def test_posts_per_period_spans_the_given_dates(posts):
    table = analysis.posts_per_period(posts, "year", start="2021-05-01", end="2024-01-01")
    assert list(zip(table["period"].dt.year, table["posts"], strict=True)) == [
        (2021, 0),
        (2022, 0),
        (2023, 7),
        (2024, 3),
    ]


def test_posts_per_period_by_author_counts_a_shared_post_for_each(authors):
    table = analysis.posts_per_period(authors, "year", by="author")
    counts = {(row.period.year, row.author): row.posts for row in table.itertuples()}
    assert counts == {
        (2023, "Tom Arnold"): 3,
        (2024, "Tom Arnold"): 1,
        (2023, "Cleo Hachem"): 2,
        (2024, "Cleo Hachem"): 1,
        (2023, "James Hickson"): 2,
        (2024, "James Hickson"): 0,
        (2023, "Joanna Hayes"): 1,
        (2024, "Joanna Hayes"): 1,
    }
    # groups come most frequent first, ties by name
    assert list(dict.fromkeys(table["author"])) == [
        "Tom Arnold",
        "Cleo Hachem",
        "James Hickson",
        "Joanna Hayes",
    ]


def test_posts_per_period_of_nothing_is_empty(posts):
    assert analysis.posts_per_period(posts.iloc[:0], "month").empty


def test_cumulative_runs_per_group(authors):
    table = analysis.cumulative(analysis.posts_per_period(authors, "year", by="author"), "author")
    tom = table[table["author"] == "Tom Arnold"]
    assert list(tom["cumulative"]) == [3, 4]
    total = analysis.cumulative(analysis.posts_per_period(authors, "year"))
    assert list(total["cumulative"]) == [8, 11]  # 11 author credits: 8 in 2023, 3 in 2024


def test_top_groups_combines_the_rest(authors):
    table = analysis.top_groups(authors, "author", keep=2)
    assert sorted(set(table["author"])) == sorted(["Tom Arnold", "Cleo Hachem", OTHERS])
    assert (table["author"] == OTHERS).sum() == 4  # Hickson's 2 and Hayes's 2


def test_period_posts_of_a_group_and_of_the_others(posts, authors):
    top = analysis.top_groups(authors, "author", keep=2)
    named = ["Tom Arnold", "Cleo Hachem"]
    may = pd.Timestamp("2023-05-01")
    assert set(analysis.period_posts(posts, "month", may)["title"]) == titles(6)
    chosen = analysis.period_posts(
        posts, "year", "2023-01-01", long=top, column="author", group=OTHERS, named_groups=named
    )
    assert set(chosen["title"]) == titles(4, 6, 7)  # Hickson's and Hayes's posts of 2023
    chosen = analysis.period_posts(
        posts, "year", "2024-01-01", long=authors, column="author", group="Cleo Hachem"
    )
    assert set(chosen["title"]) == titles(9)


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([], []),
        ([{"customdata": ["2024-07-01", "", "month", "Jul 2024"]}], [("2024-07-01", None)]),
        ([{"customdata": ["2024-07-01", "Ann", "month", "Jul 2024"]}], [("2024-07-01", "Ann")]),
        ([{"customdata": ["2024-07-01", "", "year", "2024"]}], []),  # drawn for another period
        ([{"x": "2024-07-01"}], []),  # no customdata: not one of our charts
        ([{"customdata": ["banana", "", "month", "?"]}], []),
        (
            [
                {"customdata": ["2024-07-01", "", "month", "Jul 2024"]},
                {"customdata": ["2024-07-01", "", "month", "Jul 2024"]},
                {"customdata": ["2024-08-01", "", "month", "Aug 2024"]},
            ],
            [("2024-07-01", None), ("2024-08-01", None)],
        ),
    ],
)
def test_selected_periods(points, expected):
    got = analysis.selected_periods({"points": points}, "month")
    assert got == [(pd.Timestamp(p), g) for p, g in expected]


# --- authors ----------------------------------------------------------------------------------


def test_author_stats(authors):
    stats = analysis.author_stats(authors)
    assert stats.to_dict("records") == [
        {
            "author": "Tom Arnold",
            "posts": 4,
            "first_post": pd.Timestamp("2023-01-10"),
            "last_post": pd.Timestamp("2024-01-08"),
        },
        {
            "author": "Cleo Hachem",
            "posts": 3,
            "first_post": pd.Timestamp("2023-01-24"),
            "last_post": pd.Timestamp("2024-03-12"),
        },
        {
            "author": "James Hickson",
            "posts": 2,
            "first_post": pd.Timestamp("2023-04-03"),
            "last_post": pd.Timestamp("2023-11-20"),
        },
        {
            "author": "Joanna Hayes",
            "posts": 2,
            "first_post": pd.Timestamp("2023-05-02"),
            "last_post": pd.Timestamp("2024-06-25"),
        },
    ]


def test_author_stats_of_nobody(authors):
    assert analysis.author_stats(authors.iloc[:0]).empty


def test_unattributed(posts):
    assert analysis.unattributed(posts) == (1, 0.1)
    assert analysis.unattributed(posts.iloc[:0]) == (0, 0.0)


@pytest.mark.parametrize(
    ("bylines", "expected"),
    [
        ([["A"], ["B"]], []),
        ([["A", "B"]], [("A", "B", 1)]),
        ([["B", "A"], ["A", "B"], ["A"]], [("A", "B", 2)]),
        ([["C", "A", "B"]], [("A", "B", 1), ("A", "C", 1), ("B", "C", 1)]),
        ([["A", "B"], ["B", "C"], ["C", "B"]], [("B", "C", 2), ("A", "B", 1)]),
    ],
)
def test_coauthor_pairs(bylines, expected):
    table = pd.DataFrame(
        {"published": pd.to_datetime(["2024-01-01"] * len(bylines)), "authors": bylines}
    )
    pairs = analysis.coauthor_pairs(analysis.explode_list(table, "authors", "author"))
    assert list(pairs[["author", "coauthor", "posts"]].itertuples(index=False, name=None)) == (
        expected
    )
    assert list(pairs["pair"]) == [f"{a} & {b}" for a, b, _ in expected]


def test_coauthor_pairs_of_the_archive(authors):
    pairs = analysis.coauthor_pairs(authors)
    assert list(pairs[["author", "coauthor", "posts"]].itertuples(index=False, name=None)) == [
        ("Cleo Hachem", "Tom Arnold", 1),
        ("Joanna Hayes", "Tom Arnold", 1),
    ]


# --- topics -----------------------------------------------------------------------------------


def test_posts_without_topic_are_shown_as_unclassified(posts):
    update = posts[posts["title"] == "An update from the team"].iloc[0]
    assert update["topics"] == ["Unclassified"]  # the posts table holds [] for it
    assert posts["topics"].map(len).min() == 1


def test_topic_counts(topics):
    assert analysis.topic_counts(topics).to_dict("list") == {
        "topic": [GOVERNANCE, DEVOLUTION, HEALTH, "Unclassified"],
        "posts": [4, 3, 3, 1],
    }


def test_topic_share_over_time(posts, topics):
    table = analysis.topic_share_over_time(topics, posts, "year", start="2022-01-01")
    share = {(row.period.year, row.topic): row.share for row in table.itertuples()}
    assert share[(2023, GOVERNANCE)] == pytest.approx(4 / 7)
    assert share[(2023, HEALTH)] == pytest.approx(2 / 7)
    assert share[(2023, DEVOLUTION)] == pytest.approx(1 / 7)
    assert share[(2024, GOVERNANCE)] == 0
    assert share[(2024, HEALTH)] == pytest.approx(1 / 3)
    assert share[(2024, DEVOLUTION)] == pytest.approx(2 / 3)
    assert np.isnan(share[(2022, HEALTH)])  # no posts in 2022: no share at all
    totals = {(row.period.year): row.total for row in table.itertuples()}
    assert totals == {2022: 0, 2023: 7, 2024: 3}


def test_topic_period_matrix_keeps_empty_cells(topics):
    matrix = analysis.topic_period_matrix(topics, "year", start="2023-01-01", end="2024-12-31")
    assert list(matrix.index) == [GOVERNANCE, DEVOLUTION, HEALTH, "Unclassified"]
    assert [c.year for c in matrix.columns] == [2023, 2024]
    assert matrix.values.tolist() == [[4, 0], [1, 2], [2, 1], [1, 0]]


def test_author_topic_matrix(authors, topics):
    matrix = analysis.author_topic_matrix(authors, topics, top=3)
    assert list(matrix.index) == ["Tom Arnold", "Cleo Hachem", "James Hickson"]
    # topics by their posts among these authors: devolution 3, governance 3 (by name), health 2,
    # and James Hickson's team update, which matches no topic
    assert list(matrix.columns) == [DEVOLUTION, GOVERNANCE, HEALTH, "Unclassified"]
    assert matrix.values.tolist() == [[1, 3, 1, 0], [1, 1, 2, 0], [1, 0, 0, 1]]


def test_period_matrix_of_the_top_authors(authors):
    matrix = analysis.period_matrix(authors, "author", "year", top=2)
    assert list(matrix.index) == ["Tom Arnold", "Cleo Hachem"]
    assert matrix.values.tolist() == [[3, 1], [2, 1]]


# --- headline figures -------------------------------------------------------------------------


def test_headline_figures(posts, authors, topics):
    headline = analysis.headline_figures(posts, authors, topics, today=date(2024, 7, 5))
    assert headline == analysis.Headline(
        posts=10,
        authors=4,
        topics=3,
        posts_per_month=pytest.approx(10 / 18),
        latest=date(2024, 6, 25),
        latest_title="Summer reading",
        days_since_latest=10,
        longest_silence_days=202,
        silence_start=date(2023, 5, 2),
        silence_end=date(2023, 11, 20),
    )


def test_headline_figures_do_not_count_unclassified_as_a_topic(raw):
    table = raw.copy()
    table["topics"] = [["Unclassified"]] * 9 + [[HEALTH]]
    posts = prepare.prepare_posts(table)
    topics = analysis.explode_list(posts, "topics", "topic")
    authors = analysis.explode_list(posts, "authors", "author")
    assert analysis.headline_figures(posts, authors, topics, date(2024, 7, 5)).topics == 1


def test_headline_figures_of_one_post_and_of_none(posts, authors, topics):
    one = posts.iloc[:1]
    headline = analysis.headline_figures(one, authors.iloc[:1], topics.iloc[:1], date(2024, 7, 1))
    assert (headline.posts, headline.posts_per_month, headline.longest_silence_days) == (1, 1, None)
    empty = analysis.headline_figures(
        posts.iloc[:0], authors.iloc[:0], topics.iloc[:0], date.today()
    )
    assert (empty.posts, empty.latest, empty.posts_per_month) == (0, None, None)


def test_missing_fields(raw):
    table = raw.copy()
    table.loc[0, "url"] = "javascript:alert(1)"  # not a web link
    table.at[1, "topics"] = ["Unclassified"]
    assert analysis.missing_fields(prepare.prepare_posts(table)) == {
        "without author": 1,  # post 5
        "without URL": 2,  # post 8 has none, post 1 a javascript: one
        "without topic": 2,  # post 7 has none, post 2 only "Unclassified"
    }


def test_latest_posts(posts):
    assert list(analysis.latest_posts(posts, 3)["title"]) == [TITLES[9], TITLES[8], TITLES[7]]


# --- posts list -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "first", "last"),
    [
        ("Newest first", "Summer reading", "Notes from the spring roundtable"),
        ("Oldest first", "Notes from the spring roundtable", "Summer reading"),
        ("Title A to Z", "A year of the observatory", "What the new deal means locally"),
    ],
)
def test_sort_posts(raw, order, first, last):
    ordered = analysis.sort_posts(raw, order)
    assert (ordered["title"].iloc[0], ordered["title"].iloc[-1]) == (first, last)


@pytest.mark.parametrize(
    ("rows", "per_page", "pages"), [(0, 100, 1), (1, 100, 1), (100, 100, 1), (101, 100, 2)]
)
def test_page_count(rows, per_page, pages):
    assert analysis.page_count(rows, per_page) == pages


@pytest.mark.parametrize(
    ("page", "expected"), [(1, [0, 1, 2, 3]), (3, [8, 9]), (9, [8, 9]), (0, [0, 1, 2, 3])]
)
def test_page_of(posts, page, expected):
    assert list(analysis.page_of(posts, page, 4).index) == expected


def test_posts_page_table_links_only_web_addresses(raw):
    table = raw.copy()
    table.loc[0, "url"] = "javascript:alert(1)"
    shown = display.posts_page_table(table)
    assert list(shown.columns) == ["published", "title", "authors", "topics", "link"]
    assert pd.isna(shown["link"].iloc[0])
    assert shown["link"].iloc[1] == "https://blog.example.org/posts/five-charts"
    assert pd.isna(shown["link"].iloc[7])  # post 8 has no URL


def test_posts_parquet_round_trips(posts):
    back = from_arrow(pq.read_table(io.BytesIO(export.posts_parquet(posts))))
    assert len(back) == 10
    assert back["authors"].iloc[0] == ["Joanna Hayes"]
    assert back["published"].iloc[0] == pd.Timestamp("2024-06-25")


def test_posts_csv_joins_lists(posts):
    text = export.posts_csv(posts).decode("utf-8")
    back = pd.read_csv(io.StringIO(text))
    assert len(back) == 10
    assert "Tom Arnold; Cleo Hachem" in set(back["authors"])
    assert back["published"].iloc[0] == "2024-06-25"


# --- safe text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://blog.example.org/a", "https://blog.example.org/a"),
        ("HTTP://EXAMPLE.ORG/A?b=1#c", "HTTP://EXAMPLE.ORG/A?b=1#c"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("java\nscript:alert(1)", None),
        (" https://example.org", None),
        ("https://example.org/a b", None),
        ("https://", None),
        ("//example.org/a", None),
        ("ftp://example.org/a", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_web_url(value, expected):
    assert schema.web_url(value) == expected
    column = schema.web_urls(pd.Series([value], dtype=object))
    assert (None if pd.isna(column.iloc[0]) else column.iloc[0]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain words", "Plain words"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
        ("<img src=x onerror=alert(1)>", r"\<img src\=x onerror\=alert\(1\)\>"),
        ("**not bold** _nor this_", r"\*\*not bold\*\* \_nor this\_"),
        (":red[not red] $x^2$", r"\:red\[not red\] \$x\^2\$"),
        ("# not a heading", r"\# not a heading"),
        ("1. not a list", r"1\. not a list"),
        ("&lt; stays an entity", r"\&lt\; stays an entity"),
        ("back\\slash", r"back\\slash"),
        ("line\nbreak", "line break"),
    ],
)
def test_escape_markdown(text, expected):
    assert display.escape_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        ("Title", "https://x.org/a", "[Title](<https://x.org/a>)"),
        ("[x](y)", "https://x.org/a", r"[\[x\]\(y\)](<https://x.org/a>)"),
        ("Title", "javascript:alert(1)", "Title"),
        ("Title", None, "Title"),
        ("T", "https://x.org/a>b<c", "[T](<https://x.org/a%3Eb%3Cc>)"),
        ("T", "https://x.org/it's(1)", "[T](<https://x.org/it's(1)>)"),
    ],
)
def test_markdown_link(text, url, expected):
    assert display.markdown_link(text, url) == expected


def test_post_list_markdown(posts):
    lines = display.post_list_markdown(posts.iloc[[0, 2, 5]]).splitlines()
    assert lines == [
        "- 25 Jun 2024 · [Summer reading](<https://blog.example.org/posts/summer-reading>)"
        " · Joanna Hayes",
        r"- 8 Jan 2024 · Looking back\, looking ahead · Tom Arnold",  # no URL: no link
        "- 18 Apr 2023 · [A year of the observatory]"
        "(<https://blog.example.org/posts/observatory-year>) · no author named",
    ]


def random_archive(seed: int, posts: int = 300) -> pd.DataFrame:
    """Posts with random bylines (0 to 4 names) and topics (0 to 3), for cross-checks."""
    rng = np.random.default_rng(seed)
    names, themes = [f"Author {c}" for c in "ABCDEFGHIJ"], [f"Topic {c}" for c in "PQRSTU"]
    return pd.DataFrame(
        {
            "published": pd.to_datetime("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 900, posts), unit="D"),
            "authors": [
                list(rng.choice(names, rng.integers(0, 5), replace=False)) for _ in range(posts)
            ],
            "topics": [
                list(rng.choice(themes, rng.integers(0, 4), replace=False)) for _ in range(posts)
            ],
        }
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_coauthor_pairs_agree_with_counting_each_post(seed):
    table = random_archive(seed)
    expected: dict[tuple[str, str], int] = {}
    for byline in table["authors"]:
        for i, first in enumerate(byline):
            for second in byline[i + 1 :]:
                key = tuple(sorted((first, second)))
                expected[key] = expected.get(key, 0) + 1
    pairs = analysis.coauthor_pairs(analysis.explode_list(table, "authors", "author"))
    assert {
        (a, b): n
        for a, b, n in pairs[["author", "coauthor", "posts"]].itertuples(index=False, name=None)
    } == expected


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_author_topic_matrix_agrees_with_counting_each_post(seed):
    table = random_archive(seed)
    authors = analysis.explode_list(table, "authors", "author")
    topics = analysis.explode_list(table, "topics", "topic")
    matrix = analysis.author_topic_matrix(authors, topics, top=4)
    for author in matrix.index:
        for topic in matrix.columns:
            expected = sum(
                author in a and topic in t
                for a, t in zip(table["authors"], table["topics"], strict=True)
            )
            assert matrix.loc[author, topic] == expected, (author, topic)


SORT_ARGS = {  # the orders, written out again for pandas
    "Newest first": (["published", "title"], [False, True]),
    "Oldest first": (["published", "title"], [True, True]),
    "Title A to Z": (["title", "published"], [True, False]),
}


@pytest.mark.parametrize("order", list(analysis.SORT_ORDERS))
def test_a_filtered_page_in_the_whole_tables_order_is_the_page_of_the_sorted_view(raw, order):
    posts = prepare.prepare_posts(raw)
    positions = analysis.sort_positions(posts, order)
    view = posts[posts["title"].str.len() % 2 == 0]  # any subset of the posts
    for page in (1, 2, 3):
        columns, ascending = SORT_ARGS[order]
        expected = analysis.page_of(
            view.sort_values(columns, ascending=ascending, kind="stable"), page, 3
        )
        assert list(analysis.page_in_order(view, positions, page, 3).index) == list(expected.index)


def test_filter_names_are_alphabetical_ignoring_case_with_unclassified_last():
    authors = pd.Series(["bea Lo", "Al Ng", "Cy Oh", "Al Ng"], dtype="category")
    topics = pd.Series(["Unclassified", "health", "Devolution"], dtype="category")
    assert analysis.filter_names(authors, topics) == (
        ("Al Ng", "bea Lo", "Cy Oh"),
        ("Devolution", "health", "Unclassified"),
    )
