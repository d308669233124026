"""Records to clean rows: plain text, calendar dates, absolute http(s) URLs, lists of strings.

Works on a whole records frame at once (one per source), so that a large CSV is normalised with
vectorised string operations rather than a Python loop per row. Rows that cannot be posts are
rejected with the reason; fields that cannot be kept are dropped and reported.
"""

from __future__ import annotations

import html
import html.entities
import json
import re
from urllib.parse import urljoin, urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.load.report import Problem
from dashboard.load.text import json_value, parse_dates
from dashboard.schema import (
    LIST_TYPE,
    first_of_pairs,
    grouped_lists,
    list_series,
    replace_rows,
    string_array,
)

RECORD_COLUMNS = (
    "title",
    "published",
    "url",
    "summary",
    "authors",
    "topics",
    "tags",
    "source",
    "kind",
    "position",
)
STRING = "string[pyarrow]"
# Every Unicode space, spelt out: RE2's \s misses some, and pandas would then fall back to
# Python's re, row by row.
_SPACE_CLASS = (
    r"\t\n\x{0b}\f\r \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{3000}"
)
SPACES = f"[{_SPACE_CLASS}]+"
ODD_SPACES = f"[{_SPACE_CLASS.replace(' ', '')}]|  "  # anything but single plain spaces
# A value with any of these needs cleaning: a tag or entity, odd spaces, or something at either
# end that trimming could remove (every kind of space is a separator or a control character).
NEEDS_CLEANING = f"[<&]|{ODD_SPACES}|^[\\p{{Z}}\\p{{C}}]|[\\p{{Z}}\\p{{C}}]$"
# An absolute http(s) address that needs no closer look (others are checked one by one).
WEB_ADDRESS = r"^https?://[a-z0-9.\-]+(?::\d+)?(?:[/?#]\S*)?$"
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The end of a piece that, with the ";" after it, is an HTML entity: "Homes &amp; work" is one item.
ENTITY_BEFORE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*)$")
TEXT_LIMIT = 100_000  # longer titles or summaries are cut: no real teaser is this long


def records_frame(records: list[dict]) -> pd.DataFrame:
    """A records frame from the dicts that page and feed readers produce."""
    frame = pd.DataFrame.from_records(records, columns=list(RECORD_COLUMNS))
    return frame


def normalise(frame: pd.DataFrame, source: str, base_url: str | None):
    """Clean rows and the problems found: (rows, rejected problems, dropped-field problems)."""
    frame = frame.reset_index(drop=True)
    problems: list[Problem] = []
    reasons = pd.Series(None, index=frame.index, dtype="object")

    title, bad_title = _text(frame["title"])
    reasons = reasons.mask(reasons.isna() & bad_title, "title is not text")
    reasons = reasons.mask(reasons.isna() & title.isna(), "title is empty")

    published = parse_dates(_scalar_or_none(frame["published"]))
    missing_date = _missing(frame["published"])
    reasons = reasons.mask(reasons.isna() & missing_date, "no publication date")
    unreadable = published.isna() & ~missing_date
    if unreadable.any():
        shown = frame["published"].map(lambda v: _shorten(str(v)))
        reasons = reasons.mask(reasons.isna() & unreadable, "unreadable publication date " + shown)

    summary, bad_summary = _text(frame["summary"])
    url, url_problems = _urls(frame["url"], base_url)

    keep = reasons.isna()
    for index in np.flatnonzero(~keep.to_numpy()):
        problems.append(Problem(source, str(frame.at[index, "position"]), reasons.iat[index]))
    for index in np.flatnonzero((bad_summary & keep).to_numpy()):
        problems.append(
            Problem(source, str(frame.at[index, "position"]), "not text", field="summary")
        )
    for index, reason in url_problems:
        if keep.iat[index]:
            problems.append(Problem(source, str(frame.at[index, "position"]), reason, field="url"))
    rows = pd.DataFrame(
        {
            "title": title,
            "published": published,
            "url": url,
            "summary": summary,
            "authors": list_series(_lists(frame["authors"]), frame.index),
            "topics": list_series(_lists(frame["topics"]), frame.index),
            "tags": list_series(_lists(frame["tags"]), frame.index),
            "source": _source(frame["source"], source),
            "kind": frame["kind"].astype("string"),
            "position": frame["position"].astype("string"),
        }
    )[keep.to_numpy()]
    rejected = [p for p in problems if p.rejected]
    dropped = [p for p in problems if not p.rejected]
    return rows.reset_index(drop=True), rejected, dropped


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _missing(values: pd.Series) -> pd.Series:
    missing = values.isna()
    if values.dtype != object and pd.api.types.is_string_dtype(values.dtype):
        return missing | values.astype(STRING).str.strip().eq("").fillna(False).astype(bool)
    if values.dtype == object:
        blank = values.map(lambda v: isinstance(v, str) and not v.strip(), na_action="ignore")
        missing |= blank.eq(True)
    return missing


