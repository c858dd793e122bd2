"""The front-matter fields of entries, rules and sources: one table, from which everything else
that knows a field is derived.

Each :class:`Field` says what a writer writes (its key and kind), what it means (``about``),
whether it is required, which attribute of the content model holds it, what it names (a
source, rules, entries) and under which name readers' data shows it. From the table come:

- the reader's checks (``reader.ENTRY_FIELDS``, ``RULE_FIELDS``, ``SOURCE_FIELDS``) and the
  content model's values (:func:`model_values`);
- the JSON Schemas shipped for editors (:func:`json_schema`; tests/test_fields.py holds the
  files in ``schema/`` equal to it);
- ``entries.json`` (:func:`published_values`) and ``briefing diff`` (:func:`shown_values`);
- ``briefing new``'s options (``cli.py``);
- what a listed claim shows, for the live preview (``Entry.listed``).

Adding a field is a row here, an attribute on the model class, and whatever the templates
show of it (README, "Adding a field").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .model import DEFAULT_STATUSES, Entry

# What a field's value is. Each kind has one check (reader.py), one JSON Schema and one empty
# value for a field left out.
DATE, TEXT, TEXTS, URL, FLAG, STATUS = "date", "text", "texts", "url", "flag", "status"
EMPTY: dict[str, Any] = {DATE: None, TEXT: None, TEXTS: (), URL: None, FLAG: False, STATUS: None}


@dataclass(frozen=True)
class Field:
    """One front-matter key."""

    key: str
    kind: str
    about: str  # one line for writers: the schema's description, `briefing new --help`
    required: bool = False
    example: str = ""  # what the "is required" message suggests adding
    attribute: str = ""  # the model's attribute holding the checked value; default: the key
    names: str = ""  # "source", "rule" or "entry": the value names those, resolved to ids
    published_as: str | None = ""  # its name in entries.json and briefing diff; "": the key; None: not shown

    @property
    def model_attribute(self) -> str:
        return self.attribute or self.key

    @property
    def data_name(self) -> str | None:
        return self.key if self.published_as == "" else self.published_as


ENTRY = (
    Field("date", DATE, "When the claim was made or reported: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known.",
          required=True, example="date: 2015-04-13"),
    Field("source", TEXT, "Where the claim was read: a source id, name or alias.",
          required=True, example="source: the-hill", attribute="source_ref", names="source"),
    Field("rule", TEXTS, "The rule(s) the claim is about: id, title or alias, or a list of them.",
          required=True, example="rule: bank-it-security-rules", attribute="rule_refs", names="rule", published_as="rules"),
    Field("claim", TEXT, "One sentence, plain text: what is claimed.",
          required=True, example="claim: One sentence saying what is claimed."),
    Field("status", STATUS, "The status the claim asserts (default vocabulary; a site may configure its own)."),
    Field("by", TEXT, "Who made the claim, when that is not the source itself."),
    Field("url", URL, "Link to the source document: an http or https link.", published_as="source_url"),
    Field("quote", TEXT, "A short verbatim quote."),
    Field("contradicts", TEXTS, "Entry id(s) this claim disputes.", names="entry"),
    Field("after", TEXTS, "An entry id, or a list of them, that this claim came after: orders claims that share "
          "a period ('days later' in a report), never an invented day.", names="entry"),
    Field("tags", TEXTS, "Topics, a word or a few each."),
    Field("draft", FLAG, "true: checked, but not published.", published_as=None),
)  # fmt: skip

RULE = (
    Field("title", TEXT, "The rule's name as readers know it.", required=True, example="title: China's bank IT-security rules"),
    Field("jurisdiction", TEXT, "Where the rule applies: a country, a region, a bloc."),
    Field("issuer", TEXT, "Who issues the rule: a ministry, a regulator, a parliament."),
    Field("kind", TEXT, "What kind of rule it is: law, regulation, draft, guideline."),
    Field("part_of", TEXT, "The id, title or alias of the rule this one is part of.", names="rule"),
    Field("aliases", TEXTS, "Other names entries may use for this rule."),
    Field("summary", TEXT, "One line on what the rule does."),
)  # fmt: skip

SOURCE = (
    Field("name", TEXT, "The source's name as readers know it.", required=True, example="name: The Hill"),
    Field("kind", TEXT, "What kind of source it is: newspaper, agency, wire service, official."),
    Field("url", URL, "The source's home page: an http or https link."),
    Field("aliases", TEXTS, "Other names entries may use for this source."),
)  # fmt: skip

TABLES = {"entry": ENTRY, "rule": RULE, "source": SOURCE}
WHERE = {"entry": "content/entries/**/*.md", "rule": "content/rules/<id>.md", "source": "content/sources/<id>.md"}


def model_values(table: tuple[Field, ...], values: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for the model class from checked front-matter ``values``."""
    return {attribute: values.get(key, empty) for attribute, key, empty in _model_keys(table)}


