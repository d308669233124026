"""Pure functions over the posts table: filters, counts per period, authors, topics, headlines.

No Streamlit here: each function takes a table and plain values and returns a table or plain
values, so it can be tested on a small fixture. Authors and topics are analysed through *long*
tables (one row per post and author, or per post and topic; see ``explode_list``) that are built
once per dataset, so that filters and counts stay vectorised on large archives.

One module per subject, each building on the ones before it:

- ``groups``: the long tables, the codes of their names, and counts per author or topic;
- ``filters``: the shared filters and the posts that pass them;
- ``periods``: weeks, months, quarters and years, and posts counted per period;
- ``headline``: the headline figures and the fields posts lack;
- ``paging``: the orders of the posts list and its pages.

A vectorised kernel whose code is a puzzle has its plain definition beside it, ``<name>_plain``:
a few lines of ordinary pandas that say what it computes. Property tests on small random
archives check that the two agree (``tests/property_support.py`` builds the archives).
"""

from dashboard.analysis.filters import (
    Filters,
    filter_names,
    filter_posts,
    leading_names,
    long_rows_at,
    posts_at,
    posts_mask,
    posts_with_any,
    select_posts,
)
from dashboard.analysis.groups import (
    OTHERS,
    author_stats,
    author_topic_matrix,
    coauthor_pairs,
    explode_list,
    group_counts,
    list_lengths,
    name_codes,
    top_groups,
    topic_counts,
    unattributed,
)
from dashboard.analysis.headline import Headline, headline_figures, missing_fields, posts_with_only
from dashboard.analysis.paging import (
    SORT_ORDERS,
    latest_posts,
    page_count,
    page_in_order,
    page_of,
    sort_positions,
    sort_posts,
)
from dashboard.analysis.periods import (
    FREQUENCIES,
    PERIOD_NOUNS,
    cumulative,
    period_labels,
    period_matrix,
    period_posts,
    period_range,
    period_start,
    posts_in_period,
    posts_per_period,
    selected_periods,
    suitable_freq,
    topic_period_matrix,
    topic_share_over_time,
)
from dashboard.enrich.topics import UNCLASSIFIED  # the pages name it as analysis.UNCLASSIFIED

__all__ = [
    "FREQUENCIES",
    "OTHERS",
    "PERIOD_NOUNS",
    "SORT_ORDERS",
    "UNCLASSIFIED",
    "Filters",
    "Headline",
    "author_stats",
    "author_topic_matrix",
    "coauthor_pairs",
    "cumulative",
    "explode_list",
    "filter_names",
    "filter_posts",
    "group_counts",
    "headline_figures",
    "latest_posts",
    "leading_names",
    "list_lengths",
    "long_rows_at",
    "missing_fields",
    "name_codes",
    "page_count",
    "page_in_order",
    "page_of",
    "period_labels",
    "period_matrix",
    "period_posts",
    "period_range",
    "period_start",
    "posts_at",
    "posts_in_period",
    "posts_mask",
    "posts_per_period",
    "posts_with_any",
    "posts_with_only",
    "select_posts",
    "selected_periods",
    "sort_positions",
    "sort_posts",
    "suitable_freq",
    "top_groups",
    "topic_counts",
    "topic_period_matrix",
    "topic_share_over_time",
    "unattributed",
]
