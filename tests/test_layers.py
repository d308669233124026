"""The layers import one way: pages -> state -> analysis, gaps, charts -> load, enrich -> schema.

Every import in the package is read from the source (those inside functions too), so a module
that reaches back up a layer fails here, not in a review.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dashboard"

# The layers from the bottom up; a module may import its own layer and the ones below it.
LAYERS = (
    ("schema", ("dashboard.schema", "dashboard.coverage", "dashboard.config")),
    ("enrich", ("dashboard.enrich",)),
    ("load", ("dashboard.load", "dashboard.synth")),
    ("crawl", ("dashboard.crawl",)),
    (
        "analysis",
        (
            "dashboard.analysis",
            "dashboard.events",
            "dashboard.report",
            "dashboard.gaps",
            "dashboard.charts",
            "dashboard.theme",
            "dashboard.display",
            "dashboard.export",
            "dashboard.upload",
        ),
    ),
    ("state", ("dashboard.state",)),
    ("pages", ("dashboard.app", "dashboard.views")),
)
RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}
COMMANDS = (
    "dashboard.__main__",
    "dashboard.check_enrichment",
)  # the command line: no Streamlit, no pages
STREAMLIT_LAYERS = ("state", "pages")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def layer_of(name: str) -> int | None:
    for rank, (_, prefixes) in enumerate(LAYERS):
        if under(name, prefixes):
            return rank
    return None


def imports_of(path: Path) -> set[str]:
    """Every module a source file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            # ``from dashboard import state`` imports the module dashboard.state
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_a_layer_or_is_a_command():
    homeless = [m for m in MODULES if layer_of(m) is None and not under(m, COMMANDS)]
    assert homeless in ([], ["dashboard"])


def highest_layer(module: str) -> int:
    """The highest layer a module may import: its own; for the commands (and the package's
    ``__init__``), anything below state and the pages."""
    rank = layer_of(module)
    return RANK["analysis"] if rank is None else rank


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_the_layers(module):
    imported = imports_of(MODULES[module])
    highest = highest_layer(module)
    upward = sorted(n for n in imported if (layer_of(n) or 0) > highest)
    assert upward == [], f"{module} imports from a higher layer"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_state_and_pages_import_streamlit(module):
    imported = imports_of(MODULES[module])
    rank = layer_of(module)
    allowed = rank is not None and LAYERS[rank][0] in STREAMLIT_LAYERS
    if not allowed:
        assert not any(under(name, ("streamlit",)) for name in imported), module


@pytest.mark.parametrize("module", sorted(m for m in MODULES if under(m, ("dashboard.enrich",))))
def test_enrich_imports_nothing_of_load(module):
    imported = imports_of(MODULES[module])
    assert not [n for n in imported if under(n, ("dashboard.load", "dashboard.crawl"))]


def test_the_checks_see_an_upward_import(tmp_path):
    """The reader of imports finds one made inside a function, as a layer violation would be."""
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from dashboard import load\n    import streamlit as st\n")
    assert {"dashboard", "dashboard.load", "streamlit"} <= imports_of(source)
    assert layer_of("dashboard.load.pipeline") > layer_of("dashboard.enrich.topics")
    assert highest_layer("dashboard.__main__") < layer_of("dashboard.state.data")
