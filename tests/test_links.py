"""A generated page's links: the shortcut for links that leave the page's folder gives exactly
what the general computation gives."""

from hypothesis import given
from hypothesis import strategies as st

from briefing.render import RenderState, relative_url

# Folders of pages; files ("feed.xml") and fragments come at the end of a target only.
SEGMENT = st.sampled_from(["rules", "entries", "sources", "timeline", "x", "2015", "rules-x", "entries.json"])
PATH = st.lists(SEGMENT, max_size=3).map(lambda parts: "/".join(parts) + "/" if parts else "")


@given(page=PATH, target=PATH, file=st.sampled_from(["", "feed.xml", "#claims", "index.html"]))
def test_the_shortcut_agrees_with_relative_url(page, target, file):
    target = target + file
    assert RenderState(page, set()).link(target) == relative_url(target, page)


def test_examples():
    state = RenderState("rules/bank/", set())
    assert state.link("entries/a/") == "../../entries/a/"
    assert state.link("rules/law/#claims") == "../law/#claims"
    assert state.link("rules/bank/") == "./"
