"""A save applied to the compiled briefing (edits.py) equals compiling everything again.

Hypothesis edits one or two claims of a small briefing at a time (wording, status, date, source,
rules, tags, contradictions, and edits that reach further: an ``after:``, a ``[[link]]``, a rule
no file defines, a broken date). After each save, either ``apply_edits`` declines (None) or
what every page and data file shows (page_inputs.py) equals a whole compile's, and every page
whose inputs changed is among those it names as changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import page_inputs
from briefing.compiled import Briefing, Settings, compile_briefing
from briefing.edits import apply_edits
from briefing.reader import DocumentCache
from conftest import write_tree

RULES = {
    "bank": "---\ntitle: Bank rules\njurisdiction: China\n---\n",
    "law": "---\ntitle: The law\npart_of: bank\njurisdiction: China\n---\n",
    "tax": "---\ntitle: Tax code\njurisdiction: France\n---\n",
}
SOURCES = {"hill": "---\nname: The Hill\n---\n", "wire": "---\nname: Wire\n---\n"}
STATUSES = ["proposed", "adopted", "paused", "in-force", None]


def claim(date: str, source: str, rules: list[str], text: str, status=None, tags=(), contradicts=(), extra=None) -> dict:
    fields = {"date": date, "source": source, "rule": rules, "claim": text}
    if status:
        fields["status"] = status
    if tags:
        fields["tags"] = list(tags)
    if contradicts:
        fields["contradicts"] = list(contradicts)
    fields.update(extra or {})
    return fields


START = {
    "e1": claim("2014-11", "hill", ["bank"], "Drafted.", "proposed", ["banks"]),
    "e2": claim("2015-01-10", "wire", ["bank", "law"], "Adopted.", "adopted", ["banks", "law"]),
    "e3": claim("2015-01-20", "hill", ["bank"], "Paused.", "paused", contradicts=["e2"]),
    "e4": claim("2015", "wire", ["law"], "In force.", "in-force"),
    "e5": claim("2015-01-25", "hill", ["bank"], "Adopted again.", "adopted"),
    "e6": claim("2016-04-02", "wire", ["tax"], "Noted.", tags=["Tax"]),
    "e7": claim("2016-04", "hill", ["tax", "bank"], "Proposed.", "proposed"),
}

edit = st.one_of(
    st.tuples(st.just("claim"), st.sampled_from(["Changed.", "Paused again.", "Zzz."])),
    st.tuples(st.just("status"), st.sampled_from(STATUSES)),
    st.tuples(st.just("date"), st.sampled_from(["2015", "2015-01", "2015-01-22", "2014-11-30", "2016-04-02"])),
    st.tuples(st.just("source"), st.sampled_from(["hill", "wire", "The Hill", "Reuters"])),
    st.tuples(st.just("rules"), st.sampled_from([["bank"], ["law"], ["tax", "law"], ["Bank rules"], ["nothing-defines-it"]])),
    st.tuples(st.just("tags"), st.sampled_from([[], ["banks"], ["Banks", "new"], ["tax"]])),
    st.tuples(st.just("contradicts"), st.sampled_from([[], ["e2"], ["e1", "e5"], ["missing"]])),
    st.tuples(st.just("after"), st.sampled_from(["e1", "e4"])),
    st.tuples(st.just("body"), st.sampled_from(["Plain text.", "See [[tax]].", ""])),
    st.tuples(st.just("broken"), st.just("2015-02-30")),
)
saves = st.lists(
    st.lists(st.tuples(st.sampled_from(sorted(START)), edit), min_size=1, max_size=2),
    min_size=1, max_size=5,
)  # fmt: skip


def entry_file(fields: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n" + body + "\n"


def apply(fields: dict, kind: str, value) -> str | None:
    """Edit ``fields`` in place; the body, where the edit is to it."""
    key = {"claim": "claim", "status": "status", "date": "date", "source": "source", "rules": "rule",
           "tags": "tags", "contradicts": "contradicts", "after": "after", "broken": "date"}.get(kind)  # fmt: skip
    if kind == "body":
        return value
    if value in (None, []):
        fields.pop(key, None)
    else:
        fields[key] = value
    return None


def shows(briefing: Briefing) -> dict:
    """What every page and data file of the briefing shows, by page."""
    out = {("entry", k): v for k, v in page_inputs.entry_inputs(briefing).items()}
    out.update({("rule", r): page_inputs.rule_inputs(briefing, r) for r in briefing.rules})
    out.update({("source", s): page_inputs.source_inputs(briefing, s) for s in briefing.sources})
    for kind in ("tag", "jurisdiction"):
        out.update({(kind, t): page_inputs.term_inputs(briefing, kind, t, True) for t in briefing.terms(kind).by_id})
        out[("index", kind)] = page_inputs.terms_index_inputs(briefing, kind)
    out[("index", "rules")] = page_inputs.rules_index_inputs(briefing)
    out[("index", "sources")] = page_inputs.sources_index_inputs(briefing)
    out[("feed", "alerts")] = page_inputs.status_feed_inputs(briefing)
    out[("timeline", "")] = page_inputs.entries_inputs(briefing.entries)
    out[("feed", "site")] = page_inputs.entries_inputs(briefing.newest_claims())
    out[("site", "")] = page_inputs.site_inputs(briefing)
    out[("problems", "")] = tuple(map(str, briefing.problems))
    return out


def compile_all(root: Path, cache: DocumentCache | None = None) -> Briefing:
    return compile_briefing(str(root / "content"), "content", Settings(), cache)


@settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "40")), deadline=None,
          derandomize=bool(os.environ.get("CI")) or "HYPOTHESIS_EXAMPLES" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(saves)
def test_an_edit_applied_equals_a_whole_compile(sequence):
    root = Path(tempfile.mkdtemp())
    try:
        entries = {k: dict(v) for k, v in START.items()}
        bodies = {k: f"Body of {k}." for k in START}
        files = {f"content/rules/{k}.md": v for k, v in RULES.items()} | {f"content/sources/{k}.md": v for k, v in SOURCES.items()}
        files |= {f"content/entries/{k}.md": entry_file(v, bodies[k]) for k, v in entries.items()}
        write_tree(root, files)
        cache = DocumentCache()
        briefing = compile_all(root, cache)
        for save in sequence:
            time.sleep(0.002)  # a new modification time, as between two saves
            for entry_id, (kind, value) in save:
                body = apply(entries[entry_id], kind, value)
                bodies[entry_id] = bodies[entry_id] if body is None else body
                (root / f"content/entries/{entry_id}.md").write_text(entry_file(entries[entry_id], bodies[entry_id]))
            before = shows(briefing)
            edited = apply_edits(briefing, str(root / "content"), "content", cache, [f"entries/{e}.md" for e, _ in save])
            whole = compile_all(root, DocumentCache())
            if edited is None:
                briefing = compile_all(root, cache)
                continue
            after, expected = shows(edited.briefing), shows(whole)
            assert after == expected
            named = {"entry": edited.entries, "rule": edited.rules, "source": edited.sources,
                     "tag": edited.tags, "jurisdiction": edited.jurisdictions}  # fmt: skip
            for (kind, key), value in expected.items():
                if kind in named and before.get((kind, key)) != value:
                    assert key in named[kind], (kind, key)
            briefing = edited.briefing
    finally:
        shutil.rmtree(root)


def test_an_edit_to_a_claim_is_applied_and_one_that_reaches_further_is_not(tmp_path):
    """The common save (a claim's status) is applied, not declined: the preview's speed rests
    on it. A new ``after:`` is declined: other claims' order follows from it."""
    files = {f"content/rules/{k}.md": v for k, v in RULES.items()} | {f"content/sources/{k}.md": v for k, v in SOURCES.items()}
    files |= {f"content/entries/{k}.md": entry_file(v, "Text.") for k, v in START.items()}
    write_tree(tmp_path, files)
    cache = DocumentCache()
    briefing = compile_all(tmp_path, cache)
    assert briefing.rule_briefings["bank"].current_statuses == ["proposed"]
    time.sleep(0.002)
    (tmp_path / "content/entries/e7.md").write_text(entry_file({**START["e7"], "status": "paused"}, "Text."))
    edited = apply_edits(briefing, str(tmp_path / "content"), "content", cache, ["entries/e7.md"])
    assert edited is not None
    assert edited.briefing.rule_briefings["bank"].current_statuses == ["paused"]
    assert edited.rules == {"tax", "bank"} and edited.sources == {"hill"}
    time.sleep(0.002)
    (tmp_path / "content/entries/e6.md").write_text(entry_file({**START["e6"], "after": "e1"}, "Text."))
    assert apply_edits(edited.briefing, str(tmp_path / "content"), "content", cache, ["entries/e6.md"]) is None


def test_a_commit_since_the_compile_is_compiled_whole(tmp_path):
    """Claims' dates in feeds come from git: after a commit, every claim's may differ."""
    files = {f"content/rules/{k}.md": v for k, v in RULES.items()} | {f"content/sources/{k}.md": v for k, v in SOURCES.items()}
    files |= {f"content/entries/{k}.md": entry_file(v, "Text.") for k, v in START.items()}
    write_tree(tmp_path, files)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "add", "."], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "first"], check=True)
    cache = DocumentCache()
    briefing = compile_all(tmp_path, cache)
    assert briefing.history is not None and briefing.history.state is not None
    (tmp_path / "content/entries/e7.md").write_text(entry_file({**START["e7"], "status": "paused"}, "Text."))
    assert apply_edits(briefing, str(tmp_path / "content"), "content", cache, ["entries/e7.md"]) is not None
    briefing = compile_all(tmp_path, cache)
    time.sleep(0.01)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qam", "second"], check=True)
    (tmp_path / "content/entries/e7.md").write_text(entry_file({**START["e7"], "status": "adopted"}, "Text."))
    assert apply_edits(briefing, str(tmp_path / "content"), "content", cache, ["entries/e7.md"]) is None


