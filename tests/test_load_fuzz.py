"""Fuzzing every reader: whatever a file holds, only LoadError escapes and the counts add up.

Each reader has a structure-aware generator: a mostly valid document of its format built from
realistic pieces (dates in many forms, odd URLs, markup in titles, odd Unicode, huge or empty
fields, duplicates that should merge), then often mutated (cut short, junk inserted, closing tags
dropped, the wrong encoding). Raw random bytes and text cover the rest. Every input is written
to a file with a plausible or misleading extension and loaded with ``load_sources([path])``.

Environment:
    FUZZ_EXAMPLES   examples per reader (default 100); the documented run uses 10000
    FUZZ_STATS      write inputs, formats reached and seconds per reader to this JSON file
    FUZZ_FAILURES   write every input that breaks a property into this folder
    FUZZ_TAXONOMY   "bundled" to enrich with data/topics.toml instead of a two-topic taxonomy

Inputs that once failed live in ``tests/fuzz_regressions/<reader>/`` and are replayed by
``test_regression``; see the README there.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta, timezone
from html import escape
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from dashboard.load import LoadError, load_sources

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
STATS = os.environ.get("FUZZ_STATS")
FAILURES = os.environ.get("FUZZ_FAILURES")
BUNDLED_TAXONOMY = os.environ.get("FUZZ_TAXONOMY") == "bundled"
REGRESSIONS = Path(__file__).parent / "fuzz_regressions"

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # "explain" takes minutes
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
# Topic matching compiles one pattern per topic on every load and its cost does not depend on the
# input, so the fuzzing runs enrich with two topics (phrase, wildcard and alias matching all
# present) unless FUZZ_TAXONOMY=bundled.
SMALL_TAXONOMY = """
[[topic]]
name = "English devolution and combined authorities"
aliases = ["Devolution", "Combined authorities"]
keywords = ["devolution", "combined authorit*", "metro mayor*", "city region deal"]

[[topic]]
name = "Balanced regional development and levelling up"
aliases = ["Levelling up"]
keywords = ["levelling up", "regional inequalit*", "northern powerhouse"]
"""
EXTENSIONS = [
    "",
    ".txt",
    ".csv",
    ".tsv",
    ".json",
    ".jsonl",
    ".xml",
    ".rss",
    ".atom",
    ".rdf",
    ".html",
    ".htm",
    ".parquet",
    ".md",
]

# Inputs per reader, for FUZZ_STATS and the statistics printed by --hypothesis-show-statistics.
COUNTS: dict[str, Counter] = defaultdict(Counter)
SECONDS: Counter = Counter()


# --------------------------------------------------------------------------------------------
# The properties
# --------------------------------------------------------------------------------------------


def load(path: Path, topics: Path | None = None):
    """What a user gets: the load result, or the loader's own error. Anything else escapes."""
    try:
        return load_sources([path], topics=topics)
    except LoadError as error:
        return error


def assert_sound(outcome, path: Path) -> None:
    """The properties every input must keep, whatever it holds."""
    if isinstance(outcome, LoadError):
        report = outcome.report
        if report is not None:  # nothing loaded: every record read is a rejected one
            for entry in report.sources:
                assert entry.loaded == entry.merged == 0, report.format()
                assert entry.read == entry.rejected >= 0, report.format()
        return
    report = outcome.report
    assert [entry.source for entry in report.sources] == [str(path)]
    for entry in report.sources:
        assert entry.read == entry.loaded + entry.merged + entry.rejected, report.format()
        assert min(entry.read, entry.loaded, entry.merged, entry.rejected) >= 0, report.format()
    posts = outcome.posts
    assert len(posts) == report.loaded > 0
    assert report.rejected == len(report.rejections)
    assert posts["post_id"].is_unique
    assert posts["title"].map(lambda t: isinstance(t, str) and t.strip() != "").all()
    not_web = [u for u in posts["url"] if u is not None and not web_address(u)]
    assert not not_web, f"URLs that are not http(s) addresses: {not_web!r}"
    published = posts["published"]
    assert published.notna().all()
    assert published.dt.year.between(1900, 2100).all()
    assert (published == published.dt.normalize()).all()
    for column in ("authors", "tags", "topics"):
        assert posts[column].map(_strings).all(), column


def _strings(values) -> bool:
    return values is not None and all(isinstance(v, str) and v for v in values)


def web_address(url) -> bool:
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))  # any case


def check(reader: str, folder: Path, document: tuple[bytes, str], topics: Path | None) -> None:
    """Load one generated input as a file and assert the properties; count it for ``reader``."""
    data, extension = document
    path = folder / f"input{extension}"
    path.write_bytes(data)
    started = time.perf_counter()
    try:
        outcome = load(path, topics)
        assert_sound(outcome, path)
    except Exception:
        COUNTS[reader]["property broken"] += 1
        save_failure(reader, data, extension)
        raise
    finally:
        SECONDS[reader] += time.perf_counter() - started
        COUNTS[reader]["inputs"] += 1
    if isinstance(outcome, LoadError):
        entry = outcome.report.sources[0] if outcome.report else None
        fmt = entry.format if entry else "unknown"
        reason = entry.error if entry and entry.error else "no record could be loaded"
        result = "LoadError: " + re.sub(r" at line \d+$", "", reason.split(" (")[0])
    else:
        fmt, result = outcome.report.sources[0].format, "posts loaded"
    COUNTS[reader][f"format {fmt}"] += 1
    COUNTS[reader][result] += 1
    event(f"read as {fmt}")
    event(result)


def save_failure(reader: str, data: bytes, extension: str) -> None:
    if FAILURES:
        folder = Path(FAILURES) / reader
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{hashlib.sha1(data).hexdigest()[:12]}{extension}").write_bytes(data)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def topics(folder) -> Path | None:
    if BUNDLED_TAXONOMY:
        return None
    path = folder / "topics.toml"
    path.write_text(SMALL_TAXONOMY, encoding="utf-8")
    return path


@pytest.fixture(scope="module", autouse=True)
def statistics():
    yield
    if STATS and COUNTS:
        summary = {
            reader: {
                "inputs": counts.pop("inputs"),
                "seconds": round(SECONDS[reader], 1),
                **dict(sorted(counts.items())),
            }
            for reader, counts in COUNTS.items()
        }
        Path(STATS).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Realistic pieces
# --------------------------------------------------------------------------------------------

REAL_TITLES = [
    "What the King’s Speech means for Liverpool City Region",
    "Joined up? How central government can support place-based working",
    "Exploring heritage diplomacy in an uncertain world",
    "Why Milton Friedman got it wrong on Planning",
    "Could a Leccybus Cure Liverpool's Middle Aged Spread?",
    "The 2023 Party Conferences: long-term decisions for next year's election",
    "Precarious work is on the rise: Why is this a problem?",
    "Post-Covid challenges for the city region's metro mayor",
    "Things might actually get better: Trends, discontinuities and the future for ‘Levelling Up’",
    "Do We Need a Plan for England?",
    "Bye Bye",
    "New York, New York",
]
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(2)&lt;/script&gt;",
    "[x](javascript:alert(1))",
    "**bold** _it_ `code` # heading",
    ":red[not red] $x^2$",
    "<b>Bold</b> &amp; <i>tilted</i>",
    "&#8217;&#x2019;&rsquo;&bogus;&#0;&#xD800;&#99999999;",
    "&#55357;&#56832; &#x110000; &#18446744073709551616;",  # surrogate pair, past U+10FFFF
    "Posted on: 18 July 2024",
    "URL: https://civicfutures.example.org/blog/",
    "]]><!--",
    '{"title": "nested"}',
    "title,published\r\nx,y",
]
ODD_UNICODE = [
    "\u202eevil\u202c",  # right-to-left override
    "zero\u200bwidth\u200djoin\ufeff",
    "e\u0301\u0301\u0301 combining",
    "Zoë Núñez – Ørsted",
    "北京の都市計画",
    "مدينة",
    "🏙️👩🏽‍🔬",
    "\u2028line\u2029para\u0085",
    "\u00a0\u2003\u3000",
    "\ufffd\ufffe\uffff",
    "\x00\x07\x1b",
    "Ｆｕｌｌｗｉｄｔｈ",
    "ﬁ ligature",
]


