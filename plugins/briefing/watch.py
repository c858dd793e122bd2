"""Edits seen at once: `mkdocs serve` watches the content folder through inotify where it can.

MkDocs' server polls every watched path twice a second (watchdog's ``PollingObserver``,
chosen so that Docker and network mounts work). At 10,000 entries each pass stats every file
(about 60 ms of the server's time, twice a second, rebuilds included), and a save waits up to
half a second for the next pass: about a quarter of the preview's time (``make bench``).

Where the content folder sits on a local Linux file system and holds no symbolic link (inotify
does not follow them; a poll does), MkDocs' own handler for that folder moves to an inotify
observer. Everywhere else -- other systems, Docker Desktop and network mounts, linked files or
folders, no inotify watches left -- MkDocs keeps polling it, as before. ``mkdocs.yml``, the
theme and the templates stay with MkDocs' poller either way: they change rarely.

The handler hears only of writes, creations, deletions and moves, never of a file being opened
or read: every rebuild reads the files it rebuilds, and would otherwise start the next one.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from importlib.resources import files as package_files
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import BaseObserver

from .internals import scheduled_through, server_observer_swappable

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

# File systems where a change made on this machine reaches inotify. Network file systems,
# Docker Desktop's shares (fakeowner, grpcfuse, virtiofs) and WSL's drvfs/9p are absent on
# purpose: writes from the other side of them are seen only by polling.
LOCAL_FILE_SYSTEMS = frozenset({
    "ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "zfs", "jfs", "reiserfs", "bcachefs",
    "tmpfs", "overlay",
})  # fmt: skip

CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]  # fmt: skip


class ChangedPaths:
    """The paths inotify reported changed in the content folder since they were last taken (the
    server's builder takes them: served_edits.py). Polled, the paths are not known."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self.known = False  # whether inotify reports them

    def add(self, *paths: str) -> None:
        with self._lock:
            self._paths.update(p for p in paths if p)

    def take(self) -> set[str] | None:
        """The paths changed since the last call; None when they are not known."""
        with self._lock:
            paths, self._paths = self._paths, set()
        return paths if self.known else None


def watch_briefing(server: Any, docs_dir: str, overrides: str | None) -> tuple[BaseObserver | None, ChangedPaths]:
    """Have ``server`` watch the plugin's own templates, assets and catalogs and the site's
    overrides too (an edit to them reloads the preview), and the content folder through inotify
    where it can (``watch_natively``); the paths changed there, as they come."""
    for folder in ("templates", "assets", "locales"):
        server.watch(str(package_files("briefing") / folder))
    if overrides:
        server.watch(overrides)
    changed = ChangedPaths()
    observer = watch_natively(server, docs_dir, changed)
    changed.known = observer is not None
    return observer, changed


def watch_natively(server: Any, folder: str, changed: ChangedPaths | None = None) -> BaseObserver | None:
    """Move ``server``'s watch of ``folder`` to inotify; the observer (stop it at shutdown),
    or None where polling stays. ``changed``: where each change's paths are noted."""
    folder = os.path.abspath(folder)
    if not sys.platform.startswith("linux") or not os.path.isdir(folder):
        return None
    if not server_observer_swappable(server):
        return None
    kind = file_system_type(folder)
    if kind not in LOCAL_FILE_SYSTEMS:
        log.debug(f"Polling {folder} for changes: it is on a {kind or 'unknown'} file system")
        return None
    linked = first_link(folder)
    if linked:
        log.debug(f"Polling {folder} for changes: {linked} is a symbolic link, which inotify does not follow")
        return None
    try:
        from watchdog.observers.inotify import InotifyObserver

        native = InotifyObserver()
        native.start()
    except Exception as error:  # no inotify here (a libc or kernel without it)
        log.debug(f"Polling {folder} for changes: {error}")
        return None
    try:
        server.unwatch(folder)
    except KeyError:  # MkDocs does not watch it: nothing to move
        native.stop()
        return None
    # `server.watch` schedules MkDocs' own handler on `server.observer`: for this one call, an
    # object that schedules it on inotify instead (or, failing that, back on the poller).
    scheduler = _Scheduler(native, server.observer, changed or ChangedPaths())
    with scheduled_through(server, scheduler):
        server.watch(folder)
    if not scheduler.native:
        native.stop()
        return None
    log.debug(f"Watching {folder} for changes through inotify")
    return native


class _Scheduler:
    """Stands in for the server's observer while it schedules its handler."""

    def __init__(self, native: BaseObserver, polling: BaseObserver, changed: ChangedPaths):
        self._native, self._polling, self._changed = native, polling, changed
        self.native = False  # whether the handler went to inotify

    def schedule(self, handler: FileSystemEventHandler, path: str, recursive: bool = False) -> Any:
        try:
            watch = self._native.schedule(_Relay(handler, self._changed), path, recursive=recursive, event_filter=CHANGES)
        except OSError as error:  # e.g. no inotify watches left (fs.inotify.max_user_watches)
            log.debug(f"Polling {path} for changes: {error}")
            return self._polling.schedule(handler, path, recursive=recursive)
        self.native = True
        return watch


class _Relay(FileSystemEventHandler):
    """Passes changes to MkDocs' handler, which ignores folder events: a folder moved or
    deleted whole is reported to it as a change to a file, as a poll would have found."""

    def __init__(self, handler: FileSystemEventHandler, changed: ChangedPaths):
        self._handler, self._changed = handler, changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._changed.add(os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or ""))
        if event.is_directory:
            event = FileModifiedEvent(event.src_path)
        self._handler.dispatch(event)


def file_system_type(path: str, mountinfo: str | None = None) -> str | None:
    """The type of the file system ``path`` is on, from ``/proc/self/mountinfo`` (its text
    may be given); None if unknown."""
    if mountinfo is None:
        try:
            with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
                mountinfo = f.read()
        except OSError:
            return None
    path = os.path.realpath(path)
    best, found = -1, None
    for line in mountinfo.splitlines():
        # id parent major:minor root mount-point options [optional fields...] - type source ...
        before, _, after = line.partition(" - ")
        fields, kind = before.split(" "), after.split(" ", 1)[0]
        if len(fields) < 5 or not kind:
            continue
        mount_point = _unescape(fields[4])
        inside = path == mount_point or path.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= best:  # the deepest mount, the last one mounted
            best, found = len(mount_point), kind
    return found


def _unescape(field: str) -> str:
    """mountinfo writes space, tab, newline and backslash in paths as octal escapes."""
    for escaped, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(escaped, char)
    return field


def first_link(folder: str) -> str | None:
    """The first symbolic link under ``folder``, if any (or a folder that cannot be read)."""
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as entries:
                for item in entries:
                    if item.is_symlink():
                        return item.path
                    if item.is_dir():
                        pending.append(item.path)
        except OSError:  # unreadable: whatever is in there, a poll sees as much as MkDocs does
            return current
    return None
