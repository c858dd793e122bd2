"""Script in writers' text: found, reported, and left out of what is published.

Pull requests may come from outside the team, and a briefing is read by people who trust it, so
a writer's Markdown may not run code in a reader's browser: no ``<script>`` (or ``<iframe>``,
``<object>``, ``<embed>``, ``<base>``, ``<meta>``), no ``on*=`` event attributes, no
``javascript:``, ``vbscript:`` or ``data:`` links. Sites whose writers are all trusted can allow
raw HTML (``trusted_html: true``).

The check reads the HTML that Markdown makes of the text, not the Markdown, because that is what
a browser runs: entity tricks such as ``java&#115;cript:`` and attributes added by Markdown
extensions (``{onclick=...}`` with ``attr_list``) are seen as a browser sees them. Only texts
that could hold such markup are converted at all (see ``might_be_unsafe``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import escape

from .model import Problem

BLOCKED_ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta"})
BLOCKED_SCHEMES = ("javascript:", "vbscript:", "data:")
# Attributes whose value is a link a browser follows or loads.
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data",
    "codebase", "dynsrc", "lowsrc", "ping", "manifest", "icon", "srcset",
})  # fmt: skip
# Nothing can be unsafe in a text without a '<' or '&' (a tag or an entity), a control
# character (which a browser drops from a scheme), or the words of the schemes themselves;
# most entries have none of them and are never converted.
_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")
_DATA_SCHEME = re.compile(r"data\s*:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme


@dataclass(frozen=True)
class Finding:
    """One piece of unsafe markup: what to tell the writer, and a word to find its line by."""

    what: str
    needle: str


def might_be_unsafe(markdown: str) -> bool:
    """Whether ``markdown`` needs converting to be checked (plain substring tests first: this
    runs on every text of every build)."""
    if "<" in markdown or "&" in markdown or _CONTROL.search(markdown):
        return True
    lowered = markdown.lower()
    return "script" in lowered or ("data" in lowered and _DATA_SCHEME.search(lowered) is not None)


def _blocked_scheme(name: str, value: str, tag: str) -> str | None:
    normalised = _INVISIBLE.sub("", value).lower()
    for scheme in BLOCKED_SCHEMES:
        if scheme == "data:" and name not in URL_ATTRIBUTES:
            continue  # data: is only a danger where a browser loads or follows it
        if scheme == "data:" and tag in ("img", "source") and normalised.startswith("data:image/"):
            continue  # an inline picture: images run no script
        if normalised.startswith(scheme) or (name == "srcset" and f",{scheme}" in normalised):
            return scheme
    return None


class _Scanner(HTMLParser):
    """Finds unsafe markup and, with ``keep``, writes the HTML out again without it."""

    def __init__(self, keep: bool):
        super().__init__(convert_charrefs=False)
        self.keep = keep
        self.findings: list[Finding] = []
        self.out: list[str] = []
        self._dropping: str | None = None  # inside a blocked element: its tag

    def _starttag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self._dropping:
            return
        if tag in BLOCKED_ELEMENTS:
            self.findings.append(Finding(f"a <{tag}> element", f"<{tag}"))
            if not closed and tag not in ("base", "meta"):
                self._dropping = tag
            return
        kept = []
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(Finding(f"an '{name}' attribute (it runs script)", name))
            elif value and (scheme := _blocked_scheme(name, value, tag)):
                self.findings.append(Finding(f"a '{scheme}' link", scheme.rstrip(":")))
            else:
                kept.append((name, value))
        if len(kept) == len(attrs):
            self.out.append(self.get_starttag_text() or "")
        else:
            written = "".join(f' {n}="{escape(v)}"' if v is not None else f" {n}" for n, v in kept)
            self.out.append(f"<{tag}{written}{' /' if closed else ''}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._starttag(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._starttag(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            if tag == self._dropping:
                self._dropping = None
            return
        if tag not in BLOCKED_ELEMENTS:
            self.out.append(f"</{tag}>")

    def _text(self, text: str) -> None:
        if not self._dropping:
            self.out.append(text)

    def handle_data(self, data: str) -> None:
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._text(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._text(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._text(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self._text(f"<![{data}]>")


def find_unsafe(html: str) -> list[Finding]:
    """The unsafe markup in ``html``, in document order."""
    scanner = _Scanner(keep=False)
    scanner.feed(html)
    scanner.close()
    return scanner.findings


def without_unsafe(html: str) -> str:
    """``html`` with every unsafe element (and its content) and attribute left out."""
    scanner = _Scanner(keep=True)
    scanner.feed(html)
    scanner.close()
    return "".join(scanner.out)


def unsafe_markup_problems(
    shown_path: str, markdown: str, first_line: int, to_html: Callable[[str], str]
) -> list[Problem]:
    """One problem for each unsafe thing in a writer's ``markdown``, at its line (the line of
    the first mention of the tag, attribute or scheme; else the text's first line)."""
    if not might_be_unsafe(markdown):
        return []
    findings = find_unsafe(to_html(markdown))
    # Lines as a browser reads them: entities decoded, invisible characters dropped.
    lines = [_INVISIBLE.sub("", html.unescape(line)).lower() for line in markdown.split("\n")]
    problems = []
    for finding in dict.fromkeys(findings):  # one line per kind of thing, in order
        number = next((n for n, line in enumerate(lines) if finding.needle in line), 0)
        problems.append(Problem(
            shown_path, first_line + number, "body",
            f"{finding.what} is not allowed in a writer's text: remove it "
            "(a site whose writers are all trusted can set 'trusted_html: true')",
            fatal=False,  # the page is published, without it
        ))  # fmt: skip
    return problems
