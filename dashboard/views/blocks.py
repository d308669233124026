"""Page blocks the views share: a chart with its table, a list of posts, the data panel.

Data text reaches the page only as escaped Markdown, as dataframe cells or as plotly labels
escaped by ``dashboard.charts``; nothing here allows HTML.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard import display, state
from dashboard.charts import Chart
from dashboard.display import escape_markdown
from dashboard.state import Dataset, View

ROWS_SHOWN = 100  # captured periods listed; longer lists are cut, with a note
PROBLEMS_SHOWN = 500
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def stop_if_empty(view: View) -> None:
    """End the page with a notice when no post passes the filters."""
    if view.posts.empty:
        st.info("No posts match the filters. Change them in the sidebar, or clear them.")
        st.stop()


def chart(
    drawn: Chart,
    *,
    key: str | None = None,
    selectable: bool = False,
    table_label: str = "Table behind this chart",
):
    """Draw a chart and, one click away, the aggregated table it was drawn from.

    With ``selectable`` a click on a bar or point reruns the page and the selection is returned.
    """
    title = html.unescape(drawn.figure.layout.title.text or "Chart")
    event = st.plotly_chart(
        drawn.figure,
        theme=None,
        width="stretch",
        key=key,
        on_select="rerun" if selectable else "ignore",
        selection_mode="points",
        config=PLOTLY_CONFIG,
        alt=title,
    )
    table_box = st.expander(
        table_label, icon=":material/table:", key=f"table:{title}", on_change="rerun"
    )
    if table_box.open:  # sent only when asked for: the landing page draws its chart sooner
        table_box.dataframe(drawn.table, hide_index=True, width="stretch")
    return event


def post_list(posts, limit: int = 50) -> None:
    """The posts as a list of links (date, title, authors), at most ``limit`` of them."""
    search = state.current_view().dataset.search
    st.markdown(display.post_list_markdown(posts.head(limit), search))
    if len(posts) > limit:
        st.caption(
            f"… and {len(posts) - limit:,} more. The Posts page lists them all, page by page."
        )


def data_panel(data: Dataset) -> None:
    """Where the data came from, what the loader made of it, and what the posts lack."""
    report, missing = data.report, state.missing_of(data)
    with st.container(border=True):
        st.subheader("About this data")
        st.markdown(f"Source: {escape_markdown(state.source_label(data))}")
        read, loaded, merged, rejected = st.columns(4)
        read.metric("Records read", f"{report.read:,}")
        loaded.metric("Loaded", f"{report.loaded:,}", help="Records that became a post.")
        merged.metric(
            "Merged", f"{report.merged:,}", help="Records of a post already loaded, combined."
        )
        rejected.metric("Rejected", f"{report.rejected:,}", help="Records that were not posts.")
        author, url, topic = st.columns(3)
        total = len(data.posts)
        author.metric("Posts without author", _count_share(missing["without author"], total))
        url.metric("Posts without URL", _count_share(missing["without URL"], total))
        topic.metric("Posts without topic", _count_share(missing["without topic"], total))
        st.caption("Counts over the whole archive, before filters.")
        coverage = data.coverage
        windows = display.coverage_table(coverage)
        first = coverage.first or data.first
        share = coverage.captured_days(first, data.as_of) / ((data.as_of - first).days + 1)
        captured = st.expander(
            f"Captured periods ({len(windows):,}, {share:.0%} of the archive's span)",
            icon=":material/date_range:",
            key="data:coverage",
            on_change="rerun",
        )
        if captured.open:
            captured.caption(
                f"The data was taken on {display.long_day(data.as_of)}. Its sources cover these "
                f"periods completely; the rest of {display.long_day(first)} to "
                f"{display.long_day(data.as_of)} was not captured, so no page reads it as "
                "silence."
            )
            captured.dataframe(windows.head(ROWS_SHOWN), hide_index=True, width="stretch")
            if len(windows) > ROWS_SHOWN:
                captured.caption(f"The first {ROWS_SHOWN} of {len(windows):,} periods.")
        sources = st.expander(
            f"Per source ({len(report.sources):,})",
            icon=":material/folder:",
            key="data:sources",
            on_change="rerun",
        )
        if sources.open:
            sources.dataframe(state.source_rows(data), hide_index=True, width="stretch")
        if report.problems:
            problems = st.expander(
                f"Problems ({len(report.problems):,})",
                icon=":material/warning:",
                key=state.PROBLEMS_OPEN,
                on_change="rerun",
            )
            if problems.open:
                shown = state.problem_rows(data, PROBLEMS_SHOWN)
                problems.dataframe(shown, hide_index=True, width="stretch")
                if len(report.problems) > len(shown):
                    problems.caption(
                        f"The first {len(shown):,} problems; `ingest` prints them all."
                    )


def _count_share(count: int, total: int) -> str:
    return f"{count:,} ({count / total:.0%})" if total else "0"
