"""The status-history strip: a rule's statuses over time, laid out for an inline SVG.

Geometry only; the drawing is a template. Each status is written on its segment and disputed
spans are hatched and labelled, so nothing depends on telling colours apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import ceil

from .briefing import RuleBriefing
from .dates import MONTH_NAMES

WIDTH = 1000  # SVG user units; the SVG scales to the page width
# Claims dated only "2015" both sit on 1 January: their dispute still needs a visible mark.
MIN_DISPUTE_WIDTH = 60.0
MAX_TICKS = 6


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
            start, max(end - start, MIN_DISPUTE_WIDTH), "disputed",
            f"disputed: {dispute.earlier.date.display()} to {dispute.later.date.display()}",
        ))  # fmt: skip
    ticks = [Tick(round((day.toordinal() - first) * scale, 1), label)
             for day, label in _tick_days(date.fromordinal(first), date.fromordinal(last))]
    description = "; ".join(s.title for s in segments)
    if disputes:
        description += f". {len(disputes)} disputed span{'s' if len(disputes) > 1 else ''}."
    return Strip(segments, disputes, ticks, description)


def _tick_days(first: date, last: date) -> list[tuple[date, str]]:
    """Where to mark the time axis: months over two years or less, years beyond.

    A month tick names its year where the year changes, so a reader of a January-to-April
    history sees "Jan 2015, Feb, Mar, Apr" rather than one "2015".
    """
    if (last.year - first.year) * 12 + last.month - first.month < 24:
        months = [
            date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range((last.year - first.year) * 12 + last.month - first.month + 1)
        ]
        ticks, shown_year = [], None
        for day in months[:: ceil(len(months) / MAX_TICKS)]:
            label = MONTH_NAMES[day.month - 1][:3]
            if day.year != shown_year:
                label, shown_year = f"{label} {day.year}", day.year
            ticks.append((max(day, first), label))
        return ticks
    years = list(range(first.year, last.year + 1))
    step = ceil(len(years) / MAX_TICKS)
    return [(max(date(year, 1, 1), first), str(year)) for year in years[::step]]
