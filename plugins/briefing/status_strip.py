"""The status-history strip: a rule's statuses over time, laid out for an inline SVG.

Geometry only; the drawing is a template. Each status is written on its segment, or, where the
segment is too short for its name, keyed by the number of its line in the status history list
below the strip. Disputed spans are hatched and labelled. Nothing depends on telling colours
apart, and no text leaves the drawing (tests/test_browser.py measures every text box).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from math import ceil
from unicodedata import east_asian_width

from .compiled import RuleBriefing, StatusChange
from .language import Words
from .model import Entry

WIDTH = 1000  # SVG user units; the SVG scales to the page width
HEIGHT = 112  # room under the tick labels for descenders in any script (Arabic's run deep)
KEY_ROW = 26  # the row above the bar for the numbers keying segments too short for a label
KEY_GAP = 26.0  # keys closer than this would run together: they are spread apart
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
    # Too short for its label: the number of its line in the status history list, written in
    # the row above the bar at key_x and joined to the segment's middle by a short line.
    key: str = ""
    key_x: float = 0.0

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


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

    @property
    def top(self) -> int:
        """Where the bar starts: below the key row when a segment is keyed."""
        return KEY_ROW if any(segment.key for segment in self.segments) else 0

    @property
    def height(self) -> int:
        return HEIGHT + self.top


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
    # Leave room after the last change so the current status is always visible.
    axis = _Axis(first, (WIDTH * 0.75) / max(last - first, 1))
    segments = _spread_keys(_segments(briefing, words, axis))
    disputes = []
    for dispute in briefing.disputes:
        start, end = axis.x(dispute.earlier), axis.x(dispute.later)
        title = words.text("strip_disputed", start=words.date(dispute.earlier.date), end=words.date(dispute.later.date))
        disputes.append(_placed(start, max(end - start, MIN_DISPUTE_WIDTH), "disputed", title, words))
    disputes = _one_label_per_place(disputes)
    ticks = _ticks(briefing, first, last, axis.scale, words)
    description = words.text("list_separator").join(s.title for s in segments)
    if disputes:
        description += " " + words.text("strip_disputed_spans", count=len(disputes))
    if words.rtl:
        segments, disputes = [_mirrored(s) for s in segments], [_mirrored(s) for s in disputes]
    return Strip(segments, disputes, ticks, description, words.rtl)


@dataclass(frozen=True)
class _Axis:
    """Days to SVG units, from the rule's first claim."""

    first: int  # the first claim's day (an ordinal)
    scale: float  # units per day

    def x(self, entry: Entry) -> float:
        return round((entry.earliest.toordinal() - self.first) * self.scale, 1)


def _placed(x: float, width: float, status: str, title: str, words: Words, uncertain: float = 0.0) -> Span:
    label = words.status(status)
    fits = width >= label_width(label) + 12
    return Span(x, width, status, label, title, round(x + 6, 1), fits, x, round(min(uncertain, width), 1))


def _segments(briefing: RuleBriefing, words: Words, axis: _Axis) -> list[Span]:
    """One segment per status change, left to right; one too short for its label is keyed by
    the line of the status history list it is written on."""
    line_of = {id(change.entry): str(number) for number, change in enumerate(briefing.history, 1)}
    segments = []
    changes = _shown_changes(briefing)
    for index, change in enumerate(changes):
        start = axis.x(change.entry)
        end = axis.x(changes[index + 1].entry) if index + 1 < len(changes) else WIDTH
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
            period_end = (change.entry.date.last_day().toordinal() + 1 - axis.first) * axis.scale
            uncertain = max(min(period_end, end) - start, 2.0)
        segment = _placed(start, max(end - start, 2.0), change.status, title, words, uncertain)
        segments.append(segment if segment.fits else replace(segment, key=line_of.get(id(change.entry), "")))
    return segments


def key_half_width(key: str) -> float:
    """Half the room a key takes in the key row: its digits (18-unit bold, about 11 units
    each) and a little air on each side, and never less than half of KEY_GAP."""
    return max(KEY_GAP / 2, 5.5 * len(key) + 4)


def _spread_keys(segments: list[Span]) -> list[Span]:
    """Place each key over its segment's middle, spread so that no two run together, and
    inside the drawing (keys are in time order, as the segments are).

    Where more keys are wanted than the row holds (hundreds of short changes), the latest are
    kept: the current end is what a reader looks for, and every change is in the list below.
    """
    keyed = [index for index, segment in enumerate(segments) if segment.key]
    while sum(2 * key_half_width(segments[index].key) for index in keyed) > WIDTH:
        keyed.pop(0)
    halves = [key_half_width(segments[index].key) for index in keyed]
    places: list[float] = []
    for index, half in zip(keyed, halves, strict=True):
        wanted = max(segments[index].middle, half)
        places.append(max(wanted, places[-1] + halves[len(places) - 1] + half) if places else wanted)
    for back in range(len(places) - 1, -1, -1):  # pushed past the end: pull back from the right
        limit = WIDTH - halves[back] if back == len(places) - 1 else places[back + 1] - halves[back + 1] - halves[back]
        places[back] = min(places[back], limit)
    kept = dict(zip(keyed, places, strict=True))
    return [
        replace(segment, key_x=round(kept[index], 1)) if index in kept else replace(segment, key="")
        for index, segment in enumerate(segments)
    ]


def _one_label_per_place(disputes: list[Span]) -> list[Span]:
    """Label a disputed span only where its label has room: spans that begin together (five
    claims dated "2015") would write "disputed" over one another. The hatching of the others
    still shows, with its own tooltip; each dispute is written out on the page."""
    labelled, free_from = [], -1.0
    for span in sorted(disputes, key=lambda s: s.x):
        text_x = min(span.text_x, WIDTH - label_width(span.label) - 2)
        if text_x >= free_from:
            labelled.append(replace(span, text_x=round(text_x, 1), fits=True))
            free_from = text_x + label_width(span.label) + 12
        else:
            labelled.append(replace(span, fits=False))
    return labelled


def _mirrored(span: Span) -> Span:
    """The span as a right-to-left page shows it: time runs from the right, and a label is
    anchored at its end (text-anchor: end), so it starts where the mirrored span starts."""
    x = round(WIDTH - span.x - span.width, 1)
    text_x = round(WIDTH - span.text_x, 1)
    uncertain_x = round(x + span.width - span.uncertain_width, 1)
    key_x = round(WIDTH - span.key_x, 1) if span.key else 0.0
    return replace(span, x=x, text_x=text_x, uncertain_x=uncertain_x, key_x=key_x)


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
