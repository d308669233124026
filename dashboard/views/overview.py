"""Overview: headline figures, output per month, the latest posts, and where the data came from."""

import streamlit as st

from dashboard import analysis, charts, display, state
from dashboard.display import escape_markdown
from dashboard.views import blocks

view = state.current_view()
st.title("Overview")
st.caption(
    "What the blog published, by whom and how often. The filters in the sidebar apply to every "
    "page and are kept in the page address, so a view can be shared as a link."
)
blocks.stop_if_empty(view)


# Made once per view and events shown, for every session (``state.shared``).
def month_chart(view: state.View, events: tuple) -> charts.Chart:
    return charts.period_chart(
        analysis.posts_per_period(view.posts, "month", start=view.start, end=view.end),
        "month",
        title="Posts per month",
        coverage=view.dataset.coverage,
        events=events,
    )


def headline_figures(view: state.View) -> analysis.Headline:
    return analysis.headline_figures(
        view.posts, view.authors, view.topics, today=view.now, coverage=view.dataset.coverage
    )


blocks.chart(state.shared(view, "overview.month", month_chart, state.shown_events(view)))
state.lead_drawn()  # the first paint ends with the chart

headline = state.shared(view, "overview.headline", headline_figures)
posts, authors, topics = st.columns(3)
posts.metric("Posts", f"{headline.posts:,}", border=True, height="stretch")
authors.metric("Authors", f"{headline.authors:,}", border=True, height="stretch")
topics.metric(
    "Topics",
    f"{headline.topics:,}",
    help="Topics of the taxonomy, not counting “Unclassified”.",
    border=True,
    height="stretch",
)
silence_span = None
if headline.longest_silence_days:
    silence_span = (
        f"{display.day_label(headline.silence_start)} to {display.day_label(headline.silence_end)}"
    )
per_month, latest, silence = st.columns(3)
per_month.metric(
    "Posts per month",
    f"{headline.posts_per_month:.1f}",
    help="Posts spread over the calendar months from the first post shown to the latest.",
    border=True,
    height="stretch",
)
latest.metric(
    "Latest post",
    display.day_label(headline.latest),
    f"{headline.days_since_latest:,} days ago",
    delta_color="off",
    delta_arrow="off",
    help=f"“{escape_markdown(headline.latest_title)}”",
    border=True,
    height="stretch",
)
silence.metric(
    "Longest silence",
    f"{headline.longest_silence_days:,} days" if headline.longest_silence_days else "none",
    silence_span,
    delta_color="off",
    delta_arrow="off",
    help="The most days between two consecutive posts, counting only stretches the data "
    "captured throughout.",
    border=True,
    height="stretch",
)

st.subheader("Latest posts")
blocks.post_list(analysis.latest_posts(view.posts, 8))

blocks.data_panel(view.dataset)
