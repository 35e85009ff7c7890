"""The demo depends on every app and no app depends on it: nothing outside
``hearth/demo/`` imports ``hearth.demo``."""

from __future__ import annotations

import ast
from pathlib import Path

HEARTH = Path(__file__).resolve().parents[2]


def _imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_app_imports_the_demo() -> None:
    """The demo depends on every app; an app that imported it would depend on all the others."""
    demo = HEARTH / "demo"
    offenders = [
        str(path.relative_to(HEARTH.parent))
        for path in sorted(HEARTH.rglob("*.py"))
        if demo not in path.parents
        and any(
            name == "hearth.demo" or name.startswith("hearth.demo.") for name in _imports_of(path)
        )
    ]
    assert offenders == []
