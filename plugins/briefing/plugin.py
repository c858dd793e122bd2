"""The MkDocs adapter: short event handlers that map the core's Site (site.py) onto MkDocs.

Generated pages are real MkDocs pages (themed, searched, in the nav): each rule, source and
index page is a ``File`` -- the writer's own ``rules/<id>.md`` where there is one, a generated
one otherwise. Only the writer's text goes through Markdown (``on_page_markdown``); the page's
HTML is rendered around it in ``on_page_content`` and completed in ``on_post_page``.
"""

from __future__ import annotations

import html
import logging
import os
from importlib.resources import files as package_files
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from .briefing import compile_briefing
from .export import Export
from .internals import dirty_builds_answerable, search_indexes
from .internals import install as install_theme
from .model import Problem
from .options import (
    BriefingConfig,
    override_styles,
    project_root,
    shown_path,
    site_options,
    words_for,
)
from .pages import EntryPage
from .paths import file_problem, inside
from .preview import DeferredCollection, Preview, QuietDirtyWarning, config_stamp
from .reader import DocumentCache, without_front_matter
from .render import COMPILED_TEMPLATES, GeneratedPage, Heading, Permalink, Renderer, restore_held
from .site import CSS_URI, JS_URI, Site
from .watch import watch_natively

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
    site: Site | None = None
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
        if self.site:
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
            log.info(
                "The content folder is not in a git work tree (or git is missing): feeds date each "
                "claim by its own date, not by when it entered the briefing"
            )
        if self.generate_nav:
            writer_pages = [f.src_uri for f in files.documentation_pages()]
            config.nav, left_out = self.site.nav(writer_pages, self.words.text)
            for src_uri in left_out:  # left out on purpose: MkDocs need not list them in its log
                files.get_file_from_path(src_uri).inclusion = InclusionLevel.NOT_IN_NAV
        if self.preview:
            search = search_indexes(config.plugins.items())
            self.preview.plan(self.site, files, config_stamp(config, self.config.overrides), search)
        return files

    @event_priority(-100)  # after other plugins' on_nav: what they change, the workers see
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
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
        # Our headings join the table of contents and our ids the page's anchors, so MkDocs
        # checks links to them; blocks held from search wait for on_post_page.
        generated = self.site.render(page.file.src_uri, html, page.present_anchor_ids or (), page.url)
        if not isinstance(generated, GeneratedPage):
            return generated
        page.toc = toc_with_headings(page.toc, generated.headings)
        page.present_anchor_ids = (page.present_anchor_ids or set()) | generated.anchor_ids
        if generated.held:
            self.held[page.file.src_uri] = generated.held
        return generated.html

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.preview:
            self.preview.remember(page)
        # Once the search plugin has indexed the page, the blocks held back from it.
        held = self.held.pop(page.file.src_uri, None)
        if self.export is not None:  # `briefing export`: the page's content as published
            content = restore_held(page.content or "", held) if held else page.content or ""
            self.export.record(page.file.src_uri, page.url, page.title, page.meta, content)
        return restore_held(output, held) if held else output

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        install_theme(env, cache=self.config.cache_theme, compiled=COMPILED_TEMPLATES)
        # MkDocs writes generated files after this event; `briefing check` stops before it.
        for src_uri in self.site.data_files:
            if self.preview is None or src_uri in self.preview.rebuilt:
                content = self.site.make(src_uri)
                file = files.get_file_from_path(src_uri)
                if isinstance(content, str):
                    file.content_string = content
                else:
                    file.content_bytes = content
        self.files = files
        return env

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, config: MkDocsConfig) -> None:
        said = self.site.stop_rendering_ahead()
        if said:
            log.debug(said)
        if self.preview:
            self.preview.finish(self.files, config)
        if self.collection:
            self.collection.release_later()
        self._after_build()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        # Edits to our templates, styles or the overrides folder should reload the preview too.
        for folder in ("templates", "assets", "locales"):
            server.watch(str(package_files("briefing") / folder))
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


def open_site(
    options: BriefingConfig, config: MkDocsConfig, documents: DocumentCache | None, files: Files, words: Any
) -> tuple[Site, list[Problem]]:
    """The briefing compiled from the files MkDocs found and its site planned, with every
    problem found on the way: all of them come before any page is rendered, so ``briefing
    check`` (which runs this much of the build) reports exactly the build's."""
    shown_dir = shown_path(config.docs_dir, config)
    # The Markdown files MkDocs found (symlinked folders followed, exclude_docs applied).
    paths = [f.src_uri for f in files.documentation_pages() if f.inclusion.is_included()]
    briefing = compile_briefing(config.docs_dir, shown_dir, options.settings(), documents, paths)
    problems = list(briefing.problems)
    if not config.use_directory_urls:  # every URL in the briefing contract is a directory URL
        config_file = os.path.basename(config.config_file_path or "mkdocs.yml")
        problems.append(Problem(config_file, 1, "use_directory_urls", "set it to true (the briefing pages need it)"))
    problems += words.problems
    toc_options = config.mdx_configs.get("toc") or config.mdx_configs.get("markdown.extensions.toc") or {}
    root = project_root(config)
    renderer = Renderer(
        briefing, options.overrides, config.site_url or "", Permalink.from_toc_options(toc_options),
        words, options.state_of_play_claims, root,
    )  # fmt: skip
    for name, line, why in renderer.template_problems:
        problems.append(Problem(f"{shown_path(options.overrides, config)}/{name}", line, "", why))
    styles, style_problems = override_styles(options.overrides, root)
    return Site(briefing, renderer, site_options(options, config), styles), problems + style_problems


