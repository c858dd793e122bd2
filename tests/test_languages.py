"""A briefing in every shipped language: the plugin's words, its dates and its names.

Each language builds the same small briefing with ``theme.language`` set; the pages, titles,
nav, feeds and the filter's words must hold none of the plugin's English, and dates must be
CLDR's for that language at their own precision.
"""

from __future__ import annotations

import re
import shutil
import string
import subprocess
import time
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest
import yaml

from briefing.language import SHIPPED, Words, placeholders
from conftest import (
    ATOM,
    REPO,
    Build,
    assert_no_broken_links,
    entry,
    run_briefing,
    run_mkdocs,
    serve,
    unavailable,
    write_tree,
)
from test_browser import Reader, axe_violations, browser  # noqa: F401 (browser: a fixture)

LOCALES = REPO / "plugins" / "briefing" / "locales"
# What CLDR (through Babel) writes for 2025-06-13, 2025-06 and 2024, per language.
DATES = {
    "en": ("June 13, 2025", "June 2025", "2024"),
    "fr": ("13 juin 2025", "juin 2025", "2024"),
    "de": ("13. Juni 2025", "Juni 2025", "2024"),
    "es": ("13 de junio de 2025", "junio de 2025", "2024"),
    "zh": ("2025年6月13日", "2025年6月", "2024年"),
    "ja": ("2025年6月13日", "2025年6月", "2024年"),
    "ar": ("13 يونيو 2025", "يونيو 2025", "2024"),
    "ru": ("13 июня 2025\u202fг.", "июнь 2025\u202fг.", "2024"),
}
ENGLISH_MONTHS = ("June", "January")

CONFIG = """\
site_name: Brief
site_url: https://example.org/
docs_dir: content
theme:
  name: material
  language: {language}
  font: false
markdown_extensions:
  - toc:
      permalink: true
plugins:
  - search
  - briefing:
      split_above: 3  # the timeline by year; none of its years by month
"""
# Writers' text in no language at all: whatever English a page holds is the plugin's.
CONTENT = {
    "content/index.md": "# Brief\n\nLorem ipsum.\n",
    "content/rules/alpha.md": "---\ntitle: Alpha\njurisdiction: Xanadu\nissuer: Zeta\nkind: lex\n---\nLorem.\n",
    "content/rules/gamma.md": "---\ntitle: Gamma\npart_of: alpha\n---\n",
    "content/sources/xinhua.md": "---\nname: Xinhua\nkind: agency\nurl: https://xinhua.example/\n---\n",
    "content/entries/one.md": entry(
        "2025-06-13", "Xinhua", "Alpha", "Lorem ipsum one", status="proposed", by="Li Wei",
        quote="Dolor sit", tags="[lex]",
    ),
    "content/entries/two.md": entry("2025-06", "Reuters", "Alpha", "Lorem ipsum two", status="paused", contradicts="[one]", after="[one]"),
    "content/entries/three.md": entry("2024", "Xinhua", "Gamma", "Lorem ipsum three", status="adopted"),
    "content/entries/four.md": entry("2025-06-20", "Reuters", "Alpha", "Lorem ipsum four"),
    "content/entries/five.md": entry("2023", "Reuters", "Delta", "Lorem ipsum five"),  # no status
}
PAGES = (
    "/", "/timeline/", "/timeline/2025/", "/timeline/2024/", "/rules/", "/rules/alpha/", "/rules/gamma/", "/rules/delta/",
    "/sources/", "/sources/xinhua/", "/sources/reuters/", "/entries/one/", "/entries/two/", "/entries/four/",
)  # fmt: skip


def catalog(language: str) -> dict:
    return yaml.safe_load((LOCALES / f"{language}.yml").read_text(encoding="utf-8"))


def texts_of(data: dict) -> list[str]:
    """Every text of a catalog, plural forms and status labels included."""
    found = []
    for value in data.values():
        found += list(value.values()) if isinstance(value, dict) else [value]
    return found


def english_fragments(language: str) -> set[str]:
    """The English catalog's wording, cut at its placeholders, that a page in ``language`` must
    not show: fragments of four letters or more that the language's own catalog lacks
    ("Source" is French too, "Document" is within Spanish "Documento")."""
    own = " ".join(texts_of(catalog(language)))
    fragments = set()
    for text in texts_of(catalog("en")):
        for literal, *_ in string.Formatter().parse(text):
            for part in re.split(r"[:;,.()“”’]", literal):
                part = part.strip()
                if sum(ch.isalpha() for ch in part) >= 4 and part not in own:
                    fragments.add(part)
    return fragments | {month for month in ENGLISH_MONTHS if month not in own}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Build]:
    built = {}
    for language in SHIPPED:
        project = tmp_path_factory.mktemp(f"site-{language}")
        write_tree(project, {"mkdocs.yml": CONFIG.format(language=language), **CONTENT})
        build = run_mkdocs(project, "--strict")
        assert build.returncode == 0, build.log
        built[language] = build
    return built


