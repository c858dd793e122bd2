"""schema.org structured data (JSON-LD) for rule and entry pages: what search engines and
fact-checking tools read of a briefing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .compiled import Briefing
from .model import Entry

# Our statuses as schema.org LegalForceStatus values (only stated when undisputed).
LEGAL_FORCE = {
    "adopted": "InForce",
    "in-force": "InForce",
    "resumed": "InForce",
    "revised": "InForce",
    "paused": "NotInForce",  # implementation suspended
    "proposed": "NotInForce",
    "under-review": "NotInForce",
    "withdrawn": "NotInForce",
}


def rule_jsonld(briefing_: Briefing, rule_id: str, absolute: Callable[[str], str]) -> dict[str, Any]:
    """schema.org Legislation; legal force only when the current status is undisputed."""
    briefing = briefing_.rule_briefings[rule_id]
    rule = briefing.rule
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": rule.title,
        "url": absolute(rule.url_path),
    }
    if rule.summary:
        data["abstract"] = rule.summary
    if rule.jurisdiction:
        data["legislationJurisdiction"] = rule.jurisdiction
    if rule.kind:
        data["legislationType"] = rule.kind
    if rule.issuer:
        data["legislationResponsible"] = {"@type": "Organization", "name": rule.issuer}
    if briefing.parent:
        data["isPartOf"] = {"@type": "Legislation", "name": briefing.parent.title,
                            "url": absolute(briefing.parent.url_path)}
    force = LEGAL_FORCE.get(briefing.status_label)
    if force:
        data["legislationLegalForce"] = f"https://schema.org/{force}"
    return data

def entry_jsonld(briefing: Briefing, entry: Entry, absolute: Callable[[str], str]) -> dict[str, Any]:
    """schema.org Claim: who claimed what, where it appeared, which rules it is about."""
    source = briefing.sources[entry.source_id]
    appearance: dict[str, Any] = {
        "@type": "CreativeWork",
        "publisher": {"@type": "Organization", "name": source.name},
    }
    if entry.url:
        appearance["url"] = entry.url
    return {
        "@context": "https://schema.org",
        "@type": "Claim",
        "text": entry.claim,
        "url": absolute(entry.url_path),
        "datePublished": entry.date.iso(),
        "author": {"@type": "Person" if entry.by else "Organization", "name": entry.by or source.name},
        "appearance": appearance,
        "about": [
            {"@type": "Legislation", "name": briefing.rules[r].title,
             "url": absolute(briefing.rules[r].url_path)}
            for r in entry.rule_ids
        ],
    }
