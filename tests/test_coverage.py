"""Coverage: windows merged, what they leave uncaptured, and how a table stores them."""

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.coverage import AS_OF_KEY, WINDOWS_KEY, Coverage, day_windows, merge_windows

D = date.fromisoformat


def days(*pairs):
    return tuple((D(a), D(b)) for a, b in pairs)


@pytest.mark.parametrize(
    ("windows", "merged"),
    [
        ([], ()),
        (days(("2024-03-01", "2024-03-10")), days(("2024-03-01", "2024-03-10"))),
        # overlapping, then touching (the 11th follows the 10th), then apart
        (
            days(("2024-03-05", "2024-03-20"), ("2024-03-01", "2024-03-10")),
            days(("2024-03-01", "2024-03-20")),
        ),
        (
            days(("2024-03-01", "2024-03-10"), ("2024-03-11", "2024-03-12")),
            days(("2024-03-01", "2024-03-12")),
        ),
        (
            days(("2024-03-14", "2024-03-14"), ("2024-03-01", "2024-03-12")),
            days(("2024-03-01", "2024-03-12"), ("2024-03-14", "2024-03-14")),
        ),
        (days(("2024-03-10", "2024-03-01")), ()),  # an inverted window covers nothing
    ],
)
def test_merge_windows(windows, merged):
    assert merge_windows(windows) == merged


def test_day_windows_join_consecutive_days():
    found = day_windows([D("2024-01-03"), D("2024-01-01"), D("2024-01-02"), D("2024-01-09")])
    assert found == days(("2024-01-01", "2024-01-03"), ("2024-01-09", "2024-01-09"))
    assert day_windows([]) == ()


FEED_AND_ARTICLE = Coverage(
    D("2024-07-02"), days(("2024-03-01", "2024-07-02"), ("2021-03-01", "2021-03-01"))
)


def test_uncaptured_stretches_inside_a_range():
    assert FEED_AND_ARTICLE.uncaptured(D("2021-01-01"), D("2024-12-31")) == days(
        ("2021-01-01", "2021-02-28"), ("2021-03-02", "2024-02-29"), ("2024-07-03", "2024-12-31")
    )
    assert FEED_AND_ARTICLE.uncaptured(D("2024-04-01"), D("2024-06-30")) == ()
    assert FEED_AND_ARTICLE.complete(D("2024-03-01"), D("2024-07-02"))
    assert not FEED_AND_ARTICLE.complete(D("2024-02-29"), D("2024-07-02"))


def test_captured_days():
    # March 2021: only the 1st; 2024-02-28 .. 2024-03-02: the 1st and 2nd of March
    assert FEED_AND_ARTICLE.captured_days(D("2021-03-01"), D("2021-03-31")) == 1
    assert FEED_AND_ARTICLE.captured_days(D("2024-02-28"), D("2024-03-02")) == 2
    assert FEED_AND_ARTICLE.captured_days(D("2024-03-02"), D("2024-03-01")) == 0


def test_merging_two_archives_takes_the_later_date_and_both_windows():
    older = Coverage(D("2021-03-01"), days(("2021-03-01", "2021-03-01")))
    feed = Coverage(D("2024-07-02"), days(("2024-03-01", "2024-07-02")))
    assert older.merged(feed) == FEED_AND_ARTICLE
    assert Coverage().merged(feed) == feed


def test_metadata_round_trip_and_unreadable_metadata():
    stored = FEED_AND_ARTICLE.to_metadata()
    assert stored[AS_OF_KEY] == b"2024-07-02"
    assert stored[WINDOWS_KEY] == b'[["2021-03-01", "2021-03-01"], ["2024-03-01", "2024-07-02"]]'
    assert Coverage.from_metadata(stored) == FEED_AND_ARTICLE
    assert Coverage.from_metadata({}) is None
    assert Coverage.from_metadata({WINDOWS_KEY: b"[[1, 2]]"}) is None
    assert Coverage.from_metadata({WINDOWS_KEY: b"not json"}) is None


def day_numbers(*values):
    return np.array([np.datetime64(v, "D").astype(np.int64) for v in values])


def test_covers_and_covered_counts_agree_with_the_plain_definitions():
    coverage = FEED_AND_ARTICLE
    firsts = day_numbers("2021-03-01", "2021-03-01", "2024-03-05", "2024-06-30", "2020-01-01")
    lasts = day_numbers("2021-03-01", "2021-03-02", "2024-07-02", "2024-07-03", "2019-01-01")
    assert coverage.covers(firsts, lasts).tolist() == [True, False, True, False, True]
    # 1; 1 of 2; 120 of 120; 3 of 4; an empty range: 0
    assert coverage.covered_counts(firsts, lasts).tolist() == [1, 1, 120, 3, 0]
    assert Coverage().covers(firsts, lasts).tolist() == [False] * 4 + [True]
    assert Coverage().covered_counts(firsts, lasts).tolist() == [0] * 5


@settings(max_examples=200, deadline=None)
@given(
    windows=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10)), max_size=6),
    ranges=st.lists(st.tuples(st.integers(-5, 75), st.integers(-1, 30)), min_size=1, max_size=8),
)
def test_vectorised_checks_agree_with_one_range_at_a_time(windows, ranges):
    origin = date(2024, 1, 1)
    coverage = Coverage(
        None, tuple((origin + timedelta(a), origin + timedelta(a + n)) for a, n in windows)
    )
    firsts = [origin + timedelta(a) for a, _ in ranges]
    lasts = [first + timedelta(n) for first, (_, n) in zip(firsts, ranges, strict=True)]
    vector_firsts = np.array(firsts, dtype="datetime64[D]").astype(np.int64)
    vector_lasts = np.array(lasts, dtype="datetime64[D]").astype(np.int64)
    assert coverage.covers(vector_firsts, vector_lasts).tolist() == [
        coverage.complete(a, b) for a, b in zip(firsts, lasts, strict=True)
    ]
    assert coverage.covered_counts(vector_firsts, vector_lasts).tolist() == [
        coverage.captured_days(a, b) for a, b in zip(firsts, lasts, strict=True)
    ]
