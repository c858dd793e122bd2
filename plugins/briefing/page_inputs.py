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

from .alerts import rule_alerts
from .compiled import Briefing, Neighbours
from .model import Entry


def _listed_all(entries: Iterable[Entry | None]) -> tuple:
    return tuple(entry.listed if entry else None for entry in entries)


def site_inputs(briefing: Briefing, extra: Hashable = ()) -> Hashable:
    """What every page shows or links by: rules' and sources' names and files, the settings.
    ``extra``: what the site generator adds (configuration, nav, templates)."""
    rules = tuple((r.id, r.title, r.aliases, r.path, r.part_of) for r in briefing.rules.values())
    sources = tuple((s.id, s.name, s.aliases, s.path) for s in briefing.sources.values())
    return (rules, sources, briefing.settings, extra)


# Each rule's neighbour inputs as last worked out, kept by the preview between rebuilds:
# rule id -> (what decided them, ``neighbour_key``; entry id -> that entry's on this rule).
KeptNeighbours = dict[str, tuple[Hashable, dict[str, Hashable]]]


def entry_inputs(briefing: Briefing, kept: KeptNeighbours | None = None) -> dict[str, Hashable]:
    """Every entry page's inputs at once: its claim and body, the claims before and after it
    on each of its rules, what it contradicts and what contradicts it. One walk of each
    rule's claims, not one look-up per entry: the preview asks this on every rebuild.

    ``kept``: the neighbours worked out by earlier rebuilds, reused for each rule whose
    ``neighbour_key`` is unchanged, and updated (at 100,000 entries, working out every
    claim's neighbours again was a fifth of a save's rebuild)."""
    kept = {} if kept is None else kept
    rules = briefing.rule_briefings
    for rule_id in [r for r in kept if r not in rules]:
        del kept[rule_id]
    chains = after_chains(briefing)
    for rule_id, rule_briefing in rules.items():
        key = neighbour_key(briefing, rule_id, chains)
        if rule_id not in kept or kept[rule_id][0] != key:
            on_rule = {e.id: _neighbour_inputs(briefing.neighbours_on(e, rule_id)) for e in rule_briefing.entries}
            kept[rule_id] = (key, on_rule)
    return {
        entry.id: _entry_inputs(briefing, entry, tuple(kept[rule_id][1][entry.id] for rule_id in entry.rule_ids if rule_id in rules))
        for entry in briefing.entries
    }


def entry_inputs_of(briefing: Briefing, entry: Entry) -> Hashable:
    """One entry page's inputs, as ``entry_inputs`` gives them for all."""
    on_rules = tuple(
        _neighbour_inputs(briefing.neighbours_on(entry, rule_id)) for rule_id in entry.rule_ids if rule_id in briefing.rule_briefings
    )  # fmt: skip
    return _entry_inputs(briefing, entry, on_rules)


def _entry_inputs(briefing: Briefing, entry: Entry, neighbours: Hashable) -> Hashable:
    return (
        entry.listed, entry.body, neighbours,
        _listed_all(map(briefing.entry, entry.contradicts)),
        _listed_all(briefing.contradicted_by.get(entry.id, ())),
        tuple(briefing.tags.by_name.get(tag) for tag in entry.tags),
    )  # fmt: skip


def _neighbour_inputs(n: Neighbours) -> Hashable:
    return (
        n.rule.id, _listed_all(n.previous), _listed_all(n.same_period), _listed_all(n.next),
        n.previous_count, n.same_period_count, n.next_count,
    )  # fmt: skip


def after_chains(briefing: Briefing) -> Hashable:
    """Every claim in an ``after:`` chain, with what ``known_before`` reads of it: worked out
    once per rebuild, for ``neighbour_key``."""
    named = {ref for entry in briefing.entries for ref in entry.after}
    return tuple((e.id, e.date, e.after, e.earliest) for e in briefing.entries if e.after or e.id in named)


def neighbour_key(briefing: Briefing, rule_id: str, chains: Hashable) -> Hashable:
    """What decides the neighbours of a rule's claims (``Briefing.neighbours_on``): the rule's
    claims in their order, each with where the chronology put it, and, if any of them has an
    ``after:``, every claim in an ``after:`` chain (``chains``), on any rule, since
    ``known_before`` walks through them. All chains, not the ones this rule reaches: walking
    those for each rule would be quadratic in a long chain across many rules."""
    entries = briefing.rule_briefings[rule_id].entries
    own = tuple((e.listed, e.earliest, e.chain_depth) for e in entries)
    return own, chains if any(e.after for e in entries) else ()


