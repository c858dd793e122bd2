"""How the Site (site.py) maps onto MkDocs' files: our pages and data files as MkDocs files,
entries at /entries/<id>/, what must not be published taken out, a writer's file where ours
goes reported, and our headings in MkDocs' table of contents. The plugin's events (plugin.py)
call these."""

from __future__ import annotations

import html
import os
from collections.abc import Iterator

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from .compiled import Briefing, compile_briefing
from .language import Words
from .model import Problem
from .options import BriefingConfig, override_styles, project_root, shown_path, site_options
from .pages import EntryPage
from .paths import RealPaths, file_problem
from .reader import Content, DocumentCache, without_front_matter
from .render import GeneratedPage, Heading, Permalink, Renderer
from .site import Site
from .text_checks import FindingsAhead


def open_site(
    options: BriefingConfig, config: MkDocsConfig, documents: DocumentCache | None, files: Files, words: Words
) -> tuple[Site, list[Problem]]:
    """The briefing compiled from the files MkDocs found and its site planned, with every
    problem found on the way: all of them come before any page is rendered, so ``briefing
    check`` (which runs this much of the build) reports exactly the build's."""
    shown_dir = shown_path(config.docs_dir, config)
    # The Markdown files MkDocs found (symlinked folders followed, exclude_docs applied).
    paths = [f.src_uri for f in files.documentation_pages() if f.inclusion.is_included()]
    planned = site_options(options, config)
    ahead: list[FindingsAhead] = []  # the writers' texts checked in a worker while the briefing compiles

    def check_texts_meanwhile(content: Content) -> None:
        texts = [(item.path, item.body, item.body_line) for item in (*content.entries, *content.rules.values(), *content.sources.values())]
        ahead.append(FindingsAhead(texts, planned, options.concurrency))

    briefing = compile_briefing(
        config.docs_dir, shown_dir, options.settings(), documents, paths, options.concurrency, check_texts_meanwhile,
    )  # fmt: skip
    site, problems = site_for(briefing, options, config, words)
    site.findings_ahead = ahead[0] if ahead else None
    return site, list(briefing.problems) + problems


def site_for(briefing: Briefing, options: BriefingConfig, config: MkDocsConfig, words: Words) -> tuple[Site, list[Problem]]:
    """The site planned from a compiled briefing, and the problems of its configuration."""
    problems = []
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
    problems, real_paths = [], RealPaths(root)
    for file in list(files):
        if file.generated_by:
            continue  # files plugins make
        if file.src_dir == docs:  # MkDocs' own, found in docs_dir: its path without MkDocs'
            path = os.path.join(docs, file.src_uri)  # normalizing, 0.25 s at 100,000 files
        elif file.abs_src_path and os.path.abspath(file.abs_src_path).startswith(docs + os.sep):
            path = file.abs_src_path  # added by a plugin from docs_dir
        else:
            continue  # the theme's own files
        problem = file_problem(f"{shown_dir}/{file.src_uri}", path, root, real_paths)
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
    # src_uris, not get_file_from_path: our URIs are already '/'-separated, and its pathlib
    # normalizing took seconds at 100,000 entries.
    for src_uri, page in site.pages.items():
        file = files.src_uris.get(src_uri)
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
        existing = files.src_uris.get(src_uri)
        if existing is not None:
            problems.append(collision(site, existing.src_uri, src_uri))
            files.remove(existing)
        # Written straight into the site by fill_data_files: see there.
        files.append(File.generated(config, src_uri, abs_src_path=os.path.normpath(os.path.join(config.site_dir, src_uri))))
    # A writer's file MkDocs would write where one of ours goes (``timeline.md`` is
    # ``timeline/index.html`` too) is reported and left out, never silently overwritten.
    ours = {f.dest_uri: f for f in files if f.generated_by or f.src_uri in site.pages}
    for file in list(files):
        mine = ours.get(file.dest_uri)
        if mine is not None and mine is not file:
            problems.append(collision(site, file.src_uri, mine.src_uri))
            files.remove(file)
    return problems + site.check_texts([*site.writer_texts(), *writer_pages(site, files, problems)])


def fill_data_files(site: Site, files: Files, wanted: set[str] | None) -> None:
    """Our feeds, JSON and stylesheets (``wanted``: only those a preview rebuilds), each
    written into the site as soon as it is made.

    Their MkDocs files are the site's own copies (``place_files``), which MkDocs copies onto
    themselves without complaint: it lets plugins write into ``site_dir``. Held in their files
    until MkDocs wrote them, after every page, 100,000 entries' feeds and JSON were 190 MB
    beside the pages, at the build's peak.
    """
    for src_uri in site.data_files:
        if wanted is None or src_uri in wanted:
            content = site.make(src_uri)
            path = files.src_uris[src_uri].abs_src_path
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as stream:
                stream.write(content.encode("utf-8") if isinstance(content, str) else content)


def writer_pages(site: Site, files: Files, problems: list[Problem]) -> Iterator[tuple[str, str, int]]:
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


def fill_page(page: Page, generated: GeneratedPage) -> None:
    """``page`` as we made it: our HTML, our headings in its table of contents, and our ids
    among its anchors, so that MkDocs checks links to them."""
    page.toc = toc_with_headings(page.toc, generated.headings)
    page.present_anchor_ids = (page.present_anchor_ids or set()) | generated.anchor_ids
    page.content = generated.html


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
