"""Bounds on what a writer's Markdown may ask of Python-Markdown.

Python-Markdown recurses once per level of nesting (a list 300 levels deep ends the whole build
in RecursionError) and its inline patterns backtrack over openers that never close (16 KB of
``[`` took 75 s; ``![``, ``[^`` and ``<a`` are as bad). A text past these bounds is one problem
line, and the build shows it as plain preformatted text, which Markdown passes through as it is,
so no writer's text can stall or crash a build. ``briefing check`` converts texts with the same
bounds, so it is never green where the build would die.
"""

from __future__ import annotations

import html

MAX_NESTING = 32  # lists and quotes inside each other; a real briefing needs a handful
MAX_UNCLOSED = 64  # more "[" than "]" (or "(" than ")", "<" than ">") by this many


def nesting(markdown: str) -> tuple[int, int]:
    """(deepest nesting, its 1-based line): four columns of indentation, or one ``>``, a level."""
    deepest, where = 0, 1
    for number, line in enumerate(markdown.split("\n"), start=1):
        text = line.expandtabs(4)
        stripped = text.lstrip(" ")
        depth = (len(text) - len(stripped)) // 4
        while stripped.startswith(">"):
            depth += 1
            stripped = stripped[1:].lstrip(" ")
        if depth > deepest:
            deepest, where = depth, number
    return deepest, where


def unclosed(markdown: str) -> str | None:
    """The opener that is left unclosed too often for Markdown's inline patterns, or None."""
    for opener, closer in (("[", "]"), ("(", ")"), ("<", ">")):
        opened = markdown.count(opener)
        if opened > MAX_UNCLOSED and opened - markdown.count(closer) > MAX_UNCLOSED:  # few openers: no count of closers
            return opener
    return None


def out_of_bounds(markdown: str) -> tuple[str, int] | None:
    """Why ``markdown`` is past the bounds and at which line, or None (cheap counts first)."""
    # Nesting past the bound needs that many lines, quote markers or columns of indentation:
    # most texts are ruled out by one count.
    if markdown.count("\n") >= MAX_NESTING or markdown.count(">") > MAX_NESTING or " " * (4 * MAX_NESTING) in markdown:
        deepest, line = nesting(markdown)
        if deepest > MAX_NESTING:
            return f"is nested {deepest} levels deep (lists or quotes inside each other; at most {MAX_NESTING})", line
    opener = unclosed(markdown)
    if opener:
        return f"has over {MAX_UNCLOSED} more '{opener}' than it closes, which Markdown cannot read in reasonable time", 1
    return None


def bounded(markdown: str) -> str:
    """``markdown`` as the build converts it: unchanged, or, past the bounds, as preformatted
    text that Markdown passes through without parsing."""
    if out_of_bounds(markdown) is None:
        return markdown
    return f'<pre class="briefing-unformatted">{html.escape(markdown)}</pre>\n'
