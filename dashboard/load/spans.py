"""What one source says about the period it covers, and the coverage that follows.

Each reader states its source's *span*:

- ``THROUGH_AS_OF``: every post from the oldest to the day the data was taken — a feed or an
  API page (taken when it was built, else at its newest item), the first page of a listing, a
  records file (an export is complete), a crawl that walked to the end of the pagination;
- ``ENTRIES``: every post from the oldest entry to the newest — a later page of a listing;
- ``OWN_DAYS``: only the days of its own posts — an article page, a records file that
  ``ingest --partial`` marks as partial;
- ``STORED``: a posts table that states its own coverage.

``as_of`` is the date the source states it was taken (a feed's ``lastBuildDate``, a capture's
``Captured:`` line); without one it is the source's newest post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from dashboard.coverage import Coverage, day_windows

THROUGH_AS_OF = "through as-of"
ENTRIES = "entries"
OWN_DAYS = "own days"
STORED = "stored"


@dataclass(frozen=True)
class Span:
    """How a source states its period (see the module docstring)."""

    kind: str = THROUGH_AS_OF
    as_of: date | None = None
    stored: Coverage | None = None

    def partial(self) -> Span:
        """The span of the same source marked as partial: only its own posts' days."""
        return self if self.kind == STORED else Span(OWN_DAYS, self.as_of)


def source_coverage(span: Span, published: pd.Series, as_of: date | None = None) -> Coverage:
    """The coverage of one source whose loaded posts have these dates; ``as_of`` (from
    ``ingest --as-of``) overrides the date the source states."""
    if span.kind == STORED and span.stored is not None:
        stored = span.stored
        return Coverage(as_of or stored.as_of, stored.windows)
    days = published.dropna().to_numpy().astype("datetime64[D]")
    if not len(days):
        return Coverage(as_of or span.as_of)
    oldest, newest = (d.astype(date) for d in (days.min(), days.max()))
    taken = as_of or span.as_of or newest
    if span.kind == OWN_DAYS:
        return Coverage(taken, day_windows(days))
    if span.kind == ENTRIES:
        return Coverage(taken, ((oldest, newest),))
    return Coverage(taken, ((oldest, max(newest, taken)),))


def first_listing_page(address: str | None) -> bool:
    """Whether a listing page's address is the listing's first page (no ``/page/N/``,
    ``?page=N`` or ``?paged=N`` beyond 1); unknown without an address."""
    if not address:
        return False
    try:
        parts = urlsplit(address)
    except ValueError:  # not an address (e.g. an unclosed IPv6 bracket): unknown
        return False
    segments = [s for s in parts.path.split("/") if s]
    for name, value in zip(segments, segments[1:], strict=False):
        if name.lower() == "page" and value.isdigit() and int(value) > 1:
            return False
    query = parse_qs(parts.query)
    for key in ("page", "paged"):
        if any(v.isdigit() and int(v) > 1 for v in query.get(key, [])):
            return False
    return True
