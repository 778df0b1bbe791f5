"""The package is the pipeline: stage subpackages, one dependency direction, no cycles.

``make lint`` enforces the stages' order with import-linter (the contracts are in
pyproject.toml); these tests check what a contract cannot say, and that the lint step really
fails on a wrong-way import.
"""

from __future__ import annotations

import ast
import graphlib
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "typeset"
STAGES = ("core", "typography", "source", "compose", "render", "pdf", "app")


def _graph() -> dict[str, set[str]]:
    """Every module of typeset and the typeset modules it imports, at any depth of its code
    (inside functions and under ``if TYPE_CHECKING`` too)."""
    graph = grimp.build_graph("typeset", cache_dir=None)
    return {module: set(graph.find_modules_directly_imported_by(module))
            for module in graph.modules}


def test_no_import_cycle_between_modules() -> None:
    graph = _graph()
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_no_import_cycle_between_stages() -> None:
    def stage(module: str) -> str:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 else "typeset"

    stages: dict[str, set[str]] = {}
    for module, imported in _graph().items():
        stages.setdefault(stage(module), set()).update(
            stage(other) for other in imported if stage(other) != stage(module))
    try:
        list(graphlib.TopologicalSorter(stages).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"stage cycle: {' -> '.join(exc.args[1])}")


def test_no_private_name_is_imported_from_another_module() -> None:
    borrowed = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                borrowed += [f"{path.relative_to(PACKAGE)}: {node.module}.{alias.name}"
                             for alias in node.names
                             if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert not borrowed


def test_the_package_is_a_handful_of_stages() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 6, top
    for name in STAGES:
        init = PACKAGE / name / "__init__.py"
        assert init.is_file(), name
        assert ast.get_docstring(ast.parse(init.read_text("utf-8"))), f"{name} has no docstring"


def _lint(src: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(lint), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
                          cwd=src.parent, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)


def test_lint_fails_on_a_wrong_way_import(tmp_path: Path) -> None:
    """A stage that imports a later stage breaks ``make lint``: here the core imports the app."""
    src = tmp_path / "src"
    shutil.copytree(PACKAGE, src / "typeset", ignore=shutil.ignore_patterns("__pycache__"))
    assert _lint(src).returncode == 0, "the contracts must hold for the package as it is"
    units = src / "typeset" / "core" / "units.py"
    units.write_text(units.read_text("utf-8") + "\nfrom ..app import build  # wrong way\n",
                     "utf-8")
    broken = _lint(src)
    assert broken.returncode != 0
    assert "typeset.core.units -> typeset.app.build" in broken.stdout
