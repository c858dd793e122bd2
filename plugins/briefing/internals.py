"""Every touch of another package's internals, each with a probe that says when it stops fitting.

The briefing uses MkDocs, Material, Babel and watchdog through their public interfaces except
in the six places below, where no public interface does the job. Each place has a probe, run
before the touch is relied on. A probe that fails logs one warning, naming the package and what
the briefing does instead, and the briefing takes the slower, safe path: a full rebuild rather
than a partial search index, polling rather than inotify, Babel's shared data rather than none.
tests/test_internals.py runs each probe on the installed packages and on shapes they could take.

1. **The search index** (MkDocs' and Material's search plugins, ``SearchIndexAccess``): the live
   preview rebuilds a few pages and merges their search entries with the others' from before.
   Neither plugin has a public way to do that; Material's merge assumes one page changed, and
   MkDocs' has none. Fallback: every page is rebuilt, so the index is whole.
2. **``File.is_modified``** (MkDocs, ``answer_is_modified``): MkDocs' dirty build skips a page
   whose ``is_modified()`` is false, judging by modification times. The preview answers it per
   file from what the page shows. Fallback: none is possible, so the warning says to serve
   without ``--dirty``.
3. **The live-reload server's observer** (MkDocs, ``scheduled_natively``): MkDocs schedules its
   watches on ``server.observer``, a poller; the content folder's watch moves to inotify by
   standing in for it during one ``server.watch`` call (``watch.py``). Fallback: polling.
4. **Babel's locale data cache** (``isolated_locale``): Babel shares nested locale data between
   locales and writes into it (python-babel/babel#1234). Fallback: Babel's shared data.
5. **Material's templates**: two repairs and a cache of three partials, below.
6. **MkDocs' steps for one page, and the server's watched paths** (``build_pages``,
   ``watched_paths``): a save served without MkDocs' whole build (served_edits.py) reads,
   renders and writes the pages it changed with MkDocs' own ``_populate_page`` and
   ``_build_page``, and notes whether any path the server watches besides the content changed.
   Fallback: MkDocs' whole build for every save.

"""

from __future__ import annotations

import json
import logging
import posixpath
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import Any

from babel import Locale, localedata
from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    TemplateNotFound,
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup

log = logging.getLogger(f"mkdocs.plugins.{__name__}")
_warned: set[str] = set()  # each probe's warning once per process: a preview rebuilds often


def _warn_once(key: str, message: str) -> None:
    if key not in _warned:
        _warned.add(key)
        log.warning(message)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(version unknown)"


# --- 1. The search index ------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchIndexAccess:
    """The entries of one search plugin's index for this build: ``{"location", ...}`` dicts.

    ``empty_file``: for Material's index, the file Material writes with no entries (probed by
    ``search_indexes``); the preview then writes the file itself, from each page's entries
    serialized once (``fragment``, ``file_parts``). Material serializes the whole index on every
    build: at 100,000 entries, 110 MB and 5 s of each save's rebuild. None: the plugin writes it.
    """

    plugin: Any
    attribute: str  # "entries" (Material) or "_entries" (MkDocs' own)
    empty_file: str | None = None

    @property
    def entries(self) -> list[dict]:
        return getattr(self.plugin.search_index, self.attribute)

    def replace(self, entries: list[dict]) -> None:
        """Make ``entries`` the whole index this build writes."""
        setattr(self.plugin.search_index, self.attribute, entries)
        if hasattr(self.plugin, "search_index_prev"):
            # Material would merge again, assuming a single page changed: nothing to add.
            self.plugin.search_index_prev = None

    @staticmethod
    def fragment(entries: list[dict]) -> str:
        """One page's entries as Material's file holds them, between the other pages' commas
        (its ``json.dumps`` of the whole list, with the same options, is these joined)."""
        return json.dumps(entries, separators=(",", ":"), default=str)[1:-1]

    def file_parts(self, fragments: Iterable[str]) -> Iterator[str]:
        """Material's whole file, in parts, from every page's ``fragment`` in page order."""
        assert self.empty_file is not None
        yield self.empty_file[: -len("[]}")] + "["
        comma = ""
        for fragment in fragments:
            if fragment:
                yield comma
                yield fragment
                comma = ","
        yield "]}"


# The search plugins whose index the preview knows, by module, and the attribute holding the
# entries: Material's (`material/search`) and MkDocs' own (`search` with any other theme).
KNOWN_SEARCH_INDEXES = {"material.plugins.search.plugin": "entries", "mkdocs.contrib.search": "_entries"}


