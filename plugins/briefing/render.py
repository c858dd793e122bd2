"""Rendering the briefing with Jinja: page content, Atom feeds and the JSON data file.

A generated page is HTML from a template, around the writer's own text (a rule file's body, an
entry's body, an index page's introduction), which the site generator has already turned from
Markdown into HTML. Only writers' text goes through Markdown: our headings, cards and lists need
none, and on 10,000 entry pages Markdown's parsing of them cost more than all our rendering
(``make bench``). Jinja's autoescaping is on for every template: all text that came from
front-matter is escaped.
"""

from __future__ import annotations

import os
import posixpath
import re
import secrets
from collections.abc import Collection, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    pass_context,
)
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from .alerts import FEED_PATH as STATUS_FEED
from .compiled import Briefing, RuleBriefing, newest
from .dates import PartialDate
from .disputes import SHOWN_DISPUTES
from .feeds import Feeds
from .jsonld import entry_jsonld, rule_jsonld
from .language import Words
from .listing import (
    Listing,
    index_page_path,
    neighbours,
    newest_first_for,
    order_known,
    part_label,
    part_of,
)
from .model import DEFAULT_STATE_OF_PLAY_CLAIMS, Entry, url_id
from .paths import inside
from .status_strip import status_strip
from .taxonomy import FOLDERS
from .timeline import YearGroup, anchor, build_timeline, filter_choices

# Placeholders for held blocks carry a secret of this process, so no writer's text can hold one
# (a literal "<!-- briefing-held 0 -->" in a body would otherwise swallow the page after it).
HELD_MARK = f"briefing-held-{secrets.token_hex(8)}"
# Where the writer's text goes in a generated page, rendered before that text is converted (Renderer.fill).
BODY_SLOT = f"<!-- briefing-body-{secrets.token_hex(8)} -->"
HELD_BLOCK = re.compile(rf"<!-- {HELD_MARK} (\d+) -->.*?<!-- /{HELD_MARK} -->", re.DOTALL)
# Where a writer places a block in their Markdown (kept as an HTML comment by Markdown).
BLOCK_MARKER = re.compile(r"<!--\s*briefing:state-of-play\s*-->")
# A literal start (not \s) lets the regex engine skip ahead: ten times faster on a page.
ID_ATTRIBUTE = re.compile(r' id="([^"]+)"')


@dataclass(frozen=True)
class Heading:
    """One of our headings, for the page's table of contents."""

    level: int
    id: str
    title: str
    after_body: bool  # below the writer's text, whose own headings sit in between


@dataclass
class Permalink:
    """The headings' permanent links, as the site's Markdown ``toc`` extension makes them."""

    text: str
    css_class: str = "headerlink"
    title: str = "Permanent link"
    leading: bool = False

    @classmethod
    def from_toc_options(cls, options: dict[str, Any]) -> Permalink | None:
        """Read the ``toc`` options of ``markdown_extensions`` (``permalink: true`` is ¶)."""
        text = options.get("permalink")
        if not text:
            return None
        return cls(
            text="¶" if text is True else str(text),
            css_class=options.get("permalink_class", "headerlink"),
            title=options.get("permalink_title", "Permanent link"),
            leading=bool(options.get("permalink_leading", False)),
        )


