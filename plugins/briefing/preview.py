"""Live preview at scale: `mkdocs serve --dirty` rebuilds only the pages an edit changes.

MkDocs 1.6 skips, in a dirty build, every page whose ``File.is_modified()`` is false, and by
itself judges that by modification times alone: an edit to one entry would leave its rule's
page, its neighbours and the timeline stale, and a skipped page would lose its nav title and
its search entries. So :class:`Preview`, kept by the plugin for the life of `mkdocs serve`:

- answers ``is_modified`` for every page and generated file from what it shows
  (``Site.inputs_of``, ``page_inputs.py``) compared with the previous rebuild; a change to
  what every page shows (names, settings, the nav, a writer's own page, ``mkdocs.yml``, a
  template) rebuilds everything;
- gives the nav pages it skips the titles they had;
- rebuilds the search index as a clean build would: the entries of the pages rebuilt now and
  those of the others from before, in page order (material's own dirty-reload merge assumes a
  single page changed);
- removes the files the previous rebuild wrote that this one no longer has (a deleted entry).

tests/test_preview.py holds the preview, after random sequences of edits, equal to a clean build.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import logging
import os
import threading
from collections.abc import Hashable
from importlib.resources import files as package_files
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation

from .internals import SearchIndexAccess, answer_is_modified, modified_by_time
from .page_inputs import KeptNeighbours, entry_inputs_of
from .pages import EntryPage

_NEVER_BUILT = object()


class QuietDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty rebuild of "inaccurate navigation and other links": true of
    its own dirty builds, not of this preview, which tests/test_preview.py holds equal to a
    clean build. A warning each save would teach writers to ignore warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def folder_stamp(folder: str | None) -> tuple:
    """Names and modification times of the files under ``folder``: a template edit shows."""
    if not folder or not os.path.isdir(folder):
        return ()
    found = []
    for directory, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            found.append((path, os.stat(path).st_mtime_ns))
    return tuple(sorted(found))


def config_stamp(config: MkDocsConfig, overrides: str | None) -> Hashable:
    """``mkdocs.yml`` as written, the templates, the catalogs and the stylesheets and scripts: a change to
    any of them rebuilds everything."""
    path = config.config_file_path
    text = open(path, "rb").read() if path and os.path.isfile(path) else b""
    return (
        hashlib.sha256(text).hexdigest(),
        folder_stamp(overrides),
        folder_stamp(str(package_files("briefing") / "templates")),
        folder_stamp(str(package_files("briefing") / "locales")),
        folder_stamp(str(package_files("briefing") / "assets")),
    )


class Preview:
    """What the previous rebuild showed and wrote, and what this one must rebuild."""

    def __init__(self) -> None:
        self.shown: dict[str, Hashable] = {}  # src_uri -> its inputs, as last built
        self.site_shown: Hashable = _NEVER_BUILT
        self.titles: dict[str, tuple[Any, dict]] = {}  # src_uri -> (title, meta), as last built
        # For each search index, by position: page URL -> its search entries, as last built
        # (serialized, for an index whose file the preview writes: SearchIndexAccess).
        self.search: dict[int, dict[str, Any]] = {}
        self.outputs: set[str] = set()  # dest_uris of the files the previous rebuild wrote
        self.rebuilt: set[str] = set()  # src_uris this rebuild makes anew
        self._pending: tuple[dict[str, Hashable], Hashable] = ({}, None)
        self.search_indexes: list[SearchIndexAccess] | None = []
        self._search_files: list[tuple[SearchIndexAccess, list[str]]] = []  # merged, to write
        self._pages_of: tuple[Files, list[Any]] | None = None  # documentation_pages
        self._merged_of: dict[int, Files] = {}  # each search plugin's: the files last merged over
        self.neighbours: KeptNeighbours = {}  # each rule's claims' neighbours, by what decides them

    @property
    def built(self) -> bool:
        """Whether a build has finished: the next one is a rebuild."""
        return self.site_shown is not _NEVER_BUILT

    def plan(self, site: Any, files: Files, stamp: Hashable, search: list[SearchIndexAccess] | None) -> None:
        """Decide, for every page and generated file, whether this rebuild makes it anew.
        ``search``: the search indexes to merge, None if one cannot be (then everything is)."""
        site_now = (site.site_inputs(), stamp)
        self.search_indexes = search
        everything = site_now != self.site_shown or search is None
        shown: dict[str, Hashable] = {}
        self.rebuilt = set()
        site.entry_inputs(self.neighbours)  # each rule's reused where what decides it is unchanged
        for file in files:
            shows = site.inputs_of(file.src_uri)
            if shows is not None:
                shown[file.src_uri] = shows
                changed = everything or self.shown.get(file.src_uri, _NEVER_BUILT) != shows
            elif file.is_documentation_page():  # a writer's own page (its text is in site_now)
                changed = everything or modified_by_time(file)
            else:
                continue  # a static file: MkDocs' own rule, by modification time
            answer_is_modified(file, changed)
            if changed:
                self.rebuilt.add(file.src_uri)
        # Kept as "last built" only once this rebuild has finished (see finish).
        self._pending = (shown, site_now)

    def plan_edit(self, site: Any, files: Files, edited: Any) -> None:
        """As ``plan``, for a save applied to the briefing (``edits.Edited``, served_edits.py),
        which keeps every page and file: only the outputs the edit may have changed are
        compared, those about its claims, rules, sources, tags and jurisdictions, and those about
        the whole briefing."""
        named = {"entry": edited.entries, "rule": edited.rules, "source": edited.sources,
                 "tag": edited.tags, "jurisdiction": edited.jurisdictions}  # fmt: skip
        shown = dict(self.shown)
        self.rebuilt = set()
        for src_uri, before in self.shown.items():
            about = _about(site, src_uri)
            if about is None or about[1] in named[about[0]]:
                shows = _inputs_edited(site, src_uri)
                if shows != before:
                    shown[src_uri] = shows
                    self.rebuilt.add(src_uri)
        for src_uri in self.rebuilt:
            answer_is_modified(files.src_uris[src_uri], True)
        self._pending = (shown, self.site_shown)

    def restore_titles(self, nav: Navigation) -> None:
        """Nav pages this rebuild skips are never read: give them their titles back."""
        for page in nav.pages:
            src_uri = page.file.src_uri
            if src_uri not in self.rebuilt and src_uri in self.titles:
                page.title, meta = self.titles[src_uri]  # type: ignore[misc]
                page.meta = dict(meta)

    def remember(self, page: Any) -> None:
        self.titles[page.file.src_uri] = (page.title, dict(page.meta))

    def finish(self, files: Files, config: MkDocsConfig) -> None:
        """After every page is written: the whole search index, no stale file, and this
        rebuild's inputs as the ones to compare the next against."""
        for number, index in enumerate(self.search_indexes or ()):
            self.search[number] = self._merge_search(files, index, self.search.get(number, {}))
        outputs = {file.dest_uri for file in files}  # not abs_dest_path: 10,000 path joins
        for stale in sorted(self.outputs - outputs):
            _remove(os.path.join(config.site_dir, stale), config.site_dir)
        self.outputs = outputs
        self.shown, self.site_shown = self._pending

    def _merge_search(self, files: Files, index: SearchIndexAccess, before: dict[str, Any]) -> dict[str, Any]:
        """Make ``index`` a clean build's: this rebuild's entries for the pages it made, those
        ``before`` for the others, in page order; each page's entries by its URL (serialized,
        where this preview writes the index's file: ``write_search_files``)."""
        fresh: dict[str, list[dict]] = {}
        for entry in index.entries:
            fresh.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
        written_here = index.empty_file is not None
        if written_here and self._merged_of.get(id(index.plugin)) is files:  # a served save: the same pages, in order
            known = dict(before)
            for src_uri in self.rebuilt:
                file = files.src_uris[src_uri]
                if file.is_documentation_page() and file.inclusion.is_included():
                    url = "" if file.url in (".", "./") else file.url
                    known[url] = index.fragment(fresh[url]) if url in fresh else ""
            index.replace([])
            self._search_files.append((index, list(known.values())))
            return known
        self._merged_of[id(index.plugin)] = files
        merged: list = []  # entries, or each page's serialized entries where written here
        known = {}
        for file in self.documentation_pages(files):
            if not file.inclusion.is_included():
                continue  # as files.documentation_pages() lists them
            url = "" if file.url in (".", "./") else file.url  # as Page.url, which search uses
            if file.src_uri in self.rebuilt:
                entries: Any = fresh.get(url, [])
                if written_here:
                    entries = index.fragment(entries) if entries else ""
            else:
                entries = before.get(url, "" if written_here else [])
            known[url] = entries
            merged.append(entries) if written_here else merged.extend(entries)
        if written_here:
            index.replace([])  # its plugin writes an empty index; write_search_files, the whole
            self._search_files.append((index, merged))
        else:
            index.replace(merged)
        return known

    def documentation_pages(self, files: Files) -> list[Any]:
        """Every documentation page of ``files`` (whatever its inclusion), listed once for the
        files of a build (saves served from them keep them: each listing took 0.2 s at 100,000
        entries)."""
        if self._pages_of is None or self._pages_of[0] is not files:
            self._pages_of = (files, files.documentation_pages(inclusion=lambda _: True))
        return self._pages_of[1]

    def write_search_files(self, site_dir: str) -> None:
        """Write the search indexes merged by ``finish`` that their plugins leave to us (after
        the plugins wrote theirs, empty)."""
        for index, fragments in self._search_files:
            folder = os.path.join(site_dir, "search")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "search_index.json"), "w", encoding="utf-8") as stream:
                stream.writelines(index.file_parts(fragments))  # not joined first: 110 MB at 100,000 entries
        self._search_files = []


