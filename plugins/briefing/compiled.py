"""The compiled briefing: what every generated page, feed and data file is drawn from.

Everything here is computed once per build, so pages only look things up: no page walks the
whole list of entries unless listing them all is that page's job.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from .chronology import EXACT_BLOCK_LIMIT, Block, blocks, check_after, known_before, latest
from .dates import PartialDate
from .disputes import SHOWN_DISPUTES, Dispute, find_disputes, is_disputed
from .history import History, read_history
from .model import DEFAULT_STATUSES, DEFAULT_WINDOW_DAYS, Entry, Problem, Rule, Source
from .reader import Content, DocumentCache, read_content
from .resolve import NameIndex, resolve_names
from .taxonomy import Terms, collect_terms
from .wikilinks import link_rule_names


@dataclass(frozen=True)
class Settings:
    """The knobs a site can turn, from the plugin's config or the CLI's options."""

    statuses: tuple[str, ...] = DEFAULT_STATUSES
    dispute_window_days: int = DEFAULT_WINDOW_DAYS


@dataclass(frozen=True)
class StatusChange:
    """A point in a rule's status history: ``entry`` asserted ``status`` as news.

    ``order_known``: the claim is known to come after the status claim listed before it; when
    not, the two share a period and which came first is not known.
    """

    status: str
    entry: Entry
    order_known: bool = True


@dataclass
class RuleBriefing:
    """Everything one rule's briefing page shows."""

    rule: Rule
    entries: list[Entry]
    history: list[StatusChange]
    # The latest claims that assert a status: one where the order is known; several where the
    # last of them share a period and nobody said which came last.
    current: list[Entry]
    disputes: list[Dispute]
    disputed: bool
    latest_claims: list[Entry] = field(default_factory=list)  # the same, of all claims
    # When the current status began (see _since); None while no claim asserts one or the
    # latest status claims disagree.
    status_since: PartialDate | None = None
    blocks: list[Block] = field(default_factory=list)
    parent: Rule | None = None
    children: list[Rule] = field(default_factory=list)
    related: list[RelatedRule] = field(default_factory=list)
    sources_cited: list[tuple[Source, int]] = field(default_factory=list)
    # alerts.rule_alerts, by dispute window: (alerts, their sort keys), newest first.
    kept_alerts: dict[int, tuple[list, list[tuple]]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def latest(self) -> Entry | None:
        """The last claim listed, for its date: every claim listed before it is known to be no
        later (its date is the latest first day of any claim)."""
        return self.entries[-1] if self.entries else None

    @property
    def current_statuses(self) -> list[str]:
        """The statuses the latest status claims assert, each once, in listing order."""
        return list(dict.fromkeys(entry.status for entry in self.current if entry.status))

    @property
    def order_unknown(self) -> bool:
        """The latest status claims disagree and nobody said which came last."""
        return len(self.current_statuses) > 1

    @property
    def status_label(self) -> str:
        """The current status's id: a status, ``disputed``, ``order-unknown`` (the latest
        claims disagree and their order is not known) or ``no-status`` (no claim asserts one);
        readers see its label in the site's language."""
        if self.disputed:
            return "disputed"
        if self.order_unknown:
            return "order-unknown"
        return self.current[0].status if self.current else "no-status"


@dataclass(frozen=True)
class Neighbours:
    """The claims just before and after an entry on one of its rules.

    Each side is a block (``chronology.Block``): one claim where the order is known, several
    that share a period where it is not. ``same_period``: the claims of the entry's own block,
    whose order relative to it is not known. Lists are cut at ``NEIGHBOURS_SHOWN``; the counts
    say how many there are.
    """

    rule: Rule
    previous: tuple[Entry, ...]
    next: tuple[Entry, ...]
    same_period: tuple[Entry, ...] = ()
    previous_count: int = 0
    next_count: int = 0
    same_period_count: int = 0


NEIGHBOURS_SHOWN = 5
NEWEST_SHOWN = 50  # claims in a feed


def newest(entries: list[Entry]) -> list[Entry]:
    """The claims a feed of ``entries`` lists: the 50 that entered the briefing last, newest
    first (history.py); a claim from 2001 committed today is news today. Claims added
    together come in listing order, latest first."""
    return heapq.nlargest(NEWEST_SHOWN, entries, key=_news_key)  # as sorted(..., reverse=True)[:50]


def _news_key(entry: Entry) -> tuple:
    return entry.added, entry.sort_key()


@dataclass(frozen=True)
class RelatedRule:
    """Another rule and why it is related: ``reasons`` among "claims" (claims name both),
    "links" (one's text links the other) and "part_of" (a shared parent)."""

    rule: Rule
    reasons: tuple[str, ...]
    shared_claims: int = 0


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
    source_names: NameIndex
    # Whether entries' added/changed come from git; without it, from the claims' dates.
    history_from_git: bool = True
    tags: Terms = field(default_factory=lambda: Terms("tag"))  # taxonomy.py
    jurisdictions: Terms = field(default_factory=lambda: Terms("jurisdiction"))
    # Kept for an edit applied without compiling everything again (edits.py):
    history: History | None = None  # the dates of the claims' files, from git
    rule_links: dict[str, set[str]] = field(default_factory=dict)  # by [[links]], see _rule_links
    term_problems: list[Problem] = field(default_factory=list)  # of collect_terms, among ``problems``

    def entry(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def terms(self, kind: str) -> Terms:
        """The tags (``kind`` "tag") or the jurisdictions ("jurisdiction")."""
        return self.tags if kind == "tag" else self.jurisdictions

    def term_claims(self, kind: str, term_id: str, shown: int = 10) -> list[Entry]:
        """A tag's claims, in listing order; a jurisdiction's latest ``shown`` claims about its
        rules, latest first."""
        term = self.terms(kind).by_id[term_id]
        if kind == "tag":
            return term.entries
        claims = {e.id: e for rule_id in term.rule_ids for e in self.rule_briefings[rule_id].entries}
        return sorted(claims.values(), key=Entry.sort_key, reverse=True)[:shown]

    def newest_claims(self) -> list[Entry]:
        """``newest`` of every published claim (the site's feed, the state of play), once."""
        if self._newest is None:
            self._newest = newest(self.entries)
        return self._newest

    def rule_by_name(self, name: str) -> Rule | None:
        """The rule a writer means by an id, title or alias, in any case."""
        rule_id = self.rule_names.lookup(name)
        return self.rules.get(rule_id) if rule_id else None

    def claims_of(self, kind: str, owner_id: str) -> list[Entry]:
        """The published claims of a rule (``kind`` "rule"), a source ("source") or a tag
        ("tag"), in date order."""
        if kind == "rule":
            return self.rule_briefings[owner_id].entries
        if kind == "tag":
            return self.terms("tag").by_id[owner_id].entries
        return self.source_entries[owner_id]

    def listing_owner(self, kind: str, owner_id: str) -> tuple[str, str]:
        """The title and page of the rule, source or tag whose claims a listing lists."""
        if kind == "rule":
            return self.rules[owner_id].title, self.rules[owner_id].url_path
        if kind == "tag":
            tag = self.terms("tag").by_id[owner_id]
            return tag.name, tag.url_path
        return self.sources[owner_id].name, self.sources[owner_id].url_path

    def neighbours(self, entry: Entry) -> list[Neighbours]:
        """The claims before and after ``entry`` on each of its rules.

        Worked out when asked rather than stored for every entry: objects that live through
        the whole build are walked again by every full garbage collection.
        """
        return [self.neighbours_on(entry, rule_id) for rule_id in entry.rule_ids if rule_id in self.rule_briefings]

    def neighbours_on(self, entry: Entry, rule_id: str) -> Neighbours:
        """The claims before and after ``entry`` on the rule ``rule_id``, one of its rules.
        What decides them: that rule's claims and the claims their ``after:`` chains reach
        (``page_inputs.neighbour_key``)."""
        cut = NEIGHBOURS_SHOWN
        rule_blocks = self.rule_briefings[rule_id].blocks
        index = self._block_index(rule_id)[entry.id]
        before: tuple[Entry, ...] = rule_blocks[index - 1].entries if index > 0 else ()
        after: tuple[Entry, ...] = rule_blocks[index + 1].entries if index + 1 < len(rule_blocks) else ()
        block = rule_blocks[index].entries
        # Inside its block, what after: says comes first; the rest share its period. A big
        # block (a year-only claim among hundreds of that year's) is not compared pairwise:
        # only the claims this one names in after: are known to come before it.
        if len(block) <= EXACT_BLOCK_LIMIT:
            inside_before = tuple(o for o in block if o is not entry and known_before(o, entry, self.entry))
            inside_after = tuple(o for o in block if o is not entry and known_before(entry, o, self.entry))
        else:
            inside_before = tuple(o for o in map(self.entry, entry.after) if o is not None and id(o) in self._members(block))
            inside_after = ()
        before = self._frontier(inside_before or before, last=True)
        after = self._frontier(inside_after or after, last=False)
        known = {*map(id, inside_before), *map(id, inside_after), id(entry)}
        same = tuple(islice((o for o in block if id(o) not in known), cut))
        return Neighbours(
            self.rules[rule_id], before[-cut:], after[:cut], same, len(before), len(after),
            len(block) - len(known),
        )  # fmt: skip

    def order_notices(self, shown_dir: str) -> list[Problem]:
        """Where an unknown order decides a conclusion: a rule whose latest status claims share
        a period and disagree. One notice each, naming both files and the after: that would
        decide it. Notices, not problems: the briefing says "order unknown" honestly, and a
        strict build stays green."""
        notices = []
        for briefing in self.rule_briefings.values():
            if not briefing.order_unknown:
                continue
            first = briefing.current[0]
            second = next(e for e in briefing.current if e.status != first.status)
            a, b = sorted((first, second), key=lambda e: e.path)
            notices.append(Problem(
                f"{shown_dir}/{b.path}", b.lines.get("after", b.lines.get("date", 1)), "after",
                f"the latest claims on '{briefing.rule.title}' disagree ({b.status}, {a.status}) and share a period, "
                f"so its current status shows as order unknown; if this claim came later, add 'after: {a.id}' here, "
                f"or if it came first, add 'after: {b.id}' to {shown_dir}/{a.path}",
                fatal=False,
            ))  # fmt: skip
        return notices

    def _members(self, block: tuple[Entry, ...]) -> set[int]:
        """A big block's members by identity, kept per block (entries are not hashable)."""
        found = self._block_members.get(id(block))
        if found is None or found[0] is not block:
            found = self._block_members[id(block)] = (block, set(map(id, block)))
        return found[1]

    def _frontier(self, claims: tuple[Entry, ...], last: bool) -> tuple[Entry, ...]:
        """The claims of ``claims`` that none of the others is known to follow (``last``) or
        to precede: the ones right next to an entry's own. Kept per block: every claim of the
        next block asks for this one's last claims."""
        if len(claims) < 2 or len(claims) > EXACT_BLOCK_LIMIT:
            return claims
        key = (id(claims), last)
        found = self._frontiers.get(key)
        if found is None or found[0] is not claims:
            if last:
                edge = tuple(a for a in claims if not any(known_before(a, b, self.entry) for b in claims))
            else:
                edge = tuple(a for a in claims if not any(known_before(b, a, self.entry) for b in claims))
            found = self._frontiers[key] = (claims, edge)
        return found[1]

    def __post_init__(self) -> None:
        self._frontiers: dict[tuple[int, bool], tuple[tuple[Entry, ...], tuple[Entry, ...]]] = {}
        self._block_members: dict[int, tuple[tuple[Entry, ...], set[int]]] = {}
        self._by_id = {entry.id: entry for entry in self.entries}
        self._newest: list[Entry] | None = None  # newest_claims (edits.py works it out from the last)
        self.kept_inputs: dict[str, Hashable] = {}  # page_inputs worked out once per briefing
        self._block_of: dict[str, dict[str, int]] = {}  # rule id -> claim id -> its block's index, when asked

    def _block_index(self, rule_id: str) -> dict[str, int]:
        found = self._block_of.get(rule_id)
        if found is None:
            blocks_of_rule = self.rule_briefings[rule_id].blocks
            found = self._block_of[rule_id] = {e.id: n for n, block in enumerate(blocks_of_rule) for e in block.entries}
        return found


def compile_briefing(
    content_dir: str, shown_dir: str, settings: Settings, cache: DocumentCache | None = None,
    paths: Iterable[str] | None = None, workers: int = 0, once_read: Callable[[Content], object] | None = None,
) -> Briefing:
    """Read, check, resolve and index a content directory (``cache``: see DocumentCache;
    ``paths``: the Markdown files to read, default all; ``workers``: see ParseAhead;
    ``once_read``: called with the content as read, before it is compiled)."""
    content = read_content(content_dir, shown_dir, settings.statuses, cache, paths, workers)
    if once_read is not None:
        once_read(content)
    rule_names, source_names = resolve_names(content)

    published = [e for e in content.entries if not e.draft]
    drafts = [e for e in content.entries if e.draft]
    published_ids = {e.id for e in published}
    for entry in published:  # a draft is not named anywhere, not even as contradicted
        entry.contradicts = tuple(other for other in entry.contradicts if other in published_ids)
    file_ids = {path.rsplit("/", 1)[-1][: -len(".md")] for path in content.skipped_paths if path.startswith("entries/")}
    content.problems.extend(check_after(published, drafts, shown_dir, published_ids | file_ids))
    published.sort(key=Entry.sort_key)
    by_id = {e.id: e for e in published}
    history = _date_from_history(published, content_dir)

    by_rule, by_source, contradicted_by = _index(published, published_ids)
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
        rule_id: brief_rule(rule, by_rule.get(rule_id, []), sources, settings, by_id.get)
        for rule_id, rule in rules.items()
    }
    links = _link_rules(briefings, rules, by_rule, rule_names)
    _mark_disputes(briefings)
    tags, jurisdictions, term_problems = collect_terms(published, rules.values(), shown_dir)
    content.problems.extend(term_problems)

    return Briefing(
        entries=published, drafts=drafts, rules=rules, sources=sources, rule_briefings=briefings,
        source_entries={sid: by_source.get(sid, []) for sid in sources},
        problems=content.problems,
        skipped_paths=content.skipped_paths,
        settings=settings,
        contradicted_by=dict(contradicted_by),
        rule_names=rule_names,
        source_names=source_names,
        history_from_git=history is not None,
        tags=tags,
        jurisdictions=jurisdictions,
        history=history,
        rule_links=links,
        term_problems=term_problems,
    )


def _date_from_history(published: list[Entry], content_dir: str) -> History | None:
    """When each claim entered the briefing and last changed (history.py): from git, or, outside
    a work tree, the claim's own date. The history, or None outside git."""
    history = read_history(content_dir)
    for entry in published:
        entry.added, entry.changed = history.dates(entry.path) if history else (entry.date.timestamp(),) * 2
    return history


def _mark_disputes(briefings: dict[str, RuleBriefing]) -> None:
    """Each claim's newest shown dispute on each of its rules, for the mark that links a listed
    claim to its pair (``Entry.disputes``)."""
    marks: dict[str, dict[str, str]] = defaultdict(dict)  # entry id -> rule id -> dispute key
    for rule_id, rule_briefing in briefings.items():
        for entry_id, key in dispute_marks(rule_briefing).items():
            marks[entry_id][rule_id] = key
    for rule_briefing in briefings.values():
        for entry in rule_briefing.entries:
            entry.disputes = tuple(sorted(marks[entry.id].items())) if entry.id in marks else ()


def dispute_marks(rule_briefing: RuleBriefing) -> dict[str, str]:
    """Claim id -> the key of the newest dispute the rule's page shows that it is part of."""
    marks: dict[str, str] = {}
    for dispute in rule_briefing.disputes[-SHOWN_DISPUTES:]:  # oldest first: the newest stays
        for entry in (dispute.earlier, dispute.later):
            marks[entry.id] = dispute.key
    return marks


def _index(
    published: list[Entry], published_ids: set[str]
) -> tuple[dict[str, list[Entry]], dict[str, list[Entry]], dict[str, list[Entry]]]:
    """The published claims by rule, by source, and by the claim each contradicts."""
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
    return by_rule, by_source, contradicted_by


def brief_rule(
    rule: Rule, entries: list[Entry], sources: dict[str, Source], settings: Settings,
    by_id: Callable[[str], Entry | None],
) -> RuleBriefing:
    history: list[StatusChange] = []
    for entry in entries:
        if entry.status and (not history or history[-1].status != entry.status):
            known = not history or known_before(history[-1].entry, entry, by_id)
            history.append(StatusChange(entry.status, entry, known))
    current = latest(entries, lambda e: bool(e.status), by_id)
    latest_claims = latest(entries, lambda e: True, by_id)
    disputes = find_disputes(rule.id, entries, settings.dispute_window_days, by_id)
    disputed = is_disputed(disputes, latest_claims, settings.dispute_window_days)
    cited = Counter(entry.source_id for entry in entries)
    return RuleBriefing(
        rule=rule,
        entries=entries,
        history=history,
        current=current,
        disputes=disputes,
        disputed=disputed,
        latest_claims=latest_claims,
        status_since=_since(entries, current, disputes, disputed, by_id),
        blocks=blocks(entries, by_id),
        sources_cited=[
            (sources[sid], count)
            for sid, count in sorted(cited.items(), key=lambda item: (-item[1], item[0]))
        ],
    )


def _since(
    entries: list[Entry], current: list[Entry], disputes: list[Dispute], disputed: bool,
    by_id: Callable[[str], Entry | None],
) -> PartialDate | None:
    """When the current status began.

    Disputed: when the latest dispute opened. Otherwise: the earliest claim of the current
    status that no claim of another status is known to follow. None while no claim asserts a
    status, or while the latest status claims disagree (nobody knows since when).
    """
    if disputed and disputes:
        return max((d.later for d in disputes), key=Entry.sort_key).date
    statuses = {entry.status for entry in current}
    if len(statuses) != 1:
        return None
    status = statuses.pop()
    others = latest(entries, lambda e: bool(e.status) and e.status != status, by_id)
    run = [
        e for e in entries
        if e.status == status and not any(known_before(e, other, by_id) for other in others)
    ]  # fmt: skip
    return min(run, key=lambda e: e.date.first_day()).date


# A claim that names more rules than this relates none of them (see related_rules).
MAX_RELATING_RULES = 12


def _link_rules(
    briefings: dict[str, RuleBriefing], rules: dict[str, Rule], by_rule: dict[str, list[Entry]], rule_names: NameIndex
) -> dict[str, set[str]]:
    """Parents, children and related rules; the rules each is joined to by ``[[links]]``."""
    link_family(briefings, rules)
    links = _rule_links(rules, by_rule, rule_names)
    for rule_id, rule_briefing in briefings.items():
        rule_briefing.related = related_rules(rule_id, briefings, rules, by_rule, links)
    return links


def link_family(briefings: dict[str, RuleBriefing], rules: dict[str, Rule]) -> None:
    """Each rule's parent (``part_of``) and children."""
    for rule_id, briefing in briefings.items():
        parent_id = rules[rule_id].part_of
        if parent_id in briefings:
            briefing.parent = rules[parent_id]
            briefings[parent_id].children.append(rules[rule_id])


def related_rules(
    rule_id: str, briefings: dict[str, RuleBriefing], rules: dict[str, Rule], by_rule: dict[str, list[Entry]],
    links: dict[str, set[str]],
) -> list[RelatedRule]:
    """The rules related to one rule, most related first.

    Related means something a reader can check: claims that name both rules, a ``[[link]]``
    from one rule's text (or from a claim about it) to the other (``links``), or a shared
    parent. Never a shared outlet alone: a wire service that reports on everything relates
    nothing.
    """
    briefing = briefings[rule_id]
    shared_claims: Counter[str] = Counter()
    for entry in by_rule.get(rule_id, []):
        # A claim about dozens of rules at once says little about any two of them, and
        # would make relating rules quadratic in one entry's size (5,000 rules: a minute).
        if len(entry.rule_ids) <= MAX_RELATING_RULES:
            shared_claims.update(entry.rule_ids)
    linked = links.get(rule_id, set())
    siblings = {c.id for c in briefings[briefing.parent.id].children} if briefing.parent else set()
    family = {rule_id, briefing.parent.id if briefing.parent else None, *(c.id for c in briefing.children)}
    scored = []
    for other_id in (shared_claims.keys() | linked | siblings) - family:
        if other_id not in rules:
            continue
        reasons = tuple(
            reason for reason, holds in (
                ("claims", shared_claims[other_id] > 0),
                ("links", other_id in linked),
                ("part_of", other_id in siblings),
            ) if holds
        )  # fmt: skip
        scored.append((-shared_claims[other_id], -len(reasons), other_id, reasons))
    return [
        RelatedRule(rules[other_id], reasons, -minus_claims)
        for minus_claims, _, other_id, reasons in heapq.nsmallest(8, scored)
    ]


def _rule_links(
    rules: dict[str, Rule], by_rule: dict[str, list[Entry]], rule_names: NameIndex
) -> dict[str, set[str]]:
    """For each rule, the rules that ``[[links]]`` join it to, either way: in its own text or
    in the text of a claim about it."""
    links: dict[str, set[str]] = defaultdict(set)

    def named_in(text: str) -> set[str]:
        if "[[" not in text:
            return set()
        found: set[str] = set()

        def record(name: str, _text: str | None) -> str:
            rule_id = rule_names.lookup(name)
            if rule_id:
                found.add(rule_id)
            return ""

        link_rule_names(text, record)
        return found

    texts = [((rule_id,), rule.body) for rule_id, rule in rules.items()]
    entries = {entry.id: entry for claims in by_rule.values() for entry in claims}
    texts += [(entry.rule_ids, entry.body) for entry in entries.values()]
    for about, text in texts:
        for other in named_in(text):
            for rule_id in about:
                if rule_id != other:
                    links[rule_id].add(other)
                    links[other].add(rule_id)
    return links
