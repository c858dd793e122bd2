"""Script in writers' text never reaches a reader: an allowlist on a real HTML5 parser.

Each class of hole found by the second trust probe is an entry here, built by the real
``mkdocs build`` and opened in headless Chromium, where no handler may run and no
``javascript:`` URL may navigate. The same parse that cleans the page tells ``briefing check``
what it removes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import text_checks
from briefing.markup import clean, find_removed
from conftest import entry, run_mkdocs, serve, write_tree
from test_browser import Reader, browser  # noqa: F401  (the fixture)

PWN = "window.__pwned=(window.__pwned||0)+1"
# The probe's findings, each as a writer would commit it.
VECTORS = {
    "attr-list-autofocus": f'A paragraph.\n{{: tabindex="0" autofocus="" onfocus="{PWN}"}}',
    "comment-abrupt": f"<!--><img src=x onerror=\"{PWN}\">-->",
    "comment-dash": f"<!---><img src=x onerror=\"{PWN}\">-->",
    "cdata": f"<![CDATA[<img src=x onerror=\"{PWN}\">]]>",
    "noscript": f'<noscript><p title="</noscript><img src=x onerror={PWN}>"></noscript>',
    "xmp": f'<xmp><p title="</xmp><img src=x onerror={PWN}>"></xmp>',
    "textarea": f'<textarea><p title="</textarea><img src=x onerror={PWN}>"></textarea>',
    "title": f'<title><p title="</title><img src=x onerror={PWN}>"></title>',
    "noembed": f'<noembed><p title="</noembed><img src=x onerror={PWN}>"></noembed>',
    "noframes": f'<noframes><p title="</noframes><img src=x onerror={PWN}>"></noframes>',
    "svg-style": f'<svg><style><img src=x onerror="{PWN}"></style></svg>',
    "style": "<style>body { display: none }</style>Text.",
    "stylesheet": '<link rel="stylesheet" href="//elsewhere.example/x.css">',
    "phishing-form": '<form action="https://elsewhere.example/"><input type="password" name="p"></form>',
    "js-link": "[click](java&#115;cript:window.__pwned=1)",
    "js-autolink": "<javascript:window.__pwned=1>",
}


def test_clean_removes_every_vector_and_find_removed_names_it():
    for name, vector in VECTORS.items():
        if name == "attr-list-autofocus" or name.startswith("js-"):
            continue  # these need Markdown: see the build below
        if name != "cdata":  # outside SVG, CDATA is a comment as HTML5 parses it: inert, kept
            assert find_removed(vector), name
        cleaned = clean(vector)
        assert find_removed(cleaned) == [], (name, cleaned)  # cleaning is complete in one pass


def test_clean_keeps_what_markdown_makes_of_ordinary_text():
    ordinary = (
        '<h2 id="a">Heading<a class="headerlink" href="#a" title="Permanent link">¶</a></h2>\n'
        '<p>Text with <a href="https://example.org/x">a link</a>, <em>stress</em>, <code>code</code>.</p>\n'
        '<table><thead><tr><th style="text-align: left;">A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>\n'
        "<!-- briefing:state-of-play -->"
    )
    assert find_removed(ordinary) == []
    cleaned = clean(ordinary)
    for kept in ('href="https://example.org/x"', 'class="headerlink"', 'id="a"', "text-align:left", "<!-- briefing:state-of-play -->"):
        assert kept in cleaned


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("sanitize")
    files = {
        "mkdocs.yml": (
            "site_name: T\nsite_url: https://example.org/\ndocs_dir: content\ntheme:\n  name: material\n"
            "plugins:\n  - search\n  - briefing\nmarkdown_extensions:\n  - attr_list\n  - toc:\n      permalink: true\n"
        ),
        **{f"content/entries/{name}.md": entry("2015", "Hill", "bank", f"Claim {name}.", body=vector) for name, vector in VECTORS.items()},
    }  # fmt: skip
    write_tree(project, files)
    strict = run_mkdocs(project, "--strict")
    plain = run_mkdocs(project)
    return project, strict, plain


def test_check_and_strict_build_name_every_vector(hostile_site):
    _, strict, plain = hostile_site
    assert strict.returncode != 0
    assert plain.returncode == 0, plain.log
    for name in VECTORS:
        if name in ("cdata", "js-autolink"):
            continue  # an inert comment, an unknown tag (not a link) unwrapped: Chromium proves both below
        assert any(f"content/entries/{name}.md:" in line and "not allowed in a writer's text" in line for line in strict.warnings()), name
    # The attr_list case: the attribute is named, at the line that wrote it.
    assert any("attr-list-autofocus.md:8: body: an 'onfocus' attribute (it runs script)" in w for w in strict.warnings())


def test_no_vector_runs_or_navigates_in_chromium(hostile_site, browser):  # noqa: F811
    _, _, plain = hostile_site
    base, stop = serve(plain.site)
    try:
        reader = Reader(browser, base)
        for name in VECTORS:
            page = reader.open(f"/entries/{name}/")
            page.keyboard.press("Tab")  # focus handlers (autofocus, tabindex) get their chance
            page.wait_for_timeout(50)
            found = page.evaluate("""() => ({
                pwned: window.__pwned || 0,
                handlers: [...document.querySelectorAll('article *')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on')),
                scripts: [...document.querySelectorAll('article script')].filter(s => s.type !== 'application/ld+json').length,
                styles: document.querySelectorAll('article style, article link, article form, article input, article svg').length,
                jsLinks: [...document.querySelectorAll('article [href], article [src]')].map(e => e.href || e.src || '').filter(u => !/^(https?|mailto):/i.test(u)).length,
            })""")
            assert found == {"pwned": 0, "handlers": [], "scripts": 0, "styles": 0, "jsLinks": 0}, name
            assert f"Claim {name}." in page.inner_text("article")
    finally:
        stop()


TAGS = ["p", "img", "a", "svg", "style", "noscript", "xmp", "title", "textarea", "iframe", "math", "b", "details", "template"]
ATTRIBUTES = [
    f'onerror="{PWN}"', f'onload="{PWN}"', f"onfocus={PWN}", 'autofocus=""', 'tabindex="0"', "src=x",
    'href="javascript:window.__pwned=1"', 'href=" jAvA&#x09;script:window.__pwned=1"', 'title="</noscript><img src=x onerror=window.__pwned=1>"',
    'href="data:text/html,<script>parent.__pwned=1</script>"', 'style="background:url(javascript:x)"',
]  # fmt: skip
BREAKERS = ["<!-->", "<!--->", "-->", "<![CDATA[", "]]>", "</", "<", ">", '"', "'"]
# Payloads that run by themselves in an unguarded page: each random body holds at least one,
# wrapped in whatever the breakers and tags make of it.
PAYLOADS = [
    f'<img src=x onerror="{PWN}">', f'<svg onload="{PWN}"></svg>', f'<details open ontoggle="{PWN}">d</details>',
    f'\n\nText.\n{{: tabindex="0" autofocus="" onfocus="{PWN}"}}\n\n', '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
]


@st.composite
def fragments(draw):
    parts = [draw(st.sampled_from(PAYLOADS))]
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            tag = draw(st.sampled_from(TAGS))
            attrs = " ".join(draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=3)))
            parts.append(f"<{tag} {attrs}>{draw(st.sampled_from(['x', '', 'y']))}")
        elif kind == 1:
            parts.append(draw(st.sampled_from(BREAKERS)))
        elif kind == 2:
            attrs = " ".join(draw(st.lists(st.sampled_from(ATTRIBUTES), min_size=1, max_size=2)))
            parts.append(f"\n\nText.\n{{: {attrs}}}\n\n")
        else:
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
    return "".join(draw(st.permutations(parts)))


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(fragments(), min_size=16, max_size=16))
def test_random_html_and_attribute_lists_never_run_in_chromium(tmp_path_factory, browser, bodies):  # noqa: F811
    project = tmp_path_factory.mktemp("random-html")
    write_tree(project, {
        "mkdocs.yml": "site_name: T\ndocs_dir: content\nplugins:\n  - briefing\nmarkdown_extensions:\n  - attr_list\n",
        **{f"content/entries/e{i}.md": entry("2015", "Hill", "bank", f"Claim {i}.") for i in range(len(bodies))},
    })  # fmt: skip
    for i, body in enumerate(bodies):
        path = project / "content" / "entries" / f"e{i}.md"
        path.write_text(path.read_text() + body + "\n", encoding="utf-8")
    build = run_mkdocs(project)
    assert build.returncode == 0, build.log
    base, stop = serve(build.site)
    try:
        reader = Reader(browser, base)
        for i, body in enumerate(bodies):
            page = reader.open(f"/entries/e{i}/")
            page.keyboard.press("Tab")
            page.wait_for_timeout(30)
            # Every link or source left resolves to http(s) or mailto: none can navigate to script.
            schemes = page.evaluate("[...document.querySelectorAll('article [href], article [src]')].map(e => (e.href || e.src || '').split(':')[0])")
            assert set(schemes) <= {"http", "https", "mailto"}, json.dumps(body)
            assert page.evaluate("window.__pwned || 0") == 0, json.dumps(body)
    finally:
        stop()


def test_a_texts_own_findings_are_kept_for_the_next_check_of_the_same_text(monkeypatch):
    """``briefing diff`` checks the base's texts after the work tree's, and the preview every
    text on each save: a text checked last time under the same settings is not checked again,
    and any other text, or the same under other settings, is."""
    checked: list[str] = []
    own_findings = text_checks._own_findings
    monkeypatch.setattr(text_checks, "_own_findings", lambda path, *rest: checked.append(path) or own_findings(path, *rest))
    options = SimpleNamespace(shown_dir="content", trusted_html=False, markdown_extensions=[], mdx_configs={})
    no_rules = SimpleNamespace(rule_by_name=lambda name: None)

    def problems(texts: list[tuple[str, str, int]], settings: SimpleNamespace = options, briefing: object = no_rules) -> list[str]:
        found, blocks = text_checks.text_problems(briefing, texts, settings)
        return sorted(str(p) for p in found) + sorted(blocks)

    texts = [("entries/a.md", "Fine, see [[nowhere]].", 6), ("entries/b.md", "A <script>x</script>.", 6)]
    first = problems(texts)
    assert [line.split(": ")[0] for line in first] == ["content/entries/a.md:6", "content/entries/b.md:6"]
    assert problems(texts) == first and checked == ["entries/a.md", "entries/b.md"]
    # The [[link]] is checked each time: it depends on the briefing's names, not on the text alone.
    assert problems(texts, options) == first and len(checked) == 2
    a_rule_named_nowhere = SimpleNamespace(rule_by_name=lambda name: name == "nowhere")
    assert problems(texts, briefing=a_rule_named_nowhere) == first[1:] and len(checked) == 2
    edited = [texts[0], ("entries/b.md", "Clean now.", 6)]
    assert problems(edited) == first[:1] and checked[2:] == ["entries/b.md"]
    trusted = SimpleNamespace(**{**vars(options), "trusted_html": True})
    assert problems(texts, trusted) == first[:1] and checked[3:] == ["entries/a.md", "entries/b.md"]


FINDINGS_IN_A_WORKER = """
import json, sys
from types import SimpleNamespace
from briefing import text_checks
text_checks.FINDINGS_AHEAD_FROM, text_checks.FINDINGS_CHUNK = 1, 2
options = SimpleNamespace(shown_dir="content", trusted_html=False, markdown_extensions=[], mdx_configs={})
no_rules = SimpleNamespace(rule_by_name=lambda name: None)
texts = [(f"entries/e{n}.md", f"Claim {n}.", 6) for n in range(7)]
texts[2] = ("entries/e2.md", "A <script>x</script>.", 6)
texts[5] = ("entries/e5.md", "<!-- briefing:state-of-play -->", 8)
ahead = text_checks.FindingsAhead(texts, options, 1)
forked = ahead._ahead.workers
import time; time.sleep(1)  # the briefing compiling meanwhile: the worker has begun
checked = []
own_findings = text_checks._own_findings
text_checks._own_findings = lambda path, *rest: checked.append(path) or own_findings(path, *rest)
with_ahead = text_checks.text_problems(no_rules, texts, options, ahead)
text_checks._last_found = (None, {})
alone = text_checks.text_problems(no_rules, texts, options)
show = lambda found: [sorted(map(str, found[0])), sorted(found[1])]
print(json.dumps({"forked": forked, "checked": checked, "with_ahead": show(with_ahead), "alone": show(alone)}))
"""


def test_texts_findings_made_in_a_worker_are_the_findings_themselves():
    """Where a site has many texts, a forked worker finds each text's own findings while the
    briefing compiles (text_checks.FindingsAhead): the answer is the one found without it, and
    the texts it did are not checked again. (A process of its own: a process with threads,
    such as a test runner's, forks no worker.)"""
    result = subprocess.run([sys.executable, "-c", FINDINGS_IN_A_WORKER], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["forked"] == 1 and found["with_ahead"] == found["alone"]
    assert found["alone"][0] and found["alone"][0][0].startswith("content/entries/e2.md:6: body:"), found
    assert found["alone"][1] == ["entries/e5.md"]
    # All seven found by the worker (then by text_problems alone, without it).
    assert found["checked"] == [f"entries/e{n}.md" for n in range(7)], found["checked"]
