"""The README is a front page and docs/ the manual: their links resolve, the README stays short,
and the screenshot on it is a PNG that docs/screenshot.py can make again."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
SCREENSHOT = DOCS / "overview.png"
README_MOST_LINES = 250
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SHOT_SIZE = (1400, 900)

FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", flags=re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", flags=re.M)


def prose(text: str) -> str:
    """Markdown without its code blocks and inline code, where links are not links."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text, lower case, punctuation dropped, spaces -> '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file; a repeated heading gets -1, -2 ... as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def relative_links(path: Path) -> list[str]:
    targets = LINK.findall(prose(path.read_text(encoding="utf-8")))
    return [target for target in targets if not re.match(r"[a-z][a-z0-9+.-]*:", target)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The posts table", "the-posts-table"),
        ("Checking an edit: check-enrichment", "checking-an-edit-check-enrichment"),
        ("What bench.py measures", "what-benchpy-measures"),
        ("The `data/authors.toml` file", "the-dataauthorstoml-file"),
        (
            "Politeness, the cache and incremental crawls",
            "politeness-the-cache-and-incremental-crawls",
        ),
        ("Many visitors: the load test", "many-visitors-the-load-test"),
    ],
)
def test_slug_is_githubs(text, expected):
    assert slug(text) == expected


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_points_to_a_file_and_heading_that_exist(page):
    broken = []
    for target in relative_links(page):
        name, _, anchor = target.partition("#")
        linked = (page.parent / name).resolve() if name else page
        if not linked.exists():
            broken.append(f"{target}: no file {linked.relative_to(ROOT)}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.relative_to(ROOT)}")
    assert broken == []


def test_the_readme_links_every_page_of_the_manual():
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in relative_links(README)}
    assert [page.name for page in PAGES[1:] if page not in linked] == []


def test_the_readme_is_a_front_page():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MOST_LINES


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG, from its header; fails on anything that is not a PNG."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE and head[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_the_screenshot_is_a_small_png():
    assert png_size(SCREENSHOT) == SHOT_SIZE
    assert SCREENSHOT.stat().st_size < 300_000


@pytest.mark.browser
def test_screenshot_script_draws_the_overview(tmp_path):
    out = tmp_path / "x.png"
    done = subprocess.run(
        [sys.executable, str(DOCS / "screenshot.py"), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert png_size(out) == SHOT_SIZE