def _scalar_or_none(values: pd.Series) -> pd.Series:
    if values.dtype != object:
        return values
    return values.map(lambda v: None if isinstance(v, list | dict | tuple | np.ndarray) else v)


def _text(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Plain text (None when empty) and a mask of values that were not text at all."""
    not_text = pd.Series(False, index=values.index)
    if values.dtype == object:
        kinds = values.map(type)
        scalar = kinds.isin([str, int, float, np.float64, np.int64, bool]) | values.isna()
        not_text = ~scalar
        values = values.where(scalar, None)
        values = values.map(lambda v: str(v) if v is not None and v == v else None)
    text = values.astype(STRING)
    # Only the values that need it are cleaned: in a clean file that is none of them.
    array = string_array(text)
    dirty = pc.fill_null(pc.match_substring_regex(array, NEEDS_CLEANING), False)
    if pc.any(dirty).as_py():
        cleaned = _clean_text(pd.Series(pd.arrays.ArrowStringArray(pc.filter(array, dirty))))
        array = pc.replace_with_mask(array, dirty, pa.array(cleaned.array).cast(array.type))
    if len(array) and (pc.max(pc.binary_length(array)).as_py() or 0) > TEXT_LIMIT:
        array = pc.utf8_slice_codeunits(array, 0, TEXT_LIMIT)
    text = pd.Series(pd.arrays.ArrowStringArray(array), index=values.index)
    text = text.mask(text == "")
    return text.astype(object).where(text.notna(), None), not_text


def _clean_text(text: pd.Series) -> pd.Series:
    """Tags removed, entities unescaped, spaces collapsed, ends trimmed."""
    if text.str.contains("<", regex=False).any():
        text = text.str.replace(r"<[^>]*>", " ", regex=True)
    has_entity = text.str.contains("&", regex=False).fillna(False)
    if has_entity.any():
        text = text.astype(object)
        text[has_entity] = text[has_entity].map(html.unescape)
        text = text.astype(STRING)
    if text.str.contains(ODD_SPACES, regex=True).any():
        text = text.str.replace(SPACES, " ", regex=True)
    return text.str.strip()


def _urls(values: pd.Series, base_url: str | None):
    """Absolute http(s) URLs; others dropped with the reason (row index, reason)."""
    problems = []
    result = values.astype(object).where(values.notna(), None).tolist()
    plain = values.map(lambda v: isinstance(v, str)) if values.dtype == object else values.notna()
    text = pa.array(values.where(plain.astype(bool), None).astype(STRING).array)
    fast = pc.match_substring_regex(text, WEB_ADDRESS, ignore_case=True)
    for index in np.flatnonzero(~pc.fill_null(fast, False).to_numpy(zero_copy_only=False)):
        value = result[index]
        result[index] = None
        if value is None or (isinstance(value, float) and value != value):
            continue
        if not isinstance(value, str):
            problems.append((index, "not text"))
            continue
        url = value.strip()
        if not url:
            continue
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme not in ("http", "https") and not (scheme and "/" in scheme):
            if scheme and not url.startswith(("//", "/")) and scheme.isalpha():
                problems.append((index, f"scheme {scheme!r} is not http(s): {_shorten(url)}"))
                continue
            if not base_url:
                problems.append((index, f"relative link {_shorten(url)} with no page address"))
                continue
            url = urljoin(base_url, url)
        try:
            host = urlsplit(url).hostname
        except ValueError:
            host = None
        # urlsplit ignores control characters before the address; the address must not hold any
        if (
            not host
            or urlsplit(url).scheme.lower() not in ("http", "https")
            or " " in url
            or CONTROL.search(url)
        ):
            problems.append((index, f"not a valid web address: {_shorten(value)}"))
            continue
        result[index] = url
    return pd.Series(result, index=values.index, dtype=object), problems


def _lists(values: pd.Series) -> pa.ListArray:
    """Lists of clean, distinct, non-empty strings from lists, arrays, JSON arrays or ``a; b``."""
    if _arrow_string_lists(values.dtype):  # e.g. a Parquet file's list columns: stay in Arrow
        array = pa.array(values.array)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        return _clean_lists(array.cast(LIST_TYPE), len(values))
    if values.dtype == object or not pd.api.types.is_string_dtype(values.dtype):
        return pa.array([_as_list(v) for v in values.tolist()], type=LIST_TYPE)
    text = values.astype(STRING)
    if text.str.startswith("[").fillna(False).any():
        return pa.array([_as_list(v) for v in values.tolist()], type=LIST_TYPE)
    return _split_lists(text)


def _split_lists(text: pd.Series) -> pa.ListArray:
    """``a; b`` strings split into lists with Arrow compute, for large record files; a cell
    that may hold an entity is split by ``split_cell``."""
    array = string_array(text)
    lists = pc.split_pattern(array, ";")
    entity = pc.fill_null(pc.match_substring(array, "&"), False)
    if pc.any(entity).as_py():
        split = pa.array(
            [split_cell(v) for v in pc.filter(array, entity).to_pylist()], type=lists.type
        )
        lists = replace_rows(lists, np.flatnonzero(entity.to_numpy(zero_copy_only=False)), split)
    return _clean_lists(lists, len(text))


def split_cell(text: str) -> list[str]:
    """``a; b`` split at each ";" that does not end an HTML entity (``&amp;``, ``&#59;``)."""
    pieces = text.split(";")
    items: list[str] = []
    current = ""
    for piece in pieces[:-1]:
        current += piece
        entity = ENTITY_BEFORE.search(current)
        if entity and (entity[1][0] == "#" or entity[1] + ";" in html.entities.html5):
            current += ";"
        else:
            items.append(current)
            current = ""
    return [*items, current + pieces[-1]]


def _arrow_string_lists(dtype: object) -> bool:
    if not isinstance(dtype, pd.ArrowDtype):
        return False
    kind = dtype.pyarrow_dtype
    return (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and (
        pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
    )


def _clean_lists(lists: pa.ListArray, length: int) -> pa.ListArray:
    """Each list's items as plain text (entities unescaped, spaces collapsed, trimmed), empty
    items dropped and repeats within a list kept once; a missing list becomes empty."""
    items = pc.fill_null(pc.list_flatten(lists), "")  # a missing item is dropped as empty
    entity = pc.fill_null(pc.match_substring(items, "&"), False)
    if pc.any(entity).as_py():  # only the items that may hold an entity go through Python
        unescaped = [html.unescape(v) for v in pc.filter(items, entity).to_pylist()]
        items = pc.replace_with_mask(items, entity, pa.array(unescaped, type=items.type))
    if pc.any(pc.match_substring_regex(items, ODD_SPACES)).as_py():
        items = pc.replace_substring_regex(items, SPACES, " ")
    items = pc.utf8_trim_whitespace(items)
    parents = pc.list_parent_indices(lists).to_numpy()
    keep = pc.fill_null(pc.not_equal(items, ""), False).to_numpy(zero_copy_only=False)
    # An item repeated within one cell counts once: drop (cell, item) pairs seen before.
    codes = pc.dictionary_encode(items).indices.to_numpy(zero_copy_only=False).astype(np.int64)
    keep &= first_of_pairs(parents, codes)
    return grouped_lists(items.filter(pa.array(keep)), parents[keep], length)


def _as_list(value) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            try:
                parsed = json_value(text)
            except (json.JSONDecodeError, RecursionError):
                parsed = None
            if isinstance(parsed, list):
                return _as_list(parsed)
        items = split_cell(text)
    elif isinstance(value, list | tuple | np.ndarray):
        items = [v for v in value if isinstance(v, str | int | float) and v == v]
    else:
        items = [value] if isinstance(value, int | float) else []
    seen = []
    for item in items:
        cleaned = " ".join(html.unescape(str(item)).split())
        if cleaned and cleaned not in seen:
            seen.append(cleaned)
    return seen


def _source(values: pd.Series, source: str) -> pd.Series:
    """The record's own ``source`` when it names one (a re-read table), else where it came from."""
    given = values.astype(STRING).str.strip()
    return given.mask(given.isna() | (given == ""), source).astype(object)
