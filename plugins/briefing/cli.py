"""``briefing``: check content without building, and start new entries with the fields filled in."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import gc
import json
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

import click

# Material prints a notice about MkDocs 2.0 on every load; the README's Engines section says
# what it means, once. Set before MkDocs loads any plugin.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
import frontmatter
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.structure.files import get_files
from mkdocs.utils.yaml import yaml_load

from . import export as exporting
from . import fields
from .changes import Snapshot, compare, snapshot, to_json, to_markdown
from .compiled import Briefing
from .dates import PartialDate
from .front_matter_store import FrontMatterStore
from .model import Problem, printable
from .options import BriefingConfig
from .paths import inside
from .plugin import BriefingPlugin
from .plugin import log as plugin_log
from .reader import DocumentCache, entry_from_document, parse_document
from .resolve import folded, near_miss, slugify
from .site import Site

CONFIG_OPTION = click.option(
    "--config", "-f", "config_path", default="mkdocs.yml", show_default=True,
    type=click.Path(dir_okay=False), help="The site's MkDocs configuration.",
)  # fmt: skip


@click.group()
def main() -> None:
    """Check and write briefing entries."""


def run() -> None:
    """The `briefing` command as installed (``[project.scripts]``).

    Python's last act on leaving is a garbage collection over everything still alive: 2.3 s
    after a `briefing check` of 100,000 entries, to free what the process's end frees anyway.
    Frozen first (``gc.freeze``), they are left to it: the check then ended 0.1 s after its
    report."""
    atexit.register(gc.freeze)
    main()


@dataclass
class LoadedSite:
    """The site as ``mkdocs build`` sees it, up to the point where pages are rendered."""

    config: MkDocsConfig
    options: BriefingConfig
    site: Site
    found: list[Problem]  # every problem the build would report
    warnings: list[str]  # what MkDocs itself warned of while loading (unknown keys, conflicts)

    @property
    def problems(self) -> list[Problem]:
        return sorted(self.found, key=lambda p: (p.path, p.line, p.field))

    @property
    def briefing(self) -> Briefing:
        return self.site.briefing

    @property
    def shown_dir(self) -> str:
        """The content folder as writers name it."""
        return self.site.options.shown_dir


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name != plugin_log.name:  # the plugin's own problems are read as objects
            self.messages.append(record.getMessage())


def load_site(config_path: str, documents: DocumentCache | None = None, keep_parses: bool = False) -> LoadedSite:
    """Load ``mkdocs.yml`` as the build does (``!ENV``, validation, the plugin's options and
    their defaults) and run the plugin's file handling, collecting every warning on the way.
    ``documents``: files parsed before, to be read from there where unchanged; ``keep_parses``:
    give ``documents`` the front-matter parsed by earlier runs on this content folder
    (front_matter_store.py), where it has no store yet.

    One line on stderr and exit status 1 for a configuration the build would refuse.
    """
    if not os.path.isfile(config_path):
        raise click.ClickException(
            f"{config_path}: cannot be read (No such file or directory); run this in the site's folder or pass --config"
        )
    with _collection_paused():
        return _load_site(config_path, documents, keep_parses)


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """Python's cyclic garbage collection, off while a site loads: nearly all it makes lives
    until the command ends, and each full collection walks all of it again. At 100,000
    entries, collections took 8 s of a 38 s `briefing check` (and no memory was saved)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_site(config_path: str, documents: DocumentCache | None, keep_parses: bool) -> LoadedSite:
    collect = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collect)
    mkdocs_log.propagate = False  # nothing printed twice: we print what we collect
    try:
        try:
            config = load_config(config_file=config_path)
        except (ConfigurationError, Abort) as error:
            reasons = collect.messages or [str(error)]
            raise click.ClickException("\n".join(f"{config_path}: {reason}" for reason in reasons)) from None
        plugin = config.plugins.get("briefing")
        if not isinstance(plugin, BriefingPlugin):
            raise click.ClickException(f"{config_path}: plugins: the 'briefing' plugin is not configured")
        # The events `mkdocs build` runs before it renders pages, for every plugin, in order.
        config.plugins.on_startup(command="build", dirty=False)
        plugin.documents = documents
        if keep_parses and documents is not None and documents.store is None:
            documents.store = FrontMatterStore.for_content(config.docs_dir)
        config = config.plugins.on_config(config)
        config.plugins.on_files(get_files(config), config=config)
    finally:
        mkdocs_log.removeHandler(collect)
        mkdocs_log.propagate = True
    return LoadedSite(config, plugin.config, plugin.site, plugin.problems, collect.messages)


