"""The review pack: one self-contained HTML file reporting a period of the blog.

It opens offline (no request to any other host: styles inline, charts as inline SVG), reads on a
phone and prints on A4. Its numbers come from the same analysed tables as the pages
(``dashboard.analysis``, ``dashboard.gaps``, ``dashboard.events``); this module only chooses
the periods, compares them and renders. Pure: no Streamlit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard import analysis, gaps
from dashboard.config import Site
from dashboard.coverage import Coverage
from dashboard.display import long_day
from dashboard.events import Event, events_between, response_to_events
from dashboard.schema import web_url, web_urls

PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4])|-(\d{2}))?$")
ROWS = 15  # topics and authors listed in the comparisons


class ReportError(ValueError):
    """A report that cannot be made; the message says why, in one line."""


@dataclass(frozen=True)
class Period:
    """A span of days and its kind: "year", "quarter", "month" or "days" (from --from/--to)."""

    start: date
    end: date
    kind: str

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return f"{long_day(self.start)} to {long_day(self.end)}"

    def shifted(self, back: int) -> Period:
        """The period ``back`` periods earlier (of the same length for a span of days)."""
        if self.kind == "days":
            length = (self.end - self.start).days + 1
            start = self.start - timedelta(days=length * back)
            return Period(start, start + timedelta(days=length - 1), "days")
        months = {"year": 12, "quarter": 3, "month": 1}[self.kind]
        first = pd.Timestamp(self.start) - pd.DateOffset(months=months * back)
        last = first + pd.DateOffset(months=months) - pd.Timedelta(days=1)
        return Period(first.date(), last.date(), self.kind)

    @property
    def year_earlier(self) -> Period:
        if self.kind == "days":
            return Period(
                (pd.Timestamp(self.start) - pd.DateOffset(years=1)).date(),
                (pd.Timestamp(self.end) - pd.DateOffset(years=1)).date(),
                "days",
            )
        return self.shifted({"year": 1, "quarter": 4, "month": 12}[self.kind])


def parse_period(text: str) -> Period:
    """``2024``, ``2024-Q2`` or ``2024-06`` as a Period; ReportError otherwise."""
    match = PERIOD.match(text.strip())
    month = int(match.group(3)) if match and match.group(3) else None
    if not match or (month is not None and not 1 <= month <= 12):
        raise ReportError(f"--period must be YYYY, YYYY-Qn or YYYY-MM, not {text!r}")
    year = int(match.group(1))
    if match.group(2):
        first = date(year, 3 * int(match.group(2)) - 2, 1)
        kind, months = "quarter", 3
    elif month:
        first, kind, months = date(year, month, 1), "month", 1
    else:
        first, kind, months = date(year, 1, 1), "year", 12
    last = (pd.Timestamp(first) + pd.DateOffset(months=months) - pd.Timedelta(days=1)).date()
    return Period(first, last, kind)


def days_period(start: date, end: date) -> Period:
    if end < start:
        raise ReportError(f"--from {start} is after --to {end}")
    return Period(start, end, "days")


def _inside(posts: pd.DataFrame, period: Period) -> np.ndarray:
    days = posts["published"].to_numpy()
    return (days >= np.datetime64(period.start, "ns")) & (
        days < np.datetime64(period.end + timedelta(days=1), "ns")
    )


def _long_inside(long: pd.DataFrame, period: Period) -> pd.DataFrame:
    return long[_inside(long, period)]


@dataclass(frozen=True)
class ReportData:
    """What a report is made from: the analysed tables of the whole archive."""

    posts: pd.DataFrame
    authors: pd.DataFrame  # long tables (``analysis.explode_list``)
    topics: pd.DataFrame
    coverage: Coverage
    events: Sequence[Event] = ()
    site: Site = Site()
    targets: Mapping[str, Mapping] | None = None


def check_period(data: ReportData, period: Period) -> None:
    """ReportError when the period lies outside the data or holds no post."""
    first = data.coverage.first or data.posts["published"].min().date()
    last = data.coverage.as_of or data.posts["published"].max().date()
    if period.end < first or period.start > last:
        raise ReportError(f"{period.label} is outside the data, which covers {first} to {last}")
    if not _inside(data.posts, period).any():
        raise ReportError(f"no post in {period.label} (the data covers {first} to {last})")


# --- rendering --------------------------------------------------------------------------------

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .4rem;
border-bottom:1px solid #ccc}p.meta{color:#555;margin:.2rem 0}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.9rem}
th,td{border-bottom:1px solid #e4e4e4;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.5rem}
.figure{border:1px solid #ddd;border-radius:6px;padding:.5rem}.figure b{font-size:1.5rem;
display:block}.figure small{color:#555}svg{max-width:100%;height:auto}.note{color:#555}
a{color:#0060a0}
@media print{@page{size:A4;margin:14mm}body{font-size:11pt}main{max-width:none;padding:0}
section{break-inside:avoid-page}table{break-inside:auto}tr{break-inside:avoid}
h2{break-after:avoid}a{color:#222}}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _link(text: object, url: object) -> str:
    address = web_url(url)
    return f'<a href="{_e(address)}">{_e(text)}</a>' if address else _e(text)


def _change(now: float, then: float | None) -> str:
    if then is None or (isinstance(then, float) and np.isnan(then)):
        return "–"
    delta = now - then
    return (
        f"{delta:+,.1f}"
        if isinstance(delta, float) and not delta.is_integer()
        else f"{delta:+,.0f}"
    )


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    head = "".join(
        f'<th class="n">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
        for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def bar_svg(labels: Sequence[str], values: Sequence[float], captured: Sequence[float]) -> str:
    """A bar chart as inline SVG: one bar per period, its value above it; a period the data
    did not capture at all is hatched, never drawn as zero."""
    width, height, pad = 640, 200, 24
    count = max(len(values), 1)
    step = (width - 2 * pad) / count
    top = max(max(values, default=0), 1)
    parts = [
        f'<svg viewBox="0 0 {width} {height + 40}" role="img" '
        'xmlns="http://www.w3.org/2000/svg" font-size="10" font-family="sans-serif">',
        '<defs><pattern id="nc" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="2" height="6" fill="#bbb"/></pattern></defs>',
        f'<line x1="{pad}" y1="{height}" x2="{width - pad}" y2="{height}" stroke="#888"/>',
    ]
    every = max(1, count // 12)
    for i, (label, value, share) in enumerate(zip(labels, values, captured, strict=True)):
        x = pad + i * step + step * 0.1
        w = step * 0.8
        if share == 0:
            parts.append(
                f'<rect x="{x:.1f}" y="20" width="{w:.1f}" height="{height - 20}" '
                f'fill="url(#nc)"><title>{_e(label)}: not captured</title></rect>'
            )
        else:
            h = (height - 20) * value / top
            parts.append(
                f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'fill="#0072B2"><title>{_e(label)}: {value:,.0f}</title></rect>'
            )
            if count <= 31:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{height - h - 3:.1f}" '
                    f'text-anchor="middle">{value:,.0f}</text>'
                )
        if i % every == 0:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{height + 14}" '
                f'text-anchor="middle">{_e(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _counts(long: pd.DataFrame, column: str, period: Period) -> pd.Series:
    part = _long_inside(long, period)
    return part[column].astype(object).value_counts()


def build_report(data: ReportData, period: Period) -> str:
    """The report of ``period`` as one HTML document."""
    check_period(data, period)
    posts = data.posts[_inside(data.posts, period)]
    before = [period.shifted(n) for n in (1, 2, 3, 4)]
    year = period.year_earlier
    name = data.site.name or "the blog"
    coverage = data.coverage
    shown_end = min(period.end, coverage.as_of) if coverage.as_of else period.end
    captured = coverage.captured_days(period.start, shown_end) / max(
        (shown_end - period.start).days + 1, 1
    )
    sections = []

    # headline figures with their comparisons
    def figures(p: Period) -> tuple[int, int, int]:
        mask = _inside(data.posts, p)
        authors = _long_inside(data.authors, p)["author"].nunique()
        topics = _long_inside(data.topics, p)["topic"].astype(object)
        return int(mask.sum()), int(authors), int(topics[topics != analysis.UNCLASSIFIED].nunique())

    now = figures(period)
    previous, a_year, earlier = figures(before[0]), figures(year), [figures(p) for p in before]
    mean = [float(np.mean([f[i] for f in earlier])) for i in range(3)]
    cards = []
    for i, label in enumerate(("Posts", "Authors", "Topics")):
        cards.append(
            f'<div class="figure">{label}<b>{now[i]:,}</b><small>{_change(now[i], previous[i])} '
            f"on the previous period · {_change(now[i], a_year[i])} on a year earlier · "
            f"mean of the four before {mean[i]:,.1f}</small></div>"
        )
    sections.append(
        f'<section><h2>Headline figures</h2><div class="figures">{"".join(cards)}</div>'
        f'<p class="note">Compared with {_e(before[0].label)}, {_e(year.label)} and '
        f"{_e(before[3].label)} to {_e(before[0].label)}.</p></section>"
    )

    # output per week or month
    freq = (
        "month"
        if period.kind in ("year", "days") and (period.end - period.start).days > 120
        else "week"
    )
    per = analysis.posts_per_period(
        posts, freq, start=pd.Timestamp(period.start), end=pd.Timestamp(period.end)
    )
    labels = analysis.period_labels(per["period"], freq)
    shares = _shares(per["period"], freq, coverage)
    sections.append(
        f"<section><h2>Posts per {freq}</h2>{bar_svg(labels, per['posts'].tolist(), shares)}"
        + _table(
            [freq.capitalize(), "Posts", "Captured"],
            [
                [_e(lab), f"{n:,}" if s > 0 else "–", f"{s:.0%}"]
                for lab, n, s in zip(labels, per["posts"], shares, strict=True)
            ],
            {1, 2},
        )
        + "</section>"
    )

    # by topic and by author, compared
    for column, long, title in (
        ("topic", data.topics, "topic"),
        ("author", data.authors, "author"),
    ):
        counts = _counts(long, column, period)
        if column == "topic":
            counts = counts.drop(analysis.UNCLASSIFIED, errors="ignore")
        prev, yr = _counts(long, column, before[0]), _counts(long, column, year)
        four = [_counts(long, column, p) for p in before]  # counted once, not per row
        rows = [
            [
                _e(key),
                f"{n:,}",
                f"{int(prev.get(key, 0)):,}",
                _change(n, int(prev.get(key, 0))),
                f"{int(yr.get(key, 0)):,}",
                f"{np.mean([int(c.get(key, 0)) for c in four]):,.1f}",
            ]
            for key, n in counts.head(ROWS).items()
        ]
        more = f'<p class="note">And {len(counts) - ROWS:,} more.</p>' if len(counts) > ROWS else ""
        sections.append(
            f"<section><h2>Posts by {title}</h2>"
            + _table(
                [
                    title.capitalize(),
                    "This period",
                    "Previous",
                    "Change",
                    "A year earlier",
                    "Mean of four before",
                ],
                rows,
                {1, 2, 3, 4, 5},
            )
            + more
            + "</section>"
        )

    # coverage gaps of the period
    gap_parts = []
    dated = data.posts[["published", "title", "url"]]  # no list column: a cheap selection
    spells = gaps.silent_periods(
        dated[dated["published"] <= pd.Timestamp(shown_end)],
        gaps.default_threshold(data.posts),
        until=shown_end,
        coverage=coverage,
    )
    inside = spells[
        (spells["end"] >= pd.Timestamp(period.start))
        & (spells["start"] <= pd.Timestamp(period.end))
    ]
    gap_parts.append(
        "<h3>Silent spells</h3>"
        + (
            _table(
                ["From", "To", "Days"],
                [
                    [_e(long_day(s)), _e(long_day(t)), f"{d:,}"]
                    for s, t, d in zip(inside["start"], inside["end"], inside["days"], strict=True)
                ],
                {2},
            )
            if len(inside)
            else "<p>None longer than the usual gap inside captured time.</p>"
        )
    )
    activity = gaps.last_activity(
        data.topics[data.topics["topic"] != analysis.UNCLASSIFIED],
        data.posts,
        "topic",
        shown_end,
        180,
        coverage=coverage,
    )
    quiet = activity[
        (activity["status"] == "dormant")
        & (activity["last"] >= pd.Timestamp(period.start) - pd.Timedelta(days=180))
    ]
    gap_parts.append(
        "<h3>Topics gone dormant</h3>"
        + (
            _table(
                ["Topic", "Last post", "Days since"],
                [
                    [_e(t), _e(long_day(last)), f"{d:,}"]
                    for t, last, d in zip(
                        quiet["topic"], quiet["last"], quiet["days_since"], strict=True
                    )
                ],
                {2},
            )
            if len(quiet)
            else "<p>No topic went quiet for 180 days in this period.</p>"
        )
    )
    if data.targets:
        short = gaps.target_shortfalls(
            _long_inside(data.topics, period), len(posts), data.targets, shown_end
        )
        if len(short):
            gap_parts.append(
                "<h3>Target shortfalls</h3>"
                + _table(
                    list(short.columns),
                    [[_e(v) for v in row] for row in short.itertuples(index=False)],
                    set(),
                )
            )
    sections.append("<section><h2>Coverage gaps</h2>" + "".join(gap_parts) + "</section>")

    # events of the period
    shown_events = events_between(tuple(data.events), period.start, period.end)
    if shown_events:
        response = response_to_events(shown_events, data.posts, data.topics, data.coverage)
        rows = [
            [
                _e(long_day(d)),
                _e(ev),
                _e(kind),
                _link(first, url) if first else _e(status),
                f"{days:,}" if pd.notna(days) else "–",
            ]
            for d, ev, kind, first, url, days, status in zip(
                response["date"],
                response["event"],
                response["kind"],
                response["first_post"],
                response["first_url"],
                response["days"],
                response["status"],
                strict=True,
            )
        ]
        sections.append(
            "<section><h2>Events</h2>"
            + _table(["Date", "Event", "Kind", "First post after", "Days"], rows, {4})
            + "</section>"
        )

    # every post of the period
    rows = []
    addresses = web_urls(posts["url"])  # checked in one pass, not post by post
    for published, title, url, authors, topics in zip(
        posts["published"],
        posts["title"],
        addresses.tolist(),
        posts["authors"],
        posts["topics"],
        strict=True,
    ):
        rows.append(
            [
                _e(f"{published:%Y-%m-%d}"),
                f'<a href="{_e(url)}">{_e(title)}</a>' if isinstance(url, str) else _e(title),
                _e(
                    ", ".join(authors)
                    if authors is not None and len(authors)
                    else "no author named"
                ),
                _e(
                    ", ".join(t for t in topics if t != analysis.UNCLASSIFIED)
                    if topics is not None
                    else ""
                ),
            ]
        )
    sections.append(
        f"<section><h2>Every post ({len(posts):,})</h2>"
        + _table(["Date", "Title", "Authors", "Topics"], rows, set())
        + "</section>"
    )

    # data quality
    taken = _e(long_day(coverage.as_of)) if coverage.as_of else "an unknown day"
    missing = analysis.missing_fields(posts)
    quality = ", ".join(f"{n:,} {what}" for what, n in missing.items())
    sections.append(
        f"<section><h2>About the data</h2><p>Of the period's {len(posts):,} posts: {_e(quality)}. "
        f"The data was taken on {taken}; "
        f"its sources captured {captured:.0%} of this period's days (up to that day); time they "
        "did not capture is hatched in the charts and never counted as silence.</p></section>"
    )

    as_of = f"Data as of {long_day(coverage.as_of)}" if coverage.as_of else "Data of unknown date"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_e(name)}: {_e(period.label)}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>{_e(name)}: {_e(period.label)}</h1>"
        f'<p class="meta">{_e(long_day(period.start))} to {_e(long_day(period.end))} · '
        f"{_e(as_of)} · "
        f"{captured:.0%} of the period captured</p>" + "".join(sections) + "</main></body></html>"
    )


def _shares(periods: pd.Series, freq: str, coverage: Coverage) -> list[float]:
    from dashboard.charts import period_capture

    return [float(s) for s in period_capture(pd.DatetimeIndex(periods), freq, coverage)]
