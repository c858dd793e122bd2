"""Small briefings built with the real `mkdocs build`, checked through their parsed output."""

import hashlib
import json
from urllib.parse import urljoin

from conftest import ATOM, MKDOCS_YML, entry

RULE = """\
---
title: Bank rules
aliases: [the bank rules]
---
"""


def test_drafts_appear_in_no_output(build_site):
    build = build_site({
        "content/index.md": "# Home\n",
        "content/rules/bank.md": RULE,
        "content/entries/live.md": entry("2015-04", "Hill", "bank", "Published claim.", status="paused"),
        "content/entries/secret.md": entry(
            "2015-04-02", "Secret Wire", "bank", "Zebra draft claim.", draft="true",
            body="Zebra draft body.",
        ),
    }, "--strict")
    assert build.returncode == 0, build.log
    assert not build.exists("/entries/secret/")
    assert not build.exists("/sources/secret-wire/")  # named only by the draft
    for page in ("/timeline/", "/rules/bank/", "/sources/hill/", "/rules/", "/sources/"):
        assert "Zebra" not in build.article(page).get_text()
    search = build.json("/search/search_index.json")
    assert not [doc for doc in search["docs"] if "Zebra" in doc["text"] + doc["title"]]
    for feed in ("/feed.xml", "/rules/bank/feed.xml"):
        titles = [e.findtext(f"{ATOM}title") for e in build.atom(feed).iter(f"{ATOM}entry")]
        assert titles == ["Published claim."]
    assert [e["id"] for e in build.json("/entries.json")["entries"]] == ["live"]


def test_front_matter_text_is_escaped_everywhere(build_site):
    nasty = "'<script>alert(1)</script> & </title><b>bold</b>'"
    build = build_site({
        "content/rules/bank.md": '---\ntitle: "<img src=x onerror=alert(2)>"\n---\n',
        "content/entries/x.md": entry(
            "2015-04-13", '"<i>Hill</i>"', "bank", nasty, by='"<u>Lew</u>"', quote=nasty,
        ),
    }, "--strict")
    assert build.returncode == 0, build.log
    for page in ("/entries/x/", "/rules/bank/", "/timeline/", "/sources/i-hill-i/", "/rules/"):
        html = build.html(page)
        # Executable scripts carry none of it; JSON-LD carries it as data, escaped so that no
        # "</script>" inside a value can end the element early.
        for script in html.find_all("script"):
            if script.get("type") == "application/ld+json":
                assert "<" not in script.string, page
                json.loads(script.string)
            else:
                assert "alert" not in (script.string or ""), page
        assert not html.find("img", attrs={"onerror": True}), page
        assert not html.select("article b, article u, article i"), page
    entry_page = build.html("/entries/x/")
    assert entry_page.title.get_text().startswith("<script>alert(1)</script> & </title>")
    assert entry_page.find("h1").get_text() == "<script>alert(1)</script> & </title><b>bold</b>"
    claim_ld = json.loads(entry_page.find("script", type="application/ld+json").string)
    assert claim_ld["text"] == "<script>alert(1)</script> & </title><b>bold</b>"
    feed = build.atom("/feed.xml")  # parses: the XML is well-formed
    assert feed.find(f"{ATOM}entry/{ATOM}title").text.startswith("<script>")
    assert build.json("/entries.json")["entries"][0]["claim"].startswith("<script>")


