"""The declared dependencies are exactly what the code imports: nothing used comes by accident
through another package, and nothing declared is dead weight in every install."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import tomllib

from conftest import REPO

# pyproject.toml itself, not the installed metadata: a wheel built by tests/test_init.py
# rewrites plugins/*.egg-info, which is on sys.path, while this test may be reading it.
# (tomllib: the suite runs on Python 3.11 or later; the plugin itself supports 3.10.)
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME: list[str] = PROJECT["dependencies"]
TEST_EXTRAS: list[str] = PROJECT["optional-dependencies"]["test"]

# Declared but never imported, each for a reason.
NOT_IMPORTED = {
    "mkdocs-material": "the theme: MkDocs loads it by name from mkdocs.yml",
}
TEST_TOOLS_NOT_IMPORTED = {
    "pytest-xdist": "pytest's -n option, a plugin pytest loads itself",
    "ruff": "make lint",
    "linkchecker": "a command the link tests run",
    "build": "python -m build, in tests/test_init.py",
    "setuptools": "the build backend, offline (--no-isolation)",
    "wheel": "the build backend, offline (--no-isolation)",
    "zensical": "a command: briefing export's output built without plugins",
}


def normalized(requirement: str) -> str:
    """A requirement's distribution name, as PyPI compares them."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_distributions(folder: Path) -> set[str]:
    """The distributions whose modules the Python files under ``folder`` import."""
    modules: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    ours = {path.stem for path in folder.glob("*.py")} | {"briefing"}
    by_module = metadata.packages_distributions()
    found = set()
    for module in modules - set(sys.stdlib_module_names) - ours:
        assert module in by_module, f"{module} is imported but installed by no distribution"
        found |= {normalized(name) for name in by_module[module]}
    return found


def test_the_plugin_declares_exactly_what_it_imports():
    assert len(RUNTIME) >= 10 and len(TEST_EXTRAS) >= 10  # read, not an empty list that passes
    declared = {normalized(r) for r in RUNTIME}
    imported = imported_distributions(REPO / "plugins" / "briefing")
    assert imported - declared == set(), "imported but not declared in [project] dependencies"
    assert declared - imported == set(NOT_IMPORTED), "declared but not imported (or no longer a reason)"


def test_the_tests_declare_what_they_import():
    declared = {normalized(r) for r in RUNTIME + TEST_EXTRAS}
    test_only = {normalized(r) for r in TEST_EXTRAS}
    imported = imported_distributions(REPO / "tests")
    assert imported - declared == set(), "imported by the tests but not declared"
    assert test_only - imported == set(TEST_TOOLS_NOT_IMPORTED), "a test extra neither imported nor a named tool"
