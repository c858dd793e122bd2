"""Checks of writers' text that need the compiled briefing or the build's Markdown: ``[[name]]``
links to no rule, script (markup.py) and Markdown past its bounds (bounds.py)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

import markdown

from .bounds import bounded, out_of_bounds
from .compiled import Briefing
from .markup import unsafe_markup_problems
from .model import Problem
from .render import BLOCK_MARKER
from .render_workers import RenderAhead
from .wikilinks import link_rule_names

# A text's own findings: its problems that depend on nothing else (its bounds, its markup) and
# whether it holds a block. Those of the last call of text_problems are kept, with the settings
# they were found under: `briefing diff` checks the base's texts after the work tree's, nearly
# all of them the same, and the live preview checks every text on each save (0.8 s at 100,000
# entries, each time). By the text alone (strings keep their hash, and a text kept by both is
# one object): a text with no findings has none in any file, at any line, and is kept as the one
# value _CLEAN (100,000 tuples of findings would be memory the preview server cannot spare);
# other findings are kept with the file and line they were found for.
_Own = tuple[tuple[Problem, ...], bool]
_CLEAN: _Own = ((), False)
_last_found: tuple[Hashable, dict[str, _Own | tuple[str, int, _Own]]] = (None, {})


def _settings(options: Any) -> Hashable:
    """What a text's own findings depend on besides the text (``options``: ``SiteOptions``)."""
    return (options.shown_dir, options.trusted_html, repr(options.markdown_extensions), repr(options.mdx_configs))


def _converter(options: Any) -> Callable[[str], str]:
    """Writers' Markdown to HTML as the build converts it (the converter made on first need:
    most sites never need it)."""
    converter: list[markdown.Markdown] = []

    def to_html(text: str) -> str:
        if not converter:
            converter.append(markdown.Markdown(
                extensions=options.markdown_extensions, extension_configs=options.mdx_configs,
            ))  # fmt: skip
        return converter[0].reset().convert(bounded(text))

    return to_html


def text_problems(
    briefing: Briefing, texts: Iterable[tuple[str, str, int]], options: Any, ahead: FindingsAhead | None = None,
    some: bool = False,
) -> tuple[list[Problem], set[str]]:
    """The problems in each writer's text, (src_uri, Markdown, first line), drafts' too (they
    are checked, only not published); and the src_uris of the texts that hold a block.
    ``options``: the site's (``SiteOptions``); ``ahead``: texts' own findings made meanwhile;
    ``some``: ``texts`` are a few of the site's (a served save's), whose findings are kept
    beside the others' rather than in their place."""
    global _last_found
    to_html = _converter(options)
    settings = _settings(options)
    before = _last_found[1] if _last_found[0] == settings else {}
    if ahead is not None:
        before = {**before, **ahead.found(settings)}
    found: dict[str, _Own | tuple[str, int, _Own]] = {}
    problems: list[Problem] = []
    with_blocks: set[str] = set()
    for path, text, first_line in texts:
        kept = before.get(text)
        if kept is _CLEAN:
            own = _CLEAN
        elif kept is not None and kept[:2] == (path, first_line):
            own = kept[2]  # type: ignore[misc]
        else:
            own = _own_findings(path, text, first_line, options, to_html)
        found[text] = own if own is _CLEAN else (path, first_line, own)
        if own[1]:
            with_blocks.add(path)
        problems += rule_link_problems(briefing, f"{options.shown_dir}/{path}", text, first_line)
        problems += own[0]
    if some and _last_found[0] == settings:
        _last_found[1].update(found)
    else:
        _last_found = (settings, found)
    return problems, with_blocks


# Below this many texts, a worker costs more than it saves; and the texts a worker takes at once.
FINDINGS_AHEAD_FROM = 5000
FINDINGS_CHUNK = 5000


class FindingsAhead:
    """Texts' own findings made in a worker process (render_workers.py) while this one compiles
    the briefing: at 100,000 entries they were 0.9 s of a 10 s `briefing check`, after all else.

    The worker is a fork: it reads the texts where they lie, and sends back only the findings
    of texts that have any (few), by their place in ``texts``. What it has not sent when asked
    for is found by text_problems itself, as ever.
    """

    def __init__(self, texts: list[tuple[str, str, int]], options: Any, workers: int) -> None:
        self._options, self._settings = options, _settings(options)
        # Not those the last check of texts found (the base of a `briefing diff`: nearly all).
        known = _last_found[1] if _last_found[0] == self._settings else {}
        self._texts = [key for key in texts if key[1] not in known] if known else texts
        self._ahead: RenderAhead | None = None
        if workers >= 1 and len(self._texts) >= FINDINGS_AHEAD_FROM:
            starts = list(range(0, len(self._texts), FINDINGS_CHUNK))
            self._ahead = RenderAhead(starts, self._find, 1)

    def _find(self, start: int) -> list[tuple[int, _Own]]:
        """In the worker: the findings of the texts from ``start`` on that have any."""
        to_html = _converter(self._options)
        found = []
        for index in range(start, min(start + FINDINGS_CHUNK, len(self._texts))):
            own = _own_findings(*self._texts[index], self._options, to_html)
            if own is not _CLEAN:
                found.append((index, own))
        return found

    def found(self, settings: Hashable) -> dict[str, _Own | tuple[str, int, _Own]]:
        """What the worker found, as text_problems keeps findings (none under other settings),
        and the worker stopped."""
        found: dict[str, _Own | tuple[str, int, _Own]] = {}
        if self._ahead is None:
            return found
        try:
            if settings == self._settings:
                for start in range(0, len(self._texts), FINDINGS_CHUNK):
                    made = self._ahead.take(start)
                    if made is None:
                        continue  # not made there: text_problems finds these itself
                    owns = dict(made)
                    for index in range(start, min(start + FINDINGS_CHUNK, len(self._texts))):
                        path, text, first_line = self._texts[index]
                        own = owns.get(index, _CLEAN)
                        found[text] = own if own is _CLEAN else (path, first_line, own)
        finally:
            self._ahead.close()
            self._ahead = None
        return found


def _own_findings(path: str, text: str, first_line: int, options: Any, to_html: Callable[[str], str]) -> _Own:
    """What ``text`` alone says: its problems (bounds, markup) and whether it holds a block."""
    has_block = "<!--" in text and BLOCK_MARKER.search(text) is not None  # the substring first: 100,000 texts
    shown = f"{options.shown_dir}/{path}"
    problems: list[Problem] = []
    limit = out_of_bounds(text)
    if limit:
        why, line = limit
        problems.append(Problem(
            shown, first_line + line - 1, "body",
            f"{why}; it is shown as plain text until it is simplified", fatal=False,
        ))  # fmt: skip
    if not options.trusted_html:
        problems += unsafe_markup_problems(shown, text, first_line, to_html)
    return (tuple(problems), has_block) if problems or has_block else _CLEAN


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
