"""The compiled briefing: what every generated page, feed and data file is drawn from.

Everything here is computed once per build, so pages only look things up: no page walks the
whole list of entries unless listing them all is that page's job.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .dates import PartialDate
from .disputes import Dispute, find_disputes, is_disputed
from .model import DEFAULT_STATUSES, Entry, Problem, Rule, Source
from .reader import DocumentCache, read_content
from .resolve import NameIndex, resolve_names


@dataclass(frozen=True)
class Settings:
    """The knobs a site can turn, from the plugin's config or the CLI's options."""

    statuses: tuple[str, ...] = DEFAULT_STATUSES
    dispute_window_days: int = 30


@dataclass(frozen=True)
class StatusChange:
    """A point in a rule's status history: ``entry`` asserted ``status`` as news."""

    status: str
    entry: Entry


@dataclass
class RuleBriefing:
    """Everything one rule's briefing page shows."""

    rule: Rule
    entries: list[Entry]
    history: list[StatusChange]
    current: Entry | None  # the latest claim that asserts a status
    disputes: list[Dispute]
    disputed: bool
    parent: Rule | None = None
    children: list[Rule] = field(default_factory=list)
    related: list[Rule] = field(default_factory=list)
    sources_cited: list[tuple[Source, int]] = field(default_factory=list)

    @property
    def latest(self) -> Entry | None:
        return self.entries[-1] if self.entries else None

    @property
    def status_since(self) -> PartialDate | None:
        """When the current status began: the claim that opened the latest dispute for a
        disputed rule, else the latest change of status; None while no claim asserts one."""
        if self.disputed and self.disputes:
            return max((d.later for d in self.disputes), key=Entry.sort_key).date
        return self.history[-1].entry.date if self.history else None

    @property
    def status_label(self) -> str:
        """The current status's id: a status, ``disputed``, or ``no-status`` (no claim asserts
        one); readers see its label in the site's language."""
        if self.disputed:
            return "disputed"
        return self.current.status if self.current and self.current.status else "no-status"


@dataclass(frozen=True)
class Neighbours:
    """The claims just before and after an entry on one of its rules."""

    rule: Rule
    previous: Entry | None
    next: Entry | None