def test_partial_dates_are_shown_at_their_precision_and_sorted_first(build_site):
    build = build_site({
        "content/entries/d.md": entry("2015-04-13", "Hill", "bank", "Day claim."),
        "content/entries/c.md": entry("2015-03-05", "Hill", "bank", "Early March claim."),
        "content/entries/b.md": entry("2015-03", "Hill", "bank", "March claim."),
        "content/entries/a.md": entry("2015", "Hill", "bank", "Year claim."),
        "content/entries/e.md": entry("2015-03", "Hill", "bank", "Another March claim."),
    }, "--strict")
    assert build.returncode == 0, build.log
    # Within a period, partial dates first; ties by what the claims say, never by file name.
    assert build.entry_links("/rules/bank/") == ["a", "e", "b", "c", "d"]
    times = [
        (t["datetime"], t.get_text())
        for t in build.article("/rules/bank/").select(".briefing-claims time")
    ]
    assert times == [
        ("2015", "2015"), ("2015-03", "March 2015"), ("2015-03", "March 2015"),
        ("2015-03-05", "March 5, 2015"), ("2015-04-13", "April 13, 2015"),
    ]  # CLDR's English (Babel's "en"); `language: en-GB` writes "5 March 2015"
    timeline = build.article("/timeline/")
    assert [h.get_text(strip=True).rstrip("¶") for h in timeline.find_all(["h2", "h3"])] == [
        "2015", "April 2015", "March 2015", "2015, month not known",
    ]
    assert build.entry_links("/timeline/") == ["d", "c", "b", "e", "a"]  # newest first
    anchors = [li["id"] for li in timeline.select("li.briefing-claim")]
    assert anchors == ["claim-d", "claim-c", "claim-b", "claim-e", "claim-a"]


def test_timeline_oldest_first_when_configured(build_site):
    config = "site_name: T\ndocs_dir: content\ntheme: material\nplugins:\n  - briefing:\n      timeline_order: oldest\n"
    build = build_site({
        "content/entries/new.md": entry("2016", "Hill", "bank", "New."),
        "content/entries/old.md": entry("2014", "Hill", "bank", "Old."),
    }, "--strict", config=config)
    assert build.returncode == 0, build.log
    assert build.entry_links("/timeline/") == ["old", "new"]


def test_a_large_timeline_gets_a_page_per_year(build_site):
    config = MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      split_above: 3\n")
    build = build_site({
        "content/entries/a.md": entry("2014-05-02", "Hill", "bank", "Claim of 2014."),
        "content/entries/b.md": entry("2015", "Hill", "bank", "Claim of 2015, month unknown."),
        "content/entries/c.md": entry("2015-03", "Hill", "bank", "Claim of March 2015."),
        "content/entries/d.md": entry("2016-01-09", "Post", "other", "Claim of 2016."),
    }, "--strict", config=config)
    assert build.returncode == 0, build.log
    # Each page's filter offers the rules and sources of its own claims; the list of years, the indexes.
    def offered(page: str) -> list[str]:
        return [a["href"] for a in build.article(page).select(".briefing-filter a")]

    assert offered("/timeline/2016/") == ["../../rules/other/#claims", "../../sources/post/#claims"]
    assert offered("/timeline/2014/") == ["../../rules/bank/#claims", "../../sources/hill/#claims"]
    assert offered("/timeline/") == ["../rules/", "../sources/"]
    index = build.article("/timeline/")
    assert not index.select("li.briefing-claim")  # the index only lists the years
    years = [(a.get_text(), a["href"]) for a in index.select(".briefing-years a")]
    assert years == [("2016", "2016/"), ("2015", "2015/"), ("2014", "2014/")]
    assert "2 claims (March 1, month not known 1)" in index.select(".briefing-years li")[1].get_text()

    year_2015 = build.article("/timeline/2015/")
    assert [li["id"] for li in year_2015.select("li.briefing-claim")] == ["claim-c", "claim-b"]
    assert build.html("/timeline/2015/").title.get_text().startswith("Timeline: 2015")
    year_nav = {a.get_text(): a["href"] for a in year_2015.select(".briefing-year-nav a")}
    assert year_nav == {"All years": "../", "2016": "../2016/", "2014": "../2014/"}
    assert "2016 (newer) · 2014 (older)" in year_2015.select_one(".briefing-year-nav").get_text()
    on_year_pages = [e for y in ("2014", "2015", "2016") for e in build.entry_links(f"/timeline/{y}/")]
    assert sorted(on_year_pages) == ["a", "b", "c", "d"]

    # Year pages are reached from /timeline/, not the nav; search lands on entries, not here.
    nav = build.html("/timeline/2015/").select_one("nav.md-nav--primary")
    in_nav = {urljoin("/timeline/2015/", a["href"]) for a in nav.find_all("a", href=True)}
    assert "/timeline/" in in_nav
    assert not [url for url in in_nav if url.startswith("/timeline/20")]
    indexed = {doc["location"].split("#")[0] for doc in build.json("/search/search_index.json")["docs"]}
    assert "entries/c/" in indexed
    assert not [url for url in indexed if url.startswith("timeline/")]


