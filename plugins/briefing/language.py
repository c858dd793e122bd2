"""The plugin's words in the site's language: translated texts, status labels and CLDR dates.

Texts come from a YAML catalog per language (``locales/<language>.yml``), with a site's own
corrections or a whole new language merged over them from its overrides folder. Dates are
formatted by CLDR through Babel, at each date's own precision: "juin 2025", "2025年6月".
Nothing here knows about MkDocs.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from babel import UnknownLocaleError
from babel.dates import format_date, format_skeleton
from markupsafe import Markup, escape

from .dates import PartialDate
from .internals import isolated_locale
from .model import Problem, printable
from .paths import inside
from .reader import unsafe_character

CATALOGS = Path(__file__).parent / "locales"
SHIPPED = ("en", "fr", "de", "es", "zh", "ja", "ar", "ru")
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
# A BCP 47 language tag as MkDocs themes take it (fr, pt-BR, zh-Hant, en_GB): letters, digits,
# hyphens and underscores, nothing that could make a path.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
_FORMATTER = string.Formatter()


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a catalog text uses.

    Raises ValueError for what ``str.format`` would choke on or could be made to work hard by:
    a positional ``{}`` or ``{0}``, a conversion (``{name!r}``), a format spec (``{name:d}``
    raises, ``{name:200000000}`` pads to 200 MB), an attribute or index (``{name.x}``).
    """
    names = set()
    for _, name, spec, conversion in _FORMATTER.parse(text):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}")
        names.add(name)
    return names


@dataclass
class Catalog:
    """One language's texts, merged from the shipped catalogs and a site's overrides."""

    texts: dict[str, str | dict[str, str]] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    found: bool = False  # a catalog of the language itself (not only English) was read


def read_catalog(path: Path, shown: str, reference: Catalog | None, problems: list[Problem]) -> Catalog:
    """Read one catalog file; what is wrong in it is a problem line and is left out.

    ``reference``: the English catalog, whose keys and placeholders every other follows.
    """
    catalog = Catalog(found=True)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        problems.append(Problem(shown, line, "", f"cannot be read as a YAML catalog ({type(error).__name__}); fix it or delete it"))
        return catalog
    if data is None:
        return catalog
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "", "must be a mapping of keys to texts (see the English catalog)"))
        return catalog
    line_of = _key_lines(path)
    for key, value in data.items():
        where = line_of.get(str(key), 1)
        if key == "statuses":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                problems.append(Problem(shown, where, "statuses", "must map each status id to its label"))
                continue
            bad = next(filter(None, map(unsafe_character, value.values())), None)
            if bad:
                problems.append(Problem(shown, where, "statuses", f"has the control character {bad}; remove it"))
                continue
            catalog.statuses.update({str(k): v for k, v in value.items()})
            continue
        expected = reference.texts.get(key) if reference else value
        if reference and expected is None:
            problems.append(Problem(shown, where, str(key), "is not a text the plugin writes; check the key against the English catalog"))
            continue
        wanted = _all_placeholders(expected)
        problem = _text_problem(value, wanted, plural=isinstance(expected, dict))
        if problem:
            problems.append(Problem(shown, where, str(key), problem))
            continue
        catalog.texts[str(key)] = value
    return catalog


def _all_placeholders(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(placeholders(text) for text in value.values()))
    return placeholders(value) if isinstance(value, str) else set()


def _text_problem(value: Any, wanted: set[str], plural: bool) -> str | None:
    """Why a catalog text cannot be used, or None."""
    if plural:
        if not isinstance(value, dict) or "other" not in value:
            return f"needs a form per plural category, at least `other` ({', '.join(PLURAL_FORMS)})"
        unknown = set(value) - set(PLURAL_FORMS)
        if unknown:
            return f"has {sorted(unknown)[0]!r}, not a plural category ({', '.join(PLURAL_FORMS)})"
        texts = list(value.values())
    else:
        if not isinstance(value, str):
            return "must be a text (quote it if YAML reads it as something else)"
        texts = [value]
    for text in texts:
        if not isinstance(text, str):
            return "must be a text (quote it if YAML reads it as something else)"
        bad = unsafe_character(text)
        if bad:  # as in front-matter: it would break a feed or a page
            return f"has the control character {bad}; remove it"
        try:
            used = placeholders(text)
        except ValueError as error:
            if str(error).startswith("{"):
                return f"has {error}: a placeholder is a name in braces, such as {{count}}, with nothing else inside"
            return "has an unmatched { or }; write {{ or }} for a brace"
        extra = used - wanted
        if extra:
            return f"uses {{{sorted(extra)[0]}}}, which the plugin does not fill in (it fills in {', '.join('{' + w + '}' for w in sorted(wanted)) or 'nothing'})"
    return None


