"""Front-matter parsed and files read by one `briefing check`, kept for the next
(front_matter_store.py): never a different answer, never in the project, a file changed in any
way read again, and a damaged cache is no cache."""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import front_matter_store, reader
from briefing.front_matter_store import FrontMatterStore
from briefing.reader import (
    ENTRY_FIELDS,
    Document,
    DocumentCache,
    FieldSpec,
    check_fields,
    parse_document,
)
from conftest import MKDOCS_YML, entry, run_briefing, write_tree


def typed(value: object) -> object:
    """``value`` with every type spelled out: equal only where a reader would see no difference
    (``1 == 1.0 == True`` and an aware datetime equals its UTC twin; these do not)."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [typed(v) for v in value])
    if isinstance(value, (set, frozenset)):
        return ("set", sorted(repr(typed(v)) for v in value))
    if isinstance(value, datetime.datetime):
        return ("datetime", value.isoformat(), repr(value.tzinfo))
    return (type(value).__name__, repr(value))


def through_a_store(
    raw: bytes, folder: str, settle_seconds: int = 0, specs: dict[str, FieldSpec] | None = None
) -> tuple[Document | object, int, int]:
    """``raw`` as a file read with a store that a previous run filled and saved: the document,
    how many front-matters came from the store, and how many files were not opened (the file
    is kept at once unless ``settle_seconds``: front_matter_store.SETTLE_SECONDS). ``specs``:
    the file is read (both times) to be checked against these fields."""
    path, content = os.path.join(folder, "store.json"), os.path.join(folder, "content")
    file = os.path.join(content, "entries", "x.md")
    os.makedirs(os.path.dirname(file))
    Path(file).write_bytes(raw)
    kept_after = front_matter_store.SETTLE_SECONDS
    front_matter_store.SETTLE_SECONDS = settle_seconds
    try:
        first = DocumentCache(store=FrontMatterStore(path, content), remember=False)
        first.read(file, "content/entries/x.md", specs)
        first.store.save()
    finally:
        front_matter_store.SETTLE_SECONDS = kept_after
    second = FrontMatterStore(path, content)
    return DocumentCache(store=second, remember=False).read(file, "content/entries/x.md", specs), second.hits, second.files_unread


# What YAML's safe loader can make, tags included: each must come back as it was parsed, or
# not be kept (NaN is not equal to itself; a recursive list cannot be written out).
SPECIAL_VALUES = [
    "when: !!timestamp 2001-12-14t21:59:43.10-05:00",
    "when: !!timestamp 2001-12-14 21:59:43.10",
    "when: !!timestamp 2002-12-14",
    "when: !!timestamp 2001-12-14T21:59:43Z",
    "blob: !!binary aGVsbG8gd29ybGQ=",
    "seen: !!set {a, b, 3}",
    "pairs: !!omap [a: 1, b: [2, 3]]",
    "pairs: !!pairs [a: 1, a: 2]",
    "odd: {1: one, 2.5: two, true: three, null: four, !!timestamp 2020-01-02: five}",
    "nan: .nan",
    "inf: -.inf",
    "big: 123456789012345678901234567890",
    "list: &a [1, 2]\nagain: *a",
    "deep: &r [1]\nmerge: {<<: {x: 1}, y: 2}",
    "text: 'line\\u0085'",
    'text: "\\U0001F600 \\x07 \\N"',
    "octal: 0o17\nhex: 0x1f\nsexagesimal: 1:30\nno: no\nyes: Yes",
]


@pytest.mark.parametrize("fields", SPECIAL_VALUES)
def test_a_kept_parse_is_the_parse_itself(fields):
    raw = f"---\nclaim: Something.\n{fields}\n---\nBody.\n".encode()
    fresh = parse_document(raw, "content/entries/x.md")
    with tempfile.TemporaryDirectory() as folder:
        kept, hits, unread = through_a_store(raw, folder)
    assert isinstance(fresh, Document) and isinstance(kept, Document)
    assert typed(kept.meta) == typed(fresh.meta)
    assert (kept.lines, kept.raw_scalars, kept.body, kept.body_line) == (fresh.lines, fresh.raw_scalars, fresh.body, fresh.body_line)
    unkeepable = any(v != v for v in fresh.meta.values() if isinstance(v, float)) or "inf" in fields
    assert (hits, unread) == ((0, 0) if unkeepable else (1, 1))  # kept, unless it cannot be


scalars = st.one_of(
    st.text(max_size=12), st.integers(), st.booleans(), st.none(),
    st.floats(allow_nan=False, allow_infinity=False), st.dates(),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=3),
    max_leaves=8,
)
field_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)


@given(
    st.dictionaries(field_names, values, min_size=1, max_size=5), st.integers(0, 3),
    st.text(max_size=40) | st.sampled_from(["\r\nCRLF\r\n", "\ufeffBOM", "\u2028\x85 \U0001F600", "\ud800 lone"]),
    st.booleans(),
)  # fmt: skip
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_front_matter_kept_comes_back_as_parsed(meta, blank_lines, body, settling):
    """Whatever YAML and text a writer saves, the file as kept is the file as parsed: values,
    their types, each key's line (the front-matter placed lower in the file by blank lines),
    where the body starts, and the body (any script, line endings, a byte-order mark)."""
    try:
        text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return
    raw = ("\n" * blank_lines + "---\n" + text + "---\n" + body).encode("utf-8", "surrogatepass")
    fresh = parse_document(raw, "content/entries/x.md")
    with tempfile.TemporaryDirectory() as folder:
        kept, hits, unread = through_a_store(raw, folder, settle_seconds=60 if settling else 0)
    if not isinstance(fresh, Document):
        assert str(kept) == str(fresh) and unread == 0  # a problem is reported, never kept
        return
    assert (hits, unread) == (1, 0 if settling else 1)  # a file saved a moment ago is read again
    assert typed(kept.meta) == typed(fresh.meta)
    assert (kept.lines, kept.raw_scalars, kept.body, kept.first_line, kept.body_line) == (
        fresh.lines, fresh.raw_scalars, fresh.body, fresh.first_line, fresh.body_line,
    )  # fmt: skip


entry_fields = st.sampled_from([*ENTRY_FIELDS, "sorce", "claims", "notes"])  # and near misses, and an unknown
entry_values = values | st.sampled_from(["2015", "2015-02-30", "2015-04", "no", "x\x07y", "https://e.org/a b", "ftp://e.org"])


@given(st.dictionaries(entry_fields, entry_values, max_size=8), st.integers(0, 3), st.booleans())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_front_matters_check_kept_is_the_check_itself(meta, blank_lines, settling):
    """An unchanged file's check comes from the store (kept_checks.py) where its file and parse
    would: the same values of the same types, the same problems on the same lines, the same
    lines of its keys, for whatever a writer saved."""
    try:
        text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return
    raw = ("\n" * blank_lines + "---\n" + text + "---\nBody.\n").encode("utf-8", "surrogatepass")
    fresh = parse_document(raw, "content/entries/x.md")
    with tempfile.TemporaryDirectory() as folder:
        kept, hits, unread = through_a_store(raw, folder, settle_seconds=60 if settling else 0, specs=ENTRY_FIELDS)
    if not isinstance(fresh, Document):
        assert str(kept) == str(fresh)
        return
    assert isinstance(kept, Document) and kept.checked_only == (not settling and unread == 1)
    values, problems = check_fields(fresh, ENTRY_FIELDS)
    kept_values, kept_problems = check_fields(kept, ENTRY_FIELDS)
    assert typed(kept_values) == typed(values) and kept_problems == problems
    assert (kept.lines, kept.body, kept.first_line, kept.body_line) == (fresh.lines, fresh.body, fresh.first_line, fresh.body_line)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML,
        "content/entries/a.md": entry("2015", "Hill", "bank", "Fine.", body="Text.\n\nSee [[nowhere]]."),
        "content/entries/b.md": entry("2015-02-30", "Hill", "bank", "Impossible date."),
        "content/entries/c.md": entry("2016", "Wire", "bank", "Also fine.", status="paused"),
    })  # fmt: skip
    return tmp_path


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose front-matter YAML is parsed from now on (the store's misses)."""
    parsed: list[str] = []
    load = reader._load_front_matter

    def spy(yaml_text: str, shown_path: str, line_offset: int):
        parsed.append(shown_path)
        return load(yaml_text, shown_path, line_offset)

    monkeypatch.setattr(reader, "_load_front_matter", spy)
    return parsed


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_check_parses_only_what_changed_and_says_the_same(project, own_cache_folder, monkeypatch):
    before = files_in(project)
    first = run_briefing(project, "check")
    assert first.returncode == 1 and "content/entries/b.md:2: date:" in first.stdout, first.stdout + first.stderr
    assert files_in(project) == before  # nothing written into the project...
    assert [p.name for p in own_cache_folder.iterdir()] == [next(own_cache_folder.glob("front-matter-*.json")).name]

    parsed = counting_parses(monkeypatch)
    again = run_briefing(project, "check")
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert parsed == []  # ...and every front-matter came from the store

    # A body edit moves the link's line: the kept front-matter, the file's own body.
    (project / "content/entries/a.md").write_text(entry("2015", "Hill", "bank", "Fine.", body="Text.\n\n\n\nSee [[nowhere]]."))
    # A new field above the bad date moves its line: that front-matter is parsed again.
    (project / "content/entries/b.md").write_text(entry("2015-02-30", "Hill", "bank", "Impossible date.").replace("---\n", "---\ntags: [x]\n", 1))
    edited = run_briefing(project, "check")
    assert parsed == ["content/entries/b.md"]
    assert "content/entries/b.md:3: date:" in edited.stdout, edited.stdout
    link_line = next(line for line in first.stdout.splitlines() if line.startswith("content/entries/a.md:"))
    moved = next(line for line in edited.stdout.splitlines() if line.startswith("content/entries/a.md:"))
    assert int(moved.split(":")[1]) == int(link_line.split(":")[1]) + 2


