"""The filters a page URL asks for: query parameters -> ``Filters``, and a notice for each value
that cannot apply. Pure (no Streamlit), so what a link means is tested on its own, as a table of
query strings (``tests/test_url_filters.py``).

The parameters arrive as Streamlit reads them (``urllib.parse.parse_qs``, blank values kept):
each a list of values in the link's order. A value is kept only when the sidebar widget would
accept it; any other is dropped, with a notice unless it is blank.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Protocol

from dashboard.analysis import Filters
from dashboard.display import escape_markdown

# Query parameter names (a contract: shared links depend on them) and widget keys at once.
FROM, TO, AUTHOR, TOPIC, TEXT = "from", "to", "author", "topic", "q"
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


class FilterChoices(Protocol):
    """What a link's filter values are checked against: the data's first and last day and its
    author and topic names (a ``Dataset`` is one; its names are made when first asked for)."""

    @property
    def first(self) -> date: ...

    @property
    def last(self) -> date: ...

    @property
    def author_names(self) -> tuple[str, ...]: ...

    @property
    def topic_names(self) -> tuple[str, ...]: ...


def _parse_date(value: str) -> date | None:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if EARLIEST <= parsed <= LATEST and len(value) == 10 else None


def invalid_filter_params(params: dict[str, list[str]], data: FilterChoices) -> list[str]:
    """Notices for the URL's filter values that cannot apply (they are dropped from the URL)."""
    notices = []
    for key, what in ((FROM, "start date"), (TO, "end date")):
        for value in params.get(key, []):
            if value and _parse_date(value) is None:
                notices.append(
                    f"Ignored the link's {what} “{escape_markdown(value)}”: "
                    "dates are written YYYY-MM-DD."
                )
    for key, what, known in (
        (AUTHOR, "author", data.author_names),
        (TOPIC, "topic", data.topic_names),
    ):
        names = set(known)
        for value in params.get(key, []):
            if value and value not in names:
                notices.append(
                    f"Ignored the link's {what} “{escape_markdown(value)}”: "
                    f"no {what} of that name in this data."
                )
    return notices


def filters_from_params(params: dict[str, list[str]], data: FilterChoices) -> Filters:
    """The filters a URL asks for, keeping only the values the sidebar widgets would accept."""

    def day(key: str) -> date | None:
        values = params.get(key, [])
        return _parse_date(values[0]) if values else None

    def names(key: str, known: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
        values = params.get(key, [])
        if not values:  # the names are made only when the link asks for some
            return ()
        valid = set(known())
        return tuple(dict.fromkeys(v for v in values if v in valid))

    start, end = day(FROM), day(TO)
    text = params.get(TEXT, [""])
    return Filters(
        start=None if start in (None, data.first) else start,
        end=None if end in (None, data.last) else end,
        authors=names(AUTHOR, lambda: data.author_names),
        topics=names(TOPIC, lambda: data.topic_names),
        text=(text[0] if text else "").strip(),
    )
