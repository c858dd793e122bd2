"""Bad input: one clear line naming file, line and field; strict fails; nothing valid dropped."""

import pytest

from conftest import entry

GOOD = entry("2015-04", "Hill", "bank", "A valid claim.")

BAD_ENTRIES = {
    "bad date": (
        entry("2015-02-30", "Hill", "bank", "Claim."),
        "content/entries/bad.md:2: date: '2015-02-30' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)",
    ),
    "long year": (
        entry("20155-02-18", "Hill", "bank", "Claim."),
        "content/entries/bad.md:2: date: '20155-02-18' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)",
    ),
    "missing claim": (
        "---\ndate: 2015\nsource: Hill\nrule: bank\n---\n",
        "content/entries/bad.md:1: claim: is required (add 'claim: One sentence saying what is claimed.')",
    ),
    "empty source": (
        "---\ndate: 2015\nsource:\nrule: bank\nclaim: C.\n---\n",
        "content/entries/bad.md:3: source: is empty (write the text after the colon)",
    ),
    "list for claim": (
        "---\ndate: 2015\nsource: Hill\nrule: bank\nclaim:\n  - one\n  - two\n---\n",
        "content/entries/bad.md:5: claim: must be plain text, not a list",
    ),
    "rule as a mapping": (
        "---\ndate: 2015\nsource: Hill\nrule: {id: bank}\nclaim: C.\n---\n",
        "content/entries/bad.md:4: rule: each item must be plain text, not a mapping",
    ),
    "malformed yaml": (
        "---\ndate: 2015\nsource: 'Hill\nrule: bank\nclaim: C.\n---\n",
        "content/entries/bad.md:",
    ),
    "no front-matter": (
        "Just text.\n",
        "content/entries/bad.md:1: has no front-matter (start the file with a '---' line, the fields, then '---')",
    ),
    "misspelt required key": (
        "---\ndate: 2015\nsouce: Hill\nrule: bank\nclaim: C.\n---\n",
        "content/entries/bad.md:3: souce: unknown field (did you mean 'source'?)",
    ),
    "status outside the vocabulary": (
        entry("2015", "Hill", "bank", "C.", status="paused-ish"),
        "content/entries/bad.md:6: status: 'paused-ish' is not a status (did you mean 'paused'?)",
    ),
    "javascript url": (
        entry("2015", "Hill", "bank", "C.", url="javascript:alert(1)"),
        "content/entries/bad.md:6: url: 'javascript:alert(1)' is not an http(s) link",
    ),
    "tab in the indentation": (
        "---\ndate: 2015\nsource: Hill\nrule:\n\t- bank\nclaim: C.\n---\n",
        "content/entries/bad.md:5: front-matter is indented with a tab; indent with spaces",
    ),
    "yaml reads no as false": (
        entry("2015", "Hill", "bank", "C.", by="no"),
        "content/entries/bad.md:6: by: YAML reads 'no' as false; put it in quotes to mean the text",
    ),
    "a number that is no date": (
        entry("0x7DF", "Hill", "bank", "C."),
        "content/entries/bad.md:2: date: '0x7DF' is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)",
    ),
    "not utf-8": (
        b"---\ndate: 2015\nsource: H\xe9ll\nrule: bank\nclaim: C.\n---\n",
        "content/entries/bad.md:3: is not UTF-8 text (byte 0xe9); save the file as UTF-8",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ENTRIES))
def test_bad_entry_is_one_line_fails_strict_and_is_left_out_otherwise(build_site, case):
    text, message = BAD_ENTRIES[case]
    files = {"content/entries/good.md": GOOD, "content/entries/bad.md": text}

    strict = build_site(files, "--strict")
    assert strict.returncode == 1
    assert "Traceback" not in strict.log
    ours = [w for w in strict.warnings() if "content/" in w]
    assert len(ours) == 1, strict.log
    assert message in ours[0], strict.log

    lenient = build_site(files)
    assert lenient.returncode == 0, lenient.log
    assert "Traceback" not in lenient.log
    assert lenient.exists("/entries/good/")
    assert not lenient.exists("/entries/bad/")
    assert [e["id"] for e in lenient.json("/entries.json")["entries"]] == ["good"]


def test_unknown_optional_key_warns_but_keeps_the_entry(build_site):
    files = {"content/entries/a.md": entry("2015", "Hill", "bank", "C.", tgas="[x]")}
    strict = build_site(files, "--strict")
    assert strict.returncode == 1
    assert "content/entries/a.md:6: tgas: unknown field (did you mean 'tags'?)" in strict.log
    lenient = build_site(files)
    assert lenient.returncode == 0 and lenient.exists("/entries/a/")


def test_bom_and_crlf_are_read_like_any_file(build_site):
    text = "\ufeff" + entry("2015-04-13", "Hill", "bank", "Windows claim.").replace("\n", "\r\n")
    build = build_site({"content/entries/win.md": text.encode("utf-8")}, "--strict")
    assert build.returncode == 0, build.log
    assert build.html("/entries/win/").find("h1").get_text() == "Windows claim."


def test_contradicts_naming_no_entry(build_site):
    files = {"content/entries/a.md": entry("2015", "Hill", "bank", "C.", contradicts="ghost")}
    build = build_site(files, "--strict")
    assert build.returncode == 1
    assert (
        "content/entries/a.md:6: contradicts: 'ghost' is not an entry id "
        "(use the file name of the entry, without .md)"
    ) in build.log


def test_duplicate_entry_ids_in_different_folders(build_site):
    files = {
        "content/entries/2014/same.md": entry("2014", "Hill", "bank", "First."),
        "content/entries/2015/same.md": entry("2015", "Hill", "bank", "Second."),
    }
    build = build_site(files, "--strict")
    assert build.returncode == 1
    assert "content/entries/2015/same.md:1: entry id 'same' is already used by content/entries/2014/same.md" in build.log
    lenient = build_site(files)
    assert lenient.html("/entries/same/").find("h1").get_text() == "First."


def test_part_of_cycle_is_reported(build_site):
    files = {
        "content/rules/a.md": "---\ntitle: A\npart_of: b\n---\n",
        "content/rules/b.md": "---\ntitle: B\npart_of: a\n---\n",
    }
    build = build_site(files, "--strict")
    assert build.returncode == 1
    assert "content/rules/a.md:3: part_of: rules are part of each other (a -> b -> a)" in build.log


def test_path_like_names_get_safe_slugs(build_site):
    files = {"content/entries/a.md": entry("2015", "'../../../outside'", "'/etc/passwd'", "C.")}
    build = build_site(files, "--strict")
    assert build.returncode == 0, build.log
    assert build.exists("/sources/outside/") and build.exists("/rules/etc-passwd/")
    project = build.site.parent
    assert not (project.parent / "outside").exists()
    assert sorted(p.name for p in project.iterdir()) == ["content", "mkdocs.yml", "site"]