# Every parse replaced by something this code does not write (the file's format and fingerprint right).
JUNK_PARSES = [
    "not json", "[1, 2]",
    json.dumps([[["claim", {"zz": 1}]], {}, {}]),  # an unknown tag
    json.dumps([[], {"date": "two"}, {}]),  # a line that is no number
    json.dumps([[[3, "x"]], {}, {}]),  # a field name that is no text
    json.dumps([[], [[4, 5]], {}]),  # lines that are no mapping of names
]  # fmt: skip


@pytest.mark.parametrize("damage", [
    b'{"format": 1, "fingerprint": "',  # cut short
    b"[]",
    b'{"format": 1, "fingerprint": "another reader", "parses": {}}',
    *JUNK_PARSES,
])  # fmt: skip
def test_a_damaged_or_foreign_store_is_no_store(project, own_cache_folder, monkeypatch, damage):
    clean = run_briefing(project, "check")
    (store,) = own_cache_folder.glob("front-matter-*.json")
    if isinstance(damage, str):
        document = json.loads(store.read_bytes())
        document["parses"] = dict.fromkeys(document["parses"], damage)
        store.write_text(json.dumps(document))
    else:
        store.write_bytes(damage)
    parsed = counting_parses(monkeypatch)
    after = run_briefing(project, "check")
    assert (after.returncode, after.stdout, after.stderr) == (clean.returncode, clean.stdout, clean.stderr)
    assert sorted(parsed) == ["content/entries/a.md", "content/entries/b.md", "content/entries/c.md"]
    assert FrontMatterStore(str(store)).__len__() == 3  # written whole again


