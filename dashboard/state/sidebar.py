"""The shared filters in the sidebar, bound to the page URL, and the first paint's follow-up.

Each filter widget's key is its query parameter (``url_filters``), so the filters travel with
the page's link. A session's first run, the *first paint*, draws no filters: they come with the
rest of the page a moment later (``begin_run``).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.analysis import Filters
from dashboard.display import escape_markdown
from dashboard.state.data import SHOW_EVENTS, Dataset
from dashboard.state.url_filters import (
    AUTHOR,
    EARLIEST,
    FROM,
    LATEST,
    TEXT,
    TO,
    TOPIC,
    invalid_filter_params,
)

FOLLOW_UP_SECONDS = 1.2  # after the first paint, when the filters and the rest of the page come
_FIRST_PAINT = "first_paint"  # whether the current run is the session's first
_FOLLOW_UPS = "first_paint_follow_ups"
_EDGES = "filter_edges"  # the data's first and last day when the date boxes were last drawn


def current_filters(data: Dataset) -> Filters:
    """The filters as the sidebar widgets hold them (a date at the data's edge is no filter)."""
    state = st.session_state
    start, end = state.get(FROM), state.get(TO)
    return Filters(
        start=start if isinstance(start, date) and start != data.first else None,
        end=end if isinstance(end, date) and end != data.last else None,
        authors=tuple(state.get(AUTHOR) or ()),
        topics=tuple(state.get(TOPIC) or ()),
        text=(state.get(TEXT) or "").strip(),
    )


def clear_filters(first: date, last: date) -> None:
    """Put every filter back to "everything" (the URL parameters disappear with them)."""
    st.session_state[FROM] = first
    st.session_state[TO] = last
    st.session_state[AUTHOR] = []
    st.session_state[TOPIC] = []
    st.session_state[TEXT] = ""


def filter_sidebar(data: Dataset) -> Filters:
    """Draw the shared filters in the sidebar, bound to the URL, and return them.

    Each widget's key is its query parameter (``bind="query-params"``); a value from the URL that
    cannot apply is dropped by Streamlit, so it is reported here first, on the page.
    """
    notices = invalid_filter_params(url_params(), data)
    first, last = data.first, data.last
    follow_new_edges(first, last)
    bounds = {"min_value": min(first, EARLIEST), "max_value": max(last, LATEST)}
    with st.sidebar:
        st.header("Filters")
        st.date_input(
            "From", value=first, key=FROM, bind="query-params", format="YYYY-MM-DD", **bounds
        )
        st.date_input("To", value=last, key=TO, bind="query-params", format="YYYY-MM-DD", **bounds)
        st.multiselect(
            "Authors",
            author_options(data),
            key=AUTHOR,
            bind="query-params",
            placeholder="All authors",
            accept_new_options=len(data.listed_authors) < len(data.author_names),
            help=author_help(data),
        )
        st.multiselect(
            "Topics",
            data.topic_names,
            key=TOPIC,
            bind="query-params",
            placeholder="All topics",
            help="Posts on any of the chosen topics.",
        )
        st.text_input(
            "Search titles and summaries",
            key=TEXT,
            bind="query-params",
            placeholder="Words to find",
            help="Posts whose title or summary contains every word (any case).",
        )
        filters = current_filters(data)
        unknown = [a for a in filters.authors if a not in data.known_authors]
        if unknown:
            st.warning(
                f"No author named “{escape_markdown(unknown[0])}” in this data, so no "
                "post matches. Names are matched exactly, as the list writes them."
            )
        if filters.start and filters.end and filters.start > filters.end:
            st.warning("The start date is after the end date, so no post matches.")
        st.toggle(
            "Show events on time charts",
            value=True,
            key=SHOW_EVENTS,
            help="The policy calendar of the blog's configuration: elections, budgets, "
            "speeches, white papers.",
        )
        st.button(
            "Clear filters",
            on_click=clear_filters,
            args=(first, last),
            disabled=not filters.active,
            width="stretch",
        )
    for notice in notices:
        st.warning(notice, icon=":material/link_off:")
    return filters


def follow_new_edges(first: date, last: date) -> None:
    """When the data's first or last day moved (a refresh brought newer posts), a date box that
    stood at the old edge, meaning "no filter", moves to the new one. Set before the boxes are
    drawn, so the box shows the value applied, not the one the browser still holds."""
    edges = st.session_state.get(_EDGES)
    if edges is not None and edges != (first, last):
        old_first, old_last = edges
        if st.session_state.get(FROM) == old_first:
            st.session_state[FROM] = first
        if st.session_state.get(TO) == old_last:
            st.session_state[TO] = last
    st.session_state[_EDGES] = (first, last)


def author_options(data: Dataset) -> list[str]:
    """The authors the filter offers: the most prolific (``AUTHORS_LISTED``) and any chosen,
    from the sidebar or the link. Fifty thousand names would be most of every page's bytes."""
    known = data.known_authors
    chosen = st.session_state.get(AUTHOR) or [a for a in url_params().get(AUTHOR, []) if a in known]
    return sorted(set(data.listed_authors).union(chosen), key=str.casefold)


def author_help(data: Dataset) -> str:
    if len(data.listed_authors) == len(data.author_names):
        return "Posts by any of the chosen authors."
    return (
        f"Posts by any of the chosen authors. The list holds the "
        f"{len(data.listed_authors):,} most prolific of {len(data.author_names):,}; type any "
        "other author's full name and press Enter to add it."
    )


def url_params() -> dict[str, list[str]]:
    """The filter parameters of the page URL, each as the list of its values."""
    return {key: st.query_params.get_all(key) for key in (FROM, TO, AUTHOR, TOPIC, TEXT)}


def begin_run() -> bool:
    """Start a run of the frame; True when it is the session's first run, the *first paint*.

    The browser fetches the code for each kind of element when one first appears, and every
    kind it fetches delays the others. So the first run draws only the navigation and the
    landing page's lead (its chart); the filters and the rest of the page follow
    ``FOLLOW_UP_SECONDS`` later, when a timer that the first run leaves in the sidebar (a
    fragment the browser reruns) reruns the whole app.
    """
    first = _FOLLOW_UPS not in st.session_state
    st.session_state[_FIRST_PAINT] = first
    if first:
        st.session_state[_FOLLOW_UPS] = 0
        with st.sidebar:
            st.fragment(_follow_up, run_every=FOLLOW_UP_SECONDS)()
    return first


def _follow_up() -> None:
    st.session_state[_FOLLOW_UPS] += 1
    if st.session_state[_FOLLOW_UPS] > 1:  # the timer's run, not the first paint's own call
        st.rerun(scope="app")


def lead_drawn() -> None:
    """End the first paint here; every later run goes on to draw the whole page."""
    if st.session_state.get(_FIRST_PAINT):
        st.stop()