@st.composite
def weighted(draw, *choices: tuple[int, st.SearchStrategy]):
    """A value of one of the strategies, picked with its relative weight; shrinks towards the
    first (``st.one_of`` cannot weight: it merges repeated strategies into one)."""
    at = draw(st.integers(0, sum(weight for weight, _ in choices) - 1))
    for weight, strategy in choices:
        if at < weight:
            return draw(strategy)
        at -= weight
    raise AssertionError("unreachable")


TITLES = weighted(
    (10, st.sampled_from(REAL_TITLES)),
    (3, st.sampled_from(HOSTILE + ODD_UNICODE)),
    (2, st.text(max_size=40)),
    (1, st.sampled_from(["", " ", "\t", "...", "?", "1", "Blog", "Next"])),
    (
        1,
        st.builds(
            lambda t, n: t * n,
            st.sampled_from(REAL_TITLES[:3] + ["ab", "a"]),
            st.sampled_from([2, 2, 30, 2000]),
        ),
    ),
)
SUMMARIES = weighted(
    (
        6,
        st.sampled_from(
            [
                "In this blog, Cleo Hachem and Tom Arnold highlight what the speech means for the "
                "region.",
                "Joanna Hayes looks at how central government can support local government.",
                "The re-elected mayor faces a recovery that is uneven across the boroughs.",
                "<p>Forecasts have been wrong before. We look at the "
                "<strong>discontinuities</strong>.</p>",
                "Devolution to combined authorities and levelling up, explained.",
                "Photo: the Mersey at dusk is licensed under CC BY 2.0",
                "A short line",
            ]
        ),
    ),
    (2, st.sampled_from(HOSTILE + ODD_UNICODE)),
    (2, st.text(max_size=60)),
    (1, st.just("")),
    (1, st.builds(lambda n: "A long teaser sentence. " * n, st.sampled_from([10, 10, 100, 2000]))),
)
NAMES = [
    "Tom Arnold",
    "Cleo Hachem",
    "Dr James Hickson",
    "Belinda",
    "Ian Wray",
    "Joanna Hayes",
    "Mark Swift",
    "Zoë Núñez",
    "tom.arnold@example.org",
    "Tom Arnold and Cleo Hachem",
    "Tom Arnold, Cleo Hachem & Ian Wray",
    "",
    " ",
    "<b>Mallory</b>",
    "[m](javascript:x)",
]
AUTHORS = st.lists(weighted((4, st.sampled_from(NAMES)), (1, st.text(max_size=15))), max_size=3)
TAG_NAMES = [
    "Blog",
    "Devolution",
    "Levelling up",
    "Local government",
    "Insecure work",
    "Planning",
    "Unclassified",
    "",
    "a;b",
    "<i>Tilted</i>",
    "&amp;",
    "Combined authorities",
]
TAGS = st.lists(weighted((4, st.sampled_from(TAG_NAMES)), (1, st.text(max_size=12))), max_size=4)

# As "Posted on:" lines print them (day first), and a few forms those lines never hold.
WRITTEN_FORMATS = (
    ["%d %B %Y"] * 3
    + ["%-d %B %Y"] * 3
    + ["%d %b %Y", "%-d %B, %Y", "%-d %b. %Y", "%B %d, %Y", "%A, %d %B %Y"]
)
OTHER_FORMATS = [
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M",
    "%a, %d %b %Y %H:%M:%S %z",
    "%a, %d %b %Y %H:%M:%S GMT",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%Y%m%d",
    "%d/%m/%y",
    "%Y-%m",
]
BAD_DATES = [
    "31 February 2024",
    "30 Feb 2023",
    "2024-02-30",
    "2024-13-01",
    "0000-00-00",
    "9999-12-31",
    "1899-12-31",
    "2101-01-01",
    "0001-01-01",
    "yesterday",
    "",
    " ",
    "1e10",
    "2024",
    "Thu, 31 Feb 2024 00:00:00 +0000",
    "Mon, 18 Jul 2024 25:61:00 +9900",
    "２０２４-０７-１８",
    "18 Julember 2024",
    "2024-07-18T00:00:00+25:00",
    "99999999999-01-01",
    "-2024-07-18",
    "null",
    "NaN",
    "0",
    "1721260800",
    "18th of July 2024",
    "32 July 2024",
    "July 2024",
    "18 July 10000",
    "2024-07-18garbage",
    "Thu, 18 Jul 2024",
    "\u0662\u0660\u0662\u0664-07-18",
]
ZONES = st.sampled_from(
    [
        UTC,
        timezone(timedelta(hours=1)),
        timezone(timedelta(hours=-5)),
        timezone(timedelta(hours=14)),
        timezone(timedelta(hours=-12, minutes=-30)),
    ]
)
# Mostly the years blogs have existed, sometimes any year at all (outside 1900-2100: rejected).
WHEN = weighted(
    (
        9,
        st.datetimes(
            min_value=datetime(1995, 1, 1), max_value=datetime(2030, 12, 31), timezones=ZONES
        ),
    ),
    (
        1,
        st.datetimes(
            min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=ZONES
        ),
    ),
)


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


WRITTEN_DATES = weighted(
    (9, st.builds(lambda d, f: d.strftime(f), WHEN, st.sampled_from(WRITTEN_FORMATS))),
    (2, st.builds(lambda d: f"{_ordinal(d.day)} {d:%B %Y}", WHEN)),
    (
        1,
        st.sampled_from(
            [
                "31 February 2024",
                "18 Julember 2024",
                "32 July 2024",
                "18 July 10000",
                "0 May 2020",
                "29 February 2023",
                "1st March 0999",
                "18 July 2024 2024",
                "18  July  2024",
            ]
        ),
    ),
)
DATES = weighted(
    (3, WRITTEN_DATES),
    (3, st.builds(lambda d, f: d.strftime(f), WHEN, st.sampled_from(OTHER_FORMATS))),
    (2, st.builds(lambda d: d.isoformat(), WHEN)),
    (1, st.sampled_from(BAD_DATES)),
)

