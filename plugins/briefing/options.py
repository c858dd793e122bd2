"""The plugin's options (``plugins: - briefing: ...`` in mkdocs.yml), typed and checked, and
what the core needs of them and of MkDocs' configuration, as plain values."""

from __future__ import annotations

import os
import re
from importlib.resources import files as package_files
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from .compiled import Settings
from .language import Words
from .model import DEFAULT_STATE_OF_PLAY_CLAIMS, DEFAULT_STATUSES, DEFAULT_WINDOW_DAYS, Problem
from .paths import inside, project_file
from .site import CSS_URI, JS_URI, SiteOptions


class WholeNumber(c.Type):
    """A whole number of at least ``minimum``: ``split_above: -1`` or ``concurrency: 1.5`` is a
    configuration error naming the option, never a silent surprise."""

    def __init__(self, minimum: int, default: int):
        super().__init__(int, default=default)
        self.minimum = minimum

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise c.ValidationError(f"must be a whole number of at least {self.minimum}, not {value!r}")
        return value


# A status is a front-matter value, a CSS class and part of a URL fragment: lower-case letters,
# digits and hyphens. The three the briefing itself shows are not a writer's to claim.
_STATUS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SHOWN_STATUSES = ("disputed", "order-unknown", "no-status")


class StatusList(c.ListOfItems):
    """The status vocabulary: at least one, each once, each an id (``under-review``)."""

    def __init__(self) -> None:
        super().__init__(c.Type(str), default=list(DEFAULT_STATUSES))

    def run_validation(self, value: object) -> list[str]:
        statuses = super().run_validation(value)
        if not statuses:
            raise c.ValidationError("must list at least one status")
        for status in statuses:
            if not _STATUS.fullmatch(status):
                raise c.ValidationError(
                    f"{status!r} is not a status id (lower-case letters, digits and hyphens, as in 'under-review')"
                )
            if status in _SHOWN_STATUSES:
                raise c.ValidationError(f"{status!r} is a status the briefing shows itself; choose another name")
        repeated = sorted({s for s in statuses if statuses.count(s) > 1})
        if repeated:
            raise c.ValidationError(f"{repeated[0]!r} is listed twice")
        return statuses


class BriefingConfig(base.Config):
    statuses = StatusList()
    """The status vocabulary entries may assert."""
    dispute_window_days = WholeNumber(0, default=DEFAULT_WINDOW_DAYS)
    """Claims this many days apart or closer, with different statuses, dispute each other."""
    timeline_order = c.Choice(("newest", "oldest"), default="newest")
    split_above = WholeNumber(1, default=500)
    """A listing of more claims than this -- the timeline, a rule's, a source's or a tag's
    claims -- gets a page per year (``/timeline/<year>/``, ``/rules/<id>/<year>/``) and the page
    lists the years instead; a year of more, a page per month; a month of more, numbered pages:
    no page grows past about 1 MB."""
    index_page_rows = WholeNumber(1, default=1000)
    """The Rules, Sources, Tags and Jurisdictions indexes list this many rows a page; more go
    on numbered pages (``/rules/index/2/``)."""
    nav_list_limit = WholeNumber(0, default=20)
    """Rules and Sources list each of their pages in the nav up to this many; beyond that only
    their index pages, which list them all. Every page renders the whole nav, so a nav of
    hundreds of items costs more than the rest of the build (measured by ``make bench``)."""
    cache_theme = c.Type(bool, default=True)
    """Render the theme's nav, search box and table of contents once for all the pages they
    come out the same on (every entry), not once per page (``internals.py``). Off to compare."""
    overrides = c.Optional(c.Dir(exists=True))
    """A folder (``timeline/`` in the example) whose templates and stylesheets win over ours."""
    language = c.Optional(c.Type(str))
    """The language of every word the plugin writes and of its dates (``fr``, ``zh``, ``en-GB``);
    by default the theme's (``theme.language``), else English."""
    state_of_play_claims = WholeNumber(0, default=DEFAULT_STATE_OF_PLAY_CLAIMS)
    """How many of the newest claims the state-of-play block lists."""
    concurrency = WholeNumber(0, default=min(2, (os.cpu_count() or 1) - 1))
    """Worker processes that render the generated pages while MkDocs converts the writers'
    Markdown (``render_workers.py``); by default one per core beside the build's own, at most two. 0
    renders every page in the build's own process, as `mkdocs serve` always does."""
    trusted_html = c.Type(bool, default=False)
    """Allow script in writers' text (``<script>``, ``on*=`` attributes, ``javascript:`` links).
    Off by default: pull requests may come from anyone, and readers trust what they read."""

    def settings(self) -> Settings:
        """The options the core needs: this class is their one definition, defaults included
        (``briefing check`` loads them through MkDocs too)."""
        return Settings(tuple(self.statuses), self.dispute_window_days)


