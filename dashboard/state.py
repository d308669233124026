"""The dashboard's state: where the data comes from, cached loading, and the shared filters.

The only Streamlit code below the pages. Loading and the derived long tables are cached with
``st.cache_resource``, keyed by the source and its modification time (not by the table), so a
source is read once per process and again only when it changes. ``st.cache_resource`` rather
than ``st.cache_data``: the tables are shared read-only by every session (nothing below mutates
them), whereas ``st.cache_data`` keeps a pickled copy and unpickles it on every rerun, which at
a million posts is 390 MB more memory and half a second more per filter change. The filters
live in the sidebar and in the page URL (``from``, ``to``, ``author``, ``topic``, ``q``), so a
view can be shared as a link.

Staff can upload a file instead: it becomes the data of their session alone (kept in
``st.session_state``, never in a cache other sessions read). In public mode
(``DASHBOARD_PUBLIC=1``) nothing can be uploaded or refreshed, and every message names a source
by a neutral name (``neutral_name``) so that no path on the server reaches a visitor.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path, PureWindowsPath
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import analysis, upload
from dashboard.analysis import Filters
from dashboard.display import escape_markdown
from dashboard.load import LoadError, Report, load_sources, prepare
from dashboard.load.fetch import is_url

DATA_ENV = "DASHBOARD_DATA"
BUNDLED_DATA = Path(__file__).resolve().parent.parent / "data" / "posts.parquet"
INGEST_HINT = "python -m dashboard ingest data/sources --out data/posts.parquet"
URL_REFRESH_SECONDS = 3600  # a source on the web is fetched again at most once an hour

# Query parameter names (a contract: shared links depend on them) and widget keys at once.
FROM, TO, AUTHOR, TOPIC, TEXT = "from", "to", "author", "topic", "q"
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
AUTHORS_LISTED = 300  # authors offered in the filter's list (any other can be typed)
FOLLOW_UP_SECONDS = 1.2  # after the first paint, when the filters and the rest of the page come
_VIEW_KEY = "filtered_view"
_REFRESHED = "refresh_summary"  # what the last refresh of this session fetched
_FIRST_PAINT = "first_paint"  # whether the current run is the session's first
_FOLLOW_UPS = "first_paint_follow_ups"
_UPLOADED = "uploaded_data"  # the Dataset of this session's upload
_UPLOAD_ORDERS = "uploaded_data_orders"  # its posts sorted by each order asked for
_UPLOAD_ROUND = "upload_round"  # part of the uploader's key: a new round empties the widget
_UPLOAD_NOTICE = "upload_notice"  # (kind, text): what the last upload gave
_DATA_SWITCHED = "data_switched"  # the session changed data: clear the filters once
PROBLEMS_OPEN = "data:problems"  # the key of the data panel's list of problems

logger = logging.getLogger(__name__)


class Derived:
    """A posts table's long tables and filter options, each made when first asked for.

    The first paint of a page that needs none of them (the overview's chart) does not wait for
    them: exploding the lists of a million posts takes about half a second. The configured
    source's instance is cached with its posts, so every session shares what was made.
    """

    def __init__(self, posts: pd.DataFrame) -> None:
        self.posts = posts

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
    def first(self) -> date:
        return self.posts["published"].min().date()

    @property
    def last(self) -> date:
        return self.posts["published"].max().date()


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
    def end(self) -> pd.Timestamp | None:
        """The last day to draw: the filter's end date, else the latest post shown."""
        if self.filters.end is not None:
            return pd.Timestamp(self.filters.end)
        return None if self.posts.empty else self.posts["published"].max()


# --- Loading ----------------------------------------------------------------------------------


def data_source() -> str:
    """The source to show: ``DASHBOARD_DATA`` when set, else the bundled ``data/posts.parquet``."""
    return os.environ.get(DATA_ENV, "").strip() or str(BUNDLED_DATA)


def source_version(source: str) -> object:
    """What changes when the source changes: file modification times, or the hour for a URL."""
    if source.lower().startswith(("http://", "https://")):
        return int(time.time() // URL_REFRESH_SECONDS)
    path = Path(source)
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file()]
        return (len(files), max((p.stat().st_mtime_ns for p in files), default=0))
    return path.stat().st_mtime_ns if path.exists() else None


@st.cache_resource(show_spinner="Loading the posts…", max_entries=2)
def load_posts(source: str, version: object) -> tuple[pd.DataFrame, Report]:
    """The posts of a source, prepared for the dashboard, and the load report.

    Cached because loading parses every record; ``version`` is in the key so that a changed
    file is read again.
    """
    result = load_sources([source])
    return prepare.prepare_posts(result.posts), result.report


@st.cache_resource(show_spinner=False, max_entries=4)
def derived_tables(source: str, version: object) -> Derived:
    """The long tables and filter options of a source, shared by every session; each is made
    when a page first asks for it, then kept with the source."""
    posts, _ = load_posts(source, version)
    return Derived(posts)


@st.cache_resource(show_spinner=False, max_entries=6)
def _post_order(source: str, version: object, order: str) -> np.ndarray:
    """The posts' index labels in one of the sort orders; cached: sorting a million titles
    takes seconds, and each filtered view is then paged through this order."""
    posts, _ = load_posts(source, version)
    return analysis.sort_positions(posts, order)


def post_order(data: Dataset, order: str) -> np.ndarray:
    """The dataset's posts in ``order`` (index labels), sorted once per dataset and order."""
    if not data.uploaded:
        return _post_order(data.source, data.version, order)
    kept = st.session_state.setdefault(_UPLOAD_ORDERS, {})  # an upload's orders: its session's
    if any(version != data.version for version, _ in kept):
        kept.clear()
    if (data.version, order) not in kept:
        kept[data.version, order] = analysis.sort_positions(data.posts, order)
    return kept[data.version, order]


@st.cache_data(show_spinner=False, max_entries=4)
def missing_fields(source: str, version: object) -> dict[str, int]:
    """Posts without author, URL or topic in the whole archive; cached as it never changes."""
    posts, _ = load_posts(source, version)
    return analysis.missing_fields(posts)


def missing_of(data: Dataset) -> dict[str, int]:
    """Posts without author, URL or topic in the whole dataset. Counted when first asked for
    (the data panel, below the first paint), then cached with the source."""
    if data.missing is not None:
        return data.missing
    return missing_fields(data.source, data.version)


def dataset() -> Dataset | None:
    """This session's data: its upload if there is one, else the configured source (or None
    after showing why that could not be loaded). After a switch between them every filter is
    cleared, as the old values may not exist in the new data."""
    data = uploaded_dataset() or configured_dataset()
    if data is not None and st.session_state.pop(_DATA_SWITCHED, False):
        clear_filters(data.first, data.last)  # before the widgets: they start from "everything"
    return data


def configured_dataset() -> Dataset | None:
    """The dataset of the configured source, or None after showing why it could not be loaded."""
    source = data_source()
    public = public_mode()
    shown = escape_markdown(shown_source(source))
    try:
        version = source_version(source)
        posts, report = load_posts(source, version)
        derived = derived_tables(source, version)
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
    return Dataset(source, version, posts, report, derived, None)


def build_dataset(
    source: str, version: object, posts: pd.DataFrame, report: Report, *, uploaded: bool = False
) -> Dataset:
    """A Dataset from a prepared posts table, for an upload: it has no path and so no place in
    the caches keyed by source and version, and lives in its session's state."""
    return Dataset(
        source,
        version,
        posts,
        report,
        Derived(posts),
        analysis.missing_fields(posts),
        uploaded=uploaded,
    )


# --- Filters ----------------------------------------------------------------------------------


def _parse_date(value: str) -> date | None:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if EARLIEST <= parsed <= LATEST and len(value) == 10 else None


def invalid_filter_params(params: dict[str, list[str]], data: Dataset) -> list[str]:
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


def filters_from_params(params: dict[str, list[str]], data: Dataset) -> Filters:
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
        unknown = [a for a in filters.authors if a not in set(data.author_names)]
        if unknown:
            st.warning(
                f"No author named “{escape_markdown(unknown[0])}” in this data, so no "
                "post matches. Names are matched exactly, as the list writes them."
            )
        if filters.start and filters.end and filters.start > filters.end:
            st.warning("The start date is after the end date, so no post matches.")
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


def author_options(data: Dataset) -> list[str]:
    """The authors the filter offers: the most prolific (``AUTHORS_LISTED``) and any chosen,
    from the sidebar or the link. Fifty thousand names would be most of every page's bytes."""
    known = set(data.author_names)
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


def filtered_view(data: Dataset, filters: Filters) -> View:
    """The view for these filters; kept for the session so that page switches reuse it."""
    key = (data.source, data.version, filters)
    kept = st.session_state.get(_VIEW_KEY)
    if kept is not None and kept[0] == key:
        return kept[1]
    selection = analysis.select_posts(
        data.posts,
        filters,
        data.authors if filters.authors else None,
        data.topics if filters.topics else None,
    )
    view = View(data, filters, analysis.posts_at(data.posts, selection), selection)
    st.session_state[_VIEW_KEY] = (key, view)
    return view


def current_view() -> View:
    """The view the frame (``app.py``) built for this run; pages read their tables from it."""
    kept = st.session_state.get(_VIEW_KEY)
    if kept is None:
        raise RuntimeError("pages run inside dashboard/app.py, which builds the view first")
    return kept[1]


@st.cache_data(show_spinner=False, max_entries=2)
def _taxonomy(path: str, version: object) -> tuple[tuple[str, ...], dict[str, dict[str, float]]]:
    """Topic names in file order and each topic's targets. Cached: the file is parsed once."""
    from dashboard.enrich.topics import Taxonomy

    taxonomy = Taxonomy.load(path)
    targets = {t.name: dict(t.settings) for t in taxonomy.topics}
    return tuple(taxonomy.names), targets


def taxonomy_topics() -> tuple[tuple[str, ...], dict[str, dict[str, float]]]:
    """The taxonomy the loader matched topics with: names and per-topic target settings."""
    from dashboard.enrich import DEFAULT_TOPICS

    return _taxonomy(str(DEFAULT_TOPICS), source_version(str(DEFAULT_TOPICS)))


# --- Refreshing from the blog -----------------------------------------------------------------

PUBLIC_ENV = "DASHBOARD_PUBLIC"


def public_mode() -> bool:
    """Whether this is a public, read-only deployment: ``DASHBOARD_PUBLIC=1`` in the environment
    or in ``.streamlit/secrets.toml`` (where a host such as Community Cloud keeps settings)."""
    value = os.environ.get(PUBLIC_ENV, "").strip() or _secret(PUBLIC_ENV)
    return str(value).strip().lower() in ("1", "true", "yes")


def _secret(name: str) -> object:
    """A root-level value of ``.streamlit/secrets.toml``, or "" when there is none."""
    try:
        return st.secrets.get(name, "")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return ""


def crawl_url() -> str | None:
    """The blog the refresh button crawls: ``DASHBOARD_CRAWL_URL`` from the environment or
    from ``.streamlit/secrets.toml``; None when neither sets it."""
    from dashboard.crawl import CRAWL_URL_VARIABLE, configured_crawl_url

    url = configured_crawl_url()
    if url:
        return url
    value = _secret(CRAWL_URL_VARIABLE)
    return str(value).strip() or None if value else None


def refresh_target(source: str) -> Path | None:
    """The file a refresh writes into: the shown source when it is a local Parquet file."""
    path = Path(source)
    return path if path.suffix.lower() in (".parquet", ".pq") and not path.is_dir() else None


def refresh_sidebar(data: Dataset) -> None:
    """A button that crawls the configured blog into the shown Parquet file, then reloads.

    The loaders' cache keys hold the file's modification time, so the rerun reads the new file.
    """
    if public_mode() or data.uploaded:
        return
    url, target = crawl_url(), refresh_target(data.source)
    if not url or target is None:
        return
    from dashboard.crawl import CrawlError, refresh

    clicked = st.sidebar.button(
        "Refresh from the blog",
        icon=":material/sync:",
        help=f"Read new posts from {url} into {target.name}.",
    )
    if _REFRESHED in st.session_state:
        st.sidebar.code(st.session_state[_REFRESHED], language=None)
    if not clicked:
        return
    with st.sidebar.status("Reading the blog…", expanded=True) as box:

        def progress(stage: str, done: int, total: int | None, message: str) -> None:
            box.update(label=f"Reading {stage}: {done}{f' of {total}' if total else ''}")

        try:
            result = refresh(url, target, progress=progress)
        except CrawlError as error:
            box.update(label="Refresh failed: nothing was changed", state="error")
            st.sidebar.error(escape_markdown(error))
            return
    st.session_state[_REFRESHED] = "\n".join(result.summary())
    st.session_state.pop(_VIEW_KEY, None)
    for key in (FROM, TO):  # dates left at the old archive's bounds follow the new bounds
        if key not in st.query_params:
            st.session_state.pop(key, None)
    st.rerun()


# --- Public mode ------------------------------------------------------------------------------

BUNDLED_NAME = "the bundled dataset"
UNNAMED_SOURCE = "the data source"
LOGGED = "The details are in the server's log."
PAGE_FAILED = "Something went wrong while drawing this page. Try another page, or reload."
PUBLIC_NOTE = (
    "A public, read-only demo: posts of the Heseltine Institute blog (University of Liverpool), "
    "read from a sample of its listing and article pages. Nothing can be uploaded or changed "
    "here."
)
# An absolute path (POSIX, home or Windows) not inside a word, a URL or a date.
_PATH = re.compile(r"(?<![\w.:/\\~-])(?:[A-Za-z]:[\\/]|~?/)[^\s'\"()<>,;]+")


def neutral_name(source: str) -> str:
    """A name for a source that shows nothing of the server: the bundled dataset, a web address
    without its query, or a file's own name."""
    if source == str(BUNDLED_DATA):
        return BUNDLED_NAME
    if is_url(source):
        parts = urlsplit(source)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"
    return PureWindowsPath(source).name or UNNAMED_SOURCE  # splits on "/" and "\" alike


def neutral_text(text: str, sources: Iterable[str], *, other_paths: bool = True) -> str:
    """``text`` with each of ``sources`` replaced by its neutral name and, with
    ``other_paths``, any other absolute file-system path by an ellipsis."""
    for source in sorted({s for s in sources if s}, key=len, reverse=True):
        text = text.replace(source, neutral_name(source))
    return _PATH.sub("…", text) if other_paths else text


def shown_source(source: str) -> str:
    """How a page names a source: as configured for staff, by its neutral name in public mode."""
    return neutral_name(source) if public_mode() else source


def source_label(data: Dataset) -> str:
    """What the data panel says the data is."""
    if data.uploaded:
        return f"{data.source} (uploaded; only you see it, until you reload the page)"
    return shown_source(data.source)


def source_rows(data: Dataset) -> list[dict]:
    """The load report's line per source; in public mode with neutral names and no paths."""
    public, sources = public_mode(), _report_sources(data)
    return [
        {
            "Source": neutral_name(s.source) if public else s.source,
            "Format": s.format,
            "Read": s.read,
            "Loaded": s.loaded,
            "Merged": s.merged,
            "Rejected": s.rejected,
            "Error": neutral_text(s.error or "", sources) if public else s.error or "",
        }
        for s in data.report.sources
    ]


def problem_rows(data: Dataset, limit: int) -> list[dict]:
    """The load report's first ``limit`` problems; in public mode with neutral source names."""
    public, sources = public_mode(), _report_sources(data)
    rows = []
    for p in data.report.problems[:limit]:
        reason = p.reason
        if public:  # a record's reason quotes its own data: a relative link is no server path
            reason = neutral_text(reason, sources, other_paths=p.position == "whole source")
        rows.append(
            {
                "Source": neutral_name(p.source) if public else p.source,
                "Where": p.position,
                "What": "rejected" if p.rejected else f"dropped {p.field}",
                "Reason": reason,
            }
        )
    return rows


def _report_sources(data: Dataset) -> list[str]:
    return [data.source] + [s.source for s in data.report.sources]


def downloadable(posts: pd.DataFrame) -> pd.DataFrame:
    """The posts as the download buttons give them: in public mode each post's ``source`` is
    its neutral name."""
    if not public_mode():
        return posts
    names = {source: neutral_name(source) for source in posts["source"].unique()}
    return posts.assign(source=posts["source"].map(names))


def public_note(source: str) -> str:
    """What the public demo shows, for the sidebar."""
    if source == str(BUNDLED_DATA):
        return PUBLIC_NOTE
    return (
        f"A public, read-only view of the posts in {escape_markdown(neutral_name(source))}. "
        "Nothing can be uploaded or changed here."
    )


def hide_error_details() -> None:
    """In public mode, make Streamlit show any uncaught error without its type, message or
    traceback (``client.showErrorDetails = "none"``); the details still go to the log."""
    if public_mode() and st.get_option("client.showErrorDetails") != "none":
        st.set_option("client.showErrorDetails", "none")


@contextmanager
def page_errors() -> Iterator[None]:
    """In public mode, an error while drawing a page ends it with a short message, not a
    traceback; the details go to the server's log. Staff see the error as Streamlit shows it."""
    if not public_mode():
        yield
        return
    try:
        yield
    except Exception:  # st.stop and st.rerun are no Exception: they pass through
        logger.exception("drawing a page failed")
        st.error(f"{PAGE_FAILED} {LOGGED}", icon=":material/error:")


# --- Uploads ----------------------------------------------------------------------------------


def upload_limit_mb() -> int:
    """The largest upload in megabytes: the server's own limit, ``server.maxUploadSize``."""
    return int(st.get_option("server.maxUploadSize"))


def uploaded_dataset() -> Dataset | None:
    """The data this session uploaded, if any (never in public mode)."""
    return None if public_mode() else st.session_state.get(_UPLOADED)


def _uploader_key() -> str:
    return f"upload:{st.session_state.get(_UPLOAD_ROUND, 0)}"


def take_upload() -> None:
    """The uploader's callback: make a new file this session's data, or say why it cannot be.

    A file that cannot be used leaves the data as it was. So does taking the file out of the
    uploader: a browser does that first when a file replaces another, so only the button of
    ``data_sidebar`` goes back to the configured data.
    """
    file = st.session_state.get(_uploader_key())
    if file is None:
        st.session_state.pop(_UPLOAD_NOTICE, None)
        return
    name = upload.file_name(file.name)
    try:
        upload.check_size(name, file.size, upload_limit_mb())
        data = file.getvalue()
        with st.spinner(f"Reading {name}…"):
            result = upload.read_upload(name, data, upload_limit_mb())
        uploaded = build_dataset(
            name, upload.content_version(data), result.posts, result.report, uploaded=True
        )
    except upload.UploadError as error:
        st.session_state[_UPLOAD_NOTICE] = ("error", f"{error} The data shown has not changed.")
        return
    st.session_state[_UPLOADED] = uploaded
    summary = upload.upload_summary(name, len(uploaded.posts), result.report)
    if result.report.problems:  # the data panel opens its list of problems
        st.session_state[PROBLEMS_OPEN] = True
        summary += " Each problem is listed under About this data, on the Overview page."
    st.session_state[_UPLOAD_NOTICE] = ("success", summary)
    _switched()


def use_configured_data() -> None:
    """Drop this session's upload and show the configured (usually the bundled) data again."""
    st.session_state.pop(_UPLOADED, None)
    st.session_state.pop(_UPLOAD_NOTICE, None)
    st.session_state[_UPLOAD_ROUND] = st.session_state.get(_UPLOAD_ROUND, 0) + 1
    _switched()


def _switched() -> None:
    st.session_state[_DATA_SWITCHED] = True
    st.session_state.pop(_VIEW_KEY, None)


def data_sidebar(data: Dataset | None = None) -> None:
    """The sidebar's word on the data: in public mode what the demo shows; for staff, a file
    uploader whose file becomes the data of their session."""
    if public_mode():
        st.sidebar.caption(public_note(data_source()))
        return
    limit = upload_limit_mb()
    with st.sidebar:
        st.subheader("Your own data")
        st.file_uploader(
            "Upload posts",
            type=list(upload.UPLOAD_TYPES),
            key=_uploader_key(),
            on_change=take_upload,
            help=(
                "Posts as CSV, JSON, JSON Lines or Parquet, an RSS or Atom feed, WordPress "
                f"REST API JSON, or a saved blog page (HTML or text); up to {limit:,} MB. "
                "Only you see the uploaded data, until you reload the page; nothing is saved."
            ),
        )
        notice = st.session_state.get(_UPLOAD_NOTICE)
        if notice is not None:
            kind, text = notice
            (st.error if kind == "error" else st.success)(escape_markdown(text))
        if data is not None and data.uploaded:
            st.caption(
                f"Showing your upload, {escape_markdown(data.source)}: only you see it, until "
                "you reload the page."
            )
            bundled = data_source() == str(BUNDLED_DATA)
            back = "Use the bundled data" if bundled else "Use the configured data"
            st.button(back, icon=":material/undo:", on_click=use_configured_data, width="stretch")
