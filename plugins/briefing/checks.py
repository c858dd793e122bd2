"""Checks of writers' page text that need the compiled briefing: ``[[name]]`` links."""

from __future__ import annotations

from .briefing import Briefing
from .model import Problem
from .wikilinks import link_rule_names


def rule_link_problems(briefing: Briefing, shown_path: str, markdown: str, first_line: int) -> list[Problem]:
    """One problem for each ``[[name]]`` in ``markdown`` that names no rule."""
    if "[[" not in markdown:
        return []
    _, unknown = link_rule_names(markdown, lambda name, text: "" if briefing.rule_by_name(name) else None)
    # Not fatal: the page is published, with the name as plain text.
    return [
        Problem(
            shown_path, line + first_line - 1, "[[link]]",
            f"'{name}' is not a rule (use a rule id, title or alias)", fatal=False,
        )
        for line, name in unknown
    ]  # fmt: skip