@main.command()
@CONFIG_OPTION
@click.option(
    "--format", "output_format", type=click.Choice(["text", "github"]), default="text",
    show_default=True, help="'github' prints GitHub Actions annotations.",
)  # fmt: skip
def check(config_path: str, output_format: str) -> None:
    """Check every entry, rule and source without building the site.

    Exits with status 1 exactly when `mkdocs build --strict` would fail on what it reports.
    """
    # No cyclic garbage collection at all: what the site loads lives until the report, and
    # the first collection after loading walked all of it (0.8 s of 12 s at 100,000 entries).
    # run() freezes what is left on leaving, so none runs then either.
    gc.disable()
    # Front-matter parsed by the last check is not parsed again (front_matter_store.py).
    documents = DocumentCache(remember=False)
    if output_format == "github":
        # Whatever MkDocs, a theme or a plugin prints while loading is not ours to vouch for:
        # workflow commands are off until our own, escaped annotations (token random per run).
        token = secrets.token_hex(16)
        click.echo(f"::stop-commands::{token}")
        try:
            site = load_site(config_path, documents, keep_parses=True)
        finally:
            click.echo(f"::{token}::")
    else:
        site = load_site(config_path, documents, keep_parses=True)
    documents.store.save()
    root = os.path.dirname(os.path.abspath(config_path))
    for message in site.warnings:
        click.echo(f"::warning title=mkdocs::{escape_data(message)}" if output_format == "github" else message)
    for problem in site.problems:
        click.echo(annotation(problem, root) if output_format == "github" else str(problem))
    for notice in site.briefing.order_notices(site.shown_dir):  # undecided order: worth a look, not a failure
        click.echo(annotation(notice, root, "notice") if output_format == "github" else f"notice: {notice}")
    briefing = site.briefing
    counts = f"{len(briefing.entries)} entries, {len(briefing.rules)} rules, {len(briefing.sources)} sources"
    total = len(site.problems) + len(site.warnings)
    if total:
        click.echo(f"{total} problem(s) in {counts}", err=True)
        sys.exit(1)
    click.echo(f"OK: {counts}", err=True)


