"""Reading the briefing's settings from ``mkdocs.yml`` without importing MkDocs.

The command-line tool must start fast and work wherever the core works, so it reads only the
keys it needs: ``docs_dir`` and the ``briefing`` plugin's options.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import yaml

from .briefing import Settings
from .model import DEFAULT_STATUSES


class _TolerantLoader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs tags (``!ENV``, ``!!python/name:``) as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("", _any_tag)


@dataclass(frozen=True)
class SiteConfig:
    root: str  # the folder of mkdocs.yml; problem paths are relative to it
    docs_dir: str  # absolute
    shown_dir: str  # docs_dir as writers name it, e.g. "content"
    settings: Settings


class ConfigError(Exception):
    """mkdocs.yml is missing or unreadable; the message says which and why."""


def load_site_config(path: str = "mkdocs.yml") -> SiteConfig:
    try:
        with open(path, encoding="utf-8") as stream:
            data = yaml.load(stream, Loader=_TolerantLoader) or {}
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror}); run this in the site's folder or pass --config") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: is not valid YAML ({error})") from None
    root = os.path.dirname(os.path.abspath(path))
    docs_dir = os.path.normpath(os.path.join(root, str(data.get("docs_dir", "docs"))))
    options = _plugin_options(data.get("plugins") or [])
    settings = Settings(
        statuses=tuple(options.get("statuses") or DEFAULT_STATUSES),
        dispute_window_days=int(options.get("dispute_window_days", 30)),
    )
    shown_dir = os.path.relpath(docs_dir, root).replace(os.sep, "/")
    return SiteConfig(root, docs_dir, shown_dir, settings)


def _plugin_options(plugins: Any) -> dict[str, Any]:
    """The ``briefing`` plugin's options, whichever of MkDocs' plugin list forms is used."""
    if isinstance(plugins, dict):
        return plugins.get("briefing") or {}
    for item in plugins:
        if isinstance(item, dict) and "briefing" in item:
            return item["briefing"] or {}
    return {}
