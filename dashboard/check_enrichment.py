"""The check-enrichment command: how well the posts table credits authors, scored against a
hand-labelled file.

The labelled file maps page files (relative to its own folder) to the posts a correct reader
finds in each: ``{"002.txt": [{"title", "date", "authors", "url"}, ...]}``. Each file is loaded
and enriched as ``ingest`` would, posts are matched by normalised title and date, and every
(post, author) pair counts once: micro-averaged precision, recall and F1, plus each
disagreement, so staff can see what an edit to ``authors.toml`` does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pandas as pd

from dashboard.enrich import AuthorRegistry, EnrichmentConfigError, Taxonomy, enrich
from dashboard.enrich.names import name_key
from dashboard.load import LoadError, load_sources
from dashboard.schema import title_key

PostKey = tuple[str, str]


class LabelledFileError(ValueError):
    """A labelled file that cannot be read or does not have the expected shape."""


@dataclass(frozen=True)
class Disagreement:
    """One post where the found authors differ from the labelled ones."""

    source: str
    title: str
    date: str
    missing: tuple[str, ...] = ()  # labelled but not found
    extra: tuple[str, ...] = ()  # found but not labelled
    note: str = ""  # set when the post itself was not found, or is not in the labelled file


@dataclass
class CheckResult:
    """Counts of (post, author) pairs, and everything that disagreed."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    posts_labelled: int = 0
    posts_matched: int = 0
    disagreements: list[Disagreement] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # page files that could not be loaded

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def post_key(title: str, date: object) -> PostKey:
    """A post's identity for matching: normalised title and ISO date."""
    return title_key(str(title)), _iso_date(date)


