"""The site the briefing makes, planned whole: every page and data file, what each shows, and
how each is rendered. It imports nothing from MkDocs; the plugin (plugin.py) maps it onto
MkDocs' files, nav and events, and ``briefing check`` and ``export`` use it through the plugin.

:class:`Site` is built once per build from the compiled briefing:

- ``outputs``: each page (a ``pages.py`` object) and data file (feeds, JSON, our stylesheets)
  by its source path (``rules/<id>.md``, ``feed.xml``), with what it shows (``page_inputs.py``), for
  the live preview;
- ``render``: the one way a page's HTML is made around the writer's converted text, whether
  here or ahead in a worker process (``render_workers.py``), and ``make``: a data file's content;
- ``check_texts``: the problems in writers' text that need the briefing (``[[links]]``,
  script, Markdown past its bounds);
- ``nav``: Home, the writers' pages, Timeline, Rules, Sources.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import partial
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from . import page_inputs
from .alerts import FEED_PATH as STATUS_FEED
from .bounds import bounded
from .compiled import Briefing
from .feeds import year_file
from .listing import Listing, newest_first_for, split_listing
from .markup import clean
from .model import Problem
from .pages import (
    BriefingPage,
    EntryPage,
    ListingPartPage,
    RulePage,
    RulesIndexPage,
    SourcePage,
    SourcesIndexPage,
    TermPage,
    TermsIndexPage,
    TimelinePage,
    TimelinePartPage,
)
from .render import GeneratedPage, Renderer
from .render_workers import RenderAhead
from .taxonomy import FOLDERS
from .text_checks import FindingsAhead, text_problems
from .wikilinks import link_rule_names

CSS_URI = "assets/briefing/briefing.css"
JS_URI = "assets/briefing/timeline.js"


@dataclass(frozen=True)
class SiteOptions:
    """What the site needs of the configuration, as plain values (``options.py`` makes them
    from the plugin's options, whose defaults are their one definition)."""

    site_name: str
    split_above: int
    index_page_rows: int
    newest_first: bool
    state_of_play_claims: int
    nav_list_limit: int
    trusted_html: bool
    overrides: str | None
    shown_dir: str  # the content folder as writers name it, for messages
    markdown_extensions: list[Any]  # as the build converts writers' text
    mdx_configs: dict[str, Any]


@dataclass(frozen=True)
class DataFile:
    """A generated file that is no page: ``make`` gives its content, ``shows`` its inputs."""

    make: Callable[[], str | bytes]
    shows: Callable[[], Hashable] = tuple
    about: tuple[str, str] | None = None  # as BriefingPage.about: a rule's feed is about the rule


class Site:
    """One build's pages and files, planned from the compiled briefing."""

    def __init__(self, briefing: Briefing, renderer: Renderer, options: SiteOptions, override_styles: Iterable[str] = ()):
        self.briefing = briefing
        self.renderer = renderer
        self.options = options
        self.newest_first = options.newest_first
        by_year = len(briefing.entries) > options.split_above
        # The timeline's pages by year (and month, where a year is too long), if one is too long.
        self.timeline_parts = split_listing(renderer.timeline(self.newest_first), options.split_above) if by_year else Listing([])
        self._listing_parts: dict[tuple[str, str], Listing] = {}
        self.pages: dict[str, BriefingPage] = {}  # src_uri -> the page made there
        self.data_files: dict[str, DataFile] = {}
        self.with_blocks: set[str] = set()  # writers' pages whose text holds a block
        self.writer_pages: dict[str, str] = {}  # src_uri -> text of a writer's own page
        self.ahead: RenderAhead | None = None  # pages and files being rendered ahead
        self.rendered_again = 0  # of those: pages whose writer's text needed them rendered here
        self.findings_ahead: FindingsAhead | None = None  # writers' texts checked meanwhile (mkdocs_files.open_site)
        self._entry_inputs: dict[str, Hashable] | None = None
        self._plan(list(override_styles))

    # --- the plan ------------------------------------------------------------------------------

    def _plan(self, override_styles: list[str]) -> None:
        briefing, renderer = self.briefing, self.renderer
        for entry in briefing.entries:
            self.pages[entry.path] = EntryPage(entry.id)
        self.pages.update(index_pages("rules", len(briefing.rules), self.options.index_page_rows, RulesIndexPage))
        for rule_id in briefing.rules:
            self.pages[f"rules/{rule_id}.md"] = RulePage(rule_id)
            self.data_files[f"rules/{rule_id}/feed.xml"] = DataFile(
                partial(self._rule_feed, rule_id),
                lambda rule_id=rule_id: page_inputs.entries_inputs(renderer.newest(briefing.rule_briefings[rule_id].entries)),
                ("rule", rule_id),
            )  # fmt: skip
            self._year_pages("rule", rule_id)
        self.pages.update(index_pages("sources", len(briefing.sources), self.options.index_page_rows, SourcesIndexPage))
        for source_id in briefing.sources:
            self.pages[f"sources/{source_id}.md"] = SourcePage(source_id)
            self._year_pages("source", source_id)
        for kind, folder in FOLDERS.items():
            terms = briefing.terms(kind).by_id
            if terms:
                self.pages.update(index_pages(folder, len(terms), self.options.index_page_rows, partial(TermsIndexPage, kind=kind)))
            for term_id, term in terms.items():
                if kind == "tag":
                    self.pages[f"{folder}/{term_id}.md"] = TermPage(kind, term_id)
                    self._year_pages(kind, term_id)
                else:  # a jurisdiction's rules, on numbered pages past index_page_rows
                    self.pages.update(jurisdiction_pages(folder, term_id, len(term.rule_ids), self.options.index_page_rows))
        self.pages["timeline/index.md"] = TimelinePage()
        for part in self.timeline_parts:
            self.pages[f"timeline/{part.slug.rstrip('/')}.md"] = TimelinePartPage(part.slug)
        site_name = self.options.site_name
        self.data_files["feed.xml"] = DataFile(
            partial(renderer.feeds.feed, site_name, "feed.xml", "", briefing.entries),
            lambda: page_inputs.entries_inputs(briefing.newest_claims()),
        )  # fmt: skip
        self.data_files[STATUS_FEED] = DataFile(
            partial(renderer.feeds.status_feed, site_name), lambda: page_inputs.status_feed_inputs(briefing)
        )
        self.data_files["entries.json"] = DataFile(
            renderer.feeds.entries_json,
            lambda: (page_inputs.entries_inputs(briefing.entries), page_inputs.rules_index_inputs(briefing)),
        )  # fmt: skip
        for year, in_year in renderer.feeds.briefing_years().items():
            self.data_files[year_file(year)] = DataFile(
                partial(renderer.feeds.entries_year_json, year),
                lambda in_year=in_year: (page_inputs.entries_inputs(in_year), page_inputs.rules_index_inputs(briefing)),
            )  # fmt: skip
        assets = package_files("briefing") / "assets"
        self.data_files[CSS_URI] = DataFile((assets / "briefing.css").read_bytes)
        self.data_files[JS_URI] = DataFile((assets / "timeline.js").read_bytes)
        for name in override_styles:
            self.data_files[f"assets/briefing/{name}"] = DataFile(Path(self.options.overrides, name).read_bytes)

    def _year_pages(self, kind: str, owner_id: str) -> None:
        """Pages by year (and month) of a rule's, a source's or a tag's claims, if too many."""
        if self.by_year(kind, owner_id):
            folder = {"rule": "rules", "source": "sources"}.get(kind) or FOLDERS[kind]
            for part in self.listing_parts(kind, owner_id):
                self.pages[f"{folder}/{owner_id}/{part.slug.rstrip('/')}.md"] = ListingPartPage(kind, owner_id, part.slug)

    def by_year(self, kind: str, owner_id: str) -> bool:
        """Whether a rule's (``kind`` "rule"), a source's or a tag's claims get a page per year."""
        return len(self.briefing.claims_of(kind, owner_id)) > self.options.split_above

    def listing_parts(self, kind: str, owner_id: str) -> Listing:
        """The pages of a rule's, a source's or a tag's claims split by year (listing.py)."""
        if (kind, owner_id) not in self._listing_parts:
            years = self.renderer.listing_years(kind, owner_id, newest_first_for(kind, self.newest_first))
            self._listing_parts[kind, owner_id] = split_listing(years, self.options.split_above)
        return self._listing_parts[kind, owner_id]

    def _rule_feed(self, rule_id: str) -> str:
        rule_briefing = self.briefing.rule_briefings[rule_id]
        path = rule_briefing.rule.url_path
        title = f"{rule_briefing.rule.title} · {self.options.site_name}"
        return self.renderer.feeds.feed(title, f"{path}feed.xml", path, rule_briefing.entries)

    # --- writers' text -------------------------------------------------------------------------

    def writer_texts(self) -> Iterable[tuple[str, str, int]]:
        """(src_uri, Markdown, first line) of the writers' text the briefing read itself."""
        briefing = self.briefing
        for item in (*briefing.entries, *briefing.drafts, *briefing.rules.values(), *briefing.sources.values()):
            if item.path:
                yield item.path, item.body, item.body_line

    def check_texts(self, texts: Iterable[tuple[str, str, int]]) -> list[Problem]:
        """The problems in writers' ``texts`` (text_checks.py); notes the pages that hold a block."""
        problems, self.with_blocks = text_problems(self.briefing, texts, self.options, self.findings_ahead)
        self.findings_ahead = None  # its worker is done
        return problems

    # --- what each output shows, for the live preview (preview.py) -----------------------------

    def site_inputs(self) -> Hashable:
        """What every page shows: names, settings, the nav, the writers' own pages and the
        timeline's years (a change to any of them rebuilds everything)."""
        writer_pages = tuple(sorted(self.writer_pages.items()))
        sections = tuple(bool(self.briefing.terms(kind).by_id) for kind in FOLDERS)  # in the nav or not
        return page_inputs.site_inputs(self.briefing, (writer_pages, tuple(p.slug for p in self.timeline_parts), sections))

    def inputs_of(self, src_uri: str) -> Hashable | None:
        """What the page or file at ``src_uri`` shows; None for one that is not ours."""
        if src_uri in self.data_files:
            return self.data_files[src_uri].shows()
        page = self.pages.get(src_uri)
        shows = page.inputs(self) if page else None
        if src_uri in self.with_blocks:  # it shows the state of play too
            newest = self.briefing.newest_claims()[: self.options.state_of_play_claims]
            return shows, page_inputs.state_of_play_inputs(self.briefing, newest)
        return shows

    def entry_inputs(self, kept: page_inputs.KeptNeighbours | None = None) -> dict[str, Hashable]:
        """Every entry page's inputs, worked out together once per build (``page_inputs.py``;
        ``kept``: the neighbours of earlier rebuilds, the preview's)."""
        if self._entry_inputs is None:
            self._entry_inputs = page_inputs.entry_inputs(self.briefing, kept)
        return self._entry_inputs

    # --- rendering -----------------------------------------------------------------------------

    def writer_markdown(self, src_uri: str, text: str, page_url: str) -> str:
        """The writer's Markdown of a page, with ``[[rule]]`` links: all that goes through
        Markdown (a page of ours takes it from the content model, not the file)."""
        page = self.pages.get(src_uri)
        if page is not None:
            text = page.writer_text(self, text)
        return bounded(link_rules(self, text, page_url))

    def cleaned(self, body: str) -> str:
        """A writer's text as HTML, after Markdown and its extensions, as the site publishes it."""
        return body if self.options.trusted_html else clean(body)

    def render(self, src_uri: str, body: str, taken: Iterable[str], page_url: str, is_clean: bool = False) -> GeneratedPage | str:
        """The page at ``src_uri`` around ``body``, the writer's text as HTML (cleaned here
        unless ``is_clean``); a writer's own page with no block is theirs as it is: that text."""
        body = body if is_clean else self.cleaned(body)
        page = self.pages.get(src_uri)
        if page is None:
            generated = self.renderer.writer_page(page_url, body) if src_uri in self.with_blocks else None
            return body if generated is None else generated
        taken = set(taken)
        shell = self.ahead.take(src_uri) if self.ahead else None
        if shell is not None and shell.collides(taken):
            shell, self.rendered_again = None, self.rendered_again + 1
        if shell is None:
            shell = page.render(self, taken)
        return self.renderer.fill(shell, body)

    def make(self, src_uri: str) -> str | bytes:
        """A data file's content (made ahead by a worker, if one did)."""
        content = self.ahead.take(src_uri) if self.ahead else None
        return self.data_files[src_uri].make() if content is None else content

    def render_ahead(self, page_uris: list[str], workers: int) -> None:
        """Start workers on ``page_uris`` (in the order they will be asked for), then the feeds
        and JSON."""
        if workers < 1:
            return
        data = [uri for uri in self.data_files if not uri.startswith("assets/")]
        self.ahead = RenderAhead([*page_uris, *data], self._make_ahead, workers)

    def _make_ahead(self, src_uri: str) -> GeneratedPage | str | bytes:
        if src_uri in self.data_files:
            return self.data_files[src_uri].make()
        return self.pages[src_uri].render(self, ())

    def stop_rendering_ahead(self) -> str | None:
        """Stop the workers; what they did, for the debug log."""
        if not self.ahead:
            return None
        used, jobs, ours = self.ahead.used - self.rendered_again, self.ahead.jobs, self.ahead.taken_over
        workers = f"{self.ahead.workers} worker{'' if self.ahead.workers == 1 else 's'}"
        self.ahead.close()
        self.ahead = None
        return f"Rendered ahead by {workers}: {used} of {jobs} pages and files ({ours} taken over by the build)"


def link_rules(site: Site, text: str, page_url: str) -> str:
    """Turn ``[[rule]]`` in ``text`` into links relative to the page (unknown names: check_texts)."""

    def render_link(name: str, link_text: str | None) -> str | None:
        rule = site.briefing.rule_by_name(name)
        return site.renderer.rule_link(rule.id, page_url, link_text) if rule else None

    return link_rule_names(text, render_link)[0]


def jurisdiction_pages(folder: str, term_id: str, rules: int, per_page: int) -> dict[str, BriefingPage]:
    """A jurisdiction's page, and its numbered pages where it has more than ``per_page`` rules."""
    return index_pages(f"{folder}/{term_id}", rules, per_page, partial(TermPage, "jurisdiction", term_id), first=f"{folder}/{term_id}.md")


def index_pages(
    folder: str, rows: int, per_page: int, page: Callable[..., BriefingPage], first: str | None = None
) -> dict[str, BriefingPage]:
    """An index's page by its source path (``first``, else ``<folder>/index.md``), and its
    numbered pages, ``<folder>/index/<n>.md``, where it has more than ``per_page`` rows
    (``index_page_rows``)."""
    pages = max(1, -(-rows // per_page))
    return {
        ((first or f"{folder}/index.md") if number == 1 else f"{folder}/index/{number}.md"): page(number=number, pages=pages, per_page=per_page)
        for number in range(1, pages + 1)
    }


def site_nav(site: Site, writer_pages: list[str], titles: Callable[[str], str]) -> tuple[list[Any], list[str]]:
    """Home, the writers' other pages, Timeline, Rules, Sources, never single entries; and
    the pages left out of it (past ``nav_list_limit``, their index pages list them).
    ``writer_pages``: the src_uris of the writers' own pages; ``titles``: the words."""
    rules = sorted(site.briefing.rules.values(), key=lambda r: r.title.casefold())
    sources = sorted(site.briefing.sources.values(), key=lambda s: s.name.casefold())
    nav: list[Any] = []
    if "index.md" in writer_pages:
        nav.append({titles("nav_home"): "index.md"})
    nav.extend(uri for uri in writer_pages if uri not in site.pages and uri != "index.md")
    nav.append({titles("title_timeline"): "timeline/index.md"})
    left_out: list[str] = []
    for folder, ids, title in (("rules", [r.id for r in rules], "title_rules"), ("sources", [s.id for s in sources], "title_sources")):
        pages = [f"{folder}/{item_id}.md" for item_id in ids]
        if len(pages) <= site.options.nav_list_limit:
            nav.append({titles(title): [f"{folder}/index.md", *pages]})
        else:
            nav.append({titles(title): f"{folder}/index.md"})
            left_out.extend(pages)
    for kind, folder in FOLDERS.items():  # the index pages; each lists its terms' pages
        if site.briefing.terms(kind).by_id:
            nav.append({titles(f"title_{folder}"): f"{folder}/index.md"})
    return nav, left_out
