"""Changes worth an alert: each time a rule's current status changes or a dispute opens.

Readers of a tracker subscribe to these, not to every claim (the site feed has those). Each
alert has an id of its own for each conclusion: the rule, the claim that made it and what it
concluded (the status, or the two claims in dispute), so an edit that changes a status is a
new item that feed readers announce. An alert is dated when it entered the briefing: when the
last of the claims it rests on was committed (history.py).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from operator import itemgetter

from .compiled import Briefing, RuleBriefing
from .dates import PartialDate
from .disputes import Dispute
from .model import Entry, Rule, url_id

FEED_PATH = "status-changes.xml"


@dataclass(frozen=True)
class Alert:
    """A rule's status changed (``dispute`` None: to ``entry.status``), a dispute opened, or
    the disputes closed (``closes``)."""

    rule: Rule
    entry: Entry  # the claim that changed the status, or the later claim of the dispute
    dispute: Dispute | None = None
    # The dispute this claim closed: the first claim known to come after the window of the
    # rule's newest dispute, which made the rule undisputed again.
    closes: Dispute | None = None

    @property
    def date(self) -> PartialDate:
        return self.entry.date

    @property
    def updated(self) -> str:
        """When this conclusion entered the briefing (RFC 3339)."""
        if self.closes:
            return max(self.entry.changed, self.closes.later.changed)
        if self.dispute:
            return max(self.dispute.earlier.changed, self.dispute.later.changed)
        return self.entry.changed

    @property
    def conclusion(self) -> str:
        """What makes the alert a new item: the status it announces, or the dispute."""
        if self.closes:
            return f"closed-{self.closes.key}-{url_id(self.entry.id)}"
        return self.dispute.key if self.dispute else f"status-{url_id(self.entry.id)}-{url_id(self.entry.status or '')}"

    @property
    def anchor(self) -> str:
        """Where on the rule's page it is shown; also what makes its id unique."""
        if self.closes:
            return "disputes"
        return self.dispute.key if self.dispute else f"status-{url_id(self.entry.id)}"

    def sort_key(self) -> tuple:
        """Date order; reversed (newest first), a claim's status change comes before the
        disputes it opens. Not ``anchor``: percent-encoding every alert's id cost a preview
        rebuild 50 ms."""
        dispute = self.dispute
        return (self.updated, self.entry.sort_key(), self.rule.id, 0 if dispute else 1, dispute.earlier.id if dispute else "")


def rule_alerts(rule_briefing: RuleBriefing, window_days: int) -> list[Alert]:
    """The rule's alerts, newest first, each with its sort key (``Alert.sort_key``). Kept with
    the rule's briefing, which a save served in the preview keeps for every rule it did not
    touch (edits.py): every save's alerts feed asked for every rule's."""
    kept = rule_briefing.kept_alerts.get(window_days)
    if kept is None:
        keyed = sorted(((alert.sort_key(), alert) for alert in _rule_alerts(rule_briefing, window_days)), key=itemgetter(0), reverse=True)
        kept = rule_briefing.kept_alerts[window_days] = [alert for _, alert in keyed], [key for key, _ in keyed]
    return kept[0]


def _rule_alerts(rule_briefing: RuleBriefing, window_days: int) -> list[Alert]:
    rule = rule_briefing.rule
    alerts = [Alert(rule, change.entry) for change in rule_briefing.history]
    alerts += [Alert(rule, dispute.later, dispute) for dispute in rule_briefing.disputes]
    closer = _closer(rule_briefing, window_days)
    if closer:
        alerts.append(Alert(rule, closer, closes=rule_briefing.disputes[-1]))
    return alerts


def _closer(rule_briefing: RuleBriefing, window_days: int) -> Entry | None:
    """The claim that closed the rule's newest dispute: the first claim whose period begins
    more than the window after that dispute's claims (None while the rule is disputed)."""
    if rule_briefing.disputed or not rule_briefing.disputes:
        return None
    newest = rule_briefing.disputes[-1]
    end = max(newest.earlier.date.last_day(), newest.later.date.last_day())
    return next((e for e in rule_briefing.entries if (e.date.first_day() - end).days > window_days), None)


def status_alerts(briefing: Briefing, limit: int = 50) -> list[Alert]:
    """The ``limit`` alerts that entered the briefing last, of every rule, newest first."""
    window = briefing.settings.dispute_window_days
    newest: list[tuple[tuple, Alert]] = []  # each rule's newest ``limit`` (keys name the rule: no ties across rules)
    for b in briefing.rule_briefings.values():
        alerts = rule_alerts(b, window)[:limit]
        newest.extend(zip(b.kept_alerts[window][1][:limit], alerts, strict=True))
    return [alert for _, alert in heapq.nlargest(limit, newest, key=itemgetter(0))]