def _iso_date(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    try:
        return pd.Timestamp(value).date().isoformat()
    except (ValueError, TypeError):
        return str(value)


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if value is None or not hasattr(value, "__iter__"):
        return []
    return [v for v in value if isinstance(v, str)]


def _compare(expected: list[str], found: list[str]) -> tuple[int, list[str], list[str]]:
    """Pairs in common, labelled names not found, found names not labelled."""
    wanted = {name_key(n): n for n in expected}
    got = {name_key(n): n for n in found}
    missing = [n for k, n in wanted.items() if k not in got]
    extra = [n for k, n in got.items() if k not in wanted]
    return len(wanted) - len(missing), missing, extra


def _found_posts(frame: pd.DataFrame | None) -> dict[PostKey, tuple[str, list[str]]]:
    """Found posts by key: their title and authors."""
    if frame is None or frame.empty:
        return {}
    posts: dict[PostKey, tuple[str, list[str]]] = {}
    for title, date, authors in zip(
        frame["title"], frame["published"], frame["authors"], strict=True
    ):
        posts.setdefault(post_key(title, date), (str(title), _names(authors)))
    return posts


def _score_post(result: CheckResult, source: str, post: dict, found: list[str] | None) -> None:
    """Add one labelled post to the counts; ``found`` is None when no post matched it."""
    wanted = _names(post.get("authors"))
    title, date = str(post["title"]), _iso_date(post["date"])
    result.posts_labelled += 1
    if found is None:
        result.false_negatives += len(wanted)
        result.disagreements.append(
            Disagreement(source, title, date, tuple(wanted), (), "post not found")
        )
        return
    result.posts_matched += 1
    common, missing, extra = _compare(wanted, found)
    result.true_positives += common
    result.false_negatives += len(missing)
    result.false_positives += len(extra)
    if missing or extra:
        result.disagreements.append(Disagreement(source, title, date, tuple(missing), tuple(extra)))


def score(expected: dict[str, list[dict]], predicted: dict[str, pd.DataFrame]) -> CheckResult:
    """Author precision/recall/F1 over (post, author) pairs, file by file."""
    result = CheckResult()
    for source, labelled in expected.items():
        found = _found_posts(predicted.get(source))
        seen: set[PostKey] = set()
        for post in labelled:
            key = post_key(post["title"], post["date"])
            if key not in seen:
                seen.add(key)
                _score_post(result, source, post, found[key][1] if key in found else None)
        for key, (title, authors) in found.items():
            if key not in seen:
                result.false_positives += len(authors)
                note = "post not in the labelled file"
                result.disagreements.append(
                    Disagreement(source, title, key[1], (), tuple(authors), note)
                )
    return result


def format_check(result: CheckResult) -> str:
    """The result as text: the three figures, the counts behind them, then each disagreement."""
    lines = [
        f"author precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}",
        f"(post, author) pairs: {result.true_positives} correct, "
        f"{result.false_positives} wrongly credited, {result.false_negatives} missed",
        f"posts: {result.posts_labelled} labelled, {result.posts_matched} found",
    ]
    for error in result.errors:
        lines.append(f"could not load {error}")
    if not result.disagreements:
        lines.append("no disagreements")
    else:
        lines.append(f"disagreements ({len(result.disagreements)}):")
    for d in result.disagreements:
        parts = [f"  {d.source}  {d.date}  {d.title}"]
        if d.note:
            parts.append(f"    {d.note}")
        if d.missing:
            parts.append(f"    missed: {', '.join(d.missing)}")
        if d.extra:
            parts.append(f"    wrongly credited: {', '.join(d.extra)}")
        lines.extend(parts)
    return "\n".join(lines) + "\n"


def read_labelled(path: Path) -> dict[str, list[dict]]:
    """A labelled file, checked: file name -> list of posts with title, date and authors."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise LabelledFileError(f"{path}: cannot read labelled file: {err}") from None
    if not isinstance(data, dict):
        raise LabelledFileError(f"{path}: expected an object mapping file names to posts")
    for source, posts in data.items():
        if not isinstance(posts, list):
            raise LabelledFileError(f"{path}: {source!r} must map to a list of posts")
        for i, post in enumerate(posts):
            if not isinstance(post, dict) or not {"title", "date", "authors"} <= set(post):
                problem = f"post {i} of {source!r} needs title, date and authors"
                raise LabelledFileError(f"{path}: {problem}")
    return data


def load_posts(path: Path, registry: AuthorRegistry, taxonomy: Taxonomy) -> pd.DataFrame:
    """One page file loaded and enriched with the given registries, as ``ingest`` would."""
    authors, topics = Path(registry.source), Path(taxonomy.source)
    if authors.is_file() and topics.is_file():
        return load_sources([path], authors=authors, topics=topics).posts
    # Registries built in memory: the loader applies the bundled files, then these on top.
    return enrich(load_sources([path]).posts, registry, taxonomy)


def check_enrichment(
    labelled_json: Path,
    pages_dir: Path | None,
    registry: AuthorRegistry,
    taxonomy: Taxonomy,
) -> CheckResult:
    """Load every page file the labelled file names and score the authors found."""
    expected = read_labelled(labelled_json)
    base = Path(pages_dir) if pages_dir else Path(labelled_json).parent
    predicted: dict[str, pd.DataFrame] = {}
    errors: list[str] = []
    for source in expected:
        try:
            predicted[source] = load_posts(base / source, registry, taxonomy)
        except (LoadError, OSError) as err:  # one unreadable page must not stop the check
            errors.append(f"{source}: {err}")
    result = score(expected, predicted)
    result.errors = errors
    return result


def run_check(labelled: Path, registry_path: Path, topics_path: Path, out: TextIO) -> int:
    """The check-enrichment command: 0 when it ran, 1 if a page failed, 2 on a bad input file."""
    try:
        registry = AuthorRegistry.load(registry_path)
        taxonomy = Taxonomy.load(topics_path)
        result = check_enrichment(Path(labelled), None, registry, taxonomy)
    except (EnrichmentConfigError, LabelledFileError) as err:
        out.write(f"error: {err}\n")
        return 2
    out.write(format_check(result))
    return 1 if result.errors else 0