def test_long_rule_and_source_listings_get_a_page_per_year(build_site):
    config = MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      split_above: 2\n")
    build = build_site({
        "content/entries/a.md": entry("2014-05-02", "Hill", "bank", "Claim of 2014.", status="proposed"),
        "content/entries/b.md": entry("2015-03", "Hill", "bank", "Claim of March 2015.", status="adopted"),
        "content/entries/c.md": entry("2015-06-01", "Post", "bank", "Claim of June 2015."),
        "content/entries/d.md": entry("2015", "Post", "other", "Other rule."),
    }, "--strict", config=config)
    assert build.returncode == 0, build.log
    rule = build.article("/rules/bank/")
    assert [(a.get_text(), a["href"]) for a in rule.select(".briefing-years a")] == [
        ("2014", "2014/"), ("2015", "2015/"),
    ]
    assert not rule.select("li.briefing-claim")  # listed on the year pages instead...
    assert rule.select(".briefing-history li")  # ...while the briefing itself stays whole
    year = build.article("/rules/bank/2015/")
    assert build.entry_links("/rules/bank/2015/") == ["b", "c"]
    assert [a.get_text() for a in year.select(".briefing-year-nav a")][:2] == ["bank", "2014"]
    assert not year.select(".briefing-on")  # a rule's own listing does not repeat the rule
    assert build.html("/rules/bank/2015/").title.get_text().startswith("bank: 2015")
    # Two claims are not over the limit: the sources keep one page each.
    assert build.entry_links("/sources/hill/") == ["a", "b"] and not build.exists("/sources/hill/2014/")
    indexed = {doc["location"].split("#")[0] for doc in build.json("/search/search_index.json")["docs"]}
    assert "rules/bank/" in indexed and "rules/bank/2015/" not in indexed
    assert "2015/" not in build.html("/rules/").select_one("nav.md-nav--primary").decode()