def search_indexes(plugins: Iterable[tuple[str, Any]]) -> list[SearchIndexAccess] | None:
    """Access to each search plugin's index, probed: None if one is of a shape the preview does
    not know, which then rebuilds every page (said once). Call after ``on_pre_build``, when the
    plugins have made this build's index."""
    found = []
    for name, plugin in plugins:
        if not (name == "search" or name.endswith("/search") or hasattr(plugin, "search_index")):
            continue
        attribute = KNOWN_SEARCH_INDEXES.get(type(plugin).__module__)
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, attribute, None) if attribute else None
        if not isinstance(entries, list) or not all(isinstance(e, dict) and "location" in e for e in entries):
            package = type(plugin).__module__.split(".", 1)[0]
            _warn_once("search", (
                f"briefing: the search plugin {name!r} ({package} {_version(package)}) keeps its index in a "
                "way the live preview does not know; every save rebuilds every page, so that the search "
                "index stays whole (update plugins/briefing/internals.py)"
            ))  # fmt: skip
            return None
        found.append(SearchIndexAccess(plugin, attribute, _empty_material_file(index) if attribute == "entries" else None))
    return found


def _empty_material_file(index: Any) -> str | None:
    """Material's search file with no entries, if it is the shape ``file_parts`` fills in."""
    entries, index.entries = index.entries, []
    try:
        text = index.generate_search_index(None)
    except Exception:  # another version's signature: Material writes its file itself
        return None
    finally:
        index.entries = entries
    return text if isinstance(text, str) and text.endswith('"docs":[]}') else None


# --- 2. File.is_modified ------------------------------------------------------------------------


def dirty_builds_answerable() -> bool:
    """Whether MkDocs still asks ``File.is_modified()`` and lets a file answer it; warns if not."""
    from mkdocs.structure.files import File  # here: the core imports this module, never MkDocs

    method = getattr(File, "is_modified", None)
    if callable(method) and not hasattr(File, "__slots__"):
        return True
    _warn_once("is_modified", (
        f"briefing: MkDocs {_version('mkdocs')} no longer asks File.is_modified(); a --dirty preview "
        "would show stale pages, so serve without --dirty (update plugins/briefing/internals.py)"
    ))  # fmt: skip
    return False


def answer_is_modified(file: Any, changed: bool) -> None:
    """Make MkDocs' dirty build rebuild ``file`` exactly when ``changed``."""
    file.is_modified = lambda: changed  # type: ignore[method-assign]


def modified_by_time(file: Any) -> bool:
    """MkDocs' own answer, by modification times."""
    from mkdocs.structure.files import File

    return File.is_modified(file)


# --- 3. The live-reload server's observer -------------------------------------------------------


def server_observer_swappable(server: Any) -> bool:
    """Whether ``server`` is MkDocs' LiveReloadServer as the inotify move knows it; warns if
    not (another plugin's ``on_serve`` may have replaced it: then nothing is said)."""
    names = ("observer", "watch", "unwatch")
    if all(hasattr(server, name) for name in names):
        return True
    if type(server).__module__.startswith("mkdocs."):
        _warn_once("observer", (
            f"briefing: MkDocs {_version('mkdocs')}'s live-reload server changed; the content folder "
            "is polled for changes, as MkDocs does by default (update plugins/briefing/internals.py)"
        ))  # fmt: skip
    return False


@contextmanager
def scheduled_through(server: Any, stand_in: Any) -> Iterator[None]:
    """While inside, ``server.watch`` schedules its handler on ``stand_in``, not its poller."""
    polling = server.observer
    server.observer = stand_in
    try:
        yield
    finally:
        server.observer = polling


# --- 4. Babel's locale data cache ---------------------------------------------------------------


def _babel_cache_known() -> bool:
    return (
        isinstance(getattr(localedata, "_cache", None), dict)
        and hasattr(localedata, "_cache_lock")
        and hasattr(Locale, "_data")
    )


@lru_cache(maxsize=16)  # each `mkdocs serve` rebuild asks again: loading took ~30 ms
def isolated_locale(identifier: str) -> Locale:
    """A Babel locale whose data no other locale in this process can change.

    Babel (up to 2.18 at least, python-babel/babel#1234) shares nested locale data between
    locales and writes resolved aliases back into it: after a Chinese site is built, a German
    one in the same process (``mkdocs serve``, the tests) gets "六月" for June. Loading the
    locale's data through an empty cache gives it dicts of its own.
    """
    locale = Locale.parse(identifier, sep="-" if "-" in identifier else "_")
    if not _babel_cache_known():
        _warn_once("babel", (
            f"briefing: Babel {_version('babel')} changed its locale cache; dates are formatted with "
            "Babel's shared data, which one language can change for another in the same process "
            "(update plugins/briefing/internals.py)"
        ))  # fmt: skip
        return locale
    with localedata._cache_lock:  # private: the cache has no public reset
        shared = dict(localedata._cache)
        localedata._cache.clear()
        try:
            data = localedata.load(str(locale))
        finally:
            localedata._cache.clear()
            localedata._cache.update(shared)
    locale._Locale__data = localedata.LocaleDataDict(data)  # type: ignore[attr-defined]
    return locale


