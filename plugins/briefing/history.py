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
    epoch = source_date_epoch()
    if epoch is not None:
        history.fallback = epoch
    return history


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
