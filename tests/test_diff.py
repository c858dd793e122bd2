"""``briefing diff``: real git histories in temp folders, compared commit against working tree."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from synthetic import generate

from briefing.changes import compare, snapshot
from briefing.compiled import Settings, compile_briefing
from conftest import MKDOCS_YML, entry, write_tree

GIT = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, env=GIT, check=True, capture_output=True)


def briefing(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing.cli", *args], cwd=project, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )  # fmt: skip


def history(tmp_path: Path) -> Path:
    """A first commit with a paused rule and a disputed one; then, uncommitted, a change that
    disputes the first, settles the second, rewords a claim and breaks a file."""
    project = tmp_path / "site"
    write_tree(project, {
        "mkdocs.yml": MKDOCS_YML,
        "content/entries/a.md": entry("2015-04-01", "Hill", "Bank rules", "Paused.", status="paused"),
        "content/entries/b.md": entry("2015-04-02", "Hill", "Bank rules", "Still | paused *now*.", status="paused"),
        "content/entries/c.md": entry("2015-03-01", "Hill", "Law", "Law paused.", status="paused"),
        "content/entries/d.md": entry("2015-03-05", "Reuters", "Law", "Law <b>reviewed</b>.", status="under-review"),
    })  # fmt: skip
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    write_tree(project, {
        "content/entries/e.md": entry("2015-04-20", "Reuters", "Bank rules", "Back in force.", status="in-force"),
        "content/entries/b.md": entry("2015-04-02", "Hill", "Bank rules", "Still paused.", status="paused"),
        "content/entries/f.md": "---\ndate: 2015-13\nsource: Hill\nrule: Law\nclaim: Broken.\n---\n",
        "content/sources/ap.md": "---\nname: AP\n---\n",
    })  # fmt: skip
    (project / "content/entries/d.md").unlink()
    return project


def test_json_names_every_kind_of_change(tmp_path):
    project = history(tmp_path)
    result = briefing(project, "diff", "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)
    assert changes["changed"] is True and changes["base"].startswith("HEAD (")
    assert [e["id"] for e in changes["entries_added"]] == ["e"]
    assert [e["id"] for e in changes["entries_removed"]] == ["d"]
    assert changes["entries_edited"] == [{
        "id": "b", "claim": "Still paused.", "url_path": "entries/b/",
        "fields": {"claim": ["Still | paused *now*.", "Still paused."]},
    }]  # fmt: skip
    statuses = {r["id"]: (r["before"], r["after"]) for r in changes["rules_changed"]}
    assert statuses == {
        "bank-rules": (
            {"status": "paused", "disputed": False, "latest_claimed": "paused"},
            {"status": "disputed", "disputed": True, "latest_claimed": "in-force"},
        ),
        "law": (
            {"status": "disputed", "disputed": True, "latest_claimed": "under-review"},
            {"status": "paused", "disputed": False, "latest_claimed": "paused"},
        ),
    }
    assert [(d["rule"], d["earlier"]["id"], d["later"]["id"]) for d in changes["disputes_opened"]] == [
        ("bank-rules", "a", "e"), ("bank-rules", "b", "e"),
    ]  # fmt: skip
    assert [(d["rule"], d["earlier"]["id"], d["later"]["id"]) for d in changes["disputes_closed"]] == [("law", "c", "d")]
    assert changes["sources_added"] == [{"id": "ap", "name": "AP"}]
    assert changes["rules_added"] == changes["rules_removed"] == changes["sources_removed"] == []
    assert changes["problems_introduced"] == [
        "content/entries/f.md: date: '2015-13' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
    ]


def test_markdown_for_a_job_summary_links_the_site_and_keeps_writers_text_inert(tmp_path):
    project = history(tmp_path)
    result = briefing(project, "diff")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("## Briefing changes against `HEAD (")
    assert lines[2] == ("2 rules change status · 2 disputes open · 1 dispute closes · 1 entry added · "
                        "1 entry edited · 1 entry removed · 1 problem introduced")
    table = lines[lines.index("### Rules whose status changes") + 2:][:4]
    assert table[2:4] == [
        "| [Bank rules](https://example.org/brief/rules/bank-rules/) | **paused** | **disputed** (latest claimed: in-force) |",
        "| [Law](https://example.org/brief/rules/law/) | **disputed** (latest claimed: under-review) | **paused** |",
    ]
    added = lines[lines.index("### Entries added") + 2]
    assert added == "- 2015-04-20: [Back in force.](https://example.org/brief/entries/e/) (Reuters, on Bank rules, status in-force)"
    edited = lines[lines.index("### Entries edited") + 2]
    assert edited.endswith("claim: “Still \\| paused \\*now\\*.” → “Still paused.”")
    removed = lines[lines.index("### Entries removed") + 2]
    assert "Law \\<b\\>reviewed\\</b\\>." in removed and "<b>" not in result.stdout
    assert "### Problems this change introduces" in lines


def test_nothing_changed_says_so_and_a_bad_ref_is_one_line(tmp_path):
    project = history(tmp_path)
    git(project, "add", "-A")
    git(project, "commit", "-qm", "change")
    same = briefing(project, "diff")
    assert same.returncode == 0 and "No changes: readers would see the same briefing." in same.stdout
    assert json.loads(briefing(project, "diff", "--format", "json").stdout)["changed"] is False
    # Against the first commit, as a writer would before pushing a branch.
    assert json.loads(briefing(project, "diff", "HEAD~1", "--format", "json").stdout)["entries_added"][0]["id"] == "e"
    bad = briefing(project, "diff", "no-such-branch")
    assert bad.returncode == 1 and bad.stderr.strip() == "Error: no-such-branch: not a commit in this repository"


def slow_checkout_git(tmp_path: Path, seconds: int) -> tuple[Path, Path]:
    """A folder holding a git whose background checkout (its paths come from a file, not a
    pipe) starts ``seconds`` late, as on a slow disk, and the file where it writes its pid."""
    shim = tmp_path / "bin"
    shim.mkdir()
    started = tmp_path / "checkout-pid"
    (shim / "git").write_text(
        f"#!/bin/sh\ncase \" $* \" in *\" checkout-index \"*) if [ -f /dev/stdin ]; then echo $$ > {started}; sleep {seconds}; fi ;; esac\n"
        f"exec {shutil.which('git')} \"$@\"\n"
    )  # fmt: skip
    (shim / "git").chmod(0o755)
    return shim, started


def test_a_diff_leaves_no_checkout_behind(tmp_path):
    """The base's checkout is removed while the comparison runs (cli._TreeRemoved), and is gone
    when the command ends: by ``rm`` where there is one, by Python where not."""
    project = history(tmp_path)
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    with_rm = briefing(project, "diff", "--format", "json", env={"TMPDIR": str(temporary)})
    assert with_rm.returncode == 0 and json.loads(with_rm.stdout)["changed"], with_rm.stderr
    assert list(temporary.iterdir()) == []
    only_git = tmp_path / "only-git"  # a PATH with git and no rm
    only_git.mkdir()
    (only_git / "git").symlink_to(shutil.which("git"))
    without_rm = briefing(project, "diff", "--format", "json", env={"TMPDIR": str(temporary), "PATH": str(only_git)})
    assert without_rm.stdout == with_rm.stdout and list(temporary.iterdir()) == []


def test_a_broken_working_tree_is_one_line_and_leaves_no_checkout_behind(tmp_path):
    """The base is written by git while the working tree loads; when that load fails, git is
    stopped before its folder is removed, and the error is the configuration's one line."""
    project = history(tmp_path)
    (project / "mkdocs.yml").write_text(MKDOCS_YML + "theme: [not, a, theme]\n")
    shim, started = slow_checkout_git(tmp_path, seconds=5)
    temporary = tmp_path / "temporary"  # TMPDIR: this diff's alone (other tests' run beside it)
    temporary.mkdir()
    result = briefing(project, "diff", env={"TMPDIR": str(temporary), "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "mkdocs.yml" in result.stderr, result.stderr
    assert list(temporary.iterdir()) == []
    # Stopped, not left to write into a removed folder: killed before it said its pid (the
    # working tree fails fast), or dead since.
    deadline = time.monotonic() + 1
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = started.read_text().strip() if started.exists() else ""
    if pid:
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)


def test_a_diff_stopped_while_git_writes_the_base_leaves_nothing_behind(tmp_path):
    """git writes the base's checkout while the working tree is read: a diff stopped then
    (a cancelled CI job's SIGTERM; Ctrl-C takes the same way) stops git before its folder is
    removed. (SIGINT itself would test nothing where the test runs in a background job, whose
    processes start with SIGINT ignored.)"""
    project = history(tmp_path)
    shim, started = slow_checkout_git(tmp_path, seconds=30)
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temporary), "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}
    diff = subprocess.Popen([sys.executable, "-m", "briefing.cli", "diff"], cwd=project, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (started.exists() and started.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int(started.read_text())  # git is writing the base (sleeping, here)
    diff.send_signal(signal.SIGTERM)
    _, stderr = diff.communicate(timeout=60)
    assert diff.returncode == 1 and "Traceback" not in stderr, stderr
    assert list(temporary.iterdir()) == []
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_site_new_in_this_change_is_all_additions(tmp_path):
    project = tmp_path / "site"
    write_tree(project, {"README.md": "x\n"})
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "before the site")
    write_tree(project, {"mkdocs.yml": MKDOCS_YML, "content/entries/a.md": entry("2015", "Hill", "Law", "New.")})
    changes = json.loads(briefing(project, "diff", "--format", "json").stdout)
    assert [e["id"] for e in changes["entries_added"]] == ["a"]
    assert changes["rules_added"] == [{"id": "law", "title": "Law", "url_path": "rules/law/", "status": "no-status"}]


def test_diff_takes_at_most_twice_the_time_of_check(tmp_path):
    project = tmp_path / "site"
    project.mkdir()
    generate(project, 1000)
    (project / "mkdocs.yml").write_text(MKDOCS_YML)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    first = sorted((project / "content" / "entries").rglob("*.md"))[0]
    first.write_text(first.read_text().replace("claim: ", "claim: Edited. ", 1))

    def timed(*args: str) -> float:
        start = time.perf_counter()
        result = briefing(project, *args)
        assert result.returncode in (0, 1), result.stderr
        return time.perf_counter() - start

    # Interleaved, best of three each: the suite runs beside other tests, and whatever load
    # they make falls on both commands alike. Alone on this machine diff takes about 1.3 times
    # check; under the suite's load its two loads, made side by side, share the cores, so half
    # a second is allowed for what does not grow with the briefing (git, a second process).
    times = [(timed("check"), timed("diff")) for _ in range(3)]
    check, diff = min(t[0] for t in times), min(t[1] for t in times)
    assert diff <= 2 * check + 0.5, f"diff {diff:.2f} s, check {check:.2f} s"


def test_an_edit_to_the_text_alone_or_to_a_name_is_an_edit(tmp_path):
    # The diff compares only the entries whose inputs differ (changes.ShownEntries.made_of):
    # the body and the names an entry shows are inputs too.
    project = tmp_path / "site"
    write_tree(project, {
        "mkdocs.yml": MKDOCS_YML,
        "content/sources/hill.md": "---\nname: The Hill\n---\n",
        "content/rules/law.md": "---\ntitle: The law\n---\n",
        "content/sources/ap.md": "---\nname: AP\n---\n",
        "content/entries/a.md": entry("2015-04-01", "ap", "law", "Paused.", body="Old text."),
        "content/entries/b.md": entry("2015-04-02", "hill", "law", "Resumed."),
    })  # fmt: skip
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    write_tree(project, {
        "content/sources/hill.md": "---\nname: The Hill Daily\n---\n",
        "content/entries/a.md": entry("2015-04-01", "ap", "law", "Paused.", body="New text."),
    })  # fmt: skip
    result = briefing(project, "diff", "--format", "json")
    assert result.returncode == 0, result.stderr
    edited = {e["id"]: e["fields"] for e in json.loads(result.stdout)["entries_edited"]}
    assert edited == {
        "a": {"body": ["Old text.", "New text."]},
        "b": {"source": ["The Hill", "The Hill Daily"]},
    }


def test_only_the_entries_that_differ_are_worked_out(tmp_path):
    # At 100,000 entries, working out every entry's shown fields on both sides took 14 s.
    write_tree(tmp_path, {f"content/entries/e{n}.md": entry(f"2015-04-{n + 1:02d}", "Hill", "Law", f"Claim {n}.") for n in range(20)})
    before = snapshot(compile_briefing(str(tmp_path / "content"), "content", Settings()), [])
    (tmp_path / "content/entries/e3.md").write_text(entry("2015-04-04", "Hill", "Law", "Claim 3, edited."))
    after = snapshot(compile_briefing(str(tmp_path / "content"), "content", Settings()), [])
    changes = compare(before, after)
    assert [e["id"] for e in changes.entries_edited] == ["e3"]
    assert len(before.entries) == 20 and before.entries._shown.keys() == after.entries._shown.keys() == {"e3"}


def test_the_work_trees_files_are_kept_for_the_next_run_not_the_bases(tmp_path):
    # The base's copies are read from a checkout (front_matter_store.py keeps only the content
    # folder's files): after a diff, a check finds every work-tree file as it was kept.
    project = history(tmp_path)
    env = {"BRIEFING_CACHE_DIR": str(tmp_path / "cache")}
    time.sleep(2.1)  # the files settle (front_matter_store.SETTLE_SECONDS)
    assert briefing(project, "diff", "HEAD", env=env).returncode == 0
    (store,) = (tmp_path / "cache").glob("front-matter-*.json")
    kept = json.loads(store.read_bytes())["files"]
    content = project / "content"
    statuses = {p.relative_to(content).as_posix(): p.stat() for p in content.rglob("*.md")}
    assert sorted(kept) == sorted(statuses) and len(kept) == 6
    for path, record in kept.items():
        status = statuses[path]
        assert record[:4] == [status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino], path
