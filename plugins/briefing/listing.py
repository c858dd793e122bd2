"""Long listings of claims cut into pages a browser takes in at once.

A listing (the timeline, or a rule's, a source's or a tag's claims) of more than ``limit``
claims gets a page per year. A year of more than ``limit`` claims gets a page per month, and its
own page lists its months. A month of more than ``limit`` claims gets numbered pages.

Which page lists a claim follows from the claim's date alone (and, only inside a month of more
than ``limit`` claims, from its place in that month). A link to a year's or a month's page
keeps its claims as the briefing grows, and each claim carries the same anchor on every page
(``timeline.anchor``); the one address that never moves is the claim's own page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .language import Words
from .timeline import MonthGroup, YearGroup


@dataclass
class ListingPart:
    """One page of a split listing: a year, a month of a year, or a numbered page of a month.

    ``shown`` is what the page lists, as a year holding the months it shows (one month, or part
    of one, on a month's page); ``months``, for a year split by month, its months' first pages
    (the year's page lists them instead of claims).
    """

    slug: str  # below the listing's page: "2015/", "2015/03/", "2015/undated/", "2015/03/page/2/"
    year: int
    month: int | None  # a month's page: None for the claims dated to the year only
    shown: YearGroup
    count: int  # the claims of the whole year, or of the whole month on a month's pages
    months: list[ListingPart] = field(default_factory=list)
    is_month: bool = False
    number: int = 1  # a month's page number
    pages: int = 1  # how many pages the month has


def month_slug(month: MonthGroup) -> str:
    return f"{month.year}/{month.month:02d}/" if month.month else f"{month.year}/undated/"


class Listing(list):
    """A split listing's pages in order, each found by its slug, with the pages either side of
    it, worked out once: asked for by every page, a scan would be quadratic in the pages (a
    month of 100,000 claims split one a page, under ``split_above: 1``, took minutes)."""

    def __init__(self, parts: list[ListingPart]):
        super().__init__(parts)
        self.by_slug = {part.slug: part for part in parts}
        self.beside: dict[str, tuple[ListingPart | None, ListingPart | None]] = {}
        for is_month in (False, True):
            level = [part for part in parts if part.is_month == is_month]
            for at, part in enumerate(level):
                self.beside[part.slug] = (level[at - 1] if at > 0 else None), (level[at + 1] if at + 1 < len(level) else None)
        self.summary = tuple((part.slug, part.count) for part in parts)  # what every page links by


def split_listing(years: list[YearGroup], limit: int) -> Listing:
    """Every page of a listing already grouped by year and month (``build_timeline``), years
    first, each year's month pages after it, in the listing's order."""
    parts: list[ListingPart] = []
    for year in years:
        if year.count <= limit:
            parts.append(ListingPart(f"{year.year}/", year.year, None, year, year.count))
            continue
        months = [page for month in year.months for page in _month_pages(month, limit)]
        first_pages = [m for m in months if m.number == 1]
        parts.append(ListingPart(f"{year.year}/", year.year, None, year, year.count, months=first_pages))
        parts.extend(months)
    return Listing(parts)


def _month_pages(month: MonthGroup, limit: int) -> list[ListingPart]:
    chunks = [month.entries[start : start + limit] for start in range(0, len(month.entries), limit)]
    base = month_slug(month)
    return [
        ListingPart(
            base if number == 1 else f"{base}page/{number}/", month.year, month.month,
            YearGroup(month.year, [MonthGroup(month.year, month.month, chunk)]), len(month.entries),
            is_month=True, number=number, pages=len(chunks),
        )  # fmt: skip
        for number, chunk in enumerate(chunks, 1)
    ]


def neighbours(parts: Listing, part: ListingPart) -> tuple[ListingPart | None, ListingPart | None]:
    """The pages either side of ``part`` at its level (year beside year, month page beside
    month page, across years), in the listing's order."""
    return parts.beside[part.slug]


def part_of(parts: Listing, slug: str) -> ListingPart:
    """The part at ``slug``."""
    return parts.by_slug[slug]


def order_known(part: ListingPart, other: ListingPart) -> bool:
    """Whether the claims of ``other``'s page are all older, or all newer, than ``part``'s:
    across years, or between two known months. Not between a month and the claims dated to
    its year only, nor between the numbered pages of one month (listing order, not dates)."""
    if part.year != other.year:
        return True
    return bool(part.month and other.month and part.month != other.month)


def part_label(part: ListingPart, words: Words) -> str:
    """A listing page's name: "2015", "March 2015", "March 2015, page 2 of 3"."""
    if not part.is_month:
        return str(part.year)
    label = words.month_year(part.year, part.month)
    if part.pages > 1:
        label = words.text("numbered_page", name=label, number=part.number, pages=part.pages)
    return label


def index_page_path(folder: str, number: int) -> str:
    """An index's page ``number``: ``rules/``, then ``rules/index/2/`` ("index" is never an id)."""
    return f"{folder}/" if number == 1 else f"{folder}/index/{number}/"


def newest_first_for(kind: str, timeline_newest_first: bool) -> bool:
    """The order of a rule's, a source's or a tag's claims: a tag's are a slice of the timeline
    and follow its order, on one page or split; a rule's and a source's read as a history,
    oldest first."""
    return kind == "tag" and timeline_newest_first
