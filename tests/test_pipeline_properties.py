"""Property: whatever the content, the whole pipeline keeps the trust contract.

Hypothesis writes content trees from hostile parts (YAML tags, anchors and aliases, duplicate
keys, control characters, names in many scripts, reserved names, odd file names, script in
bodies, files where generated pages go), and each tree goes through ``briefing check``, a
strict build and a plain build, with the real ``mkdocs``. For any tree:

- no traceback, anywhere;
- the strict build fails exactly when ``briefing check`` lists problems, and both list the same;
- every entry with no error of its own is published, and no other;
- feeds and JSON parse; linkchecker finds no broken internal link;
- an entry that names a rule or source lands on the one of that name, never on another.

CI runs a fixed sequence of examples (``derandomize``); set HYPOTHESIS_EXAMPLES for more.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.model import printable
from conftest import MKDOCS_YML, assert_no_broken_links, run_briefing, run_mkdocs, write_tree

CONFIG = MKDOCS_YML + "markdown_extensions:\n  - attr_list\n"

NAMES = [
    "Bank rules", "bank rules", "BANK  rules", "反恐怖主义法", "银行业信息安全规定", "قانون الإرهاب",
    "Закон", "🦀", "???", "C++ Weekly", "C Weekly", "Index", "index", "a#b", "a%b", "a?b", "a b",
    "Règlement", "Re\u0301glement", "x" * 150, "规" * 90, "../../etc/passwd", "<b>bold</b>",
]  # fmt: skip
FILE_NAMES = [
    "index", "x#y", "a%20b", "q?", "sp ace", "反恐", "الجزيرة", "🦀", "a,line=9::x", "e1", "e2", "E1",
    "feed.xml", "-", "_", "tab\tname",
]  # fmt: skip
HOSTILE_VALUES = [
    "!!int eleven", "!!timestamp 2015-02-30", "!!binary aGk=", "!custom x", "!!float x", "*anchor",
    "no", "0001", "[a, b]", "{a: 1}", "~", '"back\\bspace"', '"nul\\0"', '"\\ud800"', "''",
    "https://[host/x",
]  # fmt: skip
BODIES = [
    "", "Plain text.", "[x](javascript:alert(1))", "<script>alert(1)</script>", "<b onclick='x'>b</b>",
    "<!-- briefing-held 0 -->\n\nafter", "[[Bank rules]]", "[[no such rule]]", "[[反恐怖主义法]]",
]  # fmt: skip
COLLISIONS = {
    "content/timeline.md": "# Mine\n", "content/rules.md": "# Mine\n", "content/feed.xml": "<x/>",
    "content/entries.json": "{}", "content/rules/index.md": "Intro.\n",
}  # fmt: skip


def quoted(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)  # YAML reads JSON strings, escapes included


@dataclass
class EntrySpec:
    file_name: str
    lines: list[str]
    body: str
    rule_name: str | None  # the name written, when it is plain text
    source_name: str | None
    draft: bool = False


@dataclass
class Tree:
    entries: list[EntrySpec]
    rule_files: dict[str, str] = field(default_factory=dict)  # file stem -> title
    collisions: list[str] = field(default_factory=list)

    def entry_paths(self) -> dict[str, EntrySpec]:
        """Each entry in a folder of its own: one file name twice is a duplicate id."""
        return {f"content/entries/f{n}/{spec.file_name}.md": spec for n, spec in enumerate(self.entries)}

    def files(self) -> dict[str, str]:
        out: dict[str, str] = {"content/index.md": "# Home\n"}
        for rel, spec in self.entry_paths().items():
            out[rel] = "---\n" + "\n".join(spec.lines) + "\n---\n" + spec.body + "\n"
        for stem, title in self.rule_files.items():
            out[f"content/rules/{stem}.md"] = f"---\ntitle: {quoted(title)}\n---\n"
        for path in self.collisions:
            out[path] = COLLISIONS[path]
        return out


@st.composite
def entry_specs(draw) -> EntrySpec:
    def name_value() -> tuple[str, str | None]:
        if draw(st.integers(0, 4)) == 0:
            return draw(st.sampled_from(HOSTILE_VALUES)), None
        name = draw(st.sampled_from(NAMES) | st.text(min_size=1, max_size=12))
        return quoted(name), name

    rule_value, rule_name = name_value()
    source_value, source_name = name_value()
    date = draw(st.sampled_from(["2015", "2015-04", "2015-04-13", "'2015-02-30'", "!!timestamp 2015-02-30", "0001"]))
    claim = draw(st.sampled_from([quoted("A claim."), quoted("规定暂停。"), '"back\\bspace"', "!!int eleven", "*anchor"]))
    lines = ["a: &anchor [x, x]"] if "*anchor" in (rule_value, source_value, claim) else []
    lines += [f"date: {date}", f"source: {source_value}", f"rule: {rule_value}", f"claim: {claim}"]
    extras = draw(st.lists(st.sampled_from([
        "status: paused", "status: adopted", "status: paused-ish", "by: no", "url: https://[host/x",
        "url: 'https://a.org/x y'", "url: https://example.org/ok", "contradicts: e1", "draft: true",
        "tags: [x, y]", "rule: duplicate", "souce: typo", '"k,line=1::x": 1',
    ]), max_size=3, unique=True))  # fmt: skip
    lines += extras
    file_name = draw(st.sampled_from(FILE_NAMES) | st.text(
        st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=10
    ).filter(lambda s: not s.startswith(".") and len(s.encode()) < 80))
    return EntrySpec(file_name, lines, draw(st.sampled_from(BODIES)), rule_name, source_name, "draft: true" in extras)


trees = st.builds(
    Tree,
    entries=st.lists(entry_specs(), min_size=1, max_size=4),
    rule_files=st.dictionaries(st.sampled_from(["bank", "a#b", "反恐", "index-rule", "x y"]), st.sampled_from(NAMES), max_size=2),
    collisions=st.lists(st.sampled_from(sorted(COLLISIONS)), max_size=2, unique=True),
)  # fmt: skip


def key(name: str) -> str:
    """How the briefing compares names: case, spacing and Unicode form aside."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def unescape_property(value: str) -> str:
    return unquote(value)  # the workflow-command escapes are percent-escapes