def test_a_year_too_long_for_one_page_gets_a_page_per_month_and_a_long_month_numbered_pages(build_site):
    """At 100,000 claims a year holds thousands: no page lists more than split_above claims,
    every claim is listed once with its anchor, and every link between the pages leads to one."""
    config = MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      split_above: 2\n")
    march = {f"content/entries/m{n}.md": entry(f"2015-03-0{n}", "Hill", "bank", f"March claim {n}.", tags="[x]") for n in range(1, 6)}
    build = build_site({
        **march,
        "content/entries/y.md": entry("2015", "Hill", "bank", "Dated to 2015 only.", tags="[x]"),
        "content/entries/old.md": entry("2014-05-02", "Hill", "bank", "Claim of 2014.", tags="[x]"),
    }, "--strict", config=config)
    assert build.returncode == 0, build.log
    year = build.article("/timeline/2015/")
    assert not year.select("li.briefing-claim")  # six claims: the year lists its months instead
    months = [(a.get_text(), a["href"]) for a in year.select(".briefing-years a")]
    assert months == [("March 2015", "03/"), ("2015, month not known", "undated/")]
    assert "March 2015: 5 claims" in year.select_one(".briefing-years").get_text()
    assert [a["href"] for a in year.select(".briefing-filter a")] == ["../../rules/", "../../sources/"]  # no claims here
    pages = ["/timeline/2015/03/", "/timeline/2015/03/page/2/", "/timeline/2015/03/page/3/", "/timeline/2015/undated/", "/timeline/2014/"]
    listed = {page: [li["id"] for li in build.article(page).select("li.briefing-claim")] for page in pages}
    assert listed["/timeline/2015/03/"] == ["claim-m5", "claim-m4"]  # newest first, as the timeline
    assert listed["/timeline/2015/03/page/3/"] == ["claim-m1"]
    assert sorted(i for ids in listed.values() for i in ids) == sorted(f"claim-{e}" for e in ["m1", "m2", "m3", "m4", "m5", "y", "old"])
    assert build.html("/timeline/2015/03/page/2/").title.get_text().startswith("Timeline: March 2015, page 2 of 3")
    second = build.article("/timeline/2015/03/page/2/")
    assert "of 7 claims" in second.select_one(".briefing-timeline-tools").get_text()
    nav = {a.get_text(): urljoin("/timeline/2015/03/page/2/", a["href"]) for a in second.select(".briefing-year-nav a")}
    assert nav == {"All years": "/timeline/", "2015": "/timeline/2015/", "March 2015, page 1 of 3": "/timeline/2015/03/",
                   "March 2015, page 3 of 3": "/timeline/2015/03/page/3/"}  # fmt: skip
    # Which of one month's pages, or of a month and its year's undated claims, is newer is not
    # known: the links do not say; between years they do.
    for page in ("/timeline/2015/03/page/2/", "/timeline/2015/undated/"):
        said = build.article(page).select_one(".briefing-year-nav").get_text()
        assert "newer" not in said and "older" not in said, (page, said)
    assert "2014 (older)" in build.article("/timeline/2015/").select_one(".briefing-year-nav").get_text()
    for page in pages:  # every link between the pages leads to a page that exists
        for a in build.article(page).select(".briefing-year-nav a, .briefing-years a"):
            assert build.exists(urljoin(page, a["href"])), (page, a["href"])

    # A rule's claims split the same way, oldest first: they read as a history.
    assert [a["href"] for a in build.article("/rules/bank/2015/").select(".briefing-years a")] == ["undated/", "03/"]
    assert build.entry_links("/rules/bank/2015/03/") == ["m1", "m2"]
    assert build.entry_links("/rules/bank/2015/03/page/3/") == ["m5"]
    # A tag's are a slice of the timeline: split or not, they follow its order (newest first).
    tag = build.article("/tags/x/")
    assert [a["href"] for a in tag.select(".briefing-years a")] == ["2015/", "2014/"] and not tag.select("li.briefing-claim")
    assert [a["href"] for a in build.article("/tags/x/2015/").select(".briefing-years a")] == ["03/", "undated/"]
    assert build.entry_links("/tags/x/2015/03/") == ["m5", "m4"]
    assert build.entry_links("/tags/x/2015/03/page/3/") == ["m1"]
    assert build.entry_links("/tags/x/2015/undated/") == ["y"]
    assert build.html("/tags/x/2015/03/page/2/").title.get_text().startswith("x: March 2015, page 2 of 3")
    assert "2014 (older)" in build.article("/tags/x/2015/").select_one(".briefing-year-nav").get_text()
    assert "2015 (newer)" in build.article("/tags/x/2014/").select_one(".briefing-year-nav").get_text()


def test_long_indexes_get_numbered_pages_that_link_each_other(build_site):
    config = MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      index_page_rows: 2\n")
    build = build_site({
        "content/rules/index.md": "Intro to the rules.\n",
        **{f"content/entries/{n}.md": entry("2015", f"Source {n}", f"Rule {n}", "Claim.", tags=f"[t{n}]") for n in "abcde"},
    }, "--strict", config=config)
    assert build.returncode == 0, build.log
    pages = ["/rules/", "/rules/index/2/", "/rules/index/3/"]
    listed = [[a.get_text() for a in build.article(page).select("tbody a")] for page in pages]
    assert listed == [["Rule a", "Rule b"], ["Rule c", "Rule d"], ["Rule e"]]
    assert not build.exists("/rules/index/4/")
    assert build.html("/rules/index/2/").title.get_text().startswith("Rules, page 2 of 3")
    assert build.html("/rules/").title.get_text().startswith("Rules ")  # as the nav names it
    second = build.article("/rules/index/2/")
    links = {a.get_text(): (urljoin("/rules/index/2/", a["href"]), a.get("rel")) for a in second.select(".briefing-year-nav a")}
    assert links == {"1": ("/rules/", ["prev"]), "3": ("/rules/index/3/", ["next"])}
    assert "Intro to the rules." in build.article("/rules/").get_text()  # the writer's text, on the first page only
    assert "Intro to the rules." not in second.get_text()
    for folder, names in (("sources", "Source"), ("tags", "t")):
        on_pages = [a.get_text() for page in (f"/{folder}/", f"/{folder}/index/2/", f"/{folder}/index/3/") for a in build.article(page).select("tbody a")]
        assert sorted(on_pages) == sorted(f"{names} {n}".replace("t ", "t") for n in "abcde")


