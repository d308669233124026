"""Decoding bytes and reading dates."""

from datetime import date

import pandas as pd
import pytest

from dashboard.load import LoadError
from dashboard.load.text import decode, parse_date_text, parse_dates

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