HOSTS = [
    "https://civicfutures.example.org",
    "http://www.civicfutures.example.org",
    "https://northernpolicy.example.net:443",
    "https://XN--bcher-kva.example",
    "https://bücher.example",
]
SLUGS = [
    "/blog/kings-speech/",
    "/blog/joined-up",
    "/blog/2024/07/a?p=1#top",
    "/blog/%E2%80%99/",
    "/blog/a b/",
]
ODD_URLS = [
    "javascript:alert(1)",
    "JavaScript:void(0)",
    "mailto:x@y",
    "data:text/html,<b>x</b>",
    "#",
    "",
    " ",
    "/blog/relative/",
    "relative/page.html",
    "../up/",
    "?page=2",
    "//example.org/protocol-relative",
    "http://",
    "https://",
    "https://[::1",
    "http://a b/",
    "ftp://example.org/file",
    "https://example.org:99999/",
    "http://[::1]:80/",
    "https://user:pw@example.org/x",
    "HTTPS://EXAMPLE.ORG/UPPER",
    "\x00http://nul.example/",
    "https://example.org/" + "x" * 5000,
    "tag:example.org,2024:/blog/1",
    "urn:uuid:1234",
    "www.example.org/no-scheme",
]
URLS = weighted(
    (3, st.builds(lambda h, s: h + s, st.sampled_from(HOSTS), st.sampled_from(SLUGS))),
    (2, st.sampled_from(ODD_URLS)),
    (1, st.text(max_size=20)),
)
PAGE_URLS = st.one_of(
    st.sampled_from(
        [
            "https://www.liverpool.ac.uk/heseltine-institute/blog/",
            "https://civicfutures.example.org/blog/?page=2",
        ]
    ),
    URLS,
)
POST = st.fixed_dictionaries(
    {
        "title": TITLES,
        "date": DATES,
        "url": st.one_of(URLS, st.none()),
        "summary": SUMMARIES,
        "authors": AUTHORS,
        "tags": TAGS,
    }
)


def _variant(url: str | None, how: int) -> str | None:
    """The same address spelt as sites also spell it: with or without www., slash, fragment."""
    if not url:
        return url
    if how == 0:
        return url.replace("://www.", "://") if "://www." in url else url.replace("://", "://www.")
    if how == 1:
        return url[:-1] if url.endswith("/") else url + "/"
    if how == 2:
        return url.replace("https://", "http://", 1)
    return url + "#comments"


@st.composite
def posts(draw, max_size: int = 6) -> list[dict]:
    """Posts, some of them repeated (same post, its URL or title spelt a little differently)."""
    size = draw(weighted((6, st.integers(1, max_size)), (1, st.just(0))))
    items = draw(st.lists(POST, min_size=size, max_size=size))
    if items and draw(st.integers(0, 2)) == 0:
        for _ in range(draw(st.integers(1, 3))):
            copy = dict(draw(st.sampled_from(items)))
            how = draw(st.integers(0, 5))
            if how < 4:
                copy["url"] = _variant(copy["url"], how)
            elif how == 4:
                copy["title"] = copy["title"].upper() + "!"
            copy["authors"] = draw(AUTHORS)
            items.insert(draw(st.integers(0, len(items))), copy)
    return items


# --------------------------------------------------------------------------------------------
# Mutations: applied to the text, then to the bytes, so a document can break in any way
# --------------------------------------------------------------------------------------------

TEXT_JUNK = [
    "<",
    ">",
    "&",
    "&#",
    "\x00",
    "\ufffd",
    "]]>",
    "<!--",
    "<![CDATA[",
    '"',
    "'",
    "\\",
    "{",
    "}",
    "[",
    ",",
    ";",
    "\t",
    "\r",
    "\n\n",
    "Posted on: 18 July 2024\n",
    "URL: https://x.example/\n",
    "<rss>",
    "<feed>",
    "</html>",
    "\u202e",
    "\ud800",
]
BYTE_JUNK = st.one_of(
    st.binary(min_size=1, max_size=6),
    st.sampled_from(
        [
            b"\x00",
            b"\xff\xfe",
            b"\xfe\xff",
            b"\xef\xbb\xbf",
            b"\xc3",
            b"\xe2\x80",
            b"\x81\x8d",
            b"\x1a",
            b"\r",
            b"PAR1",
            b"<",
            b"&",
            b'"',
        ]
    ),
)
ENCODINGS = ["utf-8"] * 36 + [
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "cp1252",
    "latin-1",
    "utf-32",
    "mixed",
]


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "mixed":  # half UTF-8, half Windows-1252, as a badly joined export would be
        half = len(text) // 2
        return text[:half].encode("utf-8", "surrogatepass") + text[half:].encode(
            "cp1252", "replace"
        )
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    return text.encode(encoding, errors)


def _drop_closing_tags(text: str, keep: int) -> str:
    """Most closing tags removed (``keep`` of every four kept), as broken markup has them."""
    return re.sub(r"</[^>]*>", lambda m: m.group() if m.start() % 4 < keep else "", text)


@st.composite
def mutated(draw, documents, extensions: list[str]) -> tuple[bytes, str]:
    """(bytes, file extension) of a document, mutated often, under a plausible name mostly."""
    text = draw(documents)
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 0, 0, 1, 1, 2, 3]))):
        op = draw(st.integers(0, 5))
        lines = text.split("\n")
        at = draw(st.integers(0, len(text)))
        if op == 0:
            text = text[:at]  # cut short
        elif op == 1:
            text = text[:at] + draw(st.sampled_from(TEXT_JUNK)) + text[at:]
        elif op == 2:
            text = _drop_closing_tags(text, draw(st.integers(0, 3)))
        elif op == 3:
            del lines[draw(st.integers(0, len(lines) - 1))]
            text = "\n".join(lines)
        elif op == 4:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
            text = "\n".join(lines)
        else:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    data = _encode(text, draw(st.sampled_from(ENCODINGS)))
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 0, 0, 0, 1, 1, 2]))):
        op = draw(st.integers(0, 3))
        at = draw(st.integers(0, len(data)))
        if op == 0:
            data = data[:at]
        elif op == 1:
            data = data[:at] + draw(BYTE_JUNK) + data[at:]
        elif op == 2:
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        else:
            data = data[:at] + data[at:][: draw(st.integers(1, 64))] + data[at:]
    extension = draw(st.sampled_from(extensions if draw(st.integers(0, 3)) else EXTENSIONS))
    return data, extension


# --------------------------------------------------------------------------------------------
# Captured page text
# --------------------------------------------------------------------------------------------


@st.composite
def posted_lines(draw, post: dict, byline: bool) -> str:
    date = draw(weighted((7, WRITTEN_DATES), (1, DATES)))
    label = draw(
        st.sampled_from(
            [
                "Posted on: ",
                "Posted on:",
                "posted on: ",
                "POSTED ON:  ",
                "Posted on:\u00a0",
                "Posted:",
                " Posted on: ",
            ]
        )
    )
    line = label + date
    if byline and draw(st.integers(0, 4)):
        names = [n for n in post["authors"] if n.strip()] or ["Tom Arnold"]
        line += " by " + draw(st.sampled_from([" and ".join(names), ", ".join(names), ""]))
        if draw(st.booleans()):
            line += " in " + draw(st.sampled_from(["Blog", "News, Blog", "", "Blog | x"]))
    tags = [t for t in post["tags"] if t.strip()] or ["Blog"]
    tail = draw(st.sampled_from(["", " | Category: ", " | Categories: ", "|Category:", " | "]))
    if tail:
        line += tail + ", ".join(tags)
    return line


FURNITURE_LINES = [
    "Blog",
    "Blogs",
    "Next",
    "Previous",
    "1",
    "2",
    "»",
    "Older posts",
    "Load more",
    "Page 2",
    "Read more",
]
INTRO = (
    "The Heseltine Institute blog provides a space for policymakers, practitioners and "
    "academics to share their aspirations, knowledge and policy ideas."
)
CAPTIONS = [
    "Photo: the Mersey at dusk is licensed under CC BY 2.0",
    "Mark Swift",
    "“Out On The River” by Someone is marked with CC BY 2.0.",
    "© Civic Futures",
    "Credit: the institute",
]


