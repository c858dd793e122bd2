"""Live preview: after any sequence of edits, `mkdocs serve --dirty` shows a clean build.

The preview is rebuilt in this process exactly as `mkdocs serve --dirty` rebuilds it (the
configuration loaded again for each rebuild, plugins with ``on_startup`` kept), into one site
folder; then a clean `mkdocs build` of the same content runs in a fresh process, and the two
folders must hold the same files, byte for byte: pages, feeds, JSON, sitemap, search index.
Hypothesis picks the edits: claims, statuses, dates across years, entries added and deleted, a
rule retitled or its file deleted, a contradiction, an entry broken and fixed, mkdocs.yml edited,
a writer's own page retitled or deleted.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import tempfile
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import run_mkdocs, write_tree

OPTIONS = "      split_above: {split}\n      dispute_window_days: {window}\n"
CONFIG = """\
site_name: Preview
site_url: https://example.org/p/
docs_dir: content
theme:
  name: material
plugins:
  - search
  - briefing:
{options}"""
STATUSES = ["paused", "adopted", "in-force", None]


@dataclass
class Content:
    """The content tree as the edits leave it."""

    entries: dict[str, dict] = field(default_factory=dict)
    rule_titles: dict[str, str] = field(default_factory=lambda: {"bank": "Bank rules", "law": "The law"})
    broken: set[str] = field(default_factory=set)
    about: str | None = "About"  # a writer's own page in the nav, by its title; None: deleted
    split: int = 500
    window: int = 30

    def files(self) -> dict[str, str]:
        out = {"content/index.md": "# Home\n\nSee [[bank]].\n"}
        if self.about is not None:
            # With the state of play: a writer's page that shows every rule's status.
            out["content/about.md"] = f"# {self.about}\n\nA page of the writers' own.\n\n<!-- briefing:state-of-play -->\n"
        out["mkdocs.yml"] = CONFIG.format(options=OPTIONS.format(split=self.split, window=self.window))
        for rule_id, title in self.rule_titles.items():
            out[f"content/rules/{rule_id}.md"] = f"---\ntitle: {title}\n---\nAbout {title}.\n"
        for entry_id, e in self.entries.items():
            lines = [f"date: {e['date']}", f"source: {e['source']}", f"rule: {e['rule']}", f"claim: {e['claim']}"]
            if e.get("status"):
                lines.append(f"status: {e['status']}")
            if e.get("contradicts"):
                lines.append(f"contradicts: {e['contradicts']}")
            if e.get("after"):
                lines.append(f"after: {e['after']}")
            if entry_id in self.broken:
                lines[0] = "date: 2015-02-30"
            out[f"content/entries/{entry_id}.md"] = "---\n" + "\n".join(lines) + f"\n---\nBody of {entry_id}.\n"
        return out


def starting_content() -> Content:
    content = Content()
    for n, (date, source, rule, status) in enumerate([
        ("2014-11", "Hill", "bank", "paused"), ("2015-01-10", "Reuters", "bank", "adopted"),
        ("2015-02", "Hill", "law", None), ("2015-04-13", "Times", "bank", "paused"),
        ("2016", "Reuters", "law", "in-force"), ("2016-03-01", "Hill", "bank", None),
    ]):  # fmt: skip
        content.entries[f"e{n}"] = {"date": date, "source": source, "rule": rule, "claim": f"Claim {n}.", "status": status}
    return content


edits = st.lists(st.one_of(
    st.tuples(st.just("claim"), st.integers(0, 20), st.text("abc xyz", min_size=1, max_size=12)),
    st.tuples(st.just("status"), st.integers(0, 20), st.sampled_from(STATUSES)),
    st.tuples(st.just("year"), st.integers(0, 20), st.sampled_from(["2013", "2015-06", "2017-01-02"])),
    st.tuples(st.just("add"), st.integers(0, 20), st.sampled_from(["bank", "law", "New rule"])),
    st.tuples(st.just("delete"), st.integers(0, 20), st.none()),
    st.tuples(st.just("retitle"), st.sampled_from(["bank", "law"]), st.text("ABC def", min_size=1, max_size=10)),
    st.tuples(st.just("contradicts"), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("after"), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("break"), st.integers(0, 20), st.none()),
    st.tuples(st.just("config"), st.sampled_from([2, 500]), st.sampled_from([10, 30, 400])),
    st.tuples(st.just("page"), st.sampled_from(["About us", "Background", None]), st.none()),
    st.tuples(st.just("drop rule file"), st.sampled_from(["bank", "law"]), st.none()),
), min_size=1, max_size=6)  # fmt: skip


def apply(content: Content, edit: tuple) -> None:
    kind, a, b = edit
    ids = sorted(content.entries)
    pick = ids[a % len(ids)] if ids and isinstance(a, int) else None
    if kind == "add":
        content.entries[f"new{len(content.entries)}-{a}"] = {
            "date": "2015-05", "source": "Hill", "rule": b, "claim": f"Added {a}.", "status": "paused",
        }  # fmt: skip
    elif kind == "retitle":
        content.rule_titles[a] = b.strip() or "Untitled"
    elif kind == "config":
        content.split, content.window = a, b
    elif kind == "page":
        content.about = a
    elif kind == "drop rule file":  # entries still name it: it becomes a rule no file defines
        content.rule_titles.pop(a, None)
    elif pick is None:
        return
    elif kind == "claim":
        content.entries[pick]["claim"] = b.strip() or "Empty."
        content.broken.discard(pick)  # an edit fixes a broken entry
    elif kind == "status":
        content.entries[pick]["status"] = b
    elif kind == "year":
        content.entries[pick]["date"] = b
    elif kind == "delete":
        del content.entries[pick]
        content.broken.discard(pick)
        for other in content.entries.values():
            for key in ("contradicts", "after"):
                if other.get(key) == pick:
                    other[key] = None
    elif kind in ("contradicts", "after"):  # an after: that cannot hold is reported, not built
        other = ids[b % len(ids)]
        if other != pick:
            content.entries[pick][kind] = other
    elif kind == "break":
        content.broken.add(pick)


def write(project: Path, content: Content) -> None:
    """Write what changed, delete what went, leave the rest untouched (as a writer's saves)."""
    files = content.files()
    for path in (project / "content").rglob("*.md") if (project / "content").exists() else ():
        if str(path.relative_to(project)) not in files:
            path.unlink()
    write_tree(project, {
        rel: text for rel, text in files.items()
        if not (project / rel).exists() or (project / rel).read_text() != text
    })  # fmt: skip


class Preview:
    """Rebuilds as `mkdocs serve --dirty` does, in this process, into one folder."""

    def __init__(self, project: Path):
        self.project = project
        self.site = project / "preview-site"
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)

    def config(self):
        return load_config(config_file=str(self.project / "mkdocs.yml"), site_dir=str(self.site))

    def rebuild(self) -> None:
        build(self.config(), dirty=True)


