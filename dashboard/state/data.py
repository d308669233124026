"""The data of a session and its filtered view, loaded and derived once per source.

Loading and the derived long tables are cached with ``st.cache_resource``, keyed by the source
and its modification time (not by the table), so a source is read once per process and again
only when it changes. ``st.cache_resource`` rather than ``st.cache_data``: the tables are shared
read-only by every session (nothing below mutates them), whereas ``st.cache_data`` keeps a
pickled copy and unpickles it on every rerun, which at a million posts is 390 MB more memory
and half a second more per filter change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TypeVar

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import analysis
from dashboard.analysis import Filters
from dashboard.config import DEFAULT_DIR, Config
from dashboard.coverage import Coverage
from dashboard.display import TitleSearch, blog_site, escape_markdown
from dashboard.enrich.registry_files import EnrichmentConfigError
from dashboard.events import Event, events_between, read_events
from dashboard.load import LoadError, Report, load_sources, prepare
from dashboard.state.neutral import LOGGED, neutral_text
from dashboard.state.public import public_mode, shown_source
from dashboard.state.shelf import Shelf
from dashboard.state.sources import (
    BUNDLED_DATA,
    DATA_ENV,
    INGEST_HINT,
    config_version,
    dashboard_config,
    data_source,
    search_template,
    source_version,
)

AUTHORS_LISTED = 300  # authors offered in the filter's list (any other can be typed)
# Filtered views and the results made from them (tables, figures) kept for every session of the
# process; an uploaded file's are kept in its session only (see ``shelves``).
VIEWS_SHARED = 16
RESULTS_SHARED = 400
UPLOAD_VIEWS, UPLOAD_RESULTS = 4, 100
_VIEW_KEY = "filtered_view"
_UPLOAD_ORDERS = "uploaded_data_orders"  # an upload's posts sorted by each order asked for
_UPLOAD_SHELVES = "uploaded_data_shelves"
T = TypeVar("T")

logger = logging.getLogger(__name__)


class Derived:
    """A posts table's long tables and filter options, each made when first asked for.

    The first paint of a page that needs none of them (the overview's chart) does not wait for
    them: exploding the lists of a million posts takes about half a second. The configured
    source's instance is cached with its posts, so every session shares what was made.
    """

    def __init__(self, posts: pd.DataFrame, report: Report, config: Config | None = None) -> None:
        self.posts = posts
        self.report = report
        self.config = config

    @cached_property
    def coverage(self) -> Coverage:
        return self.report.coverage()

    @cached_property
    def events(self) -> tuple[Event, ...] | EnrichmentConfigError:
        """The configuration's calendar of events, or the error that stops it being read."""
        folder = self.config.dir if self.config is not None else DEFAULT_DIR
        try:
            return read_events(folder / "events.toml")
        except EnrichmentConfigError as error:
            return error

    @cached_property
    def search(self) -> TitleSearch:
        site = blog_site(self.posts["url"].dropna().head(1000))
        return TitleSearch(site, search_template(self.config))

    @cached_property
    def authors(self) -> pd.DataFrame:
        return analysis.explode_list(self.posts, "authors", "author")

    @cached_property
    def topics(self) -> pd.DataFrame:
        return analysis.explode_list(self.posts, "topics", "topic")

    @cached_property
    def names(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return analysis.filter_names(self.authors["author"], self.topics["topic"])

    @cached_property
    def listed_authors(self) -> tuple[str, ...]:
        return analysis.leading_names(self.authors["author"], AUTHORS_LISTED)

    @cached_property
    def known_authors(self) -> frozenset[str]:
        return frozenset(self.names[0])

    @cached_property
    def span(self) -> tuple[date, date]:
        """The days of the first and the latest post: read on every run by the date filter."""
        published = self.posts["published"]
        return published.min().date(), published.max().date()


@dataclass(frozen=True)
class Dataset:
    """Everything loaded from one source: the posts, the load report, and (made when first
    asked for) the long tables and filter options."""

    source: str
    version: object
    posts: pd.DataFrame
    report: Report
    derived: Derived
    # Posts without author, URL or topic over the whole archive: counted for an upload, None
    # for the configured source, whose counts ``missing_of`` takes from a cache when asked.
    missing: dict[str, int] | None
    uploaded: bool = False  # a file uploaded in this session, ``source`` being its name
    config: Config = field(default_factory=lambda: Config(DEFAULT_DIR))  # registries, site

    @property
    def authors(self) -> pd.DataFrame:
        """One row per post and author (``analysis.explode_list``)."""
        return self.derived.authors

    @property
    def topics(self) -> pd.DataFrame:
        """One row per post and topic."""
        return self.derived.topics

    @property
    def author_names(self) -> tuple[str, ...]:
        return self.derived.names[0]

    @property
    def topic_names(self) -> tuple[str, ...]:
        return self.derived.names[1]

    @property
    def listed_authors(self) -> tuple[str, ...]:
        """The most prolific authors, offered in the filter (``AUTHORS_LISTED``)."""
        return self.derived.listed_authors

    @property
    def known_authors(self) -> frozenset[str]:
        """Every author's name, to look names up in."""
        return self.derived.known_authors

    @property
    def first(self) -> date:
        return self.derived.span[0]

    @property
    def last(self) -> date:
        return self.derived.span[1]

    @property
    def coverage(self) -> Coverage:
        """The day the data was taken and the periods its sources cover (``Report.coverage``),
        made once per source."""
        return self.derived.coverage

    @property
    def search(self) -> TitleSearch:
        """The search for the title of a post without an address, on the blog's own site (its
        host found from the first thousand addresses), made once per source."""
        return self.derived.search

    @property
    def as_of(self) -> date:
        """The day the data was taken; the latest post when no source says."""
        return self.coverage.as_of or self.last


@dataclass(frozen=True)
class View:
    """The posts that pass the filters, the long-table rows that belong to them (made when
    first asked for), and the date span to draw periods over."""

    dataset: Dataset
    filters: Filters
    posts: pd.DataFrame
    selection: slice | np.ndarray  # of the dataset's posts, by position

    @cached_property
    def authors(self) -> pd.DataFrame:
        return analysis.long_rows_at(self.dataset.authors, self.selection)

    @cached_property
    def topics(self) -> pd.DataFrame:
        return analysis.long_rows_at(self.dataset.topics, self.selection)

    @property
    def start(self) -> pd.Timestamp | None:
        """The first day to draw: the filter's start date, else the earliest post shown."""
        if self.filters.start is not None:
            return pd.Timestamp(self.filters.start)
        return None if self.posts.empty else self.posts["published"].min()

    @property
    def now(self) -> date:
        """ "Now" for every measure of time since: the day the data was taken, or the end of the
        date filter when it ends earlier."""
        as_of = self.dataset.as_of
        return min(as_of, self.filters.end) if self.filters.end is not None else as_of

    @property
    def end(self) -> pd.Timestamp | None:
        """The last day to draw: the filter's end date, else the latest post shown."""
        if self.filters.end is not None:
            return pd.Timestamp(self.filters.end)
        return None if self.posts.empty else self.posts["published"].max()


@st.cache_resource(show_spinner="Loading the posts…", max_entries=2)
def load_posts(
    source: str, version: object, config: Config | None = None
) -> tuple[pd.DataFrame, Report]:
    """The posts of a source, prepared for the dashboard, and the load report, enriched with
    the configuration's registries (``dashboard_config``).

    Cached because loading parses every record; ``version`` is in the key so that a changed
    file (or configuration) is read again.
    """
    config = config or dashboard_config(source)
    result = load_sources([source], authors=config.authors, topics=config.topics)
    return prepare.prepare_posts(result.posts), result.report


@st.cache_resource(show_spinner=False, max_entries=4)
def derived_tables(source: str, version: object, config: Config | None = None) -> Derived:
    """The long tables and filter options of a source, shared by every session; each is made
    when a page first asks for it, then kept with the source."""
    posts, report = load_posts(source, version, config)
    return Derived(posts, report, config)


@st.cache_resource(show_spinner=False, max_entries=6)
def _post_order(source: str, version: object, order: str, config: Config) -> np.ndarray:
    """The posts' index labels in one of the sort orders; cached: sorting a million titles
    takes seconds, and each filtered view is then paged through this order."""
    posts, _ = load_posts(source, version, config)
    return analysis.sort_positions(posts, order)


def post_order(data: Dataset, order: str) -> np.ndarray:
    """The dataset's posts in ``order`` (index labels), sorted once per dataset and order."""
    if not data.uploaded:
        return _post_order(data.source, data.version, order, data.config)
    kept = st.session_state.setdefault(_UPLOAD_ORDERS, {})  # an upload's orders: its session's
    if any(version != data.version for version, _ in kept):
        kept.clear()
    if (data.version, order) not in kept:
        kept[data.version, order] = analysis.sort_positions(data.posts, order)
    return kept[data.version, order]


@st.cache_data(show_spinner=False, max_entries=4)
def missing_fields(source: str, version: object, config: Config) -> dict[str, int]:
    """Posts without author, URL or topic in the whole archive; cached as it never changes."""
    posts, _ = load_posts(source, version, config)
    return analysis.missing_fields(posts)


def missing_of(data: Dataset) -> dict[str, int]:
    """Posts without author, URL or topic in the whole dataset. Counted when first asked for
    (the data panel, below the first paint), then cached with the source."""
    if data.missing is not None:
        return data.missing
    return missing_fields(data.source, data.version, data.config)


def configured_dataset() -> Dataset | None:
    """The dataset of the configured source, or None after showing why it could not be loaded."""
    source = data_source()
    public = public_mode()
    shown = escape_markdown(shown_source(source))
    try:
        config = dashboard_config(source)
        version = (source_version(source), config_version(config))
        posts, report = load_posts(source, version, config)
        derived = derived_tables(source, version, config)
    except LoadError as error:
        if public:
            sources = [s.source for s in error.report.sources] if error.report else []
            reason = neutral_text(str(error), [source, *sources])
            st.error(f"Could not load the posts from {shown}: {escape_markdown(reason)}.")
            return None
        hint = (
            f" Build it with `{INGEST_HINT}`, or set {DATA_ENV} to another source."
            if source == str(BUNDLED_DATA)
            else f" Check the value of {DATA_ENV}."
        )
        st.error(f"Could not load the posts from {shown}: {escape_markdown(error)}.{hint}")
        return None
    except Exception as error:  # a broken source must show a message, never a traceback
        logger.exception("loading %s failed", source)
        if public:
            st.error(f"Could not load the posts from {shown}. {LOGGED}")
            return None
        st.error(
            f"Could not load the posts from {shown}: "
            f"{escape_markdown(type(error).__name__)}: {escape_markdown(error)}"
        )
        return None
    if posts.empty:
        st.info(f"The source {shown} holds no posts yet.")
        return None
    return Dataset(source, version, posts, report, derived, None, config=config)


def build_dataset(
    source: str,
    version: object,
    posts: pd.DataFrame,
    report: Report,
    *,
    uploaded: bool = False,
    config: Config | None = None,
) -> Dataset:
    """A Dataset from a prepared posts table, for an upload: it has no path and so no place in
    the caches keyed by source and version, and lives in its session's state."""
    return Dataset(
        source,
        version,
        posts,
        report,
        Derived(posts, report, config),
        analysis.missing_fields(posts),
        uploaded=uploaded,
        config=config or Config(DEFAULT_DIR),
    )


@st.cache_resource(show_spinner=False)
def _process_shelves() -> tuple[Shelf, Shelf]:
    return Shelf(VIEWS_SHARED), Shelf(RESULTS_SHARED)


def shelves(data: Dataset) -> tuple[Shelf, Shelf]:
    """Where the views of ``data`` and the results made from them are kept: for the configured
    source, one pair of shelves for every session of the process (``Shelf``); for an upload,
    its session's own, emptied when another file is uploaded."""
    if not data.uploaded:
        return _process_shelves()
    kept = st.session_state.get(_UPLOAD_SHELVES)
    if kept is None or kept[0] != data.version:
        kept = (data.version, (Shelf(UPLOAD_VIEWS), Shelf(UPLOAD_RESULTS)))
        st.session_state[_UPLOAD_SHELVES] = kept
    return kept[1]


def filtered_view(data: Dataset, filters: Filters) -> View:
    """The view for these filters: kept for the session, so that page switches reuse it, and
    shared with every session that asks for the same filters (``shelves``)."""
    key = (data.source, data.version, filters)
    kept = st.session_state.get(_VIEW_KEY)
    if kept is not None and kept[0] == key:
        return kept[1]
    view = shelves(data)[0].get(key, lambda: _make_view(data, filters))
    st.session_state[_VIEW_KEY] = (key, view)
    return view


def _make_view(data: Dataset, filters: Filters) -> View:
    selection = analysis.select_posts(
        data.posts,
        filters,
        data.authors if filters.authors else None,
        data.topics if filters.topics else None,
    )
    return View(data, filters, analysis.posts_at(data.posts, selection), selection)


def shared(view: View, name: str, make: Callable[..., T], *args: Hashable) -> T:
    """``make(view, *args)``: made once for the view's data and filters, ``name`` and ``args``,
    then kept (``shelves``) for every session that asks for it, and for this one's return to
    these filters. ``make`` must depend on nothing but its arguments, and nothing may change
    what it returns: every session reads the same object."""
    key = (view.dataset.source, view.dataset.version, view.filters, name, args)
    return shelves(view.dataset)[1].get(key, lambda: make(view, *args))


def current_view() -> View:
    """The view the frame (``app.py``) built for this run; pages read their tables from it."""
    kept = st.session_state.get(_VIEW_KEY)
    if kept is None:
        raise RuntimeError("pages run inside dashboard/app.py, which builds the view first")
    return kept[1]


SHOW_EVENTS = "show_events"  # the sidebar toggle's key


def shown_events(view: View) -> tuple[Event, ...]:
    """The events to mark on the view's time charts: none when the sidebar's toggle is off;
    a message (once per run) when the calendar cannot be read."""
    if not st.session_state.get(SHOW_EVENTS, True):
        return ()
    events = view.dataset.derived.events
    if isinstance(events, EnrichmentConfigError):
        st.warning(f"The calendar of events is not shown: {escape_markdown(events)}")
        return ()
    return events_between(events, view.start, view.end)


def forget_view() -> None:
    """Drop the session's kept view: its data changed, so the next run builds it anew."""
    st.session_state.pop(_VIEW_KEY, None)


@st.cache_data(show_spinner=False, max_entries=2)
def _taxonomy(path: str, version: object) -> tuple[tuple[str, ...], dict[str, dict[str, float]]]:
    """Topic names in file order and each topic's targets. Cached: the file is parsed once."""
    from dashboard.enrich.topics import Taxonomy

    taxonomy = Taxonomy.load(path)
    targets = {t.name: dict(t.settings) for t in taxonomy.topics}
    return tuple(taxonomy.names), targets


def taxonomy_topics() -> tuple[tuple[str, ...], dict[str, dict[str, float]]]:
    """The taxonomy the loader matched topics with (the shown data's configuration): names and
    per-topic target settings."""
    topics = str(current_view().dataset.config.topics)
    return _taxonomy(topics, source_version(topics))
