"""Helpers that build real sites with the real ``mkdocs build`` in temporary folders."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import traceback
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"

MKDOCS_YML = """\
site_name: Test briefing
site_url: https://example.org/brief/
docs_dir: content
theme:
  name: material
plugins:
  - search
  - briefing
"""


@dataclass
class Build:
    """The outcome of one ``mkdocs build``: exit status, log and the site folder."""

    returncode: int
    log: str
    site: Path

    def exists(self, url_path: str) -> bool:
        return self._file(url_path).exists()

    def _file(self, url_path: str) -> Path:
        path = self.site / url_path.lstrip("/")
        return path / "index.html" if url_path.endswith("/") else path

    def html(self, url_path: str) -> BeautifulSoup:
        return BeautifulSoup(self._file(url_path).read_text(encoding="utf-8"), "html.parser")

    def article(self, url_path: str) -> BeautifulSoup:
        """The page's main content, without theme chrome (nav, search, footer)."""
        article = self.html(url_path).select_one("article.md-content__inner")
        assert article is not None, f"{url_path} has no article"
        return article

    def json(self, url_path: str) -> object:
        return json.loads(self._file(url_path).read_text(encoding="utf-8"))

    def atom(self, url_path: str) -> ET.Element:
        return ET.parse(self._file(url_path)).getroot()

    def warnings(self) -> list[str]:
        return [line for line in self.log.splitlines() if line.startswith("WARNING")]

    def entry_links(self, url_path: str) -> list[str]:
        """Entry ids linked from a page's content, in page order."""
        ids = []
        for a in self.article(url_path).find_all("a", href=True):
            parts = a["href"].split("/")
            if "entries" in parts and parts[-1] == "":
                entry_id = parts[parts.index("entries") + 1]
                if entry_id not in ids:
                    ids.append(entry_id)
        return ids


