"""What a link means: query strings -> filters and notices (``dashboard.state.url_filters``).

Each row is a query string as a visitor's link carries it, the filters the pages then use and
the notices shown for what was dropped, written by hand against ``ARCHIVE``: the ten-post clean
archive of ``conftest`` (10 Jan 2023 to 25 Jun 2024, four authors, three topics and
"Unclassified").
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs

import pytest
from conftest import ROOT

from dashboard.analysis import Filters
from dashboard.state.url_filters import filters_from_params, invalid_filter_params

PARAMS = ("from", "to", "author", "topic", "q")  # the names a shared link uses


@dataclass
class Archive:
    """The data a link is checked against; counts how often its names are asked for."""

    first: date
    last: date
    authors: tuple[str, ...]
    topics: tuple[str, ...]
    asked: list[str] = field(default_factory=list)

    @property
    def author_names(self) -> tuple[str, ...]:
        self.asked.append("authors")
        return self.authors

    @property
    def topic_names(self) -> tuple[str, ...]:
        self.asked.append("topics")
        return self.topics


def archive() -> Archive:
    return Archive(
        first=date(2023, 1, 10),
        last=date(2024, 6, 25),
        authors=("Cleo Hachem", "James Hickson", "Joanna Hayes", "Tom Arnold"),
        topics=(
            "English devolution and combined authorities",
            "Health and wellbeing",
            "Unclassified",
            "Urban governance",
        ),
    )


def params(query: str) -> dict[str, list[str]]:
    """A query string as ``state.url_params`` hands it on: each filter parameter's values in
    the link's order, parsed as Streamlit parses ``st.query_params`` (blank values kept)."""
    parsed = parse_qs(query, keep_blank_values=True)
    return {key: parsed.get(key, []) for key in PARAMS}


def start_date(value: str) -> str:
    return f"Ignored the link's start date “{value}”: dates are written YYYY-MM-DD."


def end_date(value: str) -> str:
    return f"Ignored the link's end date “{value}”: dates are written YYYY-MM-DD."


def no_author(name: str) -> str:
    return f"Ignored the link's author “{name}”: no author of that name in this data."


def no_topic(name: str) -> str:
    return f"Ignored the link's topic “{name}”: no topic of that name in this data."


