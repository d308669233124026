"""Timeline: posts per week, month, quarter or year, by topic or author; select a bar to list it."""

import streamlit as st

from dashboard import analysis, charts, display, schema, state
from dashboard.display import escape_markdown
from dashboard.events import response_to_events
from dashboard.views import blocks

BREAKDOWNS = {"none": None, "topic": "topic", "author": "author"}
GROUPS_SHOWN = 7  # the rest are combined, so that every group keeps its own colour

view = state.current_view()
st.title("Timeline")
st.caption(
    "How many posts appeared in each period; periods without a post are drawn as zero, time "
    "the data did not capture as a hatched band. "
    "Select a bar to list that period's posts."
)
blocks.stop_if_empty(view)

period, breakdown, running = st.columns([3, 3, 2], vertical_alignment="bottom")
freq = period.radio(
    "Posts per",
    analysis.FREQUENCIES,
    index=1,
    format_func=str.capitalize,
    horizontal=True,
    key="timeline_period",
)
by = BREAKDOWNS[
    breakdown.radio(
        "Break down by",
        list(BREAKDOWNS),
        format_func=str.capitalize,
        horizontal=True,
        key="timeline_breakdown",
    )
]
running_total = running.toggle("Running total", key="timeline_running_total")


def period_chart(
    view: state.View, freq: str, by: str | None, running_total: bool, events: tuple
) -> tuple[charts.Chart, tuple[str, ...]]:
    """The chart (made once per view and options, for every session: ``state.shared``) and
    the groups it names."""
    long = {"topic": view.topics, "author": view.authors}.get(by)
    counted = view.posts if by is None else analysis.top_groups(long, by, GROUPS_SHOWN)
    per_period = analysis.posts_per_period(counted, freq, by=by, start=view.start, end=view.end)
    drawn = charts.period_chart(
        per_period,
        freq,
        by,
        running_total=running_total,
        coverage=view.dataset.coverage,
        events=events,
    )
    named = tuple(g for g in dict.fromkeys(per_period[by]) if g != analysis.OTHERS) if by else ()
    return drawn, named


events = state.shown_events(view)
drawn, named_groups = state.shared(
    view, "timeline.periods", period_chart, freq, by, running_total, events
)
if by == "author":
    st.caption(
        "A post with several authors counts once for each of them; posts that name no author "
        f"are left out of this breakdown. Beyond the {GROUPS_SHOWN} most prolific authors, "
        "the rest are combined."
    )
elif by == "topic":
    st.caption(
        "A post on several topics counts once for each of them. Beyond the "
        f"{GROUPS_SHOWN} most frequent topics, the rest are combined."
    )
event = blocks.chart(drawn, key=f"timeline_{freq}_{by}_{running_total}", selectable=True)

long = {"topic": view.topics, "author": view.authors}.get(by)
picked = analysis.selected_periods(event.selection, freq)
if not picked:
    st.caption("Select a bar (or a point of the running total) to list that period's posts.")
for start, group in picked[:3]:
    posts = analysis.period_posts(
        view.posts, freq, start, long=long, column=by, group=group, named_groups=named_groups
    )
    label = analysis.period_labels([start], freq)[0]
    suffix = f" · {escape_markdown(group)}" if group else ""
    st.subheader(f"{label}{suffix}: {display.count_of(len(posts), 'post')}")
    blocks.post_list(posts)

if events:
    st.subheader("Response to events")
    st.caption(
        "For each event of the calendar in the dates shown, the first post on or after its day "
        "on its topics (any topic when it names none), and how many days that took; "
        "“not captured” when the data does not cover the days after it."
    )
    table = state.shared(
        view,
        "timeline.responses",
        lambda view, events: response_to_events(
            events, view.posts, view.topics, view.dataset.coverage
        ),
        events,
    )
    st.dataframe(
        table.assign(first_url=schema.web_urls(table["first_url"].astype("str"))),
        hide_index=True,
        width="stretch",
        column_order=[
            "date",
            "event",
            "kind",
            "status",
            "days",
            "first_post",
            "first_url",
            "topics",
        ],
        column_config={
            "date": st.column_config.DateColumn("Date", format="D MMM YYYY"),
            "event": "Event",
            "kind": "Kind",
            "status": "Response",
            "days": st.column_config.NumberColumn("Days to the first post", format="%d"),
            "first_post": "First post after",
            "first_url": st.column_config.LinkColumn("Link", display_text="open"),
            "topics": "On topics",
        },
    )
