"""What is known of the order of claims: their dates, at their precision, and ``after:``.

Two claims dated "2015" and "2015-04", or both "2015-04-13", share a period: which came first
is not known unless a writer says so with ``after: <entry id>`` ("days later" in a report).
Everything the briefing concludes from order (a rule's current status, since when, previous
and next claims) is drawn from this known order, never from file names.

Each claim happened on one day inside its period. The known order is the smallest order that
holds both "a's period ends before b's begins" and every ``after:``. It is worked out without
comparing every pair of claims:

* ``earliest`` is the first day a claim can have been made, given what it comes after. A claim
  that would have to come after the end of its own period has an ``after:`` that contradicts the
  dates (directly or through a chain), and that is reported.
* Sorting by (``earliest``, length of the longest ``after:`` chain before it) is a topological
  order: ``after:`` never lowers ``earliest`` and always lengthens the chain, and a claim whose
  period is over before another's begins has a smaller ``earliest``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .model import Entry, Problem

# Blocks of claims whose order is partly unknown are split further by comparing their claims
# pairwise (exact, but quadratic): up to this size. A bigger block (a year-only claim among
# thousands of that year's) stays one block, which is honest if less precise.
EXACT_BLOCK_LIMIT = 64


def _entry_problem(shown_dir: str, entry: Entry, message: str) -> Problem:
    return Problem(f"{shown_dir}/{entry.path}", entry.lines.get("after", 1), "after", message, fatal=False)


def check_after(entries: Sequence[Entry], drafts: Iterable[Entry], shown_dir: str, known_ids: set[str]) -> list[Problem]:
    """Resolve every published entry's ``after`` to published entries, dropping (with one line
    each) an unknown id, a cycle, and an ``after`` that contradicts the dates.

    ``known_ids``: ids of every entry file, including drafts and files left out for problems
    of their own (naming one is not a typo; the claim is just not ordered by it).
    """
    problems: list[Problem] = []
    by_id = {entry.id: entry for entry in entries}
    draft_ids = {entry.id for entry in drafts}
    for entry in entries:
        kept = []
        for ref in entry.after:
            if ref == entry.id:
                problems.append(_entry_problem(shown_dir, entry, "a claim cannot come after itself (remove its own id)"))
            elif ref in by_id:
                if ref not in kept:
                    kept.append(ref)
            elif ref not in known_ids and ref not in draft_ids:
                problems.append(_entry_problem(
                    shown_dir, entry,
                    f"'{ref}' is not an entry id (use the file name of the entry, without .md)",
                ))  # fmt: skip
        entry.after = tuple(kept)
    problems += _break_cycles(entries, by_id, shown_dir)
    problems += _check_dates(entries, by_id, shown_dir)
    return problems


def _break_cycles(entries: Sequence[Entry], by_id: dict[str, Entry], shown_dir: str) -> list[Problem]:
    """Report every cycle of ``after:`` (a after b after a) and drop the after:s inside it.

    A cycle is a contradiction: none of its after:s can be trusted over the others, so all go,
    and which go never depends on file names. Cycles are found as strongly connected
    components (Tarjan's algorithm, without recursion: no limit on a chain's length). Each is
    one problem, on the file of its first claim by date and text.
    """
    problems = []
    for component in _strongly_connected(entries, by_id):
        members = {entry.id for entry in component}
        component.sort(key=lambda e: (e.date.sort_key(), e.claim, e.source_ref, e.id))
        for entry in component:
            entry.after = tuple(ref for ref in entry.after if ref not in members)
        first = component[0]
        names = ", ".join(f"'{entry.id}'" for entry in component)
        problems.append(_entry_problem(
            shown_dir, first,
            f"claims come after each other in a circle ({names}); remove the after: that is wrong",
        ))  # fmt: skip
    return problems


def _strongly_connected(entries: Sequence[Entry], by_id: dict[str, Entry]) -> list[list[Entry]]:
    """The groups of two or more claims that reach each other through ``after:``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[Entry] = []
    found: list[list[Entry]] = []
    counter = 0
    for root in entries:
        if root.id in index:
            continue
        work: list[tuple[Entry, int]] = [(root, 0)]
        while work:
            entry, position = work.pop()
            if position == 0:
                index[entry.id] = low[entry.id] = counter
                counter += 1
                stack.append(entry)
                on_stack.add(entry.id)
            recurse = False
            for i in range(position, len(entry.after)):
                ref = entry.after[i]
                if ref not in index:
                    work.append((entry, i + 1))
                    work.append((by_id[ref], 0))
                    recurse = True
                    break
                if ref in on_stack:
                    low[entry.id] = min(low[entry.id], index[ref])
            if recurse:
                continue
            if low[entry.id] == index[entry.id]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member.id)
                    component.append(member)
                    if member is entry:
                        break
                if len(component) > 1:
                    found.append(component)
            if work:
                parent = work[-1][0]
                low[parent.id] = min(low[parent.id], low[entry.id])
    return found


