"""Coverage gaps on a constructed archive whose gaps are known by hand."""

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.analysis import explode_list
from dashboard.coverage import Coverage
from dashboard.gaps import (
    ThresholdError,
    captured_shares,
    check_threshold,
    compare_periods,
    compared_spans,
    default_threshold,
    last_activity,
    period_bounds,
    silent_periods,
    single_author_topics,
    target_shortfalls,
)

ARCHIVE = [
    # title, published, authors, topics
    ("A", "2024-01-01", ["Ann"], ["Housing"]),
    ("B", "2024-01-05", ["Ann", "Bo"], ["Housing", "Transport"]),
    ("C", "2024-01-05", ["Bo"], ["Transport"]),
    ("D", "2024-02-04", ["Ann"], ["Housing"]),
    ("E", "2024-02-10", ["Di"], ["Health"]),
    ("F", "2024-05-10", ["Cy"], ["Housing"]),
]


def archive(rows=ARCHIVE):
    return pd.DataFrame(
        {
            "title": [r[0] for r in rows],
            "published": pd.to_datetime([r[1] for r in rows]),
            "url": [f"https://example.org/{r[0].lower()}" for r in rows],
            "authors": [r[2] for r in rows],
            "topics": [r[3] for r in rows],
        }
    )


def topics_long(posts):
    return explode_list(posts, "topics", "topic")


def authors_long(posts):
    return explode_list(posts, "authors", "author")


def test_default_threshold_is_twice_the_median_interval_between_publishing_days():
    # distinct days 1 Jan, 5 Jan, 4 Feb, 10 Feb, 10 May: intervals 4, 30, 6, 90 -> median 18
    assert default_threshold(archive()) == 36


def test_silent_periods_longest_first_with_neighbours_and_current_silence():
    gaps = silent_periods(archive(), 20, until=date(2024, 6, 30))
    assert gaps[["days", "current", "before_title", "after_title"]].values.tolist() == [
        [90, False, "E", "F"],
        [51, True, "F", None],  # 10 May to 30 June, still going
        [30, False, "C", "D"],  # two posts on 5 Jan: the gap starts after the later title
    ]
    assert gaps["start"].tolist() == [
        pd.Timestamp("2024-02-10"),
        pd.Timestamp("2024-05-10"),
        pd.Timestamp("2024-01-05"),
    ]
    assert gaps["after_url"].iloc[0] == "https://example.org/f"


def test_a_gap_equal_to_the_threshold_is_not_a_gap():
    assert silent_periods(archive(), 90, until=date(2024, 5, 10)).empty


def test_single_post_has_only_the_current_silence():
    gaps = silent_periods(archive(ARCHIVE[:1]), 5, until=date(2024, 1, 11))
    assert gaps[["days", "current", "before_title"]].values.tolist() == [[10, True, "A"]]


def test_empty_filter_result_has_no_gaps():
    assert silent_periods(archive([]), 5, until=date(2024, 1, 11)).empty


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0, "at least one day"),
        (-3, "at least one day"),
        ("soon", "number of days"),
        (1e9, "at most 36,500 days"),
        (float("nan"), "at least one day"),
    ],
)
def test_unusable_thresholds_give_a_clear_message(value, message):
    with pytest.raises(ThresholdError, match=message):
        check_threshold(value)
    with pytest.raises(ThresholdError):
        silent_periods(archive(), value, until=date(2024, 6, 30))


def test_dormant_and_never_covered_topics():
    posts = archive()
    table = last_activity(
        topics_long(posts),
        posts,
        "topic",
        date(2024, 6, 30),
        60,
        every=["Housing", "Transport", "Health", "Culture"],
    )
    assert table[["topic", "posts", "days_since", "status"]].astype(object).values.tolist() == [
        ["Culture", 0, pd.NA, "never"],
        ["Transport", 2, 177, "dormant"],
        ["Health", 1, 141, "dormant"],
        ["Housing", 4, 51, "active"],
    ]
    assert table.loc[table["topic"] == "Housing", "last_title"].item() == "F"


