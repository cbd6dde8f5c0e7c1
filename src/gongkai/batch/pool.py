"""Reading files in worker processes, each under a time and a memory limit.

The limits are a backstop: each reader bounds its own work (sizes, pages, pixels, lines), but a
file nobody foresaw must still not hang a batch of thousands or eat the machine.

- **Time** (``Limits.timeout``, default 120 s, ``--timeout``): a file still being read after it
  is abandoned: its worker is killed (with anything the worker started, such as LibreOffice)
  and replaced, and the file becomes a row with the reason 超时. A scanned page restarts the
  clock (``gongkai.ingest.scan.progress``): OCR takes seconds to a minute a page, so a long
  scan gets the limit for each page, not for the whole file.
- **Memory** (``Limits.max_memory``, default 2 GB, ``--max-memory``): set in each worker with
  ``setrlimit(RLIMIT_DATA)``: what the process itself allocates (heap, arrays, thread stacks),
  not the code of the libraries it maps. (``RLIMIT_AS`` counts address space reserved but
  never used: an ordinary OCR'd scan reserves 1.9 GB for 0.9 GB used, more with more cores.)
  A file over it raises MemoryError in the worker (a row with the reason 内存超限, and a fresh
  worker for the next file); a C library that aborts instead ends its worker, which is reported
  as a crash that may be the memory limit. Enforced on Linux only (``MEMORY_LIMITED``); macOS
  accepts the call but does not enforce it, Windows has no such limit.

Workers die with the batch: each asks Linux to kill it when its parent dies
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``, so a ``kill -9`` of ``gongkai review`` leaves nothing
behind), and elsewhere a thread in each worker ends it when its parent is gone. The parent ends
its workers on any way out (a finished batch, an exception, Ctrl-C, SIGTERM). Workers are
started with ``spawn``: a fresh interpreter, not a copy of a parent that may hold thousands of
results (memory counted against the limit) and threads.

``run_limited`` gives the single-file commands (``parse``, ``check``, ``render``) the same
limits: the read runs in one forked child (POSIX: quick, nothing to import or pickle; its
memory limit counts from what it inherits), or, with both limits off or without ``fork``, in
this process. (A child rather than ``signal.alarm`` in-process: an alarm's handler cannot run
while C code holds the interpreter, as a regular expression or a C parser can for minutes.)

Callers of ``review`` with workers must guard their script's top level with
``if __name__ == "__main__":`` (as for any ``spawn``); the ``gongkai`` command does.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing as mp
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait

from ..errors import GongkaiError
from ..parse import parse_page_images, parse_path
from . import limits as _limits
from .files import carrier_of, stamp
from .limits import DEFAULT_LIMITS, MEMORY_LIMITED, NO_LIMITS, Limits, limit_memory
from .model import Entry, Parse, ParsePages, Task, status_of

# ------------------------------------------------------------------ one file


def parse_one(
    path: str,
    rel: str,
    parse: Parse = parse_path,
    pages: Sequence[tuple[str, str]] = (),
    parse_pages: ParsePages = parse_page_images,
    limits: Limits = NO_LIMITS,
) -> Entry:
    """Parse one report: a file, or with ``pages`` (path, relative path) the page images
    after the first; never raises for a problem with the files themselves."""
    base = _base(path, rel, pages)
    try:
        report = parse_pages([path, *(p for p, _ in pages)]) if pages else parse(path)
    except GongkaiError as e:
        reason = "：".join(p for p in (e.where, e.message) if p)
        return Entry(**base, status="error", error=reason)
    except MemoryError:
        return Entry(**base, status="error", error=limits.memory_reason())
    except RecursionError:
        return Entry(**base, status="error", error="文件结构嵌套过深，无法读取")
    except Exception as e:
        return Entry(**base, status="error", error=f"内部错误：{type(e).__name__}: {e}")
    d = report.to_dict()
    status, n_err, n_warn = status_of(d["issues"])
    return Entry(**base, status=status, report=d, n_errors=n_err, n_warnings=n_warn)


def _base(path: str, rel: str, pages: Sequence[tuple[str, str]]) -> dict:
    size, mtime = stamp(path)
    stamps = [(r, *stamp(p)) for p, r in pages]
    return dict(file=rel, size=size, mtime_ns=mtime, carrier=carrier_of(path), pages=stamps)


def _row(task: Task, reason: str) -> Entry:
    return Entry(**_base(*task), status="error", error=reason)


def _crash_reason(exitcode: int | None, limits: Limits) -> str:
    how = f"退出码 {exitcode}"
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            how = f"信号 {signal.Signals(-exitcode).name}"
    maybe = "读取它需要的内存超过上限，或" if limits.max_memory and MEMORY_LIMITED else ""
    return f"内部错误：读取该文件时工作进程意外退出（{how}），可能是{maybe}文件已损坏"


# ------------------------------------------------------------------ in a worker


def _worker(conn, parent: int, limits: Limits, parse: Parse, parse_pages: ParsePages) -> None:
    """A worker's life: files from ``conn`` until it closes or sends None, each answered with
    ("done", Entry); ("beat",) whenever a scanned page starts (the parent restarts the clock)."""
    _prepare(parent, limits, lambda: conn.send(("beat",)))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        entry = parse_one(task.path, task.rel, parse, task.pages, parse_pages, limits)
        conn.send(("done", entry))
        if entry.error == limits.memory_reason():
            return  # a fresh process for the next file, not one with a fragmented heap


def _prepare(parent: int, limits: Limits, beat: Callable[[], None], forked: bool = False) -> None:
    """Everything a worker does before its first file (``forked``: a copy of the parent, whose
    heap does not count against the limit)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's; it ends the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(os, "setpgrp"):
        os.setpgrp()  # its own group: killing it on a timeout also kills what it started
    _die_with_parent(parent)
    limit_memory(limits.max_memory, on_top=forked)
    from ..ingest import scan

    scan.progress = beat


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="gongkai-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


