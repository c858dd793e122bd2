"""Order is evidence: conclusions follow dates at their precision and ``after:``, never file names.

Most cases run in-process against the core (``compile_briefing`` on a content folder); one real
build per behaviour checks what readers see.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.changes import snapshot
from briefing.compiled import Briefing, Settings, compile_briefing
from briefing.language import Words
from conftest import entry, run_mkdocs, write_tree

REPO = Path(__file__).resolve().parent.parent


def compiled(root: Path, files: dict[str, str]) -> Briefing:
    write_tree(root, files)
    return compile_briefing(str(root / "content"), "content", Settings())


def messages(briefing: Briefing) -> list[str]:
    return [str(problem) for problem in briefing.problems]


# --- the current status -------------------------------------------------------------------------


def test_claims_that_share_a_period_and_disagree_make_the_status_order_unknown(tmp_path):
    briefing = compiled(tmp_path, {
        "content/entries/a.md": entry("2015-04", "Hill", "bank", "Paused.", status="paused"),
        "content/entries/b.md": entry("2015-04", "Hill", "bank", "On track.", status="adopted"),
    })  # fmt: skip
    rule = briefing.rule_briefings["bank"]
    assert rule.status_label == "order-unknown"
    assert sorted(e.id for e in rule.current) == ["a", "b"]
    assert rule.status_since is None  # nobody knows since when
    notices = briefing.order_notices("content")
    assert len(notices) == 1 and "after: " in notices[0].message
    assert {"content/entries/a.md", "content/entries/b.md"} <= {notices[0].path, *notices[0].message.split()}


def test_after_decides_the_order_within_a_period(tmp_path):
    briefing = compiled(tmp_path, {
        "content/entries/z-paused.md": entry("2015-04", "Hill", "bank", "Paused.", status="paused", after="a-on-track"),
        "content/entries/a-on-track.md": entry("2015-04", "Hill", "bank", "On track.", status="adopted"),
    })  # fmt: skip
    rule = briefing.rule_briefings["bank"]
    assert rule.status_label == "paused"
    assert [e.id for e in rule.entries] == ["a-on-track", "z-paused"]
    assert briefing.order_notices("content") == []
    # Neighbours follow after:, not the listing alone.
    (n,) = briefing.neighbours(briefing.entry("z-paused"))
    assert [e.id for e in n.previous] == ["a-on-track"] and not n.same_period


def test_after_chains_through_other_claims_and_dates(tmp_path):
    # c (2015) comes after b, and b after a (both 2015-04): c is the latest, so its status holds.
    briefing = compiled(tmp_path, {
        "content/entries/a.md": entry("2015-04-10", "Hill", "bank", "Paused.", status="paused"),
        "content/entries/b.md": entry("2015-04", "Reuters", "bank", "Talks.", after="a"),
        "content/entries/c.md": entry("2015", "Hill", "bank", "Resumed.", status="resumed", after="b"),
    })  # fmt: skip
    rule = briefing.rule_briefings["bank"]
    assert [e.id for e in rule.current] == ["c"]
    assert rule.status_label == "resumed"


def test_a_year_only_claim_is_not_the_first_of_january(tmp_path):
    # Before, "2015" sorted as 1 January, so the April claim was simply later.
    briefing = compiled(tmp_path, {
        "content/entries/a.md": entry("2015", "Hill", "bank", "Adopted.", status="adopted"),
        "content/entries/b.md": entry("2015-04-13", "Hill", "bank", "Paused.", status="paused"),
    })  # fmt: skip
    assert briefing.rule_briefings["bank"].status_label == "order-unknown"


# --- after: mistakes, each one line -------------------------------------------------------------


def test_after_mistakes_are_one_line_each(tmp_path):
    briefing = compiled(tmp_path, {
        "content/entries/unknown.md": entry("2015", "Hill", "bank", "U.", after="nobody"),
        "content/entries/self.md": entry("2015", "Hill", "bank", "S.", after="self"),
        "content/entries/x.md": entry("2015", "Hill", "bank", "X.", after="y"),
        "content/entries/y.md": entry("2015", "Hill", "bank", "Y.", after="x"),
        "content/entries/early.md": entry("2015-03", "Hill", "bank", "E.", after="late"),
        "content/entries/late.md": entry("2015-04-02", "Hill", "bank", "L."),
    })  # fmt: skip
    found = messages(briefing)
    assert any(m.startswith("content/entries/unknown.md:") and "after: 'nobody' is not an entry id" in m for m in found)
    assert any(m.startswith("content/entries/self.md:") and "cannot come after itself" in m for m in found)
    assert sum("come after each other in a circle" in m for m in found) == 1
    assert any(m.startswith("content/entries/early.md:") and "'late' is dated 2015-04-02" in m for m in found)
    assert all("\n" not in m for m in found)
    # The build goes on with what is left: no claim is lost.
    assert len(briefing.entries) == 6


def test_an_after_that_contradicts_the_dates_through_a_chain_is_reported(tmp_path):
    # b (January) after a (2015) after c (June): b would have to be in June or later.
    briefing = compiled(tmp_path, {
        "content/entries/a.md": entry("2015", "Hill", "bank", "A.", after="c"),
        "content/entries/b.md": entry("2015-01", "Hill", "bank", "B.", after="a"),
        "content/entries/c.md": entry("2015-06", "Hill", "bank", "C."),
    })  # fmt: skip
    (problem,) = [m for m in messages(briefing) if "after" in m]
    assert problem.startswith("content/entries/b.md:") and "2015-06-01" in problem


# --- precision in words ---------------------------------------------------------------------------


def test_time_between_speaks_at_the_claims_precision():
    from briefing.dates import PartialDate as D

    words = Words("en")
    assert words.time_between(D(2015), D(2015)) == "Different voices, different statuses, in the same year (2015; days not known)."
    assert "in the same month (April 2015" in words.time_between(D(2015, 4), D(2015, 4, 13))
    assert words.time_between(D(2015, 4, 1), D(2015, 4, 13)) == "Different voices, different statuses, 12 days apart."
    assert "between March 2015 and April 2015 (days not known)" in words.time_between(D(2015, 4), D(2015, 3))
    for a, b in ((D(2015), D(2015)), (D(2015, 3), D(2015, 4)), (D(2015), D(2015, 4, 1))):
        assert "within" not in words.time_between(a, b)


# --- typos ----------------------------------------------------------------------------------------


def test_a_name_like_a_defined_one_is_a_did_you_mean(tmp_path):
    files = {
        "content/sources/reuters.md": "---\nname: Reuters\n---\n",
        "content/sources/c-weekly.md": "---\nname: C Weekly\n---\n",
        "content/sources/cpp-weekly.md": "---\nname: C++ Weekly\n---\n",
        "content/rules/bank.md": "---\ntitle: Bank rules\naliases: [banking cyber rules]\n---\n",
        "content/entries/typo.md": entry("2015", "Reutres", "bank", "T."),
        "content/entries/rule-typo.md": entry("2015", "Reuters", "banking cyber ruls", "R."),
        "content/entries/fine.md": entry("2015", "C++ Weekly", "bank", "F."),
        "content/entries/fine2.md": entry("2015", "c weekly", "bank", "G."),
        "content/entries/other.md": entry("2015", "Le Monde", "bank", "H."),
        "content/entries/accent.md": entry("2015", "Réuters", "bank", "I."),
    }
    found = messages(compiled(tmp_path, files))
    assert any(m.startswith("content/entries/typo.md:3: source:") and "did you mean 'Reuters'?" in m for m in found)
    assert any(m.startswith("content/entries/rule-typo.md:4: rule:") and "did you mean 'banking cyber rules'?" in m for m in found)
    assert any(m.startswith("content/entries/accent.md:3: source:") and "did you mean 'Reuters'?" in m for m in found)
    assert len(found) == 3, found  # C Weekly / C++ Weekly are both defined; Le Monde is like nothing
    # Defining the new name says it is meant.
    write_tree(tmp_path, {"content/sources/reutres.md": "---\nname: Reutres\n---\n"})
    found = messages(compile_briefing(str(tmp_path / "content"), "content", Settings()))
    assert not any("entries/typo.md" in m and "did you mean" in m for m in found)


# --- related rules ----------------------------------------------------------------------------------


def test_a_shared_outlet_alone_relates_nothing(tmp_path):
    briefing = compiled(tmp_path, {
        "content/entries/a.md": entry("2015", "Reuters", "tiktok law", "A."),
        "content/entries/b.md": entry("2015", "Reuters", "ai act", "B."),
        "content/entries/c.md": entry("2015", "Reuters", "[dsa, dma]", "C."),
        "content/entries/d.md": entry("2015", "Hill", "ai act", "D.", body="See [[dsa]]."),
    })  # fmt: skip
    related = {rid: {r.rule.id: r.reasons for r in b.related} for rid, b in briefing.rule_briefings.items()}
    assert related["tiktok-law"] == {}
    assert related["dsa"] == {"dma": ("claims",), "ai-act": ("links",)}
    assert related["ai-act"] == {"dsa": ("links",)}


# --- renaming files changes no conclusion -----------------------------------------------------------

DATES = ["2015", "2015-04", "2015-04", "2015-04-13", "2015-04-13", "2015-05"]


@st.composite
def same_period_claims(draw):
    count = draw(st.integers(2, 6))
    claims = []
    for index in range(count):
        claims.append({
            "date": draw(st.sampled_from(DATES)),
            "source": draw(st.sampled_from(["Hill", "Reuters", "WSJ"])),
            "status": draw(st.sampled_from(["paused", "adopted", None])),
            "claim": f"Claim {index}.",
            "rule": draw(st.sampled_from(["bank", "[bank, law]"])),
            "after": draw(st.lists(st.integers(0, count - 1), max_size=2)),
            "contradicts": draw(st.lists(st.integers(0, count - 1), max_size=1)),
        })  # fmt: skip
    names = draw(st.permutations([f"n{i}" for i in range(count)]))
    return claims, names


def _conclusions(root: Path, claims: list[dict], names: list[str]) -> dict:
    """Every conclusion of a briefing, with each id replaced by the claim it names."""
    files = {}
    for index, spec in enumerate(claims):
        extra = {}
        if spec["status"]:
            extra["status"] = spec["status"]
        if spec["after"]:
            extra["after"] = "[" + ", ".join(names[i] for i in spec["after"]) + "]"
        if spec["contradicts"]:
            extra["contradicts"] = "[" + ", ".join(names[i] for i in spec["contradicts"]) + "]"
        files[f"content/entries/{names[index]}.md"] = entry(spec["date"], spec["source"], spec["rule"], spec["claim"], **extra)
    briefing = compiled(root, files)
    claim_of = {e.id: e.claim for e in briefing.entries}

    def named(text: str) -> str:
        for entry_id, claim in sorted(claim_of.items(), key=lambda item: -len(item[0])):
            text = text.replace(entry_id, claim)
        return text

    rules = {}
    for rule_id, b in briefing.rule_briefings.items():
        rules[rule_id] = {
            "status": b.status_label,
            "since": b.status_since,
            "current": sorted(e.claim for e in b.current),
            "disputed": b.disputed,
            "disputes": sorted((d.reason, tuple(sorted((d.earlier.claim, d.later.claim))), d.order_known) for d in b.disputes),
            "history": [(c.status, c.entry.claim, c.order_known) for c in b.history],
            "listing": [e.claim for e in b.entries],
            "blocks": [sorted(e.claim for e in block.entries) for block in b.blocks],
        }
        for e in b.entries:
            for n in briefing.neighbours(e):
                rules[rule_id].setdefault("neighbours", []).append((e.claim, n.rule.id, sorted(o.claim for o in n.previous), sorted(o.claim for o in n.next), sorted(o.claim for o in n.same_period)))
    taken = snapshot(briefing, briefing.problems)
    return {
        "rules": rules,
        "problems": sorted(named(m.split(":", 2)[-1]) for m in messages(briefing)),
        "notices": len(briefing.order_notices("content")),
        "diff_rules": {k: (v.status, v.disputed, v.latest_status) for k, v in taken.rules.items()},
        "timeline": [e.claim for e in briefing.entries],
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(same_period_claims())
def test_renaming_files_changes_no_conclusion(tmp_path_factory, case):
    claims, names = case
    first = _conclusions(tmp_path_factory.mktemp("a"), claims, [f"n{i}" for i in range(len(claims))])
    renamed = _conclusions(tmp_path_factory.mktemp("b"), claims, list(names))
    assert first == renamed


# --- one real build: what readers see ----------------------------------------------------------------


def test_a_rule_page_shows_each_latest_claim_when_order_is_unknown(build_site):
    build = build_site({
        "content/entries/a.md": entry("2015-04", "Hill", "bank", "Paused.", status="paused"),
        "content/entries/b.md": entry("2015-04", "Hill", "bank", "On track.", status="adopted"),
        "content/entries/c.md": entry("2015-04", "Reuters", "law", "Later.", status="paused", after="d"),
        "content/entries/d.md": entry("2015-04", "Reuters", "law", "Earlier.", status="adopted"),
    }, "--strict")  # fmt: skip
    assert build.returncode == 0, build.log  # a notice, not a problem
    assert "notice: content/entries/" in build.log
    page = build.article("/rules/bank/")
    assert "order unknown" in page.select_one(".briefing-current").get_text()
    shown = [li.get_text(" ", strip=True) for li in page.select(".briefing-current-claims li")]
    assert len(shown) == 2 and any("Paused." in s and "Hill" in s for s in shown) and any("On track." in s for s in shown)
    assert page.select_one(".briefing-block--order-unknown") is not None
    strip = page.select_one("svg.briefing-strip")
    assert "order unknown" in strip.get_text()  # not whichever claim is listed last
    # after: is shown on the entry page and orders the rule.
    later = build.article("/entries/c/")
    assert "Earlier." in later.select_one(".briefing-entry").get_text()
    assert "paused" in build.article("/rules/law/").select_one(".briefing-current").get_text()
    data = build.json("/entries.json")
    assert data["rules"]["bank"]["status"] == "order-unknown"
    assert {e["id"]: e["after"] for e in data["entries"]}["c"] == ["d"]


def test_feeds_follow_the_repository_history(tmp_path):
    """Newest additions first, from one git log; a status edit is a new alert with its own id."""
    write_tree(tmp_path, {
        "mkdocs.yml": "site_name: T\nsite_url: https://example.org/\ndocs_dir: content\nplugins:\n  - briefing\n",
        "content/entries/new.md": entry("2015-04-13", "Hill", "bank", "Recent claim.", status="paused"),
    })  # fmt: skip
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}

    def commit(when: int, message: str) -> None:
        dated = {**env, "GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}
        subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True, env=dated)
        subprocess.run(["git", "commit", "-qm", message], cwd=tmp_path, check=True, env=dated)

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    commit(1_700_000_000, "first")
    write_tree(tmp_path, {"content/entries/old.md": entry("2001", "Hill", "bank", "A claim from 2001.", status="adopted")})
    commit(1_700_100_000, "an old claim, added later")

    def build():
        result = run_mkdocs(tmp_path)
        assert result.returncode == 0, result.log
        return result

    result = build()
    feed = result.atom("/feed.xml")
    ns = "{http://www.w3.org/2005/Atom}"
    titles = [e.find(f"{ns}title").text for e in feed.findall(f"{ns}entry")]
    assert titles == ["A claim from 2001.", "Recent claim."]  # newest addition first
    published = {e.find(f"{ns}title").text: e.find(f"{ns}published").text for e in feed.findall(f"{ns}entry")}
    assert published["A claim from 2001."] == "2023-11-16T02:00:00Z"
    alerts = result.atom("/status-changes.xml")
    ids_before = {e.find(f"{ns}id").text for e in alerts.findall(f"{ns}entry")}
    # An edit that changes a status is a new item, dated when the edit was committed.
    write_tree(tmp_path, {"content/entries/new.md": entry("2015-04-13", "Hill", "bank", "Recent claim.", status="resumed")})
    commit(1_700_200_000, "status edited")
    alerts = build().atom("/status-changes.xml")
    after = {e.find(f"{ns}id").text: e.find(f"{ns}updated").text for e in alerts.findall(f"{ns}entry")}
    new_ids = set(after) - ids_before
    assert len(new_ids) == 1 and after[new_ids.pop()] == "2023-11-17T05:46:40Z"
    # Outside git: the claims' dates, said once.
    (tmp_path / ".git").rename(tmp_path / "git-away")
    result = build()
    assert result.log.count("not in a git work tree") == 1
    assert [e.find(f"{ns}title").text for e in result.atom("/feed.xml").findall(f"{ns}entry")][0] == "Recent claim."


def test_one_git_process_per_build(tmp_path):
    """History costs one git process, however many entries: counted through a git on PATH
    that logs each call and hands over to the real one."""
    write_tree(tmp_path, {
        "mkdocs.yml": "site_name: T\ndocs_dir: content\nplugins:\n  - briefing\n",
        **{f"content/entries/e{i}.md": entry("2015", "Hill", "bank", f"Claim {i}.") for i in range(40)},
    })  # fmt: skip
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "x"], cwd=tmp_path, check=True)
    shim = tmp_path / "shim"
    shim.mkdir()
    real = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout.strip()
    (shim / "git").write_text(f"#!/bin/sh\necho call >> {tmp_path}/calls\nexec {real} \"$@\"\n")
    (shim / "git").chmod(0o755)
    env = {**os.environ, "PATH": f"{shim}:{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "calls").read_text().count("call") == 1
    data = json.loads((tmp_path / "site" / "entries.json").read_text())
    assert len(data["entries"]) == 40


def test_a_closed_dispute_is_a_new_alert(build_site):
    build = build_site({
        "content/entries/a.md": entry("2015-04-01", "Hill", "bank", "Paused.", status="paused"),
        "content/entries/b.md": entry("2015-04-10", "Reuters", "bank", "On track.", status="adopted"),
        "content/entries/c.md": entry("2015-07-01", "Hill", "bank", "Still paused.", status="paused"),
    }, "--strict")  # fmt: skip
    assert build.returncode == 0, build.log
    ns = "{http://www.w3.org/2005/Atom}"
    titles = [e.find(f"{ns}title").text for e in build.atom("/status-changes.xml").findall(f"{ns}entry")]
    assert "bank: claims no longer conflict; now paused" in titles
    assert "bank: claims now conflict" in titles
    ids = [e.find(f"{ns}id").text for e in build.atom("/status-changes.xml").findall(f"{ns}entry")]
    assert len(ids) == len(set(ids))


# --- the status strip's layout ------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.lists(st.integers(0, 400), min_size=1, max_size=30),
    statuses=st.lists(st.sampled_from(["paused", "adopted", "under-review", "withdrawn"]), min_size=30, max_size=30),
    sources=st.lists(st.sampled_from(["Hill", "Reuters"]), min_size=30, max_size=30),
    language=st.sampled_from(["en", "ar", "zh"]),
)
def test_every_strip_segment_is_labelled_or_keyed_and_keys_never_run_together(tmp_path_factory, days, statuses, sources, language):
    """Any history, however crowded: each segment carries its label, on itself, or a key (its
    line in the history list), keys stay apart and inside the drawing, and no two dispute
    labels are written over one another."""
    from briefing.status_strip import KEY_GAP, WIDTH, label_width, status_strip

    root = tmp_path_factory.mktemp("strip")
    start = date(2020, 1, 1).toordinal()
    files = {
        f"content/entries/e{n}.md": entry(date.fromordinal(start + day).isoformat(), sources[n], "bank", f"Claim {n}.", status=statuses[n])
        for n, day in enumerate(days)
    }  # fmt: skip
    briefing = compiled(root, files)
    strip = status_strip(briefing.rule_briefings["bank"], Words(language))
    lines = {str(number): change for number, change in enumerate(briefing.rule_briefings["bank"].history, 1)}
    for segment in strip.segments:
        if segment.fits:
            assert label_width(segment.label) + 12 <= segment.width
        else:
            assert segment.key in lines and (segment.status == "order-unknown" or lines[segment.key].status == segment.status)
    keys = sorted(segment.key_x for segment in strip.segments if segment.key)
    assert all(b - a >= KEY_GAP - 0.1 for a, b in pairwise(keys))
    if len(keys) * KEY_GAP <= WIDTH:
        assert all(KEY_GAP / 2 - 0.1 <= x <= WIDTH - KEY_GAP / 2 + 0.1 for x in keys)
    boxes = sorted(
        (span.text_x - width, span.text_x) if strip.rtl else (span.text_x, span.text_x + width)
        for span in strip.disputes if span.fits for width in [label_width(span.label)]
    )  # fmt: skip
    assert all(0 <= left and right <= WIDTH for left, right in boxes)
    assert all(a_right <= b_left for (_, a_right), (b_left, _) in pairwise(boxes))


def test_a_crowded_strip_keeps_its_latest_keys_inside_the_drawing(tmp_path):
    """300 changes a day apart: more keys than the row holds, three digits wide. The latest
    are kept (the current end is what a reader looks for), none runs into another, none leaves
    the drawing; every change is still in the list below."""
    from briefing.status_strip import WIDTH, key_half_width, status_strip

    start = date(2020, 1, 1).toordinal()
    briefing = compiled(tmp_path, {
        f"content/entries/e{n}.md": entry(date.fromordinal(start + n).isoformat(), "Hill", "bank", f"Claim {n}.",
                                          status=("paused", "adopted")[n % 2])
        for n in range(300)
    })  # fmt: skip
    strip = status_strip(briefing.rule_briefings["bank"], Words("en"))
    keyed = [s for s in strip.segments if s.key]
    assert 10 < len(keyed) < len([s for s in strip.segments if not s.fits])  # crowded: some left out
    assert keyed[-1] is [s for s in strip.segments if not s.fits][-1] and len(keyed[-1].key) == 3
    boxes = sorted((s.key_x - key_half_width(s.key), s.key_x + key_half_width(s.key)) for s in keyed)
    assert boxes[0][0] >= 0 and boxes[-1][1] <= WIDTH
    assert all(a_right <= b_left + 0.1 for (_, a_right), (b_left, _) in pairwise(boxes))