def test_dormant_authors():
    posts = archive()
    table = last_activity(authors_long(posts), posts, "author", date(2024, 6, 30), 100)
    assert table[["author", "days_since", "status"]].values.tolist() == [
        ["Bo", 177, "dormant"],
        ["Ann", 147, "dormant"],
        ["Di", 141, "dormant"],
        ["Cy", 51, "active"],
    ]


def test_topics_covered_by_a_single_author():
    posts = archive()
    table = single_author_topics(topics_long(posts), authors_long(posts))
    assert table.values.tolist() == [["Health", "Di", 1]]


@pytest.mark.parametrize(
    ("period", "at", "first", "last"),
    [
        ("month", date(2024, 2, 15), "2024-02-01", "2024-02-29"),
        ("quarter", date(2024, 5, 20), "2024-04-01", "2024-06-30"),
        ("year", date(2024, 5, 20), "2024-01-01", "2024-12-31"),
    ],
)
def test_period_bounds(period, at, first, last):
    assert period_bounds(period, at) == (pd.Timestamp(first), pd.Timestamp(last))


def test_month_compared_with_previous_and_a_year_earlier():
    table = compare_periods(topics_long(archive()), "topic", "month", date(2024, 2, 15))
    assert table.values.tolist() == [
        ["Health", 1, 0, 1, 0, 1],
        ["Housing", 1, 2, -1, 0, 1],
        ["Transport", 0, 2, -2, 0, 0],
    ]


def test_quarter_compared_by_author():
    table = compare_periods(authors_long(archive()), "author", "quarter", date(2024, 5, 20))
    assert table.values.tolist() == [
        ["Cy", 1, 0, 1, 0, 1],
        ["Ann", 0, 3, -3, 0, 0],
        ["Bo", 0, 2, -2, 0, 0],
        ["Di", 0, 1, -1, 0, 0],
    ]


def test_targets_largest_shortfall_first():
    settings = {
        "Housing": {"target_share": 0.5},
        "Transport": {"target_share": 0.5, "cadence_days": 30},
        "Culture": {"cadence_days": 90},
        "Health": {},
    }
    table = target_shortfalls(topics_long(archive()), 6, settings, date(2024, 6, 30))
    assert table["topic"].tolist() == ["Culture", "Transport", "Housing"]
    culture, transport, housing = table.to_dict("records")
    assert math.isinf(culture["shortfall"]) and not culture["met"]
    assert transport["actual_share"] == pytest.approx(2 / 6)
    assert transport["days_overdue"] == 147  # 177 days since 5 January, cadence 30
    assert transport["shortfall"] == pytest.approx(147 / 30)
    assert housing["actual_share"] == pytest.approx(4 / 6) and housing["met"]


NAMES = ["Ann", "Bo", "Cy", "Di"]
random_archives = st.lists(
    st.tuples(
        st.dates(date(2024, 1, 1), date(2024, 1, 8)),
        st.lists(st.sampled_from(NAMES), unique=True, max_size=3),
        st.lists(st.sampled_from(["Housing", "Health"]), unique=True, max_size=2),
    ),
    min_size=1,
    max_size=12,
)


@given(random_archives)
@settings(max_examples=150, deadline=None)
def test_last_activity_and_single_authors_agree_with_a_loop_over_posts(rows):
    # Posts newest first, as the dashboard holds them; ties on a day keep their order.
    rows = sorted(rows, key=lambda r: r[0], reverse=True)
    posts = archive([(f"T{i}", day.isoformat(), a, t) for i, (day, a, t) in enumerate(rows)])
    expected = {}
    for i, (day, names, _) in enumerate(rows):
        for name in names:  # posts, first day, last day, and the latest post (the last listed)
            count, first, last, title = expected.get(name, (0, day, day, f"T{i}"))
            latest = f"T{i}" if day >= last else title
            expected[name] = (count + 1, min(first, day), max(last, day), latest)
    table = last_activity(authors_long(posts), posts, "author", date(2024, 1, 8), 3)
    got = {
        r.author: (r.posts, r.first.date(), r.last.date(), r.last_title) for r in table.itertuples()
    }
    assert got == expected
    single = {}
    for _, names, topics in rows:
        for topic in topics:
            if names:
                single.setdefault(topic, set()).update(names)
    table = single_author_topics(topics_long(posts), authors_long(posts))
    assert {r.topic: r.author for r in table.itertuples()} == {
        t: next(iter(n)) for t, n in single.items() if len(n) == 1
    }


