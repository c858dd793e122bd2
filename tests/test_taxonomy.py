"""Tags and jurisdictions: a page per term, in any script, linked wherever a term is shown."""

from __future__ import annotations

from urllib.parse import unquote, urljoin

from bs4 import BeautifulSoup

from conftest import MKDOCS_YML, assert_no_broken_links, entry


def page(site, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / unquote(url) / "index.html").read_text(), "html.parser")


def table(soup: BeautifulSoup) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in soup.select("article table tbody tr")]


CONTENT = {
    "content/rules/bank.md": "---\ntitle: Bank rules\njurisdiction: China\n---\n",
    "content/rules/law.md": "---\ntitle: Counterterrorism law\njurisdiction: 中国\n---\n",
    "content/rules/gdpr.md": "---\ntitle: GDPR\njurisdiction: EU\n---\n",
    "content/rules/draft.md": "---\ntitle: Draft rule\njurisdiction: china\n---\n",
    "content/entries/a.md": entry("2015-01-02", "Hill", "bank", "Adopted.", status="adopted", tags="[Banks, 数据]"),
    "content/entries/b.md": entry("2015-04-13", "Times", "bank", "Paused.", status="paused", tags="[banks, a b]"),
    "content/entries/c.md": entry("2016", "Hill", "law", "In force.", status="in-force", tags="[a-b, index]"),
    "content/entries/d.md": entry("2018-05-25", "Wire", "gdpr", "Applies.", status="in-force"),
    "content/entries/e.md": entry("2019", "Wire", "draft", "Proposed.", status="proposed", tags="[Banks]", draft="true"),
}


def test_every_tag_and_jurisdiction_has_a_page_linked_where_it_is_shown(build_site):
    # At the root of its host, so the link checker can follow the 404 page's absolute links.
    build = build_site(CONTENT, config=MKDOCS_YML.replace("https://example.org/brief/", "https://example.org/"))
    assert build.returncode == 0, build.log
    site = build.site
    # /tags/: by name; "Banks" and "banks" are one tag under the name first used; a draft's
    # tag counts nothing; "a b" and "a-b" are two, and the writer hears of it.
    assert table(page(site, "tags")) == [["a b", "1"], ["a-b", "1"], ["Banks", "2"], ["index", "1"], ["数据", "1"]]
    assert "content/entries/c.md:7: tags: 'a-b' and 'a b' both make the tag id 'a-b'" in build.log
    links = {a.get_text(): a["href"] for a in page(site, "tags").select("article table a")}
    assert links == {"a b": "a-b/", "a-b": "a-b-2/", "Banks": "banks/", "index": "index-tag/", "数据": "%E6%95%B0%E6%8D%AE/"}
    claims = [a.get_text() for a in page(site, "tags/banks").select(".briefing-claims a[href^='../../entries/']")]
    assert claims == ["Paused.", "Adopted."]  # newest first, as the timeline
    # An entry's tags and a rule's jurisdiction link to their pages.
    entry_page = page(site, "entries/a")
    tag_links = [urljoin("/entries/a/", a["href"]) for a in entry_page.select("a.briefing-tag")]
    assert tag_links == ["/tags/banks/", "/tags/%E6%95%B0%E6%8D%AE/"]
    rule_facts = page(site, "rules/law").select_one("article dl")
    assert urljoin("/rules/law/", rule_facts.find("a", string="中国")["href"]) == "/jurisdictions/%E4%B8%AD%E5%9B%BD/"
    # A jurisdiction: its rules with their current status, then its latest claims.
    china = page(site, "jurisdictions/china")
    assert [row[:2] for row in table(china)] == [["Bank rules", "paused"], ["Draft rule", "no status claimed"]]
    assert [a.get_text() for a in china.select(".briefing-claims a[href^='../../entries/']")] == ["Paused.", "Adopted."]
    assert table(page(site, "jurisdictions")) == [["China", "2"], ["EU", "1"], ["中国", "1"]]
    nav = [a.get_text(" ", strip=True) for a in page(site, "timeline").select("nav.md-nav--primary > ul > li > a")]
    assert nav[-2:] == ["Tags", "Jurisdictions"]
    assert_no_broken_links(site)


def test_a_site_without_tags_or_jurisdictions_has_no_such_pages(build_site):
    build = build_site({"content/entries/a.md": entry("2015", "Hill", "bank", "A.")}, "--strict", config=MKDOCS_YML)
    assert build.returncode == 0, build.log
    assert not (build.site / "tags").exists() and not (build.site / "jurisdictions").exists()


def test_one_claim_is_listed_once_under_a_tag_it_carries_in_two_spellings(build_site):
    build = build_site({"content/entries/a.md": entry("2015", "Hill", "bank", "A.", tags="[Banks, banks, BANKS]")})
    assert build.returncode == 0, build.log
    assert table(page(build.site, "tags")) == [["Banks", "1"]]
    assert len(page(build.site, "tags/banks").select(".briefing-claims li.briefing-claim")) == 1