def _about(site: Any, src_uri: str) -> tuple[str, str] | None:
    """What the page or data file at ``src_uri`` is about (``BriefingPage.about``)."""
    if src_uri in site.data_files:
        return site.data_files[src_uri].about
    page = site.pages.get(src_uri)
    return page.about() if page else None


def _inputs_edited(site: Any, src_uri: str) -> Hashable | None:
    """``Site.inputs_of``, where only a few claims are asked about: an entry page's inputs
    worked out for it alone (``Site.entry_inputs`` works out every claim's)."""
    page = site.pages.get(src_uri)
    if isinstance(page, EntryPage):
        entry = site.briefing.entry(page.entry_id)
        return entry_inputs_of(site.briefing, entry) if entry else None
    return site.inputs_of(src_uri)


class DeferredCollection:
    """Python's cyclic garbage collection, kept out of the time a save waits for.

    At 10,000 entries a rebuild leaves about 170,000 objects in reference cycles (the previous
    rebuild's MkDocs files, pages and nav) beside some 330,000 long-lived ones. Collecting them
    takes 0.3-0.5 s, and Python's own schedule ran a collection inside one rebuild in three,
    0.4-1 s each (measured at `mkdocs serve`, tests/bench.py's corpus). So collection is off
    from the start of a rebuild until its pages have had time to reach the browsers; then one
    full collection runs, unless the next save came first (the next collection frees both).
    The plugin lets go of the build it served first (``_after_build``): held, that build lived
    on through the next rebuild beside the new one, 60 MB more at its peak at 10,000 entries.
    """

    DELAY = 0.5  # seconds after a rebuild: browsers reload within about 0.1 s of it

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rebuilds = 0
        self._timer: threading.Timer | None = None

    def hold(self) -> None:
        """A rebuild starts: no collection until it is served (waits for one under way)."""
        with self._lock:
            self._rebuilds += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            gc.disable()

    def release_later(self) -> None:
        """A rebuild is done: collect once browsers had time to load it."""
        with self._lock:
            self._timer = threading.Timer(self.DELAY, self._collect, args=(self._rebuilds,))
            self._timer.daemon = True
            self._timer.start()

    def _collect(self, rebuilds: int) -> None:
        with self._lock:
            if rebuilds == self._rebuilds:  # no rebuild started since
                gc.collect()
                gc.enable()
                trim_memory()