def escape_data(text: str) -> str:
    """A workflow command's message, escaped by GitHub's rules (``%``, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): also ``:`` and ``,``, which
    would otherwise end the value and let a file name or key forge another property."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem, root: str, level: str = "") -> str:
    """A workflow command GitHub shows as an annotation on the file and line (``level``:
    error or warning by the problem, or ``notice``, which fails nothing)."""
    level = level or ("error" if problem.fatal else "warning")
    path = os.path.relpath(os.path.join(root, problem.path), os.getcwd()).replace(os.sep, "/")
    title = problem.field or "briefing"
    return (
        f"::{level} file={escape_property(printable(path))},line={problem.line},"
        f"title={escape_property(printable(title))}::{escape_data(printable(problem.message))}"
    )


def field_options(command: Callable) -> Callable:
    """An option for each entry field (``fields.ENTRY``): ``--rule`` and the other lists may
    be repeated, ``--draft`` is a flag."""
    for field in reversed(fields.ENTRY):
        many = field.kind == fields.TEXTS
        about = field.about + (" Repeat for more." if many else "") + ("  [default: today]" if field.kind == fields.DATE else "")
        option = click.option(
            f"--{field.key.replace('_', '-')}", field.key, multiple=many, is_flag=field.kind == fields.FLAG, help=about,
        )  # fmt: skip
        command = option(command)
    return command


@main.command()
@CONFIG_OPTION
@field_options
@click.option("--id", "entry_id", help="The entry id (file name).  [default: from the claim]")
@click.option("--yes", "assume_yes", is_flag=True, help="Create a rule or source no file defines without asking.")
def new(config_path: str, entry_id: str | None, assume_yes: bool, **values: Any) -> None:
    """Write a new entry file with its front-matter filled in (asks for what is missing)."""
    site = load_site(config_path)
    briefing = site.briefing
    values["date"] = values["date"] or dt.date.today().isoformat()
    try:
        date = PartialDate.parse(values["date"])
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--date") from None
    _ask_for_missing(briefing, values)
    _confirm_new_names(briefing, values["source"], values["rule"], assume_yes)
    known_ids = {e.id for e in (*briefing.entries, *briefing.drafts)}
    for field in fields.ENTRY:
        for ref in values[field.key] if field.names == "entry" else ():
            if ref not in known_ids:
                raise click.ClickException(
                    f"--{field.key}: '{ref}' is not an entry id (use the file name of the entry, without .md)"
                )
    meta = {"date": date.iso(), **{key: value for key, value in _front_matter(values).items() if key != "date"}}
    text = frontmatter.dumps(frontmatter.Post("", **meta), sort_keys=False) + "\n"

    entry_id = slugify(entry_id or _short(values["claim"]))
    rel_path = f"entries/{date.year}/{entry_id}.md"
    path = os.path.join(site.config.docs_dir, rel_path)
    shown = f"{site.shown_dir}/{rel_path}"
    if os.path.exists(path) or entry_id in known_ids:
        raise click.ClickException(f"{shown}: entry '{entry_id}' exists already; choose another --id")
    # Check before writing, so a bad value never lands in the content tree.
    doc = parse_document(text.encode(), shown)
    assert not isinstance(doc, Problem)
    _, problems = entry_from_document(doc, entry_id, rel_path, site.options.settings().statuses)
    if problems:
        raise click.ClickException("\n".join(str(p) for p in problems))
    _write_new(path, shown, text)
    click.echo(shown)


def _ask_for_missing(briefing: Briefing, values: dict[str, Any]) -> None:
    """Prompt for each required field not given, offering the names of what it may name."""
    offered = {"source": ("Sources", briefing.sources), "rule": ("Rules", briefing.rules)}
    for field in fields.ENTRY:
        if not field.required or values[field.key]:
            continue
        if field.names in offered:
            kind, known = offered[field.names]
            _offer(kind, list(known))
        prompt = "Claim (one sentence)" if field.key == "claim" else field.key.capitalize()
        answer = click.prompt(prompt, err=True)
        values[field.key] = (answer,) if field.kind == fields.TEXTS else answer


def _front_matter(values: dict[str, Any]) -> dict[str, Any]:
    """The given fields in the table's order: a list of one as a plain value, no empty ones."""
    meta: dict[str, Any] = {}
    for field in fields.ENTRY:
        value = values.get(field.key)
        if field.kind == fields.TEXTS and value:
            meta[field.key] = value[0] if len(value) == 1 else list(value)
        elif value:
            meta[field.key] = value
    return meta


def _write_new(path: str, shown: str, text: str) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "x", encoding="utf-8") as stream:
            stream.write(text)
    except (FileExistsError, NotADirectoryError):
        folder = os.path.dirname(shown)
        raise click.ClickException(f"{shown}: cannot be written: {folder} is a file, not a folder") from None
    except OSError as error:
        raise click.ClickException(f"{shown}: cannot be written ({error.strerror})") from None


