"""Topics: posts per topic, each topic's share over time, topic by period, author by topic."""

import streamlit as st

from dashboard import analysis, charts, state
from dashboard.views import blocks

AUTHORS_SHOWN = 15
PERIODS = ("month", "quarter", "year")
PERIODS_SHOWN = 16  # the default period is the finest that fits this many in the view

view = state.current_view()
st.title("Topics")
st.caption(
    "A post on several topics counts for each of them. Posts that match no topic of the "
    "taxonomy count as “Unclassified”."
)
blocks.stop_if_empty(view)


# Each chart is made once per view and options, for every session (``state.shared``).
def ranking_chart(view: state.View) -> charts.Chart:
    return charts.ranking_chart(
        analysis.topic_counts(view.topics),
        "topic",
        title="Posts per topic",
        category_title="Topic",
        top=30,
    )


def time_charts(view: state.View, freq: str, events: tuple) -> tuple[charts.Chart, charts.Chart]:
    """Each topic's share per period, and its posts per period."""
    share = analysis.topic_share_over_time(view.topics, view.posts, freq, view.start, view.end)
    coverage = view.dataset.coverage
    return (
        charts.share_chart(share, freq, coverage=coverage, events=events),
        charts.heatmap_chart(
            analysis.topic_period_matrix(view.topics, freq, view.start, view.end),
            title=f"Posts per topic and {freq}",
            x_title=analysis.PERIOD_NOUNS[freq],
            y_title="Topic",
            freq=freq,
            coverage=coverage,
            events=events,
        ),
    )


def author_topic_chart(view: state.View) -> charts.Chart | None:
    """Posts per topic by the most prolific authors; None when no post has an author."""
    matrix = analysis.author_topic_matrix(view.authors, view.topics, top=AUTHORS_SHOWN)
    if matrix.empty:
        return None
    whose = (
        f"the {AUTHORS_SHOWN} most prolific authors"
        if view.authors["author"].nunique() > len(matrix)
        else "each author"
    )
    return charts.heatmap_chart(
        matrix.T,  # topics as rows: their names are long, authors' names fit below
        title=f"Posts per topic by {whose}",
        x_title="Author",
        y_title="Topic",
    )


blocks.chart(state.shared(view, "topics.ranking", ranking_chart))


@state.fragment
def over_time() -> None:
    """Each topic's share and count per period; the period control reruns only this part."""
    freq = st.radio(
        "Over time, per",
        PERIODS,
        index=PERIODS.index(analysis.suitable_freq(view.start, view.end, PERIODS_SHOWN)),
        format_func=str.capitalize,
        horizontal=True,
        key="topics_period",
    )
    for drawn in state.shared(view, "topics.time", time_charts, freq, state.shown_events(view)):
        blocks.chart(drawn)


over_time()

by_author = state.shared(view, "topics.by_author", author_topic_chart)
if by_author is not None:
    blocks.chart(by_author)
