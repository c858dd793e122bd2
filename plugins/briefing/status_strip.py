"""The status-history strip: a rule's statuses over time, laid out for an inline SVG.

Geometry only; the drawing is a template. Each status is written on its segment and disputed
spans are hatched and labelled, so nothing depends on telling colours apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import ceil
from unicodedata import east_asian_width

from .compiled import RuleBriefing, StatusChange
from .language import Words
from .model import Entry

WIDTH = 1000  # SVG user units; the SVG scales to the page width
# Claims dated only "2015" both sit on 1 January: their dispute still needs a visible mark.
MIN_DISPUTE_WIDTH = 60.0
MAX_TICKS = 6


@dataclass(frozen=True)
class Span:
    x: float
    width: float
    status: str  # the status id (it names the style), or "disputed"
    label: str  # what is written on it, in the site's language
    title: str  # full text for the tooltip and screen readers
    text_x: float = 0.0  # where its label starts (right-to-left: where it ends)
    fits: bool = True  # whether the label fits on it
    # The start is known only to a month or a year: the part of the segment in that period
    # (from its x, which is the period's first day) is drawn as uncertain.
    uncertain_x: float = 0.0
    uncertain_width: float = 0.0


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
    rtl: bool = False  # time runs right to left, as the page reads

    @property
    def width(self) -> int:
        return WIDTH


def label_width(text: str) -> float:
    """About how wide ``text`` is in the strip's 22-unit font: wide (CJK) characters take a
    full em, others a little over half."""
    return sum(22 if east_asian_width(char) in "WF" else 13 for char in text)


def status_strip(briefing: RuleBriefing, words: Words) -> Strip | None:
    """Lay out a rule's status history; None when no claim asserts a status.

    Laid out left to right, then mirrored for a right-to-left language: its readers read time
    from the right, as they read the page.
    """
    if not briefing.history:
        return None
    # Claims sit at the first day they can have been made (chronology: a claim after another
    # cannot sit before it), which for a claim with no after: is its period's first day.
    first = briefing.entries[0].earliest.toordinal()
    last = max(entry.earliest for entry in briefing.entries).toordinal()
    span = max(last - first, 1)
    # Leave room after the last change so the current status is always visible.
    scale = (WIDTH * 0.75) / span

    def x_of(entry: Entry) -> float:
        return round((entry.earliest.toordinal() - first) * scale, 1)

    def placed(x: float, width: float, status: str, title: str, uncertain: float = 0.0) -> Span:
        label = words.status(status)
        fits = width >= label_width(label) + 12
        uncertain = min(uncertain, width)
        if words.rtl:
            x = round(WIDTH - x - width, 1)
            return Span(x, width, status, label, title, round(x + width - 6, 1), fits,
                        round(x + width - uncertain, 1), round(uncertain, 1))
        return Span(x, width, status, label, title, round(x + 6, 1), fits, x, round(uncertain, 1))

    segments = []
    changes = _shown_changes(briefing)
    for index, change in enumerate(changes):
        start = x_of(change.entry)
        end = x_of(changes[index + 1].entry) if index + 1 < len(changes) else WIDTH
        status, since = words.status(change.status), words.date(change.entry.date)
        if index + 1 < len(changes):
            title = words.text("strip_from_until", status=status, start=since, end=words.date(changes[index + 1].entry.date))
        else:
            title = words.text("strip_from_to_date", status=status, start=since)
        uncertain = 0.0
        if not change.order_known:  # shares a period with the change before it
            title += " " + words.text("history_order_unknown")
            uncertain = max(end - start, 2.0)
        elif change.entry.date.precision != "day":  # began some time in that month or year
            title += " " + words.text("strip_start_not_known")
            period_end = (change.entry.date.last_day().toordinal() + 1 - first) * scale
            uncertain = max(min(period_end, end) - start, 2.0)
        segments.append(placed(start, max(end - start, 2.0), change.status, title, uncertain))
    disputes = []
    for dispute in briefing.disputes:
        start, end = x_of(dispute.earlier), x_of(dispute.later)
        title = words.text("strip_disputed", start=words.date(dispute.earlier.date), end=words.date(dispute.later.date))
        disputes.append(placed(start, max(end - start, MIN_DISPUTE_WIDTH), "disputed", title))
    ticks = _ticks(briefing, first, last, scale, words)
    description = words.text("list_separator").join(s.title for s in segments)
    if disputes:
        description += " " + words.text("strip_disputed_spans", count=len(disputes))
    return Strip(segments, disputes, ticks, description, words.rtl)


def _shown_changes(briefing: RuleBriefing) -> list[StatusChange]:
    """The status changes the strip shows. Where the latest status claims disagree and their
    order is not known, it ends in one "order unknown" segment, from the earliest of them,
    never in whichever is listed last."""
    changes = briefing.history
    if briefing.order_unknown:
        current = set(map(id, briefing.current))
        changes = [change for change in changes if id(change.entry) not in current]
        changes.append(StatusChange("order-unknown", min(briefing.current, key=lambda e: e.earliest)))
    return changes


def _ticks(briefing: RuleBriefing, first: int, last: int, scale: float, words: Words) -> list[Tick]:
    """The time axis' labels. A rule with claims known only to the year gets year ticks: a
    month tick under such a claim ("Jan 2015") would state a month nobody reported."""
    by_month = all(entry.date.precision != "year" for entry in briefing.entries)
    ticks = []
    for day, label in _tick_days(date.fromordinal(first), date.fromordinal(last), words, by_month):
        x = round((day.toordinal() - first) * scale, 1)
        ticks.append(Tick(round(WIDTH - x, 1) if words.rtl else x, label))
    return ticks


def _tick_days(first: date, last: date, words: Words, by_month: bool = True) -> list[tuple[date, str]]:
    """Where to mark the time axis: months over two years or less, years beyond.

    A month tick names its year where the year changes, so a reader of a January-to-April
    history sees "Jan 2015, Feb, Mar, Apr" rather than one "2015".
    """
    if by_month and (last.year - first.year) * 12 + last.month - first.month < 24:
        months = [
            date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range((last.year - first.year) * 12 + last.month - first.month + 1)
        ]
        ticks, shown_year = [], None
        for day in months[:: ceil(len(months) / MAX_TICKS)]:
            label = words.month_abbreviation(day.month)
            if day.year != shown_year:
                label, shown_year = words.short_month_year(day.year, day.month), day.year
            ticks.append((max(day, first), label))
        return ticks
    years = list(range(first.year, last.year + 1))
    step = ceil(len(years) / MAX_TICKS)
    return [(max(date(year, 1, 1), first), str(year)) for year in years[::step]]
