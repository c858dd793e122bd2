"""The kinds of page the briefing generates, each a small object that knows its own page.

A page object answers four questions, so that the site generator's adapter asks them without
knowing which kind it holds:

- ``meta``: the page's title and search settings, from the content model;
- ``writer_text``: the writer's Markdown that goes through the site generator's Markdown;
- ``render``: our HTML around a slot for that text, which ``Renderer.fill`` fills once it
  is converted;
- ``inputs``: what the page shows, for the live preview (``page_inputs.py``, ``preview.py``).

What a page needs of the build (the compiled briefing, the renderer, the timeline's order and
years, whether a listing is split by year) comes through :class:`Build`: the Site (site.py).
"""

from __future__ import annotations

import html
from collections.abc import Collection, Hashable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from . import page_inputs
from .compiled import Briefing
from .listing import Listing, newest_first_for, part_of
from .model import Entry
from .render import GeneratedPage, Renderer


def title_text(text: str) -> str:
    """A page title or description as MkDocs themes print it: raw, in text and in double-quoted
    attributes (``content="..."``). ``&``, ``<``, ``>`` and ``"`` are escaped; an apostrophe is
    not, so search indexes and exports that read the title as text show "AI Act's", not
    "AI Act&#x27;s"."""
    return html.escape(text, quote=False).replace('"', "&quot;")

class Build(Protocol):
    """What a page needs of the build it is part of."""

    briefing: Briefing
    renderer: Renderer
    newest_first: bool
    timeline_parts: Listing  # empty: the timeline is one page

    def by_year(self, kind: str, owner_id: str) -> bool: ...

    def listing_parts(self, kind: str, owner_id: str) -> Listing: ...

    def entry_inputs(self) -> dict[str, Hashable]: ...


@dataclass(frozen=True)
class BriefingPage:
    """A page the briefing makes; ``text_from_model``: its writer's text is read with the
    content model (an entry's, a rule's or a source's body), never again by the generator."""

    text_from_model: ClassVar[bool] = False
    # The writer's file at this page's path, if any, is shown on it (an introduction).
    shows_writer_file: ClassVar[bool] = True

    def meta(self, build: Build, meta: dict[str, Any]) -> dict[str, Any]:
        return meta

    def writer_text(self, build: Build, markdown: str) -> str:
        return markdown

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        """The page around the slot for the writer's text (``Renderer.fill``)."""
        raise NotImplementedError

    def inputs(self, build: Build) -> Hashable:
        raise NotImplementedError

    def about(self) -> tuple[str, str] | None:
        """The claim ("entry", id), rule, source, tag or jurisdiction this page is about; None
        for a page about the whole briefing (an index, the timeline)."""
        return None


@dataclass(frozen=True)
class EntryPage(BriefingPage):
    entry_id: str
    text_from_model: ClassVar[bool] = True

    def meta(self, build: Build, meta: dict[str, Any]) -> dict[str, Any]:
        claim = title_text(self._entry(build).claim)
        return {"title": claim, "description": claim}

    def writer_text(self, build: Build, markdown: str) -> str:
        return self._entry(build).body

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        return build.renderer.entry_page(self._entry(build), taken)

    def about(self) -> tuple[str, str] | None:
        return "entry", self.entry_id

    def inputs(self, build: Build) -> Hashable:
        return build.entry_inputs().get(self.entry_id)

    def _entry(self, build: Build) -> Entry:
        entry = build.briefing.entry(self.entry_id)
        assert entry is not None, self.entry_id
        return entry


@dataclass(frozen=True)
class RulePage(BriefingPage):
    rule_id: str
    text_from_model: ClassVar[bool] = True

    def meta(self, build: Build, meta: dict[str, Any]) -> dict[str, Any]:
        return {"title": title_text(build.briefing.rules[self.rule_id].title)}

    def writer_text(self, build: Build, markdown: str) -> str:
        return build.briefing.rules[self.rule_id].body

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        return build.renderer.rule_page(self.rule_id, taken, build.by_year("rule", self.rule_id))

    def about(self) -> tuple[str, str] | None:
        return "rule", self.rule_id

    def inputs(self, build: Build) -> Hashable:
        return page_inputs.rule_inputs(build.briefing, self.rule_id), build.by_year("rule", self.rule_id)


