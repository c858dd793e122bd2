"""For readers: the state-of-play block, the feed of status changes, the rules index's sorts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import ATOM, MKDOCS_YML, assert_no_broken_links, entry, run_mkdocs, serve, write_tree
from test_browser import Reader, axe_violations, browser  # noqa: F401 (browser: a fixture)

CONTENT = {
    "content/index.md": "# Home\n\nIntro.\n\n## Where things stand\n\n<!-- briefing:state-of-play -->\n\nAfter.\n",
    # Bank: paused in March, then a dispute opened on 20 April (within 30 days of the 1 April claim).
    "content/entries/a.md": entry("2015-03-01", "Hill", "Bank", "Bank paused.", status="paused"),
    "content/entries/b.md": entry("2015-04-01", "Hill", "Bank", "Bank still paused.", status="paused"),
    "content/entries/c.md": entry("2015-04-20", "Reuters", "Bank", "Bank in force.", status="in-force"),
    # Law: proposed in 2014, adopted in January 2015; later claims assert nothing new.
    "content/entries/d.md": entry("2014", "Hill", "Law", "Law proposed.", status="proposed"),
    "content/entries/e.md": entry("2015-01", "Reuters", "Law", "Law adopted.", status="adopted"),
    "content/entries/f.md": entry("2015-05-02", "Reuters", "Law", "Law debated."),
    # Code: no status yet.
    "content/entries/g.md": entry("2015-02-01", "Hill", "Code", "Code drafted."),
    "content/rules/law.md": "---\ntitle: Law\n---\nThe law.\n\n<!-- briefing:state-of-play -->\n",
}


def build(tmp_path, extra_options: str = ""):
    config = MKDOCS_YML.replace("site_url: https://example.org/brief/", "site_url: https://example.org/")
    config = config.replace("  name: material\n", "  name: material\n  font: false  # no font CDN\n")
    config = config.replace("  - briefing\n", "  - briefing:\n      state_of_play_claims: 3\n" + extra_options)
    write_tree(tmp_path, {"mkdocs.yml": config, **CONTENT})
    result = run_mkdocs(tmp_path, "--strict")
    assert result.returncode == 0, result.log
    return result


def test_the_state_of_play_shows_each_rules_status_since_when_and_the_latest_claims(tmp_path):
    site = build(tmp_path)
    page = site.article("/")
    block = page.select_one(".briefing-state-of-play")
    # Where the writer put it, between their own paragraphs.
    assert block.find_previous("h2").get_text().strip("¶") == "Where things stand"
    assert block.find_next("p", string="After.") is not None
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in block.select("tbody tr")]
    assert rows == [
        ["Bank", "disputed (latest claimed: in force )", "April 20, 2015"],  # the dispute opened then
        ["Law", "adopted", "January 2015"],  # the latest change, not the latest claim (May)
        ["Code", "no status claimed", "—"],
    ]
    assert "briefing-is-disputed" in block.select("tbody tr")[0]["class"]
    since = block.select("tbody tr")[0].find_all("td")[2].a["href"]
    assert since == "rules/bank/#disputes"
    assert site.entry_links("/")[:3] == ["f", "c", "b"]  # the newest three claims, newest first
    feeds = [a["href"] for a in block.select(".briefing-feed-link a")]
    assert feeds == ["status-changes.xml", "feed.xml"]
    # On a rule's page too, with links relative to that page.
    law = site.article("/rules/law/").select_one(".briefing-state-of-play")
    assert law.select_one("tbody a")["href"] == "../bank/"
    # Held back from search, like every other list of claims: each claim is found on its page.
    index = site.json("/search/search_index.json")
    home = [doc["text"] for doc in index["docs"] if doc["location"] in ("", "#where-things-stand")]
    assert home and not any("Bank in force." in text for text in home)
    assert_no_broken_links(site.site)


def test_the_status_feed_has_one_item_per_status_change_or_opened_dispute(tmp_path):
    site = build(tmp_path)
    feed = site.atom("/status-changes.xml")
    items = [
        (e.findtext(f"{ATOM}title"), e.find(f"{ATOM}link").get("href"), e.findtext(f"{ATOM}updated"))
        for e in feed.iter(f"{ATOM}entry")
    ]
    assert items == [
        ("Bank: now in force", "https://example.org/rules/bank/#status-c", "2015-04-20T00:00:00Z"),
        ("Bank: claims now conflict", "https://example.org/rules/bank/#dispute-b--c", "2015-04-20T00:00:00Z"),
        ("Bank: now paused", "https://example.org/rules/bank/#status-a", "2015-03-01T00:00:00Z"),
        ("Law: now adopted", "https://example.org/rules/law/#status-e", "2015-01-01T00:00:00Z"),
        ("Law: now proposed", "https://example.org/rules/law/#status-d", "2014-01-01T00:00:00Z"),
    ]
    assert feed.findtext(f"{ATOM}title") == "Test briefing: status changes"
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids) and all(i.startswith("https://example.org/rules/") for i in ids)
    # Every link lands on an element of its rule's page.
    for _, href, _ in items:
        path, anchor = href.removeprefix("https://example.org").split("#")
        assert site.article(path).find(id=anchor) is not None, href
    summary = list(feed.iter(f"{ATOM}entry"))[1].findtext(f"{ATOM}summary")
    assert summary == "April 1, 2015, Hill: Bank still paused. / April 20, 2015, Reuters: Bank in force."
    ET.tostring(feed)  # and it parsed


def test_the_status_feed_speaks_the_sites_language(tmp_path):
    config_language = "theme:\n  name: material\n  language: fr\n"
    config = MKDOCS_YML.replace("theme:\n  name: material\n", config_language)
    write_tree(tmp_path, {"mkdocs.yml": config, **CONTENT})
    site = run_mkdocs(tmp_path, "--strict")
    assert site.returncode == 0, site.log
    titles = [e.findtext(f"{ATOM}title") for e in site.atom("/status-changes.xml").iter(f"{ATOM}entry")]
    assert titles[:2] == ["Bank : désormais en vigueur", "Bank : des affirmations se contredisent"]


def test_the_rules_index_sorts_by_status_change_and_by_name_in_chromium(tmp_path, browser):  # noqa: F811
    site = build(tmp_path)
    by_name = [tr.a.get_text() for tr in site.article("/rules/").select("tbody tr")]
    assert by_name == ["Bank", "Code", "Law"]  # without JavaScript
    base, stop = serve(site.site)
    try:
        for width in (1280, 390):
            r = Reader(browser, base, width)
            page = r.open("/rules/")

            def order(page=page) -> list[str]:
                return page.locator("table.briefing-sortable tbody tr td:first-child").all_inner_texts()

            page.get_by_role("button", name="Status since").click()
            assert order() == ["Bank", "Law", "Code"]  # newest change first, none last
            assert page.locator("th[aria-sort]").inner_text().startswith("Status since")
            page.get_by_role("button", name="Rule").click()
            assert order() == ["Bank", "Code", "Law"]
            assert axe_violations(page) == set()
            page = r.open("/")
            assert axe_violations(page) == set()
            # No horizontal scroll on a phone: the table stays inside the page.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            r.shot("state-of-play")
            r.close()
    finally:
        stop()
