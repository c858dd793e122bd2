"""Front-matter parsed by earlier runs of ``briefing check`` and ``briefing diff``, and the
files they read, for the next run.

At 100,000 entries, parsing every file's YAML was half of what ``briefing check`` did (22.7 of
its 42 s on two cores), and between two runs a writer changes a handful of files. So each
front-matter's parse is kept between runs, known by a digest of its text.

Then opening and reading 100,000 small files was the largest part left: 1.8 s when the
operating system had them cached, 16 s when it had not (after a build, on this project's VM).
So each file read is kept too, with its status (``os.stat``: modification and change times,
size, inode), as git's index keeps a work tree's: a file whose status is the same next time is
not opened, and its body comes from here. A file changed within the last ``SETTLE_SECONDS`` is
not kept, so a second save within one tick of the file system's clock, unseen by its status, is
never taken for the first; any later change moves its times.

Where: the user's cache folder (``$BRIEFING_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefing``, else
``~/.cache/briefing``), one file per content folder, never the repository: a pull request could
otherwise commit a cache that says a file holds what it does not.

Then checking each kept parse's fields again (``reader.check_fields``) and decoding it was the
largest part: so each front-matter's check, as one kind of file (an entry, a rule, a source), is
kept too, by the same digest. A file whose status, parse and check are all kept is neither
opened, parsed nor checked.

What: JSON, not pickle, so loading it runs no code (read by orjson, twice as fast as the
standard library's parser on it; written by the latter, piece by piece). The values YAML makes
that JSON cannot hold (dates, bytes, sets, tuples, keys that are not strings) are tagged; a
front-matter holding anything else is not kept. A file that is not this format, or was written
by another version of the reader (a fingerprint of its source and of PyYAML), is ignored whole.
Deleting the folder is always safe.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
import yaml

FORMAT = 3

# A file whose modification or change time is younger than this is read again next time: a save
# within the same tick of the file system's clock (a few milliseconds; seconds on some network
# and FAT file systems) leaves its status as it was.
SETTLE_SECONDS = 2

# Writing the store again took 2.5 s at 100,000 files: it is written once what it would add or
# drop is at least this share of it. Until then, the few files changed since are read and parsed
# again by each run, which costs milliseconds.
REWRITE_SHARE = 0.01

# What says a file is the one read before: (st_mtime_ns, st_ctime_ns, st_size, st_ino).
Status = tuple[int, int, int, int]
# A file as read: a digest of its bytes, its front-matter's digest (its parse: ``Kept``), the
# lines where the front-matter and the body start, and the body.
KeptFile = tuple[str, str, int, int, str]

# The parse kept for one front-matter: its fields, each key's line within it (1: the line after
# the opening '---'), and the source text of plain scalars.
Kept = tuple[dict[str, Any], dict[str, int], dict[str, str]]


class _NotKept(Exception):
    """A value this format does not hold (NaN, a recursive list, a type YAML made but JSON lacks)."""


def cache_folder() -> str:
    """The user's cache folder for briefing, by the usual conventions (XDG on Linux)."""
    chosen = os.environ.get("BRIEFING_CACHE_DIR")
    if chosen:
        return chosen
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "briefing")


def _fingerprint() -> str:
    """What the kept parses and checks depend on: the reader's code (and the field table and
    dates it checks by), this format's, and PyYAML."""
    digest = hashlib.sha256()
    here = Path(__file__)
    for module in (here, *(here.with_name(name) for name in ("reader.py", "kept_checks.py", "fields.py", "dates.py"))):
        digest.update(module.read_bytes())
    digest.update(f"{yaml.__version__} {yaml.__with_libyaml__} {sys.version_info[:2]}".encode())
    return digest.hexdigest()


