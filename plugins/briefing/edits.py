"""A save in the live preview applied to the compiled briefing, without compiling it all again.

At 100,000 entries, compiling the whole briefing was 4 of the 20 s a save waited for in
`mkdocs serve` (tests/bench.py). Most saves change what one claim says: its wording, status,
date, source, rules or tags. :func:`apply_edits` puts the edited claims in place of the ones
they were and works out again only what those are part of: their rules' briefings (status,
history, disputes, blocks, related rules), their sources' lists, the claims they contradict,
and the tags.

An edit that could reach further returns None, and the caller compiles everything, as before:

- a file that is not a published claim both before and after (a new or deleted file, a draft,
  a rule's or a source's file, a writer's page);
- a claim with any problem, before or after, or whose ``contradicts`` names a claim twice or
  one that is not published (its problems, and which claims it names, follow from all of them);
- a claim with an ``after:``, or named in one (others' order follows from it);
- a claim that names a rule or source no file defines (its title follows from the first claim
  that names it, and it is gone when no claim does);
- a claim whose text holds a ``[[link]]`` (rules related by it);
- a commit, checkout or reset since the briefing was compiled (claims' dates come from git);
- other problems among the tags than before.

tests/test_edits.py holds the result equal to a whole compile after random edits.
"""

from __future__ import annotations

import bisect
import dataclasses
import os
from dataclasses import dataclass

from .compiled import (
    NEWEST_SHOWN,
    Briefing,
    RuleBriefing,
    brief_rule,
    dispute_marks,
    newest,
    related_rules,
)
from .history import git_state
from .model import Entry, Problem
from .reader import ENTRY_FIELDS, DocumentCache, entry_from_document
from .taxonomy import collect_terms


@dataclass
class Edited:
    """The briefing after an edit, and whose pages it may have changed: claims by id, rules and
    sources by id, tags and jurisdictions by term id."""

    briefing: Briefing
    entries: set[str]
    rules: set[str]
    sources: set[str]
    tags: set[str]
    jurisdictions: set[str]


def apply_edits(briefing: Briefing, content_dir: str, shown_dir: str, cache: DocumentCache, paths: list[str]) -> Edited | None:
    """``briefing`` with the claims at ``paths`` (relative to ``content_dir``) read again; None
    where the edit reaches further than this works out (see the module's docstring)."""
    if briefing.history is not None and git_state(content_dir) != briefing.history.state:
        return None
    named_in_after = {ref for entry in briefing.entries for ref in entry.after}
    pairs = []
    for path in sorted(set(paths)):
        pair = _edited_claim(briefing, content_dir, shown_dir, cache, path, named_in_after)
        if pair is None:
            return None
        pairs.append(pair)
    olds, news = [old for old, _ in pairs], [new for _, new in pairs]
    entries = list(briefing.entries)
    for old, new in pairs:
        _remove(entries, old)
        bisect.insort(entries, new, key=Entry.sort_key)
    tags, jurisdictions, term_problems = collect_terms(entries, briefing.rules.values(), shown_dir)
    if term_problems != briefing.term_problems:
        return None

    rules = {rule_id for entry in (*olds, *news) for rule_id in entry.rule_ids}
    sources = {entry.source_id for entry in (*olds, *news)}
    by_rule = {rule_id: _replaced(briefing.rule_briefings[rule_id].entries, pairs, lambda e, r=rule_id: r in e.rule_ids) for rule_id in rules}
    source_entries, contradicted_by = _lists_edited(briefing, pairs, sources)

    by_id = {entry.id: entry for entry in entries}
    rule_briefings = dict(briefing.rule_briefings)
    for rule_id in rules:
        before = briefing.rule_briefings[rule_id]
        after = brief_rule(before.rule, by_rule[rule_id], briefing.sources, briefing.settings, by_id.get)
        after.parent, after.children = before.parent, before.children  # rules and part_of: unchanged
        rule_briefings[rule_id] = after
    for rule_id in rules:
        rule_briefings[rule_id].related = related_rules(rule_id, rule_briefings, briefing.rules, by_rule, briefing.rule_links)
    relisted = news + _mark_disputes(rule_briefings, [*news, *(e for rule_id in rules for e in by_rule[rule_id])])

    edited = dataclasses.replace(
        briefing, entries=entries, rule_briefings=rule_briefings, source_entries=source_entries,
        contradicted_by=contradicted_by, tags=tags, jurisdictions=jurisdictions,
    )  # fmt: skip
    newest_before = briefing.newest_claims()
    if len(newest_before) == NEWEST_SHOWN and not {id(e) for e in olds} & {id(e) for e in newest_before}:
        edited._newest = newest(newest_before + news)  # the edited claims were not among the newest
    return _shown_anew(briefing, edited, olds, relisted, rules | sources_of(relisted, "rule"), sources | sources_of(relisted, "source"))


def _lists_edited(
    briefing: Briefing, pairs: list[tuple[Entry, Entry]], sources: set[str]
) -> tuple[dict[str, list[Entry]], dict[str, list[Entry]]]:
    """The claims of each source, and those that contradict each claim, after the edit."""
    source_entries = dict(briefing.source_entries)
    for source_id in sources:
        source_entries[source_id] = _replaced(source_entries[source_id], pairs, lambda e, s=source_id: e.source_id == s)
    contradicted_by = dict(briefing.contradicted_by)
    for target in {other for pair in pairs for entry in pair for other in entry.contradicts}:
        listed = _replaced(contradicted_by.get(target, []), pairs, lambda e, t=target: t in e.contradicts)
        if listed:
            contradicted_by[target] = listed
        else:
            contradicted_by.pop(target, None)
    return source_entries, contradicted_by


