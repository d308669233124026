"""The policy calendar that explains the timeline: events from a configuration's
``events.toml``, and how the blog responded to each.

An event has a date, a title, a kind (election, budget, speech ...), optionally an address and
the topics it concerns. Staff edit the file without touching code; a bad entry raises an
``EnrichmentConfigError`` naming the file and the line. Pure functions, no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.coverage import Coverage
from dashboard.enrich.registry_files import (
    EnrichmentConfigError,
    entries,
    key_line,
    read_toml,
    string_list,
)

KEYS = ("date", "title", "kind", "url", "topics")


@dataclass(frozen=True)
class Event:
    """One event of the calendar."""

    date: date
    title: str
    kind: str = ""
    url: str | None = None
    topics: tuple[str, ...] = ()


def read_events(path: str | Path) -> tuple[Event, ...]:
    """The events of an ``events.toml``, by date; none when the file does not exist."""
    if not Path(path).exists():
        return ()
    data, text = read_toml(path)
    events = []
    for item, line in entries(data, "event", path, text):
        unknown = sorted(set(item) - set(KEYS))
        if unknown:
            where = key_line(text, line, unknown[0])
            raise EnrichmentConfigError(path, where, f"unknown key {unknown[0]!r} in an event")
        events.append(_event(item, line, path, text))
    return tuple(sorted(events, key=lambda e: (e.date, e.title)))


def _event(item: dict, line: int | None, path: str | Path, text: str) -> Event:
    def fail(key: str, problem: str) -> EnrichmentConfigError:
        return EnrichmentConfigError(path, key_line(text, line, key), problem)

    when = item.get("date")
    if isinstance(when, str):
        try:
            when = date.fromisoformat(when)
        except ValueError:
            raise fail("date", f"date must be a day, YYYY-MM-DD, not {when!r}") from None
    if not isinstance(when, date) or hasattr(when, "hour"):
        raise fail("date", "an event needs a date, YYYY-MM-DD")
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("title", "an event needs a title")
    kind = item.get("kind", "")
    if not isinstance(kind, str):
        raise fail("kind", "kind must be text")
    url = item.get("url")
    if url is not None and (
        not isinstance(url, str) or not url.lower().startswith(("http://", "https://"))
    ):
        raise fail("url", f"url must be an http(s) address, not {url!r}")
    topics = item.get("topics", [])
    if not string_list(topics):
        raise fail("topics", "topics must be a list of topic names")
    return Event(when, title.strip(), kind.strip(), url, tuple(t.strip() for t in topics))


def events_between(events: tuple[Event, ...], start: object, end: object) -> tuple[Event, ...]:
    """The events from ``start`` to ``end`` (inclusive; either may be None for open)."""
    first = pd.Timestamp(start).date() if start is not None else date.min
    last = pd.Timestamp(end).date() if end is not None else date.max
    return tuple(e for e in events if first <= e.date <= last)


def response_to_events(
    events: tuple[Event, ...],
    posts: pd.DataFrame,
    topics: pd.DataFrame,
    coverage: Coverage | None = None,
) -> pd.DataFrame:
    """For each event, the first post on or after its day on its topics (any post when it
    names none) and how many days it took: ``date``, ``event``, ``kind``, ``topics``,
    ``first_post``, ``first_url``, ``published``, ``days``, ``status``.

    ``status`` is ``answered``, ``not yet`` (no post followed up to the data's as-of day) or,
    with a ``coverage``, ``not captured`` when the days from the event to that post (or to the
    as-of day) were not all captured: an earlier answer may be missing, so no post or count is
    given. ``topics`` is the long table (``row``, ``topic``, ``published``) of the same posts.
    """
    days = posts["published"].to_numpy().astype("datetime64[D]")
    order = np.argsort(days, kind="stable")
    rows = []
    by_topic = topics.groupby("topic", observed=True)["row"] if len(topics) else None
    for event in events:
        when = np.datetime64(event.date, "D")
        if event.topics and by_topic is not None:
            labels = [by_topic.get_group(t) for t in event.topics if t in by_topic.groups]
            candidates = np.unique(np.concatenate(labels)) if labels else np.array([], int)
            positions = posts.index.get_indexer(candidates)
            positions = positions[days[positions] >= when]
            found = positions[np.argmin(days[positions])] if len(positions) else None
        elif event.topics:
            found = None
        else:
            at = np.searchsorted(days[order], when, side="left")
            found = order[at] if at < len(order) else None
        post = posts.iloc[found] if found is not None else None
        status = "answered" if post is not None else "not yet"
        if coverage is not None:
            until = post["published"].date() - timedelta(days=1) if post is not None else None
            until = until if until is not None else coverage.as_of
            after = until is not None and until < event.date and post is None  # after the data
            if until is not None and (after or not coverage.complete(event.date, until)):
                post, status = None, "not captured"
        rows.append(
            {
                "date": pd.Timestamp(event.date),
                "event": event.title,
                "kind": event.kind,
                "topics": ", ".join(event.topics),
                "first_post": post["title"] if post is not None else None,
                "first_url": post["url"] if post is not None else None,
                "published": post["published"] if post is not None else pd.NaT,
                "days": (post["published"] - pd.Timestamp(event.date)).days
                if post is not None
                else None,
                "status": status,
            }
        )
    table = pd.DataFrame(rows, columns=[
        "date", "event", "kind", "topics", "first_post", "first_url", "published", "days",
        "status",
    ])  # fmt: skip
    table["days"] = table["days"].astype("Int64")
    for column in ("first_post", "first_url"):  # no post followed: None, not NaN
        values = table[column].astype(object)
        table[column] = values.where(values.notna(), None)
    return table
