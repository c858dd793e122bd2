"""The Nu HTML Checker over every kind of page, against the bare theme's own baseline.

A plain mkdocs-material page (built here, next to the example) has two errors of the theme's
own: ``autocomplete="off"`` on its drawer and search toggle checkboxes, which the theme sets on
purpose (Firefox would otherwise restore an open drawer on going back). Our pages may have
those and nothing else.
"""

import json
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, run_mkdocs, unavailable, write_tree

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The example's pages: one of every kind the plugin makes, and the writer's home page.
PAGES = (
    "/", "/timeline/", "/rules/", "/rules/bank-it-security-rules/", "/rules/counterterrorism-law/",
    "/sources/", "/sources/the-hill/", "/entries/regulators-tell-banks-suspend/",
    "/entries/hong-lei-deliberation-ongoing/", "/404.html", "/tags/", "/tags/encryption/",
    "/jurisdictions/", "/jurisdictions/china/",
)  # fmt: skip
THEME_ERRORS = {'Attribute "autocomplete" is only allowed when the input type is "color", "date", '
                '"datetime-local", "email", "hidden", "month", "number", "password", "range", '
                '"search", "tel", "text", "time", "url", or "week".'}


def nu_errors(site: Path, pages: tuple[str, ...]) -> dict[str, set[str]]:
    """The checker's error messages for each page."""
    if not VNU.exists() or not shutil.which("java"):
        unavailable("the Nu HTML Checker needs node_modules (make install) and Java")
    files = [site / (p.lstrip("/") + "index.html" if p.endswith("/") else p.lstrip("/")) for p in pages]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stdout)["messages"]
    errors: dict[str, set[str]] = {page: set() for page in pages}
    for message in messages:
        page = next(p for p, f in zip(pages, files, strict=True) if message["url"].endswith(str(f)))
        errors[page].add(message["message"].replace("\u201c", '"').replace("\u201d", '"'))
    return errors


def test_a_bare_material_page_has_only_the_known_theme_errors(tmp_path):
    write_tree(tmp_path, {
        "mkdocs.yml": "site_name: Bare\ntheme: material\n",
        "docs/index.md": "# Bare\n\nA plain page.\n",
    })  # fmt: skip
    build = run_mkdocs(tmp_path)
    assert build.returncode == 0, build.log
    assert nu_errors(build.site, ("/",)) == {"/": THEME_ERRORS}


def test_our_pages_add_no_html_errors_to_the_theme(example_build):
    errors = nu_errors(example_build.site, PAGES)
    added = {page: found - THEME_ERRORS for page, found in errors.items() if found - THEME_ERRORS}
    assert added == {}
