"""Rendering the briefing with Jinja: page sources, Atom feeds and the JSON data file.

Page templates produce Markdown whose headings are plain Markdown (so the site generator builds
its table of contents and search sections from them) and whose content is HTML blocks. Jinja's
autoescaping is on for every template: all text that came from front-matter is escaped, and the
HTML blocks pass through Markdown untouched.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup

from .briefing import Briefing
from .model import Entry
from .strip import status_strip
from .timeline import YearGroup, anchor, build_timeline

Link = Callable[[str], str]

HELD_BLOCK = re.compile(r"<!-- briefing-(searched|unsearched) (\d+) -->")


@dataclass
class PageSource:
    """A generated page: Markdown for MkDocs, with its HTML blocks held back.

    Python-Markdown parses every raw HTML block it meets (its own block parser, then MkDocs'
    anchor collector), and on generated pages that cost more than all our rendering (see
    ``make bench``). Our blocks need no Markdown, so templates mark them with ``{% filter
    stash %}``; they travel through Markdown as one-line comments and ``restore`` puts them
    back into the page's HTML. Headings stay Markdown, for the table of contents and search.

    Blocks marked ``stash(search=False)`` -- lists of other claims -- go back in only after
    the search plugin has indexed the page: each claim is found on its own page, not again on
    every listing that repeats it (which also kept the search index three times larger).
    """

    markdown: str
    blocks: list[tuple[str, bool]]  # (html, searchable)

    def restore(self, html: str, searchable: bool) -> str:
        """Put back the searchable blocks, or the others."""
        kind = "searched" if searchable else "unsearched"

        def block(match: re.Match[str]) -> str:
            index = int(match.group(2))
            if match.group(1) != kind or index >= len(self.blocks):
                return match.group(0)
            return self.blocks[index][0]

        return HELD_BLOCK.sub(block, html)


@pass_context
def stash(context: Context, html: str, search: bool = True) -> Markup:
    """Hold ``html`` back from Markdown; leave a placeholder that ``PageSource.restore`` fills."""
    blocks = context["held_blocks"]
    blocks.append((str(html), search))
    kind = "searched" if search else "unsearched"
    return Markup(f"<!-- briefing-{kind} {len(blocks) - 1} -->\n")


# Our statuses as schema.org LegalForceStatus values (only stated when undisputed).
LEGAL_FORCE = {
    "adopted": "InForce",
    "in-force": "InForce",
    "resumed": "InForce",
    "revised": "InForce",
    "paused": "NotInForce",  # implementation suspended
    "proposed": "NotInForce",
    "under-review": "NotInForce",
    "withdrawn": "NotInForce",
}


def relative_url(target: str, current: str) -> str:
    """``target`` as seen from the page at ``current``; both are site-root paths like ``rules/x/``.

    Directory URLs only: every page the briefing generates is ``<something>/``. Plain segment
    arithmetic rather than ``posixpath.relpath``, which asks the OS for the working directory on
    every call: a generated page makes hundreds of these links.
    """
    base = current if current.endswith("/") else posixpath.dirname(current)
    base_parts = [part for part in base.split("/") if part]
    path, _, fragment = target.partition("#")
    target_parts = [part for part in path.split("/") if part] or base_parts
    common = 0
    for mine, theirs in zip(base_parts, target_parts, strict=False):  # lengths differ
        if mine != theirs:
            break
        common += 1
    relative = "/".join([".."] * (len(base_parts) - common) + target_parts[common:])
    if not relative:
        relative = "./"
    elif path.endswith("/"):
        relative += "/"
    return f"{relative}#{fragment}" if fragment else relative


def year_and_neighbours(
    years: list[YearGroup], year: int
) -> tuple[YearGroup, YearGroup | None, YearGroup | None]:
    """``year``'s group and the groups listed before and after it, for a year page's links."""
    index = next(i for i, group in enumerate(years) if group.year == year)
    before = years[index - 1] if index > 0 else None
    after = years[index + 1] if index + 1 < len(years) else None
    return years[index], before, after


class Renderer:
    """Renders every generated page, feed and data file of one build."""

    def __init__(self, briefing: Briefing, overrides_dir: str | None = None, site_url: str = ""):
        loaders = [PackageLoader("briefing", "templates")]
        if overrides_dir:
            # Templates in the site's overrides directory win over the packaged ones.
            loaders.insert(0, FileSystemLoader(overrides_dir))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Templates cannot change during a build (a rebuild makes a new Renderer): no need
            # to stat every template file for every page.
            auto_reload=False,
        )
        self.env.globals.update(anchor=anchor)
        self.env.filters["stash"] = stash
        self.briefing = briefing
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self._timelines: dict[bool, list[YearGroup]] = {}
        self._listings: dict[tuple[str, str], list[YearGroup]] = {}

    def _render(self, template: str, page_path: str, **context: Any) -> PageSource:
        def link(target: str) -> str:
            return relative_url(target, page_path)

        blocks: list[tuple[str, bool]] = []
        markdown = self.env.get_template(template).render(
            briefing=self.briefing, link=link, page_path=page_path, held_blocks=blocks, **context
        )
        return PageSource(markdown, blocks)

    # --- pages ---------------------------------------------------------------------------------

    def rules_index(self, intro: str = "") -> PageSource:
        briefings = sorted(
            self.briefing.rule_briefings.values(), key=lambda b: b.rule.title.casefold()
        )
        return self._render("rules_index.md", "rules/", briefings=briefings, intro=intro)

    def rule_page(self, rule_id: str, body: str, by_year: bool = False) -> PageSource:
        """A rule's briefing; ``by_year``: its claims are listed on a page per year."""
        briefing = self.briefing.rule_briefings[rule_id]
        path = briefing.rule.url_path
        return self._render(
            "rule.md", path, b=briefing, body=body, feed=f"{path}feed.xml",
            strip=status_strip(briefing), title=briefing.rule.title, jsonld=self.rule_jsonld(rule_id),
            claim_years=self.listing_years("rule", rule_id) if by_year else None,
        )  # fmt: skip

    def sources_index(self, intro: str = "") -> PageSource:
        sources = sorted(self.briefing.sources.values(), key=lambda s: s.name.casefold())
        return self._render("sources_index.md", "sources/", sources=sources, intro=intro)

    def source_page(self, source_id: str, body: str, by_year: bool = False) -> PageSource:
        """A source's page; ``by_year``: its claims are listed on a page per year."""
        source = self.briefing.sources[source_id]
        entries = self.briefing.source_entries[source_id]
        return self._render(
            "source.md", source.url_path, source=source, entries=entries, body=body,
            claim_years=self.listing_years("source", source_id) if by_year else None,
        )  # fmt: skip

    def listing_year_page(self, kind: str, owner_id: str, year: int) -> PageSource:
        """One year of a rule's or a source's claims (``kind`` is "rule" or "source")."""
        this, before, after = year_and_neighbours(self.listing_years(kind, owner_id), year)
        if kind == "rule":
            owner = self.briefing.rules[owner_id]
            title, path = owner.title, owner.url_path
        else:
            source = self.briefing.sources[owner_id]
            title, path = source.name, source.url_path
        return self._render(
            "listing_year.md", f"{path}{year}/", owner_title=title, owner_path=path,
            year=this, before=before, after=after, kind=kind,
        )  # fmt: skip

    def listing_years(self, kind: str, owner_id: str) -> list[YearGroup]:
        """A rule's or a source's claims by year, oldest first; grouped once per build."""
        key = (kind, owner_id)
        if key not in self._listings:
            entries = self.briefing.claims_of(kind, owner_id)
            self._listings[key] = build_timeline(entries, newest_first=False)
        return self._listings[key]

    def entry_page(self, entry: Entry, body: str) -> PageSource:
        return self._render(
            "entry.md",
            entry.url_path,
            entry=entry,
            body=body,
            neighbours=self.briefing.neighbours(entry),
            contradicts=[e for e in map(self.briefing.entry, entry.contradicts) if e],
            contradicted_by=self.briefing.contradicted_by.get(entry.id, []),
            jsonld=self.entry_jsonld(entry),
        )

    def timeline_page(self, newest_first: bool = True, intro: str = "", by_year: bool = False) -> PageSource:
        """The whole timeline on one page, or (``by_year``) the list of its year pages."""
        return self._render(
            "timeline.md", "timeline/", years=self.timeline(newest_first), by_year=by_year,
            newest_first=newest_first, intro=intro, year_page=None,
        )  # fmt: skip

    def timeline_year_page(self, year: int, newest_first: bool = True) -> PageSource:
        """One year of a timeline split by year, with links to the years either side."""
        this, before, after = year_and_neighbours(self.timeline(newest_first), year)
        return self._render(
            "timeline.md", f"timeline/{year}/", years=[this], by_year=False,
            newest_first=newest_first, intro="", year_page=(before, after),
        )  # fmt: skip

    def timeline(self, newest_first: bool) -> list[YearGroup]:
        """The timeline model, built once per build and order, however many pages show it."""
        if newest_first not in self._timelines:
            self._timelines[newest_first] = build_timeline(self.briefing.entries, newest_first)
        return self._timelines[newest_first]

    def rule_link(self, rule_id: str, page_path: str, text: str | None = None) -> str:
        """An inline link to a rule's briefing, for ``[[rule]]`` in Markdown text."""
        rule = self.briefing.rules[rule_id]
        return self._render("_rule_link.html", page_path, rule=rule, text=text or rule.title).markdown.strip()

    # --- structured data (schema.org JSON-LD) -------------------------------------------------

    def rule_jsonld(self, rule_id: str) -> dict[str, Any]:
        """schema.org Legislation; legal force only when the current status is undisputed."""
        briefing = self.briefing.rule_briefings[rule_id]
        rule = briefing.rule
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Legislation",
            "name": rule.title,
            "url": self.absolute(rule.url_path),
        }
        if rule.summary:
            data["abstract"] = rule.summary
        if rule.jurisdiction:
            data["legislationJurisdiction"] = rule.jurisdiction
        if rule.kind:
            data["legislationType"] = rule.kind
        if rule.issuer:
            data["legislationResponsible"] = {"@type": "Organization", "name": rule.issuer}
        if briefing.parent:
            data["isPartOf"] = {"@type": "Legislation", "name": briefing.parent.title,
                                "url": self.absolute(briefing.parent.url_path)}
        force = LEGAL_FORCE.get(briefing.current.status or "") if briefing.current else None
        if force and not briefing.disputed:
            data["legislationLegalForce"] = f"https://schema.org/{force}"
        return data

    def entry_jsonld(self, entry: Entry) -> dict[str, Any]:
        """schema.org Claim: who claimed what, where it appeared, which rules it is about."""
        source = self.briefing.sources[entry.source_id]
        appearance: dict[str, Any] = {
            "@type": "CreativeWork",
            "publisher": {"@type": "Organization", "name": source.name},
        }
        if entry.url:
            appearance["url"] = entry.url
        return {
            "@context": "https://schema.org",
            "@type": "Claim",
            "text": entry.claim,
            "url": self.absolute(entry.url_path),
            "datePublished": entry.date.iso(),
            "author": {"@type": "Person" if entry.by else "Organization", "name": entry.by or source.name},
            "appearance": appearance,
            "about": [
                {"@type": "Legislation", "name": self.briefing.rules[r].title,
                 "url": self.absolute(self.briefing.rules[r].url_path)}
                for r in entry.rule_ids
            ],
        }

    # --- feeds and data ------------------------------------------------------------------------

    def feed(self, title: str, feed_path: str, page_path: str, entries: list[Entry]) -> str:
        """An Atom feed of ``entries`` (newest 50), with ids that never change between builds."""
        newest = sorted(entries, key=Entry.sort_key, reverse=True)[:50]
        return self.env.get_template("feed.xml").render(
            title=title,
            feed_url=self.absolute(feed_path),
            page_url=self.absolute(page_path),
            feed_id=self.absolute(feed_path) if self.site_url else f"urn:briefing:{feed_path}",
            entries=newest,
            absolute=self.absolute,
            entry_id=self.entry_id,
            briefing=self.briefing,
        )

    def absolute(self, path: str) -> str:
        return f"{self.site_url}{path}" if self.site_url else f"/{path}"

    def entry_id(self, entry: Entry) -> str:
        return self.absolute(entry.url_path) if self.site_url else f"urn:briefing:entry:{entry.id}"

    def entries_json(self) -> str:
        """Every published entry as data, with resolved rule and source ids."""
        data = {
            "version": 1,
            "entries": [self._entry_data(entry) for entry in self.briefing.entries],
            "rules": {
                rule.id: {
                    "title": rule.title,
                    "url": self.absolute(rule.url_path),
                    "part_of": rule.part_of,
                    "status": self.briefing.rule_briefings[rule.id].status_label,
                }
                for rule in self.briefing.rules.values()
            },
            "sources": {
                source.id: {"name": source.name, "url": self.absolute(source.url_path)}
                for source in self.briefing.sources.values()
            },
        }
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"

    def _entry_data(self, entry: Entry) -> dict[str, Any]:
        return {
            "id": entry.id,
            "url": self.absolute(entry.url_path),
            "date": entry.date.iso(),
            "date_precision": entry.date.precision,
            "claim": entry.claim,
            "source": entry.source_id,
            "rules": list(entry.rule_ids),
            "status": entry.status,
            "by": entry.by,
            "quote": entry.quote,
            "source_url": entry.url,
            "contradicts": list(entry.contradicts),
            "tags": list(entry.tags),
        }
