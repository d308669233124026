"""Topics: the editable taxonomy of research themes and its matching on posts.

A post gets every topic whose keywords occur in its title, summary or tags (case-insensitive,
on word boundaries), plus any topic one of its tags names outright. Matching runs as one
vectorised regular expression per topic over a combined text column, so its cost grows with the
number of topics, not with the number of keywords.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.enrich.authors import LIST_OF_STRINGS, string_lists
from dashboard.enrich.registry_files import (
    EnrichmentConfigError,
    entries,
    key_line,
    read_toml,
    string_list,
)
from dashboard.schema import list_series

UNCLASSIFIED = "Unclassified"
CELL_SEPARATOR = "\x1f"  # joins the labels of one topics cell into a single grouping key
TEXT_FIELDS = ("name", "description")
LIST_FIELDS = ("keywords", "aliases")
# Optional numbers per topic that pages read; any other numeric field is kept as it is.
NUMERIC_RULES: dict[str, tuple[str, Callable[[float], bool]]] = {
    "target_share": ("a share between 0 and 1", lambda v: 0 <= v <= 1),
    "cadence_days": ("a number of days above 0", lambda v: v > 0),
}
# Patterns run on RE2, the engine behind pyarrow's string kernels, whose \w and \b know only
# ASCII letters: Unicode classes keep "Zoë" and "Núñez" whole words.
WORD_CHAR = r"[\pL\pN_]"
WORD_BEFORE = r"(?:^|[^\pL\pN_])"
WORD_AFTER = r"(?:[^\pL\pN_]|$)"
# Characters between the words of a phrase: "levelling up" also matches "levelling-up".
PHRASE_GAP = "[ \t\n\r\f\v\u00a0\u2010\u2011\u2013-]+"
APOSTROPHES = "['\u2019]"
REGEX_SPECIALS = frozenset("\\.^$|?*+()[]{}")
MATCH_THREADS = 4
PARALLEL_ROWS = 5_000  # below this, threads cost more than they save
# Job titles in summaries name no topic: "Industrial Strategy Fellow" is not about industrial
# strategy, "Head of Sustainability, Policy, and Civic Engagement" not about civic engagement.
JOB_TITLE_HINT = (
    "Fellow|Associate|Lecturer|Reader|Director|Officer|Manager|Adviser|Advisor|Researcher"
    "|Professor|Chair|Head (?:of|for|in) "
)
_CAPITALISED = r"\p{Lu}[\pL\pN'&-]*"
JOB_TITLE = (
    rf"{WORD_BEFORE}(?:{_CAPITALISED} +){{0,5}}"
    r"(?:Fellow|Associate|Lecturer|Reader|Director|Officer|Manager|Adviser|Advisor|Researcher"
    rf"|Professor|Chair)s?{WORD_AFTER}"
    rf"|{WORD_BEFORE}(?:Head|Director|Professor|Chair|Lecturer|Reader) (?:of|for|in) "
    rf"(?:{_CAPITALISED}(?:,? (?:and |& )?)?)+"
)


@dataclass(frozen=True)
class Topic:
    """One research theme: its name, the words that signal it, and optional settings."""

    name: str
    keywords: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    description: str | None = None
    settings: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


def label_key(label: str) -> str:
    """A topic name or tag reduced for comparison: case and spacing ignored."""
    return " ".join(str(label).casefold().split())


def keyword_pattern(keyword: str) -> str:
    """A keyword as a regular expression: spaces/hyphens interchangeable, ``*`` a word ending."""
    text = keyword.strip()
    wildcard = text.endswith("*")
    words = re.split(PHRASE_GAP, text.rstrip("*").strip())
    body = PHRASE_GAP.join(_escape(word) for word in words if word)
    return body + (f"{WORD_CHAR}*" if wildcard else "")


def _escape(word: str) -> str:
    return "".join(
        APOSTROPHES if c in "'\u2019" else "\\" + c if c in REGEX_SPECIALS else c for c in word
    )


class Taxonomy:
    """The topics in file order, with their keyword patterns and tag labels."""

    def __init__(self, topics: Iterable[Topic] = (), source: str = "<taxonomy>") -> None:
        self.topics: tuple[Topic, ...] = tuple(topics)
        self.source = source
        self._labels: dict[str, str] = {}
        for topic in self.topics:
            for label in (topic.name, *topic.aliases):
                owner = self._labels.setdefault(label_key(label), topic.name)
                if owner != topic.name:
                    raise EnrichmentConfigError(
                        source, None, f"{label!r} is used by both {owner!r} and {topic.name!r}"
                    )

    @classmethod
    def load(cls, path: str | Path) -> Taxonomy:
        """The taxonomy in a TOML file of ``[[topic]]`` entries."""
        data, text = read_toml(path)
        return cls.parse(data, text, path)

    @classmethod
    def parse(cls, data: dict, text: str, source: str | Path) -> Taxonomy:
        """The taxonomy from parsed TOML; every bad entry is reported with its line."""
        topics: list[Topic] = []
        for item, line in entries(data, "topic", source, text):
            topics.append(_topic_entry(item, line, source, text))
            try:
                cls(topics, str(source))
            except EnrichmentConfigError as err:
                raise EnrichmentConfigError(source, line, err.problem) from None
        return cls(topics, str(source))

    @property
    def names(self) -> list[str]:
        """Topic names in file order."""
        return [t.name for t in self.topics]

    def topic(self, name: str) -> Topic:
        """The topic with this name (or alias)."""
        canonical = self.canonical(name)
        for topic in self.topics:
            if topic.name == canonical:
                return topic
        raise KeyError(name)

    def canonical(self, label: str) -> str | None:
        """The topic a label (name, alias or source tag) names, or None."""
        return self._labels.get(label_key(label))

    def settings(self, key: str) -> dict[str, float]:
        """One optional setting (e.g. ``target_share``) for each topic that has it."""
        return {t.name: t.settings[key] for t in self.topics if key in t.settings}

    def pattern(self, topic: Topic) -> str | None:
        """The regular expression for a topic's keywords (None when it has none)."""
        if not topic.keywords:
            return None
        longest_first = sorted(topic.keywords, key=len, reverse=True)
        alternatives = "|".join(keyword_pattern(k) for k in longest_first)
        return f"{WORD_BEFORE}(?:{alternatives}){WORD_AFTER}"


