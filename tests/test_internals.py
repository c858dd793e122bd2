"""Other packages' internals (internals.py): each probe on what is installed and on shapes the
packages could take, and the live preview whole on every theme MkDocs ships and on Material."""

from __future__ import annotations

import json
import logging
import os
import time
from collections import UserDict
from importlib import metadata
from importlib.resources import files
from pathlib import Path

import babel.localedata
import pytest
from babel import Locale
from mkdocs.commands.build import build
from mkdocs.structure.files import get_files
from test_preview import Preview, assert_same_site, starting_content, write

from briefing import internals
from conftest import run_mkdocs, write_tree


@pytest.fixture(autouse=True)
def fresh_warnings():
    """Each probe warns once per process; each test sees its own."""
    internals._warned.clear()
    yield
    internals._warned.clear()


@pytest.mark.parametrize("theme", ["material", "mkdocs", "readthedocs"])
def test_a_dirty_rebuild_keeps_the_whole_search_index_on_every_theme(tmp_path, theme):
    """One edit, one `mkdocs serve --dirty` rebuild: the site, search index included, is the
    clean build's. MkDocs' own search plugin (themes mkdocs and readthedocs) once lost every
    page the rebuild skipped, without a word."""
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    content = starting_content()
    write(tmp_path, content)
    config = (tmp_path / "mkdocs.yml").read_text()
    (tmp_path / "mkdocs.yml").write_text(config.replace("  name: material\n", f"  name: {theme}\n"))
    preview = Preview(tmp_path)
    time.sleep(0.01)
    write_tree(tmp_path, {"content/entries/e3.md": (tmp_path / "content/entries/e3.md").read_text().replace("Claim 3.", "Edited.")})
    config = preview.config()
    build(config, dirty=True)
    rebuilt = config.plugins["briefing"].preview.rebuilt
    assert "entries/e3.md" in rebuilt and "entries/e2.md" not in rebuilt  # a partial rebuild
    probed = internals.search_indexes(config.plugins.items())
    assert [access.attribute for access in probed] == ["entries" if theme == "material" else "_entries"]
    index = json.loads((preview.site / "search/search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {"", "rules/", "sources/", "entries/e2/"} <= locations
    clean = run_mkdocs(tmp_path)
    assert clean.returncode == 0, clean.log
    assert_same_site(preview.site, clean.site)


class StrangeSearch:
    """A search plugin of a shape the preview does not know (another package's, a new version)."""

    def __init__(self, index: object):
        self.search_index = index


class Index:
    def __init__(self, **attributes: object):
        self.__dict__.update(attributes)


def test_a_search_index_of_another_shape_is_said_once_and_not_merged(caplog):
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.briefing.internals"):
        assert internals.search_indexes([("search", StrangeSearch(Index(entries=[])))]) is None
        assert internals.search_indexes([("search", StrangeSearch(Index()))]) is None
        assert internals.search_indexes([("other", object())]) == []  # no search at all: nothing to merge
    assert len(caplog.records) == 1  # said once: a preview rebuilds on every save
    assert "rebuilds every page" in caplog.records[0].getMessage()


def test_an_unknown_search_index_makes_the_preview_rebuild_every_page(tmp_path):
    """The fallback itself: every page is rebuilt, so nothing is missing from the index."""
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    write(tmp_path, starting_content())
    preview = Preview(tmp_path)
    config = preview.config()
    build(config, dirty=True)  # nothing changed
    plugin = config.plugins["briefing"]
    assert "entries/e2.md" not in plugin.preview.rebuilt
    stamp = plugin.preview.site_shown[1]
    files = get_files(config)
    plugin.on_files(files, config)
    plugin.preview.plan(plugin.site, files, stamp, None)
    pages = {f.src_uri for f in files.documentation_pages()}
    assert pages <= plugin.preview.rebuilt


def test_dirty_builds_are_answerable_on_the_installed_mkdocs(caplog):
    with caplog.at_level(logging.WARNING):
        assert internals.dirty_builds_answerable()
    assert caplog.records == []


def test_a_server_of_another_shape_keeps_polling(caplog):
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root="/tmp")
    try:
        assert internals.server_observer_swappable(server)
    finally:
        server.server_close()
    changed = type("LiveReloadServer", (), {"__module__": "mkdocs.livereload"})()  # a new MkDocs
    stranger = type("Server", (), {"__module__": "another_plugin"})()  # another plugin's: not ours to judge
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.briefing.internals"):
        assert not internals.server_observer_swappable(stranger)
        assert not internals.server_observer_swappable(changed)
        assert not internals.server_observer_swappable(changed)
    assert len(caplog.records) == 1 and "polled" in caplog.records[0].getMessage()


def test_babel_locales_are_isolated_and_a_changed_cache_falls_back(caplog, monkeypatch):
    german = internals.isolated_locale("de")
    internals.isolated_locale("zh")
    assert german.months["format"]["wide"][6] == "Juni"
    internals.isolated_locale.cache_clear()
    # A Babel whose cache is of another kind: it works, but clearing it is no longer ours to do.
    monkeypatch.setattr("babel.localedata._cache", UserDict(babel.localedata._cache))
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.briefing.internals"):
        fallback = internals.isolated_locale("fr")
    internals.isolated_locale.cache_clear()
    assert isinstance(fallback, Locale) and fallback.months["format"]["wide"][6] == "juin"
    assert "Babel" in caplog.records[0].getMessage()


def test_every_theme_repair_matches_the_installed_material():
    """The golden check: material's own partials still hold the markup internals.py repairs."""
    version = metadata.version("mkdocs-material")
    for name, (wrong, _) in internals.REPAIRS.items():
        source = (files("material") / "templates" / name).read_text(encoding="utf-8")
        assert wrong in source, f"mkdocs-material {version} changed {name}: update internals.REPAIRS"


def test_a_repair_that_no_longer_matches_warns(caplog):
    material_file = "/site-packages/material/templates/partials/search.html"
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.briefing.internals"):
        assert internals.repair(internals.SEARCH, "<div>changed</div>", material_file) == "<div>changed</div>"
        internals.repair(internals.SEARCH, "<div>a site's own</div>", "/site/overrides/partials/search.html")
    levels = [record.levelno for record in caplog.records]
    assert levels == [logging.WARNING, logging.INFO]
    assert "changed partials/search.html" in caplog.records[0].getMessage()


def test_only_internals_py_reaches_into_other_packages():
    """A private name of another package (``module._x``) appears in internals.py alone."""
    import re

    private = re.compile(r"\b(?:localedata|search_index|server|File|Locale)\._[a-z]|\bis_modified\s*=|\.observer\s*=")
    package = Path(internals.__file__).parent
    for path in package.glob("*.py"):
        if path.name != "internals.py":
            assert not private.search(path.read_text()), f"{path.name} touches another package's internals"
