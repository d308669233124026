"""Decoding bytes and reading dates."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.load import LoadError
from dashboard.load.text import decode, epoch_date, parse_date_text, parse_dates

TEXT = "Posted on: 18 July 2024 – Zoë’s “levelling up” café"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM, little-endian here
        b"\xfe\xff" + TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8 BOM", "utf-16", "utf-16-be BOM", "windows-1252"],
)
def test_decode_every_supported_encoding(data):
    assert decode(data) == TEXT


def test_decode_rejects_binary():
    with pytest.raises(LoadError, match="binary"):
        decode(bytes(range(256)) * 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18 July 2024", date(2024, 7, 18)),
        ("1st March 2022", date(2022, 3, 1)),
        ("8 Mar 2022", date(2022, 3, 8)),
        ("July 18, 2024", date(2024, 7, 18)),
        ("Thu, 18 Jul 2024 23:30:00 -0500", date(2024, 7, 18)),  # not moved to 19 July UTC
        ("Fri, 19 Jul 2024 00:30:00 +0100", date(2024, 7, 19)),  # not moved to 18 July UTC
        ("2024-07-18T23:30:00-05:00", date(2024, 7, 18)),
        ("2024-07-19T00:10:00+01:00", date(2024, 7, 19)),
        ("2024-07-18", date(2024, 7, 18)),
        ("2024-07-18 09:00:00", date(2024, 7, 18)),
        ("18/07/2024", date(2024, 7, 18)),  # day first, as UK sources write
        ("Thursday, 18 July 2024", date(2024, 7, 18)),
        ("31 February 2024", None),
        ("2024-13-01", None),
        ("banana", None),
        ("", None),
        ("18 July 1066", None),  # out of range: a typing error, not a post date
        # Unix time: the UTC calendar date, in seconds or (past 1e11) milliseconds
        ("1721260800", date(2024, 7, 18)),
        ("1721347199", date(2024, 7, 18)),  # 23:59:59 UTC
        ("1721347200", date(2024, 7, 19)),
        ("1704065400.5", date(2023, 12, 31)),
        ("1721260800000", date(2024, 7, 18)),
        ("-1000000000", date(1938, 4, 24)),
        ("99999999999", None),  # seconds in the year 5138
        ("9999999999999999", None),  # milliseconds in the year 318857
        ("20240718", date(2024, 7, 18)),  # eight digits are still a date written YYYYMMDD
        ("1234567", None),  # too small for a Unix time of the years read
    ],
)
def test_parse_date_text(text, expected):
    assert parse_date_text(text) == expected


def test_parse_dates_vectorised_matches_the_single_value_parser():
    values = pd.Series(["2024-07-18T23:30:00-05:00", "18 July 2024", None, "nope", "2024-02-30"])
    parsed = parse_dates(values)
    assert parsed.dtype == "datetime64[ns]"
    assert parsed.iloc[0] == pd.Timestamp("2024-07-18")
    assert parsed.iloc[1] == pd.Timestamp("2024-07-18")
    assert parsed.iloc[2:].isna().all()


def test_parse_dates_keeps_wall_clock_date_of_aware_timestamps():
    values = pd.Series(pd.to_datetime(["2024-07-18T23:30:00-05:00"], utc=False))
    assert parse_dates(values).iloc[0] == pd.Timestamp("2024-07-18")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1721260800, date(2024, 7, 18)),
        (1721260800.999, date(2024, 7, 18)),
        (1721260800000, date(2024, 7, 18)),
        (-2208988800, date(1900, 1, 1)),
        (-2208988801, None),
        (4133980799, date(2100, 12, 31)),
        (4133980800, None),
        (float("nan"), None),
        (float("inf"), None),
    ],
)
def test_epoch_date(number, expected):
    assert epoch_date(number) == expected


def test_parse_dates_reads_unix_times_in_numeric_and_mixed_columns():
    seconds = pd.Series([1721260800, 1704067200, None])  # float64, with NaN
    assert parse_dates(seconds).dt.date.tolist()[:2] == [date(2024, 7, 18), date(2024, 1, 1)]
    mixed = pd.Series([1721260800000, "2024-07-01", "1709641800", True], dtype=object)
    assert parse_dates(mixed).tolist()[:3] == [
        pd.Timestamp("2024-07-18"),
        pd.Timestamp("2024-07-01"),
        pd.Timestamp("2024-03-05"),
    ]
    assert parse_dates(mixed).isna().tolist() == [False, False, False, True]


INTEGERS = st.integers(-(10**17), 10**17) | st.integers(19000101, 21001231)


@settings(max_examples=200, deadline=None)
@given(st.lists(INTEGERS, max_size=20))
def test_an_integer_column_gives_what_each_number_as_text_gives(numbers):
    parsed = parse_dates(pd.Series(numbers, dtype="int64"))
    assert [None if pd.isna(v) else v.date() for v in parsed] == [
        parse_date_text(str(n)) for n in numbers
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats() | INTEGERS.map(float), max_size=20))
def test_a_float_column_gives_what_each_number_as_text_gives(numbers):
    parsed = parse_dates(pd.Series(numbers, dtype="float64"))
    assert parsed.dtype == np.dtype("datetime64[ns]")
    assert [None if pd.isna(v) else v.date() for v in parsed] == [
        None if n != n else parse_date_text(str(n)) for n in numbers
    ]
