"""Public mode (``DASHBOARD_PUBLIC=1``): a read-only deployment that shows no server path and no
traceback to a visitor.

Every message names a source by its neutral name (``neutral``), the load report and the
downloads included, and an error while drawing a page, or a section of one that reruns alone
(``fragment``), ends it with a short message whose details go to the server's log.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, ParamSpec

import pandas as pd
import streamlit as st

from dashboard.state.neutral import LOGGED, PAGE_FAILED, neutral_name, neutral_text

if TYPE_CHECKING:
    from dashboard.state.data import Dataset

PUBLIC_ENV = "DASHBOARD_PUBLIC"
P = ParamSpec("P")

logger = logging.getLogger(__name__)


def public_mode() -> bool:
    """Whether this is a public, read-only deployment: ``DASHBOARD_PUBLIC=1`` in the environment
    or in ``.streamlit/secrets.toml`` (where a host such as Community Cloud keeps settings)."""
    value = os.environ.get(PUBLIC_ENV, "").strip() or secret(PUBLIC_ENV)
    return str(value).strip().lower() in ("1", "true", "yes")


def secret(name: str) -> object:
    """A root-level value of ``.streamlit/secrets.toml``, or "" when there is none."""
    try:
        return st.secrets.get(name, "")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return ""


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


def fragment(body: Callable[P, None]) -> Callable[P, None]:
    """``st.fragment`` for a section of a page, the section drawn inside ``page_errors``.

    A control inside a fragment reruns the fragment alone, not ``app.py`` and its
    ``page_errors``; and even in a full run Streamlit shows an error raised in a fragment in the
    fragment's place. So in public mode the section itself ends with the page's short message,
    whichever run draws it, and the rest of the page is drawn as usual.
    """

    @functools.wraps(body)  # the same name, so the same fragment id, as ``body`` itself
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        with page_errors():
            body(*args, **kwargs)

    return st.fragment(guarded)