@st.composite
def page_texts(draw) -> str:
    layout = draw(st.sampled_from(["date first", "date after", "compact", "article"]))
    lines: list[str] = []
    if draw(st.integers(0, 3)):
        lines += [draw(st.sampled_from(["URL: ", "URL:", "url: "])) + draw(PAGE_URLS), ""]
    if layout == "article":
        post = draw(POST)
        if draw(st.integers(0, 5)):
            lines.append(post["title"])
        lines.append(draw(posted_lines(post, byline=True)))
        lines += draw(st.lists(st.sampled_from(CAPTIONS), max_size=2))
        lines += [post["summary"], "", *draw(st.lists(SUMMARIES, max_size=3))]
        if draw(st.booleans()):  # a second date on the page turns it into a listing
            lines.append(draw(posted_lines(draw(POST), byline=draw(st.booleans()))))
    else:
        if draw(st.booleans()):
            lines += ["Blog", "", INTRO, ""]
        for post in draw(posts(max_size=7)):
            title, summary = post["title"], post["summary"]
            posted = draw(posted_lines(post, byline=draw(st.integers(0, 5)) == 0))
            captions = draw(st.lists(st.sampled_from(CAPTIONS), max_size=1))
            if layout == "date first":
                entry = [title, "", posted, "", *captions, summary, ""]
            elif layout == "date after":
                doubled = [title + title] if draw(st.integers(0, 3)) else []
                entry = [*doubled, "", title, "", *captions, summary, "", posted, ""]
            else:
                entry = [title, summary, posted]
            lines += entry
        if draw(st.booleans()):  # the capture stops in the middle of an entry
            cut = draw(TITLES)
            lines += [cut, cut[: draw(st.integers(0, len(cut)))]]
        lines += draw(st.lists(st.sampled_from(FURNITURE_LINES + [""]), max_size=4))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "\n\n"]))
    return newline.join(lines)


# Lines of pages in any order and number: the reader must cope with layouts no site uses.
PAGE_LINES = [
    "URL: https://civicfutures.example.org/blog/?page=2",
    "URL: /blog/",
    "URL: https://[::1",
    "Posted on: 18 July 2024",
    "Posted on: 31 February 2024",
    "Posted on: 18 July 2024 | Category: Blog",
    "Posted on: 8 March 2022 by Tom Arnold and Cleo Hachem in Blog",
    "What the King’s Speech means for city regions" * 2,
    "What the King’s Speech means for city regions",
    "Blog",
    "Next",
    "",
    "Photo: the Mersey at dusk is licensed under CC BY 2.0",
    "In this blog, Cleo Hachem and Tom Arnold highlight what the speech means for the region.",
]
PAGE_SOUP = st.lists(
    weighted((3, st.sampled_from(PAGE_LINES)), (1, st.text(max_size=20))), max_size=25
).map("\n".join)


@FUZZ
@given(document=mutated(weighted((4, page_texts()), (1, PAGE_SOUP)), [".txt"]))
def test_page_text(folder, topics, document):
    check("page-text", folder, document, topics)


# --------------------------------------------------------------------------------------------
# HTML pages
# --------------------------------------------------------------------------------------------


def _html_text(value: str, raw: bool) -> str:
    return value if raw else escape(value, quote=False)


@st.composite
def html_pages(draw) -> str:
    raw = draw(st.integers(0, 4)) == 0  # titles and summaries pasted in unescaped
    attr = draw(st.sampled_from(['"', "'", ""]))
    upper = draw(st.integers(0, 6)) == 0

    def tag(name: str, attrs: str = "") -> str:
        name = name.upper() if upper else name
        return f"<{name}{attrs}>"

    def href(url: str | None) -> str:
        return "" if url is None else f" href={attr}{escape(url or '')}{attr}"

    head = []
    if draw(st.booleans()):
        head.append(f'<link rel="canonical"{href(draw(PAGE_URLS))}>')
    if draw(st.integers(0, 3)) == 0:
        head.append(f'<meta property="og:url" content="{escape(draw(PAGE_URLS))}">')
    if draw(st.integers(0, 4)) == 0:
        head.append(f"<base{href(draw(PAGE_URLS))}>")
    head += draw(
        st.lists(
            st.sampled_from(
                [
                    "<title>Blog - Civic Futures Institute</title>",
                    '<meta charset="utf-8">',
                    "<script>var s = '<p>Posted on: 1 May 2020</p>';</script>",
                    "<style>p { color: red }</style>",
                    "<noscript>Posted on: 2 May 2020</noscript>",
                ]
            ),
            max_size=3,
        )
    )
    body = []
    if draw(st.booleans()):
        body.append(
            '<header class="site-header"><a href="/">Civic Futures Institute</a>'
            '<nav><ul><li><a href="/blog/">Blog</a></li></ul></nav></header>'
        )
    if draw(st.booleans()):
        body.append('<div class="skip"><a href="#main">Skip to main content</a></div>')
    article = draw(st.integers(0, 3)) == 0
    wrapper = draw(st.sampled_from(["main", "article", "div", "section", ""]))
    if wrapper:
        body.append(tag(wrapper, ' id="content"'))
    if article:
        post = draw(POST)
        body.append(f"{tag('h1')}{_html_text(post['title'], raw)}</h1>")
        posted = draw(posted_lines(post, byline=True))
        body.append(f"{tag('p', ' class=byline')}{escape(posted)}</p>")
        if draw(st.booleans()):
            body.append(
                f"<figure><img src=x><figcaption>{draw(st.sampled_from(CAPTIONS))}"
                "</figcaption></figure>"
            )
        body.append(f"{tag('p')}{_html_text(post['summary'], raw)}</p>")
        body += [f"<p>{_html_text(s, raw)}</p>" for s in draw(st.lists(SUMMARIES, max_size=2))]
    else:
        body.append(f"<h1>Blog</h1><p>{INTRO}</p>")
        item = draw(st.sampled_from(["li", "div", "article"]))
        body.append(tag("ul" if item == "li" else "div", ' class="listing"'))
        for post in draw(posts(max_size=6)):
            title = _html_text(post["title"], raw)
            link = f"<a{href(post['url'])}>{title}</a>" if draw(st.integers(0, 4)) else title
            posted = escape(draw(posted_lines(post, byline=draw(st.integers(0, 5)) == 0)))
            if draw(st.booleans()):  # the date inside a <time> element, as many themes print it
                posted = re.sub(r":\s*(.*?)( \||$)", r": <time>\1</time>\2", posted, count=1)
            parts = [
                f"{tag('h2')}{link}</h2>",
                f"<p class=meta>{posted}</p>",
                f"<p>{_html_text(post['summary'], raw)}</p>",
            ]
            if draw(st.integers(0, 3)) == 0:  # the date-after layout, title printed twice
                parts = [
                    f"<a{href(post['url'])}>{title}</a><span>{title}</span>",
                    parts[0],
                    parts[2],
                    parts[1],
                ]
            if draw(st.integers(0, 4)) == 0:
                parts.insert(
                    1,
                    f"<figure><figcaption>{draw(st.sampled_from(CAPTIONS))}</figcaption></figure>",
                )
            body.append(tag(item) + "".join(parts) + f"</{item}>")
        body.append(f"</{'ul' if item == 'li' else 'div'}>")
        if draw(st.booleans()):
            body.append(
                '<nav class="pager"><a href="?page=1">1</a> <a href="?page=2">Next</a>'
                "</nav><p><a href='?page=3'>»</a> <a href='#'>…</a></p>"
            )
    if wrapper:
        body.append(f"</{wrapper}>")
    body += draw(
        st.lists(
            st.sampled_from(
                [
                    "<footer><p>Posted on: 1 January 2020</p></footer>",
                    "<!-- Posted on: 2 May 2020 -->",
                    "<![CDATA[ x ]]>",
                    "<svg><text>Posted on: 3 May 2020</text></svg>",
                    "<br/>",
                    "<hr>",
                    "<template><p>Hidden</p></template>",
                    "<main/>",
                    "<a href='/x'>",
                    "</a></a>",
                    "<p>&nbsp;&#8217;&bogus;</p>",
                ]
            ),
            max_size=3,
        )
    )
    doctype = draw(st.sampled_from(["<!DOCTYPE html>\n", "<!doctype html>", "", "<html>"]))
    return (
        f"{doctype}<html lang=en>\n<head>\n"
        + "\n".join(head)
        + "\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


# Tokens of pages in any order: unclosed, stray and misnested markup around real page text.
HTML_TOKENS = [
    "<html>",
    "<head>",
    "</head>",
    "<body>",
    "</body>",
    "<main>",
    "</main>",
    "<article>",
    "</article>",
    "<header>",
    "</header>",
    "<footer>",
    "</footer>",
    "<nav>",
    "</nav>",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<h2>",
    "</h2>",
    "<br>",
    "<br/>",
    "<script>",
    "</script>",
    "<svg/>",
    "<time>",
    "</time>",
    "</a>",
    "<a>",
    '<a href="/blog/a/">',
    '<a href="#">',
    '<a href="javascript:void(0)">',
    '<a href="https://[::1">',
    '<base href="/x/">',
    '<link rel="canonical" href="https://civicfutures.example.org/blog/a/">',
    '<link rel="canonical" href="/blog/a/">',
    "Posted on: 18 July 2024",
    "Posted on: 8 March 2022 by Tom Arnold and Cleo Hachem in Blog",
    " | Category: Blog",
    "Next",
    "1",
    "What the King’s Speech means for city regions",
    "The new government’s first King’s Speech promises an English Devolution Bill.",
    "&amp;",
    "&#8217;",
    "<!-- comment -->",
    "<![CDATA[x]]>",
    "<![if !vml]>",
    "<![endif]>",
    "<!DOCTYPE html>",
    "\n",
    " ",
]
HTML_SOUP = st.lists(
    weighted((3, st.sampled_from(HTML_TOKENS)), (1, st.text(max_size=10))), max_size=60
).map(lambda tokens: "<!DOCTYPE html>" + "".join(tokens))


@FUZZ
@given(document=mutated(weighted((4, html_pages()), (1, HTML_SOUP)), [".html", ".htm"]))
def test_html_page(folder, topics, document):
    check("html", folder, document, topics)


# --------------------------------------------------------------------------------------------
# Feeds: RSS 2.0, RSS 1.0, Atom
# --------------------------------------------------------------------------------------------

XML_DECLARATIONS = [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n',
    '<?xml version="1.0" encoding="windows-1252"?>',
    '<?xml version="1.0" encoding="utf-16"?>',
    '<?xml version="1.0" encoding="bogus-8"?>',
    '<?xml version="1.1"?>',
    '<?xml version="1.0"?>\n<!-- generator -->\n',
    "",
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "entity">]>',
    '<?xml version="1.0"?><?xml-stylesheet href="feed.xsl"?>',
]


