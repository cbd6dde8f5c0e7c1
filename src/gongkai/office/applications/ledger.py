"""Reading an Excel 台账 (ledger of applications) and validating every row before anything is imported.

Columns are found by their header text (synonyms below, compared as normalised labels);
outcomes are matched to table-三 rows by their official labels and aliases from
``gongkai.formats``; dates may be Excel dates or text (2024-09-27, 2024年9月27日, 2024.9.27).
Each row's events are run through ``gongkai.deadlines.compute`` so that a ledger the law's
rules reject is refused here, with the sheet, row and column, in Chinese.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from gongkai import deadlines
from gongkai.errors import GongkaiError
from gongkai.formats import normalise_label
from gongkai.workdays import default_calendar

from .models import EventKind
from .vocabulary import Channel, match_applicant_type, match_channel, match_outcome

# field → header synonyms; the first one is the template's header and the name used in messages
COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("申请编号", "编号", "序号", "受理编号", "登记编号", "申请序号"),
    "received_on": ("收到日期", "收到时间", "受理日期", "收到申请日期", "接收日期", "申请日期"),
    "applicant_name": ("申请人", "申请人姓名", "申请人名称", "姓名"),
    "applicant_type": ("申请人类型", "类型", "申请人类别"),
    "channel": ("申请方式", "渠道", "申请渠道", "提交方式", "收到方式"),
    "content": ("申请内容", "内容", "申请事项", "申请公开内容", "所需信息"),
    "correction_requested": ("补正告知日期", "补正日期", "告知补正日期", "补正通知日期", "发出补正日期"),
    "correction_days": ("补正期限", "补正天数", "补正期限工作日"),
    "correction_received": ("收到补正日期", "补正收到日期", "补正后收到日期", "补正完成日期"),
    "extension_on": ("延期日期", "延期", "延期批准日期", "批准延期日期", "延长日期"),
    "extension_days": ("延期天数", "延长天数", "延期工作日", "延期工作日数"),
    "consultation_started": ("征求意见开始日期", "征求意见开始", "征求意见日期", "开始征求意见日期"),
    "consultation_ended": ("征求意见结束日期", "征求意见结束", "意见反馈日期", "征求意见回复日期"),
    "replied_on": ("答复日期", "答复时间", "办结日期", "办结时间"),
    "outcome": ("办理结果", "答复结果", "处理结果", "答复类型"),
    "note": ("备注", "说明"),
}
REQUIRED = ("number", "received_on", "applicant_type", "replied_on", "outcome")
DATE_FIELDS = (
    "received_on",
    "correction_requested",
    "correction_received",
    "extension_on",
    "consultation_started",
    "consultation_ended",
    "replied_on",
)
_HEADERS = {normalise_label(s): f for f, names in COLUMNS.items() for s in names}
HEADER_SCAN_ROWS = 10


def column_name(field_name: str) -> str:
    return COLUMNS[field_name][0]


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = f"工作表“{self.sheet}”" if self.sheet else ""
        if self.row is not None:
            place += f"第{self.row}行"
        if self.column:
            place += f"“{self.column}”列"
        return f"{place}：{self.message}" if place else self.message


class LedgerRejected(GongkaiError):
    """The ledger has invalid rows: nothing was imported."""

    def __init__(self, problems: list[Problem], path: str | None = None):
        self.problems = problems
        super().__init__(f"台账有 {len(problems)} 处错误，未导入任何申请", path=path)


@dataclass
class LedgerRow:
    sheet: str
    row: int
    number: str
    received_on: date
    applicant_type: str
    channel: str = Channel.OTHER
    applicant_name: str = ""
    content: str = ""
    outcome: str = ""
    replied_on: date | None = None
    events: list[tuple[EventKind, date, dict]] = field(default_factory=list)  # after RECEIVED, in date order


@dataclass
class Ledger:
    rows: list[LedgerRow]
    problems: list[Problem]
    notices: list[str]


# ------------------------------------------------------------------ values

_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_day(value) -> date:
    """A date from an Excel cell: a date, an Excel serial number, or text such as 2024年9月27日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # an Excel serial day (1954–2119) in a cell formatted as a number
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise ValueError(f"“{value}”不是日期")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if not m:
        raise ValueError(f"“{value}”不是日期，应写成 2024-09-27、2024年9月27日或2024.9.27")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"“{value}”不是有效日期") from None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip() if not isinstance(value, str) else value.strip()