def shown_text(build: Build, path: str) -> str:
    """What a reader of the page reads of ours: the article's text and its labels and
    tooltips, the page title, the nav, and the words the filter script will write."""
    page = build.html(path)
    article = page.select_one("article.md-content__inner")
    parts = [article.get_text(" "), page.title.get_text(), page.select_one("nav.md-nav--primary").get_text(" ")]
    for tag in article.find_all(True):
        parts += [tag.get(name, "") for name in ("aria-label", "title", "data-words")]
    return "\n".join(parts)


@pytest.mark.parametrize("language", [lang for lang in SHIPPED if lang != "en"])
def test_no_english_wording_remains(builds, language):
    build = builds[language]
    english = english_fragments(language)
    assert len(english) > 60  # the check has something to find
    for path in PAGES:
        text = shown_text(build, path)
        left = sorted(fragment for fragment in english if fragment in text)
        assert left == [], f"{language} {path}: {left}"
    # The English build does show them: the check can fail.
    assert any(fragment in shown_text(builds["en"], "/rules/alpha/") for fragment in english)


@pytest.mark.parametrize("language", SHIPPED)
def test_dates_are_cldr_at_their_precision(builds, language):
    build = builds[language]
    day, month, year = DATES[language]
    times = {t["datetime"]: t.get_text() for t in build.article("/entries/two/").find_all("time")}
    assert times["2025-06-13"] == day and times["2025-06"] == month
    assert {t["datetime"]: t.get_text() for t in build.article("/rules/gamma/").find_all("time")}["2024"] == year
    # Timeline headings: the month with its year; the year list names the months alone.
    headings = [h.get_text().strip("¶ ") for h in build.article("/timeline/2025/").find_all("h3")]
    assert headings == [month]
    # Sorting stays the same in every language: newest first; known order (after:) first of all.
    # Two (June) came after one (13 June), as its after: says.
    assert build.entry_links("/timeline/2025/") == ["four", "two", "one"]


@pytest.mark.parametrize("language", SHIPPED)
def test_feeds_and_page_language(builds, language):
    build = builds[language]
    feed = build.atom("/feed.xml")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    summaries = [e.findtext(f"{ATOM}summary") for e in feed.iter(f"{ATOM}entry")]
    words = Words(language)
    assert any(words.status("paused") in s and DATES[language][1] in s for s in summaries), summaries
    page = build.html("/rules/alpha/")
    assert page.html["lang"] == language
    assert page.body.get("dir") == ("rtl" if language == "ar" else "ltr")  # the theme's part
    labels = [s.get_text() for s in build.article("/rules/alpha/").select(".briefing-status")]
    assert words.status("paused") in labels and "paused" not in labels[1:] or language == "en"


def test_the_strip_runs_right_to_left_in_arabic(builds):
    def first_segment_x(language: str) -> float:
        strip = build_strip(builds[language])
        return float(strip.select(".briefing-strip__segment rect")[0]["x"])

    def build_strip(build: Build):
        return build.article("/rules/alpha/").select_one("svg.briefing-strip")

    assert first_segment_x("en") == 0.0
    assert first_segment_x("ar") > 500  # the oldest status on the right
    assert "briefing-strip--rtl" in build_strip(builds["ar"])["class"]
    texts = [t.get_text() for t in build_strip(builds["ar"]).find_all("text")]
    assert Words("ar").status("paused") in texts
    titles = [t.get_text() for t in build_strip(builds["ar"]).select(".briefing-strip__segment title")]
    assert any(Words("ar").status("proposed") in title for title in titles)


def test_names_in_any_script_get_pages_links_and_feed_entries(tmp_path):
    write_tree(tmp_path, {
        "mkdocs.yml": CONFIG.format(language="zh"),
        "content/entries/a.md": entry("2025-06-13", "新华社", "网络安全法", "草案公布", status="proposed"),
        "content/entries/b.md": entry("2025-07", "وكالة الأنباء", "قانون البيانات", "نُشر المشروع"),
        "content/entries/c.md": entry("2025-08", "ТАСС", "Закон о связи", "Проект опубликован"),
    })  # fmt: skip
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    data = build.json("/entries.json")
    titles = {rule["title"] for rule in data["rules"].values()}
    assert titles == {"网络安全法", "قانون البيانات", "Закон о связи"}
    for rule in data["rules"].values():
        path = unquote(rule["url"].removeprefix("https://example.org"))
        assert build.article(path).select_one(".briefing-current")
    feed_titles = {e.findtext(f"{ATOM}title") for e in build.atom("/feed.xml").iter(f"{ATOM}entry")}
    assert feed_titles == {"草案公布", "نُشر المشروع", "Проект опубликован"}
    assert_no_broken_links(build.site)


