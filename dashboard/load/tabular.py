"""Records files: CSV, JSON (an array of objects), JSON Lines and Parquet.

Columns are matched by name, case-insensitively, with the usual aliases (``date`` for
``published``, ``link`` for ``url`` ...). Lists are JSON arrays, or ``;``-separated in CSV; in
JSON an author or tag may be an object, which stands for its name (``object_name``).
"""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from dashboard.coverage import Coverage
from dashboard.load.report import LoadError, Problem
from dashboard.load.text import json_value

ALIASES = {
    "title": ("title", "headline", "name"),
    "published": (
        "published",
        "date",
        "pubdate",
        "pub_date",
        "published_at",
        "publication_date",
        "date_published",
        "posted",
        "posted_on",
    ),
    "url": ("url", "link", "permalink", "href"),
    "summary": ("summary", "excerpt", "description", "standfirst", "teaser", "abstract"),
    "authors": ("authors", "author", "byline", "creator", "creators", "by"),
    "topics": ("topics", "topic", "themes", "theme"),
    "tags": ("tags", "tag", "categories", "category", "keywords"),
    "source": ("source",),
}
FIELDS = tuple(ALIASES)
LIST_FIELDS = ("authors", "topics", "tags")
JSON_LIST_KEYS = ("posts", "items", "records", "data", "results", "entries")
NEWLINE = re.compile(r"\r\n?|\n")  # a line ends at \r\n, \r or \n
CSV_BLOCK = 16 << 20  # a CSV file larger than this is first parsed in blocks of this size
RECOMPUTED = frozenset({"post_id"})  # the posts table's own id, derived again on every load
# What names an author or tag object, in order of preference; else first and last name.
NAME_KEYS = ("name", "display_name", "title", "label", "slug")


def column_map(names: list[str]) -> dict[str, str]:
    """Which input column feeds each field: the first name (in alias order) that is present."""
    lowered = {}
    for name in names:
        lowered.setdefault(str(name).strip().lower().replace(" ", "_"), name)
    mapping = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if alias in lowered and lowered[alias] not in mapping.values():
                mapping[field] = lowered[alias]
                break
    return mapping


def _frame(raw: pd.DataFrame, source: str, positions) -> tuple[pd.DataFrame, list[Problem]]:
    """Rename to field names; a file without a title column cannot give any post."""
    mapping = column_map(list(raw.columns))
    if "title" not in mapping:
        shown = ", ".join(map(str, raw.columns[:12])) or "none"
        raise LoadError(f"no title column (columns: {shown})", len(raw))
    frame = pd.DataFrame({field: raw[column] for field, column in mapping.items()})
    for field in FIELDS:
        if field not in frame:
            frame[field] = None
    frame["kind"] = "record"
    frame["position"] = positions
    ignored = [str(c) for c in raw.columns if c not in mapping.values() and c not in RECOMPUTED]
    problems = []
    if ignored:
        problems.append(
            Problem(
                source,
                "header",
                "columns not in the posts table: " + ", ".join(ignored),
                field="columns",
            )
        )
    return frame.reset_index(drop=True), problems


