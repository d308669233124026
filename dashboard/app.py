"""The dashboard's frame: page setup, the shared filters in the sidebar, and the navigation.

Every page is a file in ``dashboard/views/`` run inside this frame, so the filters and the data
are set up once, the same way, whichever page a visitor opens first. In public mode an error
anywhere below ends the page with a short message; its details go to the server's log.
"""

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on the import path, not the project root.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

import streamlit as st  # noqa: E402

from dashboard import display, state  # noqa: E402

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/timeline.py", title="Timeline", icon=":material/timeline:"),
    st.Page("views/authors.py", title="Authors", icon=":material/group:"),
    st.Page("views/topics.py", title="Topics", icon=":material/category:"),
    st.Page("views/gaps.py", title="Coverage gaps", icon=":material/event_busy:"),
    st.Page("views/posts.py", title="Posts", icon=":material/article:"),
]

site = state.dashboard_config(state.data_source()).site
st.set_page_config(
    page_title=f"{site.name} · publishing dashboard" if site.name else "Blog publishing dashboard",
    page_icon="📊",
    layout="wide",
    initial_sidebar_state="expanded",
)
state.hide_error_details()
navigation = st.navigation(PAGES)
with state.page_errors():
    data = state.dataset()
    if data is None:
        state.data_sidebar()  # staff can still upload a file to look at
        st.stop()
    if state.begin_run():  # the first paint: the filters come with the rest, a moment later
        view = state.filtered_view(data, state.filters_from_params(state.url_params(), data))
    else:
        view = state.filtered_view(data, state.filter_sidebar(data))
        state.refresh_sidebar(data)
        st.sidebar.caption(f"{len(view.posts):,} of {len(data.posts):,} posts match the filters.")
        state.report_sidebar(view)
        state.data_sidebar(data)
    st.caption(display.as_of_line(data.coverage, data.first, data.as_of))
    navigation.run()
