"""The scale benchmark (`make bench`): the briefing plugin against the floor, in one run.

For each size it generates a synthetic briefing (tests/synthetic.py) and builds it three ways,
alternately so that all see the same machine state:

- **plugin**: material theme, search, briefing (its generated nav), as a site builds it: with
  the default ``concurrency``, worker processes rendering our pages beside MkDocs (render_workers.py);
- **in one process**: the same with ``concurrency: 0``;
- **floor**: the same Markdown files, material theme, search, no briefing plugin, a one-page
  nav -- the least any MkDocs site with these files costs.

It reports wall time and the plugin/floor ratio, the same ratio in CPU time (user + system,
which the disk's and the VM's moods move less than wall time; the workers' included), each
build's peak resident memory (from ``wait4``: the largest of the build's and its workers'), the
largest HTML page, and ``briefing check``'s times (the first run, and again with the front-matter
the first kept: front_matter_store.py) and ``briefing diff``'s. Then it measures
live preview at 10,000 entries: the time from saving an edit of one entry's claim until
``mkdocs serve --dirty`` (as ``make serve`` runs it) serves it on the entry's page and on its
rule's page, against a full build of the same size measured in the same run (the target: a
tenth of it), the server's peak memory, and how long its first build took to serve a page.

Not a timed test: CI runs the suite, where tests/test_bench.py runs this code on 50 entries.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate  # noqa: E402  (tests/ is not a package)

BIN = Path(sys.executable).parent
HUNDRED_K = 100_000  # the optional row (--with-100k)
# git as the bench commits its synthetic repositories. No automatic gc: committing 100,000
# files starts a background repack (git gc --auto) that would run beside what is being timed;
# a real repository has its objects packed.
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "gc.auto=0"]
# Both sides share everything but the plugin and the nav.
COMMON_YML = """\
site_url: https://example.org/
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - search
"""
PLUGIN_YML = "site_name: Synthetic briefing\n" + COMMON_YML + "  - briefing\n"
# The same site with every page rendered in the build's own process (no workers: render_workers.py).
ALONE_YML = "site_name: Synthetic briefing\n" + COMMON_YML + "  - briefing:\n      concurrency: 0\n"
FLOOR_YML = "site_name: Synthetic floor\n" + COMMON_YML + 'nav:\n  - index.md\nnot_in_nav: "*.md"\n'


@dataclass
class Run:
    """One ``mkdocs build``: how long, how much memory, how large its largest page."""

    seconds: float
    cpu_seconds: float  # user + system, the child's own
    peak_mb: float
    largest_page_kb: float
    largest_page: str
    pages: int


def build(project: Path, config: str = "mkdocs.yml") -> Run:
    """Build ``project`` in a child process and measure that child (with the workers it waits
    for: ``wait4`` counts their CPU time, and the largest of their peak memories)."""
    site = project / "site"
    shutil.rmtree(site, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    with open(project / "build.log", "w") as log:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", config, "--site-dir", str(site)],
            cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        # wait4 gives this child's own rusage; RUSAGE_CHILDREN would be the max over all of them.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed in {project}: see {project / 'build.log'}")
    pages = list(site.rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    return Run(
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_mb=usage.ru_maxrss / 1024,  # kilobytes on Linux
        largest_page_kb=largest.stat().st_size / 1024,
        largest_page="/" + largest.relative_to(site).parent.as_posix().strip(".") + "/",
        pages=len(pages),
    )


def time_check(project: Path) -> tuple[float, float]:
    """``briefing check``'s seconds the first time (nothing kept from an earlier run) and again
    (the front-matter kept by the first: front_matter_store.py)."""
    seconds = []
    for _ in range(2):
        start = time.perf_counter()
        subprocess.run([str(BIN / "briefing"), "check"], cwd=project, check=True, capture_output=True)
        seconds.append(time.perf_counter() - start)
    return seconds[0], seconds[1]


def time_diff(project: Path) -> float:
    """``briefing diff`` against a commit of the same content with one claim edited since."""
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    (project / ".gitignore").write_text("site/\nbuild.log\n")  # as a site's repository has it
    subprocess.run([*GIT, "add", "-A"], cwd=project, check=True)
    subprocess.run([*GIT, "commit", "-qm", "bench"], cwd=project, check=True)
    entry = sorted((project / "content" / "entries").rglob("*.md"))[0]
    entry.write_text(entry.read_text(encoding="utf-8").replace("claim: ", "claim: Edited. ", 1), encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([str(BIN / "briefing"), "diff"], cwd=project, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=project, check=True)
    shutil.rmtree(project / ".git")
    (project / ".gitignore").unlink()
    return seconds


def history_cost(project: Path) -> tuple[int, float, float]:
    """How many git processes one build starts, and its time in a git work tree against the
    same content outside one. The git on PATH is a shim that logs each call and hands over to
    the real one, so the count covers whatever the build runs (the plugin, MkDocs, themes)."""
    outside = build(project).seconds
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    (project / ".gitignore").write_text("site/\nbuild.log\ncalls\nshim/\n")
    subprocess.run([*GIT, "add", "-A"], cwd=project, check=True)
    subprocess.run([*GIT, "commit", "-qm", "bench"], cwd=project, check=True)
    shim = project / "shim"
    shim.mkdir(exist_ok=True)
    real = shutil.which("git")
    (shim / "git").write_text(f'#!/bin/sh\necho call >> "{project}/calls"\nexec "{real}" "$@"\n')
    (shim / "git").chmod(0o755)
    path = os.environ["PATH"]
    os.environ["PATH"] = f"{shim}{os.pathsep}{path}"
    try:
        inside = build(project).seconds
    finally:
        os.environ["PATH"] = path
    calls = (project / "calls").read_text().count("call")
    for leftover in (project / ".git", shim):
        shutil.rmtree(leftover)
    for leftover in (project / ".gitignore", project / "calls"):
        leftover.unlink()
    return calls, inside, outside


def engines(project: Path) -> dict[str, float]:
    """The same briefing on other engines: ``briefing export`` and the export's builds."""
    out = project.parent / f"{project.name}-export"
    times = {}
    start = time.perf_counter()
    subprocess.run([str(BIN / "briefing"), "export", str(out)], cwd=project, check=True, capture_output=True)
    times["export"] = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([str(BIN / "zensical"), "build"], cwd=out, check=True, capture_output=True)
    times["zensical"] = time.perf_counter() - start
    times["mkdocs"] = build(out).seconds
    return times