def test_a_small_timeline_stays_on_one_page(build_site):
    build = build_site({
        "content/entries/a.md": entry("2014", "Hill", "bank", "Old."),
        "content/entries/b.md": entry("2016", "Hill", "bank", "New."),
    }, "--strict")
    assert build.returncode == 0, build.log
    assert build.entry_links("/timeline/") == ["b", "a"]
    assert not build.exists("/timeline/2014/")


def test_the_nav_lists_single_rules_and_sources_only_while_there_are_few(build_site):
    config = MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      nav_list_limit: 2\n")
    build = build_site({
        "content/entries/a.md": entry("2015", "Hill", "[one, two, three]", "Three rules."),
        "content/entries/b.md": entry("2015", "Post", "one", "Two sources."),
    }, "--strict", config=config)
    assert build.returncode == 0, build.log
    nav = build.html("/rules/").select_one("nav.md-nav--primary")
    in_nav = {urljoin("/rules/", a["href"]) for a in nav.find_all("a", href=True)}
    # Three rules are over the limit: only their index; two sources are not: each is listed.
    assert in_nav == {"/", "/timeline/", "/rules/", "/sources/", "/sources/hill/", "/sources/post/"}
    assert build.exists("/rules/three/")
    assert "not included in the" not in build.log  # left out on purpose, not reported


def disputes_on(build, rule="bank"):
    return [
        sorted(a["href"].split("/")[-2] for a in d.select(".briefing-dispute__side a[href*='entries/']"))
        for d in build.article(f"/rules/{rule}/").select(".briefing-dispute")
    ]


def status_of(build, rule="bank"):
    """The current status's id (its label is in the site's language), from its style class."""
    shown = build.article(f"/rules/{rule}/").select_one(".briefing-current .briefing-status")
    return next(c.removeprefix("briefing-status--") for c in shown["class"] if c.startswith("briefing-status--"))


def test_conflicting_statuses_from_different_sources_within_the_window_are_disputed(build_site):
    build = build_site({
        "content/entries/a.md": entry("2015-04-01", "Hill", "bank", "Paused.", status="paused"),
        "content/entries/b.md": entry("2015-04-20", "Reuters", "bank", "In force.", status="in-force"),
    }, "--strict")
    assert build.returncode == 0, build.log
    assert disputes_on(build) == [["a", "b"]]
    assert status_of(build) == "disputed"
    rules = {r.find("a").get_text(): [s.get_text() for s in r.find_all("td")[1].select(".briefing-status")]
             for r in build.article("/rules/").select("tbody tr")}
    # An implied rule is titled by the name used; the latest status claimed stands beside it.
    assert rules == {"bank": ["disputed", "in force"]}
    assert "19 days apart" in build.article("/rules/bank/").select_one(".briefing-dispute__reason").get_text()


def test_one_source_changing_status_is_a_change_not_a_dispute(build_site):
    build = build_site({
        "content/entries/a.md": entry("2015-04-01", "Hill", "bank", "Paused.", status="paused"),
        "content/entries/b.md": entry("2015-04-20", "Hill", "bank", "Resumed.", status="resumed"),
    }, "--strict")
    assert build.returncode == 0, build.log
    assert disputes_on(build) == []
    assert status_of(build) == "resumed"
    history = [s.get_text() for s in build.article("/rules/bank/").select(".briefing-history .briefing-status")]
    assert history == ["paused", "resumed"]