def _key_lines(path: Path) -> dict[str, int]:
    """The line of each top-level key, for problem lines (1 if the file cannot be parsed)."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def catalog_names(language: str) -> list[str]:
    """The catalogs a language reads, most general first: ``pt-BR`` is ``pt`` then ``pt-BR``."""
    tag = language.replace("_", "-")
    base = tag.split("-")[0].lower()
    return [base] if base == tag.lower() else [base, tag]


class Words:
    """Everything the plugin writes, in one language.

    ``words("key", name=value)`` in a template is Markup: the catalog text escaped, the values
    escaped unless they are Markup already (a link), so a text can hold links.
    """

    def __init__(
        self, language: str = "en", overrides: str | None = None, shown_overrides: str = "",
        config_file: str = "mkdocs.yml", root: str | None = None,
    ):
        self.language = language or "en"
        self.problems: list[Problem] = []
        if not LANGUAGE_TAG.fullmatch(self.language):
            # It names catalog files: `language: ../../x` would read a file from anywhere.
            self.problems.append(Problem(
                config_file, 1, "language",
                f"{printable(self.language)!r} is not a language code; use one such as fr, de, pt-BR or zh-Hant",
            ))  # fmt: skip
            self.language = "en"
        try:
            self.locale = isolated_locale(self.language)
        except (ValueError, UnknownLocaleError):
            self.problems.append(Problem(
                config_file, 1, "language",
                f"{self.language!r} is not a language Babel knows; use a code such as fr, de or zh-Hant",
            ))  # fmt: skip
            self.locale = isolated_locale("en")
        self.rtl = self.locale.text_direction == "rtl"
        english = read_catalog(CATALOGS / "en.yml", "en.yml", None, self.problems)
        merged = Catalog(dict(english.texts), dict(english.statuses))
        for name in catalog_names(self.language):
            sources = [(CATALOGS / f"{name}.yml", f"{name}.yml", False)]
            if overrides:
                sources.append((Path(overrides) / "locales" / f"{name}.yml", f"{shown_overrides}/locales/{name}.yml", True))
            for path, shown, from_project in sources:
                if path.is_symlink() or path.exists():
                    if from_project and (root and not inside(str(path), root) or not path.is_file()):
                        self.problems.append(Problem(
                            shown, 1, "", "is a link outside the project folder, to nothing, or not a file; it is left out",
                        ))  # fmt: skip
                        continue
                    part = read_catalog(path, shown, english, self.problems)
                    merged.texts.update(part.texts)
                    merged.statuses.update(part.statuses)
                    merged.found = True
        self.catalog = merged
        if not merged.found and catalog_names(self.language)[0] != "en":
            self.problems.append(Problem(
                config_file, 1, "language",
                f"the briefing has no translation for {self.language!r}, so its own words are in English "
                f"(dates are not); add {shown_overrides or '<overrides>'}/locales/{catalog_names(self.language)[-1]}.yml",
            ))  # fmt: skip
        self._markup: dict[str, Markup] = {}
        # Every text without a placeholder, escaped, as attributes: ``{{ w.fact_date }}`` in a
        # template is an attribute lookup, where ``{{ t("fact_date") }}`` is a call through
        # Jinja's machinery (twenty on each of 10,000 entry pages: ``make bench``).
        self.labels = SimpleNamespace(**{
            key: escape(text) for key, text in merged.texts.items() if isinstance(text, str)
        })  # fmt: skip
        self._escaped: dict[tuple[str, int | None], str] = {}
        self._forms: dict[int, str] = {}
        self._dates: dict[PartialDate, str] = {}

    # --- texts ---------------------------------------------------------------------------------

    def _template(self, key: str, count: int | None) -> str:
        value = self.catalog.texts[key]
        if isinstance(value, dict):
            if count is None:
                raise TypeError(f"{key} needs a count")
            form = self._forms.get(count)
            if form is None:
                form = self._forms[count] = self.locale.plural_form(count)
            return value.get(form) or value.get("other") or ""
        return value

    def text(self, key: str, count: int | None = None, **values: Any) -> str:
        """A catalog text as plain text, for titles, tooltips and feeds."""
        if count is not None:
            values["count"] = count
        return self._template(key, count).format(**{k: str(v) for k, v in values.items()})

    def __call__(self, key: str, count: int | None = None, **values: Any) -> Markup:
        """A catalog text as HTML, for templates.

        Called some 20 times on each of 10,000 entry pages: the escaped texts and plural
        forms are kept (``make bench``)."""
        if count is None and not values:
            markup = self._markup.get(key)
            if markup is None:
                markup = self._markup[key] = escape(self._template(key, None))
            return markup
        if count is not None:
            values["count"] = count
        cache_key = (key, count)
        template = self._escaped.get(cache_key)
        if template is None:
            template = str(escape(self._template(key, count)))
            if len(self._escaped) < 10_000:  # counts are many; texts few
                self._escaped[cache_key] = template
        return Markup(template.format(**{k: escape(v) for k, v in values.items()}))

    def join(self, items: Iterable[Any]) -> Markup:
        """Items of a list, each escaped unless Markup, with the language's separator."""
        return escape(self.catalog.texts["list_separator"]).join(escape(item) for item in items)

    def status(self, status: str) -> str:
        """A status's label; a site's own status without a label is shown as written."""
        return self.catalog.statuses.get(status, status)

    def quote(self, text: str) -> Markup:
        """A quotation in the language's quotation marks."""
        return self("quote", text=text)

    def for_script(self) -> dict[str, Any]:
        """The texts the in-page filter (timeline.js) writes, with the language for its plurals."""
        keys = ("filter_rule", "filter_source", "filter_all", "filter_hidden", "filter_showing_all")
        return {"language": self.language, **{key: self.catalog.texts[key] for key in keys}}

    # --- dates ---------------------------------------------------------------------------------

    def date(self, date: PartialDate) -> str:
        """A date at its precision: "13 juin 2025", "juin 2025", "2025" (CLDR, cached)."""
        shown = self._dates.get(date)
        if shown is None:
            day = date.first_day()
            if date.precision == "day":
                shown = format_date(day, "long", locale=self.locale)
            elif date.precision == "month":
                shown = format_skeleton("yMMMM", day, locale=self.locale)
            else:
                shown = format_skeleton("y", day, locale=self.locale)
            self._dates[date] = shown
        return shown

    def time_between(self, a: PartialDate, b: PartialDate) -> str:
        """How far apart two conflicting claims are, at their precision: "12 days apart" only
        when both are dated to the day; "in the same year (2015; days not known)" when one's
        period holds the other's; "between March 2015 and April 2015" otherwise."""
        if a.precision == b.precision == "day":
            days = abs((b.first_day() - a.first_day()).days)
            return self.text("dispute_same_day") if days == 0 else self.text("dispute_days_apart", count=days)
        wider, narrower = (a, b) if a.contains(b) else (b, a)
        if wider.contains(narrower):
            key = "dispute_same_year" if wider.precision == "year" else "dispute_same_month"
            return self.text(key, date=self.date(wider))
        start, end = sorted((a, b), key=PartialDate.first_day)
        return self.text("dispute_between", start=self.date(start), end=self.date(end))

    def month_year(self, year: int, month: int | None) -> str:
        """A timeline heading: "juin 2025", or the year with "month not known"."""
        if month is None:
            return self.text("year_month_not_known", year=self.date(PartialDate(year)))
        return self.date(PartialDate(year, month))

    def month_name(self, month: int | None) -> str:
        """A month on its own, as listed under its year."""
        if month is None:
            return self.text("month_not_known")
        return self.locale.months["stand-alone"]["wide"][month]

    def month_abbreviation(self, month: int) -> str:
        return self.locale.months["stand-alone"]["abbreviated"][month]

    def short_month_year(self, year: int, month: int) -> str:
        """A month with its year, abbreviated: "Jan 2015", "janv. 2015", "2015年1月"."""
        return format_skeleton("yMMM", PartialDate(year, month).first_day(), locale=self.locale)

