"""Name resolution: writers name rules and sources by id, name/title or alias, in any case."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Entry, Problem, Rule, Source
from .reader import Content

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    """A URL- and file-safe id for a name: ``'../../Etc Passwd'`` -> ``'etc-passwd'``.

    Only ``[a-z0-9-]`` survives, so no name can make a path that leaves the site directory.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_name.lower()).strip("-") or "unnamed"


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class NameIndex:
    """Case-insensitive lookup of ids by id, title/name and alias."""

    kind: str  # "rule" or "source", for messages

    def __post_init__(self) -> None:
        self._ids: dict[str, str] = {}

    def add(self, item_id: str, names: Iterable[str], path: str, line: int) -> list[Problem]:
        problems = []
        for name in (item_id, *names):
            key = _key(name)
            owner = self._ids.setdefault(key, item_id)
            if owner != item_id:
                problems.append(Problem(
                    path, line, "aliases",
                    f"'{name}' already names the {self.kind} '{owner}' (use another alias)",
                    fatal=False,
                ))  # fmt: skip
        return problems

    def lookup(self, name: str) -> str | None:
        return self._ids.get(_key(name)) or self._ids.get(slugify(name))


def resolve_names(content: Content) -> NameIndex:
    """Give every entry its ``source_id`` and ``rule_ids``, and check cross-references.

    A rule or source that entries name but no file defines is added, titled by the name used
    first (in entry-id order, so two builds agree). Problems are appended to ``content``.
    Returns the index of rule names, for ``[[rule]]`` links in page text.
    """
    rules_index = NameIndex("rule")
    for rule in content.rules.values():
        content.problems.extend(
            rules_index.add(rule.id, (rule.title, *rule.aliases), _shown(content, rule.path), 1)
        )
    sources_index = NameIndex("source")
    for source in content.sources.values():
        content.problems.extend(
            sources_index.add(source.id, (source.name, *source.aliases), _shown(content, source.path), 1)
        )

    for entry in sorted(content.entries, key=lambda e: e.id):
        source_id = sources_index.lookup(entry.source_ref)
        if source_id is None:
            source_id = _unused_id(slugify(entry.source_ref), content.sources)
            content.sources[source_id] = Source(id=source_id, name=entry.source_ref)
            sources_index.add(source_id, (entry.source_ref,), "", 0)
        entry.source_id = source_id
        rule_ids: list[str] = []
        for ref in entry.rule_refs:
            rule_id = rules_index.lookup(ref)
            if rule_id is None:
                rule_id = _unused_id(slugify(ref), content.rules)
                content.rules[rule_id] = Rule(id=rule_id, title=ref)
                rules_index.add(rule_id, (ref,), "", 0)
            if rule_id not in rule_ids:
                rule_ids.append(rule_id)
        entry.rule_ids = tuple(rule_ids)

    _check_contradicts(content)
    _check_part_of(content, rules_index)
    return rules_index


def _unused_id(wanted: str, taken: dict) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def _shown(content: Content, path: str | None) -> str:
    return f"{content.shown_dir}/{path}" if path else content.shown_dir


def _check_contradicts(content: Content) -> None:
    """Drop (with a warning) references to entries that do not exist."""
    known = {entry.id for entry in content.entries} | {
        path.rsplit("/", 1)[-1][: -len(".md")] for path in content.skipped_paths
        if path.startswith("entries/")
    }
    for entry in content.entries:
        kept = []
        for ref in entry.contradicts:
            if ref == entry.id:
                content.problems.append(_entry_problem(
                    content, entry, "contradicts",
                    "an entry cannot contradict itself (remove its own id)",
                ))  # fmt: skip
            elif ref not in known:
                content.problems.append(_entry_problem(
                    content, entry, "contradicts",
                    f"'{ref}' is not an entry id (use the file name of the entry, without .md)",
                ))  # fmt: skip
            else:
                kept.append(ref)
        entry.contradicts = tuple(kept)


def _entry_problem(content: Content, entry: Entry, field: str, message: str) -> Problem:
    return Problem(f"{content.shown_dir}/{entry.path}", entry.lines.get(field, 1), field, message, fatal=False)


def _check_part_of(content: Content, rules_index: NameIndex) -> None:
    """Resolve ``part_of`` to a rule id; report unknown parents and cycles."""
    for rule in content.rules.values():
        if rule.part_of is None:
            continue
        parent = rules_index.lookup(rule.part_of)
        if parent is None or parent == rule.id:
            content.problems.append(Problem(
                _shown(content, rule.path), rule.lines.get("part_of", 1), "part_of",
                f"'{rule.part_of}' is not another rule (use a rule id, title or alias)",
                fatal=False,
            ))  # fmt: skip
            rule.part_of = None
        else:
            rule.part_of = parent
    for rule in sorted(content.rules.values(), key=lambda r: r.id):
        seen = [rule.id]
        parent = rule.part_of
        while parent is not None:
            if parent in seen:
                cycle = " -> ".join([*seen, parent])
                content.problems.append(Problem(
                    _shown(content, rule.path), rule.lines.get("part_of", 1), "part_of",
                    f"rules are part of each other ({cycle}); remove one part_of",
                    fatal=False,
                ))  # fmt: skip
                rule.part_of = None
                break
            seen.append(parent)
            parent = content.rules[parent].part_of