def test_conflicts_outside_the_window_are_not_disputes(build_site):
    build = build_site({
        "content/entries/a.md": entry("2015-01-01", "Hill", "bank", "Paused.", status="paused"),
        "content/entries/b.md": entry("2015-03-01", "Reuters", "bank", "In force.", status="in-force"),
    }, "--strict")
    assert build.returncode == 0, build.log
    assert disputes_on(build) == []
    assert status_of(build) == "in-force"


def test_contradicts_makes_a_dispute_that_fades_after_the_window(build_site):
    build = build_site({
        "content/entries/a.md": entry("2015-01-01", "Hill", "bank", "Paused.", status="paused"),
        "content/entries/b.md": entry("2015-01-05", "Hill", "bank", "Not paused.", contradicts="a", by="Minister"),
        "content/entries/c.md": entry("2015-06-01", "Hill", "bank", "Later news."),
    }, "--strict")
    assert build.returncode == 0, build.log
    assert disputes_on(build) == [["a", "b"]]
    assert status_of(build) == "paused"  # the dispute is months older than the latest claim
    page = build.article("/entries/a/")
    assert [a["href"] for a in page.select(".briefing-entry-disputes a:not(.briefing-source-link)")] == ["../b/"]


def test_feeds_are_atom_with_stable_ids(build_site):
    files = {
        "content/entries/a.md": entry("2015-03", "Hill", "bank", "First.", status="paused"),
        "content/entries/b.md": entry("2015-04-13", "Hill", "[bank, other]", "Second."),
    }
    first, second = build_site(files, "--strict"), build_site(files, "--strict")
    for build in (first, second):
        assert build.returncode == 0, build.log
    feed = first.atom("/feed.xml")
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.findtext(f"{ATOM}{required}")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/brief/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "https://example.org/brief/entries/b/", "https://example.org/brief/entries/a/",
    ]
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2015-04-13T00:00:00Z", "2015-03-01T00:00:00Z",
    ]
    for e in entries:
        assert e.find(f"{ATOM}author/{ATOM}name").text == "Hill"
        assert e.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("https://")
    other = first.atom("/rules/other/feed.xml")
    assert [e.findtext(f"{ATOM}id") for e in other.iter(f"{ATOM}entry")] == [
        "https://example.org/brief/entries/b/"
    ]
    assert first.site.joinpath("feed.xml").read_bytes() == second.site.joinpath("feed.xml").read_bytes()


def test_entries_json_holds_exactly_the_published_entries_resolved(build_site):
    build = build_site({
        "content/rules/bank.md": RULE,
        "content/sources/hill.md": "---\nname: The Hill\naliases: [Hill newspaper]\n---\n",
        "content/entries/2015/a.md": entry("2015-03", "hill newspaper", "THE BANK RULES", "One.", status="paused"),
        "content/entries/b.md": entry("2015", "The Hill", "[Bank rules, Brand New Rule]", "Two."),
        "content/entries/c.md": entry("2015", "The Hill", "bank", "Draft.", draft="true"),
    }, "--strict")
    assert build.returncode == 0, build.log
    data = build.json("/entries.json")
    assert [(e["id"], e["source"], e["rules"], e["date"], e["date_precision"]) for e in data["entries"]] == [
        ("b", "hill", ["bank", "brand-new-rule"], "2015", "year"),
        ("a", "hill", ["bank"], "2015-03", "month"),
    ]
    assert data["rules"]["brand-new-rule"]["title"] == "Brand New Rule"
    assert build.html("/rules/brand-new-rule/").find("h1").get_text() == "Brand New Rule"
    assert build.exists("/entries/a/") and not build.exists("/entries/2015/a/")