def read_csv(text: str, source: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Every row a record; a row with too many fields is rejected, one with too few padded.

    Positions are spreadsheet rows: the header is row 1, blank lines are not counted.
    """
    delimiter = _delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter), None)
    except csv.Error as error:
        raise LoadError(f"unreadable CSV header ({error})") from None
    if not header:
        raise LoadError("empty CSV file")
    width = len(header)
    names = [f"f{i}" for i in range(width)]
    data = text.encode("utf-8")
    table, odd_rows = _parse_csv(data, names, delimiter)
    raw = table.to_pandas()
    raw.columns = _unique(header)
    # Arrow numbers rows from 1 at the header; the rows it kept are the ones not set aside.
    odd_numbers = [number for number, _, _ in odd_rows]
    numbers = np.arange(2, len(raw) + len(odd_rows) + 2)
    if odd_rows and None not in odd_numbers:
        numbers = numbers[~np.isin(numbers, odd_numbers)]
    numbers = numbers[: len(raw)]
    problems = []
    short_rows, short_numbers = [], []
    for number, line, count in odd_rows:
        where = f"row {number}" if number is not None else "a row"
        if count > width:
            problems.append(Problem(source, where, f"{count} fields where the header has {width}"))
            continue
        lines = len(NEWLINE.findall(line)) + 1
        if lines > 1 and line.count('"') % 2:
            problems.append(
                Problem(source, where, f"a quote that is never closed runs over {lines} lines")
            )
            continue
        try:
            fields = next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter), [])
        except csv.Error:
            fields = []
        fields = (fields + [""] * width)[:width]
        short_rows.append(fields)
        short_numbers.append(number or 0)
        missing = ", ".join(map(str, header[count:])) or "fields"
        problems.append(
            Problem(
                source,
                where,
                f"{count} fields where the header has {width}; the missing ones are left empty",
                field=missing,
            )
        )
    if short_rows:
        raw = pd.concat([raw, pd.DataFrame(short_rows, columns=raw.columns)], ignore_index=True)
        numbers = np.concatenate([numbers, np.asarray(short_numbers, dtype=numbers.dtype)])
        order = np.argsort(numbers, kind="stable")
        raw, numbers = raw.iloc[order].reset_index(drop=True), numbers[order]
    raw = raw.replace("", None)
    positions = ("row " + pd.Series(numbers, dtype="int64").astype(str)).tolist()
    frame, header_problems = _frame(raw, source, positions)
    return frame, header_problems + problems


def _parse_csv(data: bytes, names: list[str], delimiter: str) -> tuple[pa.Table, list[tuple]]:
    """Every row as strings, and the rows with a wrong number of fields set aside as
    (row number, text, fields).

    A large file is first parsed in blocks on every core. If that finds any row with a wrong
    number of fields, or a quote that breaks across blocks, the file is parsed again as one
    block on one thread: a stray quote then spans to the end of the file, where it shows up as
    one short row whose number is known.
    """
    if len(data) > CSV_BLOCK:
        try:
            table, odd_rows = _arrow_csv(data, names, delimiter, CSV_BLOCK, threads=True)
        except (pa.ArrowInvalid, ValueError):
            odd_rows = [None]
        if not odd_rows:
            return table, odd_rows
    block = min(max(len(data) + 1, 1 << 20), (1 << 31) - 1)
    try:
        return _arrow_csv(data, names, delimiter, block, threads=False)
    except (pa.ArrowInvalid, ValueError) as error:
        raise LoadError(f"unreadable CSV ({error})") from None


def _arrow_csv(data: bytes, names: list[str], delimiter: str, block: int, *, threads: bool):
    odd_rows = []

    def keep_aside(row):
        odd_rows.append((row.number, row.text, row.actual_columns))
        return "skip"

    table = pa_csv.read_csv(
        io.BytesIO(data),
        read_options=pa_csv.ReadOptions(
            use_threads=threads, column_names=names, skip_rows=1, block_size=block
        ),
        parse_options=pa_csv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=keep_aside
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            strings_can_be_null=False,
        ),
    )
    return table, odd_rows


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        result.append(name if count == 0 else f"{name}.{count}")
    return result


def parse_json(text: str):
    """The JSON value, or LoadError with where it breaks."""
    try:
        return json_value(text)
    except (json.JSONDecodeError, RecursionError) as error:
        where = f" at line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        raise LoadError(f"invalid JSON{where}") from None


def json_items(value) -> list | None:
    """The list of records in a JSON document: the array itself, or the one list it wraps."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in JSON_LIST_KEYS:
            if isinstance(value.get(key), list):
                return value[key]
        if "title" in value:
            return [value]
    return None


def read_json_items(items: list, source: str, unit: str = "item", numbers=None):
    """Records from parsed JSON objects; anything that is not an object is rejected."""
    numbers = numbers or range(1, len(items) + 1)
    rows, positions, problems = [], [], []
    for number, item in zip(numbers, items, strict=True):
        if isinstance(item, dict):
            rows.append(item)
            positions.append(f"{unit} {number}")
        else:
            problems.append(
                Problem(source, f"{unit} {number}", f"not a JSON object ({type(item).__name__})")
            )
    raw = pd.DataFrame.from_records(rows) if rows else pd.DataFrame({"title": []})
    if rows and not len(raw.columns):
        raw = pd.DataFrame({"title": [None] * len(rows)})
    frame, header_problems = _frame(raw, source, positions)
    for field in LIST_FIELDS:
        if frame[field].dtype == object:
            problems += _names_of_objects(frame, field, source)
    return frame, header_problems + problems


def _names_of_objects(frame: pd.DataFrame, field: str, source: str) -> list[Problem]:
    """Author or tag objects in one list column replaced by their names, in place; an object
    that gives no name is reported."""
    problems = []
    values = frame[field].tolist()
    for index, value in enumerate(values):
        if isinstance(value, dict | list):
            values[index], nameless = named_items(value)
            if nameless:
                where = str(frame["position"].iat[index])
                problems.append(nameless_problem(source, where, field, nameless))
    frame[field] = pd.Series(values, index=frame.index, dtype=object)
    return problems


def nameless_problem(source: str, where: str, field: str, count: int) -> Problem:
    """The report of author or tag objects that give no name: dropped, not guessed."""
    reason = f"{count} object(s) with no name ({', '.join(NAME_KEYS)})"
    return Problem(source, where, reason, field=field)


def object_name(value: dict) -> str | None:
    """The name an author or tag object gives: its first non-empty ``NAME_KEYS`` text, else
    its first and last names together (``first_name``, ``last_name``); None without one."""
    for key in NAME_KEYS:
        name = value.get(key)
        if isinstance(name, str) and name.strip():
            return name
    parts = (value.get("first_name"), value.get("last_name"))
    return " ".join(p for p in parts if isinstance(p, str) and p.strip()) or None


def named_items(value) -> tuple[object, int]:
    """A list field's value with every object in it replaced by its name, and how many objects
    gave none. An object keyed by names (``{"Policy": {...}, "Housing": {...}}``, as
    WordPress.com gives terms) stands for each entry: its object's name, else its key. Anything
    else is returned as it is."""
    if isinstance(value, dict):
        items = [value] if value else []
    elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
        items = value
    else:
        return value, 0
    names, nameless = [], 0
    for item in items:
        if not isinstance(item, dict):
            names.append(item)  # text or a number, cleaned as any list item
            continue
        name = object_name(item)
        if name is not None:
            names.append(name)
        elif item and all(isinstance(entry, dict) for entry in item.values()):
            names.extend(object_name(entry) or key for key, entry in item.items())
        else:
            nameless += 1
    return names, nameless


def read_jsonl(text: str, source: str):
    """One JSON object per line; a line that is not valid JSON is rejected with its number.

    Lines end at ``\n``, ``\r\n`` or ``\r`` (which JSON cannot hold unescaped in a string);
    other Unicode line breaks, which it can, stay inside their line.
    """
    items, numbers, problems = [], [], []
    for number, line in enumerate(NEWLINE.split(text), 1):
        if not line.strip():
            continue
        try:
            items.append(json_value(line))
            numbers.append(number)
        except (json.JSONDecodeError, RecursionError):
            problems.append(Problem(source, f"line {number}", "invalid JSON"))
    frame, item_problems = read_json_items(items, source, "line", numbers)
    return frame, problems + item_problems


def looks_like_jsonl(text: str) -> bool:
    """True when most of the first non-blank lines each hold one JSON object."""
    lines = [line for line in NEWLINE.split(text, 40)[:40] if line.strip()][:20]
    return sum(map(_is_json_object, lines)) * 2 > len(lines)


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def read_parquet(data: bytes, source: str):
    """Records from a Parquet file (such as one written by the ingest command)."""
    try:
        table = pq.ParquetFile(io.BytesIO(data)).read()
        table = table.rename_columns(_unique([str(name) for name in table.column_names]))
        raw = table.to_pandas(date_as_object=False, types_mapper=_lists_stay_arrow)
    except (pa.ArrowException, OSError, ValueError, TypeError) as error:
        raise LoadError(f"unreadable Parquet file ({error})") from None
    frame, problems = _frame(raw, source, [f"row {i}" for i in range(1, len(raw) + 1)])
    for field in FIELDS:  # a list where text belongs is judged value by value, as from JSON
        if field not in LIST_FIELDS and isinstance(frame[field].dtype, pd.ArrowDtype):
            frame[field] = pd.Series(frame[field].tolist(), index=frame.index, dtype=object)
    return frame, problems


def parquet_coverage(data: bytes) -> Coverage | None:
    """The coverage a Parquet file states in its metadata (a posts table this project wrote),
    if any."""
    try:
        return Coverage.from_metadata(pq.read_schema(io.BytesIO(data)).metadata)
    except (pa.ArrowException, OSError, ValueError, TypeError):
        return None


def _lists_stay_arrow(kind: pa.DataType) -> pd.ArrowDtype | None:
    """List columns as Arrow lists in pandas, so that normalising them builds no Python list."""
    return pd.ArrowDtype(kind) if pa.types.is_list(kind) or pa.types.is_large_list(kind) else None


def looks_like_csv(text: str) -> bool:
    """True when the first line is a header naming a title column."""
    first_line = _first_line(text)
    delimiter = _delimiter(text)
    if first_line.count(delimiter) == 0:
        return False
    try:
        header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
    except csv.Error:
        return False
    return "title" in column_map(header)


def _first_line(text: str) -> str:
    return NEWLINE.split(text[:65536], maxsplit=1)[0]


def _delimiter(text: str) -> str:
    """The most frequent of comma, semicolon and tab in the header line."""
    return max((",", ";", "\t"), key=_first_line(text).count)