def _confirm_new_names(briefing: Briefing, source: str, rules: tuple[str, ...], assume_yes: bool) -> None:
    """Ask before an entry names a rule or source no file defines and no entry names yet: a
    typo would otherwise become a page of its own. Without a terminal, ``--yes`` says it."""
    for kind, name, items in [("source", source, briefing.sources)] + [("rule", r, briefing.rules) for r in rules]:
        names: dict[str, str] = {}
        for item in items.values():
            for known in (item.title if kind == "rule" else item.name, *item.aliases, item.id):
                names.setdefault(folded(known), known)
        if folded(name) in names:
            continue
        guess = near_miss(name, names)
        hint = f" (did you mean '{guess}'?)" if guess else ""
        question = f"'{name}' is a new {kind}{hint}; create it?"
        if assume_yes:
            continue
        try:  # from the terminal, or from piped answers as the other prompts read them
            confirmed = click.confirm(question, default=False, err=True)
        except click.Abort:  # no answer at all (no terminal, nothing piped)
            raise click.ClickException(
                f"{question[: -len('; create it?')]}; pass --yes to create it, or use a known {kind}"
            ) from None
        if not confirmed:
            raise click.ClickException(f"no entry written: correct the {kind}'s name")


def _offer(kind: str, ids: list[str]) -> None:
    if ids:
        click.echo(f"{kind}: {', '.join(sorted(ids))} (or a new name)", err=True)


def _short(claim: str, words: int = 8) -> str:
    return " ".join(claim.split()[:words])


@main.command()
@CONFIG_OPTION
@click.argument("base", default="HEAD")
@click.option(
    "--format", "output_format", type=click.Choice(["markdown", "json"]), default="markdown",
    show_default=True, help="Markdown for a job summary or a pull-request comment; JSON for machines.",
)  # fmt: skip
@click.option("--site-url", help="Link pages at this address.  [default: the site's site_url]")
def diff(config_path: str, base: str, output_format: str, site_url: str | None) -> None:
    """What the working tree changes in the briefing, against git ref BASE.

    Entries added, removed and edited; each rule's status and disputed state before and after;
    disputes opened and closed; rules and sources added or removed; problems introduced.
    """
    # No cyclic garbage collection at all, as in `check`: both sides live until the report, and
    # the first collection after them walked all of it (2 s after comparing 100,000 entries).
    gc.disable()
    config_path = os.path.abspath(config_path)
    root = _git(os.path.dirname(config_path), "rev-parse", "--show-toplevel")
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", what=f"{base}: not a commit in this repository")
    relative_config = os.path.relpath(config_path, root)
    # Each file is parsed once for both sides where it is the same at the base: known by its
    # path and its bytes (DocumentCache), the base's checkout is read but parsed only where it
    # differs. At 100,000 entries, reading both sides whole took minutes.
    documents = DocumentCache(by_content=True)
    # In memory where the system offers it (and TMPDIR does not say otherwise): creating
    # 10,000 files on this project's VM disk took 2-7 s of system time, in /dev/shm 0.2 s.
    in_memory = not os.environ.get("TMPDIR") and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK)
    with _TreeRemoved(tempfile.mkdtemp(prefix="briefing-diff-", dir="/dev/shm" if in_memory else None)) as folder:
        with _stopped_cleanly():
            # git writes the base's files while this process reads the working tree's.
            checkout = _start_checkout(root, commit, relative_config, folder)
            try:
                site = load_site(config_path, documents, keep_parses=True)
                after = snapshot(site.briefing, site.problems, site.warnings)
                before = _snapshot_at(checkout, commit, relative_config, documents)
            finally:
                if isinstance(checkout, _Checkout):
                    checkout.stop()  # the folder is removed next: git must be done with it
            folder.remove_meanwhile()
            documents.store.save()
            if isinstance(before, str):
                raise click.ClickException(before)
            changes = compare(before, after)
        label = f"{base} ({commit[:7]})"
        if output_format == "json":
            click.echo(to_json(changes, label), nl=False)
        else:
            click.echo(to_markdown(changes, label, site_url if site_url is not None else site.config.site_url or ""))


