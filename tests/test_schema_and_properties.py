"""The shipped JSON Schemas agree with the reader; the reader never raises on any input."""

import json
from importlib.resources import files

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.model import DEFAULT_STATUSES, Problem
from briefing.reader import (
    ENTRY_FIELDS,
    Document,
    _FrontMatterLoader,
    entry_from_document,
    parse_document,
)
from conftest import REPO, entry
from test_errors import BAD_ENTRIES


def schema(kind):
    return json.loads((files("briefing") / "schema" / f"{kind}.schema.json").read_text())


def front_matter(path):
    text = path.read_text(encoding="utf-8")
    return yaml.load(text.split("---\n")[1], Loader=_FrontMatterLoader)


def test_example_content_matches_the_schemas():
    for kind, folder in (("entry", "entries"), ("rule", "rules"), ("source", "sources")):
        validator = jsonschema.Draft7Validator(schema(kind))
        paths = list((REPO / "content" / folder).rglob("*.md"))
        assert paths
        for path in paths:
            errors = [e.message for e in validator.iter_errors(front_matter(path))]
            assert errors == [], path


def test_schema_rejects_what_the_reader_rejects():
    validator = jsonschema.Draft7Validator(schema("entry"))
    for case, (text, _) in BAD_ENTRIES.items():
        if case in ("bad date", "a number that is no date"):
            # A pattern cannot know February has no 30th, nor that YAML's 2015 was written
            # 0x7DF (a schema sees the value, not the text); `briefing check` does.
            continue
        doc = parse_document(text if isinstance(text, bytes) else text.encode(), "x.md")
        if isinstance(doc, Problem):
            continue  # not YAML at all: nothing for a schema to see
        assert not validator.is_valid(doc.meta), case
    good = parse_document(entry("2015-04-13", "Hill", "bank", "C.").encode(), "x.md")
    assert validator.is_valid(good.meta)


def test_schema_knows_every_field_the_reader_knows():
    assert set(schema("entry")["properties"]) == set(ENTRY_FIELDS)
    assert schema("entry")["properties"]["status"]["enum"] == list(DEFAULT_STATUSES)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
field_names = st.sampled_from([*ENTRY_FIELDS, "souce", "x", ""]) | st.text(max_size=10)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(field_names, yaml_values, max_size=8))
def test_any_front_matter_is_accepted_or_clearly_refused(meta):
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nBody\n"
    doc = parse_document(text.encode(), "content/entries/x.md")
    if isinstance(doc, Problem):
        assert str(doc).startswith("content/entries/x.md:")
        return
    entry_, problems = entry_from_document(doc, "x", "entries/x.md", DEFAULT_STATUSES)
    assert (entry_ is None) == any(p.fatal for p in problems)
    for problem in problems:
        assert str(problem).startswith("content/entries/x.md:") and "\n" not in str(problem)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_accepted_or_clearly_refused(raw):
    for data in (raw, b"---\n" + raw, b"---\n" + raw + b"\n---\n"):
        doc = parse_document(data, "content/entries/x.md")
        assert isinstance(doc, (Document, Problem))
        if isinstance(doc, Document):
            entry_from_document(doc, "x", "entries/x.md", DEFAULT_STATUSES)
