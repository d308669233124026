"""Command line: ``python -m dashboard ingest SOURCE... --out FILE.parquet`` and friends."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from dashboard.config import ConfigError, load_config
from dashboard.coverage import COVERAGE_ATTR, Coverage
from dashboard.load import LoadError, load_sources
from dashboard.schema import write_parquet


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Publishing dashboard for research-institute blogs: build and check the "
        "posts table. Start the dashboard itself with 'streamlit run dashboard/app.py'.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser(
        "ingest",
        help="read sources and write the posts table as Parquet",
        description="Read every SOURCE (files, directories, http(s) URLs; captured blog pages, "
        "page HTML, RSS/Atom feeds, WordPress REST JSON, CSV, JSON, JSON Lines, Parquet), merge "
        "records of the same post, recognise authors and topics, and write the posts table to "
        "FILE atomically. Prints a report: per source, records read / loaded / merged / "
        "rejected, then each rejection and each dropped field. Exits 0 when it wrote the file, "
        "1 when nothing could be read, 2 on a usage error.",
    )
    ingest.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="a file, a directory (every file in it) or an http(s) URL",
    )
    ingest.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE.parquet",
        help="where to write the posts table (replaced only on success)",
    )
    ingest.add_argument(
        "--as-of",
        type=_iso_day,
        metavar="YYYY-MM-DD",
        help="the day the data was taken (default: what each source states, else its newest post)",
    )
    ingest.add_argument(
        "--partial",
        action="store_true",
        help="records files (CSV, JSON, JSON Lines, Parquet) hold only some posts of their "
        "span: count only their posts' own days as captured",
    )
    _registry_options(ingest)
    _report_options(ingest, quiet="print only the totals line and errors")

    crawl = commands.add_parser(
        "crawl",
        help="crawl a blog (its feed or API, listing pages) into the posts table, incrementally",
        description="Start at URL, a blog's home or listing page or a feed (RSS/Atom, "
        "WordPress ?paged=N feeds, the WordPress REST API). A page that announces a feed or "
        "the WordPress REST API is crawled through it; otherwise its listing (captured-style "
        "or a WordPress, Ghost, Hugo or Jekyll theme's) is read. Follow the pagination, read "
        "the article page of each post that names no author and the archive lacks (byline, "
        "canonical address, categories), merge with what "
        "FILE already holds and write FILE atomically. Politely: robots.txt is obeyed, "
        "requests are paced and retried with backoff, and pages are asked for conditionally "
        "(ETag/Last-Modified) against a cache. Prints the same report as ingest, then what "
        "was fetched. Exits 0 when it wrote the file, 1 when nothing could be read (FILE is "
        "then left untouched), 2 on a usage error.",
    )
    crawl.add_argument(
        "url",
        metavar="URL",
        help="the first listing page (e.g. https://example.org/blog/) or a feed",
    )
    crawl.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE.parquet",
        help="the posts table to bring up to date (replaced only on success)",
    )
    crawl.add_argument(
        "--delay",
        type=float,
        default=1.0,
        metavar="S",
        help="seconds between requests (default 1; robots.txt's Crawl-delay wins when longer)",
    )
    crawl.add_argument(
        "--max-pages",
        type=int,
        default=100,
        metavar="N",
        help="read at most N listing or feed pages (default 100)",
    )
    crawl.add_argument(
        "--refetch",
        action="store_true",
        help="walk every page and read every article page again, even those FILE already holds",
    )
    crawl.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="where to keep validators and bodies for conditional requests "
        "(default: .crawl-cache beside FILE)",
    )
    crawl.add_argument(
        "--user-agent",
        metavar="UA",
        help="the User-Agent to send and to match in robots.txt (default: "
        "blog-publishing-dashboard-crawler/0.1 ...)",
    )
    crawl.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        metavar="S",
        help="seconds to wait for each answer (default 20)",
    )
    crawl.add_argument(
        "--retries",
        type=int,
        default=3,
        metavar="N",
        help="tries again after a network error, a timeout or a 5xx answer, "
        "waiting 1, 2, 4 ... s (default 3)",
    )
    _registry_options(crawl)
    _report_options(crawl, quiet="print only the totals line, the crawl summary and errors")

    check = commands.add_parser(
        "check-enrichment",
        help="score author recognition against a labelled file",
        description="Load each page file named in LABELLED.json (the format of "
        "expected.json: file name -> list of {title, date, authors, url}), and print author "
        "precision, recall and F1 against the labels, then every disagreement.",
    )
    check.add_argument("labelled", type=Path, metavar="LABELLED.json")
    _registry_options(check)

    init = commands.add_parser(
        "init",
        help="draft a configuration folder for a new blog from its posts",
        description="Read every SOURCE as ingest does and write, for staff to edit, "
        "DIR/site.toml (the blog's name, home page, crawl address, public note), "
        "DIR/authors.toml (the people the posts name, spellings of one person merged as "
        "aliases) and DIR/topics.toml (the blog's own categories and tags, near-duplicates "
        "merged and generic ones left out; for a blog without enough of them, phrases that "
        "recur in its titles and summaries), each entry with a comment saying how many posts "
        "it covers. Exits 0 when it wrote the folder, 1 when nothing could be read, 2 on a "
        "usage error (or when DIR already holds one of the files and --force is not given).",
    )
    init.add_argument("sources", nargs="+", metavar="SOURCE", help="as for ingest")
    init.add_argument("--dir", required=True, type=Path, metavar="DIR", help="the folder")
    init.add_argument("--name", help="the blog's name (default: its site's host)")
    init.add_argument("--force", action="store_true", help="replace files DIR already holds")

    report = commands.add_parser(
        "report",
        help="write a self-contained HTML report of a period",
        description="Write one HTML file reporting a period of the blog: headline figures "
        "against the previous period, the same period a year earlier and the four before; "
        "posts per week or month; posts by topic and author; coverage gaps; events; every post "
        "with its link; data quality. It opens offline and prints on A4. Exits 0 when it wrote "
        "FILE, 1 when the data cannot be read, 2 on a usage error (a bad period, a period "
        "outside the data or without posts).",
    )
    which = report.add_mutually_exclusive_group(required=True)
    which.add_argument("--period", help="YYYY, YYYY-Qn or YYYY-MM")
    which.add_argument("--from", dest="start", type=_iso_day, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=_iso_day, metavar="YYYY-MM-DD")
    report.add_argument(
        "--data", help="the source to report on (default: DASHBOARD_DATA, else data/posts.parquet)"
    )
    report.add_argument(
        "--config", type=Path, metavar="DIR", help="the blog's configuration folder"
    )
    report.add_argument("--out", required=True, type=Path, metavar="FILE.html")

    synth = commands.add_parser(
        "synth",
        help="generate a synthetic archive for benchmarks and demos",
        description="Write N synthetic posts shaped like a real institute blog (16 years, "
        "seasonal cadence with holidays and silent spells, a long tail of authors, co-authored "
        "posts, several topics per post) as Parquet, CSV or JSON Lines, chosen by the file "
        "extension. The same --seed gives the same file; every record's source says "
        "'synthetic'.",
    )
    synth.add_argument("--posts", type=int, required=True, metavar="N", help="number of posts")
    synth.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help="FILE.parquet, FILE.csv or FILE.jsonl",
    )
    synth.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    return parser


def _registry_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--config",
        type=Path,
        metavar="DIR",
        help="the blog's configuration folder, with its authors.toml and topics.toml "
        "(default: DASHBOARD_CONFIG, else data/)",
    )
    command.add_argument(
        "--authors",
        type=Path,
        metavar="FILE.toml",
        help="author registry (default: the configuration's authors.toml)",
    )
    command.add_argument(
        "--topics",
        type=Path,
        metavar="FILE.toml",
        help="topic taxonomy (default: the configuration's topics.toml)",
    )


def _report_options(command: argparse.ArgumentParser, quiet: str) -> None:
    command.add_argument(
        "--max-problems",
        type=int,
        default=200,
        metavar="N",
        help="print at most N rejections and dropped fields (default 200; 0 prints none, -1 all)",
    )
    command.add_argument("--quiet", action="store_true", help=quiet)


def _progress(number: int, total: int, source: str) -> None:
    if total > 1 and sys.stderr.isatty():
        end = "\n" if number == total else "\r"
        sys.stderr.write(f"\r[{number}/{total}] {source[-70:]:<70}{end}")
        sys.stderr.flush()


def _iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {value!r}") from None


def run_ingest(args: argparse.Namespace) -> int:
    from dashboard.enrich import EnrichmentConfigError

    if args.out.suffix.lower() not in (".parquet", ".pq"):
        print(f"error: --out must name a .parquet file, not {args.out}", file=sys.stderr)
        return 2
    try:
        result = load_sources(
            args.sources,
            authors=args.authors,
            topics=args.topics,
            progress=_progress,
            as_of=args.as_of,
            partial=args.partial,
        )
    except LoadError as error:
        if error.report is not None and not args.quiet:
            print(error.report.format(limit=_limit(args.max_problems)))
        print(f"error: {error}", file=sys.stderr)
        return 1
    except EnrichmentConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    report = result.report
    text = report.format(limit=_limit(args.max_problems))
    print(" ".join(report.totals_line().split()) if args.quiet else text)
    try:
        write_parquet(result.posts, args.out)
    except OSError as error:
        print(f"error: cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(coverage_line(result.posts.attrs.get(COVERAGE_ATTR)))
    print(f"wrote {len(result.posts)} posts to {args.out}")
    return 0


def coverage_line(coverage: Coverage | None, shown: int = 5) -> str:
    """One line on what the table covers: its as-of date and its captured windows."""
    if coverage is None or coverage.as_of is None:
        return "data as of: unknown"
    windows = [f"{a} to {b}" if a != b else str(a) for a, b in coverage.windows]
    more = f" and {len(windows) - shown} more" if len(windows) > shown else ""
    return f"data as of {coverage.as_of}; captured: {', '.join(windows[:shown])}{more}"


def run_crawl(args: argparse.Namespace) -> int:
    from dashboard.crawl import USER_AGENT, CrawlError, refresh
    from dashboard.enrich import EnrichmentConfigError
    from dashboard.load.fetch import is_url

    if args.out.suffix.lower() not in (".parquet", ".pq"):
        print(f"error: --out must name a .parquet file, not {args.out}", file=sys.stderr)
        return 2
    if not is_url(args.url):
        print(f"error: URL must be an http(s) address, not {args.url}", file=sys.stderr)
        return 2
    try:
        result = refresh(
            args.url,
            args.out,
            progress=None if args.quiet else _crawl_progress,
            delay=args.delay,
            max_pages=args.max_pages,
            refetch=args.refetch,
            cache_dir=args.cache_dir,
            user_agent=args.user_agent or USER_AGENT,
            timeout=args.timeout,
            retries=args.retries,
            authors=args.authors,
            topics=args.topics,
        )
    except CrawlError as error:
        if error.report is not None and not args.quiet:
            print(error.report.format(limit=_limit(args.max_problems)))
        if error.stats is not None:
            print(error.stats.summary())
        print(f"error: {error}", file=sys.stderr)
        return 1
    except EnrichmentConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    text = result.report.format(limit=_limit(args.max_problems))
    print(" ".join(result.report.totals_line().split()) if args.quiet else text)
    if not args.quiet:
        print(coverage_line(result.posts.attrs.get(COVERAGE_ATTR)))
    print("\n".join(result.summary()))
    return 0


def _crawl_progress(stage: str, done: int, total: int | None, message: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(message[:160] + "\n")
        sys.stderr.flush()


def _limit(max_problems: int) -> int | None:
    return None if max_problems < 0 else max_problems


def run_check(args: argparse.Namespace) -> int:
    from dashboard.check_enrichment import run_check as check

    return check(args.labelled, args.authors, args.topics, sys.stdout)


def run_report(args: argparse.Namespace) -> int:
    import os

    from dashboard.analysis import explode_list
    from dashboard.config import recorded_config
    from dashboard.enrich import EnrichmentConfigError, Taxonomy
    from dashboard.events import read_events
    from dashboard.load import prepare
    from dashboard.load.stored import recorded_registries
    from dashboard.report import ReportData, ReportError, build_report, days_period, parse_period

    try:
        if args.period:
            period = parse_period(args.period)
        else:
            if args.end is None:
                raise ReportError("--from needs --to")
            period = days_period(args.start, args.end)
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    bundled = Path(__file__).resolve().parent.parent / "data" / "posts.parquet"
    source = args.data or os.environ.get("DASHBOARD_DATA", "").strip() or str(bundled)
    recorded = recorded_registries(source) if not args.config else None
    try:
        config = recorded_config(*recorded) if recorded else load_config(args.config)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        result = load_sources([source], authors=config.authors, topics=config.topics)
        events = read_events(config.dir / "events.toml")
        targets = {t.name: dict(t.settings) for t in Taxonomy.load(config.topics).topics}
    except (LoadError, EnrichmentConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    posts = prepare.prepare_posts(result.posts)
    data = ReportData(
        posts,
        explode_list(posts, "authors", "author"),
        explode_list(posts, "topics", "topic"),
        result.report.coverage(),
        events,
        config.site,
        targets,
    )
    try:
        text = build_report(data, period)
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote the report of {period.label} to {args.out} ({len(text.encode()) / 1000:,.0f} kB)")
    return 0


def run_init(args: argparse.Namespace) -> int:
    import tempfile

    from dashboard.enrich import Taxonomy
    from dashboard.enrich.draft import draft_authors, draft_topics
    from dashboard.enrich.topics import assign_topics

    files = {name: args.dir / name for name in ("site.toml", "authors.toml", "topics.toml")}
    present = [str(path) for path in files.values() if path.exists()]
    if present and not args.force:
        print(f"error: {present[0]} exists (--force replaces it)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as empty:  # no registry yet: authors and tags as given
        for name in ("authors.toml", "topics.toml"):
            (Path(empty) / name).write_text("", encoding="utf-8")
        try:
            result = load_sources(
                args.sources,
                authors=Path(empty) / "authors.toml",
                topics=Path(empty) / "topics.toml",
                progress=_progress,
            )
        except LoadError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    posts = result.posts
    topics_text, origin = draft_topics(posts)
    site_text = draft_site(posts, args.sources, args.name)
    args.dir.mkdir(parents=True, exist_ok=True)
    files["site.toml"].write_text(site_text, encoding="utf-8")
    files["authors.toml"].write_text(draft_authors(posts), encoding="utf-8")
    files["topics.toml"].write_text(topics_text, encoding="utf-8")
    taxonomy = Taxonomy.load(files["topics.toml"])
    with_topic = sum(
        bool(len(t)) for t in assign_topics(posts.assign(topics=[[]] * len(posts)), taxonomy)
    )
    authors = sum(line.startswith("[[author]]") for line in draft_authors(posts).splitlines())
    print(
        f"{len(posts):,} posts: {authors:,} authors, {len(taxonomy.topics):,} topics from the "
        f"blog's {'categories and tags' if origin == 'tags' else 'titles and summaries'}, "
        f"{with_topic / max(len(posts), 1):.0%} of the posts with a topic"
    )
    print(f"wrote {', '.join(str(p) for p in files.values())}")
    return 0


def draft_site(posts, sources: list[str], name: str | None) -> str:
    """``site.toml`` text: the blog's name, home page, crawl address and public note."""
    from urllib.parse import urlsplit

    from dashboard.display import blog_site
    from dashboard.load.fetch import is_url

    host = blog_site(posts["url"].dropna().head(1000))
    name = name or (f"{host} blog" if host else "the blog")
    lines = [
        "# The blog this configuration folder describes; every key is optional.",
        f"name = {json.dumps(name, ensure_ascii=False)}",
    ]
    crawl = next((s for s in sources if is_url(s)), None)
    if host:
        scheme = urlsplit(crawl).scheme if crawl else "https"
        lines.append(f'home = "{scheme}://{host}/"')
    if crawl:
        lines.append(f"crawl_url = {json.dumps(crawl)}")
    note = f"A public, read-only demo: posts of {name}. Nothing can be uploaded or changed here."
    lines.append(f"public_note = {json.dumps(note, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def run_synth(args: argparse.Namespace) -> int:
    from dashboard.synth import synthetic_posts, write_archive

    if args.posts < 1:
        print("error: --posts must be at least 1", file=sys.stderr)
        return 2
    try:
        write_archive(synthetic_posts(args.posts, seed=args.seed), args.out)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2 if isinstance(error, ValueError) else 1
    print(f"wrote {args.posts} synthetic posts to {args.out}")
    return 0


COMMANDS = {
    "report": run_report,
    "init": run_init,
    "ingest": run_ingest,
    "crawl": run_crawl,
    "check-enrichment": run_check,
    "synth": run_synth,
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if hasattr(args, "authors"):  # the registries default to the configuration's
        try:
            config = load_config(args.config)
        except ConfigError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        args.authors = args.authors or config.authors
        args.topics = args.topics or config.topics
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
