"""Disputes: claims about the same rule that cannot both be right.

Two claims about a rule form a dispute when one names the other in ``contradicts``, or when
they come from different sources or speakers and assert different statuses within the window.
One source reporting a new status is a change of status, not a dispute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Entry, url_id


@dataclass(frozen=True)
class Dispute:
    """Two claims side by side, ``earlier`` first in date order."""

    rule_id: str
    earlier: Entry
    later: Entry
    reason: str  # "contradicts" or "status"

    @property
    def key(self) -> str:
        """A stable anchor for the dispute on its rule's page."""
        return f"dispute-{url_id(self.earlier.id)}--{url_id(self.later.id)}"


def _voice(entry: Entry) -> tuple[str, str]:
    return (entry.source_id, (entry.by or "").casefold())


def find_disputes(rule_id: str, entries: Sequence[Entry], window_days: int) -> list[Dispute]:
    """The disputes among one rule's ``entries``, which must be in date order.

    Status conflicts are only looked for inside the window, so the work stays proportional to
    the claims within ``window_days`` of each other rather than to all pairs of a rule's claims.
    """
    disputes: dict[tuple[str, str], Dispute] = {}
    position = {entry.id: index for index, entry in enumerate(entries)}

    def add(a: Entry, b: Entry, reason: str) -> None:
        earlier, later = (a, b) if position[a.id] <= position[b.id] else (b, a)
        disputes.setdefault((earlier.id, later.id), Dispute(rule_id, earlier, later, reason))

    for entry in entries:
        for other_id in entry.contradicts:
            if other_id in position:
                add(entry, entries[position[other_id]], "contradicts")

    with_status = [entry for entry in entries if entry.status]
    for index, later in enumerate(with_status):
        for earlier in reversed(with_status[:index]):
            if earlier.date.days_until(later.date) > window_days:
                break
            if earlier.status != later.status and _voice(earlier) != _voice(later):
                add(earlier, later, "status")
    return sorted(disputes.values(), key=lambda d: (d.later.sort_key(), d.earlier.sort_key()))


def is_disputed(disputes: Sequence[Dispute], latest: Entry | None, window_days: int) -> bool:
    """Disputed while the latest dispute lies within the window before the rule's latest claim."""
    if not disputes or latest is None:
        return False
    return disputes[-1].later.date.days_until(latest.date) <= window_days