@st.composite
def xml_text(draw, value: str | None) -> str:
    """Element text as feeds write it: escaped, in CDATA (which may break), or pasted raw."""
    value = value or ""
    how = draw(st.integers(0, 6))
    if how <= 3:
        return escape(value, quote=False)
    if how == 4:
        return f"<![CDATA[{value}]]>"
    if how == 5:
        return escape(f"<p>{value}</p>", quote=False)  # escaped HTML, as descriptions hold it
    return value


def _element(name: str, text: str, keep: bool) -> str:
    return f"<{name}>{text}</{name}>" if keep else ""


@st.composite
def rss2_feeds(draw) -> str:
    items = []
    for post in draw(posts()):
        keep = draw(st.lists(st.integers(0, 7), min_size=9, max_size=9))
        guid = post["url"] or "urn:x"
        items.append(
            "<item>"
            + _element("title", draw(xml_text(post["title"])), keep[0] > 0)
            + _element("link", escape(post["url"] or ""), keep[1] > 1)
            + (
                f'<guid isPermaLink="{draw(st.sampled_from(["true", "false"]))}">'
                f"{escape(guid)}</guid>"
                if keep[2] > 3
                else ""
            )
            + _element("pubDate", escape(post["date"]), keep[3] > 0)
            + "".join(
                _element("dc:creator", draw(xml_text(a)), keep[4] > 1) for a in post["authors"]
            )
            + _element("author", escape(draw(st.sampled_from(NAMES))), keep[5] > 5)
            + "".join(_element("category", draw(xml_text(t)), True) for t in post["tags"])
            + _element("description", draw(xml_text(post["summary"])), keep[6] > 1)
            + _element("content:encoded", f"<![CDATA[<p>{post['summary']}</p>]]>", keep[7] > 5)
            + _element("dc:date", escape(draw(DATES)), keep[8] > 6)
            + "</item>"
        )
    namespaces = draw(
        st.sampled_from(
            [
                ' xmlns:dc="http://purl.org/dc/elements/1.1/" '
                'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
                ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
                "",  # prefixes used but never declared: not well-formed
            ]
        )
    )
    version = draw(st.sampled_from(['version="2.0"', 'version="0.91"', ""]))
    base = draw(st.one_of(PAGE_URLS, st.just("")))
    return (
        draw(st.sampled_from(XML_DECLARATIONS))
        + f"<rss {version}{namespaces}><channel><title>Civic Futures Institute &#8211; Blog"
        f"</title><link>{escape(base)}</link><description>Research</description>"
        + "\n".join(items)
        + "</channel></rss>\n"
    )


@st.composite
def rss1_feeds(draw) -> str:
    entries = draw(posts())
    about = [escape(p["url"] or f"urn:item:{i}", quote=True) for i, p in enumerate(entries)]
    seq = "".join(f'<rdf:li rdf:resource="{a}"/>' for a in about)
    items = []
    for post, address in zip(entries, about, strict=True):
        keep = draw(st.lists(st.integers(0, 5), min_size=5, max_size=5))
        items.append(
            f'<item rdf:about="{address}">'
            + _element("title", draw(xml_text(post["title"])), keep[0] > 0)
            + _element("link", escape(post["url"] or ""), keep[1] > 0)
            + _element("description", draw(xml_text(post["summary"])), keep[2] > 1)
            + "".join(_element("dc:creator", escape(a), True) for a in post["authors"])
            + _element("dc:date", escape(post["date"]), keep[3] > 0)
            + "".join(_element("dc:subject", escape(t), True) for t in post["tags"])
            + "</item>"
        )
    base = escape(draw(PAGE_URLS), quote=True)
    return (
        draw(st.sampled_from(XML_DECLARATIONS))
        + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns="http://purl.org/rss/1.0/">'
        f'<channel rdf:about="{base}"><title>Policy Hub commentary</title><link>{base}</link>'
        f"<description>Commentary</description><items><rdf:Seq>{seq}</rdf:Seq></items>"
        "</channel>" + "\n".join(items) + "</rdf:RDF>"
    )


@st.composite
def atom_text(draw, name: str, value: str) -> str:
    kind = draw(st.sampled_from(["", ' type="text"', ' type="html"', ' type="xhtml"']))
    if kind == ' type="xhtml"':
        body = f'<div xmlns="http://www.w3.org/1999/xhtml">{escape(value, quote=False)}</div>'
    else:
        body = draw(xml_text(value))
    return f"<{name}{kind}>{body}</{name}>"


