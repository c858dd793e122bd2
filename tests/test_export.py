"""``briefing export``: the same briefing on engines without plugins (Zensical, plain MkDocs).

Each briefing is built through the plugin and through export then Zensical (and plain MkDocs);
the page sets, each page's links and text, the feeds and the JSON must be the same, and the
Zensical site must have no broken link.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from synthetic import generate

from conftest import REPO, assert_no_broken_links, entry, need, run_briefing, run_mkdocs, write_tree

DATA_FILES = ("feed.xml", "status-changes.xml", "entries.json")


def export(project: Path, out: Path) -> subprocess.CompletedProcess:
    return run_briefing(project, "export", str(out))


def zensical(out: Path) -> Path:
    result = subprocess.run([need("zensical"), "build"], cwd=out, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "site"


def pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("index.html")}


def article(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser").select_one("article")


def assert_same_site(plugin_site: Path, other: Path) -> None:
    """Every page of the plugin's site, with the same links and text; the data byte for byte."""
    assert pages(other) == pages(plugin_site)
    for page in sorted(pages(plugin_site)):
        ours, theirs = article(plugin_site, page), article(other, page)
        assert [a["href"] for a in theirs.find_all("a", href=True)] == [a["href"] for a in ours.find_all("a", href=True)], page
        assert theirs.get_text(" ", strip=True) == ours.get_text(" ", strip=True), page
    feeds = [p.relative_to(plugin_site) for p in plugin_site.rglob("feed.xml")]
    assert len(feeds) > 1
    for name in (*DATA_FILES, *map(str, feeds), "assets/briefing/briefing.css", "assets/briefing/timeline.js"):
        assert (other / name).read_bytes() == (plugin_site / name).read_bytes(), name


def test_the_example_exports_to_zensical_and_plain_mkdocs(example_build, tmp_path):
    project = tmp_path / "example"
    for name in ("content", "timeline"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    out = tmp_path / "export"
    result = export(project, out)
    assert result.returncode == 0, result.stderr
    config = (out / "mkdocs.yml").read_text()
    assert "briefing" not in config.split("plugins:")[1].split("markdown_extensions:")[0]
    site = zensical(out)
    assert_same_site(example_build.site, site)
    assert_no_broken_links(site)
    # Titles are text: "AI Act's" in every engine's search, never "AI Act&#x27;s".
    titles = [line for page in (out / "docs").rglob("*.md") for line in page.read_text().splitlines() if line.startswith("title:")]
    assert any("'" in line for line in titles) and not any("&#x27;" in line for line in titles)
    search = (site / "search.json").read_text() if (site / "search.json").exists() else ""
    assert "&#x27;" not in search
    # The same export with MkDocs, the plugin as good as uninstalled: any import of it fails.
    shadow = tmp_path / "no-plugin" / "briefing"
    write_tree(shadow.parent, {"briefing/__init__.py": "raise ImportError('the briefing plugin is not installed')\n"})
    plain = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out / "plain")], cwd=out,
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(shadow.parent), "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert_same_site(example_build.site, out / "plain")
    # (The shadow works: the source project cannot build with it.)
    refused = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(tmp_path / "refused")], cwd=project,
        capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(shadow.parent)},
    )  # fmt: skip
    assert refused.returncode != 0 and "briefing" in refused.stderr


def test_a_larger_briefing_with_year_pages_exports_the_same(tmp_path):
    project = tmp_path / "big"
    generate(project, 60, shape="dense")
    write_tree(project, {"mkdocs.yml": (
        "site_name: Big\nsite_url: https://example.org/\ndocs_dir: content\n"
        "theme:\n  name: material\n  font: false\n  language: fr\n"
        "plugins:\n  - search\n  - briefing:\n      split_above: 10\n"
    ), "content/index.md": "# Big\n\n<!-- briefing:state-of-play -->\n"})  # fmt: skip
    built = run_mkdocs(project, "--strict")
    assert built.returncode == 0, built.log
    assert any(p.startswith("timeline/") and p.count("/") == 2 for p in pages(built.site))  # year pages
    out = tmp_path / "export"
    result = export(project, out)
    assert result.returncode == 0, result.stderr
    site = zensical(out)
    assert_same_site(built.site, site)
    assert_no_broken_links(site)