def _int(value) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    text = normalise_label(_text(value)).removesuffix("个工作日").removesuffix("工作日").removesuffix("天")
    if text.isdigit():
        return int(text)
    raise ValueError(f"“{value}”不是整数天数")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------------ reading


def _find_header(rows: list[tuple]) -> tuple[int, dict[int, str], list[str]] | None:
    """(row index, column index → field, unmapped header texts) of the first header-like row."""
    for i, values in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapped: dict[int, str] = {}
        unmapped: list[str] = []
        for j, v in enumerate(values):
            if _blank(v):
                continue
            f = _HEADERS.get(normalise_label(str(v)))
            if f is not None and f not in mapped.values():
                mapped[j] = f
            else:
                unmapped.append(str(v).strip())
        if len(mapped) >= 2:
            return i, mapped, unmapped
    return None


def read_ledger(path: str | Path, *, existing_numbers: frozenset[str] = frozenset()) -> Ledger:
    """Read and validate every row of every ledger sheet; ``existing_numbers``: numbers already stored."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise GongkaiError("文件不存在", path=str(path)) from None
    except Exception as e:  # openpyxl raises many kinds for a file that is not xlsx
        raise GongkaiError(f"无法读取 Excel 文件（{type(e).__name__}），请确认是 .xlsx 格式", path=str(path)) from None
    rows: list[LedgerRow] = []
    problems: list[Problem] = []
    notices: list[str] = []
    found = False
    seen: dict[str, tuple[str, int]] = {}
    try:
        for ws in wb.worksheets:
            values = [tuple(r) for r in ws.iter_rows(values_only=True)]
            header = _find_header(values)
            if header is None:
                if any(not _blank(v) for r in values for v in r):
                    notices.append(f"工作表“{ws.title}”没有台账表头，已跳过")
                continue
            found = True
            head_i, mapped, unmapped = header
            for text in unmapped:
                notices.append(f"工作表“{ws.title}”的列“{text}”未能识别，已忽略")
            missing = [f for f in REQUIRED if f not in mapped.values()]
            for f in missing:
                names = "、".join(COLUMNS[f])
                problems.append(Problem(ws.title, head_i + 1, column_name(f), f"缺少必需的列（可用列名：{names}）"))
            if missing:
                continue
            for i in range(head_i + 1, len(values)):
                cells = {f: values[i][j] if j < len(values[i]) else None for j, f in mapped.items()}
                if all(_blank(v) for v in cells.values()):
                    continue
                row = _read_row(ws.title, i + 1, cells, problems)
                if row is None:
                    continue
                if row.number in existing_numbers:
                    problems.append(Problem(ws.title, i + 1, column_name("number"), f"编号 {row.number} 已在系统中"))
                elif row.number in seen:
                    sheet, at = seen[row.number]
                    problems.append(
                        Problem(
                            ws.title,
                            i + 1,
                            column_name("number"),
                            f"编号 {row.number} 重复（与工作表“{sheet}”第{at}行相同）",
                        )
                    )
                else:
                    seen[row.number] = (ws.title, i + 1)
                    rows.append(row)
    finally:
        wb.close()
    if not found:
        needed = "、".join(column_name(f) for f in REQUIRED)
        problems.append(Problem("", None, None, f"没有找到台账表头：表头行应包含 {needed} 等列"))
    return Ledger(rows, problems, notices)


def _read_row(sheet: str, n: int, cells: dict, problems: list[Problem]) -> LedgerRow | None:
    before = len(problems)

    def bad(f: str, message: str) -> None:
        problems.append(Problem(sheet, n, column_name(f), message))

    days: dict[str, date] = {}
    for f in DATE_FIELDS:
        v = cells.get(f)
        if _blank(v):
            continue
        try:
            days[f] = parse_day(v)
        except ValueError as e:
            bad(f, str(e))
    number = _text(cells.get("number"))
    if not number:
        bad("number", "申请编号不能为空")
    if "received_on" not in days and _blank(cells.get("received_on")):
        bad("received_on", "收到日期不能为空")
    applicant_type = ""
    if _blank(cells.get("applicant_type")):
        bad("applicant_type", "申请人类型不能为空")
    else:
        applicant_type = match_applicant_type(_text(cells["applicant_type"])) or ""
        if not applicant_type:
            from .vocabulary import ApplicantType

            bad(
                "applicant_type",
                f"未知的申请人类型“{_text(cells['applicant_type'])}”，可选：{'、'.join(ApplicantType.labels)}",
            )
    channel = Channel.OTHER.value
    if not _blank(cells.get("channel")):
        channel = match_channel(_text(cells["channel"])) or ""
        if not channel:
            bad("channel", f"未知的申请方式“{_text(cells['channel'])}”，可选：{'、'.join(Channel.labels)}")
    outcome = ""
    replied = days.get("replied_on")
    has_outcome = not _blank(cells.get("outcome"))
    if has_outcome and replied is None and _blank(cells.get("replied_on")):
        bad("replied_on", "已填写办理结果，但没有答复日期")
        text = _text(cells["outcome"])
        if not (match_outcome(text, 2021) or match_outcome(text, 2020)):  # either official format
            bad("outcome", f"办理结果“{text}”不是表三的办理结果之一")
    if replied is not None and not has_outcome:
        bad("outcome", "已填写答复日期，但没有办理结果")
    if has_outcome and replied is not None:
        text = _text(cells["outcome"])
        try:
            outcome = match_outcome(text, replied.year) or ""
        except GongkaiError as e:
            bad("replied_on", str(e))
        else:
            if not outcome:
                bad("outcome", f"办理结果“{text}”不是{replied.year}年适用的表三办理结果之一")
    ext_days = corr_days = None
    for f in ("extension_days", "correction_days"):
        if not _blank(cells.get(f)):
            try:
                value = _int(cells[f])
            except ValueError as e:
                bad(f, str(e))
            else:
                if f == "extension_days":
                    ext_days = value
                else:
                    corr_days = value
    if ext_days is not None and "extension_on" not in days and _blank(cells.get("extension_on")):
        bad("extension_days", "有延期天数，但没有延期日期")
    if len(problems) > before:
        return None

    row = LedgerRow(
        sheet=sheet,
        row=n,
        number=number,
        received_on=days["received_on"],
        applicant_type=applicant_type,
        channel=channel,
        applicant_name=_text(cells.get("applicant_name")),
        content=_text(cells.get("content")),
        outcome=outcome,
        replied_on=replied,
    )
    events: list[tuple[int, EventKind, date, dict, str]] = []
    if "correction_requested" in days:
        data = {"days": corr_days} if corr_days else {}
        events.append((1, EventKind.CORRECTION_REQUESTED, days["correction_requested"], data, "correction_requested"))
    if "correction_received" in days:
        events.append((2, EventKind.CORRECTION_RECEIVED, days["correction_received"], {}, "correction_received"))
    if "extension_on" in days:
        data = {"days": ext_days or deadlines.LAW.max_extension_days, "source": "台账导入"}
        events.append((3, EventKind.EXTENSION_APPROVED, days["extension_on"], data, "extension_on"))
    if "consultation_started" in days:
        events.append((4, EventKind.CONSULTATION_STARTED, days["consultation_started"], {}, "consultation_started"))
    if "consultation_ended" in days:
        events.append((5, EventKind.CONSULTATION_ENDED, days["consultation_ended"], {}, "consultation_ended"))
    if replied is not None:
        from .services import ABANDONING

        kind = EventKind.ABANDONED if outcome in ABANDONING else EventKind.REPLIED
        events.append((9, kind, replied, {"outcome": outcome}, "replied_on"))
    events.sort(key=lambda e: (e[2], e[0]))
    for _, _kind, day, _, f in events:
        if day < row.received_on:
            bad(f, f"{day.isoformat()} 早于收到日期 {row.received_on.isoformat()}")
    if len(problems) > before:
        return None
    received = [
        deadlines.Event(deadlines.EventKind.RECEIVED, row.received_on, channel=Channel(channel).deadline_channel)
    ]
    ledger = received + [
        deadlines.Event(deadlines.EventKind(k.value), d, days=data.get("days")) for _, k, d, data, _ in events
    ]
    try:
        deadlines.compute(ledger, default_calendar())
    except GongkaiError as e:
        problems.append(Problem(sheet, n, None, f"办理过程不符合规定：{e}"))
        return None
    row.events = [(k, d, data) for _, k, d, data, _ in events]
    return row