@dataclass(frozen=True)
class SourcePage(BriefingPage):
    source_id: str
    text_from_model: ClassVar[bool] = True

    def meta(self, build: Build, meta: dict[str, Any]) -> dict[str, Any]:
        return {"title": title_text(build.briefing.sources[self.source_id].name)}

    def writer_text(self, build: Build, markdown: str) -> str:
        return build.briefing.sources[self.source_id].body

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        return build.renderer.source_page(self.source_id, taken, build.by_year("source", self.source_id))

    def about(self) -> tuple[str, str] | None:
        return "source", self.source_id

    def inputs(self, build: Build) -> Hashable:
        return page_inputs.source_inputs(build.briefing, self.source_id), build.by_year("source", self.source_id)


@dataclass(frozen=True)
class ListingPartPage(BriefingPage):
    """A year, a month or a month's numbered page of a long listing of claims (listing.py):
    a rule's (``kind`` "rule"), a source's ("source") or a tag's ("tag")."""

    kind: str
    owner_id: str
    slug: str
    shows_writer_file: ClassVar[bool] = False

    def meta(self, build: Build, meta: dict[str, Any]) -> dict[str, Any]:
        renderer = build.renderer
        owner = build.briefing.listing_owner(self.kind, self.owner_id)[0]
        part = part_of(build.listing_parts(self.kind, self.owner_id), self.slug)
        # A listing: each claim is searched on its own page.
        title = renderer.words.text("title_listing_year", owner=owner, year=renderer.part_label(part))
        return {"title": title_text(title), "search": {"exclude": True}}

    def writer_text(self, build: Build, markdown: str) -> str:
        return ""

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        parts = build.listing_parts(self.kind, self.owner_id)
        return build.renderer.listing_part_page(self.kind, self.owner_id, parts, self.slug, newest_first_for(self.kind, build.newest_first))

    def about(self) -> tuple[str, str] | None:
        return self.kind, self.owner_id

    def inputs(self, build: Build) -> Hashable:
        parts = build.listing_parts(self.kind, self.owner_id)
        return parts.summary, page_inputs.entries_inputs(part_of(parts, self.slug).shown.entries)


@dataclass(frozen=True)
class IndexPage(BriefingPage):
    """A page of an index (rules, sources, tags, jurisdictions): ``number`` of ``pages``, each
    with up to ``per_page`` rows (``index_page_rows``)."""

    number: int = 1
    pages: int = 1
    per_page: int = 1000
    title_key: ClassVar[str] = ""

    def meta(self, build: Build, meta: dict[str, Any]) -> dict[str, Any]:
        title = build.renderer.words.text(self.title_key)
        if self.number > 1:  # the first page is the index the nav names: "Rules", not "page 1 of 4"
            title = build.renderer.words.text("numbered_page", name=title, number=self.number, pages=self.pages)
        return {"title": title_text(title), **meta}

    @property
    def page(self) -> tuple[int, int, int]:
        return self.number, self.pages, self.per_page


@dataclass(frozen=True)
class RulesIndexPage(IndexPage):
    title_key: ClassVar[str] = "title_rules"

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        return build.renderer.rules_index(taken, self.page)

    def inputs(self, build: Build) -> Hashable:
        return page_inputs.rules_index_inputs(build.briefing), self.page


@dataclass(frozen=True)
class SourcesIndexPage(IndexPage):
    title_key: ClassVar[str] = "title_sources"

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        return build.renderer.sources_index(taken, self.page)

    def inputs(self, build: Build) -> Hashable:
        return page_inputs.sources_index_inputs(build.briefing), self.page