class _TreeRemoved(str):
    """A folder of the base's files, removed on leaving the ``with`` block, however it is left.

    Removing 100,000 files took 0.7 s of a diff, after the comparison: ``remove_meanwhile``
    starts it once nothing reads the folder any more, in a process of its own where the
    system has ``rm`` (a thread would contend with the comparison for the interpreter's lock),
    and leaving waits for it."""

    _removing: subprocess.Popen | threading.Thread | None = None

    def __enter__(self) -> _TreeRemoved:
        return self

    def remove_meanwhile(self) -> None:
        rm = shutil.which("rm") if os.name == "posix" else None
        if rm:
            self._removing = subprocess.Popen([rm, "-rf", "--", str(self)], stdin=subprocess.DEVNULL)
        else:
            self._removing = threading.Thread(target=shutil.rmtree, args=(str(self),), kwargs={"ignore_errors": True})
            self._removing.start()

    def __exit__(self, *exc: object) -> None:
        if isinstance(self._removing, subprocess.Popen):
            self._removing.wait()
        elif self._removing is not None:
            self._removing.join()
        shutil.rmtree(self, ignore_errors=True)  # whatever is left (nothing, once rm is done)


@contextlib.contextmanager
def _stopped_cleanly() -> Iterator[None]:
    """A SIGTERM (a CI job cancelled, ``kill``) ends the command as Ctrl-C does, through its
    ``finally`` blocks: git writing the base is stopped and its folder removed, not left
    writing into /dev/shm. Python's default for SIGTERM ends the process where it stands."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (a command run in-process elsewhere)
        return
    previous = signal.signal(signal.SIGTERM, _leave)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _leave(*_: object) -> None:
    raise SystemExit(1)


def _git(cwd: str, *args: str, what: str = "") -> str:
    """A git command's one line of output; a one-line error if it fails."""
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        raise click.ClickException("briefing diff needs git, which is not installed") from None
    if result.returncode != 0:
        reason = what or (result.stderr.strip().splitlines() or ["git failed"])[-1]
        raise click.ClickException(reason)
    return result.stdout.strip()


