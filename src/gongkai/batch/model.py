"""The values a batch passes around: a report to read (``Task``), what became of it
(``Entry``) and the whole batch (``Result``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..report import Issue, Report

Parse = Callable[[str], Report]
ParsePages = Callable[[Sequence[str]], Report]
Stamp = tuple[str, int, int]  # relative path, size, mtime_ns

# ok | warnings | errors: read, with the worst issue's severity; error: could not be read
# (the reason says why: unreadable, over the time or memory limit, a crash); skipped: not
# opened at all (a symlink out of the folder or in a loop, a FIFO or a device)
STATUSES = ("ok", "warnings", "errors", "error", "skipped")


@dataclass
class Entry:
    """One report of the batch: where it is, what became of it, and its report as a dict.
    A report given as page images is named after its first page; ``pages`` are the others."""

    file: str  # relative path, with /
    size: int
    mtime_ns: int
    carrier: str
    status: str  # one of STATUSES
    error: str = ""  # Chinese reason when status is error or skipped
    report: dict | None = None  # Report.to_dict(); None when unreadable
    n_errors: int = 0
    n_warnings: int = 0
    pages: list[Stamp] = field(default_factory=list)  # the pages after the first, in order

    @property
    def key(self) -> tuple[str, int, int, tuple[Stamp, ...]]:
        return self.file, self.size, self.mtime_ns, tuple(self.pages)

    @property
    def stamps(self) -> list[Stamp]:
        """(relative path, size, mtime) of every file of the report, the first page first."""
        return [(self.file, self.size, self.mtime_ns), *self.pages]


class Task(NamedTuple):
    """A report to parse: its (first) file, the relative path, and any further pages."""

    path: str
    rel: str
    pages: tuple[tuple[str, str], ...] = ()  # (path, relative path) of the pages after the first


@dataclass
class Result:
    entries: list[Entry]
    cross: list[tuple[Entry, Issue]] = field(default_factory=list)
    parsed: list[str] = field(default_factory=list)  # files parsed in this run (not resumed)
    retried: list[str] = field(default_factory=list)  # of those, unchanged but unreadable last time
    journaled: int = 0  # entries taken from the journal of an interrupted run (--resume)
    seconds: float = 0.0

    def counts(self) -> Counter:
        return Counter(e.status for e in self.entries)

    def summary(self) -> str:
        c = self.counts()
        skipped = f"，跳过 {c['skipped']}" if c["skipped"] else ""
        return (
            f"{len(self.entries)} 份，正常 {c['ok']}，有问题 {c['errors'] + c['warnings']}，"
            f"无法读取 {c['error']}{skipped}，用时 {self.seconds:.1f} 秒"
        )


def status_of(issues: Iterable[dict]) -> tuple[str, int, int]:
    sev = Counter(i["severity"] for i in issues)
    status = "errors" if sev["error"] else "warnings" if sev["warning"] else "ok"
    return status, sev["error"], sev["warning"]
