"""Authors: posts per author, first and last post, activity over time, who writes with whom."""

import streamlit as st

from dashboard import analysis, charts, state
from dashboard.views import blocks

AUTHORS_SHOWN = 20
ACTIVE_AUTHORS_SHOWN = 15
PAIRS_SHOWN = 15

view = state.current_view()
st.title("Authors")
st.caption(
    "A post with several authors counts fully for each of them, so the counts below add up to "
    "more than the number of posts."
)
blocks.stop_if_empty(view)


def author_tables(view: state.View) -> tuple:
    """Each author's counts, the posts without one, and the pairs of co-authors: made once per
    view, for every session (``state.shared``)."""
    return (
        analysis.author_stats(view.authors),
        analysis.unattributed(view.posts),
        analysis.coauthor_pairs(view.authors),
    )


stats, (without_author, share_without), pairs = state.shared(view, "authors.tables", author_tables)
named, unattributed, co_written = st.columns(3)
named.metric("Authors", f"{len(stats):,}", border=True, height="stretch")
unattributed.metric(
    "Posts without an author",
    f"{without_author:,}",
    f"{share_without:.0%} of posts",
    delta_color="off",
    delta_arrow="off",
    border=True,
    height="stretch",
)
co_written.metric("Pairs of co-authors", f"{len(pairs):,}", border=True, height="stretch")


def author_charts(view: state.View, events: tuple) -> tuple:
    """Posts per author, the most prolific authors' activity over time (None without authors)
    and the pairs of co-authors (None without any): made once per view and events shown."""
    stats, _, pairs = state.shared(view, "authors.tables", author_tables)
    together = None
    if not pairs.empty:
        together = charts.ranking_chart(
            pairs,
            "pair",
            title="Posts written together, per pair of authors",
            category_title="Authors",
            top=PAIRS_SHOWN,
            shown_columns={"author": "Author", "coauthor": "Co-author", "posts": "Posts together"},
        )
    ranking = charts.ranking_chart(
        stats,
        "author",
        title="Posts per author",
        category_title="Author",
        top=AUTHORS_SHOWN,
        shown_columns={
            "author": "Author",
            "posts": "Posts",
            "first_post": "First post",
            "last_post": "Last post",
        },
    )
    freq = analysis.suitable_freq(view.start, view.end)
    activity = analysis.period_matrix(
        view.authors, "author", freq, start=view.start, end=view.end, top=ACTIVE_AUTHORS_SHOWN
    )
    if activity.empty:
        return ranking, None, together
    whose = (
        f"the {ACTIVE_AUTHORS_SHOWN} most prolific authors"
        if len(stats) > len(activity)
        else "each author"
    )
    heatmap = charts.heatmap_chart(
        activity,
        title=f"Posts per {freq} by {whose}",
        x_title=analysis.PERIOD_NOUNS[freq],
        y_title="Author",
        freq=freq,
        coverage=view.dataset.coverage,
        events=events,
    )
    return ranking, heatmap, together


ranking, heatmap, pairs_chart = state.shared(
    view, "authors.charts", author_charts, state.shown_events(view)
)
blocks.chart(ranking, table_label="Every author, with first and last post")
if heatmap is not None:
    blocks.chart(heatmap)

st.subheader("Who writes with whom")
if pairs.empty:
    st.info("No post in this view has more than one author.")
else:
    blocks.chart(pairs_chart, table_label="Every pair of co-authors")