def test_the_store_lives_in_the_users_cache_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("BRIEFING_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    store = FrontMatterStore.for_content(str(tmp_path / "content"))
    assert Path(store.path).parent == tmp_path / "xdg" / "briefing"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Path(FrontMatterStore.for_content(str(tmp_path / "content")).path).parent == tmp_path / "home" / ".cache" / "briefing"


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file is kept as soon as it is read (front_matter_store.SETTLE_SECONDS), so that a
    test's files, written a moment ago, count as settled."""
    monkeypatch.setattr(front_matter_store, "SETTLE_SECONDS", 0)


def counting_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The content files opened from now on, by the path shown to writers."""
    opened: list[str] = []

    def spying_on(original):
        def spy(abs_path: str, *rest):
            opened.append("content/" + abs_path.split("/content/", 1)[1])
            return original(abs_path, *rest)

        return spy

    for name in ("_file_bytes", "read_document"):
        monkeypatch.setattr(reader, name, spying_on(getattr(reader, name)))
    return opened


def same_times(path: Path, text: str) -> None:
    """``path`` rewritten with ``text`` (of the same length), its modification time put back."""
    times = path.stat()
    assert len(text.encode()) == times.st_size
    path.write_text(text)
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


def test_an_unchanged_file_is_not_opened_again_and_any_change_is_seen(project, monkeypatch):
    first = run_briefing(project, "check")
    opened = counting_opens(monkeypatch)
    run_briefing(project, "check")
    # Saved a moment ago: each file could change again unseen within its clock's tick.
    assert sorted(opened) == ["content/entries/a.md", "content/entries/b.md", "content/entries/c.md"]

    monkeypatch.setattr(front_matter_store, "SETTLE_SECONDS", 0)  # as if they had settled
    run_briefing(project, "check")
    opened.clear()
    again = run_briefing(project, "check")
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert opened == []  # every file as kept: not opened

    # The same size and modification time, other words: its change time says so.
    a = project / "content/entries/a.md"
    same_times(a, a.read_text().replace("[[nowhere]]", "[[someone]]"))
    # Another file put in its place (a new inode), with the old one's size and times.
    c = project / "content/entries/c.md"
    replacement = project / "c.md.new"
    replacement.write_text(c.read_text().replace("date: 2016", "date: 2o16"))
    os.utime(replacement, ns=(c.stat().st_atime_ns, c.stat().st_mtime_ns))
    os.replace(replacement, c)
    opened.clear()
    edited = run_briefing(project, "check")
    assert sorted(opened) == ["content/entries/a.md", "content/entries/c.md"]
    assert "'someone'" in edited.stdout and "content/entries/c.md:2: date:" in edited.stdout, edited.stdout
    assert "'nowhere'" not in edited.stdout


def test_only_the_content_folders_files_are_kept(tmp_path, settled):
    # `briefing diff` reads the base's copies from a checkout: they must not replace the work tree's.
    content, elsewhere = tmp_path / "content", tmp_path / "checkout" / "content"
    for folder in (content, elsewhere):
        write_tree(folder, {"entries/x.md": entry("2015", "Hill", "bank", "Fine.")})
    store = FrontMatterStore(str(tmp_path / "store.json"), str(content))
    documents = DocumentCache(store=store, remember=False)
    documents.read(str(elsewhere / "entries/x.md"), "content/entries/x.md")
    store.save()
    assert json.loads((tmp_path / "store.json").read_text())["files"] == {}
    documents.read(str(content / "entries/x.md"), "content/entries/x.md")
    store.save()
    (record,) = json.loads((tmp_path / "store.json").read_text())["files"].values()
    assert record[3] == (content / "entries/x.md").stat().st_ino


@pytest.mark.parametrize("damage", [
    "not a list", [1, 2], [0, 0, 0, 0, "digest", "front-matter", 1, 2],  # too short
    ["mtime", 0, 0, 0, "d", "f", 1, 2, "body"],  # a status that is no number
    "status kept, body a number",
])  # fmt: skip
def test_a_damaged_file_record_means_the_file_is_read(project, own_cache_folder, settled, monkeypatch, damage):
    clean = run_briefing(project, "check")
    (store,) = own_cache_folder.glob("front-matter-*.json")
    document = json.loads(store.read_bytes())
    for key, record in document["files"].items():
        document["files"][key] = [*record[:8], 12345] if damage == "status kept, body a number" else damage
    store.write_text(json.dumps(document))
    opened = counting_opens(monkeypatch)
    after = run_briefing(project, "check")
    assert (after.returncode, after.stdout, after.stderr) == (clean.returncode, clean.stdout, clean.stderr)
    assert len(opened) == 3


def test_a_large_store_is_written_again_once_a_hundredth_of_it_changed(tmp_path, own_cache_folder, settled, monkeypatch):
    # 200 files: 200 parses, 200 files and 200 checks kept. Each edited file is a new parse, a new
    # record and a new check, and leaves the old parse and check unused.
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML,
        **{f"content/entries/e{n}.md": entry("2015", "Hill", "bank", f"Claim {n}.") for n in range(200)},
    })  # fmt: skip
    run_briefing(tmp_path, "check")
    (store,) = own_cache_folder.glob("front-matter-*.json")
    written = store.read_bytes()
    (tmp_path / "content/entries/e1.md").write_text(entry("2015-13", "Hill", "bank", "Claim 1."))
    opened = counting_opens(monkeypatch)
    for _ in range(2):  # 5 changes of 600: the store is left as it was, and the edit read each time
        opened.clear()
        edited = run_briefing(tmp_path, "check")
        assert "content/entries/e1.md:2: date:" in edited.stdout, edited.stdout
        assert opened == ["content/entries/e1.md"] and store.read_bytes() == written
    (tmp_path / "content/entries/e2.md").write_text(entry("2015", "Hill", "bank", "Claim two."))
    run_briefing(tmp_path, "check")  # 10 changes of 600: written again
    assert store.read_bytes() != written
    opened.clear()
    again = run_briefing(tmp_path, "check")
    assert opened == [] and (again.stdout, again.returncode) == (edited.stdout, edited.returncode)


def test_a_file_name_that_is_no_utf8_is_not_kept_and_the_rest_still_is(tmp_path, settled):
    content = tmp_path / "content"
    write_tree(content, {"entries/x.md": entry("2015", "Hill", "bank", "Fine.")})
    odd = os.fsencode(str(content / "entries")) + b"/caf\xe9.md"  # Latin-1 bytes, as an old tool wrote them
    with open(odd, "w") as stream:
        stream.write(entry("2015", "Hill", "bank", "Odd name."))
    store = FrontMatterStore(str(tmp_path / "store.json"), str(content))
    documents = DocumentCache(store=store, remember=False)
    for name in os.listdir(content / "entries"):
        documents.read(os.path.join(content, "entries", name), f"content/entries/{name}")
    store.save()
    assert sorted(json.loads((tmp_path / "store.json").read_bytes())["files"]) == ["entries/x.md"]


def counting_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose front-matter is checked from now on (``reader._check_fields``)."""
    checked: list[str] = []
    check = reader._check_fields

    def spy(doc, specs):
        checked.append(doc.path)
        return check(doc, specs)

    monkeypatch.setattr(reader, "_check_fields", spy)
    return checked


@pytest.fixture
def troubled(tmp_path: Path) -> Path:
    """A project whose files have a problem of each kind a check finds (and the site's own
    vocabulary of statuses, checked after the kept check)."""
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML,
        "content/entries/a.md": entry("2015-04", "Hill", "bank", "Fine.", tags="[one, two]", draft="false"),
        "content/entries/b.md": entry("2015-02-30", "Hill", "bank", "Impossible date.", sorce="Wire"),
        "content/entries/c.md": entry("2016", "Wire", "bank", "Odd status.", status="pausd", url="ftp://e.org"),
        "content/entries/d.md": entry("2016", "Wire", "bank", "No.", by="no", notes="kept?"),
        "content/entries/e.md": "---\ndate: 2016\nsourc: Wire\nrule: bank\nclaim: Misspelt.\n---\n",
        "content/rules/bank.md": "---\ntitle: Bank rule\naliases: [banks]\nsumary: x\n---\nAbout.\n",
        "content/sources/wire.md": "---\nname: Wire\nurl: https://wire.example\n---\n",
    })  # fmt: skip
    return tmp_path


