"""The `briefing` command: check without building, and new entries that are valid from the start."""

import os
import subprocess
import sys
from pathlib import Path

from conftest import MKDOCS_YML, REPO, entry, run_mkdocs, write_tree

BRIEFING = [sys.executable, "-m", "briefing.cli"]


def briefing(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BRIEFING, *args], cwd=cwd, capture_output=True, text=True, input=stdin, timeout=60
    )


def test_check_passes_on_the_example():
    result = briefing(REPO, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "OK: 17 entries, 3 rules, 8 sources" in result.stderr


def test_check_reports_what_the_build_reports(tmp_path):
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML,
        "content/index.md": "# Home\n\nSee [[nowhere]].\n",
        "content/entries/good.md": entry("2015", "Hill", "bank", "Fine."),
        "content/entries/bad.md": entry("2015-02-30", "Hill", "bank", "Bad date.", tgas="[x]"),
    })
    result = briefing(tmp_path, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "content/entries/bad.md:2: date: '2015-02-30' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)",
        "content/entries/bad.md:6: tgas: unknown field (did you mean 'tags'?)",
        "content/index.md:3: [[link]]: 'nowhere' is not a rule (use a rule id, title or alias)",
    ]
    build = run_mkdocs(tmp_path, "--strict")
    reported = {line.split("-  ", 1)[1] for line in build.warnings()}
    assert set(lines[:2]) <= reported
    assert "content/index.md: [[link]]" not in build.log  # (sanity: the build names a line)


def test_check_github_annotations(tmp_path):
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML,
        "content/entries/x.md": "---\ndate: 2015\nsource: Hill\nrule: bank\nclaim:\n---\n",
    })
    result = briefing(tmp_path, "check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/entries/x.md,line=5,title=claim::is empty (write the text after the colon)"
    ]


def test_check_without_a_config_is_one_line(tmp_path):
    result = briefing(tmp_path, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: mkdocs.yml: cannot be read (No such file or directory); run this in the site's folder or pass --config"
    ]


def test_new_writes_a_valid_entry_and_refuses_to_overwrite(tmp_path):
    write_tree(tmp_path, {"mkdocs.yml": MKDOCS_YML, "content/entries/old.md": entry("2015", "Hill", "bank", "Old.")})
    args = ["new", "--date", "2015-04", "--source", "The Hill", "--rule", "bank",
            "--claim", "China has paused: the rules.", "--status", "paused"]
    first = briefing(tmp_path, *args)
    assert first.returncode == 0, first.stderr
    path = first.stdout.strip()
    assert path == "content/entries/2015/china-has-paused-the-rules.md"
    text = (tmp_path / path).read_text()
    assert text.startswith("---\ndate: 2015-04\nsource: The Hill\nrule: bank\nclaim: 'China has paused: the rules.'\nstatus: paused\n---\n")
    assert briefing(tmp_path, "check").returncode == 0
    again = briefing(tmp_path, *args)
    assert again.returncode == 1 and "exists already" in again.stderr
    assert (tmp_path / path).read_text() == text


def test_new_prompts_for_what_is_missing_and_offers_existing_names(tmp_path):
    write_tree(tmp_path, {"mkdocs.yml": MKDOCS_YML, "content/entries/old.md": entry("2015", "Hill", "bank", "Old.")})
    result = briefing(tmp_path, "new", "--id", "prompted", stdin="hill\nbank\nA claim typed at the prompt.\n")
    assert result.returncode == 0, result.stderr
    assert "Sources: hill (or a new name)" in result.stderr
    assert "Rules: bank (or a new name)" in result.stderr
    written = tmp_path / result.stdout.strip().splitlines()[-1]
    assert written.name == "prompted.md"
    assert "claim: A claim typed at the prompt." in written.read_text()


def test_new_refuses_invalid_values_before_writing(tmp_path):
    write_tree(tmp_path, {"mkdocs.yml": MKDOCS_YML, "content/index.md": "# Home\n"})
    result = briefing(tmp_path, "new", "--source", "S", "--rule", "r", "--claim", "C.", "--status", "maybe")
    assert result.returncode == 1
    assert "status: 'maybe' is not a status" in result.stderr
    assert not (tmp_path / "content" / "entries").exists()


def test_schema_command_prints_an_existing_file():
    result = briefing(REPO, "schema", "rule")
    assert result.returncode == 0 and os.path.isfile(result.stdout.strip())
