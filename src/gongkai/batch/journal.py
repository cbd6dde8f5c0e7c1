"""The journal of a batch: each finished entry appended as it completes, beside the output.

``review.xlsx`` has ``review.xlsx.journal.jsonl``: a first line naming it, then one strict
JSON object per entry (the ``.jsonl`` output's shape). Every line is written through to the
system at once (a killed process loses nothing it wrote) and forced to the disk every
``SYNC_SECONDS`` and at the end (a power cut loses at most those seconds). A line cut off by
a kill is ignored when the journal is read back.

A batch starts a new journal (or, with ``--resume``, continues the one it finds), and removes
it once the output is written: the output then holds everything. A journal left behind means
the batch was interrupted; ``--resume`` takes its entries, so the work is not done again.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

from ..fileio import json_text
from .model import Entry
from .outputs import entry_from_json, entry_json

SUFFIX = ".journal.jsonl"
HEADER = {"journal": "gongkai review", "version": 1}
SYNC_SECONDS = 2.0


def journal_path(out: Path) -> Path:
    return out.with_name(out.name + SUFFIX)


class Journal:
    """Appends entries to the journal of ``out``; ``fresh`` starts it anew."""

    def __init__(self, out: Path, fresh: bool) -> None:
        self.path = journal_path(out)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        torn = not fresh and _ends_mid_line(self.path)
        self.fh = self.path.open("w" if fresh else "a", encoding="utf-8")
        if torn:
            self.fh.write("\n")  # after a line cut off by a kill
        if fresh or self.fh.tell() == 0:
            self.fh.write(json_text(HEADER) + "\n")
        self.synced = time.monotonic()
        self.count = 0

    def add(self, entry: Entry) -> None:
        obj = entry_json(entry)
        try:
            line = json_text(obj)
        except ValueError:  # a NaN or an infinity slipped into a report: null, as everywhere we write JSON
            line = json_text(_finite(obj))
        self.fh.write(line + "\n")
        self.fh.flush()
        self.count += 1
        if time.monotonic() - self.synced >= SYNC_SECONDS:
            self.sync()

    def sync(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.synced = time.monotonic()

    def close(self) -> None:
        if not self.fh.closed:
            try:
                self.sync()
            finally:
                self.fh.close()

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


def read_journal(out: Path) -> dict[str, Entry]:
    """The entries journaled beside ``out`` by file (the last one of a file wins); none when
    there is no journal or it is not one. Lines that are not whole entries are left out."""
    path = journal_path(out)
    try:
        fh = path.open(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    entries: dict[str, Entry] = {}
    with fh:
        for n, line in enumerate(fh):
            try:
                d = json.loads(line)
                if n == 0:
                    if d.get("journal") != HEADER["journal"]:
                        return {}
                    continue
                entry = entry_from_json(d)
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
            entries[entry.file] = entry
    return entries


def _ends_mid_line(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            if fh.tell() == 0:
                return False
            fh.seek(-1, os.SEEK_END)
            return fh.read(1) != b"\n"
    except OSError:
        return False


def _finite(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_finite(x) for x in v]
    return v
