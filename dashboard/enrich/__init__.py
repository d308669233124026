"""Enrichment: canonical authors and taxonomy topics for the posts table.

Both lists live in TOML files under ``data/`` that staff edit without touching code:
``authors.toml`` (canonical names, aliases, roles) and ``topics.toml`` (research themes and their
keywords). ``enrich`` applies them to a posts table; the loader calls it on every load.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.enrich.authors import (
    AuthorRegistry,
    EnrichmentConfigError,
    author_column,
    authors_in_text,
    canonical_authors,
    split_names,
)
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
    "split_names",
]


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