def trim_memory() -> None:
    """Hand the memory a finished build freed back to the system, where the C library can
    (glibc's ``malloc_trim``; elsewhere nothing happens).

    glibc keeps freed memory for the process, and a build frees it in pieces scattered among
    what the preview keeps, so the server grew by what each rebuild left in holes. Measured
    in-process on tests/bench.py's corpus, a claim edited between rebuilds: at 10,000 entries
    the rebuilds peaked at 232-242 MB instead of 333 MB; at 100,000, at 2,266 and 2,087 MB
    instead of 2,638 and about 2,270 MB.
    """
    trim = getattr(_C_LIBRARY, "malloc_trim", None) if _C_LIBRARY is not None else None
    if trim is not None:
        trim(0)


try:  # the C library this Python runs on (None: one whose symbols ctypes cannot reach)
    _C_LIBRARY: ctypes.CDLL | None = ctypes.CDLL(None)
except OSError:
    _C_LIBRARY = None


def _remove(path: str, site_dir: str) -> None:
    """Delete ``path`` and the folders it leaves empty, never above ``site_dir``."""
    if os.path.isfile(path):
        os.remove(path)
    folder = os.path.dirname(path)
    root = os.path.abspath(site_dir)
    while os.path.abspath(folder).startswith(root + os.sep) and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)
