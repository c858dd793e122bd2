"""Trust: no input crashes a build, merges two rules or sources, or replaces a page.

One hostile content tree, a file or two for each class of trouble, is built strictly, built
plainly and checked with ``briefing check``; every assertion reads the built files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from briefing.reader import parse_document
from conftest import (
    MKDOCS_YML,
    Build,
    assert_no_broken_links,
    entry,
    run_briefing,
    run_mkdocs,
    write_tree,
)

CONFIG = MKDOCS_YML + "markdown_extensions:\n  - attr_list\n  - toc:\n      permalink: true\n"

LAUGHS = (
    "---\n"
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else 'x, x, x, x, x, x, x, x, x'}]\n"
        for prev, name in zip(["", "a", "b", "c", "d", "e", "f"], "abcdefg", strict=True)
    )
    + "source: H\nrule: r\nclaim: c\ndate: *g\n---\n"
)

HOSTILE: dict[str, str | bytes] = {
    "content/index.md": "# Home\n\nSee [[反恐怖主义法]].\n",
    # Names in many scripts, and names with no letters at all: each its own rule and source.
    "content/entries/zh1.md": entry(
        "2015-03", "新华社", "反恐怖主义法", "法律仍在审议。", status="under-review"
    ),
    "content/entries/zh2.md": entry(
        "2015-04", "人民日报", "银行业信息安全规定", "规定暂停。", status="paused"
    ),
    "content/entries/ar.md": entry(
        "2015-04-02", "الجزيرة", "قانون مكافحة الإرهاب", "القانون قيد المراجعة."
    ),
    "content/entries/ru.md": entry("2015", "ТАСС", "Закон о борьбе с терроризмом", "Закон принят."),
    "content/entries/emoji.md": entry("2015", "'🦀'", "'🚀'", "Emoji rule."),
    "content/entries/punct.md": entry("2015", "'???'", "'!!!'", "Punctuation rule."),
    "content/entries/long.md": entry("2015", "Hill", "规" * 120, "A very long rule name."),
    # Two names that make one id: reported, never merged.
    "content/entries/cpp.md": entry("2015", "C++ Weekly", "bank", "From C++."),
    "content/entries/c.md": entry("2015", "C Weekly", "bank", "From C."),
    # Reserved names.
    "content/entries/named-index.md": entry("2015", "Index", "Index", "Index named."),
    "content/timeline.md": "# My timeline\n",
    "content/rules.md": "# My rules\n",
    "content/feed.xml": "<not-ours/>",
    "content/rules/bank.md": "---\ntitle: Bank rules\n---\nBank text.\n",
    "content/rules/bank/index.md": "# Under a rule\n",
    # File names with characters that mean something in a URL.
    "content/entries/x#y.md": entry("2015-05-01", "Hill", "a#b", "Hash entry."),
    "content/entries/sp ace.md": entry(
        "2015-05-02", "Hill", "a b", "Space entry.", contradicts="x#y"
    ),
    "content/entries/pct%20.md": entry("2015-05-03", "Hill", "a%b", "Percent entry."),
    "content/entries/q?.md": entry("2015-05-04", "Hill", "a?b", "Question entry."),
    "content/rules/a#b.md": "---\ntitle: A hash B\n---\n",
    "content/rules/a%b.md": "---\ntitle: A percent B\n---\n",
    # Files that are wrong: one line each, left out of a plain build.
    "content/entries/ctrl.md": entry("2015", "Hill", "bank", '"back\\bspace"'),
    "content/entries/dup.md": entry("2015", "Hill", "bank", "Dup.").replace(
        "claim:", "rule: other\nclaim:"
    ),
    "content/entries/laughs.md": LAUGHS,
    "content/entries/tag.md": entry("2015", "Hill", "bank", "!!int eleven"),
    "content/entries/stamp.md": entry("!!timestamp 2015-02-30", "Hill", "bank", "Stamp."),
    "content/entries/url.md": entry("2015", "Hill", "bank", "Bad url.", url="https://[host/x"),
    "content/entries/spaced-url.md": entry(
        "2015", "Hill", "bank", "Spaced url.", url="'https://a.org/x y'"
    ),
    "content/entries/by-no.md": entry("2015", "Hill", "bank", "By no.", by="no"),
    # Script in a writer's text: reported, and published without it.
    "content/entries/js.md": entry(
        "2015",
        "Hill",
        "bank",
        "Script body.",
        body="Before.\n\n[x](java&#115;cript:alert(1)) <b onclick='x()'>bold</b>\n\n<script>alert(2)</script>\n\nAfter.",
    ),  # fmt: skip
    "content/entries/held.md": entry(
        "2015", "Hill", "bank", "Held.", body="<!-- briefing-held 0 -->\n\nText after the marker."
    ),
    # Drafts are never named.
    "content/entries/draft.md": entry("2015", "Hill", "bank", "A draft.", draft="true", body="See [[nowhere]]."),
    "content/notes.md": b"\xff\xfe not UTF-8",
    "content/entries/names-draft.md": entry(
        "2015", "Hill", "bank", "Contradicts a draft.", contradicts="draft"
    ),
}

EXPECTED_PROBLEMS = [
    "content/entries/ctrl.md:5: claim: has an invisible control character (U+0008), often pasted from a PDF; delete it",
    "content/entries/dup.md:5: rule: is given twice (lines 4 and 5); keep one",
    "content/entries/laughs.md:1: front-matter has over 10,000 values once its YAML aliases are expanded (write the values out)",
    "content/entries/tag.md:5: claim: YAML cannot read 'eleven' as 'int'",
    "content/entries/stamp.md:2: date: YAML cannot read '2015-02-30' as 'timestamp'",
    "content/entries/url.md:6: url: 'https://[host/x' is not a well-formed link (check the address)",
    "content/entries/spaced-url.md:6: url: 'https://a.org/x y' has a space in it (write spaces in a link as %20)",
    "content/entries/by-no.md:6: by: YAML reads 'no' as false; put it in quotes to mean the text",
    "content/entries/cpp.md:3: source: 'C++ Weekly' and 'C Weekly' (content/entries/c.md) both make the source id 'c-weekly'",
    "content/entries/sp ace.md:4: rule: 'a b' and 'a?b' (content/entries/q?.md) both make the rule id 'a-b'",
    "content/entries/draft.md:8: [[link]]: 'nowhere' is not a rule (use a rule id, title or alias)",
    "content/notes.md:1: is not UTF-8 text (byte 0xff); save the file as UTF-8",
    "content/timeline.md:1: is left out: the briefing publishes /timeline/ there (rename the file; text for that page goes in content/timeline/index.md)",
    "content/rules.md:1: is left out: the briefing publishes /rules/ there",
    "content/feed.xml:1: is left out: the briefing publishes /feed.xml there (rename the file)",
    "content/rules/bank/index.md:1: is left out: the briefing publishes /rules/bank/ there (rename the file; text for that page goes in content/rules/bank.md)",
    "content/entries/js.md:9: body: a 'javascript:' link is not allowed in a writer's text",
    "content/entries/js.md:9: body: an 'onclick' attribute (it runs script) is not allowed in a writer's text",
    "content/entries/js.md:11: body: a <script> element is not allowed in a writer's text",
]
LEFT_OUT = {"ctrl", "dup", "laughs", "tag", "stamp", "url", "spaced-url", "by-no", "draft"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Build, Build, subprocess.CompletedProcess]:
    project = tmp_path_factory.mktemp("hostile")
    write_tree(project, {"mkdocs.yml": CONFIG, **HOSTILE})
    outside = project / "outside"
    write_tree(outside, {"linked.md": entry("2016", "Hill", "bank", "Entry in a linked folder.")})
    os.symlink(outside, project / "content" / "entries" / "linked")
    strict = run_mkdocs(project, "--strict")
    check = run_briefing(project, "check")
    plain = run_mkdocs(project)
    return project, strict, plain, check


def ours(build: Build) -> list[str]:
    return [w.split("-  ", 1)[1] for w in build.warnings() if "-  content/" in w]


def test_every_class_is_one_line_and_fails_strict(hostile):
    _, strict, plain, _ = hostile
    assert strict.returncode == 1
    for build in (strict, plain):
        assert "Traceback" not in build.log
        warnings = ours(build)
        for expected in EXPECTED_PROBLEMS:
            assert sum(w.startswith(expected) for w in warnings) == 1, (expected, warnings)
        assert len(warnings) == len(EXPECTED_PROBLEMS), warnings
        assert all(len(w) < 300 for w in warnings)  # no value is printed whole


def test_briefing_check_reports_exactly_what_the_build_reports(hostile):
    _, strict, _, check = hostile
    assert check.returncode == 1
    assert "Traceback" not in check.stderr
    assert sorted(check.stdout.splitlines()) == sorted(ours(strict))


def test_plain_build_publishes_every_valid_entry(hostile):
    project, _, plain, _ = hostile
    assert plain.returncode == 0, plain.log
    written = {p.stem for p in (project / "content" / "entries").glob("*.md")} | {"linked"}
    published = {e["id"] for e in plain.json("/entries.json")["entries"]}
    assert published == written - LEFT_OUT
    by_id = {e["id"]: e for e in plain.json("/entries.json")["entries"]}
    assert by_id["names-draft"]["contradicts"] == []
    assert by_id["sp ace"]["contradicts"] == ["x#y"]


def test_distinct_names_are_distinct_rules_and_sources(hostile):
    _, _, plain, _ = hostile
    data = plain.json("/entries.json")
    by_id = {e["id"]: e for e in data["entries"]}
    rules = [tuple(by_id[i]["rules"]) for i in ("zh1", "zh2", "ar", "ru", "emoji", "punct")]
    assert len(set(rules)) == len(rules)
    assert by_id["zh1"]["rules"] == ["反恐怖主义法"] and by_id["zh2"]["rules"] == [
        "银行业信息安全规定"
    ]
    assert by_id["cpp"]["source"] != by_id["c"]["source"]
    assert {data["sources"][by_id[i]["source"]]["name"] for i in ("cpp", "c")} == {
        "C++ Weekly",
        "C Weekly",
    }
    assert (
        data["rules"]["反恐怖主义法"]["url"]
        == "https://example.org/brief/rules/%E5%8F%8D%E6%81%90%E6%80%96%E4%B8%BB%E4%B9%89%E6%B3%95/"
    )
    page = plain.article("/rules/银行业信息安全规定/")
    assert page.find("h1").get_text() == "银行业信息安全规定"
    assert "paused" in page.select_one(".briefing-current").get_text()
    assert len(by_id["long"]["rules"][0].encode()) <= 100


def test_reserved_names_replace_no_page(hostile):
    _, _, plain, _ = hostile
    assert plain.article("/rules/").select("table tbody tr")  # the rules index, not a rule
    assert plain.article("/sources/").select("table tbody tr")
    assert plain.article("/rules/index-rule/").find("h1").get_text() == "Index"
    assert plain.article("/sources/index-source/").find("h1").get_text() == "Index"
    assert plain.article("/timeline/").select(".briefing-timeline")  # ours, not the writer's
    assert plain.atom("/feed.xml").tag.endswith("feed")
    assert plain.article("/rules/bank/").find("h1").get_text() == "Bank rules"


def test_feeds_and_json_parse_and_ids_are_encoded_like_mkdocs_urls(hostile):
    _, _, plain, _ = hostile
    feeds = list(plain.site.rglob("feed.xml"))
    assert len(feeds) > 10
    for feed in feeds:
        ET.parse(feed)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text for loc in ET.parse(plain.site / "sitemap.xml").iter(f"{ns}loc")]
    for loc in locs:
        path = unquote(urlsplit(loc).path.removeprefix("/brief/"))
        assert (plain.site / path / "index.html").exists(), loc
    assert "https://example.org/brief/entries/x%23y/" in locs
    assert "https://example.org/brief/rules/a%25b/" in locs
    timeline = plain.article("/timeline/")
    hashed = timeline.select_one("#claim-x\\%23y")
    assert hashed is not None and hashed.select_one("a[href='../entries/x%23y/']")
    assert hashed["data-rules"] == "a%23b"


def test_script_in_a_writers_text_is_not_published(hostile):
    _, _, plain, _ = hostile
    article = plain.article("/entries/js/")
    scripts = [s for s in article.find_all("script") if s.get("type") != "application/ld+json"]
    assert scripts == []
    assert not [tag for tag in article.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    assert not [a for a in article.find_all("a", href=True) if "script" in a["href"].lower()]
    text = article.get_text()
    assert "Before." in text and "bold" in text and "After." in text and "alert(2)" not in text


def test_a_literal_placeholder_in_a_body_swallows_nothing(hostile):
    _, _, plain, _ = hostile
    assert "Text after the marker." in plain.article("/entries/held/").get_text()
    assert plain.article("/entries/held/").select_one(".briefing-neighbours")


def test_no_broken_internal_link(hostile):
    assert_no_broken_links(hostile[2].site)


def test_feeds_parse_whatever_the_site_name_holds(build_site):
    config = MKDOCS_YML.replace("site_name: Test briefing", 'site_name: "Back\\bspace \\u0001 briefing"')
    build = build_site({"content/entries/a.md": entry("2015", "Hill", "bank", "C.")}, "--strict", config=config)
    assert build.returncode == 0, build.log
    for feed in ("/feed.xml", "/rules/bank/feed.xml"):
        assert "Backspace  briefing" in build.atom(feed).findtext("{http://www.w3.org/2005/Atom}title")


def test_trusted_html_allows_script(build_site):
    body = "<script>console.log('ok')</script>\n\n[x](javascript:void(0))\n"
    files = {"content/entries/a.md": entry("2015", "Hill", "bank", "C.", body=body)}
    config = MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      trusted_html: true\n")
    build = build_site(files, "--strict", config=config)
    assert build.returncode == 0, build.log
    assert build.article("/entries/a/").find("script", string="console.log('ok')")


def test_reading_a_hostile_file_is_bounded():
    cases = [
        LAUGHS,
        "---\ndate: [" + ", ".join(["2015"] * 15_000) + "]\n---\n",
        "---\na: " + "[" * 5000 + "]" * 5000 + "\n---\n",
    ]
    for text in cases:
        tracemalloc.start()
        started = time.monotonic()
        problem = parse_document(text.encode(), "content/entries/x.md")
        seconds = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert str(problem).startswith("content/entries/x.md:") and len(str(problem)) < 300, str(
            problem
        )[:300]
        assert seconds < 1 and peak < 50_000_000, (seconds, peak)


def test_the_pure_python_yaml_loader_reads_hostile_files_as_safely(tmp_path):
    """Where PyYAML was built without libyaml, its own Python reader is used: same contract."""
    texts = [t for t in HOSTILE.values() if isinstance(t, str) and t.startswith("---")]
    texts += ["---\nclaim: a\x08b\n---\n", "---\nclaim: \"\\ud800\"\n---\n", LAUGHS]
    (tmp_path / "texts.json").write_text(json.dumps(texts))
    script = (
        "import json, sys, yaml\n"
        "del yaml.CSafeLoader  # as on a PyYAML without libyaml\n"
        "from briefing.reader import Document, _FrontMatterLoader, entry_from_document, parse_document\n"
        "assert _FrontMatterLoader.__mro__[1] is yaml.SafeLoader\n"
        "for text in json.load(open(sys.argv[1])):\n"
        "    doc = parse_document(text.encode(), 'content/entries/x.md')\n"
        "    if isinstance(doc, Document):\n"
        "        doc = entry_from_document(doc, 'x', 'entries/x.md', ['paused'])[1]\n"
        "    print(len(str(doc)) < 2000)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "texts.json")],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"] * len(texts)