def test_entries_json_links_a_file_per_year_that_holds_that_years_entries(build_site):
    build = build_site({
        "content/entries/a.md": entry("2014-05", "Hill", "bank", "One.", status="paused"),
        "content/entries/b.md": entry("2015", "Post", "[bank, other]", "Two."),
        "content/entries/c.md": entry("2015-02-03", "Post", "other", "Three."),
    }, "--strict")
    assert build.returncode == 0, build.log
    whole = build.json("/entries.json")
    # The links come first: a script can read them before the entries.
    head = (build.site / "entries.json").read_text().split('"entries"', 1)[0]
    assert '"years"' in head
    assert whole["years"] == {
        "2014": {"url": "https://example.org/brief/entries-2014.json", "entries": 1},
        "2015": {"url": "https://example.org/brief/entries-2015.json", "entries": 2},
    }
    by_year = {}
    for year, link in whole["years"].items():
        data = build.json("/" + link["url"].rsplit("/", 1)[1])
        assert data["year"] == int(year) and data["whole"] == "https://example.org/brief/entries.json"
        by_year[year] = data
        assert len(data["entries"]) == link["entries"]
        named = {r for e in data["entries"] for r in e["rules"]}
        assert set(data["rules"]) == named and set(data["sources"]) == {e["source"] for e in data["entries"]}
        assert all(data["rules"][r] == whole["rules"][r] for r in named)
    assert [e for year in ("2014", "2015") for e in by_year[year]["entries"]] == whole["entries"]


def test_unknown_names_get_pages_titled_by_the_name_used(build_site):
    build = build_site({
        "content/entries/a.md": entry("2015", "Xinhua News Agency", "Draft Cyber Law", "Claim."),
    }, "--strict")
    assert build.returncode == 0, build.log
    assert build.html("/sources/xinhua-news-agency/").find("h1").get_text() == "Xinhua News Agency"
    assert build.html("/rules/draft-cyber-law/").find("h1").get_text() == "Draft Cyber Law"


def test_rule_links_in_page_text(build_site):
    build = build_site({
        "content/index.md": "# Home\n\nSee [[The Bank Rules]] and [[bank|these rules]], not `[[code]]`.\n",
        "content/rules/bank.md": RULE,
        "content/entries/sub/a.md": entry("2015", "Hill", "bank", "Claim.", body="\nAbout [[bank]].\n"),
    }, "--strict")
    assert build.returncode == 0, build.log
    links = [(a.get_text(), a["href"]) for a in build.article("/").select("a.briefing-rule-link")]
    assert links == [("Bank rules", "rules/bank/"), ("these rules", "rules/bank/")]
    assert build.article("/").find("code").get_text() == "[[code]]"
    entry_links = build.article("/entries/a/").select("a.briefing-rule-link[href='../../rules/bank/']")
    assert [a.get_text() for a in entry_links][-1] == "Bank rules"


def test_unknown_rule_link_is_reported_with_its_line(build_site):
    build = build_site({
        "content/entries/a.md": entry("2015", "Hill", "bank", "Claim.", body="\nSee [[nope]].\n"),
    }, "--strict")
    assert build.returncode == 1
    assert any(
        "content/entries/a.md:8: [[link]]: 'nope' is not a rule" in line for line in build.warnings()
    ), build.log


