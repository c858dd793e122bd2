"""The MkDocs adapter: short event handlers that map the core's Site (site.py) onto MkDocs.

Generated pages are real MkDocs pages (themed, searched, in the nav): each rule, source and
index page is a ``File`` -- the writer's own ``rules/<id>.md`` where there is one, a generated
one otherwise. Only the writer's text goes through Markdown (``on_page_markdown``); the page's
HTML is rendered around it in ``on_page_context`` and completed in ``on_post_page``.
"""

from __future__ import annotations

import logging
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .export import Export
from .history import NO_HISTORY
from .internals import dirty_builds_answerable, search_indexes
from .internals import install as install_theme
from .mkdocs_files import fill_data_files, fill_page, leave_out_unsafe_files, open_site, place_files
from .options import BriefingConfig, configure, words_for
from .preview import DeferredCollection, Preview, QuietDirtyWarning, config_stamp, trim_memory
from .reader import DocumentCache
from .render import COMPILED_TEMPLATES, GeneratedPage, restore_held
from .served_edits import ServedEdits
from .site import Site, site_nav
from .watch import watch_briefing

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class BriefingPlugin(BasePlugin[BriefingConfig]):
    supports_multiple_instances = False
    documents: DocumentCache | None = None
    preview: Preview | None = None
    collection: DeferredCollection | None = None  # `mkdocs serve --dirty` only (preview.py)
    export: Export | None = None  # `briefing export`: the pages as published (export.py)
    renders_ahead = False  # see on_startup
    serving = False  # `mkdocs serve`
    watcher: Any = None  # `mkdocs serve`'s inotify observer of the content folder (watch.py)
    served: ServedEdits | None = None  # saves served without MkDocs' build (served_edits.py)
    nav = files = env = None  # the last build's nav, files and theme: the served saves'
    site: Site | None = None
    _said_no_history = False  # the fallback to claims' dates is said once per process

    def on_startup(self, command: str, dirty: bool) -> None:
        # Workers (render_workers.py) render every page of a whole build: `mkdocs build`, and
        # the first build of `mkdocs serve`, before its server starts any thread (at 10,000
        # entries its first page came after 21 s in one process, 17-18 s with a worker). Not
        # the server's rebuilds (_after_build), nor `build --dirty`, which skips most pages.
        self.serving = command == "serve"
        self.renders_ahead = command in ("build", "gh-deploy") and not dirty or self.serving
        # One instance for all of `mkdocs serve`'s rebuilds (it has this event): they keep the
        # files they parsed; a single build does not keep 10,000 of them alive.
        self.documents = DocumentCache() if command == "serve" else None
        # `mkdocs serve --dirty` (make serve): each rebuild makes only what an edit changed.
        self.preview = Preview() if command == "serve" and dirty and dirty_builds_answerable() else None
        self.collection = DeferredCollection() if self.preview else None
        if self.preview:
            logging.getLogger("mkdocs.commands.build").addFilter(QuietDirtyWarning())

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # A rebuild's collection waits until it is served (DeferredCollection); the first build's not.
        if self.collection and self.preview.built:
            self.collection.hold()

    def on_build_error(self, error: Exception) -> None:
        if self.site:
            self.site.stop_rendering_ahead()
        self._after_build()

    def _after_build(self) -> None:
        if self.serving:  # the server's threads start now: a fork beside them could deadlock
            self.renders_ahead = False
        if self.collection:  # kept to serve saves from; let go before MkDocs' next build (served_edits.py)
            self.collection.release_later()

    def let_go(self) -> None:
        """Let go of the last build, freed by the next collection (preview.py)."""
        self.site = self.files = self.nav = self.env = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.generate_nav = config.nav is None
        self.words = words_for(self.config, config)
        self.mkdocs_config = config  # for saves served without MkDocs' build (served_edits.py)
        return configure(self.config, config, self.words)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.problems = leave_out_unsafe_files(files, config)
        self.site, problems = open_site(self.config, config, self.documents, files, self.words)
        self.problems += problems
        self.held: dict[str, tuple[str, ...]] = {}  # src_uri -> blocks held from search
        self.problems += place_files(self.site, files, config)
        for problem in self.problems:
            log.warning(str(problem))
        for notice in self.site.briefing.order_notices(self.site.options.shown_dir):
            log.info(f"notice: {notice}")
        if not self.site.briefing.history_from_git and not self._said_no_history:
            self._said_no_history = True  # once per process: a preview rebuilds often
            log.info(NO_HISTORY)
        if self.generate_nav:
            writer_pages = [f.src_uri for f in files.documentation_pages()]
            config.nav, left_out = site_nav(self.site, writer_pages, self.words.text)
            for src_uri in left_out:  # left out on purpose: MkDocs need not list them in its log
                files.src_uris[src_uri].inclusion = InclusionLevel.NOT_IN_NAV
        if self.preview:
            search = search_indexes(config.plugins.items())
            self.preview.plan(self.site, files, config_stamp(config, self.config.overrides), search)
        return files

    @event_priority(-100)  # after other plugins' on_nav: what they change, the workers see
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        if self.preview:
            self.preview.restore_titles(nav)
        if self.renders_ahead:
            included = files.documentation_pages(inclusion=InclusionLevel.is_included)
            self.site.render_ahead([f.src_uri for f in included if f.src_uri in self.site.pages], self.config.concurrency)
        return nav

    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        # Entry, rule and source pages' Markdown comes from the content model, which read and
        # checked each file once (MkDocs would parse 10,000 entries' front-matter again).
        ours = self.site.pages.get(page.file.src_uri)
        return "" if ours and ours.text_from_model else None

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        ours = self.site.pages.get(page.file.src_uri)
        if ours is not None:
            page.meta = ours.meta(self.site, page.meta)
        return self.site.writer_markdown(page.file.src_uri, markdown, page.url)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.site.cleaned(html)  # what other plugins see of a writer's text, too

    @event_priority(100)  # before the search plugin indexes the page
    def on_page_context(self, context: Any, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        # Made as each page is written: MkDocs reads all before writing any (100,000 entries: 900 MB held).
        generated = self.site.render(page.file.src_uri, page.content or "", page.present_anchor_ids or (), page.url, is_clean=True)
        if isinstance(generated, GeneratedPage):
            fill_page(page, generated)
            if generated.held:  # blocks held from search wait for on_post_page
                self.held[page.file.src_uri] = generated.held
        return context

    def _complete_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.preview:
            self.preview.remember(page)
        held = self.held.pop(page.file.src_uri, None)  # blocks held back from the search index
        if self.export is not None:  # `briefing export`: the page's content as published
            content = restore_held(page.content or "", held) if held else page.content or ""
            self.export.record(page.file.src_uri, page.url, page.title, page.meta, content)
        return restore_held(output, held) if held else output

    @event_priority(-100)  # once every plugin has had it: MkDocs would hold its text till the end
    def _let_go_of_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.site and page.file.src_uri in self.site.pages:
            page.markdown, page.content = "", None  # not None: MkDocs then sees no title
        return output

    on_post_page = CombinedEvent(_complete_page, _let_go_of_page)

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        install_theme(env, cache=self.config.cache_theme, compiled=COMPILED_TEMPLATES)
        fill_data_files(self.site, files, self.preview.rebuilt if self.preview else None)  # (`briefing check` stops before)
        self.files, self.env = files, env
        return env

    @event_priority(100)  # before the search plugin writes its index
    def _finish_build(self, config: MkDocsConfig) -> None:
        if said := self.site.stop_rendering_ahead():
            log.debug(said)
        if self.preview:
            self.preview.finish(self.files, config)
        trim_memory()  # the pages' text (_let_go_of_page), before the search index
        self._after_build()

    @event_priority(-100)  # after the search plugin wrote its (emptied) index: see preview.py
    def _write_search_files(self, config: MkDocsConfig) -> None:
        if self.preview:
            self.preview.write_search_files(config.site_dir)

    on_post_build = CombinedEvent(_finish_build, _write_search_files)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        self.watcher, changed = watch_briefing(server, config.docs_dir, self.config.overrides)  # watch.py
        self.served = ServedEdits(self, server, changed) if self.preview else None
        return server

    def on_shutdown(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
