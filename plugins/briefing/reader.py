"""Reading content files and checking their front-matter.

Every way a file can be wrong ends as a :class:`~briefing.model.Problem` naming the file, the
line and the field, never as an exception: writers are not programmers, and a traceback tells
them nothing about which of their files to fix.
"""

from __future__ import annotations

import difflib
import os
import re
import reprlib
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import yaml
from frontmatter.default_handlers import YAMLHandler

from . import fields
from .dates import DATE_HINT, PartialDate
from .front_matter_store import FrontMatterStore, Status, content_digest, digest_of, file_status
from .kept_checks import Check, decode_check, encode_check
from .model import Entry, Problem, Rule, Source
from .render_workers import RenderAhead

# libyaml's parser, when PyYAML was built with it (its wheels are), is ~10x faster; the
# resolver and constructor stay Python's safe ones either way.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_SafeBase):  # type: ignore[misc,valid-type]
    """YAML's safe loader, minus the implicit timestamp type.

    PyYAML turns ``2015-02-30`` into a ValueError deep inside the loader and ``2015-04-13`` into
    a ``date`` while ``2015-04`` stays a string. Keeping every date a string lets
    :class:`PartialDate` judge all three forms the same way, with one message.
    """


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FRONT_MATTER = YAMLHandler()  # python-frontmatter's: what a `---` line is, and the split


@dataclass(frozen=True)
class FrontMatterSplit:
    """A file's text split by python-frontmatter, with the offsets our line numbers need."""

    yaml_text: str
    yaml_start: int  # offset of the YAML's first character
    body: str  # everything after the closing `---` line
    body_start: int


def split_front_matter(text: str) -> FrontMatterSplit | str:
    """``text`` (newlines normalized) split where python-frontmatter splits it, or why not:
    "none" (no opening ``---`` line) or "unclosed"."""
    if not _FRONT_MATTER.detect(text):
        return "none"
    try:
        yaml_text, body = _FRONT_MATTER.split(text)
    except ValueError:
        return "unclosed"
    # The split gives the pieces; where they start is needed for line numbers. The opening line
    # is the boundary at the very start (detect), so the YAML follows its match.
    yaml_start = _FRONT_MATTER.FM_BOUNDARY.match(text).end()
    return FrontMatterSplit(yaml_text, yaml_start, body, len(text) - len(body))


@dataclass
class Document:
    """A content file split into front-matter and Markdown body."""

    path: str  # as shown to writers, e.g. content/entries/x.md
    meta: dict[str, Any]
    lines: dict[str, int]  # front-matter key -> 1-based line in the file
    body: str
    first_line: int = 1  # where the front-matter starts, for "missing field" messages
    body_line: int = 1  # where the body starts, for messages about links in it
    # The source text of unquoted scalars, so messages quote what the writer wrote ('no', not False).
    raw_scalars: dict[str, str] = field(default_factory=dict)
    # check_fields' answer, kept with the document: a cached document (live preview) is not
    # checked again on every rebuild. Keyed by the field specs checked against.
    checked: dict[int, tuple[dict[str, Any], list[Problem]]] = field(default_factory=dict, compare=False, repr=False)
    # The front-matter's digest where a FrontMatterStore was asked for it, so that the process
    # that keeps the store can note a parse made in a worker.
    front_matter_digest: str | None = field(default=None, compare=False, repr=False)
    content_digest: str | None = field(default=None, compare=False, repr=False)  # of the file's bytes, likewise
    checked_only: bool = field(default=False, compare=False, repr=False)  # see without_parse

    def without_parse(self) -> Document:
        """This document, checked, without the parse only checking reads (``meta``,
        ``raw_scalars``): what the preview keeps of a file between saves. A kept document was
        about 3.5 KB a claim, a fifth of it that parse: 350 MB of the preview at 100,000.
        Its ``lines`` are shared with the documents laid out the same (``shared_lines``)."""
        return replace(self, meta={}, raw_scalars={}, checked_only=True, lines=shared_lines(self.lines))  # the same ``checked``


# Front-matter layouts repeat (writers start from one template: ``briefing new``, a copied
# entry): the documents the preview keeps whose keys stand on the same lines share one dict of
# lines, which nothing modifies (a dict of up to eight keys is 272 bytes: 27 MB at 100,000).
# Bounded: a content folder of all different layouts shares nothing past the first 10,000.
_SHARED_LINES: dict[tuple[tuple[str, int], ...], dict[str, int]] = {}
SHARED_LINES_MAX = 10_000


def shared_lines(lines: dict[str, int]) -> dict[str, int]:
    """The one dict equal to ``lines`` that kept documents share (``lines`` itself, the first time)."""
    key = tuple(lines.items())
    found = _SHARED_LINES.get(key)
    if found is None and len(_SHARED_LINES) < SHARED_LINES_MAX:
        _SHARED_LINES[key] = found = lines
    return found if found is not None else lines


