"""Enrichment: canonical authors and taxonomy topics for the posts table.

Both lists live in TOML files under ``data/`` that staff edit without touching code:
``authors.toml`` (canonical names, aliases, roles) and ``topics.toml`` (research themes and their
keywords). ``enrich`` applies them to a posts table; the loader calls it on every load.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from dashboard.enrich.authors import AuthorRegistry, author_column, canonical_authors
from dashboard.enrich.names import split_names
from dashboard.enrich.recognition import authors_in_text
from dashboard.enrich.registry_files import EnrichmentConfigError
from dashboard.enrich.topics import UNCLASSIFIED, Taxonomy, assign_topics, match_topics

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_AUTHORS = DATA_DIR / "authors.toml"
DEFAULT_TOPICS = DATA_DIR / "topics.toml"

__all__ = [
    "DEFAULT_AUTHORS",
    "DEFAULT_TOPICS",
    "UNCLASSIFIED",
    "AuthorRegistry",
    "EnrichmentConfigError",
    "Taxonomy",
    "authors_in_text",
    "canonical_authors",
    "enrich",
    "load_registries",
    "match_topics",
    "registries_fingerprint",
    "split_names",
]


# Part of every fingerprint: a change to how posts are enriched must change it too.
ENRICHMENT_VERSION = 1


def registries_fingerprint(
    authors: str | Path | None = None, topics: str | Path | None = None
) -> str:
    """What enrichment depends on (both registry files and its own version), as a short hash.

    A posts table written with the same fingerprint is already enriched exactly as it would be
    now, so the loader can read it back as it is (see ``load/stored.py``).
    """
    digest = hashlib.sha1(f"enrichment {ENRICHMENT_VERSION}".encode())
    for path in (authors or DEFAULT_AUTHORS, topics or DEFAULT_TOPICS):
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()[:16]


def load_registries(
    authors: str | Path | None = None, topics: str | Path | None = None
) -> tuple[AuthorRegistry, Taxonomy]:
    """The author registry and topic taxonomy (the bundled files unless paths are given)."""
    registry = AuthorRegistry.load(authors or DEFAULT_AUTHORS)
    taxonomy = Taxonomy.load(topics or DEFAULT_TOPICS)
    return registry, taxonomy


def enrich(posts: pd.DataFrame, registry: AuthorRegistry, taxonomy: Taxonomy) -> pd.DataFrame:
    """A copy of the posts with canonical ``authors`` and taxonomy ``topics``."""
    enriched = posts.copy()
    enriched["authors"] = author_column(posts, registry)
    enriched["topics"] = assign_topics(posts, taxonomy)
    return enriched