def test_export_refuses_problems_and_folders_it_did_not_write(tmp_path):
    project = tmp_path / "site"
    write_tree(project, {
        "mkdocs.yml": "site_name: T\ndocs_dir: content\ntheme: material\nplugins:\n  - briefing\n",
        "content/entries/a.md": entry("2015-02-30", "Hill", "Law", "Bad date."),
    })  # fmt: skip
    bad = export(project, tmp_path / "out")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stdout.splitlines() == [
        "content/entries/a.md:2: date: '2015-02-30' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
    ]
    assert not (tmp_path / "out").exists()
    write_tree(project, {"content/entries/a.md": entry("2015-02-28", "Hill", "Law", "Good date.")})
    taken = tmp_path / "taken"
    write_tree(taken, {"notes.txt": "mine\n"})
    refused = export(project, taken)
    assert refused.returncode == 1 and "is not empty and not a previous export" in refused.stderr
    assert (taken / "notes.txt").read_text() == "mine\n"
    # A previous export is replaced, stale pages and all.
    out = tmp_path / "out"
    assert export(project, out).returncode == 0
    (out / "docs" / "stale.md").write_text("# Stale\n")
    assert export(project, out).returncode == 0
    assert not (out / "docs" / "stale.md").exists() and (out / "docs" / "entries" / "a" / "index.md").exists()



def test_export_writes_only_inside_out(tmp_path):
    project = tmp_path / "site"
    files = {
        "content/entries/a.md": entry("2015", "Hill", "Law", "A."),
        "t/main.html": "{% extends 'base.html' %}\n",
        "project/overrides/main.html": "{% extends 'base.html' %}\n",
    }
    write_tree(tmp_path, {"t/main.html": "{% extends 'base.html' %}\n"})
    for custom_dir in ("../t", str(tmp_path / "t")):
        write_tree(project, {
            "mkdocs.yml": f"site_name: T\ndocs_dir: content\ntheme:\n  name: material\n  custom_dir: {custom_dir}\nplugins:\n  - briefing\n",
            "content/entries/a.md": files["content/entries/a.md"],
        })  # fmt: skip
        before = sorted(p for p in tmp_path.rglob("*") if "out" not in p.parts)
        refused = export(project, tmp_path / "out")
        assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
        assert "theme.custom_dir:" in refused.stderr and "not a folder inside the project" in refused.stderr
        assert sorted(p for p in tmp_path.rglob("*") if "out" not in p.parts) == before
    # Inside the project it is copied into OUT, under the same relative name.
    write_tree(project, {
        "mkdocs.yml": "site_name: T\ndocs_dir: content\ntheme:\n  name: material\n  custom_dir: overrides\nplugins:\n  - briefing\n",
        "overrides/main.html": "{% extends 'base.html' %}\n",
    })  # fmt: skip
    done = export(project, tmp_path / "out2")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out2" / "overrides" / "main.html").exists()


def test_names_in_any_script_a_hash_and_a_reserved_name_export_the_same(tmp_path):
    """Page URLs are percent-encoded; the exported folders must hold the names themselves, or
    the engine encodes them twice and every link to them breaks."""
    project = tmp_path / "hostile"
    write_tree(project, {
        "mkdocs.yml": (
            "site_name: H\nsite_url: https://example.org/\ndocs_dir: content\n"
            "theme:\n  name: material\n  font: false\nplugins:\n  - search\n  - briefing\n"
        ),
        "content/index.md": "# Home\n\n<!-- briefing:state-of-play -->\n",
        "content/entries/a#b.md": entry("2025-06", "新华社", "网络安全法", "草案公布", status="proposed"),
        "content/entries/c.md": entry("2025-07", "وكالة الأنباء", "Index", "نُشر المشروع", status="paused"),
        "content/entries/d.md": entry("2025-08", "ТАСС", "Закон о связи", "Проект опубликован"),
    })  # fmt: skip
    built = run_mkdocs(project, "--strict")
    assert built.returncode == 0, built.log
    assert {"rules/网络安全法/index.html", "entries/a#b/index.html", "rules/index-rule/index.html"} <= pages(built.site)
    out = tmp_path / "export"
    result = export(project, out)
    assert result.returncode == 0, result.stderr
    assert (out / "docs" / "rules" / "网络安全法" / "index.md").exists()
    site = zensical(out)
    assert_same_site(built.site, site)
    assert_no_broken_links(site)
