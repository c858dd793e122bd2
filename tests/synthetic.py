"""Synthetic briefings of any size, for the benchmark and its smoke test."""

from __future__ import annotations

import random
from pathlib import Path

from briefing.model import DEFAULT_STATUSES

WORDS = (
    "regulator ministry bank rule draft law review memo official source report pause revise "
    "encryption data cloud vendor security market policy court agency statement filing"
).split()


def sentence(rng: random.Random, words: int = 12) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text.capitalize() + "."


# The corpus shapes the benchmark builds: (entries per rule, share of claims asserting a status,
# share contradicting an earlier claim, paragraphs per body).
SHAPES = {
    "sparse": (100, 0.5, 0.05, 3),
    # Denser briefings: one rule per 20 claims, nearly every claim asserting one of the statuses
    # (so disputes everywhere within the window), many contradictions, four paragraphs.
    "dense": (20, 0.9, 0.2, 4),
}


def generate(root: Path, entries: int, seed: int = 2015, shape: str = "sparse") -> dict[str, int]:
    """Write ``content/`` with ``entries`` claims and proportionate rules and sources.

    ``shape`` "sparse": one rule per 100 entries and one source per 40 (at least 3 and 8),
    dates from 2000 to 2025 at mixed precision, half the claims asserting a status, a few
    contradicting others, and a body of three paragraphs each; "dense": see SHAPES.
    """
    per_rule, with_status, contradicting, paragraphs = SHAPES[shape]
    rng = random.Random(seed)
    content = root / "content"
    n_rules, n_sources = max(3, entries // per_rule), max(8, entries // 40)
    (content / "rules").mkdir(parents=True, exist_ok=True)
    (content / "sources").mkdir(parents=True, exist_ok=True)
    (content / "index.md").write_text("# Synthetic briefing\n\nSee the [[rule-0]] briefing.\n")
    for r in range(n_rules):
        parent = f"\npart_of: rule-{r // 10}" if r >= 10 else ""
        (content / "rules" / f"rule-{r}.md").write_text(
            f"---\ntitle: Rule number {r}\naliases: [R{r}]{parent}\nsummary: {sentence(rng)}\n---\n{sentence(rng, 30)}\n"
        )
    for s in range(n_sources):
        (content / "sources" / f"source-{s}.md").write_text(f"---\nname: Source {s}\nkind: newspaper\n---\n")
    for e in range(entries):
        year = rng.randint(2000, 2025)
        precision = rng.random()
        if precision < 0.1:
            date = f"{year}"
        elif precision < 0.3:
            date = f"{year}-{rng.randint(1, 12):02d}"
        else:
            date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rules = sorted({f"rule-{rng.randrange(n_rules)}" for _ in range(rng.choice((1, 1, 1, 2)))})
        lines = [
            f"date: {date}",
            f"source: Source {rng.randrange(n_sources)}",
            f"rule: [{', '.join(rules)}]",
            f"claim: {sentence(rng)}",
        ]
        if rng.random() < with_status:
            lines.append(f"status: {rng.choice(DEFAULT_STATUSES)}")
        if rng.random() < 0.3:
            lines.append(f"by: Official {rng.randrange(50)}")
        if e > 0 and rng.random() < contradicting:
            lines.append(f"contradicts: entry-{rng.randrange(e)}")
        body = "\n\n".join(sentence(rng, 40) for _ in range(paragraphs))
        folder = content / "entries" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"entry-{e}.md").write_text("---\n" + "\n".join(lines) + "\n---\n" + body + "\n")
    return {"entries": entries, "rules": n_rules, "sources": n_sources}
