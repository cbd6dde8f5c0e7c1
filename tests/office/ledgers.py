"""Generated Excel ledgers with known contents, for the import and report tests."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from gongkai.formats import GB2021
from gongkai.office.applications.vocabulary import applicant_columns, applicant_label, outcome_label, outcome_rows

# header text per field, with some synonyms a real ledger uses
HEADERS = {
    "number": "编号",
    "received_on": "受理日期",
    "applicant_name": "申请人姓名",
    "applicant_type": "类型",
    "channel": "渠道",
    "content": "申请内容",
    "correction_requested": "补正日期",
    "correction_days": "补正期限（工作日）",
    "correction_received": "收到补正日期",
    "extension_on": "延期",
    "extension_days": "延期天数",
    "consultation_started": "征求意见开始",
    "consultation_ended": "征求意见结束",
    "replied_on": "答复日期",
    "outcome": "处理结果",
    "handler": "经办人",  # not a ledger column: reported, ignored
}


@dataclass
class Generated:
    number: str
    applicant_type: str
    received_on: date
    replied_on: date | None
    outcome: str | None
    cells: dict = field(default_factory=dict)


def _date_cell(rng: random.Random, d: date):
    form = rng.randrange(4)
    if form == 0:
        return d
    if form == 1:
        return d.isoformat()
    if form == 2:
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.year}.{d.month}.{d.day}"


def _outcome_text(rng: random.Random, row) -> str:
    forms = [outcome_label(row), row.label, *row.aliases]
    if "." in row.key:
        forms.append(f"{row.group} {row.label}")
    return rng.choice(forms)


def generate(n: int, seed: int = 2025) -> list[Generated]:
    """``n`` applications received from 2024-09 to 2026-01, most replied, some after extensions,
    补正 or consultations, with outcomes from gb2021's table 三."""
    rng = random.Random(seed)
    cols = applicant_columns()
    rows = outcome_rows(GB2021)
    channels = ["当面", "邮寄", "信函", "网络", "互联网", "传真", "其他", ""]
    out = []
    start = date(2024, 9, 1)
    for i in range(n):
        col = rng.choice(cols)
        received = start + timedelta(days=rng.randrange(510))
        cells = {
            "number": f"GK-{i + 1:04d}",
            "received_on": _date_cell(rng, received),
            "applicant_name": f"申请人{i}",
            "applicant_type": rng.choice([applicant_label(col), col.label]),
            "channel": rng.choice(channels),
            "content": "某项政府信息",
            "handler": "李四",
        }
        day = received
        if rng.random() < 0.1:
            day += timedelta(days=2)
            cells["correction_requested"] = _date_cell(rng, day)
            cells["correction_days"] = 10
            day += timedelta(days=5)
            cells["correction_received"] = _date_cell(rng, day)
        if rng.random() < 0.1:
            day += timedelta(days=3)
            cells["consultation_started"] = _date_cell(rng, day)
            day += timedelta(days=4)
            cells["consultation_ended"] = _date_cell(rng, day)
        if rng.random() < 0.15:
            day += timedelta(days=2)
            cells["extension_on"] = _date_cell(rng, day)
            cells["extension_days"] = rng.choice([None, 10, 20])
        replied = outcome = None
        if rng.random() < 0.8:
            replied = day + timedelta(days=rng.randrange(1, 45))
            row = rng.choice(rows)
            outcome = row.key
            cells["replied_on"] = _date_cell(rng, replied)
            cells["outcome"] = _outcome_text(rng, row)
        out.append(Generated(cells["number"], col.key, received, replied, outcome, cells))
    return out


def write_ledger(
    path: Path, rows: list[dict], headers: dict[str, str] = HEADERS, title: str | None = "申请台账"
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    if title:
        ws.append([title])
    fields = list(headers)
    ws.append([headers[f] for f in fields])
    for r in rows:
        ws.append([r.get(f) for f in fields])
    notes = wb.create_sheet("说明")
    notes.append(["本表由测试生成"])
    wb.save(path)
    return path


def expected_t3(apps: list[Generated], year: int) -> dict[str, int]:
    """Table 三 of ``year`` counted directly from the generated applications."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    cols = [c.key for c in applicant_columns()]
    keys = ["new", "carried_in", *(r.key for r in outcome_rows(GB2021)), "total", "carried_out"]
    cells = {f"t3.{k}.{c}": 0 for k in keys for c in [*cols, "total"]}

    def add(row: str, col: str) -> None:
        cells[f"t3.{row}.{col}"] += 1
        cells[f"t3.{row}.total"] += 1

    for a in apps:
        open_at = lambda d, a=a: a.replied_on is None or a.replied_on > d  # noqa: E731
        if start <= a.received_on <= end:
            add("new", a.applicant_type)
        if a.received_on < start and open_at(start - timedelta(days=1)):
            add("carried_in", a.applicant_type)
        if a.replied_on is not None and start <= a.replied_on <= end:
            add(a.outcome, a.applicant_type)
            add("total", a.applicant_type)
        if a.received_on <= end and open_at(end):
            add("carried_out", a.applicant_type)
    return cells
