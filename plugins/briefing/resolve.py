"""Name resolution: writers name rules and sources by id, name/title or alias, in any case."""

from __future__ import annotations

import difflib
import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .model import Entry, Problem, Rule, Source
from .reader import Content

# Ids a name may not take: they are the generated index pages of the rules/ and sources/ folders.
RESERVED_IDS = frozenset({"index"})
# A folder name in the built site holds at most 255 bytes; an id stays well under that.
MAX_ID_BYTES = 100


def slugify(name: str) -> str:
    """A readable id for a name, in any script: ``'Bank IT rules'`` -> ``'bank-it-rules'``,
    ``'反恐怖主义法'`` -> ``'反恐怖主义法'``, ``'Règlement n° 2'`` -> ``'règlement-n-2'``.

    Letters, marks and digits of every script are kept, lower-cased; everything else separates
    words. No id can hold ``/`` or ``.``, so none can make a path that leaves the site folder.
    A name with no letters or digits at all (``'???'``, ``'🦀'``) gets an id made from its
    hash, so two such names never share one.
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    words = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text).split()
    slug = "-".join(words)
    if not slug:
        return f"name-{_digest(name)}"
    if len(slug.encode()) > MAX_ID_BYTES:
        cut = slug.encode()[: MAX_ID_BYTES - 9].decode(errors="ignore").rstrip("-")
        return f"{cut}-{_digest(name)}"
    return slug


def _digest(name: str) -> str:
    return hashlib.sha1(_key(name).encode()).hexdigest()[:8]


# Worked out once per spelling: 100,000 entries name a few thousand rules and sources half a
# million times.
@lru_cache(maxsize=1 << 16)
def _key(name: str) -> str:
    """What two spellings of one name share: case, spacing and Unicode forms aside."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


@dataclass
class NameIndex:
    """Case-insensitive lookup of ids by id, title/name and alias.

    Only exact names match (case, spacing and Unicode normalisation aside): two names that
    merely slugify alike, such as "C++ Weekly" and "C Weekly", are two things, never one.
    """

    kind: str  # "rule" or "source", for messages

    def __post_init__(self) -> None:
        self._ids: dict[str, str] = {}

    def add(
        self, item_id: str, names: Iterable[str], path: str, lines: dict[str, int] | int = 1,
        fields: tuple[str, str] = ("title", "aliases"),
    ) -> list[Problem]:
        """Index ``item_id`` and ``names`` (its title or name first, then its aliases); a name
        that already names another item is left to that item and reported."""
        problems = []
        for position, name in enumerate((item_id, *names)):
            key = _key(name)
            owner = self._ids.setdefault(key, item_id)
            if owner != item_id:
                field = fields[0] if position == 1 else fields[1]
                line = lines.get(field, 1) if isinstance(lines, dict) else lines
                what = "the id of" if _key(owner) == key else "a name of"
                problems.append(Problem(
                    path, line, field,
                    f"'{name}' is already {what} the {self.kind} '{owner}', which keeps it; use another {'alias' if field == 'aliases' else field}",
                    fatal=False,
                ))  # fmt: skip
        return problems

    def lookup(self, name: str) -> str | None:
        return self._ids.get(_key(name))


def resolve_names(content: Content) -> tuple[NameIndex, NameIndex]:
    """Give every entry its ``source_id`` and ``rule_ids``, and check cross-references.

    A rule or source that entries name but no file defines is added, titled by the name used
    first (in entry-id order, so two builds agree). Problems are appended to ``content``.
    Returns the indexes of rule names (for ``[[rule]]`` links in page text too) and of
    source names.
    """
    # Ids first, then titles and aliases: an alias never captures another rule's id (a rule
    # with `aliases: [us-pafaca]` would take every entry naming that rule), and the warning
    # names the file whose alias clashes, not the rule it would have captured.
    rules_index = NameIndex("rule")
    sources_index = NameIndex("source")
    for index, items in ((rules_index, content.rules), (sources_index, content.sources)):
        for item in items.values():
            index.add(item.id, (), _shown(content, item.path), 1)
    for rule in content.rules.values():
        content.problems.extend(rules_index.add(
            rule.id, (rule.title, *rule.aliases), _shown(content, rule.path), rule.lines, ("title", "aliases"),
        ))  # fmt: skip
    for source in content.sources.values():
        content.problems.extend(sources_index.add(
            source.id, (source.name, *source.aliases), _shown(content, source.path), source.lines, ("name", "aliases"),
        ))  # fmt: skip
    implied = _Implied(content)
    for entry in sorted(content.entries, key=lambda e: e.id):
        source_id = sources_index.lookup(entry.source_ref)
        if source_id is None:
            source_id = implied.add(entry, "source", entry.source_ref, content.sources, sources_index)
        entry.source_id = source_id
        rule_ids: list[str] = []
        for ref in entry.rule_refs:
            rule_id = rules_index.lookup(ref) or implied.add(entry, "rule", ref, content.rules, rules_index)
            if rule_id not in rule_ids:
                rule_ids.append(rule_id)
        entry.rule_ids = tuple(rule_ids)

    _check_contradicts(content)
    _check_part_of(content, rules_index)
    _check_near_misses(content, implied)
    return rules_index, sources_index


