"""Checking a whole content tree without building the site (``briefing check``)."""

from __future__ import annotations

import os

from .briefing import Briefing, compile_briefing
from .model import Problem
from .siteconfig import SiteConfig
from .wikilinks import link_rule_names

_GENERATED_FOLDERS = ("entries/", "rules/", "sources/")


def check_site(site: SiteConfig) -> tuple[Briefing, list[Problem]]:
    """Every problem the build would report, in file and line order."""
    briefing = compile_briefing(site.docs_dir, site.shown_dir, site.settings)
    problems = list(briefing.problems)
    bodies = [
        (item.path, item.body, item.body_line)
        for item in (*briefing.entries, *briefing.drafts, *briefing.rules.values(), *briefing.sources.values())
        if item.path
    ]
    for rel in _other_pages(site.docs_dir):
        with open(os.path.join(site.docs_dir, rel), encoding="utf-8-sig", errors="replace") as stream:
            bodies.append((rel, stream.read(), 1))
    for path, body, first_line in bodies:
        problems.extend(rule_link_problems(briefing, f"{site.shown_dir}/{path}", body, first_line))
    problems.sort(key=lambda p: (p.path, p.line, p.field))
    return briefing, problems


def rule_link_problems(briefing: Briefing, shown_path: str, markdown: str, first_line: int) -> list[Problem]:
    """One problem for each ``[[name]]`` in ``markdown`` that names no rule."""
    if "[[" not in markdown:
        return []
    _, unknown = link_rule_names(markdown, lambda name, text: "" if briefing.rule_by_name(name) else None)
    return unknown_rule_problems(shown_path, unknown, first_line)


def unknown_rule_problems(shown_path: str, unknown: list[tuple[int, str]], first_line: int) -> list[Problem]:
    """Problems for ``[[name]]`` links to no rule, as found by :func:`link_rule_names`."""
    return [
        Problem(shown_path, line + first_line - 1, "[[link]]", f"'{name}' is not a rule (use a rule id, title or alias)")
        for line, name in unknown
    ]


def _other_pages(docs_dir: str) -> list[str]:
    """Hand-written pages outside entries/, rules/ and sources/ (index pages included)."""
    found = []
    for directory, subdirs, files in os.walk(docs_dir):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        rel_dir = os.path.relpath(directory, docs_dir).replace(os.sep, "/")
        for name in sorted(files):
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if name.endswith(".md") and (
                not rel.startswith(_GENERATED_FOLDERS) or rel in ("rules/index.md", "sources/index.md")
            ):
                found.append(rel)
    return found