@dataclass
class _Checkout:
    """The base's files, being written into ``tree`` by git (``process``; None: nothing to
    wait for); ``has_site``: whether the base has the configuration at all."""

    tree: str
    process: subprocess.Popen | None = None
    errors: str = ""  # the file git's errors go to
    has_site: bool = True

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _start_checkout(root: str, commit: str, relative_config: str, folder: str) -> _Checkout | str:
    """Start writing the briefing as committed at ``commit`` into ``folder`` (an error line
    instead, for the parent to show)."""
    # A private index: git writes the files itself (several times faster than unpacking an
    # archive here), and the repository's own index and work tree are left alone. Only the
    # configuration and the folders it reads are written: not a committed site/, say.
    tree = os.path.join(folder, "tree")
    env = {**os.environ, "GIT_INDEX_FILE": os.path.join(folder, "index")}

    def git(*args: str, stdin: str | None = None) -> str:
        result = subprocess.run(["git", *args], cwd=root, env=env, input=stdin, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{commit[:7]}: git {args[0]} failed: {(result.stderr.strip().splitlines() or [''])[-1]}")
        return result.stdout

    try:
        git("read-tree", commit)
        paths = git("ls-files", "-z").split("\0")
        if relative_config not in paths:
            return _Checkout(tree, has_site=False)  # no site at the base yet: everything is new
        git("checkout-index", f"--prefix={tree}/", "--stdin", "-z", stdin=relative_config + "\0")
    except RuntimeError as error:
        return str(error)
    folders = _folders_read(os.path.join(tree, relative_config), os.path.dirname(relative_config))
    wanted = [p for p in paths if p and (folders is None or any(p.startswith(f"{f}/") for f in folders))]
    # The rest in the background (at 100,000 entries, 3.6 s of git beside the working tree's
    # reading). Its input and errors are files: a pipe would need a thread to feed it, and
    # forked parse workers would hold it open.
    listed, errors = os.path.join(folder, "wanted"), os.path.join(folder, "errors")
    with open(listed, "w", encoding="utf-8", errors="surrogateescape") as stream:
        stream.write("\0".join(wanted) + "\0")
    with open(listed, "rb") as stdin, open(errors, "wb") as stderr:
        process = subprocess.Popen(
            ["git", "checkout-index", f"--prefix={tree}/", "--stdin", "-z"],
            cwd=root, env=env, stdin=stdin, stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
    return _Checkout(tree, process, errors)


def _snapshot_at(checkout: _Checkout | str, commit: str, relative_config: str, documents: DocumentCache) -> Snapshot | str:
    """The briefing as committed at ``commit``, once git has written it (or an error line)."""
    if isinstance(checkout, str):
        return checkout
    if not checkout.has_site:
        return Snapshot()
    if checkout.process is not None and checkout.process.wait() != 0:
        with open(checkout.errors, encoding="utf-8", errors="replace") as stream:
            reason = (stream.read().strip().splitlines() or [""])[-1]
        return f"{commit[:7]}: git checkout-index failed: {reason}"
    config_path = os.path.join(checkout.tree, relative_config)
    try:
        site = load_site(config_path, documents)
    except click.ClickException as error:
        return f"at {commit[:7]}: {error.message}"
    return snapshot(site.briefing, site.problems, site.warnings)


def _folders_read(config_file: str, config_folder: str) -> list[str] | None:
    """The repository folders a configuration reads (docs, overrides, theme); None: unknown,
    so read everything."""
    try:
        with open(config_file, encoding="utf-8") as stream:
            config = yaml_load(stream) or {}
    except Exception:  # any: MkDocs will say what is wrong with it, in its own words
        return None
    if not isinstance(config, dict):
        return None
    folders = [config.get("docs_dir") or "docs"]
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        folders.append(theme["custom_dir"])
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("briefing"), dict) and plugin["briefing"].get("overrides"):
            folders.append(plugin["briefing"]["overrides"])
    if not all(isinstance(folder, str) for folder in folders):
        return None
    return [os.path.normpath(os.path.join(config_folder, folder)).replace(os.sep, "/") for folder in folders]


@main.command()
@CONFIG_OPTION
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def export(config_path: str, out: Path) -> None:
    """Write the whole briefing as a plain Markdown project in OUT, for engines without plugins.

    Then `zensical build` (or `mkdocs build`, without this plugin) in OUT builds the same site.
    """
    site = load_site(config_path)
    problems = [*site.warnings, *map(str, site.problems)]
    if problems:  # what `mkdocs build --strict` would refuse, export refuses too
        for line in problems:
            click.echo(line)
        raise click.ClickException(f"{len(problems)} problem(s): fix them first (briefing check)")
    config_dir = os.path.dirname(os.path.abspath(config_path))
    out = out.resolve()
    if out == Path(site.config.docs_dir).resolve() or Path(site.config.docs_dir).resolve() in out.parents:
        raise click.ClickException(f"{out}: is inside the docs folder; choose a folder outside it")
    try:
        exporting.prepare(out)
    except (FileExistsError, OSError) as error:
        raise click.ClickException(str(error)) from None

    config = load_config(config_file=config_path)
    plugin = config.plugins["briefing"]
    assert isinstance(plugin, BriefingPlugin)
    plugin.export = exporting.Export()
    docs = out / "docs"
    with tempfile.TemporaryDirectory(prefix="briefing-export-") as built:
        config.site_dir = built
        mkdocs_build(config)
        for file in plugin.files:
            if file.is_documentation_page() or not file.inclusion.is_included():
                continue
            if file.generated_by:  # our feeds, JSON, stylesheets and scripts, byte for byte as built
                exporting.copy_file(docs, file.dest_uri, file.content_bytes, None)
            elif os.path.abspath(file.abs_src_path or "").startswith(os.path.abspath(config.docs_dir) + os.sep):
                exporting.copy_file(docs, file.dest_uri, None, file.abs_src_path)  # a writer's image, say
    paths = {page.src_uri: exporting.page_path(page.url) for page in plugin.export.pages}
    for page in plugin.export.pages:
        exporting.write_page(docs, page)
    with open(config_path, encoding="utf-8") as stream:  # as written: MkDocs' copy is consumed
        user_config = yaml_load(stream) or {}
    _export_custom_dir(user_config, config_path, config_dir, out)
    nav = exporting.exported_nav(config.nav, paths)
    exporting.write_config(out, exporting.exported_config(
        user_config, nav, set(paths.values()) - exporting.nav_paths(nav),
        [str(getattr(css, "path", css)) for css in config.extra_css],
        [str(getattr(js, "path", js)) for js in config.extra_javascript],
    ))  # fmt: skip
    click.echo(f"{out}: {len(plugin.export.pages)} pages; build it with `zensical build` or `mkdocs build` there", err=True)


def _default_plugin_spec() -> str:
    """The requirement a new project installs the plugin by: this release from the package
    index. A project following this repository's source pins it instead
    (``--plugin "mkdocs-briefing @ git+https://...@<commit>"``)."""
    from importlib.metadata import version

    return f"mkdocs-briefing=={version('mkdocs-briefing')}"


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "site_name", default="Our briefing", show_default=True, help="The site's name.")
@click.option(
    "--plugin", "plugin_spec", default=None,
    help="How the project installs the plugin: a requirement (mkdocs-briefing==X), a wheel's path, or a pinned git URL.  [default: this release]",
)  # fmt: skip
def init(folder: Path, site_name: str, plugin_spec: str | None) -> None:
    """Start a new briefing in FOLDER: mkdocs.yml, one example entry, rule and source, the two
    GitHub workflows, a README for writers, and a Makefile (`make serve`, `make check`)."""
    if folder.exists() and any(folder.iterdir()):
        raise click.ClickException(f"{folder}: is not empty; choose a new folder (nothing was written)")
    if any(ch in site_name for ch in "\r\n\x00"):
        raise click.ClickException("--name: one line, please")
    spec = plugin_spec or _default_plugin_spec()
    if any(ch in spec for ch in "\r\n"):
        raise click.ClickException("--plugin: one requirement on one line")
    starter = package_files("briefing") / "starter"
    values = {
        "__SITE_NAME__": site_name,
        "__PLUGIN_SPEC__": spec,
        "__YEAR__": str(dt.date.today().year),
    }
    written = []
    for source in sorted(_starter_files(starter)):
        relative = source.relative_to(starter).as_posix()
        target = folder / (".gitignore" if relative == "gitignore" else relative)
        text = source.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            # mkdocs.yml takes the name as a YAML string; everything else as text.
            value = json.dumps(value, ensure_ascii=False) if relative == "mkdocs.yml" and placeholder == "__SITE_NAME__" else value
            text = text.replace(placeholder, value)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    click.echo(f"{folder}: a new briefing ({len(written)} files). Next: cd {folder} && make serve", err=True)


