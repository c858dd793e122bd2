"""Disputes: claims about the same rule that cannot both be right.

Two claims about a rule form a dispute when one names the other in ``contradicts``, or when
they come from different sources or speakers and assert different statuses within the window.
One source reporting a new status is a change of status, not a dispute.

Dates are kept at their precision: two claims dated only "2015" may have been made a day apart,
so they are within any window. Whether they were is not known, and the page says so
(``Words.time_between``) rather than "within 30 days".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from .chronology import known_before
from .dates import PartialDate
from .model import Entry, url_id

# A rule page shows its newest disputes up to this many (a thousand conflicting claims in one
# month make thousands of pairs); the rest are counted. A listed claim links to its dispute
# only where the rule page shows it.
SHOWN_DISPUTES = 100

# The longest period a date can stand for (a leap year), for the window's scan.
LONGEST_PERIOD = timedelta(days=366)
# A claim is paired with at most this many earlier claims it conflicts with (the nearest in
# listing order). A thousand claims in one month with three statuses would otherwise make some
# 300,000 disputes: quadratic work and pages no one reads. Whether a rule is disputed never
# depends on the cap: the nearest conflict is always found.
MAX_STATUS_DISPUTES_PER_CLAIM = 8


@dataclass(frozen=True)
class Dispute:
    """Two claims side by side: ``earlier`` first when their order is known
    (``order_known``), else in the order they are listed."""

    rule_id: str
    earlier: Entry
    later: Entry
    reason: str  # "contradicts" or "status"
    order_known: bool = True

    @property
    def key(self) -> str:
        """A stable anchor for the dispute on its rule's page."""
        return f"dispute-{url_id(self.earlier.id)}--{url_id(self.later.id)}"

    def sort_key(self) -> tuple:
        return (self.later.sort_key(), self.earlier.sort_key())


def gap_days(a: PartialDate, b: PartialDate) -> int:
    """The fewest days that can lie between claims dated ``a`` and ``b``: 0 when their periods
    meet or overlap (2015 and 2015-04-13)."""
    return max(0, (b.first_day() - a.last_day()).days, (a.first_day() - b.last_day()).days)


def within_window(a: PartialDate, b: PartialDate, window_days: int) -> bool:
    """Whether two claims' dates put them within the window of each other, as far as the
    dates tell: always when their periods overlap (both "2015"; "2015" and "2015-04-13"), else
    when the fewest days between them is within it, for dates known to the day or the month.
    Two years ("2014" and "2015") are not: that they were a day apart is possible but nothing
    suggests it, and a year-long period says nothing about a 30-day window."""
    gap = gap_days(a, b)
    if gap == 0:
        return True
    return gap <= window_days and a.precision != "year" and b.precision != "year"


def _voice(entry: Entry) -> tuple[str, str]:
    return (entry.source_id, (entry.by or "").casefold())


def find_disputes(
    rule_id: str, entries: Sequence[Entry], window_days: int, by_id: Callable[[str], Entry | None]
) -> list[Dispute]:
    """The disputes among one rule's ``entries`` (in listing order).

    Status conflicts are only looked for inside the window (``within_window``), so the work stays proportional to the claims near each other in time rather than to
    all pairs of a rule's claims.
    """
    disputes: dict[tuple[str, str], Dispute] = {}
    position = {entry.id: index for index, entry in enumerate(entries)}

    def add(a: Entry, b: Entry, reason: str) -> None:
        if known_before(b, a, by_id):
            a, b, known = b, a, True
        else:
            known = known_before(a, b, by_id)
            if not known and position[b.id] < position[a.id]:
                a, b = b, a
        disputes.setdefault((a.id, b.id), Dispute(rule_id, a, b, reason, known))

    for entry in entries:
        for other_id in entry.contradicts:
            if other_id in position:
                add(entries[position[other_id]], entry, "contradicts")

    with_status = sorted((e for e in entries if e.status), key=lambda e: (e.date.first_day(), position[e.id]))
    reach = timedelta(days=window_days) + LONGEST_PERIOD
    for index, later in enumerate(with_status):
        found = 0
        for back in range(index - 1, -1, -1):
            earlier = with_status[back]
            if earlier.date.first_day() < later.date.first_day() - reach:
                break
            if (
                earlier.status != later.status
                and _voice(earlier) != _voice(later)
                and within_window(earlier.date, later.date, window_days)
            ):
                add(earlier, later, "status")
                found += 1
                if found == MAX_STATUS_DISPUTES_PER_CLAIM:
                    break
    return sorted(disputes.values(), key=Dispute.sort_key)


def is_disputed(disputes: Sequence[Dispute], latest: Sequence[Entry], window_days: int) -> bool:
    """Disputed while the latest dispute lies within the window before the rule's latest claim
    (``latest``: the claims no other claim is known to follow)."""
    if not disputes or not latest:
        return False
    newest = max(disputes, key=lambda d: max(d.earlier.date.last_day(), d.later.date.last_day()))
    end = max(newest.earlier.date.last_day(), newest.later.date.last_day())
    start = min(entry.date.first_day() for entry in latest)
    return (start - end).days <= window_days