class _Implied:
    """Rules and sources that entries name but no file defines, each with an id of its own."""

    def __init__(self, content: Content):
        self.content = content
        self.first_named_in: dict[tuple[str, str], str] = {}  # (kind, id) -> shown path
        self.named_by: dict[tuple[str, str], tuple[Entry, str]] = {}  # (kind, id) -> first entry, name

    def add(self, entry: Entry, kind: str, name: str, taken: dict, index: NameIndex) -> str:
        wanted = slugify(name)
        if wanted in RESERVED_IDS:
            wanted = f"{wanted}-{kind}"
        item_id, n = wanted, 2
        while item_id in taken:
            item_id, n = f"{wanted}-{n}", n + 1
        if item_id != wanted:
            # Never a merge: the new name gets an id of its own, and the writer hears of it.
            other = taken[wanted]
            other_name = other.title if kind == "rule" else other.name
            where = _shown(self.content, other.path) if other.path else self.first_named_in[(kind, wanted)]
            folder = "rules" if kind == "rule" else "sources"
            field = "rule" if kind == "rule" else "source"
            self.content.problems.append(_entry_problem(
                self.content, entry, field,
                f"'{name}' and '{other_name}' ({where}) both make the {kind} id '{wanted}'; "
                f"write the {kind}'s name as elsewhere, or give it a file in {self.content.shown_dir}/{folder}/",
            ))  # fmt: skip
        self.first_named_in[(kind, item_id)] = f"{self.content.shown_dir}/{entry.path}"
        self.named_by[(kind, item_id)] = (entry, name)
        if kind == "rule":
            taken[item_id] = Rule(id=item_id, title=name)
        else:
            taken[item_id] = Source(id=item_id, name=name)
        index.add(item_id, (name,), "", 0)
        return item_id


def folded(name: str) -> str:
    """A name as a typo would leave it: case, diacritics, spacing and punctuation aside."""
    text = unicodedata.normalize("NFKD", name).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text if not unicodedata.combining(ch)).split())


def _unaccented(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).casefold()
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())


def near_miss(name: str, known: dict[str, str]) -> str | None:
    """The known name (``known``: folded form -> name as written) that ``name`` looks like a
    typo of, or None: one edit in a short name, about one in five in a longer one (difflib's
    ratio, which also catches swapped letters: 'Reutres' for 'Reuters')."""
    key = folded(name)
    if key in known:
        # The same letters: another accent is a typo ('Réuters'); other punctuation may be
        # another name ('a b' and 'a#b'), which the id clash already reports.
        written = known[key]
        return written if _unaccented(written) == _unaccented(name) else None
    if len(key) < 3:
        return None
    cutoff = 0.8 if len(key) >= 6 else 0.75
    close = difflib.get_close_matches(key, known, n=1, cutoff=cutoff)
    return known[close[0]] if close else None


def _check_near_misses(content: Content, implied: _Implied) -> None:
    """Warn where an entry names a rule or source that no file defines and that looks like a
    typo of one a file does define (its id, title/name or an alias). Defining the new name in
    a file says it is meant, and silences this."""
    for kind, items in (("rule", content.rules), ("source", content.sources)):
        known: dict[str, str] = {}
        for item in items.values():
            if item.path is None:
                continue
            for name in (item.title if kind == "rule" else item.name, *item.aliases, item.id):
                known.setdefault(folded(name), name)
        if not known:
            continue
        folder = "rules" if kind == "rule" else "sources"
        guesses = {
            _key(name): (item_id, near_miss(name, known))
            for (named_kind, item_id), (_, name) in implied.named_by.items() if named_kind == kind
        }  # fmt: skip
        if not any(guess for _, guess in guesses.values()):
            continue  # no name looks like a typo: no entry to look through
        for entry in sorted(content.entries, key=lambda e: e.id):
            for name in entry.rule_refs if kind == "rule" else (entry.source_ref,):
                item_id, guess = guesses.get(_key(name), ("", None))
                if guess:
                    content.problems.append(_entry_problem(
                        content, entry, kind,
                        f"'{name}' is no {kind} a file defines; did you mean '{guess}'? (correct the name, "
                        f"or add {content.shown_dir}/{folder}/{item_id}.md if '{name}' is another {kind})",
                    ))  # fmt: skip


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
