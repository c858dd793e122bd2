"""Dates kept at the precision the source supports: a year, a month or a day."""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from dataclasses import dataclass
from functools import cached_property

_PARTIAL_DATE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")

DATE_HINT = "use YYYY-MM-DD, YYYY-MM or YYYY"


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to a year, a month or a day.

    "Late last year" is a year, never an invented day: the precision is part of the fact.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Read a front-matter value: ``2015``, ``'2015-03'``, ``'2015-04-13'`` or a date.

        Raises ValueError with a message fit to show a writer.
        """
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"{value!r} is not a date ({DATE_HINT})")
        text = str(value).strip()
        match = _PARTIAL_DATE.fullmatch(text)
        if not match:
            raise ValueError(f"{text!r} is not a date ({DATE_HINT})")
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if year < 1 or (month is not None and not 1 <= month <= 12):
            raise ValueError(f"{text!r} is not a date ({DATE_HINT})")
        if day is not None and not 1 <= day <= monthrange(year, month or 1)[1]:
            raise ValueError(f"{text!r} is not a date ({DATE_HINT})")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        """The ISO 8601 form at this precision, valid as an HTML time element's datetime."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def sort_key(self) -> tuple[int, int, int]:
        """Partial dates sort before the full dates of the same period (0 < any month/day)."""
        return (self.year, self.month or 0, self.day or 0)

    def first_day(self) -> dt.date:
        """The first day of the period; partial dates count from here, where they sort."""
        return self._period[0]

    def last_day(self) -> dt.date:
        """The last day of the period: a claim dated "2015" may have been made on 31 December."""
        return self._period[1]

    @cached_property
    def _period(self) -> tuple[dt.date, dt.date]:
        # Worked out once: finding a briefing's disputes and order asks millions of times.
        first = dt.date(self.year, self.month or 1, self.day or 1)
        if self.day is not None:
            return first, first
        if self.month is not None:
            return first, dt.date(self.year, self.month, monthrange(self.year, self.month)[1])
        return first, dt.date(self.year, 12, 31)

    def contains(self, other: PartialDate) -> bool:
        """Whether ``other``'s period lies within this one's (2015 contains 2015-04-13)."""
        return self.first_day() <= other.first_day() and other.last_day() <= self.last_day()

    def days_until(self, later: PartialDate) -> int:
        """Days from this date to ``later``, each counted at the first day of its period."""
        return (later.first_day() - self.first_day()).days

    def timestamp(self) -> str:
        """An RFC 3339 timestamp at the start of the period, for Atom's ``updated``."""
        return f"{self.first_day().isoformat()}T00:00:00Z"

    def __str__(self) -> str:
        return self.iso()