def rule_inputs(briefing: Briefing, rule_id: str) -> Hashable:
    b = briefing.rule_briefings[rule_id]
    rule = b.rule
    return (
        (rule.summary, rule.jurisdiction, briefing.jurisdictions.by_name.get(rule.jurisdiction or ""),
         rule.issuer, rule.kind, rule.body),
        _listed_all(b.entries),
        tuple((d.earlier.id, d.later.id, d.reason, d.order_known) for d in b.disputes),
        b.disputed, _listed_all(b.current), b.status_since,
        tuple(tuple(e.id for e in block.entries) for block in b.blocks),
        tuple((c.entry.id, c.order_known) for c in b.history),
        b.parent.id if b.parent else None,
        tuple(r.id for r in b.children),
        tuple((r.rule.id, r.reasons, r.shared_claims) for r in b.related),
        tuple((s.id, n) for s, n in b.sources_cited),
    )


def source_inputs(briefing: Briefing, source_id: str) -> Hashable:
    source = briefing.sources[source_id]
    return ((source.kind, source.url, source.body), _listed_all(briefing.source_entries[source_id]))


def rules_index_inputs(briefing: Briefing) -> Hashable:
    """Every rule's status line: the rules index's pages, entries.json and each year's file,
    the state of play show it (worked out once per briefing: 28 times a save at 100,000)."""
    kept = briefing.kept_inputs.get("rules index")
    if kept is None:
        kept = briefing.kept_inputs["rules index"] = _rules_index_inputs(briefing)
    return kept


def _rules_index_inputs(briefing: Briefing) -> Hashable:
    return tuple(
        (b.rule.id, b.status_label, b.latest.date if b.latest else None, len(b.entries), b.disputed,
         b.status_since, tuple(e.status for e in b.current))
        for b in briefing.rule_briefings.values()
    )  # fmt: skip


def state_of_play_inputs(briefing: Briefing, newest: list[Entry]) -> Hashable:
    """The state-of-play block: every rule's status line, and the newest claims."""
    return rules_index_inputs(briefing), _listed_all(newest)


def status_feed_inputs(briefing: Briefing) -> Hashable:
    """The alerts feed: each rule's status changes and disputes (with the claims they name)."""
    return tuple(
        (b.rule.title, b.status_label, tuple(c.entry.listed for c in b.history),
         tuple((d.key, d.earlier.listed, d.later.listed) for d in b.disputes),
         tuple((a.conclusion, a.entry.listed) for a in rule_alerts(b, briefing.settings.dispute_window_days) if a.closes))
        for b in briefing.rule_briefings.values()
    )  # fmt: skip


def sources_index_inputs(briefing: Briefing) -> Hashable:
    return tuple((s.id, s.kind, len(briefing.source_entries[s.id])) for s in briefing.sources.values())


def terms_index_inputs(briefing: Briefing, kind: str) -> Hashable:
    """``/tags/`` or ``/jurisdictions/``: each term's id, name and count."""
    return tuple((t.id, t.name, len(t.entries), len(t.rule_ids)) for t in briefing.terms(kind).sorted())


def term_inputs(briefing: Briefing, kind: str, term_id: str, newest_first: bool) -> Hashable:
    """A tag's page (its claims) or a jurisdiction's (its rules' status lines, latest claims)."""
    term = briefing.terms(kind).by_id[term_id]
    rules = tuple(
        (b.rule.id, b.rule.title, b.status_label, b.latest.date if b.latest else None, len(b.entries),
         b.disputed, b.status_since, tuple(e.status for e in b.current))
        for b in map(briefing.rule_briefings.get, term.rule_ids) if b
    )  # fmt: skip
    return term.name, rules, _listed_all(briefing.term_claims(kind, term_id)), newest_first


def entries_inputs(entries: list[Entry]) -> Hashable:
    """A list of claims (the timeline, a year page, a feed): what each shows."""
    return _listed_all(entries)


PageInputs = Callable[[], Hashable]
