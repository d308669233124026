"""Posts: the filtered posts page by page, each linked to its URL; the whole view to download."""

import streamlit as st

from dashboard import analysis, display, export, state
from dashboard.views import blocks

PER_PAGE = 100
TABLE_HEIGHT = 600  # pixels at most; a shorter page takes the height of its rows
ROW_HEIGHT = 35  # pixels, Streamlit's default row height
COLUMNS = {
    "published": st.column_config.DateColumn("Published", format="YYYY-MM-DD"),
    "title": st.column_config.TextColumn("Title", width="large"),
    "link": st.column_config.LinkColumn("Link", display_text="Open post ↗"),
    "search": st.column_config.LinkColumn(
        "No address: search",
        display_text="Search for the title ↗",
        help="No source gave this post's address: a search for its exact title on the blog's site.",
    ),
    "authors": st.column_config.ListColumn("Authors"),
    "topics": st.column_config.ListColumn("Topics"),
}

view = state.current_view()
st.title("Posts")
st.caption(
    f"The posts that pass the filters, {PER_PAGE} to a page. Sort the whole list here; the "
    "column headers sort the page shown."
)
blocks.stop_if_empty(view)


def page_table(view: state.View, order: str, page: int) -> tuple:
    """The posts of one page, and the table showing them; made once per view, order and page,
    for every session (``state.shared``)."""
    rows = analysis.page_in_order(view.posts, state.post_order(view.dataset, order), page, PER_PAGE)
    return rows, display.posts_page_table(rows, view.dataset.search)


@state.fragment
def one_page() -> None:
    """The posts of one page in the chosen order; turning a page reruns only this part."""
    order_box, page_box = st.columns([3, 1])
    order = order_box.selectbox("Sort by", list(analysis.SORT_ORDERS), key="posts_order")
    pages = analysis.page_count(len(view.posts), PER_PAGE)
    page = page_box.number_input(
        f"Page (of {pages:,})",
        min_value=1,
        max_value=pages,
        value=1,
        key=f"posts_page:{order}:{hash(view.filters)}",  # a new order or new filters: page 1
    )
    rows, table = state.shared(view, "posts.page", page_table, order, page)
    first = (page - 1) * PER_PAGE + 1
    st.dataframe(
        table,
        column_config=COLUMNS,
        column_order=list(COLUMNS),
        hide_index=True,
        width="stretch",
        height=min(TABLE_HEIGHT, ROW_HEIGHT * (len(rows) + 1) + 3),  # header and rows, no blanks
        placeholder="–",
    )
    st.caption(f"Posts {first:,} to {first + len(rows) - 1:,} of {len(view.posts):,}.")


one_page()

filtered = view.posts
downloads = st.container(horizontal=True)
downloads.download_button(
    f"Download all {len(filtered):,} as CSV",
    data=lambda: export.posts_csv(state.downloadable(filtered)),
    file_name="posts.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
downloads.download_button(
    f"Download all {len(filtered):,} as Parquet",
    data=lambda: export.posts_parquet(state.downloadable(filtered)),
    file_name="posts.parquet",
    mime="application/vnd.apache.parquet",
    on_click="ignore",
    icon=":material/download:",
)