def test_an_unchanged_files_check_is_kept_and_says_the_same(troubled, own_cache_folder, settled, monkeypatch):
    first = run_briefing(troubled, "check")
    assert first.returncode == 1 and "content/entries/b.md:2: date:" in first.stdout, first.stdout
    checked = counting_checks(monkeypatch)
    again = run_briefing(troubled, "check")
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert checked == []  # entries, rules and sources: every check came from the store

    # A file changed, or new, is read and checked again (its parse may come from the store)...
    (troubled / "content/entries/a.md").write_text(entry("2015-04", "Hill", "bank", "Fine.", tags="[one, two]", draft="false", body="More."))
    (troubled / "content/entries/g.md").write_text((troubled / "content/entries/b.md").read_text())
    edited = run_briefing(troubled, "check")
    assert sorted(checked) == ["content/entries/a.md", "content/entries/g.md"]
    # ...and a front-matter kept from another file has its problems named by this one's path.
    checked.clear()
    assert run_briefing(troubled, "check").stdout == edited.stdout and checked == []
    b_lines = [line for line in first.stdout.splitlines() if line.startswith("content/entries/b.md:")]
    assert len(b_lines) == 2 and edited.stdout.splitlines() == sorted(
        first.stdout.splitlines() + [line.replace("/b.md:", "/g.md:") for line in b_lines]
    ), edited.stdout