def digest_of(yaml_text: str) -> str:
    """The key a front-matter is kept by."""
    return hashlib.blake2b(yaml_text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def content_digest(raw: bytes) -> str:
    """What says two files hold the same bytes (``briefing diff`` parses such a file once)."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def file_status(abs_path: str) -> Status | None:
    """The file's status as this store compares it; None when it cannot be read."""
    try:
        status = os.stat(abs_path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)


class FrontMatterStore:
    """The parses kept by the previous run, and those this run used, for the next.

    Only the parses used by the last run are written back, so the file follows the content
    (a branch switched back and forth is parsed again once each way, not kept forever).
    """

    def __init__(self, path: str | None = None, content_dir: str | None = None) -> None:
        """The parses kept in the file at ``path`` (none yet where it is missing); None: a
        store for this run only. ``content_dir``: the folder whose files it keeps (no others:
        ``briefing diff`` reads the base's copies from a checkout elsewhere)."""
        self.path = path
        self._files_under = os.path.join(content_dir, "") if content_dir else None
        # digest -> the parse as JSON text: the previous run's not yet used by this one, and
        # this run's, for the file it writes. Each parse stays one string until it is used:
        # 100,000 strings cost the garbage collector nothing, a million lists and dicts did.
        self._loaded: dict[str, str] = {}
        self._kept: dict[str, str] = {}
        # A file's path in the content folder -> [*Status, *KeptFile], likewise.
        self._files_loaded: dict[str, list] = {}
        self._files_kept: dict[str, list] = {}
        # "<kind>:<digest>" -> a front-matter's check as that kind, as JSON text (the reader
        # writes and reads it: reader.py), likewise.
        self._checks_loaded: dict[str, str] = {}
        self._checks_kept: dict[str, str] = {}
        self._new = 0  # parses and files not in the file
        self.hits = 0  # front-matters this run did not parse (for the tests)
        self.files_unread = 0  # files this run did not open (for the tests)
        if path is not None:
            self._loaded, self._files_loaded, self._checks_loaded = _read(path)

    def __len__(self) -> int:
        """The parses the previous run kept."""
        return len(self._loaded)

    @classmethod
    def for_content(cls, content_dir: str) -> FrontMatterStore:
        """The store of the content folder at ``content_dir``, as the last run left it."""
        name = hashlib.sha256(os.path.realpath(content_dir).encode("utf-8", "surrogatepass")).hexdigest()[:24]
        return cls(os.path.join(cache_folder(), f"front-matter-{name}.json"), content_dir)

    def get(self, digest: str) -> Kept | None:
        """The kept parse of the front-matter with this digest, or None."""
        encoded = self._loaded.get(digest) or self._kept.get(digest)
        if encoded is None:
            return None
        try:
            meta, lines, raw_scalars = json.loads(encoded)
            found = ({key: _decode(value) for key, value in meta}, dict(lines), dict(raw_scalars))
            # What the reader makes, and nothing else: a damaged file must not reach the checks.
            if not (
                all(type(key) is str for key in found[0])
                and all(type(key) is str and type(line) is int for key, line in found[1].items())
                and all(type(key) is str and type(text) is str for key, text in found[2].items())
            ):
                raise TypeError("field names are text, lines numbers, plain scalars text")
        except (TypeError, ValueError, KeyError, RecursionError):
            self._loaded.pop(digest, None)  # not what this code writes: parse the file
            self._kept.pop(digest, None)
            return None
        self.hits += 1
        return found

    def note(self, digest: str, meta: dict[str, Any], lines: dict[str, int], raw_scalars: dict[str, str]) -> bool:
        """A parse this run used (``lines`` as in ``Kept``), to keep for the next run; whether
        it is kept (not when it holds what this format does not)."""
        if digest in self._kept:
            return True
        encoded = self._loaded.pop(digest, None)
        if encoded is None:
            try:
                encoded = json.dumps([[[key, _encode(value)] for key, value in meta.items()], lines, raw_scalars])
            except (_NotKept, RecursionError, ValueError):
                return False
            self._new += 1
        self._kept[digest] = encoded
        return True

    def keep_parse(self, digest: str) -> bool:
        """Keep for the next run the parse with this digest, used by this one without being
        decoded (its check was kept); whether the store has it."""
        encoded = self._loaded.pop(digest, None)
        if encoded is not None:
            self._kept[digest] = encoded
            return True
        return digest in self._kept

    def check(self, key: str) -> str | None:
        """The kept check by this key (``<kind>:<digest>``), kept for the next run too."""
        encoded = self._checks_loaded.pop(key, None)
        if encoded is None:
            return self._checks_kept.get(key)
        self._checks_kept[key] = encoded
        return encoded

    def note_check(self, key: str, encoded: str) -> None:
        """A check this run made or used, to keep for the next run."""
        if key not in self._checks_kept:
            if self._checks_loaded.pop(key, None) is None:
                self._new += 1
            self._checks_kept[key] = encoded

    def drop_check(self, key: str) -> None:
        """Forget a kept check that is not what this code writes (the file is checked again)."""
        self._checks_loaded.pop(key, None)
        self._checks_kept.pop(key, None)

    def _file_key(self, abs_path: str) -> str | None:
        """The path a file is kept by, None for a file outside the content folder."""
        under = self._files_under
        return abs_path[len(under) :] if under and abs_path.startswith(under) else None

    def unchanged(self, abs_path: str, status: Status) -> KeptFile | None:
        """The file at ``abs_path`` as a run read it, if its status is still ``status``."""
        key = self._file_key(abs_path)
        record = (self._files_loaded.get(key) or self._files_kept.get(key)) if key else None
        if record is None or len(record) != 9 or record[:4] != list(status):
            return None
        kept = tuple(record[4:])
        # (Spelt out, not a loop over the types: this runs for every file of every check.)
        if not (type(kept[0]) is str and type(kept[1]) is str and type(kept[2]) is int and type(kept[3]) is int and type(kept[4]) is str):
            self._files_loaded.pop(key, None)  # not what this code writes: read the file
            return None
        self._files_kept[key] = self._files_loaded.pop(key, record)
        self.files_unread += 1
        return kept  # type: ignore[return-value]

    def note_file(self, abs_path: str, status: Status, kept: KeptFile) -> None:
        """A file this run read (its status taken before reading it), to keep for the next run
        if it is in the content folder, has settled, and its front-matter's parse is kept."""
        key = self._file_key(abs_path)
        if key is None or not (key.isascii() or _is_utf8(key)):  # a name of undecodable bytes: not kept
            return
        settled = time.time_ns() - SETTLE_SECONDS * 1_000_000_000
        if status[0] > settled or status[1] > settled or kept[1] not in self._kept:
            self._files_loaded.pop(key, None)
            self._files_kept.pop(key, None)
            return
        record = [*status, *kept]
        if (self._files_loaded.pop(key, None) or self._files_kept.get(key)) != record:
            self._new += 1
        self._files_kept[key] = record

    def save(self) -> None:
        """Write what this run used, where it changed; a cache that cannot be written is no error."""
        # What writing would add (new) and drop (kept by the last run, unused by this one).
        changes = self._new + len(self._loaded) + len(self._files_loaded) + len(self._checks_loaded)
        if self.path is None or changes == 0 or changes < REWRITE_SHARE * (len(self._kept) + len(self._files_kept) + len(self._checks_kept)):
            return
        document = {
            "format": FORMAT, "fingerprint": _fingerprint(),
            "parses": self._kept, "files": self._files_kept, "checks": self._checks_kept,
        }  # fmt: skip
        try:
            folder = os.path.dirname(self.path)
            os.makedirs(folder, mode=0o700, exist_ok=True)
            # Bodies in any script as UTF-8, not \u escapes; written piece by piece, not made
            # into one string and then bytes (two more copies of every body at once).
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=".front-matter-", delete=False) as stream:
                json.dump(document, stream, separators=(",", ":"), ensure_ascii=False)
            os.replace(stream.name, self.path)  # a reader never sees half a file
        except (OSError, UnicodeEncodeError):
            try:
                os.unlink(stream.name)
            except (OSError, NameError):
                pass