def _topic_entry(item: dict, line: int | None, source: str | Path, text: str) -> Topic:
    """One ``[[topic]]`` table checked and turned into a Topic."""
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise EnrichmentConfigError(source, line, "each [[topic]] needs a non-empty name")
    name = " ".join(name.split())
    if label_key(name) == label_key(UNCLASSIFIED):
        raise EnrichmentConfigError(source, line, f"{UNCLASSIFIED!r} is reserved")
    for key in LIST_FIELDS:
        value = item.get(key, [])
        if not string_list(value) or any(not v.strip("* ") for v in value):
            problem = f"{key} of {name!r} must be a list of non-empty strings"
            raise EnrichmentConfigError(source, key_line(text, line, key), problem)
    description = item.get("description")
    if description is not None and not isinstance(description, str):
        problem = f"description of {name!r} must be a string"
        raise EnrichmentConfigError(source, key_line(text, line, "description"), problem)
    settings = {}
    for key, value in item.items():
        if key in TEXT_FIELDS or key in LIST_FIELDS:
            continue
        problem = _setting_problem(key, value)
        if problem:
            raise EnrichmentConfigError(source, key_line(text, line, key), f"{name!r}: {problem}")
        settings[key] = value
    return Topic(
        name=name,
        keywords=tuple(item.get("keywords", [])),
        aliases=tuple(" ".join(a.split()) for a in item.get("aliases", [])),
        description=description,
        settings=MappingProxyType(settings),
    )


