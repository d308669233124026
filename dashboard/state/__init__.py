"""The dashboard's state: where the data comes from, cached loading, and the shared filters.

The only Streamlit code below the pages, one module per job, in the order data flows:

- ``sources``: the configured source and its version (pure);
- ``url_filters``: a page URL's query parameters -> ``Filters`` and notices (pure);
- ``neutral``: public mode's neutral source names and short messages (pure);
- ``public``: public mode itself, the load report as a visitor sees it, ``page_errors``
  and ``fragment`` (a page's section that reruns alone, with the same errors);
- ``shelf``: a bounded store of results shared by the sessions of a process (pure);
- ``data``: the cached loaders, ``Dataset``, the filtered ``View`` and ``shared``, which
  keeps what a page makes from a view (tables, figures) for every session;
- ``sidebar``: the filter widgets, bound to the URL, and the first paint's follow-up;
- ``uploads``: this session's data (an upload or the configured source), the uploader and
  the refresh from the blog.

The filters live in the sidebar and in the page URL (``from``, ``to``, ``author``, ``topic``,
``q``), so a view can be shared as a link. In public mode (``DASHBOARD_PUBLIC=1``) nothing can
be uploaded or refreshed, and every message names a source by a neutral name so that no path
on the server reaches a visitor.

Pages use the names below (``state.dataset()``). A test that patches a name patches it in the
module that uses it (``dashboard.state.data.AUTHORS_LISTED``), not here.
"""

from dashboard.state.data import (
    AUTHORS_LISTED,
    Dataset,
    Derived,
    View,
    build_dataset,
    configured_dataset,
    current_view,
    derived_tables,
    filtered_view,
    load_posts,
    missing_fields,
    missing_of,
    post_order,
    shared,
    shelves,
    shown_events,
    taxonomy_topics,
)
from dashboard.state.neutral import (
    BUNDLED_NAME,
    LOGGED,
    PAGE_FAILED,
    UNNAMED_SOURCE,
    neutral_name,
    neutral_text,
    public_note,
)
from dashboard.state.public import (
    PUBLIC_ENV,
    downloadable,
    fragment,
    hide_error_details,
    page_errors,
    problem_rows,
    public_mode,
    shown_source,
    source_label,
    source_rows,
)
from dashboard.state.sidebar import (
    FOLLOW_UP_SECONDS,
    author_help,
    author_options,
    begin_run,
    clear_filters,
    current_filters,
    filter_sidebar,
    lead_drawn,
    url_params,
)
from dashboard.state.sources import (
    BUNDLED_DATA,
    DATA_ENV,
    INGEST_HINT,
    URL_REFRESH_SECONDS,
    dashboard_config,
    data_source,
    source_version,
)
from dashboard.state.uploads import (
    PROBLEMS_OPEN,
    crawl_url,
    data_sidebar,
    dataset,
    refresh_sidebar,
    refresh_target,
    report_sidebar,
    take_upload,
    upload_limit_mb,
    uploaded_dataset,
    use_configured_data,
)
from dashboard.state.url_filters import (
    AUTHOR,
    EARLIEST,
    FROM,
    LATEST,
    TEXT,
    TO,
    TOPIC,
    FilterChoices,
    filters_from_params,
    invalid_filter_params,
)

__all__ = [
    "AUTHOR",
    "AUTHORS_LISTED",
    "BUNDLED_DATA",
    "BUNDLED_NAME",
    "DATA_ENV",
    "EARLIEST",
    "FOLLOW_UP_SECONDS",
    "FROM",
    "INGEST_HINT",
    "LATEST",
    "LOGGED",
    "PAGE_FAILED",
    "PROBLEMS_OPEN",
    "PUBLIC_ENV",
    "TEXT",
    "TO",
    "TOPIC",
    "UNNAMED_SOURCE",
    "URL_REFRESH_SECONDS",
    "Dataset",
    "Derived",
    "FilterChoices",
    "View",
    "author_help",
    "author_options",
    "begin_run",
    "build_dataset",
    "clear_filters",
    "configured_dataset",
    "crawl_url",
    "current_filters",
    "current_view",
    "data_sidebar",
    "dashboard_config",
    "data_source",
    "dataset",
    "derived_tables",
    "downloadable",
    "filter_sidebar",
    "filtered_view",
    "fragment",
    "filters_from_params",
    "hide_error_details",
    "invalid_filter_params",
    "lead_drawn",
    "load_posts",
    "missing_fields",
    "missing_of",
    "neutral_name",
    "neutral_text",
    "page_errors",
    "post_order",
    "shared",
    "shelves",
    "problem_rows",
    "public_mode",
    "public_note",
    "refresh_sidebar",
    "refresh_target",
    "shown_source",
    "source_label",
    "source_rows",
    "report_sidebar",
    "shown_events",
    "source_version",
    "take_upload",
    "taxonomy_topics",
    "upload_limit_mb",
    "uploaded_dataset",
    "url_params",
    "use_configured_data",
]
