"""The `briefing` command: check without building, and new entries that are valid from the start."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MKDOCS_YML, REPO, entry, run_briefing, run_mkdocs, write_tree


def briefing(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return run_briefing(cwd, *args, stdin=stdin)


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
    assert build.returncode == 1
    assert sorted(line.split("-  ", 1)[1] for line in build.warnings()) == lines


CONFIG_CASES = {
    # docs_dir from the environment, as MkDocs reads it: check reads the same folder.
    "docs_dir from !ENV": (MKDOCS_YML.replace("docs_dir: content", "docs_dir: !ENV [BRIEFING_DOCS, content]"), None),
    # A string where the plugin wants a list: both refuse it, nobody splits it into letters.
    "statuses as a string": (MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      statuses: paused\n"), "statuses"),
    "window not a number": (MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      dispute_window_days: soon\n"), "dispute_window_days"),
    "unknown plugin option": (MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      statusses: [a]\n"), "statusses"),
    "unknown top-level key": (MKDOCS_YML + "site_nmae: Oops\n", "site_nmae"),
    "directory urls off": (MKDOCS_YML + "use_directory_urls: false\n", "use_directory_urls"),
}


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
def test_check_and_build_agree_on_the_configuration(tmp_path, case):
    config, named = CONFIG_CASES[case]
    write_tree(tmp_path, {
        "mkdocs.yml": config,
        "content/entries/a.md": entry("2015", "Hill", "bank", "A claim.", status="paused"),
    })  # fmt: skip
    result = briefing(tmp_path, "check")
    build = run_mkdocs(tmp_path, "--strict")
    assert "Traceback" not in result.stderr + build.log
    assert (result.returncode == 0) == (build.returncode == 0), (result.stdout + result.stderr, build.log)
    if named is None:
        assert result.returncode == 0, result.stderr
        assert "OK: 1 entries" in result.stderr
    else:
        assert result.returncode == 1
        assert named in result.stdout + result.stderr
        assert "p, a, u" not in result.stdout + result.stderr


def test_check_github_annotations(tmp_path):
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML,
        "content/entries/x.md": "---\ndate: 2015\nsource: Hill\nrule: bank\nclaim:\n---\n",
    })
    result = briefing(tmp_path, "check", "--format", "github")
    assert result.returncode == 1
    assert ours(result.stdout) == [
        "::error file=content/entries/x.md,line=5,title=claim::is empty (write the text after the colon)"
    ]


def ours(stdout: str) -> list[str]:
    """The annotations: after the load, which runs with workflow commands off."""
    lines = stdout.splitlines()
    start, token = lines[0], lines[0].removeprefix("::stop-commands::")
    assert start.startswith("::stop-commands::") and len(token) == 32
    return lines[lines.index(f"::{token}::") + 1 :]


def test_whatever_loading_prints_runs_with_workflow_commands_off(tmp_path):
    # A hook that prints a forged annotation while MkDocs loads the site: inert, between
    # ::stop-commands:: and the token that turns commands back on.
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML + "hooks:\n  - hook.py\n",
        "hook.py": "def on_config(config):\n    print('::error file=README.md::forged')\n",
        "content/entries/x.md": entry("2015", "Hill", "bank", "C."),
    })  # fmt: skip
    result = briefing(tmp_path, "check", "--format", "github")
    lines = result.stdout.splitlines()
    forged = lines.index("::error file=README.md::forged")
    token = lines[0].removeprefix("::stop-commands::")
    assert 0 < forged < lines.index(f"::{token}::")


def test_annotations_cannot_be_forged_by_file_names_or_keys(tmp_path):
    folder = "a,line=999,title=X::fake"
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML,
        f"content/entries/{folder}/b%0A::error::x.md": entry("2015", "S", "r", "C.", **{'"k,line=1::x"': "1"}),
    })  # fmt: skip
    result = briefing(tmp_path, "check", "--format", "github")
    assert result.returncode == 1
    (line,) = ours(result.stdout)
    # ::<command> <properties>::<message>, with no "::" left inside the properties.
    parsed = re.fullmatch(r"::(\w+) (.*?)::(.*)", line)
    assert parsed is not None, line
    command, properties, message = parsed.groups()
    assert command == "warning"
    assert [p.split("=", 1)[0] for p in properties.split(",")] == ["file", "line", "title"]
    assert "line=6" in properties.split(",")
    assert line.count("::") == 2 and message.startswith("unknown field")


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
            "--claim", "China has paused: the rules.", "--status", "paused", "--yes"]
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
    result = briefing(tmp_path, "new", "--source", "S", "--rule", "r", "--claim", "C.", "--status", "maybe", "--yes")
    assert result.returncode == 1
    assert "status: 'maybe' is not a status" in result.stderr
    assert not (tmp_path / "content" / "entries").exists()


def test_new_never_ends_in_a_traceback(tmp_path):
    write_tree(tmp_path, {"mkdocs.yml": MKDOCS_YML, "content/entries/2015": "a file where a folder goes"})
    args = ["new", "--source", "S", "--rule", "r", "--yes"]
    blocked = briefing(tmp_path, *args, "--date", "2015", "--claim", "A claim.")
    assert blocked.returncode == 1 and "Traceback" not in blocked.stderr
    assert "content/entries/2015 is a file, not a folder" in blocked.stderr
    long_claim = briefing(tmp_path, *args, "--date", "2016", "--claim", "规" * 400)
    assert long_claim.returncode == 0, long_claim.stderr
    assert len(Path(long_claim.stdout.strip()).name.encode()) <= 110
    bad_url = briefing(tmp_path, *args, "--date", "2016", "--claim", "X.", "--url", "https://[h/x")
    assert bad_url.returncode == 1 and "Traceback" not in bad_url.stderr
    assert "url: 'https://[h/x' is not a well-formed link" in bad_url.stderr


def test_new_asks_before_a_new_rule_or_source_and_writes_after(tmp_path):
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML,
        "content/sources/reuters.md": "---\nname: Reuters\n---\n",
        "content/entries/old.md": entry("2015", "Reuters", "bank", "Old."),
    })  # fmt: skip
    typo = briefing(tmp_path, "new", "--source", "Reutres", "--rule", "bank", "--claim", "New.")
    assert typo.returncode == 1 and "Traceback" not in typo.stderr
    assert "'Reutres' is a new source (did you mean 'Reuters'?); pass --yes" in typo.stderr
    assert not (tmp_path / "content" / "entries" / str(__import__("datetime").date.today().year)).exists()
    declined = briefing(tmp_path, "new", "--source", "Reutres", "--rule", "bank", "--claim", "New.", stdin="n\n")
    assert declined.returncode == 1 and "did you mean 'Reuters'?" in declined.stderr and "no entry written" in declined.stderr
    accepted = briefing(tmp_path, "new", "--source", "Le Monde", "--rule", "bank", "--claim", "Meant.", "--date", "2015", stdin="y\n")
    assert accepted.returncode == 0, accepted.stderr
    assert "'Le Monde' is a new source; create it?" in accepted.stderr
    unknown = briefing(tmp_path, "new", "--source", "Reuters", "--rule", "bank", "--claim", "New.", "--after", "nope")
    assert unknown.returncode == 1 and "'nope' is not an entry id" in unknown.stderr
    made = briefing(tmp_path, "new", "--source", "reuters", "--rule", "bank", "--claim", "Later.", "--after", "old", "--date", "2015")
    assert made.returncode == 0, made.stderr
    assert "\nafter: old\n" in (tmp_path / made.stdout.strip()).read_text()
    assert briefing(tmp_path, "check").returncode == 0


def test_schema_command_prints_an_existing_file():
    result = briefing(REPO, "schema", "rule")
    assert result.returncode == 0 and os.path.isfile(result.stdout.strip())


def test_the_installed_command_leaves_without_a_last_collection():
    """Python's final garbage collection walked everything a check made (2.3 s at 100,000
    entries) to free what leaving frees anyway: the installed command freezes it first."""
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "briefing"]
    assert script.value == "briefing.cli:run"
    # atexit runs the last registered first: this handler, registered before the command's, sees it done.
    code = (
        "import atexit, gc, sys; atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0)); "
        "sys.argv = ['briefing', '--help']; from briefing.cli import run; run()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "frozen True"