def read_document(abs_path: str, shown_path: str, store: FrontMatterStore | None = None) -> Document | Problem:
    """Read one Markdown file with YAML front-matter, tolerating BOMs and CRLF line endings."""
    try:
        raw = open(abs_path, "rb").read()
    except OSError as error:
        return Problem(shown_path, 1, "", f"cannot be read ({error.strerror})")
    return parse_document(raw, shown_path, store)


def file_stamp(abs_path: str) -> Hashable | None:
    """What says a file changed (modification time and size); None when it cannot be read."""
    try:
        status = os.stat(abs_path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


# A file parsed, with the stamp a cache knows it by, and its status (front_matter_store.py)
# taken before it was read, where a store keeps files.
Stamped = tuple[Hashable | None, Status | None, "Document | Problem"]


def stamped_read(abs_path: str, shown_path: str) -> Stamped:
    """A file parsed, with its stamp taken before reading it (a save meanwhile shows next time)."""
    return file_stamp(abs_path), None, read_document(abs_path, shown_path)


class DocumentCache:
    """Parsed files kept for the next read of the same file, so it is parsed only when it changed.

    ``mkdocs serve`` rebuilds everything on every save; parsing the front-matter of every
    entry again was most of the plugin's own share of that (see ``make bench``). There a file
    is known by its path and parsed again when its modification time or size changes.

    ``by_content``: a file is known by the path writers see (``content/entries/x.md``) and a
    digest of its bytes, wherever it lies. ``briefing diff`` reads the base's copy of an
    unchanged file from a checkout elsewhere, and this way parses it once for both sides.

    ``store``: front-matter and files read by earlier runs (front_matter_store.py): a file
    whose status is unchanged is not opened, and only front-matter new to the store is parsed;
    this process notes every file and parse it keeps there. ``remember=False``: only that
    (``briefing check`` reads each file once).

    Documents are never modified after parsing, so handing out the same one twice is safe.
    """

    def __init__(self, by_content: bool = False, store: FrontMatterStore | None = None, remember: bool = True) -> None:
        self._parsed: dict[tuple[str, str], tuple[Hashable, Document | Problem]] = {}
        self._by_content = by_content
        self._remember = remember
        self.store = store

    def __len__(self) -> int:
        return len(self._parsed)

    def read(self, abs_path: str, shown_path: str, specs: dict[str, FieldSpec] | None = None) -> Document | Problem:
        """The file parsed; ``specs``: the fields it is checked against (see ``keep``)."""
        if self._remember and not self._by_content and self.store is None:  # the preview's
            stamp = file_stamp(abs_path)
            cached = self._parsed.get(self._key(abs_path, shown_path))
            if stamp is not None and cached and cached[0] == stamp and _serves(cached[1], specs):
                return cached[1]
        return self.keep(abs_path, shown_path, *self.stamped_read(abs_path, shown_path, specs), specs=specs)

    def stamped_read(self, abs_path: str, shown_path: str, specs: dict[str, FieldSpec] | None = None) -> Stamped:
        """A file parsed (or as the store kept it), with the stamp this cache knows it by and
        its status (for a worker too: ParseAhead). With ``specs``, a file the store kept
        checked against them may come back checked only (``Document.without_parse``)."""
        status = file_status(abs_path) if self.store is not None else None
        if status is not None:
            kept = self._kept_document(abs_path, shown_path, status, specs)
            if kept is not None:
                return kept.content_digest, status, kept
        if not (self._by_content or self.store is not None):
            return stamped_read(abs_path, shown_path)
        raw = _file_bytes(abs_path)
        if raw is None:
            return None, None, read_document(abs_path, shown_path, self.store)  # says why, as one line
        digest = content_digest(raw)
        if self._by_content:
            cached = self._parsed.get(self._key(abs_path, shown_path))
            if cached and cached[0] == digest and _serves(cached[1], specs):
                return digest, status, cached[1]
        return digest, status, parse_document(raw, shown_path, self.store, digest)

    def keep(
        self, abs_path: str, shown_path: str, stamp: Hashable | None, status: Status | None, parsed: Document | Problem,
        specs: dict[str, FieldSpec] | None = None,
    ) -> Document | Problem:
        """Keep ``parsed``, read when the file had ``stamp`` and ``status``. With ``specs``, the
        preview's cache checks it now and keeps only the answer (``Document.without_parse``)."""
        # (A document the store kept checked only is kept there as it was: _kept_document.)
        if self.store is not None and isinstance(parsed, Document) and parsed.front_matter_digest and not parsed.checked_only:
            offset = parsed.first_line - 1
            lines = {key: line - offset for key, line in parsed.lines.items()}
            noted = self.store.note(parsed.front_matter_digest, parsed.meta, lines, parsed.raw_scalars)
            if noted and specs is not None and id(specs) in _KINDS:
                kind, _ = _KINDS[id(specs)]
                encoded = encode_check(*check_fields(parsed, specs), parsed.lines, parsed.first_line)
                self.store.note_check(f"{kind}:{parsed.front_matter_digest}", encoded)
            if status is not None and parsed.content_digest:
                self.store.note_file(abs_path, status, (
                    parsed.content_digest, parsed.front_matter_digest, parsed.first_line, parsed.body_line, parsed.body,
                ))  # fmt: skip
        if stamp is not None and self._remember:
            kept = parsed
            # Not where a store is noted from kept documents (diff's), nor by content (diff's too).
            if specs is not None and isinstance(parsed, Document) and self.store is None and not self._by_content:
                check_fields(parsed, specs)
                kept = parsed.without_parse()
            self._parsed[self._key(abs_path, shown_path)] = (stamp, kept)
        return parsed

    def _kept_document(
        self, abs_path: str, shown_path: str, status: Status, specs: dict[str, FieldSpec] | None
    ) -> Document | None:
        """The file as the store kept it, if its status is unchanged (None: read it): checked
        only, where its check against ``specs`` is kept too."""
        kept = self.store.unchanged(abs_path, status)
        if kept is None:
            return None
        digest, front_matter_digest, first_line, body_line, body = kept
        check = self._kept_check(front_matter_digest, specs, shown_path, first_line) if specs is not None else None
        if check is not None:
            values, problems, lines = check
            return Document(
                shown_path, {}, lines, body, first_line, body_line, checked={id(specs): (values, problems)},
                front_matter_digest=front_matter_digest, content_digest=digest, checked_only=True,
            )  # fmt: skip
        parse = self.store.get(front_matter_digest)
        if parse is None:
            return None
        meta, lines, raw_scalars = parse
        lines = {key: line + first_line - 1 for key, line in lines.items()}
        return Document(
            shown_path, meta, lines, body, first_line, body_line, raw_scalars,
            front_matter_digest=front_matter_digest, content_digest=digest,
        )  # fmt: skip

    def _kept_check(self, front_matter_digest: str, specs: dict[str, FieldSpec], path: str, first_line: int) -> Check | None:
        """The store's check of this front-matter against ``specs`` (kept_checks.py), or None.
        Its parse is kept for the next run as well, undecoded: another kind of file with the
        same front-matter needs it."""
        if id(specs) not in _KINDS:
            return None
        kind, field_kinds = _KINDS[id(specs)]
        key = f"{kind}:{front_matter_digest}"
        encoded = self.store.check(key)
        if encoded is None or not self.store.keep_parse(front_matter_digest):
            return None
        check = decode_check(encoded, field_kinds, path, first_line)
        if check is None:
            self.store.drop_check(key)  # not what this code writes: check the parse
        return check

    def _key(self, abs_path: str, shown_path: str) -> tuple[str, str]:
        return ("", shown_path) if self._by_content else (abs_path, shown_path)


def _serves(kept: Document | Problem, specs: dict[str, FieldSpec] | None) -> bool:
    """Whether a kept read serves one checked against ``specs``: a document kept without its
    parse only for the fields it was checked against (a file whose folder changed kind, when
    mkdocs.yml's docs_dir is edited during a preview, is read again)."""
    return not (isinstance(kept, Document) and kept.checked_only) or (specs is not None and id(specs) in kept.checked)


def _file_bytes(abs_path: str) -> bytes | None:
    try:
        with open(abs_path, "rb") as stream:
            return stream.read()
    except OSError:
        return None


def parse_document(
    raw: bytes, shown_path: str, store: FrontMatterStore | None = None, raw_digest: str | None = None
) -> Document | Problem:
    """Split and parse a file's bytes; see :func:`read_document`. ``store``: front-matter
    parsed before, by its text (the body is always this file's); ``raw_digest``: the bytes'
    ``content_digest``, for the store to know the file by.

    Whatever is wrong with the file comes back as one Problem: PyYAML raises more than
    ``YAMLError`` (``!!int eleven`` is a ValueError, an impossible ``!!timestamp`` too), and
    aliases can make a few lines stand for a billion values.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Problem(
            shown_path, line, "",
            f"is not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
        )  # fmt: skip
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    split = split_front_matter(text)
    if split == "none":
        return Problem(
            shown_path, 1, "",
            "has no front-matter (start the file with a '---' line, the fields, then '---')",
        )  # fmt: skip
    if split == "unclosed":
        return Problem(
            shown_path, 1, "",
            "front-matter is not closed (add a '---' line after the last field)",
        )  # fmt: skip
    yaml_text = split.yaml_text
    line_offset = text.count("\n", 0, split.yaml_start)
    if len(yaml_text) > MAX_FRONT_MATTER:
        return Problem(
            shown_path, line_offset + 1, "",
            f"front-matter is over {MAX_FRONT_MATTER // 1024} KB (keep long text in the body, below the '---')",
        )  # fmt: skip
    digest = digest_of(yaml_text) if store is not None else None
    kept = store.get(digest) if digest is not None else None
    if kept is not None:  # lines are kept counted from the front-matter's start
        meta, lines, raw_scalars = kept
        lines = {key: line + line_offset for key, line in lines.items()}
    else:
        parsed = _load_front_matter(yaml_text, shown_path, line_offset)
        if isinstance(parsed, Problem):
            return parsed
        meta, lines, raw_scalars = parsed
    rest = split.body
    body = rest.lstrip("\n")
    body_line = text.count("\n", 0, split.body_start) + len(rest) - len(body) + 1
    return Document(
        shown_path, meta, lines, body, line_offset + 1, body_line, raw_scalars,
        front_matter_digest=digest, content_digest=raw_digest,
    )  # fmt: skip


def without_front_matter(text: str) -> tuple[str, int]:
    """A page's Markdown without its YAML front-matter (MkDocs' meta), and the line it starts on."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    split = split_front_matter(text)
    if isinstance(split, str):
        return text, 1
    return split.body, text.count("\n", 0, split.body_start) + 1


