"""Live preview: `mkdocs serve` rebuilds on edits and survives a broken entry."""

import gc
import os
import threading
import time
from pathlib import Path

import pytest

from briefing.preview import DeferredCollection, trim_memory
from briefing.watch import file_system_type
from conftest import entry, fetch, serving, wait_for, write_tree
from test_trust import LAUGHS

CONFIG = "site_name: Preview\ndocs_dir: content\ntheme: material\nplugins:\n  - briefing:\n      overrides: timeline\n"


@pytest.fixture
def served(tmp_path: Path):
    write_tree(tmp_path, {
        "mkdocs.yml": CONFIG,
        "timeline/.keep": "",
        "content/entries/a.md": entry("2015", "Hill", "bank", "Original claim."),
    })
    with serving(tmp_path) as (base, log_path):
        assert "Original claim." in fetch(f"{base}/entries/a/")
        yield tmp_path, base, log_path


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


def test_the_content_folder_is_watched_through_inotify(tmp_path: Path):
    """An edit starts one rebuild: reading files (every rebuild does) starts none. A folder
    moved out and back, whole, is seen too (MkDocs' own handler ignores folder events)."""
    write_tree(tmp_path, {
        "mkdocs.yml": CONFIG,
        "timeline/.keep": "",
        "content/entries/a.md": entry("2015", "Hill", "bank", "Original claim."),
        "content/entries/more/b.md": entry("2016", "Hill", "bank", "In a folder."),
        # Defined in files: an edit to claims naming them is served without MkDocs' build.
        "content/rules/bank.md": "---\ntitle: Bank rules\n---\n",
        "content/sources/hill.md": "---\nname: Hill\n---\n",
    })  # fmt: skip
    with serving(tmp_path, "--verbose") as (base, log):
        assert f"Watching {tmp_path / 'content'} for changes through inotify" in log.read_text()
        (tmp_path / "content/entries/a.md").write_text(entry("2015", "Hill", "bank", "Edited claim."))
        assert wait_for(lambda: "Edited claim." in fetch(f"{base}/entries/a/"), 10), log.read_text()
        time.sleep(2)  # a rebuild started by the build's own reads would show by now
        builds = log.read_text().count("Building documentation") + log.read_text().count("Served the save")
        assert builds == 2, log.read_text()
        assert "Served the save" in log.read_text(), log.read_text()  # an edited claim: served_edits.py
        assert "FileOpenedEvent" not in log.read_text()

        # Saved as many editors save: a new file renamed over the old one.
        (tmp_path / "content/entries/a.md.new").write_text(entry("2015", "Hill", "bank", "Renamed into place."))
        os.replace(tmp_path / "content/entries/a.md.new", tmp_path / "content/entries/a.md")
        assert wait_for(lambda: "Renamed into place." in fetch(f"{base}/entries/a/"), 10), log.read_text()

        (tmp_path / "content/entries/more").rename(tmp_path / "elsewhere")
        timeline = lambda: fetch(f"{base}/timeline/")  # noqa: E731  (served, and without it)
        assert wait_for(lambda: "Renamed into place." in (page := timeline()) and "In a folder." not in page, 10), log.read_text()
        (tmp_path / "elsewhere").rename(tmp_path / "content/entries/more")
        assert wait_for(lambda: "In a folder." in fetch(f"{base}/timeline/"), 10), log.read_text()
        assert "Traceback" not in log.read_text()


def test_a_content_folder_with_a_symbolic_link_is_polled(tmp_path: Path):
    """inotify does not follow links: MkDocs' poller keeps the folder, and edits behind the
    link still show."""
    write_tree(tmp_path, {
        "mkdocs.yml": CONFIG,
        "timeline/.keep": "",
        "content/entries/a.md": entry("2015", "Hill", "bank", "Original claim."),
        "shared/b.md": entry("2016", "Hill", "bank", "Linked in."),
    })  # fmt: skip
    (tmp_path / "content/entries/shared").symlink_to(tmp_path / "shared", target_is_directory=True)
    with serving(tmp_path, "--verbose") as (base, log):
        assert "is a symbolic link, which inotify does not follow" in log.read_text()
        assert "through inotify" not in log.read_text()
        time.sleep(1.5)  # let the poller take its first look
        (tmp_path / "shared/b.md").write_text(entry("2016", "Hill", "bank", "Edited behind the link."))
        assert wait_for(lambda: "Edited behind the link." in fetch(f"{base}/timeline/")), log.read_text()