def test_two_builds_of_the_same_content_give_the_same_files(build_site):
    files = {
        "content/entries/a.md": entry("2015-03", "Hill", "bank", "First.", status="paused"),
        "content/entries/b.md": entry("2015-04-13", "Reuters", "bank", "Second.", status="adopted"),
    }

    def digest(build):
        assert build.returncode == 0, build.log  # two failed builds would agree on nothing
        assert build.exists("/entries/a/") and build.exists("/feed.xml")
        return {
            str(p.relative_to(build.site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(build.site.rglob("*")) if p.is_file() and p.name != "sitemap.xml.gz"
        }

    assert digest(build_site(files, "--strict")) == digest(build_site(files, "--strict"))


def toc_links(page):
    """The table of contents sidebar's links, as (text, href), top level and nested."""
    toc = page.select_one("nav.md-nav--secondary")
    return [(a.get_text(strip=True), a["href"]) for a in toc.select("a.md-nav__link")] if toc else []


def test_our_headings_and_the_writers_share_the_table_of_contents(build_site):
    # The writer's body has a heading of its own, with the same text as one of ours.
    body = "\n## Background\n\nSome text.\n\n## Disputes\n\nThe writer's own section.\n"
    build = build_site({
        "content/entries/a.md": entry(
            "2015-03", "Hill", "bank", "First.", status="paused", contradicts="[b]", body=body
        ),
        "content/entries/b.md": entry("2015-03-20", "Reuters", "bank", "Second.", status="adopted"),
        "content/rules/bank.md": RULE + "\n## Scope\n\nWhat the rule covers.\n",
    }, "--strict", config=MKDOCS_YML + "markdown_extensions:\n  - toc:\n      permalink: true\n")
    assert build.returncode == 0, build.log
    page = build.html("/entries/a/")
    assert toc_links(page) == [
        ("Background", "#background"), ("Disputes", "#disputes"),
        ("Disputes", "#disputes_1"), ("On the same rule", "#on-the-same-rule"),
    ]
    ids = [tag["id"] for tag in page.select("article [id]")]
    assert len(ids) == len(set(ids)), ids
    # Ours carry the same permanent link as the writer's headings.
    for heading_id in ("background", "disputes_1", "on-the-same-rule"):
        heading = page.select_one(f"article h2#{heading_id}")
        assert heading.select_one("a.headerlink")["href"] == f"#{heading_id}"
    # On a rule page the writer's text sits between our card and our sections.
    assert [text for text, _ in toc_links(build.html("/rules/bank/"))] == [
        "Scope", "Status history", "Disputes", "Claims", "Sources cited",
    ]
    timeline = toc_links(build.html("/timeline/"))
    assert timeline == [("2015", "#2015"), ("March 2015", "#2015-03")]


def test_links_to_anchors_on_generated_pages_are_checked(build_site):
    config = MKDOCS_YML + "validation:\n  anchors: warn\n"
    files = {
        "content/entries/a.md": entry("2015-03", "Hill", "bank", "First."),
        "content/index.md": "# Home\n\nSee [the claims](rules/bank.md#claims) and "
                            "[this one](timeline/index.md#claim-a).\n",
    }  # fmt: skip
    good = build_site(files, "--strict", config=config)
    assert good.returncode == 0, good.log
    files["content/index.md"] = "# Home\n\n[Nowhere](rules/bank.md#no-such-anchor).\n"
    bad = build_site(files, "--strict", config=config)
    assert bad.returncode == 1
    assert any("does not contain an anchor '#no-such-anchor'" in line for line in bad.warnings()), bad.log


def test_search_reads_the_entry_card_as_text_and_skips_our_listings(build_site):
    build = build_site({
        "content/entries/a.md": entry("2015-03", "Hill", "bank", "First.", by="Jack Lew",
                                      quote="a significant barrier", status="paused"),
        "content/entries/b.md": entry("2015-03-20", "Reuters", "bank", "Second.", status="adopted"),
        "content/rules/bank.md": RULE,
    }, "--strict")
    assert build.returncode == 0, build.log
    docs = build.json("/search/search_index.json")["docs"]
    on_entry = [doc for doc in docs if doc["location"].startswith("entries/a/")]
    text = " ".join(doc["text"] for doc in on_entry)
    for fact in ("March 2015", "Hill", "Jack Lew", "Bank rules", "paused", "a significant barrier"):
        assert fact in text, fact
    # The sections that only list other claims are not search results of their own.
    titles = {doc["title"] for doc in docs}
    listings = {"On the same rule", "Disputes", "Status history", "Claims", "Sources cited"}
    assert not titles & listings, titles
    # Readers still get the whole card, once.
    card = build.article("/entries/a/").select(".briefing-card")
    assert len(card) == 1 and card[0].select_one("blockquote").get_text() == "“a significant barrier”"
    assert "briefing-held" not in build.html("/entries/a/").decode()