def _starter_files(root):
    """Every file of the packaged starter project (``importlib.resources`` has no rglob)."""
    for item in root.iterdir():
        if item.is_dir():
            yield from _starter_files(item)
        else:
            yield item


def _export_custom_dir(user_config: dict, config_path: str, config_dir: str, out: Path) -> None:
    """Copy the theme's ``custom_dir`` into ``out`` and point the exported config at it."""
    theme = user_config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        # Only from inside the project, and only into OUT: `custom_dir: ../t` or an absolute
        # path would otherwise read from, and write to, anywhere.
        source = os.path.join(config_dir, str(theme["custom_dir"]))
        if not inside(source, config_dir) or not os.path.isdir(source):
            raise click.ClickException(
                f"{config_path}: theme.custom_dir: {theme['custom_dir']!r} is not a folder inside the project; "
                "use a folder beside mkdocs.yml"
            )
        relative = os.path.relpath(os.path.realpath(source), os.path.realpath(config_dir)).replace(os.sep, "/")
        shutil.copytree(source, out / relative, ignore=lambda folder, names: [
            name for name in names if not inside(os.path.join(folder, name), config_dir)
        ])  # fmt: skip
        theme["custom_dir"] = relative


@main.command()
@click.argument("kind", type=click.Choice(["entry", "rule", "source"]), default="entry")
def schema(kind: str) -> None:
    """Print the path of the JSON Schema for a kind of front-matter (for editors)."""
    click.echo(str(package_files("briefing") / "schema" / f"{kind}.schema.json"))


if __name__ == "__main__":  # pragma: no cover
    run()
