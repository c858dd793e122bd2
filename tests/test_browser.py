"""Readers in a real browser: headless Chromium (Debian's) driven by Playwright.

Screenshots of every page visited land in test-artifacts/ at 1280 px and 390 px.
"""

import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest

from conftest import REPO, entry, run_mkdocs, serve, serving, unavailable, write_tree

try:
    import playwright.sync_api as playwright_api
except ImportError:  # pragma: no cover: make install brings it
    playwright_api = None
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def site_url(example_build):
    base, stop = serve(example_build.site)
    yield base
    stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if playwright_api is None:
        unavailable("the playwright package is not installed (make install)")
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        unavailable(f"no Chromium at {CHROMIUM}; .ci/run installs it")
    with playwright_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield context
        context.close()


class Reader:
    """A page that records console errors and any request that leaves this machine."""

    def __init__(self, context, base: str, width: int = 1280):
        self.base = base
        self.page = context.new_page()
        self.page.set_viewport_size({"width": width, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)

    def _route(self, route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost", None):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def open(self, path: str):
        self.page.goto(self.base + path.lstrip("/"))
        self.page.wait_for_load_state("networkidle")
        return self.page

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def shot(self, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        width = self.page.viewport_size["width"]
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)

    def close(self):
        assert self.errors == [], self.errors
        assert self.outside == [], f"third-party requests: {self.outside}"
        self.page.close()


@pytest.fixture(scope="module")
def arabic_url(tmp_path_factory):
    """The example briefing built in Arabic (right to left), served: built once per module."""
    root = tmp_path_factory.mktemp("arabic")
    for name in ("content", "timeline"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "mkdocs.yml").read_text()
    assert "  font: false\n" in config
    (root / "mkdocs.yml").write_text(config.replace("  font: false\n", "  font: false\n  language: ar\n"))
    build = run_mkdocs(root, "--strict")
    assert build.returncode == 0, build.log
    base, stop = serve(build.site)
    yield base
    stop()


@pytest.fixture
def reader(browser, site_url):
    readers = []

    def make(width: int = 1280) -> Reader:
        readers.append(Reader(browser, site_url, width))
        return readers[-1]

    yield make
    for r in readers:
        r.close()


def test_timeline_to_entry_to_rule(reader):
    r = reader()
    page = r.open("/timeline/")
    r.shot("timeline")
    first = page.locator(".briefing-timeline li.briefing-claim").first
    claim = first.locator(".briefing-claim__text a").inner_text()
    first.locator(".briefing-claim__text a").click()
    page.wait_for_load_state()
    assert re.fullmatch(r"/entries/[a-z0-9-]+/", r.path())
    assert page.locator("h1").inner_text() == claim
    r.shot("entry")
    rule_link = page.locator(".briefing-entry a.briefing-rule-link").first
    rule_title = rule_link.inner_text()
    rule_link.click()
    page.wait_for_load_state()
    assert re.fullmatch(r"/rules/[a-z0-9-]+/", r.path())
    assert page.locator("h1").inner_text() == rule_title
    assert page.locator("svg.briefing-strip").is_visible()
    r.shot("rule")


def test_filter_in_place_says_how_many_are_hidden(reader, example_build):
    r = reader()
    page = r.open("/timeline/")
    total = page.locator("li.briefing-claim").count()
    page.select_option(".briefing-filter-live select[data-attr='data-rules']", label="China's bank IT-security rules")
    visible = page.locator("li.briefing-claim:visible")
    expected = [e for e in example_build.json("/entries.json")["entries"] if "bank-it-security-rules" in e["rules"]]
    assert visible.count() == len(expected) < total
    for i in range(visible.count()):
        assert "bank-it-security-rules" in visible.nth(i).get_attribute("data-rules").split()
    hidden = total - len(expected)
    assert page.locator(".briefing-filter-count").inner_text() == f"{hidden} of {total} claims hidden by the filter"
    page.select_option(".briefing-filter-live select[data-attr='data-source']", label="Reuters")
    assert page.locator("li.briefing-claim:visible").count() == 0
    assert not page.locator("h2:has-text('2014')").is_visible()
    page.select_option(".briefing-filter-live select[data-attr='data-rules']", label="all")
    assert page.locator("li.briefing-claim:visible").count() == 2  # Reuters' two claims
    r.shot("timeline-filtered")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_timeline_filter_is_one_set_of_controls(reader, width):
    """With JavaScript, the menus replace the links for visitors without it; the two menus are
    one width, whatever the names in them, and styled (a border, not the bare control)."""
    r = reader(width)
    page = r.open("/timeline/")
    assert not page.locator("details.briefing-filter").is_visible()
    menus = page.locator(".briefing-filter-live select")
    boxes = [menus.nth(i).bounding_box() for i in range(menus.count())]
    assert len(boxes) == 2 and abs(boxes[0]["width"] - boxes[1]["width"]) <= 1, boxes
    stacked = boxes[1]["y"] > boxes[0]["y"] + boxes[0]["height"]
    assert stacked == (width == 390), boxes  # side by side, or one above the other on a phone
    assert menus.first.evaluate("m => getComputedStyle(m).borderTopStyle") == "solid"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    r.shot("timeline-filter")


def test_search_finds_a_claim_and_lands_on_its_entry(reader):
    r = reader()
    page = r.open("/")
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    box.press_sequentially("amendment suggestions", delay=30)  # material listens to key events
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=15000)
    result.click()
    page.wait_for_load_state()
    assert r.path() == "/entries/regulators-tell-banks-suspend/"


def test_pages_at_phone_width_and_without_javascript(reader, browser, site_url, example_build):
    r = reader(390)
    for path, name in (("/timeline/", "timeline"), ("/rules/counterterrorism-law/", "rule"),
                       ("/entries/hong-lei-deliberation-ongoing/", "entry"), ("/rules/", "rules")):
        page = r.open(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        r.shot(name)
    no_js = browser.new_page()
    browser.new_cdp_session(no_js).send("Emulation.setScriptExecutionDisabled", {"value": True})
    no_js.goto(site_url + "timeline/")
    assert no_js.locator(".briefing-filter-live").count() == 0  # the script really did not run
    claims = no_js.locator("li.briefing-claim:visible").count()
    assert claims == len(example_build.json("/entries.json")["entries"])
    assert no_js.locator(".briefing-filter-rules a").count() == 3
    no_js.close()


# What of the page reaches past the viewport's edges: only what a box of its own scrolls
# (the strip, on a phone), and that box within the viewport, may be wider.
PAST_THE_EDGES = """() => {
  const width = document.documentElement.clientWidth;
  const past = r => r.width && (r.left < -1 || r.right > width + 1);
  const scroller = el => { for (let p = el.parentElement; p; p = p.parentElement)
    if (["auto", "scroll"].includes(getComputedStyle(p).overflowX)) return p; return null; };
  return [...document.querySelectorAll("article *")].filter(el => past(el.getBoundingClientRect()))
    .filter(el => { const box = scroller(el); return !box || past(box.getBoundingClientRect()); })
    .map(el => el.tagName + "." + (el.getAttribute("class") || ""));
}"""


def test_no_element_is_wider_than_a_phone_in_english_or_arabic(reader, browser, arabic_url):
    for r in (reader(390), Reader(browser, arabic_url, 390)):
        for path in PAGES:
            page = r.open(path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
            assert page.evaluate(PAST_THE_EDGES) == [], path
    r.close()


def test_print_hides_navigation_and_filters(reader):
    r = reader()
    page = r.open("/timeline/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".briefing-timeline-tools"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("li.briefing-claim").first.is_visible()
    page.pdf(path=str(ARTIFACTS / "timeline-print.pdf")) if ARTIFACTS.exists() else None


def test_a_rule_page_prints_as_a_briefing(reader):
    """Headings stay with what follows them, links to other sites are written out, and the
    strip fits the paper instead of scrolling."""
    r = reader(794)  # A4's width at 96 dpi
    page = r.open("/rules/bank-it-security-rules/")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('h2#disputes')).breakAfter") == "avoid"
    box = page.evaluate("""() => { const box = document.querySelector(".briefing-strip-box");
        return [box.scrollWidth, box.clientWidth]; }""")
    assert box[0] <= box[1], box
    assert page.evaluate(PAST_THE_EDGES) == []  # nothing cut at the paper's edge
    outside = page.evaluate("""() => [...document.querySelectorAll(".md-typeset a[href^='http']")]
        .map(a => getComputedStyle(a, "::after").content)""")
    assert outside and all(content.startswith('" <http') for content in outside), outside
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "rule-print.pdf"))
    # The paper holds what a reader came for: the current status and both sides of every
    # dispute (compared without spaces and case: lines break and labels are set in capitals).
    printed = squeezed(" ".join(p.extract_text() for p in pypdf.PdfReader(ARTIFACTS / "rule-print.pdf").pages))
    current = page.locator(".briefing-current .briefing-status").first.inner_text()
    sides = page.evaluate("""() => [...document.querySelectorAll(".briefing-dispute__side")]
        .map(side => side.querySelector("a").textContent)""")
    assert len(sides) >= 2 and squeezed(current) in printed, current
    assert [side for side in sides if squeezed(side) not in printed] == []


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _pair(page) -> list[str]:
    """How each dispute's two claims and its "versus" sit: "row" or "column", or what is wrong."""
    return page.evaluate("""() => [...document.querySelectorAll(".briefing-dispute")].map(d => {
        const [a, b] = [...d.querySelectorAll(".briefing-dispute__side")].map(s => s.getBoundingClientRect());
        const v = d.querySelector(".briefing-dispute__versus").getBoundingClientRect();
        const reason = d.querySelector(".briefing-dispute__reason").getBoundingClientRect();
        if (reason.bottom > Math.min(a.top, b.top) + 1) return "reason not on top";
        if (a.bottom <= v.top + 1 && v.bottom <= b.top + 1) return "column";
        const [first, second] = getComputedStyle(d).direction === "rtl" ? [b, a] : [a, b];
        if (first.right <= v.left + 1 && v.right <= second.left + 1) return "row";
        return "versus not between";
    })""")


@pytest.mark.parametrize("width", [390, 1280])
def test_disputes_read_as_a_pair_at_every_width(reader, width):
    r = reader(width)
    page = r.open("/rules/counterterrorism-law/")
    shown = _pair(page)
    assert shown and set(shown) == {"column" if width == 390 else "row"}, shown
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    r.shot("disputes")


# --- third-party checks: axe-core, against the bare theme's own baseline -------------------------

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# What axe-core finds on a plain mkdocs-material page (measured by the test below): the search
# dialog has no accessible name, and the footer's "Made with" credit is below AA contrast.
THEME_VIOLATIONS = {("aria-dialog-name", "serious"), ("color-contrast", "serious")}
PAGES = (
    "/", "/timeline/", "/rules/", "/rules/bank-it-security-rules/", "/rules/counterterrorism-law/",
    "/sources/", "/sources/the-hill/", "/entries/regulators-tell-banks-suspend/",
    "/entries/hong-lei-deliberation-ongoing/", "/tags/", "/tags/encryption/", "/jurisdictions/",
    "/jurisdictions/china/",
)  # fmt: skip


def axe_violations(page) -> set[tuple[str, str]]:
    """axe-core's violations on the open page, as (rule id, impact)."""
    if not AXE.exists():
        unavailable("axe-core needs node_modules (make install)")
    page.add_script_tag(path=str(AXE))  # inlined: nothing is fetched
    found = page.evaluate("async () => (await axe.run(document)).violations.map(v => [v.id, v.impact])")
    return {tuple(v) for v in found}


def test_a_bare_material_page_has_the_known_violations_and_calls_a_font_cdn(browser, tmp_path):
    write_tree(tmp_path, {"mkdocs.yml": "site_name: Bare\ntheme: material\n", "docs/index.md": "# Bare\n\nA plain page.\n"})
    build = run_mkdocs(tmp_path)
    assert build.returncode == 0, build.log
    base, stop = serve(build.site)
    try:
        bare = Reader(browser, base)
        bare.open("/")
        assert axe_violations(bare.page) == THEME_VIOLATIONS
        assert [url for url in bare.outside if "fonts.googleapis.com" in url]
        # Expected here (and the console errors of their blocked requests); Reader.close
        # insists on none.
        bare.outside.clear()
        bare.errors.clear()
        bare.close()
    finally:
        stop()


def test_our_pages_have_no_axe_violations_and_call_no_third_party(reader):
    r = reader()
    found = {}
    for path in PAGES:
        r.open(path)
        found[path] = axe_violations(r.page)
    assert found == {path: set() for path in PAGES}
    # Reader.close (at teardown) fails on any request that left this machine.


def test_year_pages_of_a_split_briefing_have_no_axe_violations(browser, tmp_path):
    # The example split as a large briefing is: every listing of more than two claims by year.
    for name in ("content", "timeline"):
        shutil.copytree(REPO / name, tmp_path / name)
    config = (REPO / "mkdocs.yml").read_text().replace(
        "      overrides: timeline\n", "      overrides: timeline\n      split_above: 2\n"
    )
    (tmp_path / "mkdocs.yml").write_text(config)
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    pages = ("/timeline/", "/timeline/2015/", "/rules/bank-it-security-rules/",
             "/rules/bank-it-security-rules/2015/", "/sources/the-hill/2015/")
    assert all(build.exists(page) for page in pages)
    base, stop = serve(build.site)
    try:
        r = Reader(browser, base)
        found = {}
        for path in pages:
            r.open(path)
            found[path] = axe_violations(r.page)
        r.shot("rule-year")
        r.close()
    finally:
        stop()
    assert found == {path: set() for path in pages}


def test_a_saved_edit_shows_in_the_page_a_writer_has_open(browser, tmp_path):
    """`make serve` as a writer uses it: the page open in the browser shows the saved edit by
    itself (MkDocs' livereload script, the inotify watch and the rebuild together), and so
    does its rule's page after a rename-save (how many editors save)."""
    write_tree(tmp_path, {
        "mkdocs.yml": "site_name: Preview\ndocs_dir: content\ntheme:\n  name: material\n  font: false\nplugins:\n  - briefing\n",
        "content/entries/a.md": entry("2015-03", "Hill", "bank", "Original claim."),
        "content/entries/b.md": entry("2016", "Hill", "bank", "Another claim."),
    })  # fmt: skip
    with serving(tmp_path) as (base, log):
        reader = Reader(browser, base + "/")
        page = reader.page
        page.goto(f"{base}/entries/a/")  # not networkidle: livereload's request stays open
        assert "Original claim." in page.inner_text("article")
        (tmp_path / "content/entries/a.md").write_text(entry("2015-03", "Hill", "bank", "Edited in the editor."))
        # Between a reload's unload and load the page has no article yet: wait through it.
        page.wait_for_function("(document.querySelector('article')?.innerText || '').includes('Edited in the editor.')", timeout=15000)
        reader.shot("preview-entry-after-save")

        page.goto(f"{base}/rules/bank/")
        new = tmp_path / "content/entries/b.md.swp"
        new.write_text(entry("2016", "Hill", "bank", "Saved by rename.", status="paused"))
        os.replace(new, tmp_path / "content/entries/b.md")
        page.wait_for_function("(document.querySelector('article')?.innerText || '').includes('Saved by rename.')", timeout=15000)
        assert "Traceback" not in log.read_text()
        reader.shot("preview-rule-after-save")
        reader.close()


# Every word of a table cell on one line: a word whose letters sit on two lines was broken.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll("table.briefing-table td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""
# The ")" after the latest claimed status, on the line of that status.
ALONE_PARENTHESES = """() => [...document.querySelectorAll(".briefing-latest-claimed")].filter(span => {
  const badges = span.querySelectorAll(".briefing-status");
  const last = badges[badges.length - 1].getClientRects();
  const range = document.createRange();
  range.selectNodeContents(span);
  const rects = [...range.getClientRects()].filter(r => r.width > 0);
  return Math.abs(rects[rects.length - 1].bottom - last[last.length - 1].bottom) > 4;
}).length"""
# A column of numbers ends on one edge, its header too.
NUMBER_EDGES = """() => [...document.querySelectorAll("table.briefing-table")].map(table => {
  const edges = [...table.querySelectorAll("th.briefing-num, td.briefing-num")].map(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const rect = range.getBoundingClientRect();
    return Math.round(getComputedStyle(cell).direction === "rtl" ? rect.left : rect.right);
  });
  return new Set(edges).size;
})"""
TABLE_PAGES = ("/", "/rules/", "/sources/", "/tags/", "/jurisdictions/", "/jurisdictions/china/")


def _read_tables(r, lang: str) -> None:
    for path in TABLE_PAGES:
        page = r.open(path)
        width = r.page.viewport_size["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (lang, path, width)
        assert page.evaluate(BROKEN_WORDS) == [], (lang, path, width)
        assert page.evaluate(ALONE_PARENTHESES) == 0, (lang, path, width)
        if width > 800:  # a table: each number column on one edge; on a phone, cards
            assert set(page.evaluate(NUMBER_EDGES)) <= {0, 1}, (lang, path)
            assert page.locator("table.briefing-table thead th").first.is_visible()
        else:  # cards: each value under its label
            label = page.evaluate("""() => { const td = document.querySelector("table.briefing-table td");
                return [getComputedStyle(td, "::before").content, td.dataset.label]; }""")
            assert label[0] == f'"{label[1]}"', (lang, path, label)
        r.shot(f"tables-{lang}-{path.strip('/').replace('/', '-') or 'home'}")


@pytest.mark.parametrize("width", [390, 1280])
def test_tables_read_at_every_width_in_english_and_arabic(reader, browser, arabic_url, width):
    """One table style (/rules/, the state of play, /sources/, tags, jurisdictions): no
    sideways scrolling, no word broken inside, a status's ")" never alone on a line, numbers
    on one edge; on a phone each row is a card."""
    _read_tables(reader(width), "en")
    r = Reader(browser, arabic_url, width)
    assert r.open("/").evaluate("getComputedStyle(document.body).direction") == "rtl"
    _read_tables(r, "ar")
    r.close()


# The strip's latest segment: the rightmost, or the leftmost where the page reads right to left.
LATEST_SEGMENT = """() => {
  const rtl = getComputedStyle(document.body).direction === "rtl";
  const segments = [...document.querySelectorAll(".briefing-strip__segment")].map(g => {
    const rect = g.querySelector("rect").getBoundingClientRect();
    const text = g.querySelector("text");
    return {rect, label: text ? text.textContent : "", box: text ? text.getBoundingClientRect() : null};
  });
  const latest = segments.reduce((a, b) => (rtl ? b.rect.left < a.rect.left : b.rect.right > a.rect.right) ? b : a);
  return {label: latest.label, left: latest.box && latest.box.left, right: latest.box && latest.box.right};
}"""


# Text of the strip drawn outside its SVG is cut off: each text's box (its font's full height,
# descenders included) must lie inside the drawing.
STRIP_TEXT_OUTSIDE = """() => [...document.querySelectorAll("svg.briefing-strip")].flatMap(svg => {
  const frame = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")].map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.left < frame.left - .5 || r.right > frame.right + .5 || r.top < frame.top - .5 || r.bottom > frame.bottom + .5)
    .map(([text, r]) => [text, [r.left, r.top, r.right, r.bottom].map(Math.round), [frame.left, frame.top, frame.right, frame.bottom].map(Math.round)]);
})"""
# Each segment is labelled on itself, or keyed by the number of a line of the history list
# below that asserts its status: what is wrong, per segment.
SEGMENTS_UNEXPLAINED = """() => {
  const lines = [...document.querySelectorAll(".briefing-history > ol > li")];
  return [...document.querySelectorAll(".briefing-strip__segment")].flatMap(g => {
    const status = [...g.classList].find(c => c.startsWith("briefing-strip__segment--")).slice(25);
    const bar = g.querySelector("rect").getBoundingClientRect();
    const label = g.querySelector(".briefing-strip__label"), key = g.querySelector(".briefing-strip__key");
    if (label) {
      const box = label.getBoundingClientRect();
      return box.left >= bar.left - .5 && box.right <= bar.right + .5 ? [] : [[status, "label outside its segment"]];
    }
    if (!key) return [[status, "neither label nor key"]];
    const line = lines[Number(key.textContent) - 1];
    if (!line) return [[status, "key names no history line: " + key.textContent]];
    const said = line.querySelector(".briefing-status").className.split("--")[1];
    return status === said || status === "order-unknown" ? [] : [[status, "key's line says " + said]];
  });
}"""


@pytest.mark.parametrize("width", [390, 1280, "print"])
def test_the_strip_shows_the_current_status_and_explains_every_segment(reader, browser, arabic_url, width):
    """On a phone the strip scrolls inside its box, never the page, opens at its latest end
    (the current status's label on screen) and says that it scrolls; in print it fits the
    paper. In English and Arabic, every text of the strip lies inside the drawing, and every
    segment carries its label or the number of its line in the history below."""
    printed = width == "print"
    width = 794 if printed else width  # A4's width at 96 dpi
    for r, lang in ((reader(width), "en"), (Reader(browser, arabic_url, width), "ar")):
        page = r.open("/rules/bank-it-security-rules/")
        if printed:
            page.emulate_media(media="print")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, lang
        latest = page.evaluate(LATEST_SEGMENT)
        assert latest["label"] and 0 <= latest["left"] and latest["right"] <= width, (lang, latest)
        assert page.evaluate(STRIP_TEXT_OUTSIDE) == [], lang
        assert page.evaluate(SEGMENTS_UNEXPLAINED) == [], lang
        assert page.locator(".briefing-strip__key").count() >= 1  # the example's 2015 "paused"
        scrolls = page.evaluate("(b => b.scrollWidth > b.clientWidth)(document.querySelector('.briefing-strip-box'))")
        assert scrolls == (width == 390), (lang, width)
        assert page.locator(".briefing-strip-hint").is_visible() == scrolls, (lang, width)
        r.shot(f"strip-{lang}{'-print' if printed else ''}")
        if lang == "ar":
            r.close()