def leave_out_unsafe_files(files: Files, config: MkDocsConfig) -> list[Problem]:
    """Take out of ``files`` every content file that is a link outside the project (or to
    nothing), or whose name holds a control character, before anything reads it (paths.py)."""
    root, docs = project_root(config), os.path.abspath(config.docs_dir)
    shown_dir = shown_path(docs, config)
    problems = []
    for file in list(files):
        if file.generated_by or not file.abs_src_path or not os.path.abspath(file.abs_src_path).startswith(docs + os.sep):
            continue  # the theme's own files, and files plugins make
        problem = file_problem(f"{shown_dir}/{file.src_uri}", file.abs_src_path, root)
        if problem:
            files.remove(file)
            problems.append(problem)
    return problems


def place_files(site: Site, files: Files, config: MkDocsConfig) -> list[Problem]:
    """Entries at /entries/<id>/, nothing unpublishable, a file for each page and data file of
    ours; the problems on the way (a writer's file where ours goes, text that is not UTF-8)."""
    briefing, problems = site.briefing, []
    drafts = {entry.path for entry in briefing.drafts}
    for file in list(files):
        if file.src_uri in briefing.skipped_paths or file.src_uri in drafts:
            files.remove(file)  # invalid (reported, never published half-checked) or a draft
    for src_uri, page in site.pages.items():
        file = files.get_file_from_path(src_uri)
        if file is not None and not page.shows_writer_file:  # it would vanish unseen
            problems.append(collision(site, file.src_uri, src_uri))
            files.remove(file)
            file = None
        if file is None:
            file = File.generated(config, src_uri, content="")
            files.append(file)
        if isinstance(page, EntryPage):  # the writer's file, published at /entries/<id>/
            entry = briefing.entry(page.entry_id)
            file.dest_uri, file.url = f"entries/{entry.id}/index.html", entry.url_path
        if isinstance(page, EntryPage) or not page.shows_writer_file:
            file.inclusion = InclusionLevel.NOT_IN_NAV
    for src_uri in site.data_files:
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            problems.append(collision(site, existing.src_uri, src_uri))
            files.remove(existing)
        files.append(File.generated(config, src_uri, content=b""))
    # A writer's file MkDocs would write where one of ours goes (``timeline.md`` is
    # ``timeline/index.html`` too) is reported and left out, never silently overwritten.
    ours = {f.dest_uri: f for f in files if f.generated_by or f.src_uri in site.pages}
    for file in list(files):
        mine = ours.get(file.dest_uri)
        if mine is not None and mine is not file:
            problems.append(collision(site, file.src_uri, mine.src_uri))
            files.remove(file)
    return problems + site.check_texts([*site.writer_texts(), *writer_pages(site, files, problems)])


def writer_pages(site: Site, files: Files, problems: list[Problem]):
    """(src_uri, Markdown, first line) of each writer's own page, kept in ``site.writer_pages``.
    One that is not UTF-8 is reported and left out: MkDocs would stop on it with a traceback."""
    for file in list(files.documentation_pages()):
        page = site.pages.get(file.src_uri)
        if (page and page.text_from_model) or file.generated_by or not file.inclusion.is_included():
            continue
        try:
            raw = file.content_string
        except UnicodeDecodeError as error:
            problems.append(Problem(
                f"{site.options.shown_dir}/{file.src_uri}", 1, "",
                f"is not UTF-8 text (byte 0x{error.object[error.start]:02x}); save the file as UTF-8",
            ))  # fmt: skip
            files.remove(file)
            continue
        site.writer_pages[file.src_uri] = raw
        text, first_line = without_front_matter(raw)
        yield file.src_uri, text, first_line


def collision(site: Site, writer_uri: str, generated_uri: str) -> Problem:
    """A writer's file left out where the briefing publishes a page or file of its own."""
    page = site.pages.get(generated_uri)
    if generated_uri.endswith(".md"):
        url = generated_uri.removesuffix("index.md") if generated_uri.endswith("index.md") else generated_uri[:-3] + "/"
    else:
        url = generated_uri
    shown = site.options.shown_dir
    hint = f"; text for that page goes in {shown}/{generated_uri}" if page is not None and page.shows_writer_file else ""
    return Problem(f"{shown}/{writer_uri}", 1, "", f"is left out: the briefing publishes /{url} there (rename the file{hint})")


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
