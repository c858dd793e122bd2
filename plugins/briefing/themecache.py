"""Theme partials rendered once per folder for the pages outside the nav, not once per page.

Every page renders mkdocs-material's whole frame. Two of its partials come out the same on
thousands of entry pages: the nav (``partials/nav.html``) and the search box
(``partials/search.html``). A page outside the nav -- every entry, every year page -- is never
the nav's active item, so its copy of these differs from another such page's only in relative
links, which depend on the folder the page sits in, not on the page. On 10,000 entries they
cost more than a second of the build (``make bench``).

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

CACHED_PARTIALS = ("partials/nav.html", "partials/search.html")
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
    rendered: dict[tuple[str, str, bool], Markup] = {}

    @pass_context
    def cached_partial(context: Context, name: str) -> Markup:
        theme_partial = context.environment.get_template(THEME_COPY + name)
        folder = _shared_folder(context.get("page"), context.get("nav"))
        if folder is None:
            return Markup(theme_partial.render(context.get_all()))
        key = (name, *folder)
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
