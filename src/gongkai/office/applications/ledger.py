"""Reading an Excel 台账 (ledger of applications) and validating every row before anything is imported.

Columns are found by their header text (synonyms below, compared as normalised labels);
outcomes are matched to table-三 rows by their official labels and aliases from
``gongkai.formats``; dates may be Excel dates or text (2024-09-27, 2024年9月27日, 2024.9.27).
Each row's events are run through ``gongkai.deadlines.compute`` so that a ledger the law's
rules reject is refused here, with the sheet, row and column, in Chinese.

No cell is imported as empty unless it is empty as the clerk sees it in Excel:
- a formula cell without a calculated value, or holding an Excel error (#N/A …), refuses the
  import, naming the cell (C7): open and save the workbook in Excel, or type the value;
- a merged range down one column is filled from its top-left cell into every application row it
  covers, and the report says so per range — except in 申请编号 (each application has its own
  number: refused); a merge across two ledger columns, from a non-ledger column into one, or from
  the header row into the rows below cannot be placed without a guess and is refused;
- hidden rows holding an application are refused, named (a hidden row is usually an entry
  withdrawn but kept: delete or unhide it); a hidden sheet holding applications is refused; a
  hidden ledger column is imported and reported (hidden for printing), unless a visible column
  has the same meaning, which then wins; text in a column without a header is reported as ignored.
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

from .ledger_sheet import Sheet, address, blank, load, rows_text
from .limits import APPLICANT_MAX, CONTENT_MAX
from .models import EventKind
from .vocabulary import Channel, match_applicant_type, match_channel, match_outcome
from .writer import today

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


# ------------------------------------------------------------------ reading


def _find_header(
    rows: list, hidden_cols: set[int] = frozenset()
) -> tuple[int, dict[int, str], list[tuple[int, str | None]]] | None:
    """(row index, column index → field, unmapped columns) of the first header-like row; an unmapped
    column is (index, the field it repeats or None). A visible column wins over a hidden one."""
    for i, values in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapped: dict[int, str] = {}
        unmapped: list[tuple[int, str | None]] = []
        for j, v in enumerate(values):
            if blank(v):
                continue
            f = _HEADERS.get(normalise_label(str(v)))
            first = next((k for k, g in mapped.items() if g == f), None)
            if f is None:
                unmapped.append((j, None))
            elif first is None:
                mapped[j] = f
            elif first + 1 in hidden_cols and j + 1 not in hidden_cols:
                del mapped[first]
                mapped[j] = f
                unmapped.append((first, f))
            else:
                unmapped.append((j, f))
        if len(mapped) >= 2:
            return i, mapped, unmapped
    return None


def read_ledger(path: str | Path, *, existing_numbers: frozenset[str] = frozenset()) -> Ledger:
    """Read and validate every row of every ledger sheet; ``existing_numbers``: numbers already stored."""
    rows: list[LedgerRow] = []
    problems: list[Problem] = []
    notices: list[str] = []
    found = False
    seen: dict[str, tuple[str, int]] = {}
    for sheet in load(path):
        header = _find_header(sheet.values, sheet.hidden_cols)
        if header is None:
            if any(not blank(v) for r in sheet.values for v in r):
                kind = "隐藏的工作表" if sheet.hidden else "工作表"
                notices.append(f"{kind}“{sheet.title}”没有台账表头，已跳过")
            continue
        head_i, mapped, unmapped = header
        head = head_i + 1
        data = [r for r in range(head + 1, len(sheet.values) + 1) if sheet.has_content(r, [j + 1 for j in mapped])]
        found = True
        if sheet.hidden:
            if data:
                message = (
                    f"这是隐藏的工作表（其中有 {len(data)} 行申请）：请删除该工作表（如已不用），或取消隐藏后再导入"
                )
                problems.append(Problem(sheet.title, None, None, message))
            else:
                notices.append(f"隐藏的工作表“{sheet.title}”中没有申请，已跳过")
            continue
        notices.extend(_column_notices(sheet, head, mapped, unmapped, data))
        missing = [f for f in REQUIRED if f not in mapped.values()]
        for f in missing:
            names = "、".join(COLUMNS[f])
            problems.append(Problem(sheet.title, head, column_name(f), f"缺少必需的列（可用列名：{names}）"))
        if missing:
            continue
        fills, refused = _fill_merged(sheet, head, mapped, set(data), problems, notices)
        hidden = [r for r in data if r in sheet.hidden_rows]
        if hidden:
            message = f"{rows_text(hidden)}是隐藏行：请删除这些行（如已作废），或取消隐藏（含清除筛选）后再导入"
            problems.append(Problem(sheet.title, None, None, message))
        for n in data:
            if n in sheet.hidden_rows or n in refused or _unreadable(sheet, n, mapped, problems):
                continue
            cells = {f: fills.get((n, j + 1), sheet.value(n, j + 1)) for j, f in mapped.items()}
            row = _read_row(sheet.title, n, cells, problems)
            if row is None:
                continue
            if row.number in existing_numbers:
                problems.append(Problem(sheet.title, n, column_name("number"), f"编号 {row.number} 已在系统中"))
            elif row.number in seen:
                other, at = seen[row.number]
                message = f"编号 {row.number} 重复（与工作表“{other}”第{at}行相同）"
                problems.append(Problem(sheet.title, n, column_name("number"), message))
            else:
                seen[row.number] = (sheet.title, n)
                rows.append(row)
    if not found:
        needed = "、".join(column_name(f) for f in REQUIRED)
        problems.append(Problem("", None, None, f"没有找到台账表头：表头行应包含 {needed} 等列"))
    return Ledger(rows, problems, notices)


def _column_notices(
    sheet: Sheet, head: int, mapped: dict[int, str], unmapped: list[tuple[int, str | None]], data: list[int]
) -> list[str]:
    """What the report says about columns: ignored, hidden, repeated, or holding text without a header."""
    from openpyxl.utils import get_column_letter

    out = []
    where = f"工作表“{sheet.title}”的"
    for j, repeats in unmapped:
        text = str(sheet.value(head, j + 1)).strip()
        hidden = "隐藏" if j + 1 in sheet.hidden_cols else ""
        if repeats is None:
            out.append(f"{where}{hidden}列“{text}”未能识别，已忽略")
        else:
            out.append(
                f"{where}{hidden}列“{text}”（{get_column_letter(j + 1)}列）与另一列同为“{column_name(repeats)}”，已忽略"
            )
    for j in mapped:
        if j + 1 in sheet.hidden_cols:
            text = str(sheet.value(head, j + 1)).strip()
            out.append(f"{where}{get_column_letter(j + 1)}列“{text}”是隐藏列，其中的内容已照常导入")
    width = max((len(r) for r in sheet.values), default=0)
    for c in range(1, width + 1):
        if c - 1 in mapped or not blank(sheet.value(head, c)):
            continue
        if any(not blank(sheet.value(r, c)) or (r, c) in sheet.uncalculated for r in data):
            out.append(f"{where}{get_column_letter(c)}列没有表头，其中的内容已忽略")
    return out


def _fill_merged(
    sheet: Sheet, head: int, mapped: dict[int, str], data: set[int], problems: list[Problem], notices: list[str]
) -> tuple[dict[tuple[int, int], object], set[int]]:
    """(row, column) → the value a merged range shows there, for the rows of applications below its
    top-left cell; and the rows a merge refused as a guess covers (a problem each merge: those rows'
    cells under it are not also reported as empty)."""
    from openpyxl.utils import get_column_letter

    fields = {j + 1: f for j, f in mapped.items()}
    fills: dict[tuple[int, int], object] = {}
    refused: set[int] = set()
    for r1, c1, r2, c2 in sorted(sheet.merged):
        cols = [c for c in range(c1, c2 + 1) if c in fields]
        value = sheet.value(r1, c1)
        if r2 <= head or not cols or (blank(value) and (r1, c1) not in sheet.uncalculated):
            continue  # a title or header merge; no ledger column; empty everywhere, as shown
        ref = f"{address(r1, c1)}:{address(r2, c2)}"
        names = "".join(f"“{column_name(fields[c])}”" for c in cols)
        column = None
        if r1 <= head:
            message = f"合并单元格 {ref} 从表头行（第{head}行）跨到了下面的行：表头只占一行，请取消合并后再导入"
        elif len(cols) > 1:
            message = f"合并单元格 {ref} 跨{names}{len(cols)}列：无法确定各列的值，请取消合并并分别填写后再导入"
        elif cols[0] != c1:
            message = f"合并单元格 {ref} 的内容在{get_column_letter(c1)}列，不在{names}列：请取消合并并分别填写后再导入"
        else:
            below = [r for r in range(r1 + 1, r2 + 1) if r in data]
            if not below or (r1, c1) in sheet.uncalculated or (r1, c1) in sheet.errors:
                continue  # one application's tall row; or the cell itself is refused
            rows = rows_text(range(r1, r2 + 1))
            if fields[c1] != "number":
                fills.update({(r, c1): value for r in below})
                notices.append(f"工作表“{sheet.title}”{rows}{names}为合并单元格，已按合并值填入")
                continue
            column = column_name("number")
            message = f"{rows}（{ref}）为合并单元格：每件申请应单独占一行、有自己的编号，请取消合并后再导入"
        problems.append(Problem(sheet.title, None, column, message))
        refused.update(r for r in range(max(r1, head + 1), r2 + 1) for c in cols if (r, c) != (r1, c1))
    return fills, refused


def _unreadable(sheet: Sheet, n: int, mapped: dict[int, str], problems: list[Problem]) -> bool:
    """Whether row ``n`` has a formula without a result or an Excel error value in a ledger column."""
    before = len(problems)
    for j, f in mapped.items():
        at = (n, j + 1)
        if at in sheet.uncalculated:
            message = f"单元格 {address(*at)} 的公式没有计算结果：请在 Excel 中打开并保存后再导入，或直接填写内容"
            problems.append(Problem(sheet.title, n, column_name(f), message))
        elif at in sheet.errors:
            message = f"单元格 {address(*at)} 是错误值 {sheet.errors[at]}（公式出错）：请改正后再导入"
            problems.append(Problem(sheet.title, n, column_name(f), message))
    return len(problems) > before


def _read_row(sheet: str, n: int, cells: dict, problems: list[Problem]) -> LedgerRow | None:
    before = len(problems)

    def bad(f: str, message: str) -> None:
        problems.append(Problem(sheet, n, column_name(f), message))

    days: dict[str, date] = {}
    for f in DATE_FIELDS:
        v = cells.get(f)
        if blank(v):
            continue
        try:
            days[f] = parse_day(v)
        except ValueError as e:
            bad(f, str(e))
        else:
            if days[f] > (now := today()):
                bad(f, f"{days[f].isoformat()} 晚于今天（{now.isoformat()}），不能登记尚未发生的事")
    number = _text(cells.get("number"))
    if not number:
        bad("number", "申请编号不能为空")
    if "received_on" not in days and blank(cells.get("received_on")):
        bad("received_on", "收到日期不能为空")
    applicant_type = ""
    if blank(cells.get("applicant_type")):
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
    if not blank(cells.get("channel")):
        channel = match_channel(_text(cells["channel"])) or ""
        if not channel:
            bad("channel", f"未知的申请方式“{_text(cells['channel'])}”，可选：{'、'.join(Channel.labels)}")
    outcome = ""
    replied = days.get("replied_on")
    has_outcome = not blank(cells.get("outcome"))
    if has_outcome and replied is None and blank(cells.get("replied_on")):
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
        if not blank(cells.get(f)):
            try:
                value = _int(cells[f])
            except ValueError as e:
                bad(f, str(e))
            else:
                if f == "extension_days":
                    ext_days = value
                else:
                    corr_days = value
    if ext_days is not None and "extension_on" not in days and blank(cells.get("extension_on")):
        bad("extension_days", "有延期天数，但没有延期日期")
    for f, limit in (("applicant_name", APPLICANT_MAX), ("content", CONTENT_MAX)):
        if len(text := _text(cells.get(f))) > limit:  # the same limits as the forms and services
            bad(f, f"不能超过{limit}字（现有{len(text)}字）")
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