# ------------------------------------------------------------------ the pool


class _Worker:
    """A worker process, the file it is reading and by when it must be done."""

    def __init__(self, ctx, limits: Limits, parse: Parse, parse_pages: ParsePages) -> None:
        self.conn, child = ctx.Pipe()
        args = (child, os.getpid(), limits, parse, parse_pages)
        self.process = ctx.Process(target=_worker, args=args, name="gongkai-review-worker", daemon=True)
        self.process.start()
        child.close()
        self.timeout = limits.timeout
        self.task: Task | None = None
        self.deadline = math.inf

    def give(self, task: Task) -> bool:
        """Send it ``task``; False if it cannot take it (it has ended)."""
        try:
            self.conn.send(task)
        except (OSError, ValueError):
            return False
        self.task = task
        self.beat()
        return True

    def beat(self) -> None:
        self.deadline = time.monotonic() + self.timeout if self.timeout else math.inf

    def end(self, kill: bool) -> None:
        if not kill and self.process.is_alive():
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.process.join(2)
        kill_process(self.process)
        self.conn.close()


def kill_process(process) -> None:
    """End a worker and anything it started (its process group), and reap it."""
    if process.pid is None:
        return
    if process.exitcode is None:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL) if hasattr(os, "killpg") else process.kill()
        with contextlib.suppress(OSError):
            process.kill()
    process.join(5)


