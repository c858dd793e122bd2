"""The status-history strip: a rule's statuses over time, laid out for an inline SVG.

Geometry only; the drawing is a template. Each status is written on its segment and disputed
spans are hatched and labelled, so nothing depends on telling colours apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from .briefing import RuleBriefing

WIDTH = 1000  # SVG user units; the SVG scales to the page width


@dataclass(frozen=True)
class Span:
    x: float
    width: float
    label: str  # status name, or "disputed"
    title: str  # full text for the tooltip and screen readers


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Strip:
    segments: list[Span]
    disputes: list[Span]
    ticks: list[Tick]
    description: str

    @property
    def width(self) -> int:
        return WIDTH


def status_strip(briefing: RuleBriefing) -> Strip | None:
    """Lay out a rule's status history; None when no claim asserts a status."""
    if not briefing.history:
        return None
    first = briefing.entries[0].date.first_day().toordinal()
    last = briefing.entries[-1].date.first_day().toordinal()
    span = max(last - first, 1)
    # Leave room after the last change so the current status is always visible.
    scale = (WIDTH * 0.75) / span

    def x_of(entry_date) -> float:
        return round((entry_date.first_day().toordinal() - first) * scale, 1)

    segments = []
    changes = briefing.history
    for index, change in enumerate(changes):
        start = x_of(change.entry.date)
        end = x_of(changes[index + 1].entry.date) if index + 1 < len(changes) else WIDTH
        until = f" until {changes[index + 1].entry.date.display()}" if index + 1 < len(changes) else " to date"
        segments.append(Span(
            start, max(end - start, 2.0), change.status,
            f"{change.status} from {change.entry.date.display()}{until}",
        ))  # fmt: skip
    disputes = []
    for dispute in briefing.disputes:
        start, end = x_of(dispute.earlier.date), x_of(dispute.later.date)
        disputes.append(Span(
            start, max(end - start, 6.0), "disputed",
            f"disputed: {dispute.earlier.date.display()} to {dispute.later.date.display()}",
        ))  # fmt: skip
    years = sorted({e.date.year for e in briefing.entries})
    step = max(1, len(years) // 8)
    ticks = [
        Tick(x_of(next(e.date for e in briefing.entries if e.date.year == year)), str(year))
        for year in years[::step]
    ]
    description = "; ".join(s.title for s in segments)
    if disputes:
        description += f". {len(disputes)} disputed span{'s' if len(disputes) > 1 else ''}."
    return Strip(segments, disputes, ticks, description)
