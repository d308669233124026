"""What a posts table covers: the date its data was taken (*as of*) and the periods its sources
cover completely (the *windows*).

A period without posts is a silence only where the archive captured it: a listing page shows
every post between its oldest and newest entry, a feed every post from its oldest item to the
day it was built, an article page only its own post. The union of those windows is the
archive's coverage; everything outside it is *not captured* and is never read as silence.

Windows are inclusive ranges of calendar days. A posts table keeps its coverage in
``DataFrame.attrs[COVERAGE_ATTR]`` and, in Parquet, in the schema metadata under ``AS_OF_KEY``
(an ISO date) and ``WINDOWS_KEY`` (a JSON list of ``[first, last]`` ISO dates).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

AS_OF_KEY = b"dashboard.as_of"
WINDOWS_KEY = b"dashboard.coverage"
COVERAGE_ATTR = WINDOWS_KEY.decode()
ONE_DAY = timedelta(days=1)

Window = tuple[date, date]


def merge_windows(windows: Iterable[Window]) -> tuple[Window, ...]:
    """Windows sorted, with overlapping and touching ones (one ending the day before the next
    starts) joined into one."""
    merged: list[list[date]] = []
    for first, last in sorted(w for w in windows if w[0] <= w[1]):
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return tuple((first, last) for first, last in merged)


def day_windows(days: Iterable[date] | np.ndarray) -> tuple[Window, ...]:
    """Each distinct day its own window, runs of consecutive days joined: what article pages
    (or a partial export) cover."""
    values = np.unique(np.asarray(days, dtype="datetime64[D]"))
    if not len(values):
        return ()
    breaks = np.flatnonzero(np.diff(values.astype(np.int64)) > 1)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(values) - 1]])
    return tuple((_day(values[s]), _day(values[e])) for s, e in zip(starts, ends, strict=True))


def _day(value: np.datetime64) -> date:
    return value.astype("datetime64[D]").astype(date)


@dataclass(frozen=True)
class Coverage:
    """The date the data was taken and the windows it covers completely (merged, sorted)."""

    as_of: date | None = None
    windows: tuple[Window, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "windows", merge_windows(self.windows))

    @property
    def first(self) -> date | None:
        """The first day captured: where the archive's span begins (what came before it is
        outside the archive, not a gap in it)."""
        return self.windows[0][0] if self.windows else None

    def merged(self, other: Coverage) -> Coverage:
        """Two archives together: the later as-of date, the union of the windows."""
        dates = [d for d in (self.as_of, other.as_of) if d is not None]
        return Coverage(max(dates) if dates else None, self.windows + other.windows)

    def uncaptured(self, first: date, last: date) -> tuple[Window, ...]:
        """The stretches of ``first``..``last`` (inclusive) that no window covers."""
        holes, cursor = [], first
        for start, end in self.windows:
            if end < cursor:
                continue
            if start > last:
                break
            if start > cursor:
                holes.append((cursor, min(start - ONE_DAY, last)))
            cursor = max(cursor, end + ONE_DAY)
            if cursor > last:
                break
        if cursor <= last:
            holes.append((cursor, last))
        return tuple(holes)

    def captured_days(self, first: date, last: date) -> int:
        """How many days of ``first``..``last`` (inclusive) the windows cover."""
        if last < first:
            return 0
        missing = sum((end - start).days + 1 for start, end in self.uncaptured(first, last))
        return (last - first).days + 1 - missing

    def complete(self, first: date, last: date) -> bool:
        """Whether every day of ``first``..``last`` was captured."""
        return not self.uncaptured(first, last)

    def day_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """The windows' first and last days as day numbers (days since 1970-01-01)."""
        firsts = np.array([a for a, _ in self.windows], dtype="datetime64[D]").astype(np.int64)
        lasts = np.array([b for _, b in self.windows], dtype="datetime64[D]").astype(np.int64)
        return firsts, lasts

    def covers(self, firsts: np.ndarray, lasts: np.ndarray) -> np.ndarray:
        """For day-number ranges ``firsts[i]..lasts[i]``: whether one window holds the whole
        range (windows are merged, so a range captured throughout lies inside one). An empty
        range (last before first) is covered."""
        firsts, lasts = np.asarray(firsts, dtype=np.int64), np.asarray(lasts, dtype=np.int64)
        starts, ends = self.day_bounds()
        at = np.searchsorted(starts, firsts, side="right") - 1
        inside = (at >= 0) & (ends[np.maximum(at, 0)] >= lasts) if len(starts) else False
        return (lasts < firsts) | inside

    def covered_counts(self, firsts: np.ndarray, lasts: np.ndarray) -> np.ndarray:
        """For day-number ranges ``firsts[i]..lasts[i]``: how many of their days are captured
        (``captured_days`` for many ranges at once, by cumulative window lengths)."""
        firsts, lasts = np.asarray(firsts, dtype=np.int64), np.asarray(lasts, dtype=np.int64)
        starts, ends = self.day_bounds()
        cumulative = np.concatenate([[0], np.cumsum(ends - starts + 1)])

        def before(day: np.ndarray) -> np.ndarray:  # captured days earlier than ``day``
            k = np.searchsorted(starts, day, side="left")
            over = np.maximum(0, ends[np.maximum(k - 1, 0)] - day + 1) if len(starts) else 0
            return cumulative[k] - np.where(k > 0, over, 0)

        return np.maximum(0, before(lasts + 1) - before(firsts))

    def to_metadata(self) -> dict[bytes, bytes]:
        """The Parquet schema metadata entries that store this coverage."""
        windows = [[a.isoformat(), b.isoformat()] for a, b in self.windows]
        entries = {WINDOWS_KEY: json.dumps(windows).encode()}
        if self.as_of is not None:
            entries[AS_OF_KEY] = self.as_of.isoformat().encode()
        return entries

    @classmethod
    def from_metadata(cls, metadata: dict[bytes, bytes] | None) -> Coverage | None:
        """The coverage stored in Parquet schema metadata; None when the file stores none or
        stores something unreadable (the table is then read as an archive of unknown span)."""
        metadata = metadata or {}
        if WINDOWS_KEY not in metadata:
            return None
        try:
            windows = [
                (date.fromisoformat(a), date.fromisoformat(b))
                for a, b in json.loads(metadata[WINDOWS_KEY])
            ]
            as_of = metadata.get(AS_OF_KEY)
            return cls(date.fromisoformat(as_of.decode()) if as_of else None, tuple(windows))
        except (ValueError, TypeError, UnicodeDecodeError):
            return None
