"""The shape that keeps the code easy to hold in one's head: a core that imports nothing from
MkDocs, a short adapter, small units, and a README that names every module."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import REPO

PACKAGE = REPO / "plugins" / "briefing"
# The MkDocs side: the adapter and what it alone uses. Everything else is the core.
ADAPTER = {"plugin", "mkdocs_files", "options", "preview", "served_edits", "cli"}
MAX_FUNCTION, MAX_CLASS, MAX_EVENTS = 60, 200, 200


def modules() -> list[str]:
    return sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__")


def test_the_core_imports_nothing_from_mkdocs():
    core = [name for name in modules() if name not in ADAPTER]
    imports = "; ".join(f"import briefing.{name}" for name in core)
    check = "import sys; " + imports + "; print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(('mkdocs', 'material'))}))"
    loaded = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout.strip()
    assert len(core) > 20 and loaded == "[]", loaded


def test_no_function_over_60_lines_and_no_class_over_200():
    too_long = []
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                length = node.end_lineno - node.lineno + 1
                limit = MAX_CLASS if isinstance(node, ast.ClassDef) else MAX_FUNCTION
                if length > limit:
                    too_long.append(f"{path.name}: {node.name} ({length} lines)")
    assert too_long == []


def test_the_event_handlers_stay_short():
    """plugin.py is MkDocs' events over the Site; how files map is mkdocs_files.py."""
    lines = len((PACKAGE / "plugin.py").read_text().splitlines())
    assert lines <= MAX_EVENTS, f"plugin.py has {lines} lines"


def test_the_readme_names_every_module():
    readme = (REPO / "README.md").read_text()
    missing = [name for name in modules() if f"`{name}.py`" not in readme]
    assert missing == [], f"README's Layout section does not name {missing}"