def _check_dates(entries: Sequence[Entry], by_id: dict[str, Entry], shown_dir: str) -> list[Problem]:
    """Work out each claim's ``earliest`` and chain depth; drop an ``after`` that would put a
    claim past the end of its own period."""
    problems = []
    for entry in _in_after_order(entries, by_id):
        earliest, depth = entry.date.first_day(), 0
        kept = []
        for ref in entry.after:
            before = by_id[ref]
            if before.earliest > entry.date.last_day():
                what = f"'{ref}' is dated {before.date.iso()}"
                if before.earliest > before.date.last_day() or before.earliest != before.date.first_day():
                    what = f"'{ref}' comes after claims of {before.earliest.isoformat()} or later"
                problems.append(_entry_problem(
                    shown_dir, entry,
                    f"{what}, after this claim's date {entry.date.iso()}, so it cannot come before it "
                    f"(correct one of the dates, or remove '{ref}')",
                ))  # fmt: skip
                continue
            kept.append(ref)
            earliest = max(earliest, before.earliest)
            depth = max(depth, before.chain_depth + 1)
        entry.after = tuple(kept)
        entry.earliest, entry.chain_depth = earliest, depth
    return problems


def _in_after_order(entries: Sequence[Entry], by_id: dict[str, Entry]) -> list[Entry]:
    """Every entry after the entries it names in ``after`` (which has no cycles by now)."""
    waiting = {entry.id: len(entry.after) for entry in entries}
    followers: dict[str, list[Entry]] = {}
    for entry in entries:
        for ref in entry.after:
            followers.setdefault(ref, []).append(entry)
    ready = [entry for entry in entries if not entry.after]
    ordered = []
    while ready:
        entry = ready.pop()
        ordered.append(entry)
        for follower in followers.get(entry.id, ()):
            waiting[follower.id] -= 1
            if not waiting[follower.id]:
                ready.append(follower)
    return ordered


def known_before(a: Entry, b: Entry, by_id: Callable[[str], Entry | None]) -> bool:
    """Whether ``a`` is known to come before ``b``: by their dates, or through ``after:``
    (and the dates of the claims on the way). A search backwards from ``b``, pruned where a
    claim's period ends before ``a`` can have been made."""
    if a.date.last_day() < b.date.first_day():
        return True
    if b.earliest < a.earliest or (a is b):
        return False
    seen, stack = {b.id}, [b]
    while stack:
        for ref in stack.pop().after:
            before = by_id(ref)
            if before is None or before.id in seen:
                continue
            if before is a or a.date.last_day() < before.date.first_day():
                return True
            seen.add(before.id)
            if before.date.last_day() >= a.earliest:
                stack.append(before)
    return False


@dataclass(frozen=True)
class Block:
    """Claims listed together whose order among themselves is not fully known; every claim
    of an earlier block is known to come before every claim of a later one."""

    entries: tuple[Entry, ...]

    @property
    def order_unknown(self) -> bool:
        return len(self.entries) > 1


def blocks(entries: Sequence[Entry], by_id: Callable[[str], Entry | None]) -> list[Block]:
    """Split ``entries`` (in ``Entry.sort_key`` order) into blocks.

    First by dates alone (a cut wherever every claim so far ends before the next begins), then,
    for blocks small enough, by the exact known order (``after:`` included).
    """
    found: list[Block] = []
    run: list[Entry] = []
    run_end: dt.date | None = None
    for entry in entries:
        if run and run_end is not None and run_end < entry.date.first_day():
            found += _refine(run, by_id)
            run, run_end = [], None
        run.append(entry)
        last = entry.date.last_day()
        run_end = last if run_end is None or last > run_end else run_end
    if run:
        found += _refine(run, by_id)
    return found


def _refine(run: list[Entry], by_id: Callable[[str], Entry | None]) -> list[Block]:
    if len(run) == 1 or len(run) > EXACT_BLOCK_LIMIT:
        return [Block(tuple(run))]
    found, start = [], 0
    for cut in range(1, len(run)):
        if all(known_before(a, b, by_id) for a in run[start:cut] for b in run[cut:]):
            found.append(Block(tuple(run[start:cut])))
            start = cut
    found.append(Block(tuple(run[start:])))
    return found


def latest(entries: Sequence[Entry], wanted: Callable[[Entry], bool], by_id: Callable[[str], Entry | None]) -> list[Entry]:
    """The claims among ``entries`` (one rule's, in ``Entry.sort_key`` order) that ``wanted`` picks
    and that no other picked claim is known to follow: one, when the order is known; several,
    when the last of them share a period and nobody said which came last.

    A walk backwards through the topological order: a claim is superseded when it is known to
    come before a picked claim (directly by date, or through ``after:``). A claim's date
    successors all come later in the order, so the latest start among the picked claims seen
    so far answers "is a picked claim dated after this one's period?".
    """
    later_start: dt.date | None = None  # the latest first day of a picked or superseded-by claim
    followed: set[str] = set()  # claims that some picked claim comes after (through after:)
    found: list[Entry] = []
    for entry in reversed(entries):
        superseded = entry.id in followed or (
            later_start is not None and entry.date.last_day() < later_start
        )
        if wanted(entry) and not superseded:
            found.append(entry)
        if wanted(entry) or superseded:
            followed.update(entry.after)
            first = entry.date.first_day()
            later_start = first if later_start is None or first > later_start else later_start
    found.reverse()
    return found
