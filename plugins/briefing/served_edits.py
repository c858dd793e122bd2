"""Saves served without MkDocs' whole build: `mkdocs serve --dirty` at scale.

A rebuild through MkDocs walks every file, gives every page its place in the nav and runs every
plugin's events, whatever the save changed: at 100,000 entries that, with compiling the whole
briefing again, was most of the 20 s a save waited for (tests/bench.py). Where a save changes
only claims, and edits.py can apply the change to the compiled briefing, it is served here:

1. the briefing edited (edits.py), the site planned from it, which must have the same pages and
   files, names and nav as the last build's;
2. the outputs whose inputs changed (``Preview.plan_edit``) read, rendered and written by
   MkDocs' own page steps with the files, nav and theme of the last whole build
   (``internals.build_pages``), and our feeds and JSON made;
3. the search index merged and written (preview.py), and collection deferred as after a build.

Anything else goes to MkDocs' whole build, as before: a change to ``mkdocs.yml``, a template or
any other watched path, a new, deleted or non-Markdown file, a save edits.py declines, a
writer's text with a problem, a site with other plugins than the briefing and search, content
watched by polling (the changed paths are not known).

tests/test_served_edits.py holds a site served this way equal to a clean build after saves.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Hashable
from typing import Any

from .edits import apply_edits
from .internals import build_pages, page_steps_known, watched_paths
from .mkdocs_files import fill_data_files, site_for
from .options import project_root, shown_path
from .paths import file_problem
from .preview import folder_stamp, trim_memory
from .text_checks import text_problems
from .watch import ChangedPaths

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

# The plugins whose events the pages' steps run and whose other events a served save skips
# without changing the site: ours and the search plugins (whose index preview.py writes).
KNOWN_PLUGINS = frozenset({"briefing", "search", "material/search"})


class ServedEdits:
    """Stands in for the server's builder: each save served here where it can be."""

    def __init__(self, plugin: Any, server: Any, changed: ChangedPaths) -> None:
        self.plugin, self.server, self.changed = plugin, server, changed
        self.whole_build = server.builder
        server.builder = self.build
        # The watched paths besides the content, as last built (MkDocs adds the config's
        # ``watch:`` after this: each is taken as it is when first seen).
        self.stamps: dict[str, Hashable] | None = self._stamps() if self._servable() else None

    def build(self) -> None:
        """Serve the changes since the last build: here if it can, else by MkDocs' build."""
        paths = self.changed.take()
        started = time.monotonic()
        try:
            served = paths is not None and self._unchanged() and self._serve(paths)
        except Exception as error:  # MkDocs' build says what it makes of it, as on any save
            log.debug(f"Serving the save failed ({error!r}); MkDocs' build makes it")
            served = False
        if served:
            log.info(f"Served the save in {time.monotonic() - started:.2f} seconds")
            return
        self.stamps = None
        self.plugin.let_go()  # MkDocs' build runs alone: two sites at once would double the memory
        self.whole_build()
        self.stamps = self._stamps() if self._servable() else None

    def _unchanged(self) -> bool:
        """Whether no watched path besides the content changed since the last build."""
        now, before = self._stamps(), self.stamps
        if now is None or before is None:
            return False
        before.update((path, stamp) for path, stamp in now.items() if path not in before)
        return now == before

    def _servable(self) -> bool:
        """Whether the last build left what serving a save needs."""
        plugin = self.plugin
        indexes = plugin.preview.search_indexes if plugin.preview else None
        return (
            plugin.site is not None and plugin.files is not None and plugin.nav is not None
            and indexes is not None and all(index.empty_file is not None for index in indexes)
            and set(plugin.mkdocs_config.plugins) <= KNOWN_PLUGINS and page_steps_known()
        )  # fmt: skip

    def _stamps(self) -> dict[str, Hashable] | None:
        """Every watched path besides the content folder, with its files' modification times."""
        paths = watched_paths(self.server)
        if paths is None:
            return None
        docs = os.path.abspath(self.plugin.mkdocs_config.docs_dir)
        return {
            path: folder_stamp(path) if os.path.isdir(path) else _file_stamp(path)
            for path in paths if os.path.abspath(path) != docs
        }  # fmt: skip

    def _serve(self, paths: set[str]) -> bool:
        """Serve a save that changed ``paths``; False where MkDocs' build must."""
        plugin, config, files = self.plugin, self.plugin.mkdocs_config, self.plugin.files
        docs = os.path.abspath(config.docs_dir)
        edited_paths = []
        for path in sorted(paths):
            rel = os.path.relpath(path, docs).replace(os.sep, "/")
            if rel.startswith("../"):
                return False
            if rel.endswith(".md") and rel in files.src_uris:
                if file_problem(rel, os.path.join(docs, rel), project_root(config)):
                    return False  # now a link out of the project, or no file: the build leaves it out
                edited_paths.append(rel)
            elif os.path.lexists(path) or rel in files.src_uris or any(uri.startswith(rel + "/") for uri in files.src_uris):
                return False  # a new file or folder, one MkDocs copies as it is, or one gone
            # else: a file that came and went, such as an editor's temporary copy
        if not edited_paths:
            return True
        if plugin.collection:  # as a build's: no collection until served (preview.py)
            plugin.collection.hold()
        edited = apply_edits(plugin.site.briefing, docs, shown_path(docs, config), plugin.documents, edited_paths)
        if edited is None:
            return False
        before = plugin.site
        site, _ = site_for(edited.briefing, plugin.config, config, plugin.words)  # its problems: the config's, unchanged
        site.writer_pages, site.with_blocks = before.writer_pages, before.with_blocks
        entries = [site.briefing.entry(path.rsplit("/", 1)[-1][: -len(".md")]) for path in edited_paths]
        found, blocks = text_problems(site.briefing, [(e.path, e.body, e.body_line) for e in entries if e], site.options, some=True)
        if found or blocks or site.pages.keys() != before.pages.keys() or site.data_files.keys() != before.data_files.keys():
            return False
        if site.site_inputs() != before.site_inputs():
            return False
        self._render(site, edited)
        return True

    def _render(self, site: Any, edited: Any) -> None:
        """Rebuild what the edit changed, as MkDocs' build would (see the module's docstring)."""
        plugin, config, files = self.plugin, self.plugin.mkdocs_config, self.plugin.files
        plugin.site, plugin.held = site, {}
        plugin.preview.plan_edit(site, files, edited)
        rebuilt = plugin.preview.rebuilt
        doc_files = plugin.preview.documentation_pages(files)
        pages = [file.page for file in doc_files if file.src_uri in rebuilt and file.page is not None]
        for index in plugin.preview.search_indexes:
            index.replace([])  # this save's pages' entries only: finish merges them with the others'
        served = [file for file in doc_files if file.inclusion.is_in_serve()]  # as MkDocs' build lists them
        build_pages(pages, config, files, served, plugin.nav, plugin.env, lambda: fill_data_files(site, files, rebuilt))
        plugin.preview.finish(files, config)
        plugin.preview.write_search_files(config.site_dir)
        for problem in plugin.problems:  # as a build says them on every save
            log.warning(str(problem))
        trim_memory()
        if plugin.collection:
            plugin.collection.release_later()


def _file_stamp(path: str) -> Hashable:
    try:
        status = os.stat(path)
    except OSError:
        return path, None
    return path, status.st_mtime_ns, status.st_size
