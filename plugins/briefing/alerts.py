"""Changes worth an alert: each time a rule's current status changes or a dispute opens.

Readers of a tracker subscribe to these, not to every claim (the site feed has those). Each
alert keeps an id of its own across builds: the rule and the claim that made it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .briefing import Briefing, RuleBriefing
from .dates import PartialDate
from .disputes import Dispute
from .model import Entry, Rule, url_id

FEED_PATH = "status-changes.xml"


@dataclass(frozen=True)
class Alert:
    """A rule's status changed (``dispute`` None: to ``entry.status``) or a dispute opened."""

    rule: Rule
    entry: Entry  # the claim that changed the status, or the later claim of the dispute
    dispute: Dispute | None = None

    @property
    def date(self) -> PartialDate:
        return self.entry.date

    @property
    def anchor(self) -> str:
        """Where on the rule's page it is shown; also what makes its id unique."""
        return self.dispute.key if self.dispute else f"status-{url_id(self.entry.id)}"

    def sort_key(self) -> tuple:
        """Date order; reversed (newest first), a claim's status change comes before the
        disputes it opens. Not ``anchor``: percent-encoding every alert's id cost a preview
        rebuild 50 ms."""
        dispute = self.dispute
        return (self.entry.sort_key(), self.rule.id, 0 if dispute else 1, dispute.earlier.id if dispute else "")


def rule_alerts(rule_briefing: RuleBriefing) -> list[Alert]:
    rule = rule_briefing.rule
    alerts = [Alert(rule, change.entry) for change in rule_briefing.history]
    alerts += [Alert(rule, dispute.later, dispute) for dispute in rule_briefing.disputes]
    return alerts


def status_alerts(briefing: Briefing, limit: int = 50) -> list[Alert]:
    """The newest ``limit`` alerts of every rule, newest first."""
    alerts = [alert for b in briefing.rule_briefings.values() for alert in rule_alerts(b)]
    return sorted(alerts, key=Alert.sort_key, reverse=True)[:limit]
