"""A blog's configuration: a folder with its site settings and its registries.

``data/`` is the default (the Heseltine Institute's blog); ``DASHBOARD_CONFIG`` or a command's
``--config DIR`` names another. The folder holds:

- ``site.toml``: the blog's ``name``, ``home`` page, ``crawl_url`` (what *Refresh from the blog*
  crawls), ``public_note`` (what a public demo says about itself) and ``search_url`` (the search
  for a post's title, with ``{query}``); every key optional;
- ``authors.toml`` and ``topics.toml``: the registries (``dashboard.enrich``).

Staff edit these files without touching code; a mistake in ``site.toml`` gets a message naming
the file, the line and the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

CONFIG_ENV = "DASHBOARD_CONFIG"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data"
SITE_FILE = "site.toml"
SITE_KEYS = ("name", "home", "crawl_url", "public_note", "search_url")
WEB_KEYS = ("home", "crawl_url", "search_url")


class ConfigError(ValueError):
    """A configuration folder or its ``site.toml`` that cannot be used; the message says why."""


@dataclass(frozen=True)
class Site:
    """What ``site.toml`` says about the blog (every field optional)."""

    name: str | None = None
    home: str | None = None
    crawl_url: str | None = None
    public_note: str | None = None
    search_url: str | None = None


@dataclass(frozen=True)
class Config:
    """A configuration: its folder, site settings and the paths of its registries (the
    folder's ``authors.toml`` and ``topics.toml`` unless given)."""

    dir: Path
    site: Site = field(default_factory=Site)
    authors: Path | None = None
    topics: Path | None = None

    def __post_init__(self) -> None:
        if self.authors is None:
            object.__setattr__(self, "authors", self.dir / "authors.toml")
        if self.topics is None:
            object.__setattr__(self, "topics", self.dir / "topics.toml")


def recorded_config(authors: Path, topics: Path) -> Config:
    """The configuration a posts table was made with, from the registries it records: the
    topics file's folder, with that folder's ``site.toml`` if it has one."""
    return Config(topics.parent, read_site(topics.parent / SITE_FILE), authors, topics)


def config_dir(chosen: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The configuration folder: ``chosen``, else ``DASHBOARD_CONFIG``, else ``data/``."""
    if chosen:
        return Path(chosen)
    value = (os.environ if environ is None else environ).get(CONFIG_ENV, "").strip()
    return Path(value) if value else DEFAULT_DIR


def load_config(
    chosen: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> Config:
    """The configuration of ``chosen`` (or ``DASHBOARD_CONFIG``, or ``data/``).

    Raises ConfigError when the folder does not exist or its ``site.toml`` is not valid.
    """
    folder = config_dir(chosen, environ)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such configuration folder")
    return Config(folder, read_site(folder / SITE_FILE))


def read_site(path: Path) -> Site:
    """The settings of a ``site.toml``; a folder without one has none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Site()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read ({error})") from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    unknown = sorted(set(values) - set(SITE_KEYS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown key {unknown[0]!r} (known: {', '.join(SITE_KEYS)})"
            f"{_line_of(text, unknown[0])}"
        )
    for key, value in values.items():
        if not isinstance(value, str):
            raise ConfigError(f"{path}: {key} must be text{_line_of(text, key)}")
        if key in WEB_KEYS and not value.lower().startswith(("http://", "https://")):
            raise ConfigError(
                f"{path}: {key} must be an http(s) address, not {value!r}{_line_of(text, key)}"
            )
    if "search_url" in values and "{query}" not in values["search_url"]:
        raise ConfigError(
            f"{path}: search_url must hold {{query}} where the query goes"
            f"{_line_of(text, 'search_url')}"
        )
    return Site(**{key: value.strip() or None for key, value in values.items()})


def _line_of(text: str, key: str) -> str:
    for number, line in enumerate(text.splitlines(), 1):
        if line.split("=", 1)[0].strip() == key:
            return f" (line {number})"
    return ""
