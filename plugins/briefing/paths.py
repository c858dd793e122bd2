"""Nothing from outside the project is read or published.

A pull request can add a symbolic link (git stores them): ``content/notes.txt`` pointing at
``../.git/config``, which holds the checkout's token in CI, or at ``/proc/self/environ``. MkDocs
follows links when it copies files, so every file, folder, override, catalog and stylesheet is
resolved to its real path first, and whatever lies outside the project folder (the folder of
``mkdocs.yml``) is one problem line and left out. Links that stay inside the project still work.
"""

from __future__ import annotations

import os
import re

from .model import Problem, printable

# Characters no file name may hold: control characters (line feeds included: MkDocs prints
# names raw, and a line starting "::error" is a workflow command on GitHub), line and paragraph
# separators, lone surrogates (a name that is not UTF-8).
_BAD_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def inside(path: str, root: str) -> bool:
    """Whether ``path``, every link on the way resolved, lies in the folder ``root`` and not in
    its ``.git`` folder (``.git/config`` holds the checkout's token in CI)."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    if real == top:
        return True
    if not real.startswith(top.rstrip(os.sep) + os.sep):
        return False
    return ".git" not in os.path.relpath(real, top).split(os.sep)


def bad_name_character(name: str) -> str | None:
    """The first character of ``name`` no file name here may hold, as U+XXXX."""
    found = _BAD_IN_NAME.search(name)
    return f"U+{ord(found.group()):04X}" if found else None


def file_problem(shown: str, abs_path: str, root: str) -> Problem | None:
    """Why a content file must be left out, or None: a control character in its name, a link
    that leads outside the project (or nowhere), or something that is no regular file."""
    bad = bad_name_character(shown)
    if bad:
        return Problem(printable(shown), 1, "", f"the file name has a control character ({bad}); rename the file")
    if not inside(abs_path, root):
        return Problem(
            shown, 1, "",
            "is a link to a file outside the project folder (or in its .git); it is left out (copy the file into the project instead)",
        )  # fmt: skip
    if not os.path.isfile(abs_path):
        return Problem(shown, 1, "", "is a link to nothing (or not a file); it is left out (remove the link)")
    return None


def project_file(folder: str, name: str, root: str, shown_folder: str) -> tuple[str | None, Problem | None]:
    """A file the site reads from one of its folders (an override, a catalog, a stylesheet):
    its path, or a problem when it leads outside the project, nowhere, or to a folder."""
    path = os.path.join(folder, name)
    shown = f"{shown_folder}/{name}"
    if not inside(path, root):
        return None, Problem(shown, 1, "", "is a link outside the project folder; it is left out (copy the file in instead)")
    if not os.path.isfile(path):
        return None, Problem(shown, 1, "", "is not a file (a folder, or a link to nothing); it is left out (rename or remove it)")
    return path, None