def test_the_file_system_of_a_path_is_that_of_its_deepest_mount():
    mountinfo = "\n".join([
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
        "30 22 0:30 / /home/me/My\\040Docs rw,relatime shared:5 - fuse.sshfs host:/docs rw",
        "31 22 0:31 / /tmp rw,nosuid - tmpfs tmpfs rw",
        "32 22 0:32 / /mnt/c rw,noatime - 9p drvfs rw",
    ])  # fmt: skip
    assert file_system_type("/home/me/My Docs/content", mountinfo) == "fuse.sshfs"
    assert file_system_type("/home/me/My DocsX/content", mountinfo) == "ext4"
    assert file_system_type("/tmp/site/content", mountinfo) == "tmpfs"
    assert file_system_type("/mnt/c/Users/me/docs", mountinfo) == "9p"
    assert file_system_type("/srv/docs", "garbage\n") is None


def test_collection_waits_until_a_rebuild_is_served_and_the_next_has_not_started():
    # Collection is one switch per process: another test's preview, built in this worker,
    # may still have its collection pending, which would turn it back on mid-test.
    for timer in [t for t in threading.enumerate() if isinstance(t, threading.Timer)]:
        timer.join(timeout=5)
    collection = DeferredCollection()
    collection.DELAY = 0.2
    try:
        collection.hold()
        assert not gc.isenabled()
        collection.release_later()
        collection.hold()  # the next save, before the collection ran
        time.sleep(0.4)
        assert not gc.isenabled()
        collection.release_later()
        # Then it runs: 0.2 s on a quiet machine; the suite's other workers may delay the timer.
        deadline = time.monotonic() + 5
        while not gc.isenabled() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gc.isenabled()
    finally:
        gc.enable()


def test_memory_a_build_freed_goes_back_to_the_system():
    """What a rebuild frees lies in holes among what the preview keeps, and glibc keeps such
    holes for the process: without handing them back, the server grew with each save."""

    def resident() -> int:
        return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    kept, garbage = [], []
    for _ in range(5000):  # 100 MB of a build's garbage, each piece between two kept ones
        garbage.append(bytes(20_000))
        kept.append(bytes(600))
    before = resident()
    del garbage
    assert resident() > before - (50 << 20)  # freed, and still the process's
    trim_memory()
    assert resident() < before - (50 << 20), "malloc_trim was not reached (this suite runs on glibc)"
    assert len(kept) == 5000


def test_the_servers_first_build_renders_ahead_and_its_rebuilds_do_not(tmp_path: Path):
    """The first build runs before the server starts a thread: a worker renders its pages
    (writers wait for that build). A rebuild runs beside the server's threads: never a fork."""
    write_tree(tmp_path, {
        "mkdocs.yml": CONFIG.replace("overrides: timeline", "concurrency: 1"),
        "content/entries/a.md": entry("2015", "Hill", "bank", "Original claim."),
        "content/entries/b.md": entry("2016", "Hill", "bank", "Another claim.", contradicts="[a]"),
    })  # fmt: skip
    with serving(tmp_path, "--verbose") as (base, log):
        assert "Original claim." in fetch(f"{base}/entries/a/")
        assert log.read_text().count("Rendered ahead by 1 worker") == 1, log.read_text()
        (tmp_path / "content/entries/a.md").write_text(entry("2015", "Hill", "bank", "Edited claim."))
        assert wait_for(lambda: "Edited claim." in fetch(f"{base}/rules/bank/"), 10), log.read_text()
        assert log.read_text().count("Building documentation") == 2
        assert log.read_text().count("Rendered ahead by") == 1, log.read_text()