@st.composite
def atom_feeds(draw) -> str:
    entries = []
    for number, post in enumerate(draw(posts())):
        keep = draw(st.lists(st.integers(0, 5), min_size=6, max_size=6))
        url = escape(post["url"] or "", quote=True)
        link = draw(
            st.sampled_from(
                [
                    f'<link rel="alternate" type="text/html" href="{url}"/>',
                    f'<link href="{url}"/>',
                    f'<link rel="self" href="{url}"/>',
                    f"<link>{url}</link>",
                    "",
                ]
            )
        )
        ident = draw(st.sampled_from([url, f"tag:example.org,2024:{number}", ""]))
        date_tags = draw(st.sampled_from(["published", "updated", "created", "issued"]))
        authors = "".join(
            f"<author><name>{escape(a)}</name>"
            + ("<email>a@example.org</email>" if keep[4] > 3 else "")
            + "</author>"
            for a in post["authors"]
        )
        entry_base = draw(st.sampled_from(["", ' xml:base="/archive/2023/"', ' xml:base="::"']))
        entries.append(
            f"<entry{entry_base}>"
            + (draw(atom_text("title", post["title"])) if keep[0] else "")
            + link
            + f"<id>{ident}</id>"
            + _element(date_tags, escape(post["date"]), keep[1] > 0)
            + _element("updated", escape(draw(DATES)), keep[2] > 2)
            + authors
            + "".join(f'<category term="{escape(t, quote=True)}"/>' for t in post["tags"])
            + (draw(atom_text("summary", post["summary"])) if keep[3] > 1 else "")
            + (draw(atom_text("content", post["summary"])) if keep[5] > 3 else "")
            + "</entry>"
        )
    base = escape(draw(PAGE_URLS), quote=True)
    xml_base = draw(st.sampled_from([f' xml:base="{base}"', ""]))
    return (
        draw(st.sampled_from(XML_DECLARATIONS))
        + f'<feed xmlns="http://www.w3.org/2005/Atom"{xml_base}>'
        '<title>Northern Policy Forum</title><link rel="alternate" href="./"/>'
        f'<link rel="self" href="feed.atom"/><id>tag:example.net,2019:research</id>'
        f"<updated>{escape(draw(DATES))}</updated>" + "\n".join(entries) + "</feed>"
    )


@FUZZ
@given(document=mutated(rss2_feeds(), [".xml", ".rss"]))
def test_rss2_feed(folder, topics, document):
    check("rss2", folder, document, topics)


@FUZZ
@given(document=mutated(rss1_feeds(), [".rdf", ".xml"]))
def test_rss1_feed(folder, topics, document):
    check("rss1", folder, document, topics)


@FUZZ
@given(document=mutated(atom_feeds(), [".atom", ".xml"]))
def test_atom_feed(folder, topics, document):
    check("atom", folder, document, topics)


# --------------------------------------------------------------------------------------------
# JSON values: records with the right fields, the wrong types, and anything at all
# --------------------------------------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10))
JUNK_JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def odd_typed(draw, value, kind: str):
    """Usually the value as a source would give it, sometimes of the wrong type."""
    choice = draw(st.integers(0, 19))
    if choice == 0:
        return draw(JUNK_JSON)
    if choice == 1 and kind == "list":
        return "; ".join(map(str, value))  # a list written as text
    if choice == 1:
        return [value]
    if choice == 2 and kind == "list":
        return json.dumps(value)  # a JSON array inside a string
    if choice == 3 and kind == "list":
        return [{"name": v, "id": 1} for v in value]  # objects with a name, as CMS exports give
    return value


# Unix times in seconds, milliseconds and fractions, and numbers no date can be.
EPOCHS = weighted(
    (4, st.builds(lambda d: int(d.timestamp()), WHEN)),
    (2, st.builds(lambda d: int(d.timestamp() * 1000), WHEN)),
    (1, st.builds(lambda d: d.timestamp(), WHEN)),
    (1, st.builds(lambda d: str(int(d.timestamp())), WHEN)),
    (1, st.sampled_from([0, -1, 99_999_999_999, 10**20, -(10**30), 1e308, 20240718, 1e8])),
)

KEY_NAMES = {
    "title": ["title", "Title", "headline", "name", " TITLE ", "Title Text"],
    "published": ["published", "date", "pubDate", "Published At", "posted_on", "created"],
    "url": ["url", "link", "permalink", "href", "URL"],
    "summary": ["summary", "excerpt", "description", "abstract", "body"],
    "authors": ["authors", "author", "byline", "by", "creator"],
    "tags": ["tags", "categories", "keywords", "category", "topics"],
}


SOME_DROPPED = weighted((3, st.just(0)), (1, st.just(2)))  # how many keys a record may lose


def key_names(field: str) -> st.SearchStrategy:
    """Mostly the plain field name, sometimes an alias or a name no reader knows."""
    return weighted((3, st.just(field)), (2, st.sampled_from(KEY_NAMES[field])))


@st.composite
def records(draw) -> list[dict]:
    names = {field: draw(key_names(field)) for field in KEY_NAMES}
    result = []
    for post in draw(posts()):
        record = {
            names["title"]: draw(odd_typed(post["title"], "text")),
            names["published"]: draw(weighted((5, odd_typed(post["date"], "text")), (1, EPOCHS))),
            names["url"]: draw(odd_typed(post["url"], "text")),
            names["summary"]: draw(odd_typed(post["summary"], "text")),
            names["authors"]: draw(odd_typed(post["authors"], "list")),
            names["tags"]: draw(odd_typed(post["tags"], "list")),
        }
        for key in draw(st.lists(st.sampled_from(list(record)), max_size=draw(SOME_DROPPED))):
            record.pop(key, None)
        extra = draw(
            st.dictionaries(
                st.sampled_from(["post_id", "source", "id", "", "status", "title"]),
                JUNK_JSON,
                max_size=draw(weighted((4, st.just(0)), (1, st.just(2)))),
            )
        )
        result.append(record | extra)
    return result


def _dumps(draw, value) -> str:
    indent = draw(st.sampled_from([None, None, 2, "\t"]))
    return json.dumps(value, indent=indent, ensure_ascii=draw(st.booleans()))


@st.composite
def json_documents(draw) -> str:
    items = draw(records())
    items += draw(st.lists(JUNK_JSON, max_size=1 if draw(st.integers(0, 3)) else 3))
    shape = draw(st.integers(0, 7))
    if shape <= 3:
        value = items
    elif shape == 4:
        value = {
            draw(
                st.sampled_from(["posts", "items", "records", "data", "results", "entries", "rows"])
            ): items,
            "count": len(items),
        }
    elif shape == 5:
        value = items[0] if items else {}
    elif shape == 6:
        value = {"meta": {"page": 1}, "data": {"posts": items}}
    else:
        depth = draw(st.sampled_from([10, 1000, 100_000]))
        return "[" * depth + json.dumps(items) + "]" * depth
    return _dumps(draw, value)


@FUZZ
@given(document=mutated(json_documents(), [".json"]))
def test_json(folder, topics, document):
    check("json", folder, document, topics)


@st.composite
def json_lines(draw) -> str:
    lines = [json.dumps(r, ensure_ascii=draw(st.booleans())) for r in draw(records())]
    for _ in range(draw(st.integers(0, 3))):
        junk = draw(
            st.one_of(
                st.sampled_from(
                    [
                        "",
                        "  ",
                        '{"title": "cut off", "published": "2024-',
                        "[1, 2]",
                        "null",
                        "// comment",
                        '{"title": "x",}',
                        "{}",
                        '"just text"',
                        "{" * 5000,
                    ]
                ),
                JUNK_JSON.map(json.dumps),
            )
        )
        lines.insert(draw(st.integers(0, len(lines))), junk)
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["", "\n"]))