@dataclass
class Briefing:
    """The whole site's content, checked, resolved and indexed."""

    entries: list[Entry]  # published, in date order
    drafts: list[Entry]
    rules: dict[str, Rule]
    sources: dict[str, Source]
    rule_briefings: dict[str, RuleBriefing]
    source_entries: dict[str, list[Entry]]
    problems: list[Problem]
    skipped_paths: set[str]
    settings: Settings
    contradicted_by: dict[str, list[Entry]]
    rule_names: NameIndex

    def entry(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def rule_by_name(self, name: str) -> Rule | None:
        """The rule a writer means by an id, title or alias, in any case."""
        rule_id = self.rule_names.lookup(name)
        return self.rules.get(rule_id) if rule_id else None

    def claims_of(self, kind: str, owner_id: str) -> list[Entry]:
        """The published claims of a rule (``kind`` "rule") or a source ("source"), in date order."""
        if kind == "rule":
            return self.rule_briefings[owner_id].entries
        return self.source_entries[owner_id]

    def neighbours(self, entry: Entry) -> list[Neighbours]:
        """The claims before and after ``entry`` on each of its rules.

        Worked out when asked rather than stored for every entry: objects that live through
        the whole build are walked again by every full garbage collection.
        """
        found = []
        for rule_id in entry.rule_ids:
            if rule_id not in self.rule_briefings:
                continue
            claims = self.rule_briefings[rule_id].entries
            index = self._positions[rule_id][entry.id]
            before = claims[index - 1] if index > 0 else None
            after = claims[index + 1] if index + 1 < len(claims) else None
            found.append(Neighbours(self.rules[rule_id], before, after))
        return found

    def __post_init__(self) -> None:
        self._by_id = {entry.id: entry for entry in self.entries}
        self._positions = {
            rule_id: {entry.id: index for index, entry in enumerate(briefing.entries)}
            for rule_id, briefing in self.rule_briefings.items()
        }


def compile_briefing(
    content_dir: str,
    shown_dir: str,
    settings: Settings,
    cache: DocumentCache | None = None,
    paths: Iterable[str] | None = None,
) -> Briefing:
    """Read, check, resolve and index a content directory (``cache``: see DocumentCache;
    ``paths``: the Markdown files to read, relative to it, default all)."""
    content = read_content(content_dir, shown_dir, settings.statuses, cache, paths)
    rule_names = resolve_names(content)

    published = sorted((e for e in content.entries if not e.draft), key=Entry.sort_key)
    drafts = [e for e in content.entries if e.draft]
    published_ids = {e.id for e in published}
    for entry in published:  # a draft is not named anywhere, not even as contradicted
        entry.contradicts = tuple(other for other in entry.contradicts if other in published_ids)

    by_rule: dict[str, list[Entry]] = defaultdict(list)
    by_source: dict[str, list[Entry]] = defaultdict(list)
    contradicted_by: dict[str, list[Entry]] = defaultdict(list)
    for entry in published:
        for rule_id in entry.rule_ids:
            by_rule[rule_id].append(entry)
        by_source[entry.source_id].append(entry)
        for other in entry.contradicts:
            if other in published_ids:
                contradicted_by[other].append(entry)

    # Rules and sources named only by drafts would be empty pages: leave them out.
    rules = {
        rid: rule for rid, rule in sorted(content.rules.items())
        if rule.path is not None or by_rule.get(rid)
    }  # fmt: skip
    sources = {
        sid: source for sid, source in sorted(content.sources.items())
        if source.path is not None or by_source.get(sid)
    }  # fmt: skip

    briefings = {
        rule_id: _brief_rule(rule, by_rule.get(rule_id, []), sources, settings)
        for rule_id, rule in rules.items()
    }
    _link_rules(briefings, rules, by_rule)

    return Briefing(
        entries=published,
        drafts=drafts,
        rules=rules,
        sources=sources,
        rule_briefings=briefings,
        source_entries={sid: by_source.get(sid, []) for sid in sources},
        problems=content.problems,
        skipped_paths=content.skipped_paths,
        settings=settings,
        contradicted_by=dict(contradicted_by),
        rule_names=rule_names,
    )


def _brief_rule(
    rule: Rule, entries: list[Entry], sources: dict[str, Source], settings: Settings
) -> RuleBriefing:
    history: list[StatusChange] = []
    for entry in entries:
        if entry.status and (not history or history[-1].status != entry.status):
            history.append(StatusChange(entry.status, entry))
    current = next((e for e in reversed(entries) if e.status), None)
    disputes = find_disputes(rule.id, entries, settings.dispute_window_days)
    latest = entries[-1] if entries else None
    cited = Counter(entry.source_id for entry in entries)
    return RuleBriefing(
        rule=rule,
        entries=entries,
        history=history,
        current=current,
        disputes=disputes,
        disputed=is_disputed(disputes, latest, settings.dispute_window_days),
        sources_cited=[
            (sources[sid], count)
            for sid, count in sorted(cited.items(), key=lambda item: (-item[1], item[0]))
        ],
    )


def _link_rules(
    briefings: dict[str, RuleBriefing], rules: dict[str, Rule], by_rule: dict[str, list[Entry]]
) -> None:
    """Parents, children and related rules (those sharing claims, then sources)."""
    for rule_id, briefing in briefings.items():
        parent_id = rules[rule_id].part_of
        if parent_id in briefings:
            briefing.parent = rules[parent_id]
            briefings[parent_id].children.append(rules[rule_id])
    # Count only the rules that share something: comparing every pair of rules took 0.4 s of
    # each build and preview at 500 rules (make bench's dense shape).
    sources_of = {rid: {e.source_id for e in entries} for rid, entries in by_rule.items()}
    rules_of_source: dict[str, list[str]] = defaultdict(list)
    for rid, source_ids in sources_of.items():
        for source_id in source_ids:
            rules_of_source[source_id].append(rid)
    for rule_id, briefing in briefings.items():
        shared_claims: Counter[str] = Counter()
        for entry in by_rule.get(rule_id, []):
            shared_claims.update(entry.rule_ids)
        shared_sources: Counter[str] = Counter()
        for source_id in sources_of.get(rule_id, ()):
            shared_sources.update(rules_of_source[source_id])
        family = {rule_id, briefing.parent.id if briefing.parent else None, *(c.id for c in briefing.children)}
        scored = [
            (-shared_claims[other_id], -shared_sources[other_id], other_id)
            for other_id in shared_claims.keys() | shared_sources.keys()
            if other_id not in family and other_id in rules
        ]
        briefing.related = [rules[other_id] for *_, other_id in heapq.nsmallest(8, scored)]
