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

blocks.chart(
    charts.ranking_chart(
        analysis.topic_counts(view.topics),
        "topic",
        title="Posts per topic",
        category_title="Topic",
        top=30,
    )
)


@state.fragment
def over_time() -> None:
    """Each topic's share and count per period; the period control reruns only this part."""
    freq = st.radio(
        "Over time, per",
        PERIODS,
        index=PERIODS.index(analysis.suitable_freq(view.start, view.end, PERIODS_SHOWN)),
        format_func=str.capitalize,
        horizontal=True,
    )
    share = analysis.topic_share_over_time(view.topics, view.posts, freq, view.start, view.end)
    blocks.chart(
        charts.share_chart(
            share, freq, coverage=view.dataset.coverage, events=state.shown_events(view)
        )
    )
    blocks.chart(
        charts.heatmap_chart(
            analysis.topic_period_matrix(view.topics, freq, view.start, view.end),
            title=f"Posts per topic and {freq}",
            x_title=analysis.PERIOD_NOUNS[freq],
            y_title="Topic",
            freq=freq,
            coverage=view.dataset.coverage,
            events=state.shown_events(view),
        )
    )


over_time()

matrix = analysis.author_topic_matrix(view.authors, view.topics, top=AUTHORS_SHOWN)
if not matrix.empty:
    whose = (
        f"the {AUTHORS_SHOWN} most prolific authors"
        if view.authors["author"].nunique() > len(matrix)
        else "each author"
    )
    blocks.chart(
        charts.heatmap_chart(
            matrix.T,  # topics as rows: their names are long, authors' names fit below
            title=f"Posts per topic by {whose}",
            x_title="Author",
            y_title="Topic",
        )
    )
