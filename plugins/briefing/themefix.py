"""Two repairs to mkdocs-material's own markup, found by the Nu HTML Checker and axe-core.

This module matches the theme's HTML (it builds none of ours), so it is the one place in the
package allowed to name tags; tests/test_page_checks.py and tests/test_browser.py show each
repair is needed and enough. If the theme changes its markup, the replacements simply stop
matching and those tests say which check came back.
"""

from __future__ import annotations

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
TOC_LABEL = '<label class="md-nav__title" for="__toc">'


def mend_theme_html(html: str) -> str:
    """Repair two faults in mkdocs-material's markup that the Nu HTML Checker and axe report.

    The search dialog has no accessible name (axe: aria-dialog-name), and a page kept out of
    the nav -- every entry page -- gets a table-of-contents label for a ``__toc`` toggle the
    theme only renders for pages in the nav (Nu: label ``for`` names no control).
    """
    html = html.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
    if 'id="__toc"' not in html:
        html = html.replace(TOC_LABEL, '<label class="md-nav__title">')
    return html
