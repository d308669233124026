"""Enrichment is a layer below loading: it imports none of the dashboard but itself and schema."""

import ast
from pathlib import Path

import pytest

ENRICH = Path(__file__).resolve().parents[1] / "dashboard" / "enrich"
ALLOWED = ("dashboard.enrich", "dashboard.schema")


def dashboard_imports(path: Path) -> list[str]:
    """Every ``dashboard...`` module a file imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.extend(
                [node.module]
                if node.module != "dashboard"
                else [f"dashboard.{alias.name}" for alias in node.names]
            )
    return [name for name in found if name == "dashboard" or name.startswith("dashboard.")]


@pytest.mark.parametrize("path", sorted(ENRICH.glob("*.py")), ids=lambda path: path.name)
def test_enrich_imports_only_itself_and_schema(path):
    outside = [
        name
        for name in dashboard_imports(path)
        if not any(name == allowed or name.startswith(allowed + ".") for allowed in ALLOWED)
    ]
    assert outside == []
