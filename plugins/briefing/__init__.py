"""Briefing sites: one Markdown file per claim, compiled into rule briefings.

The package is split in two on purpose:

* the domain core (``dates``, ``model``, ``reader``, ``resolve``, ``disputes``,
  ``briefing``, ``timeline``, ``feeds``, ``render``) knows nothing about MkDocs, so the
  same content model serves the CLI and would survive a move to another site generator;
* ``plugin`` is the thin MkDocs adapter over it.
"""