# id(table) -> (the table, so that its id is never another's, and its model keys)
_MODEL_KEYS: dict[int, tuple[tuple[Field, ...], tuple[tuple[str, str, Any], ...]]] = {}


def _model_keys(table: tuple[Field, ...]) -> tuple[tuple[str, str, Any], ...]:
    """(model attribute, key, empty value) of each field in ``table``, worked out once per
    table: 100,000 entries asked for them 700,000 times."""
    found = _MODEL_KEYS.get(id(table))
    if found is None:
        found = _MODEL_KEYS[id(table)] = (table, tuple((f.model_attribute, f.key, EMPTY[f.kind]) for f in table))
    return found[1]


# --- what readers' data shows ------------------------------------------------------------------

# A field that names sources or rules is published as their ids (entries.json) or their names
# (briefing diff, for a reviewer); these are the resolved attributes of an entry.
RESOLVED = {"source": "source_id", "rule": "rule_ids"}


def _resolved(entry: Entry, field: Field) -> Any:
    value = getattr(entry, RESOLVED.get(field.names, field.model_attribute))
    return tuple(value) if isinstance(value, (list, tuple)) else value


def published_values(entry: Entry) -> Iterable[tuple[str, Any]]:
    """An entry's fields as ``entries.json`` gives them: names resolved to ids, a date as its
    ISO form and its precision (``day``, ``month``, ``year``)."""
    for field in ENTRY:
        if field.data_name is None:
            continue
        if field.kind == DATE:
            yield field.data_name, entry.date.iso()
            yield f"{field.data_name}_precision", entry.date.precision
        else:
            yield field.data_name, _resolved(entry, field)


def shown_values(entry: Entry, name_of: Callable[[str, str], str]) -> dict[str, Any]:
    """An entry's fields as a reviewer reads them in ``briefing diff``: sources and rules by
    their names (``name_of(kind, id)``), lists as lists, the body last."""
    shown: dict[str, Any] = {}
    for field in ENTRY:
        if field.data_name is None:
            continue
        value = entry.date.iso() if field.kind == DATE else _resolved(entry, field)
        if field.names in RESOLVED:
            value = [name_of(field.names, v) for v in value] if isinstance(value, tuple) else name_of(field.names, value)
        shown[field.data_name] = list(value) if isinstance(value, tuple) else value
    shown["body"] = entry.body.strip()
    return shown


SHOWN_NAMES = tuple(f.data_name for f in ENTRY if f.data_name is not None) + ("body",)


def listed(entry: Entry) -> tuple:
    """All that a page listing ``entry`` can show (everything but the body): each field, the
    resolved names and when the claim entered the briefing."""
    return (
        entry.id, *(getattr(entry, f.model_attribute) for f in ENTRY),
        entry.source_id, entry.rule_ids, entry.added, entry.changed, entry.disputes,
    )  # fmt: skip


# --- JSON Schemas for editors ------------------------------------------------------------------

_TEXT = {"type": "string", "minLength": 1, "pattern": "\\S"}
_SCHEMAS: dict[str, Callable[[tuple[str, ...]], dict[str, Any]]] = {
    DATE: lambda _: {"anyOf": [
        {"type": "string", "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"},
        {"type": "integer", "minimum": 1, "maximum": 9999},
    ]},
    TEXT: lambda _: dict(_TEXT),
    TEXTS: lambda _: {"anyOf": [dict(_TEXT), {"type": "array", "items": dict(_TEXT), "minItems": 1}]},
    URL: lambda _: {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/\\s]+", "format": "uri"},
    FLAG: lambda _: {"type": "boolean"},
    STATUS: lambda statuses: {"enum": list(statuses)},
}  # fmt: skip


def json_schema(kind: str, statuses: tuple[str, ...] = DEFAULT_STATUSES) -> dict[str, Any]:
    """The JSON Schema (draft 7) of a ``kind`` ("entry", "rule", "source") file's front-matter."""
    table = TABLES[kind]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": f"Briefing {kind} front-matter ({WHERE[kind]})",
        "type": "object",
        "required": [f.key for f in table if f.required],
        "additionalProperties": False,
        "properties": {f.key: {"description": f.about, **_SCHEMAS[f.kind](statuses)} for f in table},
    }


def schema_text(kind: str) -> str:
    """The shipped file's text: ``schema/<kind>.schema.json``."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m briefing.fields: write the shipped schemas afresh
    from pathlib import Path

    for kind in TABLES:
        (Path(__file__).parent / "schema" / f"{kind}.schema.json").write_text(schema_text(kind), encoding="utf-8")
