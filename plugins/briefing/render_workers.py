"""Rendering ahead: generated pages made in worker processes while MkDocs converts Markdown.

A build spends most of its time in MkDocs' own single-threaded work (Markdown, the theme's
template, writing files). The briefing's pages depend only on the content model, which is
complete once the files are read, so worker processes can render them on the machine's other
cores meanwhile; the build's own process then only puts the writer's text in place.

Each worker is a fork of the build at that moment: it shares the model without copying or
pickling it, and sends back each result as soon as it is made. A result that does not come
(a worker that failed, a platform without ``fork``) is simply rendered by the build's own
process, which then reports any error as it always did: rendering ahead can make a build
faster, never different.
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Hashable
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any

# Results wait in the pipe until the build asks: a larger pipe lets a worker run further
# ahead (Linux allows up to /proc/sys/fs/pipe-max-size, 1 MiB by default).
PIPE_BYTES = 1 << 20
# Results taken from the pipes before the build asks for them, in pickled bytes: enough that
# a worker stays ahead of the build, few enough that a large build does not hold its pages twice
# (taking all that was ready, a 100,000-entry build held most of its pages' HTML here at once).
# Counted in bytes, not results: capped at 500 results (about 2.5 MB of entry pages, a second
# of the build's time), the worker had caught up with the build by the time both reached the
# rule and timeline pages, which take it 20-40 ms each, and a 10,000-entry build waited 3 s
# for them (measured: 407 waits, all in its last pages).
RESULTS_AHEAD_BYTES = 32 << 20


# A job's state, one byte per job in memory the workers share with the build: a job the build
# asks for before its worker has started it is the build's to do (``take`` gives None), and the
# worker skips it. Without this, the build waited for the worker at the start, when both begin
# on the first pages, and wherever the worker fell behind.
NOT_STARTED, TAKEN_OVER, STARTED = 0, 1, 2


class RenderAhead:
    """Jobs (keys) shared among worker processes; ``take(key)`` gives a job's result or None."""

    def __init__(self, jobs: list[Hashable], make: Callable[[Hashable], Any], workers: int, ahead_bytes: int = RESULTS_AHEAD_BYTES):
        self._results: dict[Hashable, tuple[Any, int]] = {}  # job -> (result, its pickled size)
        self._held_bytes, self._ahead_bytes = 0, ahead_bytes  # held in _results, and at most
        self._pending = set(jobs)
        self._number = {key: number for number, key in enumerate(jobs)}
        self._states = mmap.mmap(-1, max(1, len(jobs)))  # anonymous and shared: forks see one copy
        self.jobs, self.workers, self.used, self.taken_over = len(jobs), 0, 0, 0  # for the build's debug log
        self._workers: dict[Connection, int] = {}  # read end -> worker pid
        self._owner: dict[Hashable, Connection] = {}  # job -> the read end its result comes by
        # Linux only: macOS forks badly once system libraries are loaded, Windows not at all.
        # And only a process with no other thread (`mkdocs serve --clean` has its server's):
        # a fork copies locks that other threads may be holding.
        if workers < 1 or not jobs or not sys.platform.startswith("linux") or threading.active_count() > 1:
            self._pending.clear()
            return
        import fcntl  # Linux's, imported only there

        for number in range(workers):
            reader, writer = Pipe(duplex=False)
            with contextlib.suppress(OSError):  # a smaller pipe works too
                fcntl.fcntl(writer.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
            pid = os.fork()
            if pid == 0:  # the worker: render, send, and leave without running the build's exit code
                reader.close()
                _work(writer, [(self._number[key], key) for key in jobs[number::workers]], make, self._states)
            writer.close()
            self._workers[reader] = pid
            self._owner.update(dict.fromkeys(jobs[number::workers], reader))
        self.workers = workers

    def take(self, key: Hashable) -> Any | None:
        """The result of job ``key``; None when it is no job, when its worker did not make it,
        or when its worker had not begun it: then the caller makes it (TAKEN_OVER)."""
        if key not in self._pending:
            return None
        owner = self._owner.get(key)
        while key not in self._results and owner in self._workers:  # its results come in order
            if self._states[self._number[key]] == NOT_STARTED:
                self._states[self._number[key]] = TAKEN_OVER  # not begun: ours to do
                self.taken_over += 1
                break
            self._receive(owner)
        self._pending.discard(key)
        self.used += key in self._results
        # Collect what is ready, up to RESULTS_AHEAD_BYTES: a worker waiting on a full pipe
        # falls behind.
        while self._held_bytes < self._ahead_bytes:
            ready = wait(list(self._workers), timeout=0)
            if not ready:
                break
            for reader in ready:
                self._receive(reader)
        result, size = self._results.pop(key, (None, 0))
        self._held_bytes -= size
        return result

    def _receive(self, reader: Connection) -> None:
        try:
            message = reader.recv_bytes()
            key, result = pickle.loads(message)
        except (EOFError, OSError, pickle.UnpicklingError):  # done, or failed: the rest is ours
            self._retire(reader)
            return
        if key is None:  # the worker finished its share
            self._retire(reader)
        elif result is not None and key in self._pending:  # not one the build did itself meanwhile
            self._results[key] = (result, len(message))
            self._held_bytes += len(message)

    def _retire(self, reader: Connection) -> None:
        pid = self._workers.pop(reader)
        reader.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)

    def close(self) -> None:
        """Stop the workers (the build failed or is done) and drop what they made."""
        for reader, pid in list(self._workers.items()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            self._retire(reader)
        self._results.clear()
        self._held_bytes = 0
        self._pending.clear()
        self._owner.clear()
        self._states.close()


def _work(writer: Connection, jobs: list[tuple[int, Hashable]], make: Callable[[Hashable], Any], states: mmap.mmap) -> None:
    """A worker's whole life. Never returns: ``os._exit`` skips the build's atexit handlers and
    leaves its buffered output (logs, the site) to the build's own process."""
    status = 0
    try:
        logging.disable(logging.CRITICAL)  # the build's own process reports every problem
        for number, key in jobs:
            if states[number] == TAKEN_OVER:
                continue
            # Between the check and this mark the build may take the job over: then both make
            # it, and the build drops this result (``_receive``). A byte is written whole.
            states[number] = STARTED
            try:
                result = make(key)
            except Exception:  # rendered again by the build, which reports the error
                result = None
            writer.send_bytes(pickle.dumps((key, result), pickle.HIGHEST_PROTOCOL))
        writer.send_bytes(pickle.dumps((None, None)))
    except BaseException:  # the build went away (a closed pipe), or was interrupted
        status = 1
    finally:
        os._exit(status)
