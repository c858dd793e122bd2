"""Front-matter parsed by earlier runs of ``briefing check`` and ``briefing diff``.

At 100,000 entries, parsing every file's YAML was half of what ``briefing check`` did (22.7 of
its 42 s on two cores), and between two runs a writer changes a handful of files. So each
front-matter's parse is kept between runs, known by a digest of its text, and a file whose
front-matter is unchanged is only read and split (its body comes from the file every time).

Where: the user's cache folder (``$BRIEFING_CACHE_DIR``, else ``$XDG_CACHE_HOME/briefing``, else
``~/.cache/briefing``), one file per content folder, never the repository: a pull request could
otherwise commit a cache that says a file holds what it does not.

What: JSON, not pickle, so loading it runs no code. The values YAML makes that JSON cannot hold
(dates, bytes, sets, tuples, keys that are not strings) are tagged; a front-matter holding
anything else is not kept. A file that is not this format, or was written by another version
of the reader (a fingerprint of its source and of PyYAML), is ignored whole. Deleting the
folder is always safe.
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
from pathlib import Path
from typing import Any

import yaml

FORMAT = 1

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
    """What the kept parses depend on: the reader's code, this format's, and PyYAML."""
    digest = hashlib.sha256()
    here = Path(__file__)
    for module in (here, here.with_name("reader.py")):
        digest.update(module.read_bytes())
    digest.update(f"{yaml.__version__} {yaml.__with_libyaml__} {sys.version_info[:2]}".encode())
    return digest.hexdigest()


def digest_of(yaml_text: str) -> str:
    """The key a front-matter is kept by."""
    return hashlib.blake2b(yaml_text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class FrontMatterStore:
    """The parses kept by the previous run, and those this run used, for the next.

    Only the parses used by the last run are written back, so the file follows the content
    (a branch switched back and forth is parsed again once each way, not kept forever).
    """

    def __init__(self, path: str | None = None) -> None:
        """The parses kept in the file at ``path`` (none yet where it is missing); None: a
        store for this run only."""
        self.path = path
        # digest -> the parse as JSON text: the previous run's not yet used by this one, and
        # this run's, for the file it writes. Each parse stays one string until it is used:
        # 100,000 strings cost the garbage collector nothing, a million lists and dicts did.
        self._loaded: dict[str, str] = {}
        self._kept: dict[str, str] = {}
        self._new = False  # a parse not in the file
        self.hits = 0  # front-matters this run did not parse (for the tests)
        if path is not None:
            self._loaded = _read(path)

    def __len__(self) -> int:
        """The parses the previous run kept."""
        return len(self._loaded)

    @classmethod
    def for_content(cls, content_dir: str) -> FrontMatterStore:
        """The store of the content folder at ``content_dir``, as the last run left it."""
        name = hashlib.sha256(os.path.realpath(content_dir).encode("utf-8", "surrogatepass")).hexdigest()[:24]
        return cls(os.path.join(cache_folder(), f"front-matter-{name}.json"))

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

    def note(self, digest: str, meta: dict[str, Any], lines: dict[str, int], raw_scalars: dict[str, str]) -> None:
        """A parse this run used (``lines`` as in ``Kept``), to keep for the next run."""
        if digest in self._kept:
            return
        encoded = self._loaded.pop(digest, None)
        if encoded is None:
            try:
                encoded = json.dumps([[[key, _encode(value)] for key, value in meta.items()], lines, raw_scalars])
            except (_NotKept, RecursionError, ValueError):
                return
            self._new = True
        self._kept[digest] = encoded

    def save(self) -> None:
        """Write what this run used, where it changed; a cache that cannot be written is no error."""
        if self.path is None or not (self._new or self._loaded):  # the file holds just these
            return
        document = {"format": FORMAT, "fingerprint": _fingerprint(), "parses": self._kept}
        try:
            folder = os.path.dirname(self.path)
            os.makedirs(folder, mode=0o700, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=".front-matter-", delete=False) as stream:
                stream.write(json.dumps(document, separators=(",", ":")).encode("ascii"))
            os.replace(stream.name, self.path)  # a reader never sees half a file
        except OSError:
            try:
                os.unlink(stream.name)
            except (OSError, NameError):
                pass


def _read(path: str) -> dict[str, str]:
    """The parses in the file at ``path``; none where it is missing, damaged or of another version."""
    try:
        with open(path, "rb") as stream:
            document = json.loads(stream.read())
        if document.get("format") != FORMAT or document.get("fingerprint") != _fingerprint():
            return {}
        parses = document["parses"]
        return parses if isinstance(parses, dict) and all(type(text) is str for text in parses.values()) else {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return {}


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
