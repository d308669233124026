"""Which way of reading an article page's metadata gets its title, date and authors right.

    python benchmarks/article_metadata.py PAGES_DIR [--runs 5]

``PAGES_DIR`` holds HTML article pages and an ``expected.json`` that gives, per file name, the
``title``, ``authors`` (a list, in byline order) and ``date`` (``YYYY-MM-DD``, in the page's own
time zone) the page states. Each candidate reads every page; the script prints, per page and in
total, whether each field came out right, and the median milliseconds per page over ``--runs``
runs. A candidate whose library is not installed is listed as such. The candidates:

- ``trafilatura``: ``trafilatura.extract_metadata`` (its dates come from htmldate);
- ``extruct``: ``extruct.extract`` (JSON-LD, Open Graph, microdata) with the least glue: the
  first Article-like JSON-LD object (``@graph`` and lists walked), else Open Graph;
- ``htmldate``: ``htmldate.find_date`` (dates only);
- ``dashboard``: this project's reader, ``dashboard.load.article.article_metadata``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import unicodedata
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("title", "date", "authors")
ARTICLE_TYPES = {"Article", "BlogPosting", "NewsArticle", "ReportageNewsArticle"}


def _same_text(a, b) -> bool:
    def norm(text):
        return " ".join(unicodedata.normalize("NFC", str(text or "")).split())

    return norm(a) == norm(b) != ""


def _date_part(value) -> str | None:
    return str(value)[:10] if value else None


def with_trafilatura():
    import trafilatura

    def read(text: str) -> dict:
        meta = trafilatura.extract_metadata(text)
        if meta is None:
            return {}
        authors = [a.strip() for a in (meta.author or "").split(";") if a.strip()]
        return {"title": meta.title, "date": _date_part(meta.date), "authors": authors}

    return read


def _jsonld_articles(value):
    pending = [value]
    while pending:
        item = pending.pop(0)
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if ARTICLE_TYPES & {k for k in kinds if isinstance(k, str)}:
                yield item
            pending.extend(item.get("@graph") or [])


def _names(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and "://" not in name:
            names.append(name.strip())
    return names


def with_extruct():
    import extruct

    def read(text: str) -> dict:
        data = extruct.extract(
            text, syntaxes=["json-ld", "opengraph", "microdata"], uniform=True, errors="ignore"
        )
        article = next(_jsonld_articles(data.get("json-ld", [])), None)
        if article is None:
            article = next(_jsonld_articles(data.get("microdata", [])), None)
        og = next(iter(data.get("opengraph") or []), {})
        if article:
            return {
                "title": article.get("headline") or og.get("og:title"),
                "date": _date_part(article.get("datePublished")),
                "authors": _names(article.get("author")),
            }
        return {
            "title": og.get("og:title"),
            "date": _date_part(og.get("article:published_time")),
            "authors": _names(og.get("article:author")),
        }

    return read


def with_htmldate():
    from htmldate import find_date

    def read(text: str) -> dict:
        return {"date": find_date(text, original_date=True)}

    return read


def with_dashboard():
    sys.path.insert(0, str(ROOT))
    from dashboard.load.article import article_metadata

    def read(text: str) -> dict:
        meta = article_metadata(text, None)
        published = meta.published
        return {
            "title": meta.title,
            "date": published.isoformat() if published else None,
            "authors": meta.authors,
        }

    return read


CANDIDATES = {
    "trafilatura": (with_trafilatura, FIELDS),
    "extruct": (with_extruct, FIELDS),
    "htmldate": (with_htmldate, ("date",)),
    "dashboard": (with_dashboard, FIELDS),
}


def score(found: dict, expected: dict) -> dict[str, bool]:
    return {
        "title": _same_text(found.get("title"), expected["title"]),
        "date": found.get("date") == expected["date"],
        "authors": [" ".join(a.split()) for a in found.get("authors") or []] == expected["authors"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", choices=list(CANDIDATES))
    args = parser.parse_args(argv)
    expected = json.loads((args.pages / "expected.json").read_text("utf-8"))["pages"]
    texts = {
        name: (args.pages / name).read_bytes().decode("utf-8", "replace")
        for name in sorted(expected)
    }
    warnings.simplefilter("ignore")
    totals = []
    for name in args.only or CANDIDATES:
        make, fields = CANDIDATES[name]
        try:
            read = make()
        except ImportError as error:
            print(f"\n{name}: not installed ({error})")
            continue
        print(f"\n{name}")
        right = dict.fromkeys(fields, 0)
        times = []
        for page, text in texts.items():
            found, seconds = {}, []
            for _ in range(args.runs):
                start = time.perf_counter()
                try:
                    found = read(text)
                except Exception as error:  # a candidate that raises scores nothing on the page
                    found = {"error": f"{type(error).__name__}: {error}"}
                seconds.append(time.perf_counter() - start)
            times.append(statistics.median(seconds) * 1000)
            marks = score(found, expected[page])
            for field in fields:
                right[field] += marks[field]
            shown = "  ".join(
                f"{field} {'ok ' if marks[field] else 'NO '}{found.get(field)!r:.60}"
                for field in fields
            )
            print(f"  {page:34} {times[-1]:7.1f} ms  {shown}")
            if "error" in found:
                print(f"    {found['error']}")
        ms = statistics.median(times)
        totals.append((name, right, ms))
        print("  total: " + ", ".join(f"{f} {right[f]}/{len(texts)}" for f in fields))
    print(f"\n{'approach':12} {'titles':>7} {'dates':>7} {'authors':>8} {'ms/page':>8}")
    for name, right, ms in totals:
        cells = [f"{right[f]}/{len(texts)}" if f in right else "-" for f in FIELDS]
        print(f"{name:12} {cells[0]:>7} {cells[1]:>7} {cells[2]:>8} {ms:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