def html_page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*") if p.is_file() and p.name != "sitemap.xml.gz"  # gzip stores a time
    }  # fmt: skip


def assert_same_site(preview: Path, clean: Path) -> None:
    shown, built = tree(preview), tree(clean)
    assert sorted(shown) == sorted(built)
    differing = sorted(path for path in built if shown[path] != built[path])
    assert differing == [], differing


@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "4")),
    derandomize=bool(os.environ.get("CI")) or "HYPOTHESIS_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a build sequence takes many minutes
)
@given(edits)
def test_the_preview_equals_a_clean_build_after_any_edits(sequence):
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"  # the sitemap's dates, in both builds
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the dirty build's warning, each time
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        content = starting_content()
        write(project, content)
        preview = Preview(project)
        for edit in sequence:
            time.sleep(0.01)  # a new modification time, as between two saves
            apply(content, edit)
            write(project, content)
            preview.rebuild()
        clean = run_mkdocs(project)
        assert clean.returncode == 0, clean.log
        assert_same_site(preview.site, clean.site)


def test_an_edit_to_one_claim_rebuilds_only_the_pages_that_show_it(tmp_path):
    """The preview is fast because it rebuilds little: an edited claim remakes its own page,
    the pages next to it and the lists it is on, not every entry's page."""
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    content = starting_content()
    for n in range(20):  # more claims on the law, far from e3 on the bank rules
        content.entries[f"law{n:02d}"] = {"date": f"2010-01-{n + 1:02d}", "source": "Wire", "rule": "law", "claim": f"Law {n}."}
    write(tmp_path, content)
    preview = Preview(tmp_path)
    time.sleep(0.01)
    content.entries["e3"]["claim"] = "An edited claim."
    write_tree(tmp_path, {"content/entries/e3.md": content.files()["content/entries/e3.md"]})  # one save
    config = preview.config()
    build(config, dirty=True)
    rebuilt = config.plugins["briefing"].preview.rebuilt
    # e3 is on the bank rules between e1 and e5, from the Times, dated 2015.
    for page in ("entries/e3.md", "entries/e1.md", "entries/e5.md", "rules/bank.md", "sources/times.md",
                 "timeline/index.md", "feed.xml", "entries.json", "rules/bank/feed.xml"):
        assert page in rebuilt, (page, sorted(rebuilt))
    # Nor the rules index: a claim's wording is not among the status, date and count it shows.
    for page in ("entries/e2.md", "entries/law05.md", "rules/law.md", "sources/wire.md", "index.md",
                 "rules/law/feed.xml", "rules/index.md", "sources/index.md"):
        assert page not in rebuilt, (page, sorted(rebuilt))
    assert "An edited claim." in (preview.site / "rules/bank/index.html").read_text()