def unavailable(why: str) -> None:
    """A tool a test needs is missing: skip on a developer's machine, fail in CI (``CI`` set),
    where a check that quietly skips would pass without checking anything."""
    if os.environ.get("CI"):
        pytest.fail(f"{why} (required in CI)")
    pytest.skip(why)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One clear line naming the checks that did not run, and what installs what they need:
    "9 skipped" at the end of a long run is easy to miss. (In CI nothing skips: unavailable.)"""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons = []
    for report in skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        if reason not in reasons:
            reasons.append(reason)
    terminalreporter.write_line(
        f"NOT RUN: {len(skipped)} checks ({'; '.join(reasons)}). `make test-tools` installs Chromium, Java, "
        "the fonts and Node; then run `make test` again.",
        red=True, bold=True,
    )


def need(tool: str) -> str:
    """The path of ``tool`` on PATH or beside this Python (see ``unavailable``)."""
    path = shutil.which(tool) or shutil.which(tool, path=str(Path(sys.executable).parent))
    if path is None:
        unavailable(f"{tool} is not installed")
    return path


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


def run_mkdocs(project: Path, *args: str, separate_process: bool = False) -> Build:
    """``mkdocs build`` run in ``project``: MkDocs' own command line, with its exit status and
    log, in this process. Starting Python, MkDocs and the theme for each of the suite's ~170
    builds cost a second apiece; a build in this process costs no more than the build.

    ``separate_process`` runs it as a command instead, for what only a process of its own can
    show: render workers fork only where no other thread runs (pytest-xdist's do).
    """
    if separate_process:
        env = {**os.environ, **BUILD_ENV}
        env.pop("SITE_URL", None)  # the publish workflow sets it; tests pin their own site_url
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(project / "site"), *args],
            cwd=project, capture_output=True, text=True, env=env, timeout=BUILD_SECONDS,
        )  # fmt: skip
        return Build(result.returncode, result.stdout + result.stderr, project / "site")
    import mkdocs.__main__ as mkdocs_command
    from click.testing import CliRunner
    from mkdocs.config.defaults import MkDocsConfig

    # MkDocs' command adds a log handler per run (its State) writing to that run's stderr; this
    # one writes to a log of our own, and leaves with the run: in one process, handlers left
    # behind by earlier runs (or attached by pytest's log capture) must not decide what a
    # later build's log holds.
    log = io.StringIO()

    class State(mkdocs_command.State):
        def __init__(self) -> None:
            super().__init__()
            self.logger.removeHandler(self.stream)
            self.stream = logging.StreamHandler(log)
            self.stream.setFormatter(mkdocs_command.ColorFormatter())
            self.logger.addHandler(self.stream)

    mkdocs_log = logging.getLogger("mkdocs")
    saved = list(mkdocs_log.handlers), mkdocs_log.propagate, mkdocs_log.level
    # Each run also adds a filter that drops messages the build logged before: as a command
    # it starts empty, so it must here too ("not in a git work tree" is said by every build).
    build_log = logging.getLogger("mkdocs.commands.build")
    build_filters = list(build_log.filters)
    mkdocs_command.State, original = State, mkdocs_command.State
    # MkDocs keeps a plugin with on_startup for the whole process (for `mkdocs serve`'s
    # rebuilds): a build here starts with new plugins, as a command does.
    MkDocsConfig.plugins.plugin_cache.clear()
    try:
        with as_a_command(project), time_limit(BUILD_SECONDS):
            result = CliRunner().invoke(mkdocs_command.cli, ["build", "--site-dir", str(project / "site"), *args])
    finally:
        mkdocs_command.State = original
        mkdocs_log.handlers[:] = saved[0]
        mkdocs_log.propagate, mkdocs_log.level = saved[1], saved[2]
        build_log.filters[:] = build_filters
    log = log.getvalue() + result.output  # the log, then what the command printed on leaving
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # A command prints an uncaught exception's traceback: so must this log, or a test that
        # asserts "never a traceback" could not fail.
        log += "".join(traceback.format_exception(result.exception))
    return Build(result.exit_code, log, project / "site")


def run_briefing(project: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``briefing ARGS`` run in ``project``, in this process, with its exit status, stdout and
    stderr as a command's (a subprocess cost a second apiece to start Python and MkDocs).

    Not for ``briefing diff``: it forks, which a process with other threads (pytest-xdist's
    workers) must not do; run it as a command.
    """
    from click.testing import CliRunner
    from mkdocs.config.defaults import MkDocsConfig

    from briefing.cli import main

    mkdocs_log = logging.getLogger("mkdocs")
    saved = list(mkdocs_log.handlers), mkdocs_log.propagate, mkdocs_log.level
    MkDocsConfig.plugins.plugin_cache.clear()  # each command starts with new plugins
    # As in a new process: whatever level an earlier test left, a warning reaches the command.
    mkdocs_log.setLevel(logging.NOTSET)
    collecting = gc.isenabled()  # `briefing check` turns the collector off for the life of its process
    try:
        with as_a_command(project), time_limit(BUILD_SECONDS):
            result = CliRunner().invoke(main, list(args), input=stdin, prog_name="briefing")
    finally:
        mkdocs_log.handlers[:] = saved[0]
        mkdocs_log.propagate, mkdocs_log.level = saved[1], saved[2]
        if collecting:
            gc.enable()
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))  # as a command prints it
    return subprocess.CompletedProcess(["briefing", *args], result.exit_code, result.stdout, stderr)


# A build that takes longer has stalled (the hostile-input tests feed it what could): fail it
# rather than wait for CI's own limit.
BUILD_SECONDS = 300