def test_a_site_corrects_a_translation_and_adds_a_language(tmp_path):
    write_tree(tmp_path, {
        "mkdocs.yml": CONFIG.format(language="fr") + "      overrides: custom\n",
        "custom/locales/fr.yml": "heading_disputes: Désaccords\nstatuses:\n  paused: gelé\n",
        **CONTENT,
    })  # fmt: skip
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    article = build.article("/rules/alpha/")
    assert "Désaccords" in [h.get_text().strip("¶") for h in article.find_all("h2")]
    assert "gelé" in [s.get_text() for s in article.select(".briefing-status")]
    assert "Historique du statut" in article.get_text()  # the rest stays the shipped French

    (tmp_path / "mkdocs.yml").write_text(CONFIG.format(language="it") + "      overrides: custom\n")
    write_tree(tmp_path, {"custom/locales/it.yml": "heading_claims: Dichiarazioni\n"})
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    assert "Dichiarazioni" in [h.get_text().strip("¶") for h in build.article("/rules/alpha/").find_all("h2")]
    assert {t["datetime"]: t.get_text() for t in build.article("/entries/two/").find_all("time")}["2025-06"] == "giugno 2025"


def test_a_regional_language_uses_its_dates_and_its_languages_words(tmp_path):
    config = CONFIG.format(language="en") + "      language: en-GB\n"
    write_tree(tmp_path, {"mkdocs.yml": config, **CONTENT})
    build = run_mkdocs(tmp_path, "--strict")
    assert build.returncode == 0, build.log
    times = {t["datetime"]: t.get_text() for t in build.article("/entries/two/").find_all("time")}
    assert times["2025-06-13"] == "13 June 2025"
    assert "Status history" in build.article("/rules/alpha/").get_text()


def test_a_language_without_a_catalog_says_how_to_add_one(tmp_path):
    write_tree(tmp_path, {"mkdocs.yml": CONFIG.format(language="it"), **CONTENT})
    build = run_mkdocs(tmp_path)
    assert build.returncode == 0, build.log
    assert build.warnings() == [
        "WARNING -  mkdocs.yml:1: language: the briefing has no translation for 'it', so its own "
        "words are in English (dates are not); add <overrides>/locales/it.yml"
    ]


def test_a_broken_catalog_is_one_line_per_problem_and_never_a_traceback(tmp_path):
    write_tree(tmp_path, {
        "mkdocs.yml": CONFIG.format(language="fr") + "      overrides: custom\n",
        "custom/locales/fr.yml": (
            "heading_disputes: Désaccords {oops}\n"
            "heading_claimz: Affirmations\n"
            "claims_count: beaucoup\n"
            "no_claims_yet: Rien {\n"
            "statuses: [gelé]\n"
            "rule_feed: Flux\n"
        ),
        **CONTENT,
    })  # fmt: skip
    strict = run_mkdocs(tmp_path, "--strict")
    assert strict.returncode == 1 and "Traceback" not in strict.log
    lines = [w.removeprefix("WARNING -  ") for w in strict.warnings()]
    assert lines == [
        "custom/locales/fr.yml:1: heading_disputes: uses {oops}, which the plugin does not fill in (it fills in nothing)",
        "custom/locales/fr.yml:2: heading_claimz: is not a text the plugin writes; check the key against the English catalog",
        "custom/locales/fr.yml:3: claims_count: needs a form per plural category, at least `other` (zero, one, two, few, many, other)",
        "custom/locales/fr.yml:4: no_claims_yet: has an unmatched { or }; write {{ or }} for a brace",
        "custom/locales/fr.yml:5: statuses: must map each status id to its label",
    ]
    check = run_briefing(tmp_path, "check")
    assert [line for line in check.stdout.splitlines() if "locales" in line] == lines
    plain = run_mkdocs(tmp_path)
    assert plain.returncode == 0
    article = plain.article("/rules/alpha/")
    assert "Contradictions" in [h.get_text().strip("¶") for h in article.find_all("h2")]  # shipped text kept
    assert "Flux" in article.get_text()  # the good key of the same file is used


def test_every_shipped_catalog_has_every_text_with_its_placeholders():
    english = catalog("en")
    for language in SHIPPED:
        data = catalog(language)
        assert set(data) == set(english), language
        assert set(data["statuses"]) == set(english["statuses"]), language
        for key, value in english.items():
            if key == "statuses":
                continue
            forms = value if isinstance(value, dict) else {"other": value}
            theirs = data[key] if isinstance(data[key], dict) else {"other": data[key]}
            assert "other" in theirs, (language, key)
            wanted = set().union(*(placeholders(text) for text in forms.values()))
            for text in theirs.values():
                assert placeholders(text) <= wanted, (language, key, text)
        assert Words(language).problems == [], language


