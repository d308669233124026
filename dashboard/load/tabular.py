"""Records files: CSV, JSON (an array of objects), JSON Lines and Parquet.

Columns are matched by name, case-insensitively, with the usual aliases (``date`` for
``published``, ``link`` for ``url`` ...). Lists are JSON arrays, or ``;``-separated in CSV.
"""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from dashboard.load.report import LoadError, Problem

ALIASES = {
    "title": ("title", "headline", "name"),
    "published": ("published", "date", "pubdate", "pub_date", "published_at", "publication_date",
                  "date_published", "posted", "posted_on"),
    "url": ("url", "link", "permalink", "href"),
    "summary": ("summary", "excerpt", "description", "standfirst", "teaser", "abstract"),
    "authors": ("authors", "author", "byline", "creator", "creators", "by"),
    "topics": ("topics", "topic", "themes", "theme"),
    "tags": ("tags", "tag", "categories", "category", "keywords"),
    "source": ("source",),
}
FIELDS = tuple(ALIASES)
JSON_LIST_KEYS = ("posts", "items", "records", "data", "results", "entries")


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
    ignored = [str(c) for c in raw.columns if c not in mapping.values()]
    problems = []
    if ignored:
        problems.append(
            Problem(source, "header", "columns not in the posts table: " + ", ".join(ignored),
                    field="columns")
        )
    return frame.reset_index(drop=True), problems


def read_csv(text: str, source: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Every row a record; a row with too many fields is rejected, one with too few padded."""
    header = next(csv.reader(io.StringIO(text)), None)
    if not header:
        raise LoadError("empty CSV file")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter))
    width = len(header)
    odd_rows = []

    def keep_aside(row):
        odd_rows.append((row.number, row.text, row.actual_columns))
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(use_threads=False, autogenerate_column_names=True,
                                            skip_rows=1),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                              invalid_row_handler=keep_aside),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError) as error:
        raise LoadError(f"unreadable CSV ({error})") from None
    raw = table.to_pandas()
    raw.columns = _unique(header)
    positions = [f"row {i}" for i in range(1, len(raw) + 1)]
    problems = []
    extra_rows, extra_positions = [], []
    for number, line, count in odd_rows:
        where = f"line {number}" if number is not None else "a row"
        if count > width:
            problems.append(Problem(source, where, f"{count} fields where the header has {width}"))
            continue
        fields = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
        extra_rows.append(fields + [""] * (width - len(fields)))
        extra_positions.append(where)
    if extra_rows:
        raw = pd.concat([raw, pd.DataFrame(extra_rows, columns=raw.columns)], ignore_index=True)
        positions += extra_positions
    raw = raw.replace("", None)
    frame, header_problems = _frame(raw, source, positions)
    return frame, header_problems + problems


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
        return json.loads(text)
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
    return frame, header_problems + problems


def read_jsonl(text: str, source: str):
    """One JSON object per line; a line that is not valid JSON is rejected with its number."""
    items, numbers, problems = [], [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
            numbers.append(number)
        except (json.JSONDecodeError, RecursionError):
            problems.append(Problem(source, f"line {number}", "invalid JSON"))
    frame, item_problems = read_json_items(items, source, "line", numbers)
    return frame, problems + item_problems


def looks_like_jsonl(text: str) -> bool:
    """True when the first non-blank lines each hold one JSON object."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 1:
        return False
    for line in lines[:5]:
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except (json.JSONDecodeError, RecursionError):
            return False
    return True


def read_parquet(data: bytes, source: str):
    """Records from a Parquet file (such as one written by the ingest command)."""
    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError, ValueError) as error:
        raise LoadError(f"unreadable Parquet file ({error})") from None
    raw = table.to_pandas(date_as_object=False)
    return _frame(raw, source, [f"row {i}" for i in range(1, len(raw) + 1)])


def looks_like_csv(text: str) -> bool:
    """True when the first line is a header naming a title column."""
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        return False
    header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
    return "title" in column_map(header)
