"""The headline figures (how much, by how many, how recently, how steadily) and the fields
posts lack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from dashboard.analysis.groups import list_lengths, names_present
from dashboard.coverage import Coverage
from dashboard.enrich.topics import UNCLASSIFIED
from dashboard.schema import list_array, web_urls


@dataclass(frozen=True)
class Headline:
    """The figures a visitor reads first: how much, by how many, how recently, how steadily."""

    posts: int
    authors: int
    topics: int
    posts_per_month: float | None
    latest: date | None
    latest_title: str | None
    days_since_latest: int | None
    longest_silence_days: int | None
    silence_start: date | None
    silence_end: date | None


# --- Headline figures -------------------------------------------------------------------------


def _months_spanned(first: pd.Timestamp, last: pd.Timestamp) -> int:
    """Calendar months from the month of ``first`` to the month of ``last``, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def headline_figures(
    posts: pd.DataFrame,
    authors: pd.DataFrame,
    topics: pd.DataFrame,
    today: date,
    coverage: Coverage | None = None,
) -> Headline:
    """Posts, authors, topics, posts per month, the latest post and the longest silence.

    Posts per month spreads the posts over the calendar months from the first post to the last;
    the longest silence is the most days between two consecutive publication dates, counting
    with a ``coverage`` only the gaps whose days were all captured.
    """
    if posts.empty:
        return Headline(0, 0, 0, None, None, None, None, None, None, None)
    published = posts["published"]
    first, last = published.min(), published.max()
    latest_row = posts.loc[published.idxmax()]
    days = np.unique(published.to_numpy().astype("datetime64[D]"))
    silence = silence_start = silence_end = None
    gaps = np.diff(days).astype(np.int64)
    if coverage is not None and len(gaps):  # a gap over uncaptured days is no silence
        numbers = days.astype(np.int64)
        gaps = np.where(coverage.covers(numbers[:-1] + 1, numbers[1:] - 1), gaps, 0)
    if len(gaps) and gaps.max() > 0:
        at = int(gaps.argmax())
        silence = int(gaps[at])
        silence_start = pd.Timestamp(days[at]).date()
        silence_end = pd.Timestamp(days[at + 1]).date()
    return Headline(
        posts=len(posts),
        authors=len(names_present(authors["author"])),
        topics=sum(name != UNCLASSIFIED for name in names_present(topics["topic"])),
        posts_per_month=len(posts) / _months_spanned(first, last),
        latest=last.date(),
        latest_title=str(latest_row["title"]),
        days_since_latest=(today - last.date()).days,
        longest_silence_days=silence,
        silence_start=silence_start,
        silence_end=silence_end,
    )


# --- Missing fields ---------------------------------------------------------------------------


def missing_fields(posts: pd.DataFrame) -> dict[str, int]:
    """How many posts lack an author, a web link, or a topic (none, or only "Unclassified")."""
    topics = posts["topics"]
    topic_lengths = list_lengths(topics)
    only_unclassified = posts_with_only(posts, "topics", UNCLASSIFIED)
    return {
        "without author": int((list_lengths(posts["authors"]) == 0).sum()),
        "without URL": int(web_urls(posts["url"]).isna().sum()),
        "without topic": int(((topic_lengths == 0) | only_unclassified).sum()),
    }


def posts_with_only(posts: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """A mask of the posts whose list ``column`` holds exactly one item, ``value``."""
    values = list_array(posts[column])
    single = (pc.list_value_length(values).fill_null(0).to_numpy(zero_copy_only=False)) == 1
    flat = pc.list_flatten(values)
    parents = pc.list_parent_indices(values).to_numpy(zero_copy_only=False)
    equal = pc.equal(flat, value).fill_null(False).to_numpy(zero_copy_only=False)
    mask = np.zeros(len(posts), dtype=bool)
    mask[parents[equal]] = True
    return mask & single


def posts_with_only_plain(posts: pd.DataFrame, column: str, value: str) -> np.ndarray:
    """``posts_with_only`` as a loop over the posts, the definition."""
    lists = [[] if items is None else list(items) for items in posts[column]]
    return np.array([items == [value] for items in lists], dtype=bool)
