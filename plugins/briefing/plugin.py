"""The MkDocs adapter: short event handlers over the briefing core.

Generated pages are real MkDocs pages (themed, searched, in the nav): each rule, source and
index page is a ``File`` -- the writer's own ``rules/<id>.md`` where there is one, a generated
one otherwise. Only the writer's text goes through Markdown (``on_page_markdown``); the page's
HTML is rendered around it in ``on_page_content`` and completed in ``on_post_page``.
"""

from __future__ import annotations

import html
import logging
import os
import re
from collections.abc import Callable, Hashable, Iterator
from functools import partial
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from . import inputs
from .ahead import RenderAhead
from .bounds import bounded, out_of_bounds
from .briefing import Briefing, Settings, compile_briefing
from .checks import rule_link_problems
from .export import Export
from .inputs import PageInputs
from .internals import dirty_builds_answerable, search_indexes
from .internals import install as install_theme
from .language import Words
from .markup import clean, unsafe_markup_problems
from .model import DEFAULT_STATE_OF_PLAY_CLAIMS, DEFAULT_STATUSES, DEFAULT_WINDOW_DAYS, Problem
from .pages import (
    BriefingPage,
    EntryPage,
    ListingYearPage,
    RulePage,
    RulesIndexPage,
    SourcePage,
    SourcesIndexPage,
    TimelinePage,
    TimelineYearPage,
)
from .paths import file_problem, inside, project_file
from .preview import DeferredCollection, Preview, QuietDirtyWarning, config_stamp
from .reader import DocumentCache, without_front_matter
from .render import (
    BLOCK_MARKER,
    BODY_SLOT,
    COMPILED_TEMPLATES,
    STATUS_FEED,
    GeneratedPage,
    Heading,
    Permalink,
    Renderer,
    restore_held,
)
from .watch import watch_natively
from .wikilinks import link_rule_names

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

CSS_URI = "assets/briefing/briefing.css"
JS_URI = "assets/briefing/timeline.js"