def error_files(github_output: str) -> set[str]:
    """The files with an error (left out of a plain build), from ``check --format github``."""
    files = set()
    for line in github_output.splitlines():
        if line.startswith("::error file="):
            files.add(unescape_property(line.removeprefix("::error file=").split(",line=", 1)[0]))
    return files


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "5")),
    derandomize=bool(os.environ.get("CI")) or "HYPOTHESIS_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(trees)
# Found by this test: a file name holding U+001C, which splitlines takes for a line break;
# one file name in two folders (a duplicate id), one of them valid; an unknown [[link]] (a
# warning: the entry is published) beside a file with an error.
@example(Tree([
    EntrySpec("\x1c«", ["date: 2015", 'source: "S"', 'rule: "R"', 'claim: "C."'], "", "R", "S"),
    EntrySpec("ok\u2028", ["date: 2015", 'source: "S"', 'rule: "R"', 'claim: "C."'], "", "R", "S"),
]))
@example(Tree([
    EntrySpec("index", ["date: 2015", "source: !!int eleven", 'rule: "R"', 'claim: "C."'], "", "R", None),
    EntrySpec("index", ["date: 2015", 'source: "Bank rules"', 'rule: "Bank rules"', 'claim: "C."'],
              "[[反恐怖主义法]]", "Bank rules", "Bank rules"),
    EntrySpec("x#y", ["date: 2015", 'source: "Bank rules"', 'rule: "Bank rules"', 'claim: "C."'],
              "[[no such rule]]", "Bank rules", "Bank rules"),
]))
def test_the_pipeline_keeps_the_trust_contract_for_any_content(tree: Tree):
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        write_tree(project, {"mkdocs.yml": CONFIG})
        for rel, text in tree.files().items():  # written as is: no dedent of hostile text
            path = project / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

        check = run_briefing(project, "check")
        github = run_briefing(project, "check", "--format", "github")
        strict = run_mkdocs(project, "--strict")
        for output in (check.stdout + check.stderr, github.stdout + github.stderr, strict.log):
            assert "Traceback" not in output, output[-3000:]
        problems = check.stdout.splitlines()
        assert check.returncode == (1 if problems else 0), check.stderr
        assert (strict.returncode == 1) == bool(problems), (problems, strict.log[-3000:])
        reported = sorted(w.split("-  ", 1)[1] for w in strict.warnings())
        assert reported == sorted(problems)

        plain = run_mkdocs(project)
        assert plain.returncode == 0 and "Traceback" not in plain.log, plain.log[-3000:]
        data = plain.json("/entries.json")
        for feed in plain.site.rglob("feed.xml"):
            ET.parse(feed)

        # Every entry without an error of its own is published, and no other.
        errors = error_files(github.stdout)
        expected = {
            spec.file_name for rel, spec in tree.entry_paths().items()
            if printable(rel) not in errors and not spec.draft
        }  # fmt: skip
        assert {e["id"] for e in data["entries"]} == expected, (errors, problems)

        # A name lands on the rule or source of that name (or that id), never on another.
        by_id = {e["id"]: e for e in data["entries"]}
        for spec in tree.entries:
            published = by_id.get(spec.file_name)
            if published is None or spec.rule_name is None:
                continue
            rule_id = published["rules"][0]
            assert key(spec.rule_name) in (key(data["rules"][rule_id]["title"]), key(rule_id)), (spec, data["rules"])
            if spec.source_name is not None:
                source_id = published["source"]
                assert key(spec.source_name) in (key(data["sources"][source_id]["name"]), key(source_id))

        assert_no_broken_links(plain.site)
