"""Public mode's words: neutral names for sources and the short messages a visitor reads.

Pure (no Streamlit). A neutral name shows nothing of the server: the bundled dataset, a web
address without its query, or a file's own name; ``neutral_text`` puts those names, and an
ellipsis for any other absolute path, into a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PureWindowsPath
from urllib.parse import urlsplit

from dashboard.display import escape_markdown
from dashboard.load.fetch import is_url
from dashboard.state.sources import BUNDLED_DATA

BUNDLED_NAME = "the bundled dataset"
UNNAMED_SOURCE = "the data source"
LOGGED = "The details are in the server's log."
PAGE_FAILED = "Something went wrong while drawing this page. Try another page, or reload."
# An absolute path (POSIX, home or Windows) not inside a word, a URL or a date.
_PATH = re.compile(r"(?<![\w.:/\\~-])(?:[A-Za-z]:[\\/]|~?/)[^\s'\"()<>,;]+")


def neutral_name(source: str) -> str:
    """A name for a source that shows nothing of the server: the bundled dataset, a web address
    without its query, or a file's own name."""
    if source == str(BUNDLED_DATA):
        return BUNDLED_NAME
    if is_url(source):
        parts = urlsplit(source)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"
    return PureWindowsPath(source).name or UNNAMED_SOURCE  # splits on "/" and "\" alike


def neutral_text(text: str, sources: Iterable[str], *, other_paths: bool = True) -> str:
    """``text`` with each of ``sources`` replaced by its neutral name and, with
    ``other_paths``, any other absolute file-system path by an ellipsis."""
    for source in sorted({s for s in sources if s}, key=len, reverse=True):
        text = text.replace(source, neutral_name(source))
    return _PATH.sub("…", text) if other_paths else text


def public_note(source: str, note: str | None = None) -> str:
    """What the public demo shows, for the sidebar: the configuration's ``public_note`` (its
    ``site.toml``) when it has one, else a note naming the source neutrally."""
    if note:
        return escape_markdown(note)
    return (
        f"A public, read-only view of the posts in {escape_markdown(neutral_name(source))}. "
        "Nothing can be uploaded or changed here."
    )
