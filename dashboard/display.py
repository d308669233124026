"""Text for the pages: counts, dates, Markdown that shows data literally, and the posts list's
columns. Pure functions (no Streamlit), so every escape is tested on its own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, quote_plus, urlsplit

import pandas as pd

from dashboard.coverage import Coverage
from dashboard.schema import web_url, web_urls

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
SEARCH_TEMPLATE = "https://duckduckgo.com/?q={query}"  # the default search for a title


def count_of(number: int, noun: str) -> str:
    """A count with its noun: "1 post", "2 posts", "1,200 posts"."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def day_label(day: date | pd.Timestamp) -> str:
    """A date as people write it: "8 Mar 2022"."""
    return f"{day.day} {day:%b %Y}"


def escape_markdown(text: object) -> str:
    """Text that Markdown shows literally: punctuation backslash-escaped, line breaks as spaces."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", flat)


def markdown_link(text: object, url: object) -> str:
    """A Markdown link showing ``text`` literally; only the text when ``url`` is not http(s)."""
    label = escape_markdown(text)
    address = web_url(url)
    if address is None:
        return label
    return f"[{label}](<{quote(address, safe=_URL_SAFE)}>)"


@dataclass(frozen=True)
class TitleSearch:
    """How to look for a post whose address no source gave: a search for its exact title on
    the blog's site. ``template`` is a search address with ``{query}`` in it."""

    site: str | None = None  # the blog's host, e.g. "liverpool.ac.uk"
    template: str = SEARCH_TEMPLATE

    def address(self, title: object) -> str:
        query = f'"{title}"' + (f" site:{self.site}" if self.site else "")
        return self.template.replace("{query}", quote_plus(query))


def blog_site(urls: pd.Series) -> str | None:
    """The host most of the posts' addresses are on (without ``www.``): the blog's site."""
    hosts = web_urls(urls).dropna().map(lambda url: urlsplit(url).hostname or "")
    hosts = hosts.str.removeprefix("www.")
    hosts = hosts[hosts != ""]
    return None if hosts.empty else str(hosts.value_counts().index[0])


def post_list_markdown(posts: pd.DataFrame, search: TitleSearch | None = None) -> str:
    """A Markdown list of posts, one line each: date, linked title, authors; all data escaped.

    A post without an address gets, with ``search``, a link to search for its title, shown as
    a search and never as the post's own address.
    """
    lines = []
    columns = (posts[c].tolist() for c in ("published", "title", "url", "authors"))
    for published, title, url, authors in zip(*columns, strict=True):
        names = ", ".join(authors) if isinstance(authors, list) and authors else "no author named"
        when = day_label(published)
        shown = markdown_link(title, url)
        if search is not None and web_url(url) is None:
            shown += f" ({markdown_link('search for it', search.address(title))})"
        lines.append(f"- {when} · {shown} · {escape_markdown(names)}")
    return "\n".join(lines)


def posts_page_table(posts: pd.DataFrame, search: TitleSearch | None = None) -> pd.DataFrame:
    """The columns the posts list shows; ``link`` is the URL only when it is http(s), and
    ``search`` (with a ``TitleSearch``) a search for the title of a post without one."""
    links = web_urls(posts["url"])
    table = pd.DataFrame(
        {
            "published": posts["published"],
            "title": posts["title"],
            # plain Python lists: readers of the shown table need not know Arrow's list type
            "authors": pd.Series(posts["authors"].tolist(), index=posts.index, dtype=object),
            "topics": pd.Series(posts["topics"].tolist(), index=posts.index, dtype=object),
            "link": links,
        }
    )
    if search is not None:
        titles = posts["title"].where(links.isna())
        table["search"] = titles.map(search.address, na_action="ignore")
    return table


def long_day(day: date | pd.Timestamp) -> str:
    """A date written out: "2 July 2024"."""
    return f"{day.day} {day:%B %Y}"


def as_of_line(coverage: Coverage, first: date, as_of: date) -> str:
    """What the data covers, in a line for every page: its as-of date, and, when its sources do
    not cover everything from the first post to that date, how much they do."""
    line = f"Data as of {long_day(as_of)}."
    if coverage.complete(first, as_of):
        return line
    share = coverage.captured_days(first, as_of) / ((as_of - first).days + 1)
    windows = sum(1 for a, b in coverage.windows if b >= first and a <= as_of)
    return (
        f"{line} Its sources cover {count_of(windows, 'period')}, {share:.0%} of the days from "
        f"{long_day(first)} to {long_day(as_of)}; the rest is shown as not captured, never as "
        "silence."
    )


def coverage_table(coverage: Coverage) -> pd.DataFrame:
    """The captured periods, one row each: first and last day, and how many days."""
    return pd.DataFrame(
        {
            "From": [long_day(a) for a, _ in coverage.windows],
            "To": [long_day(b) for _, b in coverage.windows],
            "Days": [(b - a).days + 1 for a, b in coverage.windows],
        }
    )
