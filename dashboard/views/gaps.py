"""Coverage gaps: silent spells, dormant topics and authors, thin coverage, periods compared."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard import analysis, charts, gaps, schema, state
from dashboard.views import blocks

DORMANT_DAYS = 180
ROWS_SHOWN = 100  # longer tables are cut, with a note: the browser never gets an unbounded table
LINK = st.column_config.LinkColumn
STATUS_LABELS = {"dormant": "dormant", "never": "never covered", "not captured": "not captured"}
LABELS = {"current": "This", "previous": "Previous", "year_ago": "A year earlier"}

view = state.current_view()
st.title("Coverage gaps")
today = view.now
coverage = view.dataset.coverage
now_is = "the end of the date filter" if today != view.dataset.as_of else "the data's as-of date"
st.caption(
    f"What is missing, and since when. Everything follows the filters; “now” is "
    f"{today:%-d %B %Y} ({now_is}). Silences and dormancy are judged only where the data "
    "captured the blog."
)
blocks.stop_if_empty(view)


# What each section shows is made once per view and options, for every session, and kept for
# a return to earlier filters (``state.shared``).
def classified(view: state.View) -> pd.DataFrame:
    """The topic rows but "Unclassified": the absence of a topic, not a theme that can go
    quiet or be compared."""
    return view.topics[(view.topics["topic"] != analysis.UNCLASSIFIED).to_numpy()]


def spells_shown(view: state.View, threshold: int, events: tuple) -> tuple:
    """The silent spells longer than ``threshold`` days, and the chart drawing them."""
    today = view.now
    coverage = view.dataset.coverage
    spells = gaps.silent_periods(view.posts, threshold, until=today, coverage=coverage)
    freq = analysis.suitable_freq(view.start, view.end, 60) if view.start is not None else "month"
    per_period = analysis.posts_per_period(view.posts, freq, start=view.start, end=today)
    return spells, charts.silence_chart(per_period, spells, freq, coverage, events)


def activity(view: state.View, by: str, days: int, every: tuple[str, ...]) -> pd.DataFrame:
    long = state.shared(view, "gaps.topics", classified) if by == "topic" else view.authors
    return gaps.last_activity(
        long, view.posts, by, view.now, days, every=every, coverage=view.dataset.coverage
    )


def thin_chart(view: state.View, freq: str, events: tuple) -> charts.Chart:
    return charts.heatmap_chart(
        analysis.topic_period_matrix(view.topics, freq, view.start, view.end),
        title=f"Posts per topic and {freq} (grey: none)",
        x_title=analysis.PERIOD_NOUNS[freq],
        y_title="Topic",
        freq=freq,
        coverage=view.dataset.coverage,
        events=events,
    )


def compared(view: state.View, period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    topics = state.shared(view, "gaps.topics", classified)
    return tuple(
        gaps.compare_periods(long, by, period, view.now)
        for by, long in (("topic", topics), ("author", view.authors))
    )


topics = state.shared(view, "gaps.topics", classified)


def threshold_input(label: str, default: int, key: str, help: str) -> int | None:
    """A number of days typed by the user; a clear message and None when it cannot be used."""
    typed = st.number_input(label, value=default, step=1, key=key, help=help)
    try:
        return gaps.check_threshold(typed)
    except gaps.ThresholdError as error:
        st.warning(str(error), icon=":material/warning:")
        return None


def shown(table: pd.DataFrame, *url_columns: str, place=st) -> pd.DataFrame:
    """The first ``ROWS_SHOWN`` rows, with only http(s) addresses left in the link columns."""
    if len(table) > ROWS_SHOWN:
        place.caption(f"The first {ROWS_SHOWN} of {len(table):,} rows.")
    head = table.head(ROWS_SHOWN)
    return head.assign(**{c: schema.web_urls(head[c].astype("str")) for c in url_columns})


# Each section is a fragment: a change to its own control (threshold, period, table) reruns
# that section alone, not the whole page.


@state.fragment
def silent_spells() -> None:
    """Gaps between publishing days longer than a threshold, on a timeline and in a table."""
    st.header("Silent spells")
    cadence = state.shared(view, "gaps.cadence", lambda view: gaps.default_threshold(view.posts))
    threshold = threshold_input(
        "A gap is longer than (days)",
        cadence,
        "gap_days",
        f"Default: twice the median interval between publishing days ({cadence} days here).",
    )
    if threshold is None:
        return
    events = state.shown_events(view)
    spells, chart = state.shared(view, "gaps.spells", spells_shown, threshold, events)
    latest = view.posts["published"].max()
    since = (pd.Timestamp(today) - latest).days
    captured = coverage.complete(latest.date() + timedelta(days=1), today)
    st.metric(
        "Current silence",
        f"{since:,} days" if captured else "not captured",
        help=f"Since the latest post shown, on {latest:%-d %B %Y}."
        + ("" if captured else " The data does not cover all the days since, so it cannot say."),
    )
    blocks.chart(chart, key="gaps_chart")
    if spells.empty:
        st.info(f"No gap longer than {threshold} days between posts.")
        return
    st.dataframe(
        shown(spells, "before_url", "after_url"),
        hide_index=True,
        width="stretch",
        column_order=[
            "days",
            "start",
            "end",
            "current",
            "before_title",
            "before_url",
            "after_title",
            "after_url",
        ],
        column_config={
            "days": st.column_config.NumberColumn("Days", format="%d"),
            "start": st.column_config.DateColumn("From", format="D MMM YYYY"),
            "end": st.column_config.DateColumn("To", format="D MMM YYYY"),
            "current": st.column_config.CheckboxColumn("Still going"),
            "before_title": "Last post before",
            "before_url": LINK("Link", display_text="open"),
            "after_title": "First post after",
            "after_url": LINK("Link ", display_text="open"),
        },
    )


@state.fragment
def dormant() -> None:
    """Topics and authors by their latest post, flagged past a threshold."""
    st.header("Dormant topics and authors")
    dormant_days = threshold_input(
        "Dormant after (days without a post)",
        DORMANT_DAYS,
        "dormant_days",
        "Topics and authors whose latest post is older than this are flagged.",
    )
    if dormant_days is None:
        return
    names, _ = state.taxonomy_topics()
    for by, every in (("topic", names), ("author", ())):
        table = state.shared(view, "gaps.activity", activity, by, dormant_days, every)
        counts = table["status"].value_counts()
        flagged = [
            f"{int(counts.get(status, 0)):,} {label}"
            for status, label in STATUS_LABELS.items()
            if counts.get(status, 0)
        ]
        st.subheader(f"{by.capitalize()}s: {', '.join(flagged) or 'all active'}")
        st.dataframe(
            shown(table, "last_url"),
            hide_index=True,
            width="stretch",
            height=300,
            column_order=[by, "status", "days_since", "posts", "last", "last_title", "last_url"],
            column_config={
                by: by.capitalize(),
                "status": "Status",
                "posts": "Posts",
                "days_since": st.column_config.NumberColumn("Days since last", format="%d"),
                "last": st.column_config.DateColumn("Last post", format="D MMM YYYY"),
                "last_title": "Latest title",
                "last_url": LINK("Link", display_text="open"),
            },
        )


@state.fragment
def thin_coverage() -> None:
    """Posts per topic and period."""
    st.header("Thin coverage")
    freq = st.radio(
        "Per",
        ("month", "quarter", "year"),
        index=1,
        horizontal=True,
        format_func=str.capitalize,
        key="gaps_freq",
    )
    chart = state.shared(view, "gaps.thin", thin_chart, freq, state.shown_events(view))
    blocks.chart(chart, key="gaps_heatmap")


def single_author() -> None:
    """The topics only one author writes on (outside the fragment above: no control of its
    own changes it)."""
    single = state.shared(
        view, "gaps.single", lambda view: gaps.single_author_topics(topics, view.authors)
    )
    st.subheader("Topics covered by a single author")
    if single.empty:
        st.caption("Every topic with attributed posts has at least two authors.")
    else:
        st.dataframe(shown(single), hide_index=True, width="stretch")


@state.fragment
def periods_compared() -> None:
    """This week, month, quarter or year against the one before and the same one a year ago."""
    st.header("This period against the last")
    period = st.radio(
        "Compare",
        tuple(gaps.PERIODS),
        index=1,
        horizontal=True,
        format_func=str.capitalize,
        key="compare_period",
    )
    compare_at = today
    start, end = gaps.period_bounds(period, compare_at)
    shares = gaps.captured_shares(coverage, gaps.compared_spans(period, compare_at), today)
    partly = [LABELS[k] for k, share in shares.items() if share < 1]
    st.caption(
        f"The {period} of {start:%-d %b %Y} to {end:%-d %b %Y} (the one holding “now”), "
        f"the {period} before it, and the same {period} a year earlier."
        + (
            f" Not fully captured: {', '.join(partly)} "
            f"({', '.join(f'{shares[k]:.0%}' for k in shares if shares[k] < 1)} of its days)."
            if partly
            else ""
        )
    )
    left, right = st.columns(2)
    tables = state.shared(view, "gaps.compared", compared, period)
    for column, by, table in ((left, "topic", tables[0]), (right, "author", tables[1])):
        column.subheader(f"By {by}")
        column.dataframe(
            shown(table, place=column),
            hide_index=True,
            width="stretch",
            height=300,
            column_config={
                by: by.capitalize(),
                "current": LABELS["current"] + ("*" if shares["current"] < 1 else ""),
                "previous": LABELS["previous"] + ("*" if shares["previous"] < 1 else ""),
                "change": "Change",
                "year_ago": LABELS["year_ago"] + ("*" if shares["year_ago"] < 1 else ""),
                "change_year": "Change on the year",
            },
        )
    inside = view.posts[(view.posts["published"] >= start) & (view.posts["published"] <= end)]
    with st.expander(f"Posts of this {period} ({len(inside):,})", icon=":material/list:"):
        blocks.post_list(inside)


def targets() -> None:
    """Topics against the share or cadence set for them in the taxonomy."""
    st.header("Targets")
    _, goals = state.taxonomy_topics()
    # the goals come with the configuration, whose version is in the key
    shortfalls = state.shared(
        view,
        "gaps.targets",
        lambda view: gaps.target_shortfalls(topics, len(view.posts), goals, view.now),
    )
    if shortfalls.empty and state.public_mode():  # visitors cannot edit the taxonomy
        st.info("No topic has a target yet.")
    elif shortfalls.empty:
        st.info(
            "No topic has a target yet. Add `target_share = 0.1` (a share of all posts) or "
            "`cadence_days = 60` (the longest wait between posts) to a topic in "
            "`data/topics.toml`."
        )
    else:
        st.dataframe(
            shortfalls,
            hide_index=True,
            width="stretch",
            column_config={
                "topic": "Topic",
                "posts": "Posts",
                "target_share": st.column_config.NumberColumn("Target share", format="percent"),
                "actual_share": st.column_config.NumberColumn("Actual share", format="percent"),
                "share_shortfall": st.column_config.NumberColumn("Share short", format="percent"),
                "cadence_days": "Target cadence (days)",
                "days_since_last": "Days since last",
                "days_overdue": "Days overdue",
                "shortfall": st.column_config.NumberColumn("Shortfall (relative)", format="%.2f"),
                "met": "Met",
            },
        )


for section in (silent_spells, dormant, thin_coverage, single_author, periods_compared, targets):
    section()