# --- 5. Material's templates -------------------------------------------------------------------
#
# Both work on the theme's template files as they load (once per build), not on every page's
# HTML. This is the one module allowed to name the theme's tags (tests/test_example.py): it
# builds none of ours.
#
# **Repairs**, found by the Nu HTML Checker and axe-core (tests/test_page_checks.py and
# tests/test_browser.py show each is needed and enough): the search dialog gets an accessible
# name (axe: aria-dialog-name), and the table of contents' title stops pointing at the nav's
# ``__toc`` toggle on pages outside the nav, where the theme renders no such toggle (Nu: label
# ``for`` names no control). If the theme changes that markup, a repair stops matching: the build
# warns (a strict build fails, see ``repair``) and those tests say which check came back.
#
# **Cache.** Every page renders the theme's whole frame, and three partials come out the same on
# thousands of entry pages (on 10,000 entries they cost well over a second, ``make bench``):
#
# - the nav (``partials/nav.html``) and the search box (``partials/search.html``): a page outside
#   the nav -- every entry, every year page -- is never the nav's active item, so its copy differs
#   from another such page's only in relative links, which depend on the folder the page is in;
# - the table of contents (``partials/toc.html``), which depends only on the page's headings (and
#   on whether the page is in the nav, see above); entry pages share a handful of heading lists.
#
# Each is served as a one-line template calling :func:`cached_partial`, which renders the theme's
# own file (kept under another name) once per key. tests/test_example.py builds the example with
# and without the cache and compares every file.

NAV, SEARCH, TOC = "partials/nav.html", "partials/search.html", "partials/toc.html"
CACHED_PARTIALS = (NAV, SEARCH, TOC)
THEME_COPY = "briefing-theme/"  # prefix under which the theme's own files stay reachable

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
TOC_LABEL = '<label class="md-nav__title" for="__toc">'
REPAIR_PURPOSE = {
    SEARCH: "the search dialog's accessible name, axe aria-dialog-name",
    TOC: "the table of contents' label on pages outside the nav, Nu label-for",
}
REPAIRS = {
    SEARCH: (SEARCH_DIALOG, SEARCH_DIALOG[:-1] + " aria-label=\"{{ lang.t('search') }}\">"),
    TOC: (TOC_LABEL, '<label class="md-nav__title"{% if page in nav.pages %} for="__toc"{% endif %}>'),
}


class _ThemeLoader(BaseLoader):
    """The theme's templates, repaired; the cached partials as calls to the cache."""

    def __init__(self, theme_loader: BaseLoader, cache: bool):
        self.theme_loader = theme_loader
        self.cache = cache

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if self.cache and template in CACHED_PARTIALS:
            return f"{{{{ briefing_cached_partial({template!r}) }}}}", None, lambda: True
        name = template.removeprefix(THEME_COPY)
        if name not in REPAIRS and name == template:
            raise TemplateNotFound(template)  # the theme's loader serves it as it is
        source, filename, uptodate = self.theme_loader.get_source(environment, name)
        if name in REPAIRS:
            source = repair(name, source, filename)
        return source, filename, uptodate


def repair(name: str, source: str, filename: str | None) -> str:
    """``source`` of the theme's partial ``name`` with our repair made.

    A repair that no longer matches material's own file is a warning (so a strict build
    fails): the theme changed and the page checks it served would silently come back. A
    site's own override of the partial is its choice, and only noted.
    """
    wrong, right = REPAIRS[name]
    if wrong in source:
        return source.replace(wrong, right)
    own = filename is not None and "material" in filename.replace("\\", "/").split("/")
    (log.warning if own else log.info)(
        f"briefing: mkdocs-material {_version('mkdocs-material')} changed {name}: the repair "
        f"({REPAIR_PURPOSE[name]}) no longer applies; update plugins/briefing/internals.py"
    )
    return source


