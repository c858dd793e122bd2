"""Rendering ahead (render_workers.py): worker processes render the generated pages while MkDocs
converts the writers' Markdown. With workers or without, a build writes the same site."""

from __future__ import annotations

import gzip
import re
import shutil
import threading
import time
from pathlib import Path

from briefing import reader
from briefing.render_workers import RenderAhead
from conftest import entry, run_mkdocs, write_tree

CONFIG = """\
site_name: Ahead
site_url: https://example.org/ahead/
docs_dir: content
theme:
  name: material
markdown_extensions:
  - toc:
      permalink: true
plugins:
  - search
  - briefing:
      split_above: 4
      concurrency: {workers}
"""

# Every kind of generated page and file, and the pages the workers cannot finish alone.
CONTENT = {
    "content/index.md": "# Home\n\n<!-- briefing:state-of-play -->\n",
    "content/rules/bank.md": "---\ntitle: Bank rule\n---\nThe writer's text about the bank rule, with a [[tax]] link.\n",
    "content/sources/hill.md": "---\nname: The Hill\n---\nA newspaper.\n",
    "content/entries/a.md": entry("2014-05-02", "Hill", "bank", "Paused.", status="paused"),
    "content/entries/b.md": entry("2015", "Hill", "[bank, tax]", "Month unknown.", status="adopted"),
    "content/entries/c.md": entry("2015-03", "Reuters", "tax", "In March.", contradicts="[b]"),
    "content/entries/d.md": entry("2016-01-09", "Reuters", "bank", "Resumed.", status="resumed"),
    # The writer's heading takes the id of our heading below it: this page is rendered again.
    "content/entries/e.md": entry("2016-02", "Hill", "bank", "Headings.", body="## On the same rule\n\nText."),
    # A block in an entry's own text: filled in with the text, as on any page (Renderer.fill).
    "content/entries/f.md": entry("2016-03", "Hill", "tax", "Block.", body="<!-- briefing:state-of-play -->"),
}


def build(tmp_path: Path, workers: int) -> tuple[Path, str]:
    project = tmp_path / f"workers-{workers}"
    write_tree(project, {"mkdocs.yml": CONFIG.format(workers=workers), **CONTENT})
    result = run_mkdocs(project, "--strict", "--verbose", separate_process=True)
    assert result.returncode == 0, result.log
    return result.site, result.log


