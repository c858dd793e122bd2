"""Checks of writers' text that need the compiled briefing or the build's Markdown: ``[[name]]``
links to no rule, script (markup.py) and Markdown past its bounds (bounds.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import markdown

from .bounds import bounded, out_of_bounds
from .compiled import Briefing
from .markup import unsafe_markup_problems
from .model import Problem
from .render import BLOCK_MARKER
from .wikilinks import link_rule_names


def text_problems(briefing: Briefing, texts: Iterable[tuple[str, str, int]], options: Any) -> tuple[list[Problem], set[str]]:
    """The problems in each writer's text, (src_uri, Markdown, first line), drafts' too (they
    are checked, only not published); and the src_uris of the texts that hold a block.
    ``options``: the site's (``SiteOptions``)."""
    converter: list[markdown.Markdown] = []  # made on first need: most sites never need it

    def to_html(text: str) -> str:
        if not converter:
            converter.append(markdown.Markdown(
                extensions=options.markdown_extensions, extension_configs=options.mdx_configs,
            ))  # fmt: skip
        return converter[0].reset().convert(bounded(text))  # as the build converts it

    problems: list[Problem] = []
    with_blocks: set[str] = set()
    for path, text, first_line in texts:
        if "<!--" in text and BLOCK_MARKER.search(text):  # the substring first: 100,000 texts
            with_blocks.add(path)
        shown = f"{options.shown_dir}/{path}"
        problems += rule_link_problems(briefing, shown, text, first_line)
        limit = out_of_bounds(text)
        if limit:
            why, line = limit
            problems.append(Problem(
                shown, first_line + line - 1, "body",
                f"{why}; it is shown as plain text until it is simplified", fatal=False,
            ))  # fmt: skip
        if not options.trusted_html:
            problems += unsafe_markup_problems(shown, text, first_line, to_html)
    return problems, with_blocks


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