def install(env: Environment, cache: bool = True, compiled: BytecodeCache | None = None) -> None:
    """Repair ``env``'s templates (a theme's Jinja environment, fresh for each build) and, with
    ``cache``, render the cached partials once per key rather than once per page."""
    if env.loader is None:
        return
    try:
        for name in CACHED_PARTIALS:
            env.loader.get_source(env, name)
    except TemplateNotFound:
        return  # not mkdocs-material: nothing to repair or cache
    env.loader = ChoiceLoader([_ThemeLoader(env.loader, cache), env.loader])
    # MkDocs makes a new theme environment for every build; under `mkdocs serve` compiling the
    # theme's templates again cost ~0.35 s of each rebuild. Entries are checked against the
    # template's source, so an edited template is compiled afresh.
    env.bytecode_cache = compiled
    rendered: dict[tuple[str, Any], Markup] = {}
    folder_of_page: list[Any] = [None, None]  # the nav and the search box ask for the same page

    @pass_context
    def cached_partial(context: Context, name: str) -> Markup:
        theme_partial = context.environment.get_template(THEME_COPY + name)
        page, nav = context.get("page"), context.get("nav")
        if name == TOC:
            shared = _headings(page, nav)
        else:
            if folder_of_page[0] is not page:
                folder_of_page[:] = [page, _shared_folder(page, nav)]
            shared = folder_of_page[1]
        if shared is None:
            return Markup(theme_partial.render(context.get_all()))
        key = (name, shared)
        if key not in rendered:
            rendered[key] = Markup(theme_partial.render(context.get_all()))
        return rendered[key]

    env.globals["briefing_cached_partial"] = cached_partial


def _shared_folder(page: Any, nav: Any) -> tuple[str, bool] | None:
    """The folder whose pages outside the nav all see the same partials; None if ``page`` may not.

    Links are relative to the page's URL, so they agree for pages in one folder, unless a nav
    page lies below the page itself (its link would then differ).
    """
    if page is None or nav is None or getattr(page, "url", None) is None:
        return None
    if page in nav.pages or any(item.url.startswith(page.url) for item in nav.pages):
        return None
    return posixpath.dirname(page.url.rstrip("/")), page.url.endswith("/")


def _headings(page: Any, nav: Any) -> tuple[Any, ...] | None:
    """All that the table of contents shows of ``page``: whether it is in the nav, and its
    headings' titles, links and nesting."""
    toc = getattr(page, "toc", None)

    def outline(items: Any) -> tuple[Any, ...] | None:
        parts = []
        for item in items:
            children = outline(item.children)
            if children is None or getattr(item, "typeset", None):  # material's typeset titles
                return None
            parts.append((item.title, item.url, children))
        return tuple(parts)

    if toc is None or nav is None:
        return None
    headings = outline(toc)
    return None if headings is None else (page in nav.pages, headings)


# --- 6. MkDocs' steps for one page, and the server's watched paths ------------------------------


def page_steps_known() -> bool:
    """Whether MkDocs' page steps take what ``build_pages`` passes them; warns once if not."""
    import inspect

    from mkdocs.commands import build as mkdocs_build

    wanted = {"_populate_page": ["page", "config", "files", "dirty"], "_build_page": ["page", "config", "doc_files", "nav", "env", "dirty", "excluded"]}
    for name, parameters in wanted.items():
        step = getattr(mkdocs_build, name, None)
        if not callable(step) or list(inspect.signature(step).parameters) != parameters:
            _warn_once("page steps", (
                f"briefing: MkDocs {_version('mkdocs')} builds a page in another way; every save goes through "
                "its whole build (update plugins/briefing/internals.py)"
            ))  # fmt: skip
            return False
    return True


def build_pages(pages: list[Any], config: Any, files: Any, doc_files: list[Any], nav: Any, env: Any, made: Callable[[], None]) -> None:
    """Read, convert, render and write ``pages`` as MkDocs' build does (in its order: all read,
    then ``made``, where the build runs ``on_env``, then all written), and check their anchors.
    ``doc_files``: the pages `mkdocs serve` builds, as its build lists them for templates."""
    from mkdocs.commands import build as mkdocs_build

    for page in pages:
        mkdocs_build._populate_page(page, config, files, dirty=True)
    made()
    for page in pages:
        mkdocs_build._build_page(page, config, doc_files, nav, env, dirty=True, excluded=page.file.inclusion.is_excluded())
    for page in pages:
        page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)


def watched_paths(server: Any) -> list[str] | None:
    """The paths ``server`` watches (MkDocs' own, the theme's, plugins', ``watch:``); None if
    it keeps them in a way not known here."""
    paths = getattr(server, "_watched_paths", None)
    if isinstance(paths, dict) and all(isinstance(path, str) for path in paths):
        return sorted(paths)
    return None