def sources_of(entries: list[Entry], kind: str) -> set[str]:
    """The rules (``kind`` "rule") or the sources of ``entries``."""
    return {r for e in entries for r in e.rule_ids} if kind == "rule" else {e.source_id for e in entries}


def _shown_anew(before: Briefing, after: Briefing, olds: list[Entry], relisted: list[Entry], rules: set[str], sources: set[str]) -> Edited:
    """Whose pages may show something else: the claims listed anew (``relisted``, whose
    ``Entry.listed`` changed) are shown on their rules', sources' and tags' pages, on the pages
    of the claims next to them on each rule, and on those of the claims they contradict or that
    contradict them; the claims of the edited rules may have new neighbours."""
    entries = {e.id for rule_id in rules for e in after.rule_briefings[rule_id].entries}
    for entry in (*olds, *relisted):
        entries.add(entry.id)
        entries.update(entry.contradicts)
        entries.update(e.id for e in (*before.contradicted_by.get(entry.id, ()), *after.contradicted_by.get(entry.id, ())))
    tags = {t for e in (*olds, *relisted) for name in e.tags for t in (before.tags.by_name.get(name), after.tags.by_name.get(name)) if t}
    return Edited(after, entries, rules, sources, tags, {t for rule_id in rules if (t := _jurisdiction(after, rule_id))})


def _edited_claim(
    briefing: Briefing, content_dir: str, shown_dir: str, cache: DocumentCache, path: str, named_in_after: set[str]
) -> tuple[Entry, Entry] | None:
    """The published claim at ``path`` and the one the file now holds, resolved as a whole
    compile would resolve it; None where that takes more (see the module's docstring)."""
    if not (path.startswith("entries/") and path.endswith(".md")):
        return None
    entry_id = path.rsplit("/", 1)[-1][: -len(".md")]
    old = briefing.entry(entry_id)
    shown = f"{shown_dir}/{path}"
    if old is None or old.path != path or old.after or old.id in named_in_after or "[[" in old.body:
        return None
    if any(problem.path == shown for problem in briefing.problems):
        return None
    doc = cache.read(os.path.join(content_dir, path), shown, ENTRY_FIELDS)
    if isinstance(doc, Problem):
        return None
    new, problems = entry_from_document(doc, entry_id, path, briefing.settings.statuses)
    if new is None or problems or new.draft or new.after or "[[" in new.body:
        return None
    if len(set(new.contradicts)) != len(new.contradicts) or not all(
        other != entry_id and briefing.entry(other) is not None for other in new.contradicts
    ):
        return None
    source_id = briefing.source_names.lookup(new.source_ref)
    rule_ids = tuple(dict.fromkeys(briefing.rule_names.lookup(ref) for ref in new.rule_refs))
    defined = [briefing.sources.get(source_id or "")] + [briefing.rules.get(r or "") for r in (*rule_ids, *old.rule_ids)]
    if briefing.sources[old.source_id].path is None or not all(item and item.path for item in defined):
        return None  # a rule or source no file defines
    new.source_id, new.rule_ids = source_id, rule_ids  # type: ignore[assignment]
    new.earliest, new.chain_depth = new.date.first_day(), 0
    history = briefing.history
    new.added, new.changed = history.dates(path) if history else (new.date.timestamp(),) * 2
    return old, new


def _remove(entries: list[Entry], entry: Entry) -> None:
    """Take ``entry`` out of ``entries``, a list in listing order (sort keys are unique)."""
    index = bisect.bisect_left(entries, entry.sort_key(), key=Entry.sort_key)
    assert entries[index] is entry, entry.id
    del entries[index]


def _replaced(listed: list[Entry], pairs: list[tuple[Entry, Entry]], belongs) -> list[Entry]:
    """A copy of ``listed`` (in listing order) with each old claim of ``pairs`` out and each new
    one in, where it ``belongs``."""
    result = list(listed)
    for old, new in pairs:
        index = bisect.bisect_left(result, old.sort_key(), key=Entry.sort_key)
        if index < len(result) and result[index] is old:
            del result[index]
        if belongs(new):
            bisect.insort(result, new, key=Entry.sort_key)
    return result


def _mark_disputes(rule_briefings: dict[str, RuleBriefing], entries: list[Entry]) -> list[Entry]:
    """``Entry.disputes`` of ``entries`` again, from every rule they are on (as
    ``compiled._mark_disputes`` does for all); the claims whose marks changed."""
    marks: dict[str, dict[str, str]] = {}
    changed = []
    for entry in entries:
        for rule_id in entry.rule_ids:
            if rule_id not in marks:
                marks[rule_id] = dispute_marks(rule_briefings[rule_id])
        disputes = tuple(sorted((rule_id, marks[rule_id][entry.id]) for rule_id in entry.rule_ids if entry.id in marks[rule_id]))
        if disputes != entry.disputes:
            entry.disputes = disputes
            entry.__dict__.pop("listed", None)  # Entry.listed, kept from before, shows them
            changed.append(entry)
    return changed


def _jurisdiction(briefing: Briefing, rule_id: str) -> str | None:
    name = briefing.rules[rule_id].jurisdiction
    return briefing.jurisdictions.by_name.get(name) if name else None
