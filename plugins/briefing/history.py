"""When each claim entered the briefing and when it last changed, from the repository's history.

Feeds follow the briefing's history, not the claims' dates: a claim from 2001 committed today is
news today. Like mkdocs-git-revision-date-localized-plugin, the dates come from git, but from
one ``git log`` over the content folder for the whole build rather than one per file: at 10,000
entries a process per file would cost minutes. Renames keep a claim's first date: a file moved
between folders is the same claim.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
from collections.abc import Hashable
from dataclasses import dataclass, field

# Said once per process where there is no history to read (a preview rebuilds often).
NO_HISTORY = (
    "The content folder is not in a git work tree (or git is missing): feeds date "
    "each claim by its own date, not by when it entered the briefing"
)


@dataclass
class History:
    """Commit times per content file (paths relative to the content folder)."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    # For files git does not know yet (a new entry being previewed): SOURCE_DATE_EPOCH where
    # set, else the newest commit's time, so two builds of one checkout agree.
    fallback: int = 0
    from_git: bool = True
    state: Hashable = None  # git_state when read (a commit since changes claims' dates: edits.py)

    def dates(self, path: str) -> tuple[str, str]:
        """(added, changed) of one file as RFC 3339 timestamps."""
        added = self.added.get(path, self.fallback)
        changed = max(self.changed.get(path, added), added)
        return timestamp(added), timestamp(changed)


# Claims share their commits' times: 100,000 claims in a few commits made 200,000 strings from a
# handful of times, 1.5 s of every build, check and preview rebuild at that size.
@functools.lru_cache(maxsize=1 << 16)
def timestamp(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org), when set to a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def read_history(content_dir: str) -> History | None:
    """Every content file's first and last commit time, from one ``git log``; None outside a
    git work tree, without git, or when git fails (the caller falls back to claims' dates)."""
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotePath=false", "log", "--reverse", "--relative", "-M",
             "--format=%x01%ct", "--name-status", "-z", "--", "."],
            cwd=content_dir, capture_output=True, timeout=300, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    history = parse_log(result.stdout.decode("utf-8", errors="surrogateescape"))
    history.state = git_state(content_dir)
    epoch = source_date_epoch()
    if epoch is not None:
        history.fallback = epoch
    return history


def git_state(content_dir: str) -> Hashable | None:
    """What a commit, checkout or reset changes in the repository ``content_dir`` is in, read
    from its files (a build runs one git process: tests/test_order.py): the ``HEAD`` file and
    the times of ``HEAD``'s log, the packed refs and the branch's ref. None outside git."""
    folder = os.path.abspath(content_dir)
    while not os.path.exists(os.path.join(folder, ".git")):
        if os.path.dirname(folder) == folder:
            return None
        folder = os.path.dirname(folder)
    git_dir = os.path.join(folder, ".git")
    if os.path.isfile(git_dir):  # a worktree's or a submodule's: "gitdir: <path>"
        git_dir = os.path.join(folder, _read(git_dir).removeprefix("gitdir:").strip())
    common = os.path.join(git_dir, _read(os.path.join(git_dir, "commondir")).strip() or ".")
    head = _read(os.path.join(git_dir, "HEAD"))
    ref = head.removeprefix("ref:").strip() if head.startswith("ref:") else ""
    paths = [os.path.join(git_dir, "logs", "HEAD"), os.path.join(common, "packed-refs")]
    paths += [os.path.join(common, *ref.split("/"))] if ref else []
    return head, tuple(_modified(path) for path in paths)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            return stream.read()
    except OSError:
        return ""


def _modified(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def parse_log(output: str) -> History:
    """Read ``git log --reverse --format=%x01%ct --name-status -z`` (oldest commit first)."""
    history = History()
    tokens = output.split("\0")
    when, index = 0, 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if token.startswith("\x01"):
            when = int(token[1:])
            history.fallback = max(history.fallback, when)
        elif token[:1] in ("R", "C") and index + 1 < len(tokens):
            old, new = tokens[index], tokens[index + 1]
            index += 2
            history.added[new] = history.added.get(old, when) if token[0] == "R" else when
            history.changed[new] = when
            if token[0] == "R":
                history.added.pop(old, None)
                history.changed.pop(old, None)
        elif token[:1] in ("A", "M", "T") and index < len(tokens):
            path = tokens[index]
            index += 1
            history.added.setdefault(path, when)
            history.changed[path] = when
        elif token[:1] == "D" and index < len(tokens):
            path = tokens[index]
            index += 1
            history.added.pop(path, None)  # added again later is news again
            history.changed.pop(path, None)
    return history