# Front-matter is a handful of short fields: these bounds are far above any real file and far
# below what would take a build minutes or gigabytes.
MAX_FRONT_MATTER = 64 * 1024  # characters of YAML
MAX_VALUES = 10_000  # values (nodes), aliases counted each time they are used
MAX_TEXT = 256 * 1024  # characters of all text values together, aliases counted likewise


def _load_front_matter(
    yaml_text: str, shown_path: str, line_offset: int
) -> tuple[dict[str, Any], dict[str, int], dict[str, str]] | Problem:
    """The front-matter's fields, the line of each key and the source text of plain scalars.

    Values are built field by field, so that a value YAML cannot convert is reported on its
    own line and field.
    """
    try:
        # Python's own reader (where PyYAML has no libyaml) refuses control characters here.
        loader = _FrontMatterLoader(yaml_text)
    except yaml.YAMLError as error:
        return _yaml_problem(error, yaml_text, shown_path, line_offset)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as error:
            return _yaml_problem(error, yaml_text, shown_path, line_offset)
        except RecursionError:
            return Problem(shown_path, line_offset + 1, "", "front-matter is nested too deeply")
        if node is None:
            return {}, {}, {}
        if not isinstance(node, yaml.MappingNode):
            return Problem(shown_path, line_offset + 2, "", "front-matter must be 'field: value' lines")
        twice = _key_given_twice(node, shown_path, line_offset)
        if twice:
            return twice
        oversize = _oversize(node)
        if oversize:
            return Problem(shown_path, line_offset + 1, "", oversize)
        meta: dict[str, Any] = {}
        lines: dict[str, int] = {}
        raw_scalars: dict[str, str] = {}
        try:
            loader.flatten_mapping(node)  # '<<: *anchor' merges, as YAML's safe loader does
        except (yaml.YAMLError, ValueError, TypeError) as error:
            return Problem(shown_path, line_offset + 1, "<<", f"cannot be merged ({_reason(error)})")
        for key_node, value_node in node.value:
            line = line_offset + key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                return Problem(shown_path, line, "", "a field name must be a word, not a list or mapping")
            try:
                key = _construct(loader, key_node)
                value = _construct(loader, value_node)
            except Exception as error:  # PyYAML raises many kinds; each is one line
                tag = value_node.tag.rsplit(":", 1)[-1]
                shown = _short(value_node.value if isinstance(value_node, yaml.ScalarNode) else "…")
                return Problem(
                    shown_path, line, _shown_key(key_node.value),
                    f"YAML cannot read {shown} as '{tag}' ({_reason(error)}); remove the tag or fix the value",
                )  # fmt: skip
            name = str(key)
            meta[name] = value
            lines.setdefault(name, line)
            if isinstance(value_node, yaml.ScalarNode) and not value_node.style:  # plain: '' in libyaml
                raw_scalars[name] = value_node.value
        return meta, lines, raw_scalars
    finally:
        loader.dispose()