class WholeNumber(c.Type):
    """A whole number of at least ``minimum``: ``split_above: -1`` or ``concurrency: 1.5`` is a
    configuration error naming the option, never a silent surprise."""

    def __init__(self, minimum: int, default: int):
        super().__init__(int, default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise c.ValidationError(f"must be a whole number of at least {self.minimum}, not {value!r}")
        return value


# A status is a front-matter value, a CSS class and part of a URL fragment: lower-case letters,
# digits and hyphens. The three the briefing itself shows are not a writer's to claim.
_STATUS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SHOWN_STATUSES = ("disputed", "order-unknown", "no-status")


class StatusList(c.ListOfItems):
    """The status vocabulary: at least one, each once, each an id (``under-review``)."""

    def __init__(self) -> None:
        super().__init__(c.Type(str), default=list(DEFAULT_STATUSES))

    def run_validation(self, value: object) -> list[str]:
        statuses = super().run_validation(value)
        if not statuses:
            raise c.ValidationError("must list at least one status")
        for status in statuses:
            if not _STATUS.fullmatch(status):
                raise c.ValidationError(
                    f"{status!r} is not a status id (lower-case letters, digits and hyphens, as in 'under-review')"
                )
            if status in _SHOWN_STATUSES:
                raise c.ValidationError(f"{status!r} is a status the briefing shows itself; choose another name")
        repeated = sorted({s for s in statuses if statuses.count(s) > 1})
        if repeated:
            raise c.ValidationError(f"{repeated[0]!r} is listed twice")
        return statuses


class BriefingConfig(base.Config):
    statuses = StatusList()
    """The status vocabulary entries may assert."""
    dispute_window_days = WholeNumber(0, default=DEFAULT_WINDOW_DAYS)
    """Claims this many days apart or closer, with different statuses, dispute each other."""
    timeline_order = c.Choice(("newest", "oldest"), default="newest")
    split_above = WholeNumber(1, default=500)
    """A listing of more claims than this -- the timeline, a rule's or a source's claims -- gets
    a page per year (``/timeline/<year>/``, ``/rules/<id>/<year>/``) and the page lists the
    years instead: no page grows past about 1 MB."""
    nav_list_limit = WholeNumber(0, default=20)
    """Rules and Sources list each of their pages in the nav up to this many; beyond that only
    their index pages, which list them all. Every page renders the whole nav, so a nav of
    hundreds of items costs more than the rest of the build (measured by ``make bench``)."""
    cache_theme = c.Type(bool, default=True)
    """Render the theme's nav, search box and table of contents once for all the pages they
    come out the same on (every entry), not once per page (``internals.py``). Off to compare."""
    overrides = c.Optional(c.Dir(exists=True))
    """A folder (``timeline/`` in the example) whose templates and stylesheets win over ours."""
    language = c.Optional(c.Type(str))
    """The language of every word the plugin writes and of its dates (``fr``, ``zh``, ``en-GB``);
    by default the theme's (``theme.language``), else English."""
    state_of_play_claims = WholeNumber(0, default=DEFAULT_STATE_OF_PLAY_CLAIMS)
    """How many of the newest claims the state-of-play block lists."""
    concurrency = WholeNumber(0, default=min(2, (os.cpu_count() or 1) - 1))
    """Worker processes that render the generated pages while MkDocs converts the writers'
    Markdown (``ahead.py``); by default one per core beside the build's own, at most two. 0
    renders every page in the build's own process, as `mkdocs serve` always does."""
    trusted_html = c.Type(bool, default=False)
    """Allow script in writers' text (``<script>``, ``on*=`` attributes, ``javascript:`` links).
    Off by default: pull requests may come from anyone, and readers trust what they read."""

    def settings(self) -> Settings:
        """The options the core needs: this class is their one definition, defaults included
        (``briefing check`` loads them through MkDocs too)."""
        return Settings(tuple(self.statuses), self.dispute_window_days)


class BriefingPlugin(BasePlugin[BriefingConfig]):
    supports_multiple_instances = False
    documents: DocumentCache | None = None
    preview: Preview | None = None
    collection: DeferredCollection | None = None  # `mkdocs serve --dirty` only (preview.py)
    export: Export | None = None  # set by `briefing export` before it builds
    renders_ahead = False  # see on_startup
    serving = False  # `mkdocs serve`
    watcher: Any = None  # `mkdocs serve`'s inotify observer of the content folder (watch.py)
    _said_no_history = False  # the fallback to claims' dates is said once per process

    def on_startup(self, command: str, dirty: bool) -> None:
        # Workers (ahead.py) render every page of a whole build: `mkdocs build`, and the first
        # build of `mkdocs serve`, which runs before its server starts any thread (writers wait
        # for it: at 10,000 entries the first page came after 21 s in one process, 17-18 s with
        # a worker). Not the server's rebuilds (_after_build) nor `build --dirty` (which skips
        # unchanged pages).
        self.serving = command == "serve"
        self.renders_ahead = command in ("build", "gh-deploy") and not dirty or self.serving
        # Having this event, the plugin is one instance for all of `mkdocs serve`'s rebuilds,
        # which keep the files they parsed; a single build does not keep 10,000 of them alive.
        self.documents = DocumentCache() if command == "serve" else None
        # `mkdocs serve --dirty` (make serve): each rebuild makes only what an edit changed.
        self.preview = Preview() if command == "serve" and dirty and dirty_builds_answerable() else None
        self.collection = DeferredCollection() if self.preview else None
        if self.preview:
            logging.getLogger("mkdocs.commands.build").addFilter(QuietDirtyWarning())

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # A rebuild's collection waits until it is served (DeferredCollection); the first,
        # whole build collects as any build does: held, its garbage took the server to 650 MB
        # at 10,000 entries.
        if self.collection and self.preview.built:
            self.collection.hold()

    def on_build_error(self, error: Exception) -> None:
        if self.collection:
            self.collection.release_later()
        if getattr(self, "site", None):
            self.site.stop_rendering_ahead()
        self._after_build()

    def _after_build(self) -> None:
        if self.serving:  # the server's threads start now: a fork beside them could deadlock
            self.renders_ahead = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.generate_nav = config.nav is None
        self.words = words_for(self.config, config)
        # Headings' permanent links say so in the site's language, unless the site says otherwise.
        for name in ("toc", "markdown.extensions.toc"):
            toc = config.mdx_configs.get(name)
            if toc and toc.get("permalink") and "permalink_title" not in toc:
                toc["permalink_title"] = self.words.text("permalink_to_heading")
        root = project_root(config)
        for option, folder in (("docs_dir", config.docs_dir), ("overrides", self.config.overrides)):
            if folder and not inside(folder, root):
                raise PluginError(
                    f"{option}: {folder!r} is outside the project folder {root!r}; nothing outside it is "
                    "read or published (use a folder beside mkdocs.yml)"
                )
        styles = [CSS_URI, *(f"assets/briefing/{n}" for n in override_styles(self.config.overrides, root)[0])]
        config.extra_css.extend(uri for uri in styles if uri not in config.extra_css)
        if JS_URI not in config.extra_javascript:
            config.extra_javascript.append(JS_URI)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        left_out = leave_out_unsafe_files(files, config)
        self.site = SiteAdapter(self.config, config, self.documents, files, self.words)
        self.site.problems[:0] = left_out
        self.site.add_to(files)
        for problem in self.site.problems:
            log.warning(str(problem))
        for notice in self.site.notices:
            log.info(f"notice: {notice}")
        if not self.site.briefing.history_from_git and not self._said_no_history:
            self._said_no_history = True  # once per process: a preview rebuilds often
            log.info(
                "The content folder is not in a git work tree (or git is missing): feeds date each "
                "claim by its own date, not by when it entered the briefing"
            )
        if self.generate_nav:
            config.nav = self.site.nav(files)
        if self.preview:
            search = search_indexes(config.plugins.items())
            self.preview.plan(self.site, files, config_stamp(config, self.config.overrides), search)
        return files

    @event_priority(-100)  # after other plugins' on_nav: what they change, the workers see
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        if self.preview:
            self.preview.restore_titles(nav)
        if self.renders_ahead:
            self.site.render_ahead(files, self.config.concurrency)
        return nav

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        return self.site.read_source(page)

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        return self.site.page_markdown(markdown, page)

    def on_page_content(
        self, html: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        return self.site.page_content(html, page)

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.preview:
            self.preview.remember(page)
        if self.export is not None:  # `briefing export`: the page's content as published
            held = self.site.held.get(page.file.src_uri)
            content = restore_held(page.content or "", held) if held else page.content or ""
            self.export.record(page.file.src_uri, page.url, page.title, page.meta, content)
        return self.site.post_page(output, page)

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        install_theme(env, cache=self.config.cache_theme, compiled=COMPILED_TEMPLATES)
        # MkDocs writes generated files after this event; `briefing check` stops before it.
        preview = self.preview
        self.site.render_data_files(files, lambda uri: preview is None or uri in preview.rebuilt)
        self.files = files
        return env

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        self.site.stop_rendering_ahead()
        if self.preview:
            self.preview.finish(self.files, config)
        if self.collection:
            self.collection.release_later()
        self._after_build()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        # Edits to our templates, styles or the overrides folder should reload the preview too.
        server.watch(str(package_files("briefing") / "templates"))
        server.watch(str(package_files("briefing") / "assets"))
        server.watch(str(package_files("briefing") / "locales"))
        if self.config.overrides:
            server.watch(self.config.overrides)
        # A save shows up to half a second sooner, and the server stops statting every file
        # twice a second, where inotify can be trusted (watch.py).
        self.watcher = watch_natively(server, config.docs_dir)
        return server

    def on_shutdown(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None


def words_for(options: BriefingConfig, config: MkDocsConfig) -> Words:
    """The plugin's words in the site's language: its ``language`` option, else the theme's.

    Kept while the language and its catalogs are unchanged: a `mkdocs serve` rebuild then
    reuses the words and the dates already formatted.
    """
    config_dir = os.path.dirname(config.config_file_path or config.docs_dir)
    overrides = options.overrides
    language = options.language or config.theme.get("language") or "en"
    shown = os.path.relpath(overrides, config_dir).replace(os.sep, "/") if overrides else ""
    config_file = os.path.basename(config.config_file_path or "mkdocs.yml")
    catalogs = [package_files("briefing") / "locales", Path(overrides, "locales") if overrides else None]
    stamp = tuple(
        (str(path), path.stat().st_mtime_ns if path.exists() else 0)  # a link to nothing: reported by Words
        for folder in catalogs if folder and folder.is_dir() for path in sorted(folder.glob("*.yml"))
    )  # fmt: skip
    key = (language, overrides, shown, config_file, stamp)
    if key not in _WORDS:
        _WORDS.clear()
        _WORDS[key] = Words(language, overrides, shown, config_file, project_root(config))
    return _WORDS[key]


_WORDS: dict[tuple, Words] = {}


def leave_out_unsafe_files(files: Files, config: MkDocsConfig) -> list[Problem]:
    """Take out of ``files`` every content file that is a link outside the project (or to
    nothing), or whose name holds a control character, before anything reads it (paths.py)."""
    root, docs = project_root(config), os.path.abspath(config.docs_dir)
    shown_dir = os.path.relpath(docs, root).replace(os.sep, "/")
    problems = []
    for file in list(files):
        if file.generated_by or not file.abs_src_path or not os.path.abspath(file.abs_src_path).startswith(docs + os.sep):
            continue  # the theme's own files, and files plugins make
        problem = file_problem(f"{shown_dir}/{file.src_uri}", file.abs_src_path, root)
        if problem:
            files.remove(file)
            problems.append(problem)
    return problems


def project_root(config: MkDocsConfig) -> str:
    """The project folder: the folder of ``mkdocs.yml``. Nothing outside it is read."""
    return os.path.dirname(os.path.abspath(config.config_file_path or config.docs_dir))


def override_styles(folder: str | None, root: str = "/") -> tuple[list[str], list[Problem]]:
    """Stylesheets in the overrides folder, added to every page after ours: their names, and a
    problem for each that is a link outside the project, to nothing, or a folder."""
    if not folder:
        return [], []
    shown = os.path.relpath(folder, root).replace(os.sep, "/")
    names, problems = [], []
    for name in sorted(name for name in os.listdir(folder) if name.endswith(".css")):
        path, problem = project_file(folder, name, root, shown)
        if path:
            names.append(name)
        else:
            problems.append(problem)
    return names, problems


class SiteAdapter:
    """One build's briefing, and how its pages and files map onto MkDocs files.

    Every problem the build reports is found here, before any page is rendered, so that
    ``briefing check`` (which runs this much of the build) reports exactly the same ones.
    """

    def __init__(
        self, options: BriefingConfig, config: MkDocsConfig, documents: DocumentCache | None, files: Files,
        words: Words,
    ):
        self.config = config
        self.options = options
        config_dir = os.path.dirname(config.config_file_path or config.docs_dir)
        shown_dir = os.path.relpath(config.docs_dir, config_dir).replace(os.sep, "/")
        # The Markdown files MkDocs found (symlinked folders followed, exclude_docs applied):
        # the briefing reads exactly these.
        paths = [f.src_uri for f in files.documentation_pages() if f.inclusion.is_included()]
        self.briefing: Briefing = compile_briefing(
            config.docs_dir, shown_dir, options.settings(), documents, paths
        )
        self.problems: list[Problem] = list(self.briefing.problems)
        # Undecided order that decides a conclusion: said, but not a problem (strict passes).
        self.notices: list[Problem] = self.briefing.order_notices(shown_dir)
        if not config.use_directory_urls:
            # Every URL in the briefing contract is a directory URL (/rules/<id>/).
            config_file = os.path.basename(config.config_file_path or "mkdocs.yml")
            self.problems.append(Problem(
                config_file, 1, "use_directory_urls", "set it to true (the briefing pages need it)"
            ))  # fmt: skip
        self.shown_dir = shown_dir
        self.words = words
        self.problems.extend(self.words.problems)
        toc_options = config.mdx_configs.get("toc") or config.mdx_configs.get("markdown.extensions.toc") or {}
        self.renderer = Renderer(
            self.briefing, options.overrides, config.site_url or "", Permalink.from_toc_options(toc_options),
            self.words, options.state_of_play_claims, project_root(config),
        )
        shown_overrides = os.path.relpath(options.overrides, config_dir).replace(os.sep, "/") if options.overrides else ""
        for name, line, why in self.renderer.template_problems:
            self.problems.append(Problem(f"{shown_overrides}/{name}", line, "", why))
        self.entries_by_path = {entry.path: entry for entry in self.briefing.entries}
        self.drafts_by_path = {entry.path: entry for entry in self.briefing.drafts}
        self.pages: dict[str, BriefingPage] = {}  # src_uri -> the page we make there
        self.held: dict[str, tuple[str, ...]] = {}  # src_uri -> blocks held from search
        # src_uri -> (what makes its content, what it shows)
        self.data_files: dict[str, tuple[Callable[[], str | bytes], PageInputs]] = {}
        self.with_blocks: set[str] = set()  # src_uris of pages whose writer's text holds a block
        self.writer_pages: dict[str, str] = {}  # src_uri -> text of a writer's own page
        self._entry_inputs: dict[str, Hashable] | None = None  # made once, when first asked
        self.ahead: RenderAhead | None = None  # pages and files being rendered ahead
        self.rendered_again = 0  # of those: pages whose writer's text needed them rendered here
        self.newest_first = options.timeline_order == "newest"
        by_year = len(self.briefing.entries) > options.split_above
        self.timeline_years = (
            [year.year for year in self.renderer.timeline(self.newest_first)] if by_year else []
        )

    # --- files ---------------------------------------------------------------------------------

    def add_to(self, files: Files) -> None:
        """Place entries at /entries/<id>/, drop what must not be published, add our pages."""
        briefing = self.briefing
        for file in list(files):
            uri = file.src_uri
            if uri in briefing.skipped_paths:
                files.remove(file)  # invalid: reported, never published half-checked
            elif uri in self.drafts_by_path:
                files.remove(file)
            elif uri in self.entries_by_path:
                entry = self.entries_by_path[uri]
                file.dest_uri = f"entries/{entry.id}/index.html"
                file.url = entry.url_path
                file.inclusion = InclusionLevel.NOT_IN_NAV
                self.pages[uri] = EntryPage(entry.id)

        self._page(files, "rules/index.md", RulesIndexPage())
        for rule_id in briefing.rules:
            self._page(files, f"rules/{rule_id}.md", RulePage(rule_id))
            self._put(
                files, f"rules/{rule_id}/feed.xml", partial(self._rule_feed, rule_id),
                lambda rule_id=rule_id: inputs.entries_inputs(
                    self.renderer.newest(briefing.rule_briefings[rule_id].entries)
                ),
            )  # fmt: skip
            self._year_pages(files, "rule", rule_id)
        self._page(files, "sources/index.md", SourcesIndexPage())
        for source_id in briefing.sources:
            self._page(files, f"sources/{source_id}.md", SourcePage(source_id))
            self._year_pages(files, "source", source_id)
        self._page(files, "timeline/index.md", TimelinePage())
        for year in self.timeline_years:
            self._page(files, f"timeline/{year}.md", TimelineYearPage(year))

        site_name = self.config.site_name
        self._put(
            files, "feed.xml", partial(self.renderer.feed, site_name, "feed.xml", "", briefing.entries),
            lambda: inputs.entries_inputs(self.renderer.newest(briefing.entries)),
        )  # fmt: skip
        self._put(
            files, STATUS_FEED, partial(self.renderer.status_feed, site_name),
            lambda: inputs.status_feed_inputs(briefing),
        )  # fmt: skip
        self._put(
            files, "entries.json", self.renderer.entries_json,
            lambda: (inputs.entries_inputs(briefing.entries), inputs.rules_index_inputs(briefing)),
        )  # fmt: skip
        assets = package_files("briefing") / "assets"
        self._put(files, CSS_URI, (assets / "briefing.css").read_bytes)
        self._put(files, JS_URI, (assets / "timeline.js").read_bytes)
        names, problems = override_styles(self.options.overrides, project_root(self.config))
        self.problems.extend(problems)
        for name in names:
            self._put(files, f"assets/briefing/{name}", Path(self.options.overrides, name).read_bytes)
        self._leave_out_collisions(files)
        self._check_texts(files)

    def _page(self, files: Files, src_uri: str, page: BriefingPage) -> None:
        """Use the writer's file at ``src_uri`` if there is one (its text is shown above ours),
        or generate it. On a page that shows no writer's text a writer's file would vanish
        unseen, so it is reported and left out instead."""
        writer_text = page.shows_writer_file
        file = files.get_file_from_path(src_uri)
        if file is not None and not writer_text:
            self._collision(file, src_uri)
            files.remove(file)
            file = None
        if file is None:
            file = File.generated(self.config, src_uri, content="")
            files.append(file)
        if not writer_text:
            file.inclusion = InclusionLevel.NOT_IN_NAV
        self.pages[src_uri] = page

    def _year_pages(self, files: Files, kind: str, owner_id: str) -> None:
        """A page per year for a rule's or a source's claims, when they are too many for one."""
        if self.by_year(kind, owner_id):
            folder = "rules" if kind == "rule" else "sources"
            for group in self.renderer.listing_years(kind, owner_id):
                src_uri = f"{folder}/{owner_id}/{group.year}.md"
                self._page(files, src_uri, ListingYearPage(kind, owner_id, group.year))

    def by_year(self, kind: str, owner_id: str) -> bool:
        """Whether a rule's (``kind`` "rule") or a source's claims get a page per year."""
        return len(self.briefing.claims_of(kind, owner_id)) > self.options.split_above

    def _put(
        self, files: Files, src_uri: str, make: Callable[[], str | bytes], shows: PageInputs = tuple
    ) -> None:
        """A generated file (feed, JSON, asset) at ``src_uri``; its content is made by ``make``
        in ``render_data_files``, only when the site is built; ``shows``: its inputs (see
        ``inputs.py``; an asset's are those of the whole site)."""
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            self._collision(existing, src_uri)
            files.remove(existing)
        files.append(File.generated(self.config, src_uri, content=b""))
        self.data_files[src_uri] = (make, shows)

    def render_data_files(self, files: Files, wanted: Callable[[str], bool] = lambda uri: True) -> None:
        """Make the content of each generated file (``wanted``: only those the preview needs)."""
        for src_uri, (make, _) in self.data_files.items():
            if not wanted(src_uri):
                continue
            content = self.ahead.take(src_uri) if self.ahead else None
            if content is None:
                content = make()
            file = files.get_file_from_path(src_uri)
            if isinstance(content, str):
                file.content_string = content
            else:
                file.content_bytes = content

    def _collision(self, writer_file: File, generated_uri: str) -> None:
        page = self.pages.get(generated_uri)
        url = generated_uri.removesuffix("index.md") if generated_uri.endswith("index.md") else (
            generated_uri.removesuffix(".md") + "/" if generated_uri.endswith(".md") else generated_uri
        )  # fmt: skip
        shown_text = page is not None and page.shows_writer_file
        hint = f"; text for that page goes in {self.shown_dir}/{generated_uri}" if shown_text else ""
        self.problems.append(Problem(
            f"{self.shown_dir}/{writer_file.src_uri}", 1, "",
            f"is left out: the briefing publishes /{url} there (rename the file{hint})",
        ))  # fmt: skip

    def _leave_out_collisions(self, files: Files) -> None:
        """A writer's file that MkDocs would write where one of our pages goes (``timeline.md``
        is ``timeline/index.html`` too) is reported and left out, never silently overwritten."""
        ours = {f.dest_uri: f for f in files if f.generated_by or f.src_uri in self.pages}
        for file in list(files):
            mine = ours.get(file.dest_uri)
            if mine is not None and mine is not file:
                self._collision(file, mine.src_uri)
                files.remove(file)

    def _check_texts(self, files: Files) -> None:
        """``[[name]]`` links to no rule, and script in writers' text, in every page's text
        (drafts' too: they are checked, only not published)."""
        converter: list[markdown.Markdown] = []  # made on first need: most sites never need it

        def to_html(text: str) -> str:
            if not converter:
                converter.append(markdown.Markdown(
                    extensions=self.config.markdown_extensions, extension_configs=self.config.mdx_configs
                ))  # fmt: skip
            return converter[0].reset().convert(bounded(text))  # as the build converts it

        for path, text, first_line in self._writer_texts(files):
            if BLOCK_MARKER.search(text):
                self.with_blocks.add(path)
            shown = f"{self.shown_dir}/{path}"
            found = rule_link_problems(self.briefing, shown, text, first_line)
            limit = out_of_bounds(text)
            if limit:
                why, line = limit
                found.append(Problem(
                    shown, first_line + line - 1, "body",
                    f"{why}; it is shown as plain text until it is simplified", fatal=False,
                ))  # fmt: skip
            if not self.options.trusted_html:
                found += unsafe_markup_problems(shown, text, first_line, to_html)
            self.problems.extend(found)

    def _writer_texts(self, files: Files) -> Iterator[tuple[str, str, int]]:
        """(src_uri, Markdown, line of the file it starts on) for each writer's text.

        A hand-written page that is not UTF-8 is reported and left out here: MkDocs would
        stop the build on it with a traceback.
        """
        briefing = self.briefing
        items = (*briefing.entries, *briefing.drafts, *briefing.rules.values(), *briefing.sources.values())
        for item in items:
            if item.path:
                yield item.path, item.body, item.body_line
        for file in list(files.documentation_pages()):
            page = self.pages.get(file.src_uri)
            if (page and page.text_from_model) or file.generated_by or not file.inclusion.is_included():
                continue
            try:
                raw = file.content_string
            except UnicodeDecodeError as error:
                self.problems.append(Problem(
                    f"{self.shown_dir}/{file.src_uri}", 1, "",
                    f"is not UTF-8 text (byte 0x{error.object[error.start]:02x}); save the file as UTF-8",
                ))  # fmt: skip
                files.remove(file)
                continue
            self.writer_pages[file.src_uri] = raw
            text, first_line = without_front_matter(raw)
            yield file.src_uri, text, first_line

    # --- what each page shows, for the live preview (preview.py) ---------------------------------

    def site_inputs(self) -> Hashable:
        """What every page shows: names, settings, the nav, the writers' own pages and the
        timeline's years (a change to any of them rebuilds everything)."""
        writer_pages = tuple(sorted(self.writer_pages.items()))
        return inputs.site_inputs(self.briefing, (writer_pages, tuple(self.timeline_years)))

    def inputs_of(self, src_uri: str) -> Hashable | None:
        """What the page or file at ``src_uri`` shows; None for a file that is not ours."""
        if src_uri in self.data_files:
            return self.data_files[src_uri][1]()
        page = self.pages.get(src_uri)
        shows = page.inputs(self) if page else None
        if src_uri in self.with_blocks:  # it shows the state of play too
            newest = self.renderer.newest(self.briefing.entries)[: self.options.state_of_play_claims]
            return shows, inputs.state_of_play_inputs(self.briefing, newest)
        return shows

    def entry_inputs(self) -> dict[str, Hashable]:
        """Every entry page's inputs, worked out together once per build (``inputs.py``)."""
        if self._entry_inputs is None:
            self._entry_inputs = inputs.entry_inputs(self.briefing)
        return self._entry_inputs

    def _rule_feed(self, rule_id: str) -> str:
        rule_briefing = self.briefing.rule_briefings[rule_id]
        path = rule_briefing.rule.url_path
        title = f"{rule_briefing.rule.title} · {self.config.site_name}"
        return self.renderer.feed(title, f"{path}feed.xml", path, rule_briefing.entries)

    def nav(self, files: Files) -> list[Any]:
        """Home, the writer's other pages, Timeline, Rules, Sources; never single entries."""
        ours = set(self.pages)
        others = [
            f.src_uri for f in files.documentation_pages()
            if f.src_uri not in ours and f.src_uri != "index.md"
        ]  # fmt: skip
        rules = sorted(self.briefing.rules.values(), key=lambda r: r.title.casefold())
        sources = sorted(self.briefing.sources.values(), key=lambda s: s.name.casefold())
        nav: list[Any] = []
        if files.get_file_from_path("index.md"):
            nav.append({self.words.text("nav_home"): "index.md"})
        nav.extend(others)
        nav.append({self.words.text("title_timeline"): "timeline/index.md"})
        nav.append({self.words.text("title_rules"): self._section(files, "rules", [r.id for r in rules])})
        nav.append({self.words.text("title_sources"): self._section(files, "sources", [s.id for s in sources])})
        return nav

    def _section(self, files: Files, folder: str, ids: list[str]) -> str | list[str]:
        """A nav section listing each page, or only its index page when there are too many."""
        pages = [f"{folder}/{item_id}.md" for item_id in ids]
        if len(pages) <= self.options.nav_list_limit:
            return [f"{folder}/index.md", *pages]
        for src_uri in pages:  # left out on purpose: MkDocs need not list them in its log
            files.get_file_from_path(src_uri).inclusion = InclusionLevel.NOT_IN_NAV
        return f"{folder}/index.md"

    # --- pages ---------------------------------------------------------------------------------

    def read_source(self, page: Page) -> str | None:
        """Nothing to read for entry, rule and source pages: their Markdown comes from the
        content model, which already read and checked each file once (MkDocs would read and
        parse the front-matter of 10,000 entries a second time)."""
        ours = self.pages.get(page.file.src_uri)
        return "" if ours and ours.text_from_model else None

    def page_markdown(self, markdown: str, page: Page) -> str:
        """The writer's own text of a page, with ``[[rule]]`` links: all that goes through
        Markdown. Our part of a generated page is HTML, added in ``page_content``."""
        ours = self.pages.get(page.file.src_uri)
        if ours is None:
            return bounded(self._link_rules(markdown, page))
        page.meta = ours.meta(self, page.meta)
        return bounded(self._link_rules(ours.writer_text(self, markdown), page))

    def page_content(self, body: str, page: Page) -> str:
        """A generated page: our HTML around the writer's text (``body``, now HTML).

        Our headings join the table of contents and our ids the page's anchors, so MkDocs
        checks links to them; blocks held from search wait for ``post_page``.
        """
        if not self.options.trusted_html:
            body = clean(body)  # every writer's text, after Markdown and its extensions
        generated = self._render_page(body, page)
        if generated is None:
            return body
        page.toc = toc_with_headings(page.toc, generated.headings)
        page.present_anchor_ids = (page.present_anchor_ids or set()) | generated.anchor_ids
        if generated.held:
            self.held[page.file.src_uri] = generated.held
        return generated.html

    def post_page(self, output: str, page: Page) -> str:
        """Once the search plugin has indexed the page, the blocks held back from it."""
        held = self.held.pop(page.file.src_uri, None)
        return restore_held(output, held) if held else output

    def _render_page(self, body: str, page: Page) -> GeneratedPage | None:
        uri = page.file.src_uri
        ours = self.pages.get(uri)
        if ours is None:  # a writer's own page: ours only if it holds a block
            return self.renderer.writer_page(page.url, body) if uri in self.with_blocks else None
        taken = page.present_anchor_ids or set()
        ahead = self.ahead.take(uri) if self.ahead else None
        generated = ahead.with_body(body, taken) if ahead else None
        if ahead and not generated:
            self.rendered_again += 1
        return generated or ours.render(self, body, taken)

    # --- rendering ahead (ahead.py) ------------------------------------------------------------

    def render_ahead(self, files: Files, workers: int) -> None:
        """Start workers on our pages, in the order MkDocs will ask for them, then our files."""
        if workers < 1:
            return
        pages = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_included) if f.src_uri in self.pages]
        data = [uri for uri in self.data_files if not uri.startswith("assets/")]  # feeds and JSON
        self.ahead = RenderAhead([*pages, *data], self._make_ahead, workers)

    def _make_ahead(self, src_uri: str) -> GeneratedPage | str | bytes:
        if src_uri in self.data_files:
            return self.data_files[src_uri][0]()
        return self.pages[src_uri].render(self, BODY_SLOT, ())

    def stop_rendering_ahead(self) -> None:
        if self.ahead:
            used, jobs = self.ahead.used - self.rendered_again, self.ahead.jobs
            workers = f"{self.ahead.workers} worker{'' if self.ahead.workers == 1 else 's'}"
            log.debug(f"Rendered ahead by {workers}: {used} of {jobs} pages and files")
            self.ahead.close()
            self.ahead = None

    def _link_rules(self, text: str, page: Page) -> str:
        """Turn ``[[rule]]`` into links relative to ``page`` (unknown names: see _check_texts)."""

        def render_link(name: str, link_text: str | None) -> str | None:
            rule = self.briefing.rule_by_name(name)
            return self.renderer.rule_link(rule.id, page.url, link_text) if rule else None

        return link_rule_names(text, render_link)[0]


def toc_with_headings(toc: TableOfContents, headings: list[Heading]) -> TableOfContents:
    """The writer's table of contents with ours above and below it, nested by level."""

    def nested(part: list[Heading]) -> list[AnchorLink]:
        top: list[AnchorLink] = []
        open_links: list[AnchorLink] = []
        for heading in part:
            link = AnchorLink(html.escape(heading.title), heading.id, heading.level)
            while open_links and open_links[-1].level >= heading.level:
                open_links.pop()
            (open_links[-1].children if open_links else top).append(link)
            open_links.append(link)
        return top

    above = nested([h for h in headings if not h.after_body])
    below = nested([h for h in headings if h.after_body])
    items = [*above, *toc, *below]
    if items:
        items[0].active = True  # type: ignore[attr-defined]  # as MkDocs' own get_toc does
    return TableOfContents(items)