def test_one_process_keeps_each_languages_months(tmp_path):
    """Babel shares locale data between locales (python-babel/babel#1234): after Chinese,
    German stand-alone months came out "六月". Words isolates each locale's data."""
    assert [Words(lang).month_name(6) for lang in ("zh", "de", "ar", "ru", "fr")] == [
        "六月", "Juni", "يونيو", "июнь", "juin",
    ]  # fmt: skip


def test_rtl_and_cjk_pages_pass_the_nu_checker(builds):
    from test_page_checks import THEME_ERRORS, nu_errors

    for language in ("zh", "ar"):
        errors = nu_errors(builds[language].site, PAGES)
        added = {page: found - THEME_ERRORS for page, found in errors.items() if found - THEME_ERRORS}
        assert added == {}, language


def test_feeds_parse_in_every_language(builds):
    for build in builds.values():
        for feed in (build.site / "feed.xml", build.site / "rules" / "alpha" / "feed.xml"):
            ET.parse(feed)


@pytest.mark.parametrize("language", ["zh", "ar"])
def test_cjk_and_rtl_pages_read_correctly_in_chromium(builds, browser, language):  # noqa: F811
    """Screenshots at 1280 and 390 px land in test-artifacts/ (look at them: CJK and Arabic
    glyphs need fonts-noto-cjk and fonts-noto-core, which .ci/run installs)."""
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if "Noto Sans CJK" not in fonts or "Noto Sans Arabic" not in fonts:
        unavailable("CJK and Arabic fonts (fonts-noto-cjk, fonts-noto-core) are not installed")
    words = Words(language)
    base, stop = serve(builds[language].site)
    try:
        for width in (1280, 390):
            r = Reader(browser, base, width)
            found = {}
            for path in ("/rules/alpha/", "/entries/two/", "/timeline/2025/", "/rules/"):
                page = r.open(path)
                found[path] = axe_violations(page)
                r.shot(f"{language}-{path.strip('/').replace('/', '-')}")
                # Nothing runs off the side of the page, at either width.
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (width, path)
            assert found == {path: set() for path in found}, (language, width)

            page = r.open("/timeline/2025/")
            side = page.evaluate("""() => {
                const style = getComputedStyle(document.querySelector("li.briefing-claim"));
                return [style.borderLeftWidth, style.borderRightWidth];
            }""")
            assert side == (["0px", "3px"] if language == "ar" else ["3px", "0px"])
            live = page.locator(".briefing-filter-live")
            assert live.locator("label").first.inner_text().startswith(words.text("filter_rule"))
            assert live.locator(".briefing-filter-count").inner_text() == words.text("filter_showing_all", count=3)
            page.select_option(".briefing-filter-live select >> nth=1", label="Xinhua")  # by source
            hidden = words.text("filter_hidden", hidden=2, count=3)  # one of 2025's three is Xinhua's
            assert live.locator(".briefing-filter-count").inner_text() == hidden

            page = r.open("/rules/alpha/")
            cards = page.evaluate("""() => [...document.querySelectorAll(".briefing-dispute__side")]
                .map(side => side.getBoundingClientRect().left)""")
            if width == 390:
                assert len(set(cards)) == 1  # the two sides of a dispute stack on a phone
            elif language == "ar":
                assert cards[0] > cards[1]  # the earlier claim on the right, where reading starts
            r.close()
    finally:
        stop()


def test_a_catalog_refuses_control_characters_and_survives_an_alias_bomb(tmp_path):
    bomb = "".join(f"{a}: &{a} [{', '.join([f'*{b}'] * 9) if b else ', '.join(['x'] * 9)}]\n"
                   for a, b in zip("abcdef", ["", *"abcde"], strict=True))
    write_tree(tmp_path, {"custom/locales/fr.yml": (
        bomb + 'heading_claims: [*f, *f, *f]\nheading_disputes: "D\\x01"\nstatuses: {paused: "g\\x85"}\n'
    )})  # fmt: skip
    start = time.perf_counter()
    words = Words("fr", str(tmp_path / "custom"), "custom")
    assert time.perf_counter() - start < 2
    lines = [str(p) for p in words.problems if p.field in ("heading_claims", "heading_disputes", "statuses")]
    assert lines == [
        "custom/locales/fr.yml:7: heading_claims: must be a text (quote it if YAML reads it as something else)",
        "custom/locales/fr.yml:8: heading_disputes: has the control character U+0001; remove it",
        "custom/locales/fr.yml:9: statuses: has the control character U+0085; remove it",
    ]
    assert (words.text("heading_disputes"), words.status("paused")) == ("Contradictions", "suspendu")