# The case to meet: a feed of ten posts (1 March to 26 June 2024, built 2 July 2024) and one
# article page of 1 March 2021. Coverage: the article's day, and the feed up to its build date.
FEED_DAYS = [
    "2024-03-01", "2024-03-15", "2024-03-29", "2024-04-12", "2024-04-26",
    "2024-05-10", "2024-05-24", "2024-06-07", "2024-06-21", "2024-06-26",
]  # fmt: skip
PARTIAL = [("Old", "2021-03-01", ["Ann"], ["Housing"])] + [
    (f"Feed {n}", day, ["Bo"], ["Transport"]) for n, day in enumerate(FEED_DAYS)
]
CAPTURED = Coverage(
    date(2024, 7, 2),
    ((date(2021, 3, 1), date(2021, 3, 1)), (date(2024, 3, 1), date(2024, 7, 2))),
)


def test_silences_are_found_only_inside_captured_periods():
    posts = archive(PARTIAL)
    spells = silent_periods(posts, 5, until=date(2024, 7, 2), coverage=CAPTURED)
    # eight fortnights between feed posts, and the current silence of 6 days; the three years
    # between the article and the feed were not captured, so they are no silence
    assert spells["days"].tolist() == [14] * 8 + [6]
    current = spells[spells["current"]].iloc[0]
    assert (current["start"], current["end"]) == (
        pd.Timestamp("2024-06-26"),
        pd.Timestamp("2024-07-02"),
    )
    assert spells["start"].min() == pd.Timestamp("2024-03-01")
    # without the coverage the uncaptured years read as a silence of 1,096 days
    blind = silent_periods(posts, 5, until=date(2024, 7, 2))
    assert blind["days"].iloc[0] == 1096


def test_a_current_silence_into_uncaptured_time_is_not_a_silence():
    posts = archive(PARTIAL)
    later = silent_periods(posts, 5, until=date(2024, 7, 10), coverage=CAPTURED)
    assert not later["current"].any()  # 3 to 10 July were not captured
    assert silent_periods(posts, 5, until=date(2024, 7, 10))["current"].any()


def test_dormancy_says_whether_the_time_since_was_captured():
    posts = archive(PARTIAL)
    table = last_activity(
        authors_long(posts), posts, "author", date(2024, 7, 2), 30, coverage=CAPTURED
    ).set_index("author")
    assert table.loc["Ann", "days_since"] == 1219  # 1 March 2021 to 2 July 2024
    assert table.loc["Ann", "status"] == "not captured"
    assert not table.loc["Ann", "since_captured"]
    assert table.loc["Bo", "status"] == "active" and table.loc["Bo", "since_captured"]
    blind = last_activity(authors_long(posts), posts, "author", date(2024, 7, 2), 30)
    assert blind.set_index("author").loc["Ann", "status"] == "dormant"


def test_captured_shares_of_the_compared_periods():
    spans = compared_spans("quarter", date(2024, 7, 2))
    shares = captured_shares(CAPTURED, spans, date(2024, 7, 2))
    # Q3 2024 up to 2 July: both days; Q2 2024: all of it; Q3 2023: none
    assert shares == {"current": 1.0, "previous": 1.0, "year_ago": 0.0}
    march = captured_shares(CAPTURED, compared_spans("month", date(2021, 3, 31)), date(2024, 7, 2))
    assert march["current"] == pytest.approx(1 / 31)
