"""The timeline model: claims grouped by year, then month, at their own precision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from .model import Entry, Rule, Source, url_id


@dataclass
class MonthGroup:
    """Claims of one month, or of a year whose month is not known (``month is None``)."""

    year: int
    month: int | None
    entries: list[Entry] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else f"{self.year}-undated"


@dataclass
class YearGroup:
    year: int
    months: list[MonthGroup]

    @property
    def count(self) -> int:
        return sum(len(month.entries) for month in self.months)

    @property
    def entries(self) -> list[Entry]:
        return [entry for month in self.months for entry in month.entries]


def build_timeline(entries: Iterable[Entry], newest_first: bool = True) -> list[YearGroup]:
    """Group ``entries`` (in date order) by year and month.

    Newest first reverses the whole order, so within a month full dates come before the
    month-only claims, mirroring the oldest-first order where partial dates lead.
    """
    ordered = list(entries)
    if newest_first:
        ordered.reverse()
    years = []
    for year, in_year in groupby(ordered, key=lambda e: e.date.year):
        months = [
            MonthGroup(year, month, list(in_month))
            for month, in_month in groupby(in_year, key=lambda e: e.date.month)
        ]
        years.append(YearGroup(year, months))
    return years


def anchor(entry: Entry) -> str:
    """The permalink anchor of a claim on timeline pages."""
    return f"claim-{url_id(entry.id)}"


def filter_choices(rules: dict[str, Rule], sources: dict[str, Source], years: list[YearGroup]) -> tuple[list[Rule], list[Source]]:
    """The rules and sources of the claims a timeline page lists, in the briefing's order:
    what its filter offers. Only these: a page of 500 claims out of 100,000 would otherwise
    carry a link to each of thousands of rules and sources."""
    rule_ids = {rule_id for year in years for entry in year.entries for rule_id in entry.rule_ids}
    source_ids = {entry.source_id for year in years for entry in year.entries}
    return [r for r in rules.values() if r.id in rule_ids], [s for s in sources.values() if s.id in source_ids]