def site_files(site: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        files[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return files


def test_workers_write_the_same_site_as_the_build_alone(tmp_path: Path) -> None:
    with_workers, log = build(tmp_path, workers=2)
    alone, log_alone = build(tmp_path, workers=0)

    ahead = site_files(with_workers)
    assert ahead.keys() == site_files(alone).keys()
    assert [name for name, data in ahead.items() if data != site_files(alone)[name]] == []

    # The workers made every generated page and file but those the build took over before they
    # began them, and the one whose heading id the writer took (above); without workers, none.
    used = re.search(r"Rendered ahead by 2 workers: (\d+) of (\d+) pages and files \((\d+) taken over by the build\)", log)
    assert used, log
    pages = sum(1 for name in ahead if name.endswith(".html")) - 2  # 404 and the writer's home page
    feeds_and_data = sum(1 for name in ahead if name.endswith((".xml", ".json")) and "search" not in name) - 1
    made, jobs, taken_over = map(int, used.groups())
    assert jobs == pages + feeds_and_data and made + taken_over == jobs - 1
    assert "Rendered ahead" not in log_alone
    # `build --dirty` skips the pages it finds unchanged: workers would render them for nothing.
    dirty = run_mkdocs(tmp_path / "workers-2", "--dirty", "--verbose", separate_process=True)  # not strict: MkDocs warns
    assert dirty.returncode == 0 and "A 'dirty' build" in dirty.log, dirty.log
    assert "Rendered ahead" not in dirty.log

    # The two pages rendered again are right: the writer's heading kept its id, and ours moved.
    e_page = (with_workers / "entries/e/index.html").read_text(encoding="utf-8")
    assert 'id="on-the-same-rule"' in e_page and 'id="on-the-same-rule_1"' in e_page
    assert "briefing-state-of-play" in (with_workers / "entries/f/index.html").read_text(encoding="utf-8")


def test_a_job_a_worker_fails_on_is_left_to_the_build() -> None:
    def make(key: int) -> str:
        if key == 3:
            raise ValueError("only in the worker, say")
        return f"page {key}"

    ahead = RenderAhead(list(range(6)), make, workers=2)
    try:
        assert ahead.workers == 2
        time.sleep(0.5)  # the workers have begun every job: none is taken over
        assert [ahead.take(key) for key in range(6)] == ["page 0", "page 1", "page 2", None, "page 4", "page 5"]
        assert ahead.take(7) is None  # no such job
    finally:
        ahead.close()


def test_results_wait_in_the_workers_pipes_not_in_the_build() -> None:
    # Taking all that was ready, a 100,000-entry build held most of its pages' HTML twice.
    # The build holds what it took ahead up to a budget in bytes (a result's pickle is ~2 KB).
    budget = 200 * 2000
    jobs = list(range(2000))
    ahead = RenderAhead(jobs, lambda key: f"{key:>2000}", workers=2, ahead_bytes=budget)
    try:
        time.sleep(0.5)  # the workers run ahead as far as their pipes hold
        held = []
        for key in jobs:
            assert ahead.take(key) in (f"{key:>2000}", None)  # None: not begun, so taken over
            held.append(len(ahead._results))
        # At most one result's worth past the budget; and most results came from the workers.
        assert 150 <= max(held) <= 202 and ahead.used + ahead.taken_over == len(jobs) and ahead.used > 1000
    finally:
        ahead.close()


def test_the_build_takes_over_the_jobs_a_worker_has_not_begun() -> None:
    # At the start of a build both begin on the first pages, and a worker can fall behind: the
    # build does not wait for a job its worker has not begun; it does it, and the worker skips it.
    def slow(key: int) -> str:
        time.sleep(0.05)
        return f"page {key}"

    start = time.perf_counter()
    ahead = RenderAhead(list(range(40)), slow, workers=1)
    try:
        made = [ahead.take(key) or f"page {key}" for key in range(40)]  # None: the build makes it
        assert made == [f"page {key}" for key in range(40)]
        assert ahead.taken_over >= 20 and ahead.used + ahead.taken_over == 40
        assert time.perf_counter() - start < 1.0  # waiting for the worker would take 2 s
    finally:
        ahead.close()


def test_no_worker_is_forked_beside_another_thread() -> None:
    # `mkdocs serve --clean` builds with its server's threads running: a fork there could copy
    # a lock another thread holds, so the build renders everything itself.
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        ahead = RenderAhead([1, 2], str, workers=1)
        assert ahead.workers == 0 and ahead.take(1) is None
    finally:
        stop.set()
        thread.join()
    ahead = RenderAhead([1, 2], str, workers=1)
    assert ahead.workers == 1 and ahead.take(1) in ("1", None)  # None: taken over, not begun yet
    ahead.close()


def test_files_parsed_ahead_read_the_same_as_parsed_here(tmp_path: Path, monkeypatch) -> None:
    # `briefing check` at 100,000 entries spends most of its time parsing: workers parse a
    # share of the files (reader.ParseAhead). What they give must be what this process would
    # read, down to every problem and its order, for good files and bad ones alike.
    bad = {
        "content/entries/broken.md": "---\ndate: [2015\n---\n",
        "content/entries/unknown.md": entry("2015-04", "Hill", "bank", "Typo.", staus="paused"),
        "content/entries/sub/a.md": entry("2015-05", "Hill", "bank", "Same id as entries/a.md."),
        "content/entries/latin1.md": "---\ndate: 2015\nclaim: caf\xe9\n---\n",
        "content/entries/no-front-matter.md": "Just text.\n",
        "content/rules/index.md": "# Rules\n",
        "content/rules/nested/deep.md": "---\ntitle: Not a rule\n---\n",
        "content/rules/untitled.md": "---\nsummary: no title\n---\n",
        "content/sources/nameless.md": "---\nurl: https://example.org/\n---\n",
    }
    write_tree(tmp_path, {**CONTENT, **{k: v for k, v in bad.items() if "latin1" not in k}})
    (tmp_path / "content/entries/latin1.md").write_bytes(bad["content/entries/latin1.md"].encode("latin-1"))
    monkeypatch.setattr(reader, "PARSE_AHEAD_FROM", 1)
    # The workers finish before the first file is asked for, so that none is taken over (which
    # would make the counts below vary) and every result they give is compared.
    take = RenderAhead.take

    def take_late(self: RenderAhead, key: object) -> object:
        if not getattr(self, "waited", False):
            self.waited = True
            time.sleep(0.5)
        return take(self, key)

    monkeypatch.setattr(RenderAhead, "take", take_late)
    statuses = ("paused", "adopted", "resumed")

    def read(workers: int) -> reader.Content:
        return reader.read_content(str(tmp_path / "content"), "content", statuses, workers=workers)

    here, ahead = read(0), read(2)
    files = len(reader.markdown_files(str(tmp_path / "content"))) - 3  # not the two index.md, nor nested/
    assert here.parsed_ahead == 0 and files // 2 <= ahead.parsed_ahead < files  # every third file is ours
    assert ahead == here
    assert len(here.problems) >= 6 and len(here.entries) == 7  # a-f, and the one with an unknown field
    # A preview's cache keeps what the workers parsed, with the files' stamps from before reading.
    cache = reader.DocumentCache()
    cached = reader.read_content(str(tmp_path / "content"), "content", statuses, cache, workers=2)
    assert cached == here and cached.parsed_ahead == ahead.parsed_ahead and len(cache) == files - 1  # not sub/a.md
    # `briefing diff`'s cache knows files by shown path and bytes: a copy elsewhere (the base's
    # checkout) is parsed again only where it differs, whoever parsed it first.
    by_bytes = reader.DocumentCache(by_content=True)
    first = reader.read_content(str(tmp_path / "content"), "content", statuses, by_bytes, workers=2)
    assert first == here and first.parsed_ahead == ahead.parsed_ahead
    base = tmp_path / "base"
    shutil.copytree(tmp_path / "content", base / "content")
    (base / "content/entries/a.md").write_text(entry("2014-05-02", "Hill", "bank", "Paused, at the base.", status="paused"))
    docs = {}
    for root in (tmp_path, base):
        for shown in ("content/entries/b.md", "content/entries/a.md"):
            docs[root, shown] = by_bytes.read(str(root / shown), shown)
    assert docs[tmp_path, "content/entries/b.md"] is docs[base, "content/entries/b.md"]
    assert docs[base, "content/entries/a.md"].meta["claim"] == "Paused, at the base."
