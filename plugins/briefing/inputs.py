"""What each generated page and file shows, as a value that changes exactly when it must.

Live preview rebuilds only the pages whose inputs changed since the last rebuild (see
``preview.py``): the entry that was edited, its neighbours and the claims it disputes, its rules'
and its source's pages, its timeline year, the indexes and data files. Everything a page's
template reads must be in that page's inputs here; what every page shows (names of rules and
sources, settings, the nav) is in :func:`site_inputs`, whose change rebuilds everything. The
test that keeps this honest compares the preview after random edits with a clean build
(tests/test_preview.py).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from .briefing import Briefing
from .model import Entry


def listed(entry: Entry) -> tuple:
    """All of an entry that a page listing it can show (everything but its body)."""
    return (
        entry.id, entry.date, entry.claim, entry.status, entry.by, entry.url, entry.quote,
        entry.tags, entry.source_id, entry.rule_ids, entry.contradicts,
    )  # fmt: skip


def _listed_all(entries: Iterable[Entry | None]) -> tuple:
    return tuple(listed(entry) if entry else None for entry in entries)


def site_inputs(briefing: Briefing, extra: Hashable = ()) -> Hashable:
    """What every page shows or links by: rules' and sources' names and files, the settings.
    ``extra``: what the site generator adds (configuration, nav, templates)."""
    rules = tuple((r.id, r.title, r.aliases, r.path, r.part_of) for r in briefing.rules.values())
    sources = tuple((s.id, s.name, s.aliases, s.path) for s in briefing.sources.values())
    return (rules, sources, briefing.settings, extra)


def entry_inputs(briefing: Briefing, entry_id: str) -> Hashable:
    entry = briefing.entry(entry_id)
    if entry is None:
        return None
    neighbours = tuple((n.rule.id, _listed_all((n.previous, n.next))) for n in briefing.neighbours(entry))
    contradicts = _listed_all(map(briefing.entry, entry.contradicts))
    contradicted_by = _listed_all(briefing.contradicted_by.get(entry_id, []))
    return (listed(entry), entry.body, neighbours, contradicts, contradicted_by)


def rule_inputs(briefing: Briefing, rule_id: str) -> Hashable:
    b = briefing.rule_briefings[rule_id]
    rule = b.rule
    return (
        (rule.summary, rule.jurisdiction, rule.issuer, rule.kind, rule.body),
        _listed_all(b.entries),
        tuple((d.earlier.id, d.later.id, d.reason) for d in b.disputes),
        b.disputed,
        b.parent.id if b.parent else None,
        tuple(r.id for r in b.children),
        tuple(r.id for r in b.related),
        tuple((s.id, n) for s, n in b.sources_cited),
    )


def source_inputs(briefing: Briefing, source_id: str) -> Hashable:
    source = briefing.sources[source_id]
    return ((source.kind, source.url, source.body), _listed_all(briefing.source_entries[source_id]))


def rules_index_inputs(briefing: Briefing) -> Hashable:
    return tuple(
        (b.rule.id, b.status_label, b.latest.date if b.latest else None, len(b.entries), b.disputed)
        for b in briefing.rule_briefings.values()
    )


def sources_index_inputs(briefing: Briefing) -> Hashable:
    return tuple((s.id, s.kind, len(briefing.source_entries[s.id])) for s in briefing.sources.values())


def entries_inputs(entries: list[Entry]) -> Hashable:
    """A list of claims (the timeline, a year page, a feed): what each shows."""
    return _listed_all(entries)


PageInputs = Callable[[], Hashable]
