"""The content model: entries (claims), rules, sources and the problems found reading them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from .dates import PartialDate

# Claims this many days apart or closer, with different statuses, dispute each other.
DEFAULT_WINDOW_DAYS = 30
# The newest claims the state-of-play block lists.
DEFAULT_STATE_OF_PLAY_CLAIMS = 5

DEFAULT_STATUSES: tuple[str, ...] = (
    "proposed",
    "under-review",
    "adopted",
    "in-force",
    "paused",
    "resumed",
    "revised",
    "withdrawn",
)


def url_id(item_id: str) -> str:
    """An id as it stands in a URL or an HTML id: percent-encoded as MkDocs encodes its own
    URLs, so ``反恐怖主义法`` and ``a#b`` link the way browsers and the sitemap expect."""
    return quote(item_id, safe="")


def printable(text: str) -> str:
    """``text`` with every invisible or line-breaking character written as ``\\uXXXX``.

    A problem is one line: a file name may hold U+001C or U+2028, which Python's splitlines,
    terminals and GitHub all take for line breaks.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else f"\\u{ord(ch):04x}" for ch in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, shown to writers as one line.

    ``path`` is as the writer knows it (``content/entries/x.md``); ``line`` is 1-based.
    ``fatal`` problems leave the file out of a non-strict build; with the others it is
    published (without whatever was wrong: an unknown field, script in its text).
    """

    path: str
    line: int
    field: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return printable(text)


@dataclass
class Entry:
    """One claim, read from ``content/entries/**/<id>.md``."""

    id: str
    path: str  # relative to the content directory, '/'-separated
    date: PartialDate
    source_ref: str
    rule_refs: tuple[str, ...]
    claim: str
    status: str | None = None
    by: str | None = None
    url: str | None = None
    quote: str | None = None
    contradicts: tuple[str, ...] = ()
    after: tuple[str, ...] = ()  # entry ids this claim is known to come after
    tags: tuple[str, ...] = ()
    draft: bool = False
    body: str = ""
    body_line: int = 1  # line of the file where ``body`` starts
    # Lines of front-matter keys in the file, for messages about references found later.
    lines: dict[str, int] = field(default_factory=dict)
    # Filled in by name resolution.
    source_id: str = ""
    rule_ids: tuple[str, ...] = ()
    # Filled in by chronology.check_after: the first day this claim can have been made, given
    # the claims it comes after, and the length of the longest after: chain before it.
    earliest: dt.date = dt.date.min
    chain_depth: int = 0
    # Filled in from the repository's history (history.py): when the claim entered the
    # briefing and when its file last changed, as RFC 3339 timestamps.
    added: str = ""
    changed: str = ""
    # Filled in when the briefing is compiled: (rule id, dispute key) of the first dispute on
    # each rule that this claim is part of and that the rule page shows (``#<key>`` there).
    disputes: tuple[tuple[str, str], ...] = ()

    @cached_property
    def listed(self) -> tuple:
        """All that a page listing this claim can show (everything but the body), as one
        value: the live preview compares it between rebuilds (``page_inputs.py``). Read once the
        briefing is compiled (names resolved, ``contradicts`` checked). Derived from the
        field table (``fields.listed``)."""
        from .fields import listed  # fields.py builds on this module

        return listed(self)

    def sort_key(self) -> tuple:
        """Where the claim is listed: see ``chronology.order_key``. Never the file name alone:
        claims that share a period are ordered by what is known, then by what they say."""
        return (
            self.earliest, self.chain_depth, self.date.sort_key(),
            self.source_id, self.by or "", self.claim, self.status or "", self.id,
        )  # fmt: skip

    @cached_property  # asked for by every link to it: hundreds of thousands at 10,000 entries
    def url_path(self) -> str:
        return f"entries/{url_id(self.id)}/"


@dataclass
class Rule:
    """A law, regulation, draft or guideline that claims are about."""

    id: str
    title: str
    path: str | None = None  # None: implied by the entries that name it
    jurisdiction: str | None = None
    issuer: str | None = None
    kind: str | None = None
    part_of: str | None = None
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    body: str = ""
    body_line: int = 1  # line of the file where ``body`` starts
    lines: dict[str, int] = field(default_factory=dict)

    @cached_property  # asked for by every link to it: hundreds of thousands at 10,000 entries
    def url_path(self) -> str:
        return f"rules/{url_id(self.id)}/"


@dataclass
class Source:
    """Where claims are read: an outlet, an agency, a wire service."""

    id: str
    name: str
    path: str | None = None  # None: implied by the entries that name it
    kind: str | None = None
    url: str | None = None
    aliases: tuple[str, ...] = ()
    body: str = ""
    body_line: int = 1  # line of the file where ``body`` starts
    lines: dict[str, int] = field(default_factory=dict)

    @cached_property  # asked for by every link to it: hundreds of thousands at 10,000 entries
    def url_path(self) -> str:
        return f"sources/{url_id(self.id)}/"