@dataclass
class RenderState:
    """The page being rendered, and what its template records on the way. Templates reach it
    through the filters and globals below, which read :data:`RENDERING`."""

    page_path: str
    taken_ids: set[str]
    first_held: int = 0  # the number of this page's first held block
    headings: list[Heading] = field(default_factory=list)
    held: list[str] = field(default_factory=list)

    def link(self, target: str) -> str:
        """``target`` (a site-root path) relative to this page: ``{{ link(rule.url_path) }}``.

        Most links leave the page's top folder (an entry's page links rules and sources): up to
        the root and down again, without comparing paths (some 200,000 links at 10,000 entries).
        """
        if self._section and target[:1] not in ("", "#") and not target.startswith(self._section):
            return self._up + target
        return relative_url(target, self.page_path)

    def __post_init__(self) -> None:
        parts = [part for part in self.page_path.split("/") if part] if self.page_path.endswith("/") else []
        self._up = "../" * len(parts)
        self._section = parts[0] + "/" if parts else ""

    def hold_from_search(self, html: str, search_text: str = "") -> Markup:
        """``{% filter unsearched %}``: hold ``html`` back from search, leaving a placeholder
        that ``restore_held`` fills.

        ``search_text`` (HTML) is what search reads instead: parsing a few dozen tags of a card
        costs the search plugin more than parsing a whole entry's text.
        """
        self.held.append(str(html))
        index = self.first_held + len(self.held) - 1
        return Markup(f"<!-- {HELD_MARK} {index} -->{escape(search_text)}<!-- /{HELD_MARK} -->")

    def heading_id(self, title: str, wanted: str, level: int = 2) -> str:
        """Record one of our headings for the table of contents; its id, unique on the page."""
        unique, n = wanted, 0
        while unique in self.taken_ids:  # the writer's own headings came first
            n += 1
            unique = f"{wanted}_{n}"
        self.taken_ids.add(unique)
        self.headings.append(Heading(level, unique, str(title), after_body=False))  # see around_slot
        return unique


# The page being rendered, for the filters and globals its templates call (``link``,
# ``heading_id``, ``unsearched``): set by ``Renderer._render`` for the length of one render.
# A context variable, not an attribute swapped on the renderer: the macros module is loaded
# once per build and shared by every page.
RENDERING: ContextVar[RenderState] = ContextVar("briefing_rendering")


@dataclass
class GeneratedPage:
    """A generated page's content, with the blocks held back from search.

    Blocks a template marks ``{% filter unsearched %}`` -- mostly lists of other claims -- go into
    the page only after the search plugin has indexed it: each claim is found on its own page,
    not again on every listing that repeats it. Until then the page carries a placeholder,
    with, where the template gives one, a plain-text stand-in for search to read.

    A page is rendered around ``BODY_SLOT`` (:meth:`around_slot`), where the writer's text goes
    once it is converted (``Renderer.fill``): the same way whether the page was rendered in
    this process or ahead, in a worker (render_workers.py).
    """

    html: str
    headings: list[Heading]
    held: tuple[str, ...]  # kept until the page is written; a tuple of str, the GC skips it
    anchor_ids: set[str]
    page_path: str = ""

    @classmethod
    def around_slot(cls, html: str, state: RenderState) -> GeneratedPage:
        """The page as its template made it; a heading below the slot is ``after_body``, so
        the table of contents lists the writer's own headings between ours."""
        ids = {found for part in (html, *state.held) for found in ID_ATTRIBUTE.findall(part)}
        slot = html.find(BODY_SLOT)
        headings = state.headings
        if slot >= 0 and headings:
            headings = [replace(h, after_body=_position(h.id, html, state) > slot) for h in headings]
        return cls(html, headings, tuple(state.held), ids, state.page_path)

    def collides(self, taken_ids: Collection[str]) -> bool:
        """Whether one of our headings took an id the writer's text uses (rendered knowing
        that text's ids, the heading would get another)."""
        return any(heading.id in taken_ids for heading in self.headings)


def _position(heading_id: str, html: str, state: RenderState) -> int:
    """Where the heading ``heading_id`` is in ``html``: its id, or the placeholder of the held
    block it is in."""
    attribute = f' id="{escape(heading_id)}"'
    at = html.find(attribute)
    if at >= 0:
        return at
    for index, part in enumerate(state.held):
        if attribute in part:
            return html.find(f"<!-- {HELD_MARK} {state.first_held + index} -->")
    return -1