@FUZZ
@given(document=mutated(json_lines(), [".jsonl", ".ndjson"]))
def test_json_lines(folder, topics, document):
    check("jsonl", folder, document, topics)


# --------------------------------------------------------------------------------------------
# WordPress REST API
# --------------------------------------------------------------------------------------------


@st.composite
def rendered(draw, value: str):
    choice = draw(st.integers(0, 9))
    if choice <= 6:
        return {"rendered": value, "protected": False} if choice else {"rendered": value}
    if choice == 7:
        return value
    return draw(
        st.sampled_from(
            [
                None,
                {},
                {"raw": value},
                {"rendered": None},
                {"rendered": 5},
                {"rendered": [value]},
                [value],
            ]
        )
    )


@st.composite
def wordpress_documents(draw) -> str:
    items = []
    for number, post in enumerate(draw(posts()), 1):
        item = {
            "id": number,
            "date": draw(
                weighted(
                    (6, st.builds(lambda d: d.strftime("%Y-%m-%dT%H:%M:%S"), WHEN)),
                    (2, DATES),
                    (1, JUNK_JSON),
                )
            ),
            "date_gmt": draw(st.one_of(DATES, st.none())),
            "slug": "post",
            "status": "publish",
            "link": post["url"],
            "title": draw(rendered(escape(post["title"]))),
            "excerpt": draw(rendered(f"<p>{post['summary']}</p>\n")),
            "author": draw(st.one_of(st.integers(0, 9), st.none(), st.text(max_size=5))),
            "categories": draw(st.lists(st.integers(1, 200), max_size=3)),
            "tags": draw(weighted((5, st.lists(st.integers(1, 200), max_size=3)), (1, JUNK_JSON))),
        }
        how = draw(st.integers(0, 4))
        if how <= 2:
            item["_embedded"] = {
                "author": [{"id": 7, "name": a} for a in post["authors"]]
                + draw(st.lists(JUNK_JSON, max_size=1)),
                "wp:term": [
                    [{"taxonomy": "category", "name": t} for t in post["tags"][:1]],
                    [
                        {"taxonomy": draw(st.sampled_from(["post_tag", "series", None])), "name": t}
                        for t in post["tags"][1:]
                    ],
                ]
                + draw(st.lists(JUNK_JSON, max_size=1)),
            }
        elif how == 3:
            item["_embedded"] = draw(JUNK_JSON)
        for key in draw(st.lists(st.sampled_from(list(item)), max_size=draw(SOME_DROPPED))):
            item.pop(key, None)
        items.append(item)
    if items and draw(st.integers(0, 4)) == 0:
        items.insert(draw(st.integers(0, len(items))), draw(JUNK_JSON))
    value = {"posts": items} if draw(st.integers(0, 5)) == 0 else items
    return _dumps(draw, value)


@FUZZ
@given(document=mutated(wordpress_documents(), [".json"]))
def test_wordpress(folder, topics, document):
    check("wordpress", folder, document, topics)


# --------------------------------------------------------------------------------------------
# CMS exports: Ghost Content API, WordPress.com REST v1.1, JSON Feed
# --------------------------------------------------------------------------------------------


@st.composite
def name_objects(draw, names: list[str]) -> list:
    """Authors or tags as a CMS writes them: objects with a name mostly, some without one."""
    return [
        draw(
            weighted(
                (8, st.just({"id": str(number), "name": name, "slug": "s"})),
                (1, st.just({"slug": name})),
                (1, st.just(name)),
                (1, JUNK_JSON),
            )
        )
        for number, name in enumerate(names)
    ]


EXPORT_DATES = weighted(
    (6, st.builds(lambda d: d.isoformat(), WHEN)), (1, DATES), (1, EPOCHS), (1, JUNK_JSON)
)
INTERNAL_TAGS = st.lists(
    st.sampled_from([{"name": "#feature"}, {"name": "Hidden", "visibility": "internal"}]),
    max_size=2,
)


def _drop_some_keys(draw, item: dict) -> dict:
    for key in draw(st.lists(st.sampled_from(list(item)), max_size=draw(SOME_DROPPED))):
        item.pop(key, None)
    return item


def _with_junk(draw, items: list) -> list:
    if draw(st.integers(0, 4)) == 0:
        items.insert(draw(st.integers(0, len(items))), draw(JUNK_JSON))
    return items


@st.composite
def ghost_documents(draw) -> dict:
    items = []
    for post in draw(posts()):
        authors = draw(name_objects(post["authors"]))
        tags = draw(name_objects(post["tags"])) + draw(INTERNAL_TAGS)
        item = {
            "id": "66e2b0c1",
            "title": draw(odd_typed(post["title"], "text")),
            "url": post["url"],
            "published_at": draw(EXPORT_DATES),
            "custom_excerpt": draw(st.sampled_from([None, post["summary"]])),
            "excerpt": post["summary"],
            "authors": draw(weighted((6, st.just(authors)), (1, JUNK_JSON))),
            "primary_author": authors[0] if authors else draw(JUNK_JSON),
            "tags": draw(weighted((6, st.just(tags)), (1, JUNK_JSON))),
            "primary_tag": draw(st.sampled_from([tags[0] if tags else None, {"name": "#x"}])),
            "reading_time": 4,
        }
        items.append(_drop_some_keys(draw, item))
    page = draw(st.sampled_from([1, 2, "2", None, True]))
    return {"posts": _with_junk(draw, items), "meta": {"pagination": {"page": page}}}


def _keyed(names: list) -> dict:
    return {n if isinstance(n, str) else str(i): {"ID": i, "name": n} for i, n in enumerate(names)}


@st.composite
def wordpress_com_documents(draw) -> dict:
    items = []
    for number, post in enumerate(draw(posts()), 1):
        author = draw(st.sampled_from(post["authors"] or [None]))
        item = {
            "ID": number,
            "site_ID": 180442713,
            "author": draw(
                weighted(
                    (6, st.just({"ID": 1, "name": author, "first_name": "A", "last_name": "B"})),
                    (1, st.just({"ID": 1, "name": "", "first_name": author})),
                    (1, JUNK_JSON),
                )
            ),
            "date": draw(EXPORT_DATES),
            "title": draw(odd_typed(escape(post["title"]), "text")),
            "URL": post["url"],
            "excerpt": f"<p>{post['summary']}</p>\n",
            "categories": draw(weighted((4, st.just(_keyed(post["tags"][:1]))), (1, JUNK_JSON))),
            "tags": draw(weighted((4, st.just(_keyed(post["tags"][1:]))), (1, JUNK_JSON))),
        }
        items.append(_drop_some_keys(draw, item))
    return {"found": len(items), "posts": _with_junk(draw, items)}