JUNK_CHECKS = [
    "not json", "[1, 2]", json.dumps([[["date", 2015]], [], {}]),  # a date that is no text
    json.dumps([[["date", "2015-02-30"]], [], {}]),  # no such day
    json.dumps([[["rule", "bank"]], [], {}]),  # one name where a list is kept
    json.dumps([[["nonsense", "x"]], [], {}]),  # a field no table has
    json.dumps([[], [[1, "date", "bad", "yes"]], {}]),  # fatal is no true or false
    json.dumps([[], [], {"date": "2"}]),  # a line that is no number
]  # fmt: skip


@pytest.mark.parametrize("damage", JUNK_CHECKS)
def test_a_damaged_check_means_the_file_is_checked(troubled, own_cache_folder, settled, monkeypatch, damage):
    clean = run_briefing(troubled, "check")
    (store,) = own_cache_folder.glob("front-matter-*.json")
    document = json.loads(store.read_bytes())
    assert len(document["checks"]) == 7
    document["checks"] = dict.fromkeys(document["checks"], damage)
    store.write_text(json.dumps(document))
    checked = counting_checks(monkeypatch)
    after = run_briefing(troubled, "check")
    assert (after.returncode, after.stdout, after.stderr) == (clean.returncode, clean.stdout, clean.stderr)
    assert len(checked) == 7
    assert json.loads(store.read_bytes())["checks"] != document["checks"]  # written right again
