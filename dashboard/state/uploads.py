"""This session's data: the configured source or the session's own upload, the sidebar's word
on it, and the button that refreshes the configured file from the blog.

Staff can upload a file instead: it becomes the data of their session alone (kept in
``st.session_state``, never in a cache other sessions read). In public mode nothing can be
uploaded or refreshed.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import upload
from dashboard.config import Config, Site
from dashboard.display import escape_markdown
from dashboard.state.data import Dataset, View, build_dataset, configured_dataset, forget_view
from dashboard.state.neutral import public_note
from dashboard.state.public import public_mode, secret
from dashboard.state.sidebar import clear_filters
from dashboard.state.sources import BUNDLED_DATA, dashboard_config, data_source

_REFRESHED = "refresh_summary"  # what the last refresh of this session fetched
_UPLOADED = "uploaded_data"  # the Dataset of this session's upload
_UPLOAD_ROUND = "upload_round"  # part of the uploader's key: a new round empties the widget
_UPLOAD_NOTICE = "upload_notice"  # (kind, text): what the last upload gave
_DATA_SWITCHED = "data_switched"  # the session changed data: clear the filters once
PROBLEMS_OPEN = "data:problems"  # the key of the data panel's list of problems


def dataset() -> Dataset | None:
    """This session's data: its upload if there is one, else the configured source (or None
    after showing why that could not be loaded). After a switch between them every filter is
    cleared, as the old values may not exist in the new data."""
    data = uploaded_dataset() or configured_dataset()
    if data is not None and st.session_state.pop(_DATA_SWITCHED, False):
        clear_filters(data.first, data.last)  # before the widgets: they start from "everything"
    return data


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
            # the registries of the configuration shown, but not its site: it is staff's file
            shown = dashboard_config(data_source())
            config = Config(shown.dir, Site(), shown.authors, shown.topics)
            registries = (config.authors, config.topics)
            result = upload.read_upload(name, data, upload_limit_mb(), registries)
        uploaded = build_dataset(
            name,
            upload.content_version(data),
            result.posts,
            result.report,
            uploaded=True,
            config=config,
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
    forget_view()


def data_sidebar(data: Dataset | None = None) -> None:
    """The sidebar's word on the data: in public mode what the demo shows; for staff, a file
    uploader whose file becomes the data of their session."""
    if public_mode():
        note = data.config.site.public_note if data is not None else None
        st.sidebar.caption(public_note(data_source(), note))
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


# --- Refreshing from the blog -----------------------------------------------------------------


def crawl_url(config: Config | None = None) -> str | None:
    """The blog the refresh button crawls: ``DASHBOARD_CRAWL_URL`` from the environment or
    from ``.streamlit/secrets.toml``, else the configuration's ``crawl_url``; None when none
    sets it."""
    from dashboard.crawl import CRAWL_URL_VARIABLE, configured_crawl_url

    url = configured_crawl_url()
    if url:
        return url
    value = secret(CRAWL_URL_VARIABLE)
    if value and str(value).strip():
        return str(value).strip()
    return config.site.crawl_url if config is not None else None


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
    url, target = crawl_url(data.config), refresh_target(data.source)
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
            result = refresh(
                url,
                target,
                progress=progress,
                authors=data.config.authors,
                topics=data.config.topics,
            )
        except CrawlError as error:
            box.update(label="Refresh failed: nothing was changed", state="error")
            st.sidebar.error(escape_markdown(error))
            return
    st.session_state[_REFRESHED] = "\n".join(result.summary())
    forget_view()  # the next run's date boxes follow the new bounds (``follow_new_edges``)
    st.rerun()


# --- The report of the current view -----------------------------------------------------------

_REPORT = "prepared_report"  # (filters, html bytes) of the last report this session prepared


def report_sidebar(view: View) -> None:
    """A button that writes the report of the current filters (``dashboard.report``), then a
    download of it; in public mode too. Made on request: it reads every post of the view."""
    from dashboard.analysis import UNCLASSIFIED
    from dashboard.report import ReportData, ReportError, build_report, days_period

    if view.posts.empty or view.start is None or view.end is None:
        return
    key = (view.dataset.source, view.dataset.version, view.filters)
    kept = st.session_state.get(_REPORT)
    if st.sidebar.button("Prepare the report", icon=":material/summarize:", width="stretch",
                         help="One HTML file of the posts the filters show: figures, charts, "
                         "gaps, events and every post, to send on or print."):  # fmt: skip
        period = days_period(view.start.date(), min(view.end.date(), view.dataset.as_of))
        targets = taxonomy_targets(view)
        data = ReportData(
            view.posts,
            view.authors,
            view.topics[(view.topics["topic"] != UNCLASSIFIED).to_numpy()],
            view.dataset.coverage,
            view.dataset.derived.events if isinstance(view.dataset.derived.events, tuple) else (),
            view.dataset.config.site,
            targets,
        )
        try:
            text = build_report(data, period)
        except ReportError as error:
            st.sidebar.warning(escape_markdown(error))
            return
        kept = (key, text.encode("utf-8"), period.label)
        st.session_state[_REPORT] = kept
    if kept is not None and kept[0] == key:
        st.sidebar.download_button(
            "Download the report",
            kept[1],
            file_name=f"report {kept[2]}.html",
            mime="text/html",
            icon=":material/download:",
            width="stretch",
            on_click="ignore",
        )


def taxonomy_targets(view: View) -> dict:
    """Per topic its target settings, from the view's configuration (none when unreadable)."""
    from dashboard.enrich import EnrichmentConfigError, Taxonomy

    try:
        return {t.name: dict(t.settings) for t in Taxonomy.load(view.dataset.config.topics).topics}
    except (EnrichmentConfigError, OSError):
        return {}
