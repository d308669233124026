"""Blog pages as captured text: listing pages (many posts) and article pages (one post).

A page may start with ``URL: <address>`` and a blank line, and a ``Captured: <date>`` line
(the day the page was captured; see ``dashboard.load.spans``). Every post carries a
``Posted on: 18 July 2024`` line; on an article page it has a byline
(``Posted on: 8 March 2022 by A and B in Blog``), or only its section when nobody is credited
(``Posted on: 15 January 2025 in Blog``). Listing pages come in two layouts: the date
after the summary (title, often printed twice run together, then summary, then date) or the
date right after the title (title, date, optional image caption, summary). The layout is read
from the page itself, never from the site's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree
import lxml.html

from dashboard.load.report import Problem
from dashboard.schema import clean_text

POSTED = re.compile(
    r"^Posted on:\s*(?P<date>\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\.?,?\s+\d{4})"
    r"(?:\s+by\s+(?P<by>.+?))?"
    r"(?:\s+in\s+(?P<section>[^|]+?))?"
    r"(?:\s*\|\s*Categor(?:y|ies):\s*(?P<category>.+?))?\s*$",
    re.IGNORECASE,
)
URL_LINE = re.compile(r"^URL:\s*(\S+)\s*$", re.IGNORECASE)
CAPTURED_LINE = re.compile(r"^Captured:\s*(.+?)\s*$", re.IGNORECASE)
# Navigation and section labels that pages print around their posts.
FURNITURE = re.compile(
    r"^(blogs?|news|posts?|next|previous|older posts|newer posts|load more|read more|"
    r"page \d+|\d{1,3}|«|»|‹|›)$",
    re.IGNORECASE,
)
CREDIT = re.compile(
    r"(\bis (?:marked|licensed) (?:with|under)\b|^(?:photo|image|picture)s?\b"
    r"|\bCC BY\b|©|\bcredit:)",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?…][\"'’”)]*$")
STATEMENT_END = re.compile(r"[.!…][\"'’”)]*$")
MIN_REPEAT = 12  # shortest run-together repeat of a title that counts as a printing artefact
MIN_DOUBLED_WORDS = 3  # fewest words of a title printed twice with a space that is an artefact


@dataclass
class PageRecords:
    """What one page gave: the page address (if stated), the records, and what was rejected."""

    page_url: str | None
    records: list[dict]
    problems: list[Problem]
    captured: str | None = None  # the capture date the page states (``Captured: 2024-07-19``)


def looks_like_page_text(text: str) -> bool:
    """True when the text carries at least one ``Posted on:`` line."""
    return any(POSTED.match(line.strip()) for line in text.splitlines())


def undouble_title(title: str) -> str:
    """Remove the listing artefact of a title printed twice: run together (the copy may be cut),
    or whole with a space between ("Is it open? Is it open?")."""
    n = len(title)
    for k in range((n + 1) // 2, n - MIN_REPEAT + 1):
        if title[k:] == title[: n - k] and not title[k - 1].isspace():
            return title[:k].strip()
    return _whole_double(title) or title


def _whole_double(title: str) -> str | None:
    """The title if ``title`` is it twice with a space between and it has at least
    ``MIN_DOUBLED_WORDS`` words; a short repeat ("Bye Bye") is a real title."""
    middle = len(title) // 2
    first, second = title[:middle], title[middle + 1 :]
    doubled = len(title) % 2 and title[middle].isspace() and first == second
    return first if doubled and len(first.split()) >= MIN_DOUBLED_WORDS else None


def read_page_text(text: str, source: str) -> PageRecords:
    """Posts of one captured page, listing or article; incomplete entries are reported."""
    lines = [(number, _clean_line(raw)) for number, raw in enumerate(text.splitlines(), 1)]
    lines = [(number, line) for number, line in lines if line]
    page_url = captured = None
    if lines and (match := URL_LINE.match(lines[0][1])):
        page_url = match.group(1)
        lines = lines[1:]
    if lines and (match := CAPTURED_LINE.match(lines[0][1])):
        captured = match.group(1)
        lines = lines[1:]
    posted = [i for i, (_, line) in enumerate(lines) if POSTED.match(line)]
    if not posted:
        return PageRecords(page_url, [], [], captured)
    if len(posted) == 1 and _article_dateline(POSTED.match(lines[posted[0]][1])):
        article = _article(lines, posted[0], page_url, source)
        return PageRecords(page_url, [article], [], captured)
    if _date_after_summary(lines, posted):
        records, problems = _date_after(lines, posted, source)
    else:
        records, problems = _date_before(lines, posted, source)
    return PageRecords(page_url, records, problems, captured)


def _article_dateline(match: re.Match) -> bool:
    """An article's dateline: a byline (``by A and B in Blog``), or only its section when the
    post is credited to nobody (``Posted on: 15 January 2025 in Blog``); a listing's entries
    say ``| Category: Blog`` instead."""
    return bool(match.group("by") or (match.group("section") and not match.group("category")))


def _clean_line(raw: str) -> str:
    return " ".join(raw.replace("\u00a0", " ").split())


def _record(lines, title_at, posted_at, summary_lines, source, kind="listing") -> dict:
    match = POSTED.match(lines[posted_at][1])
    tags = [t for t in (match.group("section"), match.group("category")) if t]
    return {
        "title": undouble_title(lines[title_at][1]),
        "published": match.group("date"),
        "url": None,
        "summary": clean_text(" ".join(summary_lines)),
        "authors": [match.group("by")] if match.group("by") else [],
        "tags": [t.strip() for tag in tags for t in tag.split(",") if t.strip()],
        "topics": [],
        "kind": kind,
        "position": f"line {lines[title_at][0]}",
    }


def _article(lines, posted_at, page_url, source) -> dict:
    """An article page: the title above the byline, the first real paragraph below it."""
    title_at = posted_at - 1
    if title_at < 0:
        title_at = posted_at  # no title line: normalisation rejects the empty title
    after = [line for _, line in lines[posted_at + 1 :]]
    summary = next((line for line in after if not _is_caption(line)), None)
    record = _record(lines, title_at, posted_at, [summary] if summary else [], source, "article")
    if title_at == posted_at:
        record["title"] = ""
    record["url"] = page_url
    return record


def _is_caption(line: str) -> bool:
    """An image caption or credit: short and unpunctuated, or a licence/credit line."""
    if CREDIT.search(line):
        return True
    return len(line.split()) <= 10 and not SENTENCE_END.search(line)


def _looks_like_summary(line: str) -> bool:
    """A sentence (titles rarely end with a full stop; many end with a question mark)."""
    words = len(line.split())
    return bool(STATEMENT_END.search(line)) and words >= 5 or words > 40


def _date_after_summary(lines, posted) -> bool:
    """Which layout: do the lines above the dates read more like summaries than those below?"""
    if any(_doubled(line) for line, _ in _pairs(lines)):
        return True
    above = [lines[i - 1][1] for i in posted if i > 0]
    below = [lines[i + 1][1] for i in posted if i + 1 < len(lines)]
    return sum(map(_looks_like_summary, above)) > sum(map(_looks_like_summary, below))


def _pairs(lines):
    return zip([line for _, line in lines], [line for _, line in lines[1:]], strict=False)


def _doubled(line: str) -> bool:
    return undouble_title(line) != line


def _date_after(lines, posted, source):
    """Layout: [title twice] title, [caption], summary, date."""
    records, problems = [], []
    start = 0
    blocks = []
    for at in posted:
        blocks.append((start, at))
        start = at + 1
    sizes = [_entry_start(lines, s, e, first=False)[1] for s, e in blocks[1:]]
    typical = max(max(set(sizes), key=sizes.count), 1) if sizes else 2
    for index, (s, e) in enumerate(blocks):
        title_at, _ = _entry_start(lines, s, e, first=index == 0, typical=typical)
        if title_at is None:
            problems.append(_missing_title(lines, e, source))
            continue
        summary = [line for _, line in lines[title_at + 1 : e]]
        summary = [line for line in summary if not _is_caption(line)] or []
        records.append(_record(lines, title_at, e, summary, source))
    problems.extend(_trailing(lines, start, len(lines), source))
    return records, problems


def _entry_start(lines, start, end, first, typical=2):
    """Where the title of the entry in lines[start:end] is, and how many lines the entry has."""
    block = list(range(start, end))
    for i in block[:-1]:
        if undouble_title(lines[i][1]) == lines[i + 1][1] != lines[i][1]:
            return i + 1, end - i  # the doubled line counts as part of the entry
    block = [i for i in block if not FURNITURE.match(lines[i][1])]
    if not block:
        return None, 0
    if not first:
        return block[0], len(block)
    return block[max(0, len(block) - typical)], min(typical, len(block))


def _date_before(lines, posted, source):
    """Layout: title, date, [caption], summary; the next entry's title ends the summary."""
    records, problems = [], []
    for index, at in enumerate(posted):
        title_at = at - 1
        if title_at < 0 or POSTED.match(lines[title_at][1]) or FURNITURE.match(lines[title_at][1]):
            problems.append(_missing_title(lines, at, source))
            continue
        last = index == len(posted) - 1
        end = posted[index + 1] - 1 if not last else len(lines)
        body = [line for _, line in lines[at + 1 : end]]
        if last and body:
            longest = max(range(len(body)), key=lambda i: len(body[i]))
            if at + 1 + longest + 1 < len(lines):
                problems.append(_incomplete(lines, at + 1 + longest + 1, source))
            body = body[: longest + 1]
        summary = [line for line in body if not _is_caption(line)]
        records.append(_record(lines, title_at, at, summary, source))
    return records, problems


def _trailing(lines, start, end, source):
    """Lines after the last date: page furniture, or an entry cut off before its date."""
    rest = [i for i in range(start, end) if not FURNITURE.match(lines[i][1])]
    return [_incomplete(lines, rest[0], source)] if rest else []


def _incomplete(lines, at, source) -> Problem:
    number, line = lines[at]
    shown = line if len(line) <= 60 else line[:57] + "..."
    return Problem(
        source,
        f"line {number}",
        f"entry {shown!r} has no 'Posted on:' date (page cut short?)",
    )


def _missing_title(lines, at, source) -> Problem:
    number, line = lines[at]
    return Problem(source, f"line {number}", f"no title before {line!r}")


MAX_PAGE = 20_000_000  # characters; a longer page is cut before parsing


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """A page's element tree (lxml), or None when lxml cannot make one of it."""
    data = text[:MAX_PAGE].encode("utf-8", "replace")
    try:
        tree = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.LxmlError, ValueError):
        return None
    return tree if tree is not None and hasattr(tree, "iter") else None
