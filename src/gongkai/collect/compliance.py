"""How the reports of a batch were published, from what ``collect`` recorded.

- ``late-publication``: the published date the page shows is after 《条例》第四十九条's day —
  1月31日 for a department (县级以上人民政府部门), 3月31日 for a people's government (its
  report published by the 政府信息公开工作主管部门) — of the year after the report's. The kind is
  read from the report's agency name: one ending in 人民政府 is a government.
- ``not-published``: a unit of the office's list (``--units``) with no report of the batch's
  latest year among those read.
- ``edited-after-publication``: a report collected again with different numbers: the cells
  that changed, and both snapshots (when each was fetched and where it is kept).

``findings(rows, entries, units)`` gives the issues of the reports read and the rows of the
units that have none; ``apply(root, result, units)`` adds them to a ``review`` result.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import pairwise
from pathlib import Path, PurePosixPath

from .. import law
from ..report import Issue, Report
from . import manifest as mf
from .links import report_year

CODES = frozenset({"late-publication", "not-published", "edited-after-publication"})
SHOWN_CELLS = 8  # changed cells quoted in a message; all are in the issue's cells
DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
MISSING_PREFIX = "（未发布）"


def manifest_rows(root: str | Path) -> list[dict]:
    """The rows of every ``manifest.jsonl`` under ``root`` (hidden folders left out), with
    ``file`` and ``snapshot`` made relative to ``root``."""
    root = Path(root)
    rows = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if mf.NAME not in filenames:
            continue
        prefix = Path(dirpath).relative_to(root).as_posix()
        for r in mf.read(Path(dirpath, mf.NAME)):
            for key in ("file", "snapshot"):
                if r.get(key) and prefix != ".":
                    r[key] = str(PurePosixPath(prefix, r[key]))
            rows.append(r)
    return rows


def published_on(shown: str) -> date | None:
    """The day of a published date as a page shows it (2025-01-20 10:30, 2025年1月20日 …)."""
    m = DATE_RE.search(shown or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def is_government(agency: str) -> bool:
    return re.sub(r"\s+", "", agency).endswith(law.GOVERNMENT_SUFFIX)


def due_date(year: int, government: bool) -> date:
    """第四十九条: the last day to publish the report of ``year``."""
    month, day = law.REPORT_GOVERNMENT_DUE if government else law.REPORT_DEPARTMENT_DUE
    return date(year + 1, month, day)


def findings(
    rows: Sequence[dict],
    entries: Sequence,
    units: Iterable[str] = (),
    root: str | Path | None = None,
    parse: Callable[[str], Report] | None = None,
) -> tuple[list[tuple[object, Issue]], list[tuple[str, int | None, Issue]]]:
    """The issues of the ``entries`` (review entries: ``file`` and ``report`` as a dict) that
    the manifest ``rows`` show, and (unit, year, issue) for each of ``units`` with no report.
    Snapshots are read from ``root`` with ``parse`` to compare their numbers."""
    by_file: dict[str, list[dict]] = {}
    for r in mf.saved(rows):
        by_file.setdefault(r["file"], []).append(r)
    issues: list[tuple[object, Issue]] = []
    for entry in entries:
        saved = sorted(by_file.get(entry.file, ()), key=lambda r: r.get("fetched_at", ""))
        if not saved or not entry.report:
            continue
        late = _late(entry.report, saved)
        if late:
            issues.append((entry, late))
        if root is not None and len({r.get("sha256") for r in saved}) > 1:
            issues += [(entry, i) for i in _edits(saved, Path(root), parse)]
    missing = _not_published(list(units), entries, by_file)
    return issues, missing


def _late(report: dict, saved: list[dict]) -> Issue | None:
    first = next((r for r in saved if r.get("published")), None)
    if first is None:
        return None
    shown, day = first["published"], published_on(first["published"])
    year = report.get("year") or report_year(first.get("link_text", ""))
    if day is None or not year:
        return None
    agency = (report.get("agency") or "").strip()
    article = law.article("第四十九条").cite()
    if agency:
        government = is_government(agency)
        due = due_date(year, government)
        kind = "人民政府，其年度报告" if government else "人民政府部门，"
        rule = f"{agency}是{kind}按{article}应在{due.year}年{due.month}月{due.day}日前公布{year}年度报告"
    else:  # unknown kind: late only if late for a government too
        due = due_date(year, government=True)
        rule = f"单位不详；按{article}，即使是人民政府也应在{due.year}年{due.month}月{due.day}日前公布{year}年度报告"
    if day <= due:
        return None
    return Issue(
        "late-publication",
        "warning",
        "发布日期",
        f"{rule}，页面所示发布日期为“{shown}”，晚 {(day - due).days} 天（{first['url']}）",
    )


def _edits(saved: list[dict], root: Path, parse) -> list[Issue]:
    if parse is None:
        from ..parse import parse_path as parse
    snapshots = []
    for r in saved:
        if snapshots and snapshots[-1][0].get("sha256") == r.get("sha256"):
            continue
        try:
            cells = parse(str(root / r["snapshot"])).cells if r.get("snapshot") else None
        except Exception:  # an old snapshot that cannot be read is not compared
            cells = None
        snapshots.append((r, cells))
    issues = []
    for (a, old), (b, new) in pairwise(snapshots):
        if old is None or new is None:
            continue
        changed = [c for c in dict.fromkeys([*old, *new]) if old.get(c) != new.get(c)]
        if not changed:
            continue
        shown = "、".join(f"{c} {_v(old.get(c))}→{_v(new.get(c))}" for c in changed[:SHOWN_CELLS])
        more = f"等 {len(changed)} 个单元格" if len(changed) > SHOWN_CELLS else f"共 {len(changed)} 个单元格"
        issues.append(
            Issue(
                "edited-after-publication",
                "warning",
                changed[0],
                f"发布后数字被改动：{a.get('fetched_at')} 采集的快照（{a.get('snapshot')}）与 "
                f"{b.get('fetched_at')} 采集的快照（{b.get('snapshot')}）相比，{shown}，{more}（{b['url']}）",
                tuple(changed),
            )
        )
    return issues


def _v(value) -> str:
    return "空" if value is None else str(value)


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _not_published(units: list[str], entries: Sequence, by_file: dict[str, list[dict]]):
    units = list(dict.fromkeys(u for u in (_norm(u) for u in units) if u and not u.startswith("#")))
    if not units:
        return []
    reports = []  # (year, the texts that name the unit)
    for e in entries:
        r = e.report or {}
        texts = [
            _norm(r.get("agency")),
            _norm(e.file),
            *(_norm(row.get("link_text")) for row in by_file.get(e.file, ())),
        ]
        year = r.get("year") or next((report_year(t) for t in texts if report_year(t)), None)
        reports.append((year, texts))
    years = [y for y, _ in reports if y]
    target = max(years) if years else None
    missing = []
    for unit in units:
        if any((target is None or year in (target, None)) and any(unit in t for t in texts) for year, texts in reports):
            continue
        which = f"{target}年度" if target else "年度"
        missing.append(
            (
                unit,
                target,
                Issue(
                    "not-published",
                    "warning",
                    "单位名单",
                    f"单位名单中的“{unit}”没有{which}报告：读取的报告中没有这个单位的"
                    f"（按报告中的单位名称、文件名和链接标题查找；也可能发布在未采集的栏目中，请核对）",
                ),
            )
        )
    return missing


def read_units(path: str | Path) -> list[str]:
    """The office's unit list: one unit name a line; blank lines and lines starting with # left out."""
    from ..errors import GongkaiError

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GongkaiError("单位名单文件不存在", path=str(path)) from None
    except UnicodeDecodeError:
        raise GongkaiError("单位名单文件应为 UTF-8 编码", path=str(path)) from None
    except OSError as e:
        raise GongkaiError(f"无法读取单位名单文件（{e.strerror}）", path=str(path)) from None
    return [u for u in (line.strip() for line in text.splitlines()) if u and not u.startswith("#")]