def restore_held(output: str, held: tuple[str, ...]) -> str:
    """Put the held blocks in place of their placeholders (and stand-ins)."""

    def block(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return held[index] if index < len(held) else match.group(0)

    return HELD_BLOCK.sub(block, output) if held else output


class ProjectLoader(FileSystemLoader):
    """The overrides folder's templates, if they are files inside the project that compile.

    A template there can be a link (to ``/proc/self/environ``, say) or have a syntax error;
    either is reported once (``check``) and the packaged template is used instead, so a broken
    override fails ``briefing check`` and a strict build rather than crashing the build.
    """

    def __init__(self, folder: str, root: str):
        super().__init__(folder)
        self.folder, self.root = folder, root
        self.refused: set[str] = set()

    def get_source(self, environment: Environment, template: str):
        if template in self.refused:
            raise TemplateNotFound(template)
        source, filename, uptodate = super().get_source(environment, template)
        if not inside(filename, self.root) or not os.path.isfile(filename):
            raise TemplateNotFound(template)
        return source, filename, uptodate

    def check(self, environment: Environment) -> list[tuple[str, int, str]]:
        """(template name, line, why) for each override that cannot be used."""
        problems = []
        for name in sorted(os.listdir(self.folder)):
            path = os.path.join(self.folder, name)
            if not name.endswith((".html", ".xml", ".svg", ".md")) or name.startswith("."):
                continue
            if not inside(path, self.root) or not os.path.isfile(path):
                problems.append((name, 1, "is a link outside the project folder, to nothing, or not a file; the packaged template is used"))
                self.refused.add(name)
                continue
            try:
                with open(path, encoding="utf-8") as stream:
                    environment.parse(stream.read(), name, path)
            except TemplateSyntaxError as error:
                problems.append((name, error.lineno or 1, f"{error.message}; the packaged template is used until it is fixed"))
                self.refused.add(name)
            except (OSError, UnicodeDecodeError) as error:
                problems.append((name, 1, f"cannot be read ({error}); the packaged template is used"))
                self.refused.add(name)
        return problems


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory for the life of the process.

    Each build makes a new Renderer (its globals are that build's briefing), and compiling our
    templates again cost ~50 ms of every ``mkdocs serve`` rebuild. Jinja keys each entry by the
    template's name and checks it against a checksum of the source: an edited template is
    compiled afresh.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


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


def page_templates(
    briefing: Briefing, words: Words, permalink: Permalink | None, overrides_dir: str | None, project_root: str | None
) -> tuple[Environment, list[tuple[str, int, str]]]:
    """The Jinja environment of one build's templates, and (template, line, why) for each
    override that cannot be used."""
    loaders = [PackageLoader("briefing", "templates")]
    problems: list[tuple[str, int, str]] = []
    if overrides_dir:
        # Templates in the site's overrides directory win over the packaged ones; one that
        # leads outside the project or does not compile is reported and not used.
        overrides = ProjectLoader(overrides_dir, project_root or overrides_dir)
        problems = overrides.check(Environment(loader=overrides, autoescape=True))
        loaders.insert(0, overrides)
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates cannot change during a build (a rebuild makes a new Renderer): no need
        # to stat every template file for every page.
        auto_reload=False,
        bytecode_cache=COMPILED_TEMPLATES,
    )
    # Globals rather than render arguments, so that the macros (loaded once per build, as
    # ``m`` below) see them too; the helpers act on the page being rendered (RENDERING).
    env.globals.update(
        anchor=anchor, permalink=permalink, briefing=briefing, t=words, w=words.labels,
        filter_choices=partial(filter_choices, briefing.rules, briefing.sources), order_known=order_known,
        link=lambda target: RENDERING.get().link(target),
        heading_id=lambda *args: RENDERING.get().heading_id(*args),
    )  # fmt: skip
    # The helpers printed most often are filters: Jinja calls a filter directly, where a
    # call in a template (``link(x)``, ``t.date(x)``) goes through ``Context.call`` at
    # about three times the cost -- some 200,000 of them at 10,000 entries (make bench).
    # ``link()`` stays a global for templates a site overrides.
    # ``link`` takes the context only so that Jinja never folds ``{{ 'feed.xml' | link }}``
    # into a constant when it compiles the template, for whichever page was rendered then.
    env.filters.update(
        link=pass_context(lambda context, target: RENDERING.get().link(target)),
        date_text=words.date, status_text=words.status, iso=PartialDate.iso,
    )  # fmt: skip
    env.filters["unsearched"] = lambda html, *args: RENDERING.get().hold_from_search(html, *args)
    env.filters["url_id"] = url_id
    env.filters["rule_title"] = lambda rule_id: briefing.rules[rule_id].title
    # A tag or jurisdiction as written, to its page: ``{{ name | term_path("tag") }}``.
    env.filters["term_path"] = lambda name, kind: briefing.terms(kind).by_id[briefing.terms(kind).by_name[name]].url_path
    # ``m``: _macros.html, loaded once per build. An ``{% import %}`` in each page template
    # cost ~10 us a page (Jinja compares the globals of both templates on every import).
    env.globals["m"] = env.get_template("_macros.html").module
    return env, problems


def by_title(briefings: Iterable[RuleBriefing]) -> list[RuleBriefing]:
    """Rules as the Rules index and a jurisdiction's page list them, and as their tables' headers
    say: by title, never by file name (which would decide what a paged list shows first)."""
    return sorted(briefings, key=lambda b: b.rule.title.casefold())


class Renderer:
    """Renders every generated page, feed and data file of one build."""

    def __init__(
        self,
        briefing: Briefing,
        overrides_dir: str | None = None,
        site_url: str = "",
        permalink: Permalink | None = None,
        words: Words | None = None,
        state_of_play_claims: int = DEFAULT_STATE_OF_PLAY_CLAIMS,
        project_root: str | None = None,
    ):
        self.words = words or Words("en")
        self.state_of_play_claims = state_of_play_claims
        self.env, self.template_problems = page_templates(briefing, self.words, permalink, overrides_dir, project_root)
        self.briefing = briefing
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self.feeds = Feeds(briefing, self.env, self.words, self.site_url, self.absolute)
        self._timelines: dict[bool, list[YearGroup]] = {}
        self._listings: dict[tuple[str, str], list[YearGroup]] = {}
        self.part_label = partial(part_label, words=self.words)

    def _render(self, template: str, page_path: str, taken_ids: Collection[str], **context: Any) -> GeneratedPage:
        """Render a page template around ``BODY_SLOT``, where the writer's text goes (``fill``).

        ``taken_ids``: the ids the writer's text uses, which our headings avoid.
        """
        state = RenderState(page_path, set(taken_ids))
        token = RENDERING.set(state)
        try:
            html = self.env.get_template(template).render(page_path=page_path, body=Markup(BODY_SLOT), **context)
        finally:
            RENDERING.reset(token)
        return GeneratedPage.around_slot(html, state)

    def fill(self, page: GeneratedPage, body: str) -> GeneratedPage:
        """``page`` with the writer's text (HTML) in its slot, its blocks rendered for the page."""
        held: list[str] = []
        if "briefing:" in body and BLOCK_MARKER.search(body):
            state = RenderState(page.page_path, set(), first_held=len(page.held))
            token = RENDERING.set(state)
            try:
                body = BLOCK_MARKER.sub(lambda match: self.state_of_play(), body)
            finally:
                RENDERING.reset(token)
            held = state.held
        parts = (page.html, *page.held, *held)
        if any(BODY_SLOT in part for part in parts):
            parts = tuple(part.replace(BODY_SLOT, body) for part in parts)
            ids = page.anchor_ids | {found for part in (body, *held) for found in ID_ATTRIBUTE.findall(part)}
        else:
            ids = page.anchor_ids
        html, *all_held = parts
        return GeneratedPage(html, page.headings, tuple(all_held), ids, page.page_path)

    # --- pages ---------------------------------------------------------------------------------
    # Each is rendered around the writer's text's slot, given the ids that text uses (``fill``).

    def rules_index(self, taken_ids: Collection[str] = (), page: tuple[int, int, int] = (1, 1, 1 << 30)) -> GeneratedPage:
        """The Rules index, or its page ``page`` (number, pages, rows a page)."""
        briefings = by_title(self.briefing.rule_briefings.values())
        shown, pager = self._index_page(briefings, "rules", page)
        return self._render("rules_index.html", pager[0], taken_ids, briefings=shown, status_feed=STATUS_FEED, pager=pager)

    @staticmethod
    def _index_page(rows: list, folder: str, page: tuple[int, int, int]) -> tuple[list, tuple[str, str, int, int]]:
        """An index page's rows, and (its path, the index's path, number, pages) for its links."""
        number, pages, per_page = page
        return rows[(number - 1) * per_page : number * per_page], (index_page_path(folder, number), f"{folder}/", number, pages)

    def state_of_play(self) -> str:
        """The state-of-play block (``<!-- briefing:state-of-play -->``), for the page being
        rendered: rules by when their status began, most recent first, then the latest claims."""
        def began(b: RuleBriefing) -> tuple:
            return (b.status_since.sort_key() if b.status_since else (0, 0, 0), b.rule.title.casefold())

        briefings = sorted(self.briefing.rule_briefings.values(), key=began, reverse=True)
        template = self.env.get_template("state_of_play.html")
        return template.render(
            briefings=briefings, latest=self.briefing.newest_claims()[: self.state_of_play_claims],
            status_feed=STATUS_FEED,
        )  # fmt: skip

    def writer_page(self, page_path: str, body: str) -> GeneratedPage | None:
        """A writer's own page that holds a block (None when it holds none)."""
        if not BLOCK_MARKER.search(body):
            return None
        return self.fill(GeneratedPage(BODY_SLOT, [], (), set(), page_path), body)

    def rule_page(
        self, rule_id: str, taken_ids: Collection[str] = (), by_year: bool = False
    ) -> GeneratedPage:
        """A rule's briefing; ``by_year``: its claims are listed on a page per year."""
        briefing = self.briefing.rule_briefings[rule_id]
        path = briefing.rule.url_path
        return self._render(
            "rule.html", path, taken_ids, b=briefing, feed=f"{path}feed.xml", shown_disputes=SHOWN_DISPUTES,
            strip=status_strip(briefing, self.words), title=briefing.rule.title, jsonld=rule_jsonld(self.briefing, rule_id, self.absolute),
            claim_years=self.listing_years("rule", rule_id) if by_year else None,
        )  # fmt: skip

    def terms_index(self, kind: str, taken_ids: Collection[str] = (), page: tuple[int, int, int] = (1, 1, 1 << 30)) -> GeneratedPage:
        """``/tags/`` or ``/jurisdictions/``, or its page ``page``."""
        shown, pager = self._index_page(self.briefing.terms(kind).sorted(), FOLDERS[kind], page)
        return self._render("terms_index.html", pager[0], taken_ids, kind=kind, terms=shown, pager=pager)

    def term_page(
        self, kind: str, term_id: str, newest_first: bool, taken_ids: Collection[str] = (), by_year: bool = False,
        page: tuple[int, int, int] = (1, 1, 1 << 30),
    ) -> GeneratedPage:
        """A tag's claims, or a jurisdiction's rules with their statuses (its page ``page`` of
        them: number, pages, rows a page) and its latest claims; ``by_year``: a tag's claims
        are listed on a page per year."""
        term = self.briefing.terms(kind).by_id[term_id]
        claims = self.briefing.term_claims(kind, term_id)
        briefings, pager = self._index_page(by_title(self.briefing.rule_briefings[r] for r in term.rule_ids), term.url_path.rstrip("/"), page)
        return self._render(
            "term.html", pager[0], taken_ids, kind=kind, term=term, briefings=briefings, pager=pager,
            claims=list(reversed(claims)) if newest_first_for(kind, newest_first) else claims, status_feed=STATUS_FEED,
            claim_years=self.listing_years(kind, term_id, newest_first_for(kind, newest_first)) if by_year else None,
        )  # fmt: skip

    def sources_index(self, taken_ids: Collection[str] = (), page: tuple[int, int, int] = (1, 1, 1 << 30)) -> GeneratedPage:
        sources = sorted(self.briefing.sources.values(), key=lambda s: s.name.casefold())
        shown, pager = self._index_page(sources, "sources", page)
        return self._render("sources_index.html", pager[0], taken_ids, sources=shown, pager=pager)

    def source_page(
        self, source_id: str, taken_ids: Collection[str] = (), by_year: bool = False
    ) -> GeneratedPage:
        """A source's page; ``by_year``: its claims are listed on a page per year."""
        source = self.briefing.sources[source_id]
        entries = self.briefing.source_entries[source_id]
        return self._render(
            "source.html", source.url_path, taken_ids, source=source, entries=entries,
            claim_years=self.listing_years("source", source_id) if by_year else None,
        )  # fmt: skip

    def listing_part_page(self, kind: str, owner_id: str, parts: Listing, slug: str, newest_first: bool = False) -> GeneratedPage:
        """A year, a month or a month's page of a rule's, a source's or a tag's claims."""
        part = part_of(parts, slug)
        title, path = self.briefing.listing_owner(kind, owner_id)
        return self._render(
            "listing_year.html", f"{path}{slug}", (), owner_title=title, owner_path=path, part=part,
            neighbours=neighbours(parts, part), newest_first=newest_first, kind=kind, label=self.part_label,
        )  # fmt: skip

    def listing_years(self, kind: str, owner_id: str, newest_first: bool = False) -> list[YearGroup]:
        """A rule's, a source's or a tag's claims by year (oldest first unless ``newest_first``);
        grouped once per build."""
        key = (kind, owner_id, newest_first)
        if key not in self._listings:
            entries = self.briefing.claims_of(kind, owner_id)
            self._listings[key] = build_timeline(entries, newest_first=newest_first)
        return self._listings[key]

    def entry_page(self, entry: Entry, taken_ids: Collection[str] = ()) -> GeneratedPage:
        return self._render(
            "entry.html", entry.url_path, taken_ids, entry=entry,
            neighbours=self.briefing.neighbours(entry),
            contradicts=[e for e in map(self.briefing.entry, entry.contradicts) if e],
            contradicted_by=self.briefing.contradicted_by.get(entry.id, []),
            jsonld=entry_jsonld(self.briefing, entry, self.absolute),
        )  # fmt: skip

    def timeline_page(
        self, taken_ids: Collection[str] = (), newest_first: bool = True, by_year: bool = False
    ) -> GeneratedPage:
        """The whole timeline on one page, or (``by_year``) the list of its year pages."""
        return self._render(
            "timeline.html", "timeline/", taken_ids, years=self.timeline(newest_first),
            by_year=by_year, newest_first=newest_first, part=None,
        )  # fmt: skip

    def timeline_part_page(self, parts: Listing, slug: str, newest_first: bool = True) -> GeneratedPage:
        """A year, a month or a month's page of a timeline too long for one page, with links
        to the pages either side."""
        part = part_of(parts, slug)
        return self._render(
            "timeline.html", f"timeline/{slug}", (), years=[part.shown], by_year=False,
            newest_first=newest_first, part=part, neighbours=neighbours(parts, part), label=self.part_label,
        )  # fmt: skip

    def timeline(self, newest_first: bool) -> list[YearGroup]:
        """The timeline model, built once per build and order, however many pages show it."""
        if newest_first not in self._timelines:
            self._timelines[newest_first] = build_timeline(self.briefing.entries, newest_first)
        return self._timelines[newest_first]

    def rule_link(self, rule_id: str, page_path: str, text: str | None = None) -> str:
        """An inline link to a rule's briefing, for ``[[rule]]`` in Markdown text."""
        rule = self.briefing.rules[rule_id]
        return self._render("_rule_link.html", page_path, (), rule=rule, text=text or rule.title).html.strip()

    newest = staticmethod(newest)

    def absolute(self, path: str) -> str:
        """A site-root path as an absolute URL (the site's address, if it has one)."""
        return f"{self.site_url}{path}" if self.site_url else f"/{path}"