@dataclass(frozen=True)
class TimelinePage(BriefingPage):
    def meta(self, build: Build, meta: dict[str, Any]) -> dict[str, Any]:
        # Every claim here has its own page, where a search for its words should land.
        return {"title": title_text(build.renderer.words.text("title_timeline")), "search": {"exclude": True}, **meta}

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        return build.renderer.timeline_page(taken, build.newest_first, bool(build.timeline_parts))

    def inputs(self, build: Build) -> Hashable:
        if build.timeline_parts:  # the list of years, with counts by month
            groups = build.renderer.timeline(build.newest_first)
            return tuple((g.year, tuple((m.month, len(m.entries)) for m in g.months)) for g in groups)
        return page_inputs.entries_inputs(build.briefing.entries)


@dataclass(frozen=True)
class TimelinePartPage(BriefingPage):
    """A year, a month or a month's numbered page of a timeline too long for one page."""

    slug: str
    shows_writer_file: ClassVar[bool] = False

    def meta(self, build: Build, meta: dict[str, Any]) -> dict[str, Any]:
        label = build.renderer.part_label(part_of(build.timeline_parts, self.slug))
        title = build.renderer.words.text("title_timeline_year", year=label)
        return {"title": title_text(title), "search": {"exclude": True}, **meta}

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        return build.renderer.timeline_part_page(build.timeline_parts, self.slug, build.newest_first)

    def inputs(self, build: Build) -> Hashable:
        parts = build.timeline_parts
        # "N claims in <year>, of <all>": the whole count shows too.
        shown = page_inputs.entries_inputs(part_of(parts, self.slug).shown.entries)
        return parts.summary, shown, len(build.briefing.entries)


@dataclass(frozen=True)
class TermsIndexPage(IndexPage):
    """``/tags/`` or ``/jurisdictions/``: every term of a ``kind``, with its counts."""

    kind: str = "tag"

    @property
    def title_key(self) -> str:  # type: ignore[override]
        return "title_tags" if self.kind == "tag" else "title_jurisdictions"

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        return build.renderer.terms_index(self.kind, taken, self.page)

    def inputs(self, build: Build) -> Hashable:
        return page_inputs.terms_index_inputs(build.briefing, self.kind), self.page


@dataclass(frozen=True)
class TermPage(BriefingPage):
    """A tag's claims, or a jurisdiction's rules and latest claims: its rules ``number`` of
    ``pages``, each with up to ``per_page`` of them (``index_page_rows``), the latest claims on
    the first."""

    kind: str
    term_id: str
    number: int = 1
    pages: int = 1
    per_page: int = 1 << 30
    shows_writer_file: ClassVar[bool] = False

    def meta(self, build: Build, meta: dict[str, Any]) -> dict[str, Any]:
        term = build.briefing.terms(self.kind).by_id[self.term_id]
        key, field = ("title_tag", "tag") if self.kind == "tag" else ("title_jurisdiction", "jurisdiction")
        title = build.renderer.words.text(key, **{field: term.name})
        if self.number > 1:
            title = build.renderer.words.text("numbered_page", name=title, number=self.number, pages=self.pages)
        # A tag's page lists claims, each found by search on its own page.
        return {"title": title_text(title), **({"search": {"exclude": True}} if self.kind == "tag" else {}), **meta}

    @property
    def page(self) -> tuple[int, int, int]:
        return self.number, self.pages, self.per_page

    def render(self, build: Build, taken: Collection[str]) -> GeneratedPage:
        by_year = self.kind == "tag" and build.by_year(self.kind, self.term_id)
        return build.renderer.term_page(self.kind, self.term_id, build.newest_first, taken, by_year, self.page)

    def about(self) -> tuple[str, str] | None:
        return self.kind, self.term_id

    def inputs(self, build: Build) -> Hashable:
        by_year = self.kind == "tag" and build.by_year(self.kind, self.term_id)
        return page_inputs.term_inputs(build.briefing, self.kind, self.term_id, build.newest_first), by_year, self.page