@st.composite
def json_feeds(draw) -> dict:
    version = draw(st.sampled_from(["1.1", "1"]))
    items = []
    for number, post in enumerate(draw(posts()), 1):
        authors = draw(name_objects(post["authors"]))
        item = {
            "id": draw(st.sampled_from([str(number), post["url"]])),
            "url": draw(st.sampled_from([post["url"], "relative/post/", None])),
            "title": draw(odd_typed(post["title"], "text")),
            "summary": post["summary"],
            "content_html": f"<p>{post['summary']}</p>",
            "date_published": draw(EXPORT_DATES),
            "tags": draw(odd_typed(post["tags"], "list")),
        }
        if version == "1.1":
            item["authors"] = draw(weighted((6, st.just(authors)), (1, JUNK_JSON)))
        else:
            item["author"] = authors[0] if authors else draw(JUNK_JSON)
        items.append(_drop_some_keys(draw, item))
    feed = {
        "version": f"https://jsonfeed.org/version/{version}",
        "title": "A blog",
        "home_page_url": draw(st.sampled_from(["https://blog.example.org/", "not a url", None])),
        "items": _with_junk(draw, items),
    }
    if draw(st.booleans()):
        feed["authors" if version == "1.1" else "author"] = draw(
            st.sampled_from([[{"name": "The team"}], {"name": "The team"}, "The team", {}])
        )
    return feed


@st.composite
def export_documents(draw) -> str:
    document = draw(st.one_of(ghost_documents(), wordpress_com_documents(), json_feeds()))
    return _dumps(draw, document)


@FUZZ
@given(document=mutated(export_documents(), [".json"]))
def test_exports(folder, topics, document):
    check("exports", folder, document, topics)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------

CSV_EXTRA_COLUMNS = ["post_id", "source", "status", "Title", "title", "", "word count"]


@st.composite
def csv_documents(draw) -> str:
    fields = [
        "title",
        "published",
        *draw(st.lists(st.sampled_from(list(KEY_NAMES)[2:]), unique=True)),
    ]
    if draw(st.integers(0, 9)) == 0:
        fields.remove(draw(st.sampled_from(fields)))
    header = [draw(key_names(f)) for f in fields]
    header += draw(st.lists(st.sampled_from(CSV_EXTRA_COLUMNS), max_size=2))
    lists = draw(st.sampled_from(["; ", "json", ";", ","]))

    def cell(post: dict, field: str | None) -> str:
        if field is None:
            return draw(st.sampled_from(["", "x", "42", '"']))
        value = post["date" if field == "published" else field]
        if isinstance(value, list):
            return json.dumps(value) if lists == "json" else lists.join(value)
        return value or ""

    rows = [header]
    for post in draw(posts()):
        row = [cell(post, f) for f in fields] + [cell(post, None)] * (len(header) - len(fields))
        change = draw(st.integers(0, 9))
        if change == 0:
            row = row[: draw(st.integers(0, len(row)))]  # a short row
        elif change == 1:
            row += ["extra"] * draw(st.integers(1, 3))  # a long row
        rows.append(row)
    rows[1:1] = [[]] * draw(st.integers(0, 1))  # a blank line
    delimiter = draw(weighted((6, st.just(",")), (3, st.sampled_from([";", "\t", "|"]))))
    quoting = draw(
        st.sampled_from(
            [csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, None]
        )
    )
    terminator = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    if quoting is None:  # cells joined as they are: stray quotes, delimiters and newlines
        return terminator.join(delimiter.join(row) for row in rows)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=terminator)
    writer.writerows(rows)
    return out.getvalue()


@FUZZ
@given(document=mutated(csv_documents(), [".csv", ".tsv"]))
def test_csv(folder, topics, document):
    check("csv", folder, document, topics)


# --------------------------------------------------------------------------------------------
# Anything at all
# --------------------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=400), extension=st.sampled_from(EXTENSIONS))
def test_random_bytes(folder, topics, data, extension):
    check("random-bytes", folder, (data, extension), topics)


@FUZZ
@given(text=st.text(max_size=400), extension=st.sampled_from(EXTENSIONS))
def test_random_text(folder, topics, text, extension):
    check("random-text", folder, (text.encode("utf-8", "surrogatepass"), extension), topics)


# --------------------------------------------------------------------------------------------
# Inputs that once failed, and tricky ones picked by hand
# --------------------------------------------------------------------------------------------

# Inputs that still fail because of a bug outside the readers, with the reason: marked xfail
# (strict) only until that bug is fixed.
KNOWN_FAILURES: dict[str, str] = {}
# What some inputs must give, beyond the properties: (format, posts loaded, records rejected).
EXPECTED: dict[str, tuple[str, int, int]] = {
    # feeds.root_element: a doctype with an internal subset hid the root element
    "rss2/doctype-internal-subset": ("feed", 2, 0),
    "rss2/doctype-subset-broken-cdata-a": ("feed", 1, 6),
    # feeds.read_feed: references to surrogates or past U+10FFFF lost the feed (or escaped)
    "rss2/out-of-range-charrefs.xml": ("feed", 2, 0),
    "rss2/reference-too-large-for-a-character.xml": ("feed", 1, 0),
    # html._PageText: unnamed or broken <![ sections raised AssertionError
    "html/unnamed-marked-sections.html": ("html", 1, 1),
    "atom/uppercase-scheme.atom": ("feed", 1, 3),
    # normalise: a list cell with '&' stopped the load (ArrowNotImplementedError)
    "csv/ampersand-in-authors.csv": ("csv", 1, 0),
    # normalise: an address after a NUL was kept, NUL and all; now it is dropped and reported
    "html/control-character-before-address": ("html", 1, 0),
    # hand-picked: author objects without names, only internal tags, Unix times, junk authors
    "exports/ghost-internal-tags-only-and-nameless-authors.json": ("ghost", 2, 1),
    "exports/json-feed-dates-as-unix-times.json": ("json feed", 3, 1),
}
READERS = [
    "page-text",
    "html",
    "rss2",
    "rss1",
    "atom",
    "wordpress",
    "exports",
    "csv",
    "json",
    "jsonl",
    "random-bytes",
    "random-text",
]


def regression_inputs() -> list:
    found = sorted(p for p in REGRESSIONS.rglob("*") if p.is_file() and p.name != "README.md")
    params = []
    for path in found:
        name = path.relative_to(REGRESSIONS).as_posix()
        reason = KNOWN_FAILURES.get(name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(path, id=name, marks=marks))
    return params


@pytest.mark.parametrize("path", regression_inputs())
def test_regression(path):
    outcome = load(path)
    assert_sound(outcome, path)
    expected = EXPECTED.get(path.relative_to(REGRESSIONS).as_posix())
    if expected:
        assert not isinstance(outcome, LoadError), outcome
        (entry,) = outcome.report.sources
        assert (entry.format, entry.loaded, entry.rejected) == expected, outcome.report.format()


def test_regression_folder_has_inputs_for_every_reader():
    for reader in READERS:
        assert any(f.is_file() for f in (REGRESSIONS / reader).iterdir()), reader
    names = {p.id for p in regression_inputs()}
    assert set(KNOWN_FAILURES) <= names and set(EXPECTED) <= names


def test_assert_sound_catches_what_it_promises(tmp_path):
    """The properties themselves fail on counts that do not add up, a URL that is not a web
    address and a date outside 1900-2100."""
    path = tmp_path / "posts.jsonl"
    path.write_text('{"title": "A post", "published": "2024-07-18"}\n', encoding="utf-8")
    result = load(path)
    assert_sound(result, path)
    result.report.sources[0].merged += 1
    with pytest.raises(AssertionError):
        assert_sound(result, path)
    result.report.sources[0].merged -= 1
    result.posts.loc[0, "url"] = "\x00https://example.org/a"
    with pytest.raises(AssertionError):
        assert_sound(result, path)
    result.posts.loc[0, "url"] = "HTTPS://EXAMPLE.ORG/A"  # the scheme ignores case
    assert_sound(result, path)
    result.posts.loc[0, "published"] = pd.Timestamp("1850-01-01")
    with pytest.raises(AssertionError):
        assert_sound(result, path)
