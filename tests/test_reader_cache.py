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


def test_kept_files_laid_out_alike_share_their_lines(tmp_path):
    """The preview keeps each file's front-matter lines: files whose keys stand on the same
    lines share one dict (27 MB at 100,000 entries), others keep their own, and each still
    says where its own keys are."""
    from briefing.reader import ENTRY_FIELDS

    texts = {
        "a.md": "---\ndate: 2015-03\nsource: Hill\nrule: bank\nclaim: A.\n---\n",
        "b.md": "---\ndate: 2016-04\nsource: AP\nrule: law\nclaim: B.\n---\nBody.\n",
        "c.md": "---\nclaim: C.\ndate: 2016-04\nsource: AP\nrule: law\n---\n",
    }
    cache, kept = DocumentCache(), {}
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
        cache.read(str(tmp_path / name), f"content/entries/{name}", ENTRY_FIELDS)
        kept[name] = cache.read(str(tmp_path / name), f"content/entries/{name}", ENTRY_FIELDS)
    assert kept["a.md"].lines is kept["b.md"].lines and kept["a.md"].lines == {"date": 2, "source": 3, "rule": 4, "claim": 5}
    assert kept["c.md"].lines is not kept["a.md"].lines and kept["c.md"].lines["claim"] == 2


def test_the_preview_keeps_a_checked_file_without_its_parse(tmp_path):
    """The preview keeps every file between saves: kept with its parse, a claim took about
    3.5 KB (350 MB at 100,000 entries). Checked once, only the answer is kept; a kept file is
    never checked against other fields, where all of them would look missing."""
    from briefing.reader import ENTRY_FIELDS, RULE_FIELDS, check_fields

    path = tmp_path / "x.md"
    path.write_text("---\ndate: 2015-03\nsource: Hill\nrule: bank\nclaim: First.\nstatus: paused\n---\nBody.\n")
    cache = DocumentCache()
    read = cache.read(str(path), "content/entries/x.md", ENTRY_FIELDS)
    assert isinstance(read, Document) and read.meta["claim"] == "First."  # the build gets it whole
    kept = cache.read(str(path), "content/entries/x.md", ENTRY_FIELDS)
    assert kept is not read and kept.meta == {} and kept.raw_scalars == {} and kept.body == "Body.\n"
    values, problems = check_fields(kept, ENTRY_FIELDS)
    assert (values["claim"], values["status"], str(values["date"].iso()), problems) == ("First.", "paused", "2015-03", [])
    try:
        check_fields(kept, RULE_FIELDS)
    except RuntimeError as error:
        assert "kept without its parse" in str(error)
    else:
        raise AssertionError("a kept file was checked against fields it was not checked against")
    # Read as another kind (docs_dir edited during a preview): parsed again, not refused.
    again = cache.read(str(path), "content/entries/x.md", RULE_FIELDS)
    assert again.meta["claim"] == "First." and "title" in {p.field for p in check_fields(again, RULE_FIELDS)[1]}
