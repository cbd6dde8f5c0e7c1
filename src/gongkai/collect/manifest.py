"""``manifest.jsonl``: one JSON object a line, beside the collected files, appended to and never
rewritten. Each saved snapshot of a report is a row (status ``saved``), and so is each page or
file that could not be had (``error``) or was left alone by the rules (``skipped``), with a
Chinese reason. The current copy of a report is ``file``; every snapshot also stays, unchanged,
as ``snapshot`` under the hidden folder ``.snapshots/`` (which ``review`` does not read).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path, PurePosixPath

NAME = "manifest.jsonl"
SNAPSHOTS = ".snapshots"

FIELDS = (
    "url",  # of the report (a detail page or an attachment)
    "link_text",  # the link's text on the page that led here
    "page",  # the page holding the link (the column page, or the detail page of an attachment)
    "fetched_at",  # ISO 8601, local time with its offset
    "published",  # the published date as the page shows it (发布日期：…), or beside the link
    "sha256",
    "content_type",
    "size",
    "file",  # the current copy, relative to the manifest's folder
    "snapshot",  # this snapshot, relative to the manifest's folder
    "status",  # saved | error | skipped
    "change",  # new | changed (a saved row)
    "reason",  # Chinese, for an error or a skip
    "etag",
    "last_modified",
)

UNSAFE_RE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def row(**values) -> dict:
    """A manifest row with every field, in order (missing ones empty)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown manifest fields: {sorted(unknown)}")
    return {k: values.get(k, "") for k in FIELDS}


def read(path: Path) -> list[dict]:
    """The rows of a manifest; a line that is not a JSON object (a run cut off mid-line) is left out."""
    if not path.is_file():
        return []
    rows = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict) and obj.get("url"):
                rows.append(obj)
    return rows


def append(path: Path, rows: Iterable[dict]) -> None:
    """Add rows at the end, each line written whole and flushed."""
    with path.open("a", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
            fh.flush()


def saved(rows: Iterable[dict]) -> list[dict]:
    return [r for r in rows if r.get("status") == "saved" and r.get("file")]


def latest(rows: Iterable[dict]) -> dict[str, dict]:
    """The last saved snapshot of each URL."""
    return {r["url"]: r for r in saved(rows)}


def safe_name(text: str, limit: int = 80) -> str:
    """A file name from a link's text: no path separators or characters Windows refuses."""
    name = UNSAFE_RE.sub("_", text).strip(" ._")
    return name[:limit].rstrip(" ._") or "报告"


def unique_name(folder: str, stem: str, suffix: str, taken: set[str]) -> str:
    """``folder/stem.suffix``, numbered (``stem-2``) when another URL has that name already."""
    n = 1
    while True:
        name = str(PurePosixPath(folder, f"{stem}{'' if n == 1 else f'-{n}'}{suffix}"))
        if name.lower() not in taken:
            taken.add(name.lower())
            return name
        n += 1


def snapshot_name(file: str, digest: str) -> str:
    p = PurePosixPath(file)
    return str(PurePosixPath(SNAPSHOTS, p.parent, f"{p.stem}-{digest[:12]}{p.suffix}"))