def _setting_problem(key: str, value: object) -> str | None:
    """Why a numeric setting is unusable, or None when it is fine."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"{key} must be a number (fields other than name, keywords, aliases, description)"
    rule = NUMERIC_RULES.get(key)
    if rule and not rule[1](value):
        return f"{key} must be {rule[0]}, not {value}"
    return None


# --- matching -------------------------------------------------------------------------------


def _strings(frame: pd.DataFrame, name: str) -> pa.Array:
    """A text column as an Arrow string array, a missing column or cell as ""."""
    if name not in frame:
        return pa.array([""] * len(frame), type=pa.string())
    try:
        values = pa.array(frame[name], from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed values: keep the strings only
        values = pa.array([v if isinstance(v, str) else None for v in frame[name]], pa.string())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_string(values.type):
        values = pc.cast(values, pa.string())
    return pc.fill_null(values, "")


def _without_job_titles(summary: pa.Array) -> pa.Array:
    """Summaries with job titles blanked out (only rows that may hold one are rewritten)."""
    maybe = pc.match_substring_regex(summary, JOB_TITLE_HINT)
    if not pc.any(maybe).as_py():
        return summary
    cleaned = pc.replace_substring_regex(pc.filter(summary, maybe), JOB_TITLE, " ")
    return pc.replace_with_mask(summary, maybe, cleaned)


def topic_text(frame: pd.DataFrame, tags: pa.ListArray | None = None) -> pa.Array:
    """Title, summary (job titles removed) and tags of each post as one string for matching."""
    tags = string_lists(frame.get("tags"), len(frame)) if tags is None else tags
    joined = pc.binary_join(tags, " ; ")
    summary = _without_job_titles(_strings(frame, "summary"))
    return pc.binary_join_element_wise(_strings(frame, "title"), summary, joined, "\n")


def _keyword_hits(text: pa.Array, patterns: Sequence[str | None]) -> np.ndarray:
    """A (posts x topics) boolean matrix of keyword matches; topics run in parallel threads."""

    def contains(pattern: str | None) -> np.ndarray:
        if pattern is None:
            return np.zeros(len(text), dtype=bool)
        found = pc.match_substring_regex(text, pattern, ignore_case=True)
        return found.to_numpy(zero_copy_only=False)

    if len(text) < PARALLEL_ROWS:
        return np.column_stack([contains(p) for p in patterns])
    # Arrow's regex kernel releases the GIL, so topics can be scanned side by side.
    with ThreadPoolExecutor(max_workers=max(1, min(MATCH_THREADS, len(patterns)))) as pool:
        return np.column_stack(list(pool.map(contains, patterns)))


def _tag_hits(tags: pa.ListArray, taxonomy: Taxonomy) -> np.ndarray:
    """A (posts x topics) boolean matrix: a source tag equal to a topic name or alias."""
    hits = np.zeros((len(tags), len(taxonomy.topics)), dtype=bool)
    flat = pc.list_flatten(tags)
    position = {name: i for i, name in enumerate(taxonomy.names)}
    known = {}
    for label in pc.unique(flat).to_pylist():
        name = taxonomy.canonical(label) if label is not None else None
        if name:
            known[label] = position[name]
    if not known:
        return hits
    where = pc.index_in(flat, value_set=pa.array(list(known), type=pa.string()))
    valid = pc.is_valid(where).to_numpy(zero_copy_only=False)
    rows = pc.list_parent_indices(tags).to_numpy()[valid]
    topics = np.array(list(known.values()))[where.to_numpy(zero_copy_only=False)[valid].astype(int)]
    hits[rows, topics] = True
    return hits


def _hit_combinations(hits: np.ndarray, names: Sequence[str]) -> tuple[list[list[str]], np.ndarray]:
    """The distinct combinations of topics hit (names in taxonomy order) and each row's one.

    Rows are grouped by their combination of topics, so each combination is built once.
    """
    count = len(names)
    packed = np.packbits(hits, axis=1, bitorder="little")
    width = max(8, -(-packed.shape[1] // 8) * 8)
    padded = np.zeros((len(hits), width), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    keys = (padded.view(np.uint64) if width == 8 else padded.view(f"V{width}")).ravel()
    unique, inverse = np.unique(keys, return_inverse=True)
    combos = []
    for key in unique:
        bits = int.from_bytes(key.tobytes(), "little")
        combos.append([names[i] for i in range(count) if bits >> i & 1])
    return combos, inverse.ravel().astype(np.int64)


def _topic_combinations(frame: pd.DataFrame, taxonomy: Taxonomy):
    """Per post, its keyword and tag matches: (distinct combinations, each row's one)."""
    if not len(frame) or not taxonomy.topics:
        return [[]], np.zeros(len(frame), dtype=np.int64)
    patterns = [taxonomy.pattern(t) for t in taxonomy.topics]
    tags = string_lists(frame.get("tags"), len(frame))
    hits = _keyword_hits(topic_text(frame, tags), patterns) | _tag_hits(tags, taxonomy)
    return _hit_combinations(hits, taxonomy.names)


def match_topics(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.Series:
    """Per post, the topics its title, summary and tags match, in taxonomy order."""
    combos, rows = _topic_combinations(frame, taxonomy)
    return pd.Series([list(combos[i]) for i in rows.tolist()], index=frame.index, dtype=object)


def merge_topics(matched: list[str], given: Sequence[str], taxonomy: Taxonomy) -> list[str]:
    """Matched topics with those a source already gave: taxonomy order, then the rest."""
    known = set(matched) - {UNCLASSIFIED}
    extra: list[str] = []
    for label in given:
        if not isinstance(label, str) or not label.strip():
            continue
        name = taxonomy.canonical(label) or " ".join(label.split())
        if label_key(name) == label_key(UNCLASSIFIED) or name in known or name in extra:
            continue
        if taxonomy.canonical(name):
            known.add(name)
        else:
            extra.append(name)
    return [n for n in taxonomy.names if n in known] + extra


def assign_topics(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.Series:
    """The ``topics`` column: matches united with given topics; empty when nothing matched.

    The posts table keeps "no topic" as an empty list (the contract); the dashboard shows such
    posts as ``UNCLASSIFIED``. A given ``UNCLASSIFIED`` label is dropped for the same reason.
    """
    combos, rows = _topic_combinations(frame, taxonomy)
    if "topics" in frame:
        # Each distinct (matched combination, given cell) pair is merged once.
        given = string_lists(frame["topics"], len(frame))
        cells = pc.dictionary_encode(pc.binary_join(given, CELL_SEPARATOR))
        cell_codes = cells.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        pairs, rows = np.unique(rows * len(cells.dictionary) + cell_codes, return_inverse=True)
        labels = cells.dictionary.to_pylist()
        combos = [
            merge_topics(
                combos[pair // len(labels)], _cell_labels(labels[pair % len(labels)]), taxonomy
            )
            for pair in pairs.tolist()
        ]
    lists = pa.array(combos, type=LIST_OF_STRINGS).take(pa.array(rows.ravel()))
    return list_series(lists, frame.index)


def _cell_labels(joined: str) -> list[str]:
    return joined.split(CELL_SEPARATOR) if joined else []
