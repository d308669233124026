"""Authors: the registry of canonical names, and the ``authors`` column of the posts table.

A post's author fields are split and cleaned (``names``) and resolved against
``data/authors.toml``; a post without one gets the authors its summary names (``recognition``).
Names the registry does not know are kept as written, so a new author shows up before anyone
edits the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.enrich.names import SEPARATORS, clean_name, name_key, unwrap
from dashboard.enrich.recognition import authors_in_text
from dashboard.enrich.registry_files import (
    EnrichmentConfigError,
    entries,
    key_line,
    read_toml,
    string_list,
)
from dashboard.schema import first_of_pairs, grouped_lists, list_array, list_series

# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    """One registry entry: the canonical name, the variants that mean it, an optional role."""

    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None


class AuthorRegistry:
    """Canonical author names: resolves aliases, honorific variants and unambiguous first names."""

    def __init__(
        self,
        authors: Iterable[Author] = (),
        source: str = "<registry>",
        subjects: Iterable[str] = (),
    ) -> None:
        self.authors: tuple[Author, ...] = tuple(authors)
        self.source = source
        self.subjects: tuple[str, ...] = tuple(subjects)
        self._subjects = {name_key(clean_name(s) or s) for s in self.subjects}
        self._by_key: dict[str, str] = {}
        self._by_first: dict[str, set[str]] = {}
        for author in self.authors:
            for variant in (author.name, *author.aliases):
                self._add(variant, author.name)

    def _add(self, variant: str, canonical: str) -> None:
        for key in {name_key(variant), name_key(clean_name(variant) or variant)}:
            owner = self._by_key.setdefault(key, canonical)
            if owner != canonical:
                raise EnrichmentConfigError(
                    self.source, None, f"{variant!r} is listed for both {owner!r} and {canonical!r}"
                )
        first = name_key(canonical).split(" ")[0]
        self._by_first.setdefault(first, set()).add(canonical)

    @classmethod
    def load(cls, path: str | Path) -> AuthorRegistry:
        """The registry in a TOML file of ``[[author]]`` entries (name, aliases, role)."""
        data, text = read_toml(path)
        return cls.parse(data, text, path)

    @classmethod
    def parse(cls, data: dict, text: str, source: str | Path) -> AuthorRegistry:
        """The registry from parsed TOML; every bad entry is reported with its line."""
        subjects = data.get("subjects", [])
        if not string_list(subjects):
            problem = "subjects must be a list of names"
            raise EnrichmentConfigError(source, key_line(text, 0, "subjects"), problem)
        registry = cls([], str(source), subjects)
        for item, line in entries(data, "author", source, text, also=["subjects"]):
            try:
                registry._append(_author_entry(item, line, source, text))
            except EnrichmentConfigError as err:
                raise EnrichmentConfigError(source, err.line or line, err.problem) from None
        return registry

    def _append(self, author: Author) -> None:
        for variant in (author.name, *author.aliases):
            self._add(variant, author.name)
        self.authors = (*self.authors, author)

    @property
    def names(self) -> list[str]:
        """Canonical names in file order."""
        return [a.name for a in self.authors]

    @property
    def roles(self) -> dict[str, str]:
        """Role per canonical name, for authors that have one."""
        return {a.name: a.role for a in self.authors if a.role}

    def knows(self, name: str) -> bool:
        """Whether the name (or, for one word, the first name) is in the registry."""
        key = name_key(clean_name(name) or name)
        return key in self._by_key or (" " not in key and key in self._by_first)

    def is_subject(self, name: str) -> bool:
        """Whether the name is listed as someone written about, never credited from a summary."""
        return name_key(clean_name(name) or name) in self._subjects

    def lists_exactly(self, name: str) -> bool:
        """Whether the name as written (case, accents and dots aside) is a name or alias here."""
        return name_key(name) in self._by_key

    def canonical(self, name: str) -> str:
        """The canonical form of a name; a name the registry does not know is kept as written."""
        cleaned = clean_name(name) or " ".join(name.split())
        key = name_key(cleaned)
        if key in self._by_key:
            return self._by_key[key]
        owners = self._by_first.get(key, set()) if " " not in key else set()
        return next(iter(owners)) if len(owners) == 1 else cleaned


def _author_entry(item: dict, line: int | None, source: str | Path, text: str) -> Author:
    """One ``[[author]]`` table checked and turned into an Author."""
    unknown = sorted(set(item) - {"name", "aliases", "role"})
    if unknown:
        problem = f"unknown field {unknown[0]!r} (expected name, aliases, role)"
        raise EnrichmentConfigError(source, key_line(text, line, unknown[0]), problem)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise EnrichmentConfigError(source, line, "each [[author]] needs a non-empty name")
    aliases = item.get("aliases", [])
    if not string_list(aliases):
        problem = f"aliases of {name!r} must be a list of non-empty strings"
        raise EnrichmentConfigError(source, key_line(text, line, "aliases"), problem)
    role = item.get("role")
    if role is not None and not isinstance(role, str):
        problem = f"role of {name!r} must be a string"
        raise EnrichmentConfigError(source, key_line(text, line, "role"), problem)
    return Author(" ".join(name.split()), tuple(" ".join(a.split()) for a in aliases), role)


Resolved = tuple[tuple[str, str], ...]  # (canonical name, its key) per name in a field


def _resolve_field(field: str, registry: AuthorRegistry, cache: dict[str, Resolved]) -> Resolved:
    """The canonical names in one author field, each with its comparison key."""
    text = unwrap(field)
    # A name the registry lists whole ("Centre for Cities and Regions") is not split.
    if SEPARATORS.search(text) is None or registry.lists_exactly(text):
        cleaned = clean_name(text)
        name = registry.canonical(cleaned) if cleaned else ""
        return ((name, name_key(name)),) if name else ()
    resolved: list[tuple[str, str]] = []
    for piece in SEPARATORS.split(text):
        if piece not in cache:
            cache[piece] = _resolve_field(piece, registry, cache)
        resolved.extend(cache[piece])
    return tuple(resolved)


def canonical_authors(
    names: Sequence[str],
    registry: AuthorRegistry,
    cache: dict[str, Resolved] | None = None,
) -> list[str]:
    """Structured author fields split, cleaned, resolved and de-duplicated, in byline order.

    ``cache`` (field as written -> its resolved names) can be shared between calls.
    """
    cache = {} if cache is None else cache
    result: list[str] = []
    seen: set[str] = set()
    for field in names:
        if not isinstance(field, str):
            continue
        if field not in cache:
            cache[field] = _resolve_field(field, registry, cache)
        for name, key in cache[field]:
            if key not in seen:
                seen.add(key)
                result.append(name)
    return result


# --- the authors column ---------------------------------------------------------------------


LIST_OF_STRINGS = pa.list_(pa.string())


def _as_list(cell: object) -> list[str]:
    """One list cell as a list of strings (a lone string, a tuple or an array; else empty)."""
    if isinstance(cell, str):
        return [cell]
    if isinstance(cell, list | tuple) or hasattr(cell, "tolist"):
        return [v for v in list(cell) if isinstance(v, str)]
    return []


def string_lists(column: Iterable | None, length: int) -> pa.ListArray:
    """A list column (authors, tags, topics) as Arrow lists of strings; missing cells empty."""
    if column is None:
        return pa.array([[] for _ in range(length)], type=LIST_OF_STRINGS)
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.ArrowDtype):
        return list_array(column)
    cells = list(column)
    try:
        if str in set(map(type, cells)):  # Arrow would split a bare string into letters
            raise pa.ArrowInvalid("a bare string in a list column")
        lists = pa.array(cells, type=LIST_OF_STRINGS, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        lists = pa.array([_as_list(cell) for cell in cells], type=LIST_OF_STRINGS)
    return lists.fill_null(pa.scalar([], type=LIST_OF_STRINGS))


def author_column_plain(frame: pd.DataFrame, registry: AuthorRegistry) -> pd.Series:
    """Canonical authors per post, the plain definition of ``author_column``: row by row,
    ``canonical_authors`` of the post's author fields, else ``authors_in_text`` of its summary.
    """
    cells = frame["authors"] if "authors" in frame else [None] * len(frame)
    summaries = frame["summary"] if "summary" in frame else [None] * len(frame)
    lists = [
        canonical_authors(_as_list(cell), registry) or authors_in_text(summary, registry)
        for cell, summary in zip(cells, summaries, strict=True)
    ]
    return list_series(pa.array(lists, type=LIST_OF_STRINGS), frame.index)


def author_column(frame: pd.DataFrame, registry: AuthorRegistry) -> pd.Series:
    """Canonical authors per post: structured fields first, else names cued in the summary.

    The same lists as ``author_column_plain`` (a property test checks it), much faster on a
    large table: each distinct field is resolved once and each distinct summary read once.
    """
    cells = string_lists(frame.get("authors"), len(frame))
    # Each distinct field is resolved once; a post's names are its fields' names in byline
    # order without repeats (by name key), exactly as canonical_authors gives them.
    fields = pc.dictionary_encode(pc.list_flatten(cells))
    cache: dict[str, Resolved] = {}
    resolved = []
    for field in fields.dictionary.to_pylist():
        if field not in cache:
            cache[field] = _resolve_field(field, registry, cache)
        resolved.append(cache[field])
    names = pa.array([[n for n, _ in r] for r in resolved], LIST_OF_STRINGS).take(fields.indices)
    keys = pa.array([[k for _, k in r] for r in resolved], LIST_OF_STRINGS).take(fields.indices)
    field_rows = pc.list_parent_indices(cells).to_numpy(zero_copy_only=False)
    rows = field_rows[pc.list_parent_indices(names).to_numpy(zero_copy_only=False)]
    key_codes = pc.dictionary_encode(pc.list_flatten(keys)).indices
    key_codes = key_codes.to_numpy(zero_copy_only=False).astype(np.int64)
    keep = first_of_pairs(rows, key_codes)
    lists = grouped_lists(pc.list_flatten(names).filter(pa.array(keep)), rows[keep], len(frame))
    unnamed = np.flatnonzero(pc.list_value_length(lists).to_numpy(zero_copy_only=False) == 0)
    if len(unnamed) and "summary" in frame:
        found: dict[str, int] = {}  # each distinct summary is read once
        extra: list[list[str]] = []
        index = np.arange(len(frame))
        for position, summary in zip(unnamed, frame["summary"].iloc[unnamed], strict=True):
            if isinstance(summary, str):
                if summary not in found:
                    found[summary] = len(extra)
                    extra.append(authors_in_text(summary, registry))
                index[position] = len(frame) + found[summary]
        if extra:
            lists = pa.concat_arrays([lists, pa.array(extra, type=LIST_OF_STRINGS)])
            lists = lists.take(pa.array(index))
    return list_series(lists, frame.index)
