"""Atom feeds (the newest claims, a rule's claims, the alerts) and ``entries.json``: the
briefing for feed readers and for machines."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from jinja2 import Environment

from .alerts import FEED_PATH as STATUS_FEED
from .alerts import Alert, status_alerts
from .compiled import Briefing, newest
from .fields import published_values
from .language import Words
from .model import Entry, url_id

# Characters XML 1.0 does not allow in a document, whatever their escaping.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class Feeds:
    """The feeds and the data file of one build, from the renderer's templates."""

    def __init__(self, briefing: Briefing, env: Environment, words: Words, site_url: str, absolute: Callable[[str], str]):
        self.briefing, self.env, self.words = briefing, env, words
        self.site_url, self.absolute = site_url, absolute
        self._years: dict[int, list[Entry]] | None = None

    def feed(self, title: str, feed_path: str, page_path: str, entries: list[Entry]) -> str:
        """An Atom feed of ``entries`` (newest 50), with ids that never change between builds."""
        listed = self.briefing.newest_claims() if entries is self.briefing.entries else newest(entries)
        feed = self.env.get_template("feed.xml").render(
            title=title,
            feed_url=self.absolute(feed_path),
            page_url=self.absolute(page_path),
            feed_id=self.absolute(feed_path) if self.site_url else f"urn:briefing:{feed_path}",
            entries=listed,
            absolute=self.absolute,
            entry_id=self.entry_id,
            briefing=self.briefing,
        )
        # Front-matter cannot hold these (the reader refuses them), but a site_name can: a feed
        # must parse whatever the configuration says.
        return NOT_XML.sub("", feed)

    def status_feed(self, site_name: str) -> str:
        """The Atom feed of alerts: a rule's status changed, or a dispute opened (alerts.py)."""
        alerts = status_alerts(self.briefing)
        feed = self.env.get_template("status_feed.xml").render(
            title=self.words.text("status_feed_title", site=site_name),
            feed_url=self.absolute(STATUS_FEED),
            page_url=self.absolute("rules/"),
            feed_id=self.absolute(STATUS_FEED) if self.site_url else f"urn:briefing:{STATUS_FEED}",
            alerts=alerts,
            absolute=self.absolute,
            alert_id=self.alert_id,
            briefing=self.briefing,
            b_status=lambda rule_id: self.briefing.rule_briefings[rule_id].status_label,
        )
        return NOT_XML.sub("", feed)

    def alert_id(self, alert: Alert) -> str:
        if self.site_url:
            return f"{self.absolute(alert.rule.url_path)}#{alert.conclusion}"
        return f"urn:briefing:alert:{url_id(alert.rule.id)}:{alert.conclusion}"

    def entry_id(self, entry: Entry) -> str:
        return self.absolute(entry.url_path) if self.site_url else f"urn:briefing:entry:{url_id(entry.id)}"

    def entries_json(self) -> str:
        """Every published entry as data, with resolved rule and source ids; its header links
        the file of each year (``entries_year_json``), so that a script can fetch one year.

        One entry per line: diffs between builds stay readable, and json's C encoder (which
        ``indent`` turns off) writes 10,000 entries in a fraction of the time.
        """
        years = {
            str(year): {"url": self.absolute(year_file(year)), "entries": len(entries)}
            for year, entries in self.briefing_years().items()
        }
        return self._entries_document({"years": years}, self.briefing.entries, all_of_them=True)

    def entries_year_json(self, year: int) -> str:
        """The entries dated in ``year``, as in ``entries_json``, with the rules and sources
        they name."""
        header = {"year": year, "whole": self.absolute("entries.json")}
        return self._entries_document(header, self.briefing_years()[year])

    def briefing_years(self) -> dict[int, list[Entry]]:
        """The published entries by year, in listing order (worked out once per build)."""
        if self._years is None:
            self._years = {}
            for entry in self.briefing.entries:
                self._years.setdefault(entry.date.year, []).append(entry)
        return self._years

    def _entries_document(self, header: dict[str, Any], entries: list[Entry], all_of_them: bool = False) -> str:
        rule_ids = set(self.briefing.rules) if all_of_them else {r for e in entries for r in e.rule_ids}
        source_ids = set(self.briefing.sources) if all_of_them else {e.source_id for e in entries}
        rules = {
            rule.id: {
                "title": rule.title,
                "url": self.absolute(rule.url_path),
                "part_of": rule.part_of,
                "status": self.briefing.rule_briefings[rule.id].status_label,
            }
            for rule in self.briefing.rules.values()
            if rule.id in rule_ids
        }
        sources = {
            source.id: {"name": source.name, "url": self.absolute(source.url_path)}
            for source in self.briefing.sources.values()
            if source.id in source_ids
        }
        lines = ",\n".join(map(self._entry_line, entries))
        # The header first, before the entries: a script reading the start has the links.
        head = "".join(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n" for key, value in header.items())
        return (
            f'{{"version": 1,\n{head}"entries": [\n{lines}\n],\n'
            f'"rules": {json.dumps(rules, ensure_ascii=False)},\n'
            f'"sources": {json.dumps(sources, ensure_ascii=False)}}}\n'
        )

    def _entry_line(self, entry: Entry) -> str:
        """An entry's line of entries.json, made once for all that list it (the whole file, its
        year's) and, in a preview, kept between rebuilds while the entry shows the same: each
        edit writes the whole file again, and making 100,000 lines took 3 s of a save."""
        key = (self.site_url, entry.listed)  # all that _entry_data reads of the entry
        line = _LINES.get(key)
        if line is None:
            if len(_LINES) >= KEPT_LINES:
                _LINES.clear()
            line = _LINES[key] = json.dumps(dict(self._entry_data(entry)), ensure_ascii=False)
        return line

    def _entry_data(self, entry: Entry) -> tuple[tuple[str, Any], ...]:
        """An entry's fields for entries.json (``Entry.listed`` holds every one)."""
        return (
            ("id", entry.id), ("url", self.absolute(entry.url_path)), *published_values(entry),
            ("added", entry.added), ("changed", entry.changed),
        )  # fmt: skip


def year_file(year: int) -> str:
    """The data file of one year's entries, beside ``entries.json``."""
    return f"entries-{year}.json"


# Entries' lines of entries.json by what they show: room for a preview's 100,000 entries and
# the edits between two of its rebuilds.
KEPT_LINES = 1 << 18
_LINES: dict[tuple[str, tuple], str] = {}