# fmt: off
LINKS = [
    # query string, the filters, the notices (Markdown: punctuation escaped)
    pytest.param("", Filters(), [], id="no filters"),
    pytest.param("from=2024-01-01&to=2024-03-31",
                 Filters(start=date(2024, 1, 1), end=date(2024, 3, 31)), [], id="a date range"),
    pytest.param("from=2024-03-31&to=2024-01-01",
                 Filters(start=date(2024, 3, 31), end=date(2024, 1, 1)), [],
                 id="reversed dates are kept: the sidebar says no post matches"),
    pytest.param("from=2023-01-10&to=2024-06-25", Filters(), [],
                 id="the archive's own first and last day are no filter"),
    pytest.param("from=2020-01-01&to=2030-12-31",
                 Filters(start=date(2020, 1, 1), end=date(2030, 12, 31)), [],
                 id="dates outside the archive are kept"),
    pytest.param("from=1900-01-01&to=2100-12-31",
                 Filters(start=date(1900, 1, 1), end=date(2100, 12, 31)), [],
                 id="the earliest and latest dates a link can give"),
    pytest.param("from=1899-12-31&to=2101-01-01", Filters(),
                 [start_date("1899\\-12\\-31"), end_date("2101\\-01\\-01")],
                 id="dates beyond 1900-2100"),
    pytest.param("from=banana", Filters(), [start_date("banana")], id="a word for a date"),
    pytest.param("to=2024-13-45", Filters(), [end_date("2024\\-13\\-45")], id="no such month"),
    pytest.param("to=2024-02-30", Filters(), [end_date("2024\\-02\\-30")], id="no such day"),
    pytest.param("from=20240105", Filters(), [start_date("20240105")],
                 id="ISO dates without dashes are not YYYY-MM-DD"),
    pytest.param("from=2024-01-01&from=2024-02-01", Filters(start=date(2024, 1, 1)), [],
                 id="a repeated date: the first counts"),
    pytest.param("from=banana&from=2024-02-01", Filters(), [start_date("banana")],
                 id="a repeated date whose first is unreadable"),
    pytest.param("author=Tom+Arnold", Filters(authors=("Tom Arnold",)), [], id="an author"),
    pytest.param("author=Tom%20Arnold&author=Cleo+Hachem",
                 Filters(authors=("Tom Arnold", "Cleo Hachem")), [],
                 id="repeated author: any of them, in the link's order"),
    pytest.param("author=Tom+Arnold&author=Tom+Arnold", Filters(authors=("Tom Arnold",)), [],
                 id="the same author twice"),
    pytest.param("author=Nobody+Known", Filters(), [no_author("Nobody Known")],
                 id="an unknown author"),
    pytest.param("author=Nobody+Known&author=Cleo+Hachem", Filters(authors=("Cleo Hachem",)),
                 [no_author("Nobody Known")], id="an unknown author beside a known one"),
    pytest.param("author=tom+arnold", Filters(), [no_author("tom arnold")],
                 id="names are matched exactly, case included"),
    pytest.param("author=%2A%2AMallory%2A%2A", Filters(), [no_author("\\*\\*Mallory\\*\\*")],
                 id="a notice shows the link's text literally"),
    pytest.param("topic=Health+and+wellbeing&topic=Unclassified",
                 Filters(topics=("Health and wellbeing", "Unclassified")), [], id="two topics"),
    pytest.param("topic=Gardening", Filters(), [no_topic("Gardening")], id="an unknown topic"),
    pytest.param("q=combined+authority", Filters(text="combined authority"), [],
                 id="words to search for"),
    pytest.param("q=+city++region+", Filters(text="city  region"), [],
                 id="search text loses its outer spaces only"),
    pytest.param("q=%20%20", Filters(), [], id="search text of spaces alone"),
    pytest.param("q=first&q=second", Filters(text="first"), [], id="a repeated search: the first"),
    pytest.param("from=&to=&author=&topic=&q=", Filters(), [],
                 id="empty values are no filter and no notice"),
    pytest.param("from=banana&author=Nobody+Known&topic=Gardening&q=the",
                 Filters(text="the"),
                 [start_date("banana"), no_author("Nobody Known"), no_topic("Gardening")],
                 id="dates first, then authors, then topics"),
    pytest.param("from=2023-02-01&to=2023-12-31&author=Tom+Arnold&topic=Urban+governance&q=pilot",
                 Filters(start=date(2023, 2, 1), end=date(2023, 12, 31), authors=("Tom Arnold",),
                         topics=("Urban governance",), text="pilot"),
                 [], id="every filter at once"),
]
# fmt: on


@pytest.mark.parametrize(("query", "filters", "notices"), LINKS)
def test_a_link_gives_these_filters_and_notices(query, filters, notices):
    assert filters_from_params(params(query), archive()) == filters
    assert invalid_filter_params(params(query), archive()) == notices


@pytest.mark.parametrize(
    ("query", "asked"),
    [
        ("", []),
        ("from=2024-01-01&to=2024-03-31&q=the", []),
        ("author=Tom+Arnold", ["authors"]),
        ("topic=Health+and+wellbeing", ["topics"]),
    ],
)
def test_the_names_are_asked_for_only_when_the_link_names_some(query, asked):
    """A dataset makes its names when first asked for (half a second at a million posts): a
    link without authors or topics must not make the first paint wait for them."""
    data = archive()
    filters_from_params(params(query), data)
    assert data.asked == asked


@pytest.mark.parametrize("module", ["url_filters", "sources", "neutral", "shelf"])
def test_the_pure_state_modules_import_no_streamlit(module):
    """Imported without the package's ``__init__`` (which re-exports the Streamlit modules),
    the module and everything it imports run without Streamlit."""
    code = (
        "import sys, types\n"
        "import dashboard\n"
        "package = types.ModuleType('dashboard.state')\n"
        "package.__path__ = [dashboard.__path__[0] + '/state']\n"
        "sys.modules['dashboard.state'] = package\n"
        f"import dashboard.state.{module}\n"
        "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
