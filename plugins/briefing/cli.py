"""``briefing``: check content without building, and start new entries with the fields filled in."""

from __future__ import annotations

import datetime as dt
import os
import sys
from importlib.resources import files as package_files

import click
import frontmatter

from .checks import check_site
from .dates import PartialDate
from .model import Problem
from .reader import entry_from_document, parse_document
from .resolve import slugify
from .siteconfig import ConfigError, SiteConfig, load_site_config

CONFIG_OPTION = click.option(
    "--config", "-f", "config_path", default="mkdocs.yml", show_default=True,
    type=click.Path(dir_okay=False), help="The site's MkDocs configuration.",
)  # fmt: skip


@click.group()
def main() -> None:
    """Check and write briefing entries."""


def _site(config_path: str) -> SiteConfig:
    try:
        return load_site_config(config_path)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


@main.command()
@CONFIG_OPTION
@click.option(
    "--format", "output_format", type=click.Choice(["text", "github"]), default="text",
    show_default=True, help="'github' prints GitHub Actions annotations.",
)  # fmt: skip
def check(config_path: str, output_format: str) -> None:
    """Check every entry, rule and source without building the site.

    Exits with status 1 if anything is wrong, as `mkdocs build --strict` would.
    """
    site = _site(config_path)
    briefing, problems = check_site(site)
    for problem in problems:
        click.echo(_github(problem, site) if output_format == "github" else str(problem))
    counts = f"{len(briefing.entries)} entries, {len(briefing.rules)} rules, {len(briefing.sources)} sources"
    if problems:
        click.echo(f"{len(problems)} problem(s) in {counts}", err=True)
        sys.exit(1)
    click.echo(f"OK: {counts}", err=True)


def _github(problem: Problem, site: SiteConfig) -> str:
    """A workflow command GitHub shows as an annotation on the file and line."""
    level = "error" if problem.fatal else "warning"
    path = os.path.relpath(os.path.join(site.root, problem.path), os.getcwd()).replace(os.sep, "/")
    message = problem.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    title = problem.field or "briefing"
    return f"::{level} file={path},line={problem.line},title={title}::{message}"


@main.command()
@CONFIG_OPTION
@click.option("--date", "date_text", help="YYYY-MM-DD, YYYY-MM or YYYY.  [default: today]")
@click.option("--source", help="A source id, name or alias.")
@click.option("--rule", "rules", multiple=True, help="A rule id, title or alias; repeat for more.")
@click.option("--claim", help="One sentence: what is claimed.")
@click.option("--status", help="The status the claim asserts, if any.")
@click.option("--by", "speaker", help="Who made the claim, when not the source itself.")
@click.option("--url", help="Link to the source document (http or https).")
@click.option("--quote", help="A short verbatim quote.")
@click.option("--id", "entry_id", help="The entry id (file name).  [default: from the claim]")
def new(
    config_path: str,
    date_text: str | None,
    source: str | None,
    rules: tuple[str, ...],
    claim: str | None,
    status: str | None,
    speaker: str | None,
    url: str | None,
    quote: str | None,
    entry_id: str | None,
) -> None:
    """Write a new entry file with its front-matter filled in (asks for what is missing)."""
    site = _site(config_path)
    briefing, _ = check_site(site)
    date_text = date_text or dt.date.today().isoformat()
    try:
        date = PartialDate.parse(date_text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--date") from None
    if not source:
        _offer("Sources", [s.id for s in briefing.sources.values()])
        source = click.prompt("Source", err=True)
    if not rules:
        _offer("Rules", [r.id for r in briefing.rules.values()])
        rules = (click.prompt("Rule", err=True),)
    if not claim:
        claim = click.prompt("Claim (one sentence)", err=True)

    meta: dict[str, object] = {
        "date": date.iso(),
        "source": source,
        "rule": rules[0] if len(rules) == 1 else list(rules),
        "claim": claim,
    }
    for key, value in (("status", status), ("by", speaker), ("url", url), ("quote", quote)):
        if value:
            meta[key] = value
    text = frontmatter.dumps(frontmatter.Post("", **meta), sort_keys=False) + "\n"

    entry_id = slugify(entry_id or _short(claim))
    rel_path = f"entries/{date.year}/{entry_id}.md"
    path = os.path.join(site.docs_dir, rel_path)
    shown = f"{site.shown_dir}/{rel_path}"
    taken = {e.id for e in (*briefing.entries, *briefing.drafts)}
    if os.path.exists(path) or entry_id in taken:
        raise click.ClickException(f"{shown}: entry '{entry_id}' exists already; choose another --id")
    # Check before writing, so a bad value never lands in the content tree.
    doc = parse_document(text.encode(), shown)
    assert not isinstance(doc, Problem)
    _, problems = entry_from_document(doc, entry_id, rel_path, site.settings.statuses)
    if problems:
        raise click.ClickException("\n".join(str(p) for p in problems))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "x", encoding="utf-8") as stream:
        stream.write(text)
    click.echo(shown)


def _offer(kind: str, ids: list[str]) -> None:
    if ids:
        click.echo(f"{kind}: {', '.join(sorted(ids))} (or a new name)", err=True)


def _short(claim: str, words: int = 8) -> str:
    return " ".join(claim.split()[:words])


@main.command()
@click.argument("kind", type=click.Choice(["entry", "rule", "source"]), default="entry")
def schema(kind: str) -> None:
    """Print the path of the JSON Schema for a kind of front-matter (for editors)."""
    click.echo(str(package_files("briefing") / "schema" / f"{kind}.schema.json"))


if __name__ == "__main__":  # pragma: no cover
    main()