def _is_utf8(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (a file name of bytes that are not UTF-8 comes
    with lone surrogates, and one such name must not keep the whole store from being written)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read(path: str) -> tuple[dict[str, str], dict[str, list], dict[str, str]]:
    """The parses, files and checks in the file at ``path``; none where it is missing, damaged
    or of another version. (Each file's record is checked when it is used: ``unchanged``, and
    each check by the reader.)"""
    try:
        with open(path, "rb") as stream:
            # orjson: 0.5 s where the standard library's json took 0.9 s, for the store of 100,000
            # entries (190 MB), on every run. From the bytes: no second copy as text.
            document = orjson.loads(stream.read())
        if document.get("format") != FORMAT or document.get("fingerprint") != _fingerprint():
            return {}, {}, {}
        parses, files, checks = document["parses"], document["files"], document["checks"]
        if not (isinstance(parses, dict) and all(type(text) is str for text in parses.values())):
            return {}, {}, {}
        if not (isinstance(checks, dict) and all(type(text) is str for text in checks.values())):
            checks = {}
        if not (isinstance(files, dict) and all(type(record) is list for record in files.values())):
            return parses, {}, checks
        return parses, files, checks
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return {}, {}, {}


def _encode(value: Any) -> Any:
    """``value`` as JSON holds it: strings, whole numbers, finite floats, booleans and null as
    themselves, lists as arrays; anything else as a one-key object naming its type."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _NotKept(value)
        return value
    if kind is list:
        return [_encode(item) for item in value]
    if kind is dict:
        return {"m": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if kind is datetime.date:
        return {"d": value.isoformat()}
    if kind is datetime.datetime:
        return {"t": value.isoformat()}
    if kind is bytes:
        return {"b": base64.b64encode(value).decode("ascii")}
    if kind is tuple:
        return {"u": [_encode(item) for item in value]}
    if kind is set:
        return {"s": [_encode(item) for item in value]}
    raise _NotKept(value)


def _decode(value: Any) -> Any:
    """The value ``_encode`` was given."""
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    ((tag, inner),) = value.items()
    if tag == "m":
        return {_decode(key): _decode(item) for key, item in inner}
    if tag == "d":
        return datetime.date.fromisoformat(inner)
    if tag == "t":
        return datetime.datetime.fromisoformat(inner)
    if tag == "b":
        return base64.b64decode(inner, validate=True)
    if tag == "u":
        return tuple(_decode(item) for item in inner)
    if tag == "s":
        return {_decode(item) for item in inner}
    raise ValueError(f"unknown tag {tag!r}")
