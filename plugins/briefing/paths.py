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
    return _real_inside(os.path.realpath(path), os.path.realpath(root))


def _real_inside(real: str, top: str) -> bool:
    if real == top:
        return True
    prefix = top.rstrip(os.sep) + os.sep
    return real.startswith(prefix) and ".git" not in real[len(prefix) :].split(os.sep)


class RealPaths:
    """Real paths of many files in few folders: each folder resolved and listed once, and a
    file's own link followed only where it is one. Resolved one by one (``realpath`` looks at
    every folder on the way), 100,000 entries' paths took 10 s of ``briefing check``; then
    asking the system about each file (``lstat``) took 0.3 s of it, where a folder's listing
    (``os.scandir``) says which of its names are links and which are files, without asking."""

    def __init__(self, root: str) -> None:
        # folder -> its real path, whether that lies in the project, and name -> (is a link, is a file)
        self._folders: dict[str, tuple[str, bool, dict[str, tuple[bool, bool]]]] = {}
        self.root = os.path.realpath(root)

    def inside(self, path: str) -> tuple[bool, bool]:
        """Whether ``path`` lies in the project (as ``inside``), and whether it is a regular file."""
        folder, name = os.path.split(path)
        listed = self._folders.get(folder)
        if listed is None:
            listed = self._folders[folder] = self._listed(folder)
        _, folder_inside, kinds = listed
        kind = kinds.get(name)
        if kind is None or kind[0]:  # a link (or a name the listing did not have): follow it
            return _real_inside(os.path.realpath(path), self.root), os.path.isfile(path)
        return folder_inside and name != ".git", kind[1]

    def _listed(self, folder: str) -> tuple[str, bool, dict[str, tuple[bool, bool]]]:
        real = os.path.realpath(folder)
        kinds: dict[str, tuple[bool, bool]] = {}
        try:
            with os.scandir(folder) as listing:
                for item in listing:
                    kinds[item.name] = (item.is_symlink(), item.is_file(follow_symlinks=False))
        except OSError:
            pass  # then each name is followed as a link: what cannot be read is no file
        return real, _real_inside(real, self.root), kinds


def bad_name_character(name: str) -> str | None:
    """The first character of ``name`` no file name here may hold, as U+XXXX."""
    found = _BAD_IN_NAME.search(name)
    return f"U+{ord(found.group()):04X}" if found else None


def file_problem(shown: str, abs_path: str, root: str, real_paths: RealPaths | None = None) -> Problem | None:
    """Why a content file must be left out, or None: a control character in its name, a link
    that leads outside the project (or nowhere), or something that is no regular file."""
    bad = bad_name_character(shown)
    if bad:
        return Problem(printable(shown), 1, "", f"the file name has a control character ({bad}); rename the file")
    is_inside, is_file = (real_paths or RealPaths(root)).inside(abs_path)
    if not is_inside:
        return Problem(
            shown, 1, "",
            "is a link to a file outside the project folder (or in its .git); it is left out (copy the file into the project instead)",
        )  # fmt: skip
    if not is_file:
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