_STR_TAG = "tag:yaml.org,2002:str"


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A node's value, as the safe loader makes it. A string (most values are one) is the
    node's own text: skipping the constructor's dispatch for it takes a fifth off parsing
    (10,000 synthetic entries: 0.83 s against 1.04 s, best of four each)."""
    if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    return loader.construct_object(node, deep=True)


def _key_given_twice(node: yaml.MappingNode, shown_path: str, line_offset: int) -> Problem | None:
    """The first key written twice (YAML would silently keep the last)."""
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            line = line_offset + key_node.start_mark.line + 1
            if key_node.value in seen:
                return Problem(
                    shown_path, line, _shown_key(key_node.value),
                    f"is given twice (lines {seen[key_node.value]} and {line}); keep one",
                )  # fmt: skip
            seen[key_node.value] = line
    return None


def _oversize(node: yaml.Node) -> str | None:
    """Why ``node`` is too big once its aliases are expanded, or None.

    Counts every use of an alias again (that is what a reader of the value would walk), and
    stops as soon as a bound is passed, so a "billion laughs" costs a few thousand steps.
    """
    values = characters = 0
    stack = [node]
    while stack:
        current = stack.pop()
        values += 1
        if values > MAX_VALUES:
            return f"front-matter has over {MAX_VALUES:,} values once its YAML aliases are expanded (write the values out)"
        if isinstance(current, yaml.ScalarNode):
            characters += len(current.value)
            if characters > MAX_TEXT:
                return f"front-matter has over {MAX_TEXT // 1024} KB of text once its YAML aliases are expanded (write the values out)"
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
    return None


def _yaml_problem(error: yaml.YAMLError, yaml_text: str, shown_path: str, line_offset: int) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line_in_yaml = mark.line if mark else 0
    line = line_offset + line_in_yaml + 1
    reason = getattr(error, "problem", None) or getattr(error, "reason", None) or "malformed YAML"
    yaml_lines = yaml_text.split("\n")
    near = yaml_lines[max(0, line_in_yaml - 1) : line_in_yaml + 1]
    if any(part[: len(part) - len(part.lstrip())].count("\t") for part in near) or "\\t" in repr(reason):
        return Problem(shown_path, line, "", "front-matter is indented with a tab; indent with spaces")
    return Problem(
        shown_path, line, "",
        f"front-matter is not valid YAML ({reason}); check quotes, colons and indentation",
    )  # fmt: skip


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 4
_SHORT.maxlevel = 2


def _short(value: Any) -> str:
    """A short, bounded form of ``value`` for a message: never the whole of a huge value."""
    return _SHORT.repr(value)


def _shown_key(key: str) -> str:
    """A key as a message shows it: as written when that is plain, quoted otherwise."""
    return key if key and key.isprintable() and key.strip() == key and len(key) <= 40 else _short(key)


def _reason(error: BaseException) -> str:
    text = str(getattr(error, "problem", None) or error or type(error).__name__)
    return text if len(text) <= 80 else text[:79] + "…"


# --- field checks ------------------------------------------------------------------------------


class FieldError(ValueError):
    """A value that does not fit its field; the message says how to fix it."""


# What YAML makes of unquoted words and numbers, for messages about values meant as text.
_YAML_TYPES = {bool: "true or false", int: "a number", float: "a number"}


# Control characters (Unicode Cc) but tab and line ends, lone surrogates (a file name that is
# not UTF-8 comes back with them), and the two non-characters XML forbids.
_UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def unsafe_character(text: str) -> str | None:
    """The first character that cannot stand in a page, feed or JSON text, as U+XXXX."""
    found = _UNSAFE_CHARACTER.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def _text(value: Any, raw: str | None = None) -> str:
    if isinstance(value, str) and value.strip():
        bad = unsafe_character(value)
        if bad:
            raise FieldError(
                f"has an invisible control character ({bad}), often pasted from a PDF; delete it"
            )
        return " ".join(value.split())
    if isinstance(value, (list, dict)):
        raise FieldError(f"must be plain text, not a {'list' if isinstance(value, list) else 'mapping'}")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise FieldError("is empty (write the text after the colon)")
    if raw is not None and type(value) in _YAML_TYPES:
        kind = str(value).lower() if isinstance(value, bool) else _YAML_TYPES[type(value)]
        raise FieldError(f"YAML reads {_short(raw)} as {kind}; put it in quotes to mean the text")
    raise FieldError(f"{_short(value)} must be text (put it in quotes)")


def _text_list(value: Any, raw: str | None = None) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise FieldError("is an empty list (name at least one, or remove the field)")
    try:
        return tuple(_text(item, raw if item is value else None) for item in items)
    except FieldError as error:
        raise FieldError(f"each item {error}") from None


def _date(value: Any, raw: str | None = None) -> PartialDate:
    # An unquoted 0001 or 0x7DF is a number to YAML; the writer wrote text that looks like a date.
    if raw is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = raw
    try:
        return PartialDate.parse(value)
    except ValueError:
        shown = _short(value if isinstance(value, str) else raw if raw is not None else value)
        raise FieldError(f"{shown} is not a date ({DATE_HINT})") from None


def _url(value: Any, raw: str | None = None) -> str:
    text = _text(value, raw)
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises on a port that is not a number
    except ValueError:
        raise FieldError(f"{_short(text)} is not a well-formed link (check the address)") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FieldError(f"{_short(text)} is not an http(s) link (use a full https://… address)")
    if any(character.isspace() for character in text):
        raise FieldError(f"{_short(text)} has a space in it (write spaces in a link as %20)")
    return text


def _flag(value: Any, raw: str | None = None) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"{_short(raw if raw is not None else value)} must be true or false")
    return value


MAX_RULES_PER_ENTRY = 100
# Each tag is a page of its own (taxonomy.py): one file must not make thousands of pages.
MAX_TAGS_PER_ENTRY = 100


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter key: how to check it and what to tell a writer who leaves it out."""

    check: Callable[[Any, str | None], Any]
    required: bool = False
    example: str = ""
    kind: str = fields.TEXT  # the kind of field (fields.py): what its checked value is