def test_the_newest_claims_follow_an_edit_outside_them(tmp_path):
    """The site's feed lists the newest 50 claims; an edit to an older one is worked out from
    the last 50 (edits.py), and must agree with a whole compile: an old claim that becomes the
    newest, or stays old."""
    files = {f"content/rules/{k}.md": v for k, v in RULES.items()} | {f"content/sources/{k}.md": v for k, v in SOURCES.items()}
    files |= {
        f"content/entries/n{n:02d}.md": entry_file(claim(f"{2000 + n // 12}-{n % 12 + 1:02d}", "hill", ["bank"], f"Claim {n}."), "Text.")
        for n in range(70)
    }  # fmt: skip
    write_tree(tmp_path, files)
    cache = DocumentCache()
    briefing = compile_all(tmp_path, cache)
    for date in ("2001-03", "2030-01-01"):  # n03 is not among the newest 50: it stays out, then comes first
        time.sleep(0.002)
        (tmp_path / "content/entries/n03.md").write_text(entry_file(claim(date, "hill", ["bank"], f"Moved to {date}."), "Text."))
        edited = apply_edits(briefing, str(tmp_path / "content"), "content", cache, ["entries/n03.md"])
        assert edited is not None and edited.briefing._newest is not None  # worked out from the last
        assert shows(edited.briefing) == shows(compile_all(tmp_path))
        briefing = edited.briefing
    assert briefing.newest_claims()[0].id == "n03"
