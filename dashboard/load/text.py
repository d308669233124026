"""Bytes to text, and text values to dates: the small parsers every reader shares."""

from __future__ import annotations

import codecs
import json
import math
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.load.report import LoadError

# Years outside this range are typing errors or placeholders, not publication dates.
FIRST_YEAR, LAST_YEAR = 1900, 2100
# A number this large or larger is a Unix time (3 March 1973 on); smaller numbers are not dates,
# except the forms of digits ``parse_date_text`` reads (``20240718``). One this large is
# milliseconds: in seconds it would be after the year 5000.
EPOCH_FROM, MILLISECONDS_FROM = 1e8, 1e11
_EPOCH_DAY = date(1970, 1, 1).toordinal()
_FIRST_DAY = date(FIRST_YEAR, 1, 1).toordinal() - _EPOCH_DAY  # days since 1970, as Unix time
_LAST_DAY = date(LAST_YEAR, 12, 31).toordinal() - _EPOCH_DAY
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d*)?$")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # "\ud800" ... "\udfff" in JSON text
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]|$)")
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"^\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_TEXT_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d/%m/%Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%Y%m%d",
)


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Raises LoadError for binary content, which no text reader could use.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as error:
                raise LoadError(f"not valid {encoding.upper()} text ({error.reason})") from None
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Windows-1252 leaves five bytes undefined; Latin-1 maps every byte, so fall back.
            text = (
                data.decode("cp1252", errors="ignore")
                if _is_cp1252(data)
                else data.decode("latin-1")
            )
    sample = text[:4096]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        raise LoadError("binary content, not text")
    return text


def json_value(text: str):
    """``json.loads``, with each lone surrogate (an escape such as ``"\\ud800"`` without its pair),
    which no UTF-8 text can hold, replaced by U+FFFD. Raises what ``json.loads`` raises."""
    value = json.loads(text)
    return _without_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value


def _without_surrogates(value):
    """A parsed JSON value with every lone surrogate replaced, one container at a time (no
    recursion: ``json.loads`` takes nesting deeper than a recursive walk could)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    pending = [value]
    while pending:
        container = pending.pop()
        if isinstance(container, dict):  # keys may hold one too; rebuilt in the same order
            items = [(_SURROGATE.sub("\ufffd", k), v) for k, v in container.items()]
            container.clear()
            container.update(items)
            keys = list(container)
        else:
            keys = range(len(container)) if isinstance(container, list) else []
        for key in keys:
            item = container[key]
            if isinstance(item, str):
                container[key] = _SURROGATE.sub("\ufffd", item)
            elif isinstance(item, list | dict):
                pending.append(item)
    return value


def _is_cp1252(data: bytes) -> bool:
    return not any(b in data for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d"))


def parse_date_text(value: str) -> date | None:
    """One date from the forms blogs use: ISO 8601, RFC 822, ``18 July 2024``, ``July 18, 2024``,
    and Unix time in seconds or milliseconds (``1721260800``, see ``epoch_date``).

    The calendar date is the one the source states, in its own time zone (no conversion).
    Numeric day/month dates are read day first, as UK sources write them.
    """
    text = value.strip()
    if not text:
        return None
    if _NUMBER.match(text) and abs(number := float(text)) >= EPOCH_FROM:
        return epoch_date(number)
    match = _ISO.match(text)
    if match:
        return _checked(*map(int, match.groups()))
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return _checked(parsed.year, parsed.month, parsed.day)
    cleaned = _WEEKDAY.sub("", _ORDINAL.sub(r"\1", text)).replace(",", " ")
    cleaned = " ".join(cleaned.split())
    for fmt in _TEXT_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return _checked(parsed.year, parsed.month, parsed.day)
    return None


def epoch_date(number: float) -> date | None:
    """The UTC calendar date of a Unix time: seconds, or milliseconds when the number is too
    large for seconds (``MILLISECONDS_FROM``); None outside FIRST_YEAR-LAST_YEAR."""
    if not math.isfinite(number):
        return None
    seconds = number / 1000 if abs(number) >= MILLISECONDS_FROM else number
    days = math.floor(seconds / 86400)
    if not _FIRST_DAY <= days <= _LAST_DAY:
        return None
    return date.fromordinal(_EPOCH_DAY + days)


def _checked(year: int, month: int, day: int) -> date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates as ``datetime64[ns]`` at midnight; NaT where a value is missing or unreadable.

    Vectorised for the common cases (datetimes, ISO strings, Unix times in a numeric column);
    every other distinct value is parsed once with ``parse_date_text``, as text.
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_localize(None)
        years = values.dt.year
        in_range = (years >= FIRST_YEAR) & (years <= LAST_YEAR)
        return values.where(in_range).dt.normalize().astype("datetime64[ns]")
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    present = values.notna()
    if not present.any():
        return result
    texts = values[present]
    if pd.api.types.is_numeric_dtype(texts.dtype) and not pd.api.types.is_bool_dtype(texts.dtype):
        numbers = texts.to_numpy(dtype="float64", na_value=np.nan)
        epoch = np.abs(numbers) >= EPOCH_FROM
        result.loc[texts.index[epoch]] = epoch_dates(numbers[epoch])
        texts = texts[~epoch]  # small numbers: read as text, as before (20240718)
        if not len(texts):
            return result
    if not pd.api.types.is_string_dtype(texts.dtype) or texts.dtype == object:
        texts = texts.map(_as_text)
    texts = texts.astype("string[pyarrow]")
    iso = pc.match_substring_regex(pa.array(texts.array), r"^\s*\d{4}-\d{2}-\d{2}(?:[T\s]|$)")
    iso = pd.Series(pc.fill_null(iso, False).to_numpy(zero_copy_only=False), index=texts.index)
    if iso.any():
        stamps = pd.to_datetime(
            texts[iso].str.strip().str.slice(0, 10), format="%Y-%m-%d", errors="coerce"
        )
        years = stamps.dt.year
        stamps = stamps.where((years >= FIRST_YEAR) & (years <= LAST_YEAR))
        result.loc[stamps.index] = stamps.astype("datetime64[ns]")
    rest = texts[~iso]
    if len(rest):
        lookup = {text: parse_date_text(text) for text in rest.unique()}
        parsed = pd.to_datetime(rest.map(lookup), errors="coerce")
        result.loc[rest.index] = parsed.astype("datetime64[ns]")
    return result


def epoch_dates(numbers: np.ndarray) -> np.ndarray:
    """``epoch_date`` of every number, as ``datetime64[ns]`` (NaT outside the years)."""
    with np.errstate(invalid="ignore", over="ignore"):
        seconds = np.where(np.abs(numbers) >= MILLISECONDS_FROM, numbers / 1000, numbers)
        days = np.floor(seconds / 86400)
    good = np.isfinite(days) & (days >= _FIRST_DAY) & (days <= _LAST_DAY)
    stamps = np.full(len(numbers), np.datetime64("NaT"), dtype="datetime64[ns]")
    stamps[good] = days[good].astype("int64").astype("datetime64[D]").astype("datetime64[ns]")
    return stamps


def _as_text(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
