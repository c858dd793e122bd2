"""Writers' HTML, cleaned by an allowlist on a real HTML5 parser before anyone reads it.

Pull requests may come from outside the team, and a briefing is read by people who trust it, so
a writer's text may not run code in a reader's browser, load things from elsewhere, or pose as a
form. What Markdown makes of a writer's text (raw HTML, ``attr_list``'s ``{: onfocus=...}``,
links) is cleaned by nh3, the Python binding of Ammonia, which parses with html5ever as a
browser does (comments closed abruptly, raw-text elements, ``<svg><style>``: all parsed as a
browser parses them) and keeps only the tags, attributes and URL schemes a briefing needs.
A denylist of our own on Python's ``html.parser`` let all of those through; an allowlist cannot
miss what it does not list. Sites whose writers are all trusted can set ``trusted_html: true``.

``briefing check`` reports each thing the cleaning removes, at its line: it runs the same parser
once more keeping everything, and judges each tag and attribute it meets by the same lists.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import nh3

from .model import Problem

# What a briefing's text needs: Ammonia's own list (text, lists, tables, quotes, figures, ruby,
# details), nothing that loads, submits or runs anything.
ALLOWED_TAGS: frozenset[str] = frozenset(nh3.ALLOWED_TAGS) - {"area", "map"}
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items() if tag in ALLOWED_TAGS},
    "*": set(GLOBAL_ATTRIBUTES),
}
ALLOWED_ATTRIBUTES["a"] = ALLOWED_ATTRIBUTES.get("a", set()) | {"rev"}  # Markdown's footnotes
# Python-Markdown's tables align columns with style="text-align: ..."; nothing else of CSS.
for _cell in ("th", "td"):
    ALLOWED_ATTRIBUTES[_cell] = ALLOWED_ATTRIBUTES.get(_cell, set()) | {"style"}
STYLE_PROPERTIES = frozenset({"text-align"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # relative links and #anchors are kept too
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "longdesc", "action", "formaction", "poster", "srcset", "data"})

# For reporting only: tags the permissive pass keeps so that they can be named, and schemes it
# lets through to the judge. Whatever is not here is removed silently by both passes.
_NAMED_TAGS = ALLOWED_TAGS | {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
    "link", "form", "input", "button", "textarea", "select", "option", "noscript", "xmp", "noembed",
    "noframes", "title", "template", "svg", "math", "audio", "video", "source", "track", "canvas",
    "dialog", "area", "map", "plaintext", "listing", "image", "param", "portal",
}  # fmt: skip
_ALL_SCHEMES = URL_SCHEMES | {
    "javascript", "vbscript", "data", "file", "ftp", "blob", "filesystem", "about", "chrome", "view-source",
    "tel", "sms", "ws", "wss", "jar", "livescript", "mocha",
}  # fmt: skip
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside a URL's scheme
_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")


def clean(writer_html: str) -> str:
    """``writer_html`` with every tag, attribute and link scheme outside the allowlist removed
    (the content of ``<script>`` and ``<style>`` too). Comments stay: html5ever writes them
    back closed, and the briefing's block markers are comments."""
    return nh3.clean(
        writer_html, tags=set(ALLOWED_TAGS), clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES, url_schemes=set(URL_SCHEMES), strip_comments=False, link_rel=None,
        filter_style_properties=set(STYLE_PROPERTIES),
    )  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """One thing the cleaning removes: what to tell the writer, and a word to find its line by."""

    what: str
    needle: str


def _scheme(value: str) -> str | None:
    found = _SCHEME.match(_INVISIBLE.sub("", html.unescape(value)))
    return found.group(1).lower() if found else None


def find_removed(writer_html: str) -> list[Finding]:
    """What ``clean`` removes from ``writer_html``, in document order: the same parse, with
    everything kept and each tag and attribute judged by the allowlist."""
    findings: list[Finding] = []

    def judge(tag: str, name: str, value: str) -> str:
        if tag not in ALLOWED_TAGS:
            return value  # the element itself is reported
        if name not in ALLOWED_ATTRIBUTES["*"] and name not in ALLOWED_ATTRIBUTES.get(tag, ()):
            runs = " (it runs script)" if name.startswith("on") else ""
            findings.append(Finding(f"an '{name}' attribute{runs}", name))
        elif name in URL_ATTRIBUTES and (scheme := _scheme(value)) and scheme not in URL_SCHEMES:
            findings.append(Finding(f"a '{scheme}:' link", scheme))
        return value

    kept = nh3.clean(
        writer_html, tags=set(_NAMED_TAGS), clean_content_tags=set(), generic_attribute_prefixes={""},
        url_schemes=set(_ALL_SCHEMES), attribute_filter=judge, strip_comments=False, link_rel=None,
    )  # fmt: skip
    for tag in _START_TAG.findall(kept):
        tag = tag.lower()
        if tag not in ALLOWED_TAGS:
            findings.append(Finding(f"a <{tag}> element", f"<{tag}"))
    return findings


def might_hold_markup(markdown: str) -> bool:
    """Whether Markdown can make anything of ``markdown`` that ``clean`` would remove: raw HTML
    or an entity (``<``, ``&``), ``attr_list``'s braces, a link or image (``](``, ``]:``), a
    control character. Plain substring tests first: this runs on every text of every check."""
    return (
        "<" in markdown or "&" in markdown or "{" in markdown or "](" in markdown or "]:" in markdown
        or _CONTROL.search(markdown) is not None
    )  # fmt: skip


def unsafe_markup_problems(
    shown_path: str, markdown: str, first_line: int, to_html: Callable[[str], str]
) -> list[Problem]:
    """One problem for each kind of thing the cleaning removes from a writer's ``markdown``, at
    its line (the line of the first mention of the tag, attribute or scheme; else the text's
    first line)."""
    if not might_hold_markup(markdown):
        return []
    findings = find_removed(to_html(markdown))
    # Lines as a browser reads them: entities decoded, invisible characters dropped.
    lines = [_INVISIBLE.sub("", html.unescape(line)).lower() for line in markdown.split("\n")]
    problems = []
    for finding in dict.fromkeys(findings):  # one line per kind of thing, in order
        number = next((n for n, line in enumerate(lines) if finding.needle.lower() in line), 0)
        problems.append(Problem(
            shown_path, first_line + number, "body",
            f"{finding.what} is not allowed in a writer's text: remove it "
            "(a site whose writers are all trusted can set 'trusted_html: true')",
            fatal=False,  # the page is published, without it
        ))  # fmt: skip
    return problems
