"""One field table (fields.py): everything that knows a front-matter field is derived from it."""

from __future__ import annotations

import dataclasses
import json
from importlib.resources import files

import pytest
from click.testing import CliRunner

from briefing import fields, reader
from briefing.cli import new
from briefing.model import Entry, Rule, Source


@pytest.mark.parametrize("kind", ["entry", "rule", "source"])
def test_the_shipped_schemas_are_the_generated_ones(kind):
    shipped = (files("briefing") / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert shipped == fields.schema_text(kind), "regenerate them: .venv/bin/python -m briefing.fields"
    assert list(json.loads(shipped)["properties"]) == [f.key for f in fields.TABLES[kind]]


@pytest.mark.parametrize(
    ("table", "specs", "model"),
    [(fields.ENTRY, reader.ENTRY_FIELDS, Entry), (fields.RULE, reader.RULE_FIELDS, Rule), (fields.SOURCE, reader.SOURCE_FIELDS, Source)],
)
def test_the_reader_and_the_model_follow_the_table(table, specs, model):
    assert list(specs) == [f.key for f in table]
    assert [key for key, spec in specs.items() if spec.required] == [f.key for f in table if f.required]
    attributes = {f.name for f in dataclasses.fields(model)}
    assert {f.model_attribute for f in table} <= attributes


def test_briefing_new_has_an_option_for_each_field():
    options = {option for param in new.params for option in param.opts}
    assert {f"--{f.key}" for f in fields.ENTRY} <= options
    help_text = CliRunner().invoke(new, ["--help"]).output
    for field in fields.ENTRY:
        assert field.about.split(":")[0].split("(")[0][:30] in " ".join(help_text.split())


def test_published_and_shown_values_cover_every_published_field():
    published = [f.data_name for f in fields.ENTRY if f.data_name]
    assert "draft" not in published and "source_url" in published and "rules" in published
    assert fields.SHOWN_NAMES == (*published, "body")