def apply(root: str | Path, result, units: Iterable[str] | None = None) -> None:
    """Add the findings to a ``review`` result: issues of the reports read beside the cross-year
    ones (re-computed each run, like them), a row for each unit with no report. Does nothing
    without a manifest under ``root`` and without ``units``."""
    rows = manifest_rows(root)
    units = list(units or ())
    if not rows and not units:
        return
    for e in result.entries:  # read back from an earlier output (--resume): found again below
        if e.report and e.report.get("issues"):
            e.report["issues"] = [i for i in e.report["issues"] if i.get("code") not in CODES]
    issues, missing = findings(rows, result.entries, units, root)
    result.cross = sorted([*result.cross, *issues], key=lambda x: x[0].file)
    entry_type = type(result.entries[0]) if result.entries else _entry_type()
    for unit, year, issue in missing:
        report = {"format": None, "year": year, "agency": unit, "title": None, "cells": {}, "issues": [issue.to_dict()]}
        result.entries.append(entry_type(f"{MISSING_PREFIX}{unit}", 0, 0, "", "warnings", report=report, n_warnings=1))


def _entry_type() -> type:
    """The batch's Entry class, where the batch code keeps it (``review`` is being split into ``batch``)."""
    try:
        from ..batch.model import Entry
    except ImportError:
        from ..review import Entry
    return Entry