# Each kind of field (fields.py) has one check.
CHECKS: dict[str, Callable[[Any, str | None], Any]] = {
    fields.DATE: _date, fields.TEXT: _text, fields.TEXTS: _text_list, fields.URL: _url,
    fields.FLAG: _flag, fields.STATUS: _text,  # checked against the site's vocabulary later
}  # fmt: skip


def _specs(table: tuple[fields.Field, ...]) -> dict[str, FieldSpec]:
    return {f.key: FieldSpec(CHECKS[f.kind], f.required, f.example, f.kind) for f in table}


ENTRY_FIELDS = _specs(fields.ENTRY)
RULE_FIELDS = _specs(fields.RULE)
SOURCE_FIELDS = _specs(fields.SOURCE)
FOLDER_FIELDS = {"entries": ENTRY_FIELDS, "rules": RULE_FIELDS, "sources": SOURCE_FIELDS}
# Each table's kind of file, as the store keeps checks by it, and its fields' kinds.
_KINDS = {
    id(specs): (kind, {key: spec.kind for key, spec in specs.items()})
    for kind, specs in (("entry", ENTRY_FIELDS), ("rule", RULE_FIELDS), ("source", SOURCE_FIELDS))
}  # fmt: skip


def check_fields(doc: Document, specs: dict[str, FieldSpec]) -> tuple[dict[str, Any], list[Problem]]:
    """Check a document's front-matter against ``specs``.

    Returns the cleaned values of the fields that passed and one problem for each that did not.
    Unknown keys are reported with a did-you-mean hint but do not make the file invalid.
    """
    if id(specs) not in doc.checked:
        if doc.checked_only:  # never silently: its fields would all look missing
            raise RuntimeError(f"{doc.path}: kept without its parse, and not checked against these fields")
        doc.checked[id(specs)] = _check_fields(doc, specs)
    values, problems = doc.checked[id(specs)]
    return dict(values), list(problems)