def site_options(options: BriefingConfig, config: MkDocsConfig) -> SiteOptions:
    """What the core's Site needs of the plugin's options and MkDocs' configuration."""
    return SiteOptions(
        site_name=config.site_name, split_above=options.split_above, index_page_rows=options.index_page_rows,
        newest_first=options.timeline_order == "newest", state_of_play_claims=options.state_of_play_claims,
        nav_list_limit=options.nav_list_limit, trusted_html=options.trusted_html, overrides=options.overrides,
        shown_dir=shown_path(config.docs_dir, config), markdown_extensions=config.markdown_extensions,
        mdx_configs=config.mdx_configs,
    )  # fmt: skip


def shown_path(path: str, config: MkDocsConfig) -> str:
    """``path`` as writers name it: relative to the folder of mkdocs.yml."""
    return os.path.relpath(path, project_root(config)).replace(os.sep, "/")


def words_for(options: BriefingConfig, config: MkDocsConfig) -> Words:
    """The plugin's words in the site's language: its ``language`` option, else the theme's.

    Kept while the language and its catalogs are unchanged: a `mkdocs serve` rebuild then
    reuses the words and the dates already formatted.
    """
    config_dir = os.path.dirname(config.config_file_path or config.docs_dir)
    overrides = options.overrides
    language = options.language or config.theme.get("language") or "en"
    shown = os.path.relpath(overrides, config_dir).replace(os.sep, "/") if overrides else ""
    config_file = os.path.basename(config.config_file_path or "mkdocs.yml")
    catalogs = [package_files("briefing") / "locales", Path(overrides, "locales") if overrides else None]
    stamp = tuple(
        (str(path), path.stat().st_mtime_ns if path.exists() else 0)  # a link to nothing: reported by Words
        for folder in catalogs if folder and folder.is_dir() for path in sorted(folder.glob("*.yml"))
    )  # fmt: skip
    key = (language, overrides, shown, config_file, stamp)
    if key not in _WORDS:
        _WORDS.clear()
        _WORDS[key] = Words(language, overrides, shown, config_file, project_root(config))
    return _WORDS[key]


_WORDS: dict[tuple, Words] = {}


def check_folders(options: BriefingConfig, config: MkDocsConfig) -> str:
    """The project folder, once the content and overrides folders are known to be inside it."""
    root = project_root(config)
    for option, folder in (("docs_dir", config.docs_dir), ("overrides", options.overrides)):
        if folder and not inside(folder, root):
            raise PluginError(
                f"{option}: {folder!r} is outside the project folder {root!r}; nothing outside it is "
                "read or published (use a folder beside mkdocs.yml)"
            )
    return root


def project_root(config: MkDocsConfig) -> str:
    """The project folder: the folder of ``mkdocs.yml``. Nothing outside it is read."""
    return os.path.dirname(os.path.abspath(config.config_file_path or config.docs_dir))


def override_styles(folder: str | None, root: str = "/") -> tuple[list[str], list[Problem]]:
    """Stylesheets in the overrides folder, added to every page after ours: their names, and a
    problem for each that is a link outside the project, to nothing, or a folder."""
    if not folder:
        return [], []
    shown = os.path.relpath(folder, root).replace(os.sep, "/")
    names, problems = [], []
    for name in sorted(name for name in os.listdir(folder) if name.endswith(".css")):
        path, problem = project_file(folder, name, root, shown)
        if path:
            names.append(name)
        else:
            problems.append(problem)
    return names, problems




def configure(options: BriefingConfig, config: MkDocsConfig, words: Words) -> MkDocsConfig:
    """MkDocs' configuration as the briefing needs it: the folders checked, our stylesheets and
    script added, and headings' permanent links titled in the site's language (unless the site
    titles them itself)."""
    for name in ("toc", "markdown.extensions.toc"):
        toc = config.mdx_configs.get(name)
        if toc and toc.get("permalink") and "permalink_title" not in toc:
            toc["permalink_title"] = words.text("permalink_to_heading")
    root = check_folders(options, config)
    styles = [CSS_URI, *(f"assets/briefing/{n}" for n in override_styles(options.overrides, root)[0])]
    config.extra_css.extend(uri for uri in styles if uri not in config.extra_css)
    if JS_URI not in config.extra_javascript:
        config.extra_javascript.append(JS_URI)
    return config
