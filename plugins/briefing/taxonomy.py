"""Tags and jurisdictions: every term gets a page of its own, as Hugo's taxonomies and
Material's tags plugin give them (``/tags/<id>/``, ``/jurisdictions/<id>/``).

A term's id is made as an implied rule's is (``resolve.slugify``): readable in any script,
``index`` reserved. Names that differ only in case or Unicode form are one term ("Banks" and
"banks"), listed under the name first used. Two other names that would make the same id
("a b" and "a-b") are never merged: the second gets an id of its own and the writer hears of it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .model import Entry, Problem, Rule, url_id
from .resolve import RESERVED_IDS, slugify

FOLDERS = {"tag": "tags", "jurisdiction": "jurisdictions"}


@dataclass
class Term:
    """A tag (claims carry it) or a jurisdiction (rules apply in it)."""

    id: str
    name: str
    kind: str  # "tag" or "jurisdiction"
    entries: list[Entry] = field(default_factory=list)  # a tag's claims, in listing order
    rule_ids: list[str] = field(default_factory=list)  # a jurisdiction's rules, by id

    @cached_property
    def url_path(self) -> str:
        return f"{FOLDERS[self.kind]}/{url_id(self.id)}/"


@dataclass
class Terms:
    """The terms of one kind, and which term each name as written stands for."""

    kind: str
    by_id: dict[str, Term] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)  # a name as written -> term id
    _by_folded: dict[str, str] = field(default_factory=dict)
    _next_suffix: dict[str, int] = field(default_factory=dict)  # wanted id -> next "-N" to try

    def add(self, name: str, where: str, line: int, problems: list[Problem]) -> Term:
        """The term ``name`` stands for, made on first use."""
        if name in self.by_name:
            return self.by_id[self.by_name[name]]
        folded = unicodedata.normalize("NFKC", name).casefold()
        term_id = self._by_folded.get(folded)
        if term_id is None:
            wanted = slugify(name)
            if wanted in RESERVED_IDS:
                wanted = f"{wanted}-{self.kind}"
            # Where the next "-N" is tried from: thousands of names sharing one id stay linear.
            term_id, n = wanted, self._next_suffix.get(wanted, 2)
            while term_id in self.by_id:
                term_id, n = f"{wanted}-{n}", n + 1
            self._next_suffix[wanted] = n
            if term_id != wanted:
                problems.append(Problem(
                    where, line, "tags" if self.kind == "tag" else "jurisdiction",
                    f"'{name}' and '{self.by_id[wanted].name}' both make the {self.kind} id '{wanted}'; "
                    f"they get two pages: write the {self.kind} as elsewhere if they are one",
                    fatal=False,
                ))  # fmt: skip
            self.by_id[term_id] = Term(term_id, name, self.kind)
            self._by_folded[folded] = term_id
        self.by_name[name] = term_id
        return self.by_id[term_id]

    def sorted(self) -> list[Term]:
        """By name, as a reader looks one up."""
        return sorted(self.by_id.values(), key=lambda term: (term.name.casefold(), term.id))


def collect_terms(entries: Iterable[Entry], rules: Iterable[Rule], shown_dir: str) -> tuple[Terms, Terms, list[Problem]]:
    """The tags of ``entries`` (published, in listing order) and the jurisdictions of ``rules``."""
    problems: list[Problem] = []
    tags, jurisdictions = Terms("tag"), Terms("jurisdiction")
    for entry in entries:
        listed: set[str] = set()  # "Banks" and "banks" on one claim: one tag, the claim listed once
        for name in entry.tags:
            term = tags.add(name, f"{shown_dir}/{entry.path}", entry.lines.get("tags", 1), problems)
            if term.id not in listed:
                listed.add(term.id)
                term.entries.append(entry)
    for rule in sorted(rules, key=lambda r: r.id):
        if rule.jurisdiction:
            where = f"{shown_dir}/{rule.path}" if rule.path else shown_dir
            term = jurisdictions.add(rule.jurisdiction, where, rule.lines.get("jurisdiction", 1), problems)
            term.rule_ids.append(rule.id)
    return tags, jurisdictions, problems