def make_projects(root: Path, entries: int, shape: str = "sparse") -> tuple[Path, Path]:
    """The same synthetic content twice: with the plugin, and as the floor."""
    plugin, floor = root / f"plugin-{shape}-{entries}", root / f"floor-{shape}-{entries}"
    generate(plugin, entries, shape=shape)
    (plugin / "mkdocs.yml").write_text(PLUGIN_YML)
    (plugin / "mkdocs-alone.yml").write_text(ALONE_YML)
    shutil.copytree(plugin / "content", floor / "content")
    (floor / "mkdocs.yml").write_text(FLOOR_YML)
    return plugin, floor


# --- live preview ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 5) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, text: str, limit: float) -> float:
    """Poll ``url`` until it contains ``text``; the seconds that took."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        page = fetch(url)
        if page and text in page:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"{url} did not show {text!r} within {limit:.0f} s")


class PreviewServer:
    """``mkdocs serve --dirty`` (as ``make serve`` runs it) on one project, and a way to time
    one edit of one entry: from the save until every page given shows it."""

    def __init__(self, project: Path, entry_file: Path, url_paths: list[str]):
        self.entry_file, self.original = entry_file, entry_file.read_text()
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.urls = [f"{self.base}/{path}" for path in url_paths]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip

    def __enter__(self) -> PreviewServer:
        self.first_build_seconds = wait_for(self.urls[0], "<html", limit=3600)  # the first, full build (minutes at 100,000)
        return self

    def edit(self, number: int) -> float:
        """Seconds from saving an edit of the entry's claim to every page showing it.

        Waits as the page open in a browser does: MkDocs' livereload script asks the server
        for a newer build than the page's own, the server answers once one is served, and the
        page loads again. (Fetching the pages every 20 ms instead kept the server busy while
        it was about to rebuild, and put 0.1-0.3 s on every edit.)
        """
        token = f"Edited claim number {number} {time.time_ns()}"
        page = fetch(self.urls[0]) or ""
        found = re.search(r"livereload\((\d+), \d+\)", page)
        if not found:
            raise SystemExit(f"{self.urls[0]} has no livereload script")
        epoch = int(found[1])
        self.entry_file.write_text(re.sub(r"(?m)^claim: .*$", f"claim: {token}", self.original, count=1))
        start = time.perf_counter()
        while time.perf_counter() - start < 600:
            newer = fetch(f"{self.base}/livereload/{epoch}/{number}", timeout=120)  # a newer build
            if all(token in (fetch(url) or "") for url in self.urls):
                break
            epoch = int(newer) if newer and newer.isdigit() else epoch
        else:
            raise SystemExit(f"the preview did not show {token!r} within 600 s")
        seconds = time.perf_counter() - start
        time.sleep(1.0)  # let the server settle before the next save
        return seconds

    def peak_mb(self) -> float:
        """The server's peak memory so far (resident, from /proc: Linux, as this bench)."""
        with open(f"/proc/{self.server.pid}/status") as status:
            line = next(line for line in status if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    def __exit__(self, *exc: object) -> None:
        self.entry_file.write_text(self.original)
        self.server.terminate()
        self.server.wait(timeout=30)


def preview_latency(project: Path, edits: int = 5) -> tuple[float, float, float]:
    """Median seconds from saving an edit of one entry to its page and its rule's page showing
    it, the server's peak memory in MB, and the seconds until it first served the entry."""
    entry_file = next((project / "content" / "entries").rglob("entry-1.md"))
    rule = re.search(r"(?m)^rule: \[(rule-\d+)", entry_file.read_text())[1]
    with PreviewServer(project, entry_file, ["entries/entry-1/", f"rules/{rule}/"]) as server:
        seconds = statistics.median(server.edit(number) for number in range(edits))
        return seconds, server.peak_mb(), server.first_build_seconds


# --- the report --------------------------------------------------------------------------------


@dataclass
class Report:
    """What one run measured: per size (entries, plugin, floor, check seconds), and preview."""

    # shape, entries, plugin, floor, check seconds (the first run, and again: time_check)
    sizes: list[tuple[str, int, Run, Run, tuple[float, float]]]
    preview: tuple[float, float] | None  # (seconds from save to served pages, a full build's)
    diffs: dict[tuple[str, int], float] | None = None  # `briefing diff` seconds per shape and size
    engines: tuple[int, float, dict[str, float]] | None = None  # entries, plugin build, export's
    alone: dict[tuple[str, int], Run] | None = None  # the plugin's builds with no workers
    preview_peak_mb: float | None = None  # the preview server's peak memory
    preview_first_build: float | None = None  # seconds until the server first served a page
    # Feeds' dates from git (history.py): entries, git processes in one build, build seconds
    # with the history and without it (the same content outside git).
    history: tuple[int, int, float, float] | None = None


def main(argv: list[str] | None = None) -> Report:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--dense-sizes", type=int, nargs="*", default=[10000],
                        help="sizes of the dense shape (tests/synthetic.py: SHAPES) to build too")
    parser.add_argument("--rounds", type=int, default=3, help="plugin/floor pairs per size")
    parser.add_argument("--preview-size", type=int, default=10000, help="0 to skip the preview")
    parser.add_argument("--engines-size", type=int, default=3000,
                        help="entries to export and build with Zensical and plain MkDocs (0 to skip)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--with-100k", action="store_true",
                        help="add a 100,000-entry row: its builds, check, diff and live preview (about 40 minutes more)")
    args = parser.parse_args(argv)
    if args.with_100k:
        args.sizes.append(HUNDRED_K)

    root = args.keep or Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    # briefing check and diff keep parses in a cache folder: the bench's own, starting empty.
    os.environ["BRIEFING_CACHE_DIR"] = str(root / "cache")
    shutil.rmtree(root / "cache", ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; folder {root}")
    rows = []
    preview, preview_peak_mb, first_build = None, None, None
    diffs: dict[tuple[str, int], float] = {}
    alone: dict[tuple[str, int], Run] = {}
    engine_times = None
    history = None
    try:
        for shape, size in [*(("sparse", n) for n in args.sizes), *(("dense", n) for n in args.dense_sizes)]:
            plugin, floor = make_projects(root, size, shape)
            plugin_runs, alone_runs, floor_runs = [], [], []
            for _ in range(1 if size >= HUNDRED_K else args.rounds):  # minutes a build: once
                plugin_runs.append(build(plugin))
                alone_runs.append(build(plugin, "mkdocs-alone.yml"))
                floor_runs.append(build(floor))
            p = min(plugin_runs, key=lambda r: r.seconds)
            a = min(alone_runs, key=lambda r: r.seconds)
            f = min(floor_runs, key=lambda r: r.seconds)
            rows.append((shape, size, p, f, time_check(plugin)))
            alone[(shape, size)] = a
            diffs[(shape, size)] = time_diff(plugin)
            print(f"  {shape} {size} entries: plugin {p.seconds:.2f} s, in one process {a.seconds:.2f} s, "
                  f"floor {f.seconds:.2f} s", flush=True)

        print()
        print("| shape | entries | plugin build | floor build | plugin/floor | CPU plugin/floor "
              "| in one process | one process/floor "
              "| peak memory (plugin / floor) | largest page (plugin / floor) | pages | `briefing check` (first / again) "
              "| `briefing diff` |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for shape, size, p, f, check in rows:
            a = alone[(shape, size)]
            print(
                f"| {shape} | {size:,} | {p.seconds:.1f} s | {f.seconds:.1f} s | {p.seconds / f.seconds:.2f} "
                f"| {p.cpu_seconds / f.cpu_seconds:.2f} | {a.seconds:.1f} s | {a.seconds / f.seconds:.2f} "
                f"| {p.peak_mb:.0f} / {f.peak_mb:.0f} MB "
                f"| {p.largest_page_kb:.0f} KB (`{p.largest_page}`) / {f.largest_page_kb:.0f} KB "
                f"| {p.pages:,} | {check[0]:.2f} / {check[1]:.2f} s | {diffs[(shape, size)]:.2f} s |"
            )
        sparse = [row for row in rows if row[0] == "sparse"]
        below = [size for _, size, *_ in sparse if size < HUNDRED_K]  # two more builds at 100,000: minutes
        largest = max(below) if below else sparse[-1][1]
        calls, inside, outside = history_cost(root / f"plugin-sparse-{largest}")
        history = (largest, calls, inside, outside)
        print(f"\nFeeds' dates from git at {largest:,} entries: {calls} git process(es) per build; "
              f"build {inside:.1f} s in a git work tree, {outside:.1f} s outside one ({inside / outside:.2f}).")
        if len(sparse) > 1:
            (_, small, ps, *_), (_, large, pl, *_) = sparse[0], sparse[-1]
            print(f"\n{large:,} entries take {pl.seconds / ps.seconds:.1f}x the time of {small:,} "
                  f"({large / small:.0f}x the entries).")
        per_entry = {size: p.seconds / size for shape, size, p, *_ in sparse}
        if HUNDRED_K in per_entry and 10000 in per_entry:
            print(f"Per entry, a build at 100,000 takes {per_entry[HUNDRED_K] / per_entry[10000]:.2f}x the time "
                  "of one at 10,000 (target: at most 1.2).")

        preview_sizes = [n for n in (args.preview_size, HUNDRED_K if args.with_100k else 0) if n]
        if preview_sizes:
            print("\n| entries | live preview: save to entry and rule page served (median of 5) "
                  "| full build | preview/full | full build in one process | preview/that "
                  "| server's peak memory | server's first build |")
            print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for preview_size in preview_sizes:
            built = root / f"plugin-sparse-{preview_size}"  # the row's own project, where there is one
            plugin = built if built.exists() else make_projects(root / "preview", preview_size)[0]
            measured = {size: p.seconds for shape, size, p, *_ in rows if shape == "sparse"}
            full = measured.get(preview_size) or build(plugin).seconds
            one_process = alone.get(("sparse", preview_size)) or build(plugin, "mkdocs-alone.yml")
            seconds, peak_mb, first = preview_latency(plugin)
            if preview_size == args.preview_size:
                preview, preview_peak_mb, first_build = (seconds, full), peak_mb, first
            print(f"| {preview_size:,} | {seconds:.2f} s | {full:.1f} s | {seconds / full:.2f} "
                  f"| {one_process.seconds:.1f} s | {seconds / one_process.seconds:.2f} "
                  f"| {peak_mb:.0f} MB | {first:.1f} s |", flush=True)
        if args.engines_size:
            measured = {size: p.seconds for shape, size, p, *_ in rows if shape == "sparse"}
            plugin = root / f"plugin-sparse-{args.engines_size}"
            if not plugin.exists():
                plugin, _ = make_projects(root / "engines", args.engines_size)
            full = measured.get(args.engines_size) or build(plugin).seconds
            times = engines(plugin)
            engine_times = (args.engines_size, full, times)
            print("\n| entries | plugin build (MkDocs + Material) | `briefing export` | export on Zensical "
                  "| export on plain MkDocs |")
            print("| ---: | ---: | ---: | ---: | ---: |")
            print(f"| {args.engines_size:,} | {full:.1f} s | {times['export']:.1f} s | {times['zensical']:.1f} s "
                  f"| {times['mkdocs']:.1f} s |")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return Report(rows, preview, diffs, engine_times, alone, preview_peak_mb, first_build, history)


if __name__ == "__main__":
    main()