def run_pool(
    tasks: list[Task],
    jobs: int,
    parse: Parse,
    done: Callable[[Entry], None],
    parse_pages: ParsePages = parse_page_images,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Parse ``tasks`` in ``jobs`` worker processes, calling ``done`` for each entry as it
    completes. A file over the time limit, or whose worker dies (a segfault in a C library, an
    abort when out of memory), becomes an error row and its worker is replaced; the batch goes
    on. The workers end with this call, however it ends."""
    ctx = mp.get_context("spawn")
    pending = deque(tasks)
    workers: list[_Worker] = []
    finished = False
    try:
        while pending or any(w.task for w in workers):
            for w in [w for w in workers if w.task is None]:
                if pending and not w.give(pending[0]):  # it ended while idle: replaced below
                    workers.remove(w)
                    w.end(kill=True)
                elif pending:
                    pending.popleft()
            while pending and len(workers) < jobs:
                workers.append(_Worker(ctx, limits, parse, parse_pages))
                if workers[-1].give(pending[0]):
                    pending.popleft()
            busy = [w for w in workers if w.task]
            left = min(w.deadline for w in busy) - time.monotonic()
            wait(
                [w.conn for w in busy] + [w.process.sentinel for w in busy], None if left == math.inf else max(0, left)
            )
            for w in busy:
                if not _collect(w, done, limits):
                    workers.remove(w)
                    w.end(kill=True)
        finished = True
    finally:
        for w in workers:
            w.end(kill=not finished)


def _collect(w: _Worker, done: Callable[[Entry], None], limits: Limits) -> bool:
    """Take what a worker has sent; False when it is gone (crashed, over its time, or retired)."""
    entry = _drain(w)
    if entry is None and not w.process.is_alive():
        entry = _drain(w)  # what it sent just before it ended
        if entry is None:
            task, w.task = w.task, None
            done(_row(task, _crash_reason(w.process.exitcode, limits)))
            return False
    if entry is not None:
        w.task = None
        done(entry)
        return entry.error != limits.memory_reason()  # that worker is leaving
    if time.monotonic() >= w.deadline:
        task, w.task = w.task, None
        kill_process(w.process)
        done(_row(task, limits.timeout_reason()))
        return False
    return True


def _drain(w: _Worker) -> Entry | None:
    """The entry a worker has sent, if any, after the beats before it."""
    while w.conn.poll():
        try:
            message = w.conn.recv()
        except (EOFError, OSError):
            return None
        if message[0] == "beat":
            w.beat()
            continue
        return message[1]
    return None


# ------------------------------------------------------------------ one file, from the command line


def run_limited(fn: Callable, *args, limits: Limits | None = None, source: str | None = None):
    """``fn(*args)`` under ``limits``, for the single-file commands: in a forked child that
    sends back the result, or the GongkaiError it raised; a child over the time limit is killed
    and one over the memory limit stops, each a GongkaiError with the Chinese reason naming
    ``source`` (exit 2).
    Another exception in the child is raised here, with the child's traceback as a note.
    Without limits, or where there is no ``fork``, ``fn`` runs in this process. ``limits``:
    by default ``gongkai.batch.limits.DEFAULT_LIMITS`` (review's defaults)."""
    limits = limits or _limits.DEFAULT_LIMITS
    if not limits.any or "fork" not in mp.get_all_start_methods():
        return fn(*args)
    ctx = mp.get_context("fork")
    conn, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_run_one, args=(child, os.getpid(), limits, fn, args), daemon=True)
    process.start()
    child.close()
    deadline = _Clock(limits.timeout)
    try:
        while True:
            wait([conn, process.sentinel], deadline.left())
            if conn.poll():
                try:
                    kind, value = conn.recv()
                except (EOFError, OSError):
                    kind, value = "crash", None
                if kind == "beat":
                    deadline.restart()
                    continue
                break
            if not process.is_alive():
                kind, value = "crash", None
                break
            if deadline.over():
                kind, value = "error", (limits.timeout_reason(), source, None)
                break
    finally:
        kill_process(process)
        conn.close()
    if kind == "ok":
        return value
    if kind == "error":
        message, path, where = value
        raise GongkaiError(message, path=path, where=where)
    if kind == "memory":
        raise GongkaiError(limits.memory_reason(), path=source)
    if value is None:
        raise GongkaiError(_crash_reason(process.exitcode, limits).removeprefix("内部错误："), path=source)
    error, trace = value
    error = error or RuntimeError(trace.strip().splitlines()[-1])
    error.add_note(f"(in the child process reading the file)\n{trace}")
    raise error


def _picklable(e: BaseException) -> BaseException | None:
    try:
        pickle.loads(pickle.dumps(e))
    except Exception:
        return None
    return e


class _Clock:
    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.restart()

    def restart(self) -> None:
        self.end = time.monotonic() + self.seconds if self.seconds else math.inf

    def left(self) -> float | None:
        return None if self.end == math.inf else max(0.0, self.end - time.monotonic())

    def over(self) -> bool:
        return time.monotonic() >= self.end


def _run_one(conn, parent: int, limits: Limits, fn: Callable, args: tuple) -> None:
    _prepare(parent, limits, lambda: conn.send(("beat", None)), forked=True)
    try:
        outcome = ("ok", fn(*args))
    except GongkaiError as e:
        outcome = ("error", (e.message, e.path, e.where))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as e:  # sent to the parent, which raises it
        outcome = ("exception", (_picklable(e), traceback.format_exc()))
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("memory", None))
    conn.close()
