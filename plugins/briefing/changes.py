"""What a change does to the briefing, as readers will see it: for ``briefing diff``.

Each side of a change is reduced to a :class:`Snapshot`, and two snapshots compare field by
field. :func:`compare` finds what differs;
:func:`to_markdown` and :func:`to_json` write it for a pull request's reviewer or a machine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, KeysView, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from operator import attrgetter
from typing import Any

from .compiled import Briefing
from .fields import ENTRY, SHOWN_NAMES, shown_values
from .model import Problem


@dataclass
class RuleState:
    title: str
    url_path: str
    status: str  # the current status's id, "disputed" or "no-status"
    disputed: bool
    latest_status: str | None  # the status(es) the latest status claims assert, " / "-joined


@dataclass
class Snapshot:
    """One side of a change: what readers see of each entry, rule, source and dispute."""

    entries: ShownEntries = field(default_factory=lambda: ShownEntries(None))
    rules: dict[str, RuleState] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # id -> name
    disputes: dict[str, dict[str, str]] = field(default_factory=dict)  # rule/key -> its two claims
    problems: list[str] = field(default_factory=list)  # "path: field: message", lines left out


def snapshot(briefing: Briefing, problems: list[Problem], warnings: Sequence[str] = ()) -> Snapshot:
    """Reduce a compiled briefing, its problems and the configuration's warnings to what
    ``compare`` needs."""
    taken = Snapshot(ShownEntries(briefing))
    for rule_id, rule_briefing in briefing.rule_briefings.items():
        taken.rules[rule_id] = RuleState(
            rule_briefing.rule.title, rule_briefing.rule.url_path, rule_briefing.status_label,
            rule_briefing.disputed, " / ".join(rule_briefing.current_statuses) or None,
        )  # fmt: skip
        for dispute in rule_briefing.disputes:
            taken.disputes[f"{rule_id}/{dispute.key}"] = {
                "rule": rule_id, "earlier": dispute.earlier.id, "later": dispute.later.id,
                "reason": dispute.reason, "date": dispute.later.date.iso(),
            }  # fmt: skip
    taken.sources = {source_id: source.name for source_id, source in briefing.sources.items()}
    # Lines move when text is added above them: a problem is the same problem on another line.
    taken.problems = sorted({_without_line(problem) for problem in problems} | set(warnings))
    return taken


# An entry's own part of ShownEntries.made_of, in one call (a generator of getattr calls was
# most of the 1.6 s that comparing 100,000 entries took).
_MADE_OF = attrgetter("id", "body", *(f.model_attribute for f in ENTRY), "source_id", "rule_ids")


class ShownEntries(Mapping[str, dict[str, Any]]):
    """Each entry's fields as a reviewer reads them (``shown_values``), by id, worked out when
    first asked for: a diff shows a handful of entries, and working out 100,000 took seconds."""

    def __init__(self, briefing: Briefing | None) -> None:
        self._entries = {entry.id: entry for entry in briefing.entries} if briefing else {}
        self._names: dict[tuple[str, str], str] = {}  # (kind, id) -> the source's name, the rule's title
        if briefing:
            self._names.update({("source", sid): source.name for sid, source in briefing.sources.items()})
            self._names.update({("rule", rid): rule.title for rid, rule in briefing.rules.items()})
        self._shown: dict[str, dict[str, Any]] = {}

    def __getitem__(self, entry_id: str) -> dict[str, Any]:
        if entry_id not in self._shown:
            entry = self._entries[entry_id]
            shown = shown_values(entry, lambda kind, item_id: self._names[kind, item_id])
            self._shown[entry_id] = {**shown, "url_path": entry.url_path}
        return self._shown[entry_id]

    def keys(self) -> KeysView[str]:  # the dict's own: set operations on it run in C
        return self._entries.keys()

    def __contains__(self, entry_id: object) -> bool:  # Mapping's would work out the fields
        return entry_id in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def made_of(self, entry_id: str) -> tuple:
        """All that ``self[entry_id]`` is worked out from: where two sides' are equal, so are
        the fields shown, and comparing them is cheap."""
        entry = self._entries[entry_id]
        names = self._names
        return _MADE_OF(entry), names["source", entry.source_id], tuple(names["rule", r] for r in entry.rule_ids)


def _without_line(problem: Problem) -> str:
    return f"{problem.path}: {problem.field}: {problem.message}" if problem.field else f"{problem.path}: {problem.message}"


@dataclass
class Changes:
    """What differs between two snapshots, each list in a stable order."""

    entries_added: list[dict[str, Any]] = field(default_factory=list)
    entries_removed: list[dict[str, Any]] = field(default_factory=list)
    entries_edited: list[dict[str, Any]] = field(default_factory=list)  # id, claim, fields: {f: [before, after]}
    rules_changed: list[dict[str, Any]] = field(default_factory=list)  # id, title, before, after
    rules_added: list[dict[str, Any]] = field(default_factory=list)
    rules_removed: list[dict[str, Any]] = field(default_factory=list)
    sources_added: list[dict[str, Any]] = field(default_factory=list)
    sources_removed: list[dict[str, Any]] = field(default_factory=list)
    disputes_opened: list[dict[str, Any]] = field(default_factory=list)
    disputes_closed: list[dict[str, Any]] = field(default_factory=list)
    problems_introduced: list[str] = field(default_factory=list)
    problems_fixed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(asdict(self).values())


def compare(before: Snapshot, after: Snapshot) -> Changes:
    changes = Changes()
    for entry_id in sorted(after.entries.keys() - before.entries.keys(), key=lambda i: (after.entries[i]["date"], i)):
        changes.entries_added.append({"id": entry_id, **after.entries[entry_id]})
    for entry_id in sorted(before.entries.keys() - after.entries.keys(), key=lambda i: (before.entries[i]["date"], i)):
        changes.entries_removed.append({"id": entry_id, **before.entries[entry_id]})
    for entry_id in sorted(before.entries.keys() & after.entries.keys()):
        if before.entries.made_of(entry_id) == after.entries.made_of(entry_id):
            continue
        old, new = before.entries[entry_id], after.entries[entry_id]
        edited = {name: [old[name], new[name]] for name in SHOWN_NAMES if old[name] != new[name]}
        if edited:
            changes.entries_edited.append({"id": entry_id, "claim": new["claim"], "url_path": new["url_path"], "fields": edited})
    for rule_id in sorted(before.rules.keys() & after.rules.keys()):
        old_rule, new_rule = before.rules[rule_id], after.rules[rule_id]
        # What the rule's page and the home page show: the status, and while it is disputed or
        # of unknown order, the status the latest claims assert.
        shown_before = (old_rule.status, old_rule.disputed, old_rule.latest_status)
        if shown_before != (new_rule.status, new_rule.disputed, new_rule.latest_status):
            changes.rules_changed.append({
                "id": rule_id, "title": new_rule.title, "url_path": new_rule.url_path,
                "before": {"status": old_rule.status, "disputed": old_rule.disputed, "latest_claimed": old_rule.latest_status},
                "after": {"status": new_rule.status, "disputed": new_rule.disputed, "latest_claimed": new_rule.latest_status},
            })  # fmt: skip
    for rule_id in sorted(after.rules.keys() - before.rules.keys()):
        rule = after.rules[rule_id]
        changes.rules_added.append({"id": rule_id, "title": rule.title, "url_path": rule.url_path, "status": rule.status})
    for rule_id in sorted(before.rules.keys() - after.rules.keys()):
        changes.rules_removed.append({"id": rule_id, "title": before.rules[rule_id].title})
    for source_id in sorted(after.sources.keys() - before.sources.keys()):
        changes.sources_added.append({"id": source_id, "name": after.sources[source_id]})
    for source_id in sorted(before.sources.keys() - after.sources.keys()):
        changes.sources_removed.append({"id": source_id, "name": before.sources[source_id]})
    for key in sorted(after.disputes.keys() - before.disputes.keys()):
        changes.disputes_opened.append(_dispute(after, key))
    for key in sorted(before.disputes.keys() - after.disputes.keys()):
        changes.disputes_closed.append(_dispute(before, key))
    changes.problems_introduced = sorted(set(after.problems) - set(before.problems))
    changes.problems_fixed = sorted(set(before.problems) - set(after.problems))
    return changes


def _dispute(side: Snapshot, key: str) -> dict[str, Any]:
    dispute = side.disputes[key]
    rule = side.rules.get(dispute["rule"])
    claims = {name: side.entries.get(dispute[name], {}) for name in ("earlier", "later")}
    return {
        "rule": dispute["rule"], "rule_title": rule.title if rule else dispute["rule"],
        "url_path": rule.url_path if rule else "", "reason": dispute["reason"],
        **{name: {"id": dispute[name], "claim": claim.get("claim", ""), "date": claim.get("date", ""),
                  "source": claim.get("source", ""), "status": claim.get("status")}
           for name, claim in claims.items()},
    }  # fmt: skip


# --- output ----------------------------------------------------------------------------------

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(text: Any) -> str:
    """Writers' text in Markdown, inert: no markup, no HTML, no line breaks (GitHub renders
    a job summary's HTML, and a claim is anyone's text)."""
    flat = " ".join(str(text).split())
    return MARKDOWN_SPECIAL.sub(r"\\\1", flat.replace("&", "&amp;"))


def _link(text: Any, url_path: str, site_url: str, fragment: str = "") -> str:
    if not site_url or not url_path:
        return md(text)
    return f"[{md(text)}]({site_url}{url_path}{fragment})"


def _state(state: dict[str, Any]) -> str:
    shown = f"**{md(state['status'])}**"
    if state["status"] in ("disputed", "order-unknown") and state.get("latest_claimed"):
        shown += f" (latest claimed: {md(state['latest_claimed'])})"
    return shown


def _value(value: Any, limit: int | None = 120) -> str:
    """A value quoted; cut to ``limit`` characters where the whole is elsewhere."""
    if value in (None, "", []):
        return "(none)"
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    text = str(value)
    return f"“{md(text if limit is None or len(text) <= limit else text[:limit - 3] + '…')}”"


def to_markdown(changes: Changes, base_label: str, site_url: str = "") -> str:
    """The change for a reviewer: a GitHub job summary or a pull-request comment."""
    lines = [f"## Briefing changes against `{base_label.replace('`', '')}`", ""]
    if changes.empty:
        return "\n".join([*lines, "No changes: readers would see the same briefing.", ""])
    counts = [
        (len(changes.rules_changed), "rule changes status", "rules change status"),
        (len(changes.disputes_opened), "dispute opens", "disputes open"),
        (len(changes.disputes_closed), "dispute closes", "disputes close"),
        (len(changes.entries_added), "entry added", "entries added"),
        (len(changes.entries_edited), "entry edited", "entries edited"),
        (len(changes.entries_removed), "entry removed", "entries removed"),
        (len(changes.problems_introduced), "problem introduced", "problems introduced"),
    ]
    lines += [" · ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n), ""]
    if changes.rules_changed:
        lines += ["### Rules whose status changes", "", "| Rule | Before | After |", "| --- | --- | --- |"]
        for rule in changes.rules_changed:
            lines.append(f"| {_link(rule['title'], rule['url_path'], site_url)} | {_state(rule['before'])} | {_state(rule['after'])} |")
        lines.append("")
    for title, disputes in (("Disputes opened", changes.disputes_opened), ("Disputes closed", changes.disputes_closed)):
        if disputes:
            lines += [f"### {title}", ""]
            for d in disputes:
                sides = " vs ".join(
                    f"{md(d[s]['date'])} {_value(d[s]['claim'])} ({md(d[s]['source'])}{', ' + md(d[s]['status']) if d[s]['status'] else ''})"
                    for s in ("earlier", "later")
                )
                lines.append(f"- {_link(d['rule_title'], d['url_path'], site_url, '#disputes')}: {sides}")
            lines.append("")
    lines += _entry_lines(changes, site_url)
    for title, items, key in (
        ("Rules added", changes.rules_added, "title"), ("Rules removed", changes.rules_removed, "title"),
        ("Sources added", changes.sources_added, "name"), ("Sources removed", changes.sources_removed, "name"),
    ):  # fmt: skip
        if items:
            lines += [f"### {title}", ""]
            lines += [f"- {_link(item[key], item.get('url_path', ''), site_url)} (`{md(item['id'])}`)" for item in items]
            lines.append("")
    for title, problems in (("Problems this change introduces", changes.problems_introduced),
                            ("Problems this change fixes", changes.problems_fixed)):
        if problems:
            lines += [f"### {title}", ""]
            lines += [f"- {md(problem)}" for problem in problems]
            lines.append("")
    return "\n".join(lines)


def _entry_lines(changes: Changes, site_url: str) -> list[str]:
    """The entries added, edited and removed, for ``to_markdown``."""
    lines: list[str] = []
    if changes.entries_added:
        lines += ["### Entries added", ""]
        for e in changes.entries_added:
            status = f", status {md(e['status'])}" if e["status"] else ""
            lines.append(f"- {md(e['date'])}: {_link(e['claim'], e['url_path'], site_url)} ({md(e['source'])}, on {md(', '.join(e['rules']))}{status})")
        lines.append("")
    if changes.entries_edited:
        lines += ["### Entries edited", ""]
        for e in changes.entries_edited:
            fields = "; ".join(f"{name}: {_value(old, None)} → {_value(new, None)}" for name, (old, new) in e["fields"].items())
            lines.append(f"- {_link(e['claim'], e['url_path'], site_url)} (`{md(e['id'])}`): {fields}")
        lines.append("")
    if changes.entries_removed:
        lines += ["### Entries removed", ""]
        lines += [f"- {md(e['date'])}: {_value(e['claim'])} (`{md(e['id'])}`, {md(e['source'])})" for e in changes.entries_removed]
        lines.append("")
    return lines


def to_json(changes: Changes, base_label: str) -> str:
    return json.dumps({"version": 1, "base": base_label, "changed": not changes.empty, **asdict(changes)},
                      ensure_ascii=False, indent=2) + "\n"
