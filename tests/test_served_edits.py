"""Saves served without MkDocs' whole build (served_edits.py) leave the site a clean build's.

`mkdocs serve --dirty` is set up here as MkDocs' serve command sets it up -- the first build,
the server's watches, the plugins' ``on_serve`` -- with MkDocs' own live-reload server, not
started: each save is written, inotify reports it, and the server's builder runs as its build
loop would run it. The site folder must then hold a clean build's files, byte for byte.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from test_preview import Content, apply, assert_same_site, edits, starting_content, write

from briefing import text_checks
from conftest import run_mkdocs, write_tree

SOURCES = {"hill": "Hill", "reuters": "Reuters", "times": "Times"}


class SourcedContent(Content):
    """The preview test's content, with a file for each source: a claim that names a source no
    file defines is never served (edits.py), and these claims should be."""

    def files(self) -> dict[str, str]:
        return super().files() | {f"content/sources/{k}.md": f"---\nname: {v}\n---\n" for k, v in SOURCES.items()}


def sourced(content: Content) -> SourcedContent:
    return SourcedContent(**vars(content))


class Served:
    """`mkdocs serve --dirty` in this process: its first build, its watches, its builder."""

    def __init__(self, project: Path):
        self.project = project
        self.site = project / "served-site"
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.whole_builds = 0

        def builder(config=None):
            self.whole_builds += 1
            build(config or self.config(), dirty=True)

        builder(config)
        self.server = LiveReloadServer(builder=builder, host="127.0.0.1", port=0, root=str(self.site))
        self.server.watch(config.docs_dir)
        self.server.watch(config.config_file_path)
        self.server = config.plugins.on_serve(self.server, config=config, builder=builder)
        self.plugin = config.plugins["briefing"]
        self.whole_builds = 0

    def config(self):
        return load_config(config_file=str(self.project / "mkdocs.yml"), site_dir=str(self.site))

    def save(self) -> None:
        """After files were written: inotify's report, then the builder, as the server runs it."""
        time.sleep(0.15)  # inotify's events reach the observer's thread
        self.server.builder()

    def close(self) -> None:
        self.plugin.on_shutdown()
        self.server.observer.stop()


def clean_build_equals(project: Path, site: Path) -> None:
    # In a process of its own: in this one, MkDocs would hand it the served plugin instance.
    clean = run_mkdocs(project, separate_process=True)
    assert clean.returncode == 0, clean.log
    assert_same_site(site, clean.site)


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "4")),
    derandomize=bool(os.environ.get("CI")) or "HYPOTHESIS_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(edits)
def test_served_saves_leave_a_clean_build(sequence):
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        content = sourced(starting_content())
        write(project, content)
        served = Served(project)
        try:
            for edit in sequence:
                apply(content, edit)
                write(project, content)
                served.save()
        finally:
            served.close()
        clean_build_equals(project, served.site)


def test_a_claim_edited_is_served_and_a_config_edit_built(tmp_path, caplog):
    """The common save, a claim's wording or status, is served without MkDocs' build; an edit
    to mkdocs.yml goes through it. Either way the site is a clean build's."""
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
    content = sourced(starting_content())
    write(tmp_path, content)
    served = Served(tmp_path)
    try:
        content.entries["e3"]["claim"] = "An edited claim."
        content.entries["e1"]["status"] = "paused"
        write(tmp_path, content)
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.briefing.served_edits"):
            served.save()
        assert served.whole_builds == 0
        assert any("Served the save" in r.getMessage() for r in caplog.records)
        # The other texts' findings stay kept for MkDocs' next build (text_checks.py).
        assert len(text_checks._last_found[1]) > len(content.entries)
        rule_page = (served.site / "rules/bank/index.html").read_text()
        assert "An edited claim." in rule_page
        clean_build_equals(tmp_path, served.site)

        content.window = 400
        write(tmp_path, content)
        served.save()
        assert served.whole_builds == 1
        clean_build_equals(tmp_path, served.site)

        content.entries["e2"]["claim"] = "Served again after a whole build."
        write(tmp_path, content)
        served.save()
        assert served.whole_builds == 1
        clean_build_equals(tmp_path, served.site)
    finally:
        served.close()


def test_a_new_file_and_a_polled_folder_go_through_mkdocs_build(tmp_path):
    """A new claim adds a page: MkDocs' build makes it, and the nav and sitemap with it."""
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
    content = sourced(starting_content())
    write(tmp_path, content)
    served = Served(tmp_path)
    try:
        write_tree(tmp_path, {"content/entries/fresh.md": "---\ndate: 2016\nsource: Hill\nrule: bank\nclaim: New.\n---\n"})
        served.save()
        assert served.whole_builds == 1
        assert (served.site / "entries/fresh/index.html").exists()
    finally:
        served.close()


def test_a_claim_turned_into_a_link_out_of_the_project_is_not_served(tmp_path):
    """A save that makes a claim's file a link to a file outside the project goes to MkDocs'
    build, which leaves it out and says so: a served save reads only what a build would."""
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ndate: 2016\nsource: Hill\nrule: bank\nclaim: Secret outside.\n---\n")
    project = tmp_path / "project"
    content = sourced(starting_content())
    write(project, content)
    served = Served(project)
    assert served.plugin.served.stamps is not None  # saves can be served from this build
    try:
        (project / "content/entries/e2.md").unlink()
        (project / "content/entries/e2.md").symlink_to(outside / "secret.md")
        served.save()
        assert served.whole_builds == 1
        assert "Secret outside." not in (served.site / "rules/bank/index.html").read_text()
        assert not (served.site / "entries/e2/index.html").exists()
    finally:
        served.close()
