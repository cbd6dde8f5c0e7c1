"""Review a folder of published reports: parse them all, check them, write one table.

``review(root, out)`` walks ``root`` (``files.scan_folder``: symlinks leaving the folder,
symlink loops, FIFOs and devices become skipped rows), parses every report-like file in worker
processes under a time and a memory limit (``pool``: one bad file never stops the batch: it
becomes a row with status ``error`` and a Chinese reason), runs the cross-year checks over the
batch and writes the result atomically (``outputs``). Rows are ordered by relative path.

Page images: image files of one folder whose names differ only by a trailing page number
(``PAGE_MARK_RE``: 报告-1.jpg, 报告_2.jpg, 报告 3.png, 报告（第4页）.jpg) are the pages of one
report, read as one document in numeric page order (``page_groups``). Its row is named
after the first page; the other pages are listed in the column 其余各页 (and, with their
sizes and mtimes, in the hidden column ``pages``).

Each finished entry is appended to a journal beside the output as it completes (``journal``),
so that a batch killed half-way keeps its work. With ``resume=True`` the journal of an
interrupted run and the existing output are read back and files whose relative path, size and
mtime match an entry are not parsed again (for a group of page images: every page's size and
mtime) — unless the output says they could not be read then (a missing OCR engine or
LibreOffice, a crashed worker, a limit since raised): those are tried again. Entries of the
journal are taken as they are: that run has just tried them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..errors import GongkaiError
from ..parse import parse_page_images, parse_path
from .files import page_groups, scan_folder
from .journal import Journal, read_journal
from .model import Entry, Parse, ParsePages, Result, Task
from .outputs import cross_issues, output_kind, read_entries, write
from .pool import DEFAULT_LIMITS, Limits, parse_one, run_pool


class Interrupted(KeyboardInterrupt):
    """The batch was stopped by a signal (SIGTERM, SIGHUP); its finished work is in the journal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def review(
    root: str | Path,
    out: str | Path | None = None,
    *,
    jobs: int | None = None,
    resume: bool = False,
    parse: Parse = parse_path,
    progress: bool = True,
    parse_pages: ParsePages = parse_page_images,
    limits: Limits = DEFAULT_LIMITS,
    units: Sequence[str] | None = None,
) -> Result:
    """Parse every report under ``root`` and write the table to ``out`` (if given).

    ``units``: the office's list of units, to name those with no report (``not-published``).
    ``jobs`` worker processes (default: one per CPU), each file under ``limits``; ``jobs=0``
    parses in this process, without limits. ``parse`` (one file) and ``parse_pages`` (the
    page images of one report) must be picklable (module-level functions) when ``jobs`` > 0.
    SIGTERM (and SIGHUP) end the workers and raise ``Interrupted``, the journal kept.
    """
    start = time.perf_counter()
    root = Path(root)
    if not root.is_dir():
        raise GongkaiError("不是一个存在的目录", path=str(root))
    if out is not None:
        out = Path(out)
        output_kind(out)
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 0:
        raise GongkaiError(f"--jobs 应为 0 或正整数，而不是 {jobs}")

    old: dict[str, Entry] = {}
    journaled: dict[str, Entry] = {}
    if resume and out is not None:
        if out.exists():
            old = {e.file: e for e in read_entries(out)}
        journaled = read_journal(out)
    folder = scan_folder(root)
    entries = {s.rel: Entry(s.rel, 0, 0, "", "skipped", s.reason) for s in folder.skipped}
    tasks: list[Task] = []
    retried: list[str] = []
    reused = 0
    for files in page_groups(folder.files):
        rels = [p.relative_to(root).as_posix() for p in files]
        task = Task(str(files[0]), rels[0], tuple(zip(map(str, files[1:]), rels[1:], strict=True)))
        try:
            now = [(r, st.st_size, st.st_mtime_ns) for r, st in zip(rels, map(os.stat, files), strict=True)]
        except OSError:
            now = None
        done_then, prev = journaled.get(task.rel), old.get(task.rel)
        if done_then is not None and now == done_then.stamps:
            entries[task.rel] = done_then
            reused += 1
        elif prev is not None and now == prev.stamps and prev.status not in ("error", "skipped"):
            entries[task.rel] = prev
        else:
            tasks.append(task)
            if prev is not None and now == prev.stamps:  # unreadable last time: maybe OCR or LibreOffice is there now
                retried.append(task.rel)

    journal = Journal(out, fresh=not resume) if out is not None else None
    try:
        with _stopped_by_signals():
            with _progress(progress, len(tasks)) as advance:

                def done(entry: Entry) -> None:
                    entries[entry.file] = entry
                    if journal is not None:
                        journal.add(entry)
                    advance()

                if jobs == 0 or not tasks:
                    for task in tasks:
                        done(parse_one(task.path, task.rel, parse, task.pages, parse_pages))
                else:
                    run_pool(tasks, min(jobs, len(tasks)), parse, done, parse_pages, limits)

            result = Result([entries[k] for k in sorted(entries)], parsed=sorted(t.rel for t in tasks), retried=retried)
            result.journaled = reused
            result.cross = cross_issues(result.entries)
            # reports collected by `gongkai collect` (manifest.jsonl): publication date, edits after
            # publication; and the units of the office's list that published nothing
            from ..collect.compliance import apply as compliance

            compliance(root, result, units)
            if out is not None:
                write(result, out)
    finally:
        if journal is not None:
            journal.close()
    if journal is not None:
        journal.remove()  # the output holds it all now
    result.seconds = time.perf_counter() - start
    return result


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise ``Interrupted`` here (as Ctrl-C raises KeyboardInterrupt), so
    that the workers are ended and the journal closed on the way out. Signal handlers can only
    be set in the main thread; elsewhere the caller's own handling stands."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, _frame):
        raise Interrupted(signum)

    names = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    saved = {name: signal.signal(getattr(signal, name), stop) for name in names}
    try:
        yield
    finally:
        for name, handler in saved.items():
            signal.signal(getattr(signal, name), handler)


class _progress:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, show: bool, total: int):
        self.show, self.total = show and total > 0, total

    def __enter__(self) -> Callable[[], None]:
        if not self.show:
            return lambda: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("解析"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self.bar.__enter__()
        task = self.bar.add_task("解析", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc) -> None:
        if self.show:
            self.bar.__exit__(*exc)