def _check_fields(doc: Document, specs: dict[str, FieldSpec]) -> tuple[dict[str, Any], list[Problem]]:
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    guessed: set[str] = set()
    for key, value in doc.meta.items():
        line = doc.lines.get(key, doc.first_line)
        spec = specs.get(key)
        if spec is None:
            guess = difflib.get_close_matches(key, list(specs), n=1) if len(key) < 40 else []
            hint = f"did you mean '{guess[0]}'?" if guess else f"known fields: {', '.join(specs)}"
            # A misspelt required field makes the file unusable; any other unknown key only warns.
            fatal = bool(guess) and specs[guess[0]].required and guess[0] not in doc.meta
            guessed.update(guess)
            problems.append(Problem(doc.path, line, _shown_key(key), f"unknown field ({hint})", fatal=fatal))
            continue
        try:
            values[key] = spec.check(value, doc.raw_scalars.get(key))
        except FieldError as error:
            problems.append(Problem(doc.path, line, key, str(error)))
    for key, spec in specs.items():
        if spec.required and key not in doc.meta and key not in guessed:
            problems.append(
                Problem(doc.path, doc.first_line, key, f"is required (add '{spec.example}')")
            )
    return values, problems


# --- whole files -----------------------------------------------------------------------------


def entry_from_document(
    doc: Document, entry_id: str, rel_path: str, statuses: Iterable[str]
) -> tuple[Entry | None, list[Problem]]:
    """Build an Entry, or None when a fatal problem leaves it out."""
    values, problems = check_fields(doc, ENTRY_FIELDS)
    status = values.get("status")
    if status is not None and status not in statuses:
        guess = difflib.get_close_matches(status, list(statuses), n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else "use one of: " + ", ".join(statuses)
        problems.append(
            Problem(doc.path, doc.lines["status"], "status", f"'{status}' is not a status ({hint})")
        )
    rules = values.get("rule", ())
    if len(rules) > MAX_RULES_PER_ENTRY:
        # Every rule's page and feed lists the claim with all its rules: quadratic in one
        # entry's size (5,000 rules took a build past three minutes).
        problems.append(Problem(
            doc.path, doc.lines.get("rule", 1), "rule",
            f"names {len(rules)} rules; a claim may be about at most {MAX_RULES_PER_ENTRY} (split it into several claims)",
        ))  # fmt: skip
    tags = values.get("tags", ())
    if len(tags) > MAX_TAGS_PER_ENTRY:
        problems.append(Problem(
            doc.path, doc.lines.get("tags", 1), "tags",
            f"has {len(tags)} tags; a claim may carry at most {MAX_TAGS_PER_ENTRY} (keep the ones readers browse by)",
        ))  # fmt: skip
    if any(p.fatal for p in problems):
        return None, problems
    entry = Entry(
        id=entry_id, path=rel_path, **fields.model_values(fields.ENTRY, values),
        body=doc.body, body_line=doc.body_line, lines=doc.lines,
    )  # fmt: skip
    return entry, problems


def rule_from_document(doc: Document, rule_id: str, rel_path: str) -> tuple[Rule | None, list[Problem]]:
    values, problems = check_fields(doc, RULE_FIELDS)
    if "title" not in values:
        return None, problems
    rule = Rule(
        id=rule_id, path=rel_path, **fields.model_values(fields.RULE, values),
        body=doc.body, body_line=doc.body_line, lines=doc.lines,
    )  # fmt: skip
    return rule, problems


def source_from_document(
    doc: Document, source_id: str, rel_path: str
) -> tuple[Source | None, list[Problem]]:
    values, problems = check_fields(doc, SOURCE_FIELDS)
    if "name" not in values:
        return None, problems
    source = Source(
        id=source_id, path=rel_path, **fields.model_values(fields.SOURCE, values),
        body=doc.body, body_line=doc.body_line, lines=doc.lines,
    )  # fmt: skip
    return source, problems


def _file_name_problem(item_id: str, shown: str) -> Problem | None:
    """A file name that cannot be an id in a web address (control characters, not UTF-8)."""
    bad = unsafe_character(item_id)
    if bad is None:
        return None
    what = "bytes that are not UTF-8" if bad.startswith("U+D") else f"a control character ({bad})"
    return Problem(shown, 1, "", f"the file name has {what}; rename the file (the name is its id in links)")


@dataclass
class Content:
    """Everything read from a content directory, before names are resolved."""

    entries: list[Entry] = field(default_factory=list)
    rules: dict[str, Rule] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    shown_dir: str = "content"  # how writers name the content directory, for messages
    # Content files left out as invalid (relative to the content directory): never published.
    skipped_paths: set[str] = field(default_factory=set)
    parsed_ahead: int = field(default=0, compare=False)  # files parsed by worker processes (ParseAhead), for the debug log


def markdown_files(content_dir: str) -> list[str]:
    """Every Markdown file under ``content_dir`` as sorted '/'-separated relative paths.

    Follows symlinked folders as MkDocs does (each real folder once, so a link loop ends),
    and skips dot-files and dot-folders as MkDocs does by default. The plugin passes the
    files MkDocs found instead; this is for callers without MkDocs.
    """
    found: list[str] = []
    visited: set[str] = set()
    for directory, subdirs, files in os.walk(content_dir, followlinks=True):
        real = os.path.realpath(directory)
        if real in visited:
            subdirs[:] = []
            continue
        visited.add(real)
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        rel_dir = os.path.relpath(directory, content_dir).replace(os.sep, "/")
        for name in files:
            if name.endswith(".md") and not name.startswith("."):
                found.append(name if rel_dir == "." else f"{rel_dir}/{name}")
    return sorted(found)


def read_content(
    content_dir: str,
    shown_dir: str,
    statuses: Iterable[str],
    cache: DocumentCache | None = None,
    paths: Iterable[str] | None = None,
    workers: int = 0,
) -> Content:
    """Read every entry, rule and source under ``content_dir``.

    ``shown_dir`` is how writers name that directory (``content``), used in messages;
    ``cache`` keeps parsed files for the next call (live preview); ``paths`` are the Markdown
    files to consider, relative to ``content_dir`` (default: all of them); ``workers``: worker
    processes that may parse files meanwhile (see :class:`ParseAhead`).
    """
    content = Content(shown_dir=shown_dir)
    all_paths = sorted(markdown_files(content_dir) if paths is None else paths)
    entry_paths = [p for p in all_paths if p.startswith("entries/")]
    item_paths = {folder: _item_paths(all_paths, folder) for folder in ("rules", "sources")}
    jobs = [(p, "entries") for p in entry_paths] + [(p, f) for f in ("rules", "sources") for p in item_paths[f]]
    with ParseAhead(content_dir, shown_dir, jobs, cache, workers) as ahead:
        _read_entries(content, content_dir, entry_paths, tuple(statuses), ahead.read)
        for folder, build, target in (
            ("rules", rule_from_document, content.rules),
            ("sources", source_from_document, content.sources),
        ):
            for rel_path in item_paths[folder]:
                item_id = rel_path[len(folder) + 1 : -len(".md")]
                shown = f"{shown_dir}/{rel_path}"
                doc = _file_name_problem(item_id, shown) or ahead.read(os.path.join(content_dir, rel_path), shown, FOLDER_FIELDS[folder])
                item, problems = (None, [doc]) if isinstance(doc, Problem) else build(doc, item_id, rel_path)
                content.problems.extend(problems)
                if item is None:
                    content.skipped_paths.add(rel_path)
                else:
                    target[item.id] = item
    content.parsed_ahead = ahead.used
    return content


def _item_paths(all_paths: list[str], folder: str) -> list[str]:
    """The rule (or source) files: ``rules/<id>.md``, not in a subfolder, and not
    ``rules/index.md``, the hand-written intro of /rules/."""
    found = []
    for rel_path in all_paths:
        rel = rel_path.removeprefix(f"{folder}/")
        if rel != rel_path and "/" not in rel and rel != "index.md":
            found.append(rel_path)
    return found


# Below this many files, starting workers costs more than they save.
PARSE_AHEAD_FROM = 2000


class ParseAhead:
    """Files parsed and checked in worker processes while this one reads the rest.

    Reading and parsing the files is most of what ``briefing check`` does at scale (at 100,000
    entries, some 35 of its 50 s on one core). The workers are forks (render_workers.py): each
    parses every (workers + 1)th file, this process the others, and it takes the workers'
    results in the order it needs them. A result that does not come is read here, so working
    ahead can make reading faster, never different.
    """

    def __init__(
        self, content_dir: str, shown_dir: str, jobs: list[tuple[str, str]],
        cache: DocumentCache | None, workers: int,
    ) -> None:  # fmt: skip
        self._cache = cache
        self._ahead: RenderAhead | None = None
        self.used = 0  # results the workers gave
        # Once the cache holds files (a preview's rebuild), there is little left to parse; where
        # the previous run's parses are kept for most of them, splitting a file and decoding
        # its kept parse costs about what sending a worker's result here does (10,000
        # entries: 1.30 s in one process, 1.75 s with a worker).
        if workers < 1 or len(jobs) < PARSE_AHEAD_FROM or (cache is not None and len(cache)):
            return
        if cache is not None and cache.store is not None and len(cache.store) >= len(jobs) // 2:
            return
        theirs = [
            (os.path.join(content_dir, rel_path), f"{shown_dir}/{rel_path}", folder)
            for index, (rel_path, folder) in enumerate(jobs)
            if index % (workers + 1)
        ]  # fmt: skip
        read = cache.stamped_read if cache is not None else stamped_read
        self._ahead = RenderAhead(theirs, lambda job: _parse_and_check(job, read), workers)
        self._jobs = {job[:2]: job for job in theirs}

    def read(self, abs_path: str, shown_path: str, specs: dict[str, FieldSpec]) -> Document | Problem:
        """The file parsed, to be checked against ``specs`` (the fields of its folder's kind)."""
        job = self._jobs.get((abs_path, shown_path)) if self._ahead else None
        made = self._ahead.take(job) if job else None
        if made is None:
            return self._cache.read(abs_path, shown_path, specs) if self._cache is not None else read_document(abs_path, shown_path)
        stamp, status, parsed = made
        self.used += 1
        return self._cache.keep(abs_path, shown_path, stamp, status, parsed, specs) if self._cache is not None else parsed

    def __enter__(self) -> ParseAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._ahead:
            self._ahead.close()  # files never asked for (a bad name, say) stop their worker


def _parse_and_check(job: tuple[str, str, str], read: Callable[[str, str], Stamped]) -> Stamped:
    """A worker's job: a file parsed (with its stamp and status, see DocumentCache), and its
    fields checked as its folder's kind.

    The check's answer travels in ``Document.checked``, keyed by the id of the specs table: the
    same in a forked worker as here."""
    abs_path, shown_path, folder = job
    stamp, status, parsed = read(abs_path, shown_path)
    if isinstance(parsed, Document):
        check_fields(parsed, FOLDER_FIELDS[folder])
    return stamp, status, parsed


def _read_entries(
    content: Content, content_dir: str, paths: list[str], statuses: tuple[str, ...],
    read: Callable[[str, str, dict[str, FieldSpec]], Document | Problem],
) -> None:
    """Read the entries at ``paths`` into ``content``: one per id, each file name checked."""
    shown_dir = content.shown_dir
    seen_entries: dict[str, str] = {}
    folded_entries: dict[str, str] = {}  # NFC and case folded id -> the first file with it
    for rel_path in paths:
        shown = f"{shown_dir}/{rel_path}"
        entry_id = os.path.splitext(rel_path.rsplit("/", 1)[-1])[0]
        problem = _file_name_problem(entry_id, shown)
        if problem is None and entry_id in seen_entries:
            problem = Problem(
                shown, 1, "",
                f"entry id '{entry_id}' is already used by {shown_dir}/{seen_entries[entry_id]} "
                "(rename one of the files; the file name is the entry id)",
            )  # fmt: skip
        if problem:
            content.problems.append(problem)
            content.skipped_paths.add(rel_path)
            continue
        seen_entries[entry_id] = rel_path
        folded = unicodedata.normalize("NFC", entry_id).casefold()
        other = folded_entries.setdefault(folded, rel_path)
        if other != rel_path:
            # Two URLs on Linux, one file on macOS and Windows checkouts (which fold case, and
            # on macOS Unicode forms): a writer there would lose one of them.
            content.problems.append(Problem(
                shown, 1, "",
                f"the file name differs from {shown_dir}/{other} only by case or Unicode form; the two "
                "would be one file on macOS and Windows: rename one",
                fatal=False,
            ))  # fmt: skip
        doc = read(os.path.join(content_dir, rel_path), shown, ENTRY_FIELDS)
        entry, problems = (None, [doc]) if isinstance(doc, Problem) else entry_from_document(doc, entry_id, rel_path, statuses)
        content.problems.extend(problems)
        if entry is None:
            content.skipped_paths.add(rel_path)
        else:
            content.entries.append(entry)

