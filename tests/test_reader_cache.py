"""Live preview's cache of parsed files: reused while a file is unchanged, re-read once it is."""

import os

from briefing.reader import Document, DocumentCache


def test_a_changed_file_is_read_again_and_an_unchanged_one_is_not(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("---\nclaim: First.\n---\n")
    cache = DocumentCache()
    first = cache.read(str(path), "content/entries/x.md")
    assert isinstance(first, Document) and first.meta["claim"] == "First."
    assert cache.read(str(path), "content/entries/x.md") is first

    path.write_text("---\nclaim: Later\n---\n")  # same size: only the time tells
    stamp = os.stat(path).st_mtime_ns + 1_000_000
    os.utime(path, ns=(stamp, stamp))
    assert cache.read(str(path), "content/entries/x.md").meta["claim"] == "Later"

    path.write_bytes(b"no front-matter")
    problem = cache.read(str(path), "content/entries/x.md")
    assert not isinstance(problem, Document) and "no front-matter" in str(problem)
    path.unlink()
    assert "cannot be read" in str(cache.read(str(path), "content/entries/x.md"))
