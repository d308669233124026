"""Registry files: the TOML files staff edit (``authors.toml``, ``topics.toml``), read and checked.

Every problem is raised as an ``EnrichmentConfigError`` naming the file and, where it can, the
line, so a typo in either file is found without reading code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

_LINE_OF_ERROR = re.compile(r"\(at line (\d+), column \d+\)")


class EnrichmentConfigError(ValueError):
    """A registry file that cannot be used: unreadable, malformed TOML or a bad entry."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


def read_toml(path: str | Path) -> tuple[dict, str]:
    """The parsed TOML file and its text; any problem raised naming the file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise EnrichmentConfigError(path, None, f"cannot read the file: {err}") from None
    return parse_toml(text, path), text


def parse_toml(text: str, source: str | Path) -> dict:
    """Parsed TOML text; a syntax error is raised naming ``source`` and the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = _LINE_OF_ERROR.search(message)
        line = int(found.group(1)) if found else getattr(err, "lineno", None)
        if line is None and "end of document" in message:
            line = text.count("\n") + 1
        problem = _LINE_OF_ERROR.sub("", message).strip()
        raise EnrichmentConfigError(source, line, f"not valid TOML: {problem}") from None


def entry_lines(text: str, table: str) -> list[int]:
    """Line numbers (1-based) of each ``[[table]]`` header, in file order."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
    return [n for n, line in enumerate(text.splitlines(), start=1) if header.match(line)]


def key_line(text: str, start: int | None, key: str) -> int | None:
    """The line of ``key = ...`` in the entry starting at line ``start`` (else ``start``)."""
    if start is None:
        return None
    assignment = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for n, line in enumerate(text.splitlines()[start:], start=start + 1):
        if line.lstrip().startswith("[["):
            break
        if assignment.match(line):
            return n
    return start


def entries(
    data: dict, table: str, source: str | Path, text: str, also: Iterable[str] = ()
) -> list[tuple[dict, int | None]]:
    """The ``[[table]]`` entries of a parsed file, each with the line of its header.

    ``also`` names the other top-level keys the file may have.
    """
    unknown = sorted(set(data) - {table, *also})
    if unknown:
        raise EnrichmentConfigError(
            source, key_line(text, 0, unknown[0]), f"unknown top-level key {unknown[0]!r}"
        )
    items = data.get(table, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise EnrichmentConfigError(source, None, f"expected [[{table}]] entries")
    lines = entry_lines(text, table)
    return [(item, lines[i] if i < len(lines) else None) for i, item in enumerate(items)]


def string_list(value: object) -> bool:
    """Whether a TOML value is a list of non-empty strings."""
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
