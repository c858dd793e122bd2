"""Live preview: `mkdocs serve` rebuilds on edits and survives a broken entry."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import entry, write_tree
from test_trust import LAUGHS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_for(predicate, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def served(tmp_path: Path):
    config = "site_name: Preview\ndocs_dir: content\ntheme: material\nplugins:\n  - briefing:\n      overrides: timeline\n"
    write_tree(tmp_path, {
        "mkdocs.yml": config,
        "timeline/.keep": "",
        "content/entries/a.md": entry("2015", "Hill", "bank", "Original claim."),
    })
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            # As make serve runs it: --dirty, each rebuild makes only what an edit changed.
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: "Original claim." in fetch(f"{base}/entries/a/")), log_path.read_text()
        yield tmp_path, base, log_path
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_edits_to_entries_and_override_templates_rebuild(served):
    project, base, log = served
    time.sleep(1.5)  # let the watcher settle after the first build
    (project / "content/entries/a.md").write_text(entry("2015", "Hill", "bank", "Edited claim."))
    assert wait_for(lambda: "Edited claim." in fetch(f"{base}/timeline/")), log.read_text()
    (project / "timeline/_rule_link.html").write_text('<a class="custom" href="{{ link(rule.url_path) }}">{{ text }}!</a>')
    (project / "content/index.md").write_text("# Home\n\n[[bank]]\n")
    assert wait_for(lambda: 'class="custom"' in fetch(f"{base}/")), log.read_text()


def test_a_broken_entry_is_reported_and_the_server_keeps_serving(served):
    project, base, log = served
    time.sleep(1.5)
    (project / "content/entries/b.md").write_text(entry("2015-02-30", "Hill", "bank", "Broken."))
    assert wait_for(lambda: "content/entries/b.md:2: date: '2015-02-30' is not a date" in log.read_text()), log.read_text()
    (project / "content/entries/c.md").write_text(entry("2015", "Hill", "bank", "Still publishing."))
    assert wait_for(lambda: "Still publishing." in fetch(f"{base}/timeline/")), log.read_text()
    assert "Traceback" not in log.read_text()
    assert "A 'dirty' build" not in log.read_text()  # accurate here: see preview.QuietDirtyWarning


def test_no_hostile_file_stops_the_preview(served):
    """One file of each class that used to crash a build arrives while the server runs."""
    project, base, log = served
    time.sleep(1.5)
    write_tree(project, {
        "content/entries/laughs.md": LAUGHS,
        "content/entries/tag.md": entry("2015", "Hill", "bank", "!!int eleven"),
        "content/entries/stamp.md": entry("!!timestamp 2015-02-30", "Hill", "bank", "Stamp."),
        "content/entries/url.md": entry("2015", "Hill", "bank", "Bad url.", url="https://[host/x"),
        "content/entries/ctrl.md": entry("2015", "Hill", "bank", '"back\\bspace"'),
        "content/entries/x#y.md": entry("2015", "Hill", "反恐怖主义法", "Hash and Chinese."),
        "content/entries/js.md": entry("2015", "Hill", "Index", "Script.", body="<script>alert(1)</script>"),
        "content/timeline.md": "# Mine\n",
    })  # fmt: skip
    assert wait_for(lambda: "content/timeline.md:1: is left out" in log.read_text()), log.read_text()
    assert wait_for(lambda: "Hash and Chinese." in fetch(f"{base}/entries/x%23y/")), log.read_text()
    assert "Script." in fetch(f"{base}/rules/index-rule/")
    (project / "content/entries/tag.md").write_text(entry("2015", "Hill", "bank", "Fixed at last."))
    assert wait_for(lambda: "Fixed at last." in fetch(f"{base}/timeline/")), log.read_text()
    assert "Traceback" not in log.read_text()