def test_an_after_chain_through_another_rule_decides_neighbours_there(tmp_path):
    """Two bank claims of 2015 are in a known order only through a claim on the law: b comes
    after m (law), which comes after a. The preview keeps each rule's neighbours between saves
    (page_inputs.neighbour_key); when m comes after z instead (as long a chain, so no bank
    claim's place or fields change), b's page on the bank rules must change too."""
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    content = Content()
    content.entries["a"] = {"date": "2015", "source": "Hill", "rule": "bank", "claim": "First."}
    content.entries["b"] = {"date": "2015", "source": "Hill", "rule": "bank", "claim": "Second.", "after": "m"}
    content.entries["m"] = {"date": "2015", "source": "Wire", "rule": "law", "claim": "Between.", "after": "a"}
    content.entries["z"] = {"date": "2015", "source": "Wire", "rule": "law", "claim": "Other."}
    write(tmp_path, content)
    preview = Preview(tmp_path)
    before = html_page(preview.site / "entries/b/index.html")
    assert before.select(".briefing-neighbours"), "b's page names the claim before it on the bank rules"
    time.sleep(0.01)
    content.entries["m"]["after"] = "z"
    write(tmp_path, content)
    preview.rebuild()
    clean = run_mkdocs(tmp_path)
    assert clean.returncode == 0, clean.log
    assert_same_site(preview.site, clean.site)
    assert html_page(preview.site / "entries/b/index.html").select_one(".briefing-neighbours") != before.select_one(".briefing-neighbours")


def test_entries_json_follows_a_new_site_url(tmp_path):
    """entries.json's lines are kept between rebuilds (feeds.py): by what the claim shows and
    the site's address, which each line's URL starts with."""
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    content = starting_content()
    write(tmp_path, content)
    preview = Preview(tmp_path)  # its first build's data files are made in a worker process
    time.sleep(0.01)
    content.entries["e0"]["claim"] = "Edited."
    write(tmp_path, content)
    preview.rebuild()  # this one's in this process, which keeps their lines
    config = tmp_path / "mkdocs.yml"
    time.sleep(0.01)
    config.write_text(config.read_text().replace("https://example.org/p/", "https://news.example.com/b/"))
    preview.rebuild()
    data = json.loads((preview.site / "entries.json").read_text(encoding="utf-8"))
    assert {e["url"] for e in data["entries"]} == {f"https://news.example.com/b/entries/e{n}/" for n in range(6)}
    clean = run_mkdocs(tmp_path)
    assert clean.returncode == 0, clean.log
    assert_same_site(preview.site, clean.site)


def test_a_served_build_is_let_go_before_the_next_save(tmp_path, monkeypatch):
    """Collection is off during a rebuild (DeferredCollection), so whatever of the previous
    build is still held then lives beside the new one: at 100,000 entries that was gigabytes.
    The last build is kept to serve saves from (served_edits.py), and let go before MkDocs'
    next build; the one before it is garbage, freed by the collection that follows."""
    import briefing.plugin

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    write(tmp_path, starting_content())
    made: list[weakref.ref] = []
    open_site = briefing.plugin.open_site

    def remembered(*args, **kwargs):
        site, problems = open_site(*args, **kwargs)
        made.append(weakref.ref(site))
        return site, problems

    monkeypatch.setattr(briefing.plugin, "open_site", remembered)
    preview = Preview(tmp_path)
    preview.rebuild()
    gc.collect()  # what DeferredCollection does once a rebuild is served
    assert len(made) == 2 and made[0]() is None and made[1]() is not None
    plugin = preview.config().plugins["briefing"]
    plugin.let_go()  # what ServedEdits does before MkDocs' build
    gc.collect()
    assert made[1]() is None


def test_a_build_lets_go_of_what_it_has_written(tmp_path):
    """MkDocs holds every page's text and every generated file's content until its build ends:
    at 100,000 entries, our pages' HTML and our feeds and JSON were hundreds of megabytes at
    the build's peak. Ours are let go once written, and the site is the same (the other tests
    here compare it with a clean build, page titles in the nav included)."""
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    write(tmp_path, starting_content())
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` (one instance per process)
    build(config)
    plugin = config.plugins["briefing"]
    ours = [f for f in plugin.files if f.page is not None and f.src_uri in plugin.site.pages]
    assert len(ours) > 10 and all(f.page.content is None and f.page.title for f in ours)
    assert {f.page.title for f in ours if f.src_uri.startswith("rules/")} >= {"Bank rules", "The law"}
    data = [plugin.files.src_uris[src_uri] for src_uri in plugin.site.data_files]
    assert {"feed.xml", "entries.json"} <= {f.src_uri for f in data}
    for file in data:  # written into the site when made; MkDocs' copy holds no content
        assert vars(file).get("_content") is None and file.abs_src_path == file.abs_dest_path
    entries = json.loads((tmp_path / "site" / "entries.json").read_text(encoding="utf-8"))
    assert len(entries["entries"]) == 6
