"""``[[rule-id]]`` (or a rule's title or alias) in any page's text links to that rule's briefing."""

from __future__ import annotations

import re
from collections.abc import Callable

_WIKILINK = re.compile(r"\[\[([^\[\]\n|]+?)(?:\|([^\[\]\n]+?))?\]\]")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")


def link_rule_names(
    markdown: str,
    render_link: Callable[[str, str | None], str | None],
) -> tuple[str, list[tuple[int, str]]]:
    """Replace ``[[name]]`` and ``[[name|text]]`` with links; leave code alone.

    ``render_link(name, text)`` gives the link's HTML, or None for a name that is no rule.
    Returns the new Markdown and the unknown names with their 1-based line numbers.
    """
    if "[[" not in markdown:
        return markdown, []  # most entries: no need to walk their lines
    unknown: list[tuple[int, str]] = []
    out: list[str] = []
    fence: str | None = None
    for number, line in enumerate(markdown.split("\n"), start=1):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1).startswith(fence):
                fence = None
            out.append(line)
            continue
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        if "[[" not in line:
            out.append(line)
            continue

        def replace(match: re.Match[str], number: int = number) -> str:
            name = match.group(1).strip()
            link = render_link(name, (match.group(2) or "").strip() or None)
            if link is None:
                unknown.append((number, name))
                return match.group(0)
            return link

        out.append(_outside_code(line, lambda text: _WIKILINK.sub(replace, text)))
    return "\n".join(out), unknown


def _outside_code(line: str, transform: Callable[[str], str]) -> str:
    """Apply ``transform`` to the parts of ``line`` outside inline code spans."""
    parts, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        parts.append(transform(line[last : span.start()]))
        parts.append(span.group(0))
        last = span.end()
    parts.append(transform(line[last:]))
    return "".join(parts)
