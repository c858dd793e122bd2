"""What the plugin does to mkdocs-material's templates: two repairs, and a cache of three partials.

Both work on the theme's template files as they load (once per build), not on every page's
HTML. This is the one module allowed to name the theme's tags (tests/test_example.py): it
builds none of ours.

**Repairs**, found by the Nu HTML Checker and axe-core (tests/test_page_checks.py and
tests/test_browser.py show each is needed and enough): the search dialog gets an accessible
name (axe: aria-dialog-name), and the table of contents' title stops pointing at the nav's
``__toc`` toggle on pages outside the nav, where the theme renders no such toggle (Nu: label
``for`` names no control). If the theme changes that markup, a repair stops matching: the build
warns (a strict build fails, see ``repair``) and those tests say which check came back.

**Cache.** Every page renders the theme's whole frame, and three partials come out the same on
thousands of entry pages (on 10,000 entries they cost well over a second, ``make bench``):

- the nav (``partials/nav.html``) and the search box (``partials/search.html``): a page outside
  the nav -- every entry, every year page -- is never the nav's active item, so its copy differs
  from another such page's only in relative links, which depend on the folder the page is in;
- the table of contents (``partials/toc.html``), which depends only on the page's headings (and
  on whether the page is in the nav, see above); entry pages share a handful of heading lists.

Each is served as a one-line template calling :func:`cached_partial`, which renders the theme's
own file (kept under another name) once per key. tests/test_example.py builds the example with
and without the cache and compares every file.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Callable
from importlib import metadata
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, TemplateNotFound, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .render import COMPILED_TEMPLATES

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

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
        f"briefing: mkdocs-material {_material_version()} changed {name}: the repair "
        f"({REPAIR_PURPOSE[name]}) no longer applies; update plugins/briefing/theme.py"
    )
    return source


def _material_version() -> str:
    try:
        return metadata.version("mkdocs-material")
    except metadata.PackageNotFoundError:
        return "(version unknown)"


def install(env: Environment, cache: bool = True) -> None:
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
    env.bytecode_cache = COMPILED_TEMPLATES
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