def test_many_names_sharing_one_id_stay_fast_and_apart():
    import time

    from briefing.dates import PartialDate
    from briefing.model import Entry
    from briefing.taxonomy import collect_terms

    # "a!#$b", "a!#%b", ...: each a name of its own, all making the id "a-b".
    marks = "!#$%&()*+,./:;<=>?@[]^_{|}~"
    names = tuple(f"a{x}{y}{z}b" for x in marks for y in marks for z in marks)[:20_000]
    claims = [Entry(f"e{i}", f"entries/e{i}.md", PartialDate.parse("2015"), "s", ("r",), "C.", tags=names[i::100])
              for i in range(100)]
    start = time.perf_counter()
    tags, _, problems = collect_terms(claims, [], "content")
    assert time.perf_counter() - start < 5
    assert len(tags.by_id) == len(names) and len(problems) == len(names) - 1


def test_a_claim_carries_at_most_100_tags(build_site):
    tags = "[" + ", ".join(f"t{n}" for n in range(101)) + "]"
    build = build_site({"content/entries/a.md": entry("2015", "Hill", "bank", "A.", tags=tags)})
    assert "content/entries/a.md:6: tags: has 101 tags; a claim may carry at most 100" in build.log
    assert not (build.site / "tags").exists()


def test_a_jurisdiction_with_more_rules_than_a_page_holds_has_numbered_pages(build_site):
    # No page over 1 MB (issue 25): a jurisdiction's rule table is paged like the indexes.
    content = {
        **{f"content/rules/r{n}.md": f"---\ntitle: Rule {n}\njurisdiction: China\n---\n" for n in range(5)},
        **{f"content/rules/z{n}.md": f"---\ntitle: 规则 {n}\njurisdiction: 中国\n---\n" for n in range(3)},
        **{f"content/entries/e{n}.md": entry(f"201{n}", "Hill", f"r{n}", f"Claim {n}.") for n in range(5)},
        "content/entries/z.md": entry("2016", "Hill", "z0", "Claim z."),
    }  # fmt: skip
    config = MKDOCS_YML.replace("https://example.org/brief/", "https://example.org/").replace(
        "  - briefing\n", "  - briefing:\n      index_page_rows: 2\n"
    )
    build = build_site(content, "--strict", config=config)
    assert build.returncode == 0, build.log
    site = build.site
    pages = [page(site, "jurisdictions/china"), page(site, "jurisdictions/china/index/2"), page(site, "jurisdictions/china/index/3")]
    assert [[row[0] for row in table(p)] for p in pages] == [["Rule 0", "Rule 1"], ["Rule 2", "Rule 3"], ["Rule 4"]]
    # Each page links the others (no JavaScript needed); the latest claims are on the first.
    for number, shown in enumerate(pages, start=1):
        pager = shown.select_one("article nav.briefing-year-nav")
        assert pager.select_one("[aria-current=page]").get_text() == str(number)
        assert [a.get_text() for a in pager.select("a")] == [str(n) for n in (1, 2, 3) if n != number]
        assert len(shown.select(".briefing-claims li.briefing-claim")) == (5 if number == 1 else 0)
    assert pages[1].title.get_text().startswith("Jurisdiction: China, page 2 of 3")
    assert [row[0] for row in table(page(site, "jurisdictions/中国/index/2"))] == ["规则 2"]
    assert table(page(site, "jurisdictions")) == [["China", "5"], ["中国", "3"]]  # the index names the first page
    assert_no_broken_links(site)


def test_a_paged_jurisdiction_orders_its_rules_by_title_not_by_file_name(build_site):
    # Which rules a reader sees first must not follow the files' names; and names in any
    # script, a reserved word and '#' page like any other.
    content = {}
    for jurisdiction in ("index", "a#b", "قانون"):
        for file_id, title in (("a", "Zeta rule"), ("b", "alpha rule"), ("c", "Mid rule")):
            rule_id = f"{file_id}-{len(content)}"
            content[f"content/rules/{rule_id}.md"] = f"---\ntitle: {title} {jurisdiction}\njurisdiction: '{jurisdiction}'\n---\n"
            content[f"content/entries/{rule_id}.md"] = entry("2015", "Hill", rule_id, f"On {rule_id}.")
    config = MKDOCS_YML.replace("https://example.org/brief/", "https://example.org/").replace(
        "  - briefing\n", "  - briefing:\n      index_page_rows: 1\n"
    )
    build = build_site(content, "--strict", config=config)
    assert build.returncode == 0, build.log
    links = {}  # the Jurisdictions index is paged too: one row a page
    for index in ("jurisdictions/", "jurisdictions/index/2/", "jurisdictions/index/3/"):
        links.update({a.get_text(): urljoin(index, a["href"]) for a in page(build.site, index).select("article table a")})
    for name, path in links.items():
        rows = [table(page(build.site, path))] + [table(page(build.site, f"{path}index/{n}")) for n in (2, 3)]
        assert [row[0][0] for row in rows] == [f"alpha rule {name}", f"Mid rule {name}", f"Zeta rule {name}"]
    assert sorted(links) == ["a#b", "index", "قانون"]
    assert_no_broken_links(build.site)
