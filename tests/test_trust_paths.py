"""Trust, second round: nothing from outside the project is published, names can't capture or
forge, and options are what they say. One build per class, the site's files read back."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import entry, run_mkdocs, write_tree

SECRET = "TOKEN-ghp-not-for-readers"
CONFIG = """\
site_name: T
docs_dir: content
theme:
  name: material
plugins:
  - search
  - briefing:
      overrides: timeline
"""


def project(tmp_path: Path, config: str = CONFIG) -> Path:
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET)
    (outside / "folder" / "inner.txt").write_text(SECRET)
    (outside / "template.html").write_text(SECRET)
    root = tmp_path / "project"
    write_tree(root, {
        "mkdocs.yml": config,
        "content/entries/a.md": entry("2015", "Hill", "bank", "A claim."),
        "content/inside.txt": "published as usual",
        "timeline/site.css": "body { color: black }",
    })  # fmt: skip
    return root


def published(site: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())


def test_links_out_of_the_project_are_left_out_and_reported(tmp_path):
    root = project(tmp_path)
    os.symlink(tmp_path / "outside" / "secret.txt", root / "content" / "notes.txt")
    os.symlink(tmp_path / "outside" / "folder", root / "content" / "linked")
    os.symlink("../../.git/config", root / "content" / "git-config")  # to nothing here: left out too
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n")
    os.symlink("../.git/config", root / "content" / "checkout-config")  # inside the project, but .git
    os.symlink(tmp_path / "outside" / "secret.txt", root / "timeline" / "evil.css")
    os.symlink("/nonexistent", root / "timeline" / "gone.css")
    (root / "timeline" / "dir.css").mkdir()
    os.symlink(tmp_path / "outside" / "template.html", root / "timeline" / "entry.html")
    (root / "timeline" / "locales").mkdir()
    os.symlink(tmp_path / "outside" / "secret.txt", root / "timeline" / "locales" / "en.yml")
    os.symlink("../inside.txt", root / "content" / "entries" / "link-inside.txt")  # inside: kept
    strict = run_mkdocs(root, "--strict")
    plain = run_mkdocs(root)
    assert plain.returncode == 0, plain.log
    assert SECRET not in published(plain.site)
    assert (plain.site / "entries" / "link-inside.txt").read_text() == "published as usual"
    warnings = strict.warnings()
    for name in ("content/notes.txt", "content/linked/inner.txt", "content/git-config", "content/checkout-config", "timeline/evil.css",
                 "timeline/gone.css", "timeline/dir.css", "timeline/entry.html", "timeline/locales/en.yml"):
        assert sum(f" {name}:1:" in w for w in warnings) == 1, (name, warnings)
    assert strict.returncode != 0
    assert "Traceback" not in strict.log + plain.log


def test_option_paths_outside_the_project_are_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    root = project(tmp_path, CONFIG.replace("overrides: timeline", "overrides: ../elsewhere"))
    build = run_mkdocs(root)
    assert build.returncode == 1 and "Traceback" not in build.log
    assert "overrides: '" in build.log and "outside the project folder" in build.log
    root2 = tmp_path / "p2"
    write_tree(root2, {"mkdocs.yml": CONFIG.replace("      overrides: timeline\n", "      language: ../../outside/secret\n"),
                       "content/entries/a.md": entry("2015", "Hill", "bank", "A.")})  # fmt: skip
    build = run_mkdocs(root2, "--strict")
    assert build.returncode == 1
    assert any("language: '../../outside/secret' is not a language code" in w for w in build.warnings())


def test_a_broken_override_template_is_a_problem_not_a_crash(tmp_path):
    root = project(tmp_path)
    (root / "timeline" / "rule.html").write_text("{% if b %}\nunclosed\n")
    strict = run_mkdocs(root, "--strict")
    plain = run_mkdocs(root)
    assert plain.returncode == 0 and "Traceback" not in plain.log
    assert any("timeline/rule.html:" in w and "packaged template is used" in w for w in strict.warnings())
    assert (plain.site / "rules" / "bank" / "index.html").exists()


def test_file_names_with_control_characters_are_refused(tmp_path):
    root = project(tmp_path)
    forged = "b\n::error file=README.md,line=1::forged"
    (root / "content" / "entries" / f"{forged}.md").write_text(entry("2015", "Hill", "bank", "B."))
    (root / "content" / "entries" / "c\u2028d.md").write_text(entry("2015", "Hill", "bank", "C."))
    build = run_mkdocs(root)
    assert build.returncode == 0
    # No line of the log starts a workflow command: the name is written with \\u000a.
    assert not [line for line in build.log.splitlines() if line.startswith("::")]
    assert sum("the file name has a control character" in w for w in build.warnings()) == 2
    assert not (build.site / "entries" / forged).exists()


def test_an_alias_never_captures_another_rules_id(tmp_path):
    root = project(tmp_path)
    write_tree(root, {
        "content/rules/us-pafaca.md": "---\ntitle: Protecting Americans from Foreign Adversary Controlled Applications Act\n---\n",
        "content/rules/z-capture.md": "---\ntitle: Capture\naliases: [us-pafaca, other]\n---\n",
        "content/entries/b.md": entry("2024", "Hill", "us-pafaca", "Signed.", status="adopted"),
    })  # fmt: skip
    build = run_mkdocs(root)
    data = build.json("/entries.json")
    assert {e["id"]: e["rules"] for e in data["entries"]}["b"] == ["us-pafaca"]
    (warning,) = [w for w in build.warnings() if "us-pafaca" in w]
    assert "content/rules/z-capture.md:" in warning and "aliases" in warning


def test_every_option_is_validated_and_the_error_names_it():
    from briefing.options import BriefingConfig

    bad = {
        "split_above": -1, "dispute_window_days": -5, "state_of_play_claims": -1, "concurrency": -1,
        "nav_list_limit": 1.5,
    }  # fmt: skip
    for option, value in bad.items():
        config = BriefingConfig()
        config.load_dict({option: value})
        failed, _ = config.validate()
        assert [name for name, _ in failed] == [option], option
        assert "must be a whole number of at least" in str(failed[0][1])
    for statuses, why in (([], "at least one"), (["a", "a"], "listed twice"), (["a/b"], "not a status id"),
                          (["<b>"], "not a status id"), (["disputed"], "shows itself")):
        config = BriefingConfig()
        config.load_dict({"statuses": statuses})
        failed, _ = config.validate()
        assert [name for name, _ in failed] == ["statuses"] and why in str(failed[0][1]), statuses
    config = BriefingConfig()
    config.load_dict({"statuses": ["draft-bill", "law"], "split_above": 1, "concurrency": 0})
    assert config.validate() == ([], [])


def test_entry_names_that_differ_only_by_case_or_unicode_form_are_reported(tmp_path):
    from briefing.compiled import Settings, compile_briefing

    write_tree(tmp_path, {
        "content/entries/Foo.md": entry("2015", "Hill", "bank", "One."),
        "content/entries/foo.md": entry("2015", "Hill", "bank", "Two."),
        "content/entries/caf\u00e9.md": entry("2015", "Hill", "bank", "Three."),
        "content/entries/2016/cafe\u0301.md": entry("2016", "Hill", "bank", "Four."),
    })  # fmt: skip
    briefing = compile_briefing(str(tmp_path / "content"), "content", Settings())
    found = [str(p) for p in briefing.problems if "only by case or Unicode form" in p.message]
    assert len(found) == 2, found
    assert len(briefing.entries) == 4  # reported, not dropped: nothing valid is lost


def test_hostile_markdown_is_bounded_in_check_and_build(tmp_path):
    import time

    nested = "".join("    " * i + "- x\n" for i in range(300))
    bodies = {"nested": nested, "brackets": "[" * 16000, "images": "![" * 8000, "footnotes": "[^" * 8000, "tags": "<a " * 5000}
    root = project(tmp_path)
    write_tree(root, {f"content/entries/{name}.md": entry("2015", "Hill", "bank", f"{name}.", body=body) for name, body in bodies.items()})
    start = time.perf_counter()
    strict = run_mkdocs(root, "--strict")
    plain = run_mkdocs(root)
    assert time.perf_counter() - start < 60
    assert plain.returncode == 0 and "Traceback" not in plain.log + strict.log
    for name in bodies:
        assert any(f"content/entries/{name}.md:" in w and "shown as plain text" in w for w in strict.warnings()), name
        assert plain.article(f"/entries/{name}/").select_one("pre.briefing-unformatted") is not None
    assert any("nested.md:" in w and "nested 299 levels deep" in w and "at most 32" in w for w in strict.warnings())


def test_one_entry_or_one_period_cannot_stall_the_build(tmp_path):
    import time

    from briefing.compiled import Settings, compile_briefing

    many = "[" + ", ".join(f"rule {i}" for i in range(5000)) + "]"
    write_tree(tmp_path, {"content/entries/many.md": entry("2015", "Hill", many, "Names 5,000 rules.")})
    start = time.perf_counter()
    briefing = compile_briefing(str(tmp_path / "content"), "content", Settings())
    assert time.perf_counter() - start < 5
    (problem,) = briefing.problems
    assert str(problem).startswith("content/entries/many.md:4: rule: names 5000 rules; a claim may be about at most 100")
    month = tmp_path / "month"
    write_tree(month, {
        f"content/entries/e{i}.md": entry("2015-04", f"Source {i % 7}", "bank", f"Claim {i}.", status=["paused", "adopted", "in-force"][i % 3])
        for i in range(1000)
    })  # fmt: skip
    start = time.perf_counter()
    briefing = compile_briefing(str(month / "content"), "content", Settings())
    assert time.perf_counter() - start < 10
    rule = briefing.rule_briefings["bank"]
    assert rule.disputed and len(rule.disputes) <= 8 * 1000  # linear in the claims, not their pairs


def test_catalog_texts_are_validated_as_templates(tmp_path):
    root = project(tmp_path)
    write_tree(root, {"timeline/locales/en.yml": (
        'heading_claims: "{count:d} claims"\n'
        'heading_disputes: "{} disputes"\n'
        'claims_count:\n  other: "{count:200000000}"\n'
    )})  # fmt: skip
    import time

    start = time.perf_counter()
    build = run_mkdocs(root, "--strict")
    assert time.perf_counter() - start < 60 and "Traceback" not in build.log
    for line, text in ((1, "{count:d}"), (2, "{}"), (3, "{count:200000000}")):
        assert any(f"timeline/locales/en.yml:{line}:" in w and f"has {text}:" in w for w in build.warnings()), text