@contextlib.contextmanager
def time_limit(seconds: int):
    """Raise TimeoutError in this process's main thread after ``seconds`` (as a command's
    timeout would end it); elsewhere, where no signal can be delivered, no limit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stalled(signum, frame):
        raise TimeoutError(f"the build took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, stalled)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# What our commands run with (the Makefile exports the first): no MkDocs 2.0 notice, no colour.
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}


@contextlib.contextmanager
def as_a_command(project: Path):
    """What ``mkdocs build`` run in ``project`` sees: that folder as the working directory and
    the environment our commands run with, restored afterwards."""
    saved = dict(os.environ)
    os.environ.update(BUILD_ENV)
    os.environ.pop("SITE_URL", None)  # the publish workflow sets it; tests pin their own site_url
    try:
        with contextlib.chdir(project):
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def build_site(tmp_path: Path):
    """Build a site from ``{path: text}`` under a fresh project folder."""

    def build(files: dict[str, str | bytes], *args: str, config: str = MKDOCS_YML) -> Build:
        project = tmp_path / f"project{len(list(tmp_path.iterdir()))}"
        project.mkdir()
        write_tree(project, {"mkdocs.yml": config, **files})
        return run_mkdocs(project, *args)

    return build


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The repository's own example briefing, built strictly once per test run."""
    project = tmp_path_factory.mktemp("example")
    for name in ("content", "timeline"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    build = run_mkdocs(project, "--strict")
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test keeps `briefing check`'s parses (front_matter_store.py) in a folder of its own,
    as a fresh machine would: never the user's ~/.cache, and never another test's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(folder))
    return folder


def entry(date: str, source: str, rule: str, claim: str, **extra: str) -> str:
    """An entry file's text; ``extra`` values are written as YAML verbatim."""
    lines = [f"date: {date}", f"source: {source}", f"rule: {rule}", f"claim: {claim}"]
    lines += [f"{key}: {value}" for key, value in extra.items() if key != "body"]
    return "---\n" + "\n".join(lines) + "\n---\n" + extra.get("body", "") + "\n"


def assert_no_broken_links(site: Path) -> None:
    """linkchecker, a real link checker, finds no broken internal link in the built ``site``."""
    base, stop = serve(site)
    # Unthrottled: LinkChecker waits 0.1-0.6 s between requests to a host unless the host
    # answers with a "LinkChecker" header (serve does) and the rate is raised here.
    rc = site.parent / "linkcheckerrc"
    rc.write_text("[checking]\nmaxrequestspersecond=1000\n")
    try:
        result = subprocess.run(
            [need("linkchecker"), "--config", str(rc), "--no-status", "--no-warnings", "--threads", "4", base],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    finally:
        stop()
    assert result.returncode == 0 and "0 errors found" in result.stdout, result.stdout[-4000:]


def serve(folder: Path):
    """Serve ``folder`` on a free loopback port in a thread; returns (base URL, stop)."""

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib's name)
            pass

        def end_headers(self) -> None:
            self.send_header("LinkChecker", "local test server: no throttling")
            super().end_headers()

    handler = partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server.shutdown


# --- `mkdocs serve`, as make serve runs it -------------------------------------------------------


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    """The page at ``url``, or "" if it cannot be had."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_for(predicate, seconds: float = 30) -> bool:
    """Whether ``predicate()`` came true within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@contextlib.contextmanager
def serving(tmp_path: Path, *options: str, first_page: str = "entries/a/"):
    """`mkdocs serve` as make serve runs it, on ``tmp_path``, once ``first_page`` is served;
    (its URL, its log's path)."""
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            # As make serve runs it: --dirty, each rebuild makes only what an edit changed.
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--dev-addr", f"127.0.0.1:{port}", *options],
            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: "<html" in fetch(f"{base}/{first_page}")), log_path.read_text()
        yield base, log_path
    finally:
        server.terminate()
        server.wait(timeout=10)


def build_wheel(folder: Path) -> Path:
    """The plugin's wheel, built as a release would be from a copy of the source in ``folder``
    (tests running side by side would otherwise share the source tree's build/ and egg-info).
    --no-isolation: the build backend from this venv, not a new one fetched for the build."""
    source = folder / "source"
    skip = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "test-artifacts", "build", "dist", "*.egg-info", "__pycache__")
    shutil.copytree(REPO, source, ignore=skip)
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(folder / "dist"), str(source)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    (wheel,) = (folder / "dist").glob("mkdocs_briefing-*.whl")
    return wheel
