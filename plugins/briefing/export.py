"""``briefing export OUT``: the whole briefing as a plain Markdown project, for engines without
plugins (Zensical, MkDocs without this plugin, ProperDocs).

The site is built once with the plugin, as ``mkdocs build`` would build it; each page's final
content (the writer's text and ours, HTML) is then written as a Markdown file carrying that HTML,
at ``<url>/index.md``. A page's folder is then its URL's folder, so every relative link in it is
right whether an engine reads links relative to the page's URL (MkDocs leaves raw HTML alone) or
to its source file (Zensical rewrites them). Feeds, JSON, stylesheets and scripts are copied
byte for byte, and the configuration keeps the nav and drops the plugin.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from jinja2 import Environment, PackageLoader

# Already HTML and YAML: nothing to escape (autoescape off).
PAGE = Environment(loader=PackageLoader("briefing", "templates"), keep_trailing_newline=True).get_template(
    "export_page.md"
)
MARKER = ".briefing-export"  # a folder with this file may be overwritten by the next export


@dataclass
class ExportedPage:
    src_uri: str
    url: str  # as the page is served: "" for the home page, "rules/x/" otherwise
    title: str
    search_excluded: bool
    content: str  # the page's final HTML, blocks held from search restored


@dataclass
class Export:
    """What the build shows of each page, recorded as it is written (see the plugin)."""

    pages: list[ExportedPage] = field(default_factory=list)

    def record(self, src_uri: str, url: str, title: str | None, meta: dict[str, Any], content: str) -> None:
        search = meta.get("search") or {}
        excluded = bool(isinstance(search, dict) and search.get("exclude"))
        self.pages.append(ExportedPage(src_uri, url, title or "", excluded, content))


def page_path(url: str) -> str:
    """Where a page served at ``url`` is written: its URL's folder, ``index.md``.

    URLs are percent-encoded (``rules/%E7%BD%91/``); folders hold the characters themselves,
    which the engine encodes again when it makes the URL.
    """
    url = "" if url in (".", "./") else unquote(url)
    return f"{url}index.md"


def prepare(out: Path) -> None:
    """An empty ``out``, or a previous export's to overwrite; refuse anything else."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise FileExistsError(f"{out}: is not empty and not a previous export; choose an empty folder")
    if out.exists():
        shutil.rmtree(out)
    (out / "docs").mkdir(parents=True)
    (out / MARKER).write_text("Written by `briefing export`; the next export replaces this folder.\n")


def write_page(docs: Path, page: ExportedPage) -> None:
    """One page as Markdown carrying its HTML (``templates/export_page.md``)."""
    meta: dict[str, Any] = {"title": page.title}
    if page.search_excluded:
        meta["search"] = {"exclude": True}
    html = page.content.strip("\n")
    target = docs / page_path(page.url)
    target.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    target.write_text(PAGE.render(front_matter=front, html=html), encoding="utf-8")


def exported_nav(nav: Any, paths: dict[str, str]) -> Any:
    """The nav with each page's source path replaced by its exported path."""
    if isinstance(nav, list):
        return [exported_nav(item, paths) for item in nav]
    if isinstance(nav, dict):
        return {title: exported_nav(value, paths) for title, value in nav.items()}
    return paths.get(nav, nav) if isinstance(nav, str) else nav


def exported_config(
    user_config: dict[str, Any], nav: Any, not_in_nav: set[str], extra_css: list[str], extra_javascript: list[str]
) -> dict[str, Any]:
    """The site's own configuration, without this plugin, with the pages' nav and our assets."""
    config = {key: value for key, value in user_config.items() if key not in ("docs_dir", "site_dir", "nav")}
    plugins = user_config.get("plugins") or ["search"]
    if isinstance(plugins, dict):
        plugins = [{name: options} if options else name for name, options in plugins.items()]
    config["plugins"] = [p for p in plugins if p != "briefing" and not (isinstance(p, dict) and "briefing" in p)]
    config["docs_dir"] = "docs"
    config["use_directory_urls"] = True
    config["extra_css"] = extra_css
    config["extra_javascript"] = extra_javascript
    config["nav"] = nav
    # Pages left out of the nav on purpose (entries, year pages): MkDocs need not list them.
    config["not_in_nav"] = "\n".join(f"/{path}" for path in sorted(not_in_nav))
    return config


def nav_paths(nav: Any) -> set[str]:
    """Every page path the nav lists."""
    if isinstance(nav, list):
        return set().union(*(nav_paths(item) for item in nav)) if nav else set()
    if isinstance(nav, dict):
        return set().union(*(nav_paths(value) for value in nav.values())) if nav else set()
    return {nav} if isinstance(nav, str) else set()


def write_config(out: Path, config: dict[str, Any]) -> None:
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=100)
    (out / "mkdocs.yml").write_text(
        "# Written by `briefing export`: the briefing as plain pages, for any engine that reads\n"
        "# mkdocs.yml (Zensical, MkDocs without the briefing plugin). Edit the source, not this.\n"
        + text,
        encoding="utf-8",
    )


def copy_file(docs: Path, dest_uri: str, content: bytes | None, source: str | None) -> None:
    target = docs / dest_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    if content is not None:
        target.write_bytes(content)
    elif source is not None:
        shutil.copyfile(source, target)
