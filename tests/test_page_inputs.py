"""Derived dependencies: every generated output that a change to a field alters had declared
that field among its inputs (page_inputs.py), so the live preview rebuilds it.

For each field of each kind of content (the field table, fields.py), changed and, where it is
optional, removed: two real builds in this process, before and after. Every page, feed and
data file of ours whose bytes differ must show different inputs (its own, or what every page
shows). The random edits of tests/test_preview.py sample the same property; this walks every
field.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from briefing import fields
from conftest import write_tree

CONFIG = """\
site_name: Inputs
site_url: https://example.org/i/
docs_dir: content
theme:
  name: material
plugins:
  - search
  - briefing:
      split_above: 3
"""

RULES = {
    "bank": {"title": "Bank rules", "jurisdiction": "China", "issuer": "CBRC", "kind": "regulation",
             "aliases": ["bank IT rules"], "summary": "IT security for banks."},
    "law": {"title": "The law", "part_of": "bank", "jurisdiction": "China"},
}  # fmt: skip
SOURCES = {
    "hill": {"name": "The Hill", "kind": "newspaper", "url": "https://thehill.com/", "aliases": ["Hill"]},
    "wire": {"name": "Wire", "kind": "agency"},
}
ENTRIES = {
    "e1": {"date": "2014-11", "source": "hill", "rule": "bank", "claim": "Drafted.", "status": "proposed", "tags": ["banks"]},
    "e2": {"date": "2015-01-10", "source": "wire", "rule": ["bank", "law"], "claim": "Adopted.", "status": "adopted",
           "by": "An official", "quote": "It is adopted.", "url": "https://example.org/a", "tags": ["banks", "law"]},
    "e3": {"date": "2015-01-20", "source": "hill", "rule": "bank", "claim": "Paused.", "status": "paused",
           "contradicts": "e2", "after": "e2"},
    "e4": {"date": "2015", "source": "wire", "rule": "law", "claim": "In force.", "status": "in-force"},
    "e5": {"date": "2016-03-01", "source": "hill", "rule": "bank", "claim": "Resumed.", "status": "resumed"},
    "e6": {"date": "2016-04-02", "source": "wire", "rule": "bank", "claim": "Noted.", "tags": ["banks"]},
}  # fmt: skip

# A different value of each kind of field, and one for fields that name other content.
CHANGED = {
    fields.DATE: "2016-03-02", fields.TEXT: "Edited text", fields.URL: "https://example.org/other",
    fields.FLAG: True, fields.STATUS: "withdrawn", fields.TEXTS: ["edited"],
}  # fmt: skip
NAMES = {"source": "wire", "rule": ["law"], "entry": ["e1"]}


def files(entries: dict, rules: dict, sources: dict) -> dict[str, str]:
    def page(meta: dict) -> str:
        return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\nBody.\n"

    out = {"mkdocs.yml": CONFIG, "content/index.md": "# Home\n\n<!-- briefing:state-of-play -->\n"}
    out |= {f"content/rules/{k}.md": page(v) for k, v in rules.items()}
    out |= {f"content/sources/{k}.md": page(v) for k, v in sources.items()}
    out |= {f"content/entries/{k}.md": page(v) for k, v in entries.items()}
    return out


def built(project: Path, tree: dict[str, str]) -> tuple[dict[str, bytes], dict[str, object], object]:
    """Build ``tree`` in this process: each output of ours by src_uri (its bytes), the inputs it
    declared, and what every page declared."""
    for path in (project / "content").rglob("*.md") if (project / "content").exists() else ():
        path.unlink()
    write_tree(project, tree)
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    # As `mkdocs build` does: MkDocs keeps one plugin instance per process (another test's
    # `serve` state would otherwise stay on it). No workers: outputs are compared in-process.
    config.plugins.on_startup(command="build", dirty=False)
    config.plugins["briefing"].renders_ahead = False
    build(config)
    site = config.plugins["briefing"].site
    outputs, declared = {}, {}
    for file in config.plugins["briefing"].files:
        shows = site.inputs_of(file.src_uri)
        if shows is not None:
            declared[file.src_uri] = shows
            outputs[file.src_uri] = Path(file.abs_dest_path).read_bytes()
    return outputs, declared, site.site_inputs()


def edits(kind: str):
    """(name, item id, its new front-matter) for each field of ``kind``: changed on the first
    item that has it (or the first item), and removed there where it is optional."""
    items = {"entry": ENTRIES, "rule": RULES, "source": SOURCES}[kind]
    for field in fields.TABLES[kind]:
        item_id = next((i for i, meta in items.items() if field.key in meta), next(iter(items)))
        meta = items[item_id]
        yield f"{item_id}.{field.key}", item_id, {**meta, field.key: NAMES.get(field.names, CHANGED[field.kind])}
        if not field.required and field.key in meta:
            yield f"{item_id}.{field.key} removed", item_id, {k: v for k, v in meta.items() if k != field.key}


@pytest.mark.parametrize("kind", ["entry", "rule", "source"])
def test_every_output_a_field_changes_declared_that_field(tmp_path, kind):
    os.environ["SOURCE_DATE_EPOCH"] = "1429142400"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    base = {"entry": ENTRIES, "rule": RULES, "source": SOURCES}
    before, declared_before, site_before = built(tmp_path, files(ENTRIES, RULES, SOURCES))
    assert len(before) > 20  # pages, year pages, feeds and data: the build ran
    undeclared, checked = [], 0
    for name, item_id, meta in edits(kind):
        content = {k: dict(v) for k, v in base.items()}
        content[kind] = {**base[kind], item_id: meta}
        after, declared_after, site_after = built(tmp_path, files(content["entry"], content["rule"], content["source"]))
        if site_after != site_before:
            continue  # every page is rebuilt
        for uri, data in after.items():
            if before.get(uri) != data and declared_before.get(uri) == declared_after[uri]:
                undeclared.append(f"{name}: {uri}")
        checked += 1
    assert checked >= {"entry": 15, "rule": 4, "source": 3}[kind], checked  # most edits rebuild only some pages
    assert undeclared == [], undeclared
