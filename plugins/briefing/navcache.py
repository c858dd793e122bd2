"""The theme's nav, rendered once per folder for the pages kept out of it, not once per page.

Every page renders the site's whole nav (mkdocs-material's ``partials/nav.html``): on a briefing
of 10,000 entries that was the largest single cost of the build after Markdown itself (``make
bench``). A page outside the nav -- every entry, every year page -- is never its active item, so
its nav differs from another such page's only in the relative links, which depend on the folder
the page sits in, not on the page. This module renders the theme's own template once per
folder (and kind of URL) and reuses the result; pages in the nav render it as before.

It touches the theme only by name: it serves ``partials/nav.html`` as a one-line template that
calls :func:`cached_nav`, and loads the theme's file under another name. A theme without that
file is left alone. tests/test_build.py builds the example with and without it and compares
every page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, TemplateNotFound, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

NAV = "partials/nav.html"
THEME_NAV = "briefing-theme/partials/nav.html"


class _NavLoader(BaseLoader):
    """Serves the nav as a call to ``cached_nav``, and the theme's nav under another name."""

    def __init__(self, theme_loader: BaseLoader):
        self.theme_loader = theme_loader

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template == NAV:
            return "{{ briefing_cached_nav() }}", None, lambda: True
        if template == THEME_NAV:
            return self.theme_loader.get_source(environment, NAV)
        raise TemplateNotFound(template)


def install(env: Environment) -> None:
    """Make ``env`` (a theme's Jinja environment, fresh for each build) render the nav once per
    folder for pages outside the nav."""
    if env.loader is None:
        return
    try:
        env.loader.get_source(env, NAV)
    except TemplateNotFound:
        return  # not mkdocs-material: nothing to cache
    env.loader = ChoiceLoader([_NavLoader(env.loader), env.loader])
    rendered: dict[tuple[str, bool], Markup] = {}

    @pass_context
    def cached_nav(context: Context) -> Markup:
        theme_nav = context.environment.get_template(THEME_NAV)
        key = _shared_nav_key(context.get("page"), context.get("nav"))
        if key is None:
            return Markup(theme_nav.render(context.get_all()))
        if key not in rendered:
            rendered[key] = Markup(theme_nav.render(context.get_all()))
        return rendered[key]

    env.globals["briefing_cached_nav"] = cached_nav


def _shared_nav_key(page: Any, nav: Any) -> tuple[str, bool] | None:
    """The folder whose pages outside the nav all see the same nav; None if ``page`` may not.

    Links are relative to the page's URL, so they agree for pages in one folder, unless a nav
    page lies below the page itself (its link would then differ).
    """
    if page is None or nav is None or getattr(page, "url", None) is None:
        return None
    if page in nav.pages or any(item.url.startswith(page.url) for item in nav.pages):
        return None
    return posixpath.dirname(page.url.rstrip("/")), page.url.endswith("/")
