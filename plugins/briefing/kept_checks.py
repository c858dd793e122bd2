"""A front-matter's check, as ``briefing check`` and ``diff`` keep it between runs.

``reader.check_fields`` turns a parsed front-matter into the values of its fields and the
problems with them. At 100,000 entries, decoding each kept parse and checking it again took
1.5 s of every ``briefing check``, for files nobody had touched. So the answer is kept in the
front-matter store (front_matter_store.py) by the front-matter's digest and the kind of file it
was checked as, and a file whose status, parse and check are kept is not checked again.

The answer is JSON: each value as JSON holds it (a date as its ISO text, a list of names as an
array), each problem and each key's line counted from the front-matter's first line (the same
front-matter can stand lower in another file), and no file name (it is the file's own).
Reading one back, every value must be of its field's kind (a date is parsed again, so it is a
real date): what does not fit is not used, and the file is checked again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import orjson

from . import fields
from .dates import PartialDate
from .model import Problem

# A check kept: the values of the fields that passed, the problems, and each key's line.
Check = tuple[dict[str, Any], list[Problem], dict[str, int]]


def encode_check(values: dict[str, Any], problems: list[Problem], lines: dict[str, int], first_line: int) -> str:
    """``check_fields``' answer for a front-matter starting at ``first_line``, as kept."""
    offset = first_line - 1
    return json.dumps([
        [[key, value.iso() if isinstance(value, PartialDate) else value] for key, value in values.items()],
        [[problem.line - offset, problem.field, problem.message, problem.fatal] for problem in problems],
        {key: line - offset for key, line in lines.items()},
    ])  # fmt: skip


def decode_check(encoded: str, kinds: Mapping[str, str], path: str, first_line: int) -> Check | None:
    """The kept check for the file at ``path`` whose front-matter starts at ``first_line``
    (``kinds``: each field's kind, by key), or None where it is not what ``encode_check``
    wrote."""
    offset = first_line - 1
    try:
        # orjson: a third of json's time on these short texts. (It refuses a lone surrogate,
        # which json writes as an escape: that file is checked again, as for any damage.)
        stored_values, stored_problems, stored_lines = orjson.loads(encoded)
        values = {key: _STORED[kinds[key]](value) for key, value in stored_values}
        if stored_problems and not all(
            type(line) is int and type(key) is str and type(message) is str and type(fatal) is bool
            for line, key, message, fatal in stored_problems
        ):
            return None
        if not all(type(key) is str and type(line) is int for key, line in stored_lines.items()):
            return None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError):
        return None
    problems = [Problem(path, line + offset, key, message, fatal) for line, key, message, fatal in stored_problems]
    return values, problems, {key: line + offset for key, line in stored_lines.items()}


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not text")
    return value


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list or not all(type(item) is str for item in value):
        raise TypeError("not a list of text")
    return tuple(value)


# One date for each day (PartialDate is immutable): 100,000 claims name some 10,000 days, and
# looking one up is a tenth of parsing it.
@lru_cache(maxsize=1 << 16)
def _date(value: Any) -> PartialDate:
    return PartialDate.parse(_text(value))


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("not true or false")
    return value


# How a kept value of each kind of field (fields.py) is read back.
_STORED: dict[str, Callable[[Any], Any]] = {
    fields.DATE: _date, fields.TEXT: _text, fields.TEXTS: _texts, fields.URL: _text,
    fields.FLAG: _flag, fields.STATUS: _text,
}  # fmt: skip
