"""Theme partials rendered once for the many pages they come out the same on, not once per page.

Every page renders mkdocs-material's whole frame. Three of its partials come out the same on
thousands of entry pages (on 10,000 entries they cost well over a second, ``make bench``):

- the nav (``partials/nav.html``) and the search box (``partials/search.html``): a page outside
  the nav -- every entry, every year page -- is never the nav's active item, so its copy differs
  from another such page's only in relative links, which depend on the folder the page is in;
- the table of contents (``partials/toc.html``), which depends only on the page's headings, and
  entry pages share a handful of heading lists.

This module touches the theme only by name: it serves each of those templates as a one-line
template calling :func:`cached_partial`, and loads the theme's own file under another name. A
theme without them is left alone. tests/test_example.py builds the example with and without
the cache and compares every file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, TemplateNotFound, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

NAV, SEARCH, TOC = "partials/nav.html", "partials/search.html", "partials/toc.html"
CACHED_PARTIALS = (NAV, SEARCH, TOC)
THEME_COPY = "briefing-theme/"  # prefix under which the theme's own files stay reachable


class _CachingLoader(BaseLoader):
    """Serves each cached partial as a call to the cache, and the theme's file under another name."""

    def __init__(self, theme_loader: BaseLoader):
        self.theme_loader = theme_loader

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template in CACHED_PARTIALS:
            return f"{{{{ briefing_cached_partial({template!r}) }}}}", None, lambda: True
        if template.startswith(THEME_COPY):
            return self.theme_loader.get_source(environment, template.removeprefix(THEME_COPY))
        raise TemplateNotFound(template)


def install(env: Environment) -> None:
    """Make ``env`` (a theme's Jinja environment, fresh for each build) render the cached
    partials once per folder for pages outside the nav."""
    if env.loader is None:
        return
    try:
        for name in CACHED_PARTIALS:
            env.loader.get_source(env, name)
    except TemplateNotFound:
        return  # not mkdocs-material: nothing to cache
    env.loader = ChoiceLoader([_CachingLoader(env.loader), env.loader])
    rendered: dict[tuple[str, Any], Markup] = {}

    @pass_context
    def cached_partial(context: Context, name: str) -> Markup:
        theme_partial = context.environment.get_template(THEME_COPY + name)
        page = context.get("page")
        shared = _headings(page) if name == TOC else _shared_folder(page, context.get("nav"))
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


def _headings(page: Any) -> tuple[Any, ...] | None:
    """All that the table of contents shows of ``page``: its headings' titles, links and nesting."""
    toc = getattr(page, "toc", None)

    def outline(items: Any) -> tuple[Any, ...] | None:
        parts = []
        for item in items:
            children = outline(item.children)
            if children is None or getattr(item, "typeset", None):  # material's typeset titles
                return None
            parts.append((item.title, item.url, children))
        return tuple(parts)

    return None if toc is None else outline(toc)
