"""Excel (XLSX): report information, one sheet per official table, the text and the issues."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from ..fileio import workbook, write_cell
from ..report import SECTION_KEYS, SEVERITY_LABELS, Report
from .layout import TableLayout, default_title, tables

INFO_SHEET = "报告信息"
TEXT_SHEET = "正文"
ISSUES_SHEET = "问题"
TABLE_TOP = 2  # the table title in the first row, a blank row, then the table


def sheet_name(layout: TableLayout) -> str:
    """表二 / 表三 / 表四 from the table title, 统计表 for the legacy table."""
    head, sep, _rest = layout.title.partition("、")
    return f"表{head}" if sep else "统计表"


def render(report: Report) -> bytes:
    out = BytesIO()
    book = workbook(out, {"in_memory": True})  # every str is text: a paragraph "=HYPERLINK(…)" stays text
    fmt = _Formats(book)

    info = book.add_worksheet(INFO_SHEET)
    rows = [
        ("格式", report.format),
        ("格式名称", report.spec.name),
        ("年度", report.year),
        ("单位", report.agency or ""),
        ("标题", default_title(report)),
    ]
    _list(info, ("项目", "内容"), rows, fmt, widths=(12, 60))

    for layout in tables(report):
        table(book.add_worksheet(sheet_name(layout)), layout, fmt, report.spec.unit_required)

    headings = report.spec.sections
    text_rows = [
        (key, headings[n] if n < len(headings) else "", report.sections.get(key, ""))
        for n, key in enumerate(SECTION_KEYS)
    ]
    if report.preamble:
        text_rows.insert(0, ("preamble", "前言", report.preamble))
    _list(book.add_worksheet(TEXT_SHEET), ("部分", "标题", "内容"), text_rows, fmt, widths=(10, 36, 100))

    issue_rows = [(i.code, SEVERITY_LABELS.get(i.severity, i.severity), i.where, i.message) for i in report.issues]
    _list(book.add_worksheet(ISSUES_SHEET), ("代码", "级别", "位置", "说明"), issue_rows, fmt, widths=(20, 10, 28, 80))

    book.close()
    return out.getvalue()


def table(sheet, layout: TableLayout, fmt: _Formats, in_wan: frozenset[str] = frozenset()) -> None:
    sheet.merge_range(0, 0, 0, max(layout.n_cols - 1, 1), "", fmt.title)
    write_cell(sheet, 0, 0, layout.title, fmt.title)
    widths = [12.0] * layout.n_cols
    for c in layout.cells:
        style = {"head": fmt.head, "title": fmt.label, "label": fmt.label}.get(c.kind, fmt.value)
        if c.cell_id in in_wan:
            style = fmt.money
        data = _number(c.value) if c.cell_id and c.value is not None else c.text
        r, k = TABLE_TOP + c.row, c.col
        if c.rowspan > 1 or c.colspan > 1:
            sheet.merge_range(r, k, r + c.rowspan - 1, k + c.colspan - 1, "", style)
        write_cell(sheet, r, k, data, style)
        if c.colspan == 1 and c.kind == "label":
            widths[k] = max(widths[k], min(len(c.text) * 2.1, 40))
    for k, width in enumerate(widths):
        sheet.set_column(k, k, width)


def _number(value: int | Decimal) -> int | float:
    return float(value) if isinstance(value, Decimal) else value


def _list(sheet, header: tuple[str, ...], rows, fmt: _Formats, widths: tuple[int, ...]) -> None:
    for k, (text, width) in enumerate(zip(header, widths, strict=True)):
        write_cell(sheet, 0, k, text, fmt.head)
        sheet.set_column(k, k, width)
    for r, row in enumerate(rows, 1):
        for k, v in enumerate(row):
            write_cell(sheet, r, k, v if v is not None else "", fmt.text)
    sheet.freeze_panes(1, 0)


class _Formats:
    def __init__(self, book):
        base = {"font_name": "仿宋", "font_size": 10.5, "valign": "vcenter"}
        cell = base | {"border": 1, "text_wrap": True}
        self.title = book.add_format(base | {"font_name": "黑体", "font_size": 14, "align": "center"})
        self.head = book.add_format(cell | {"align": "center"})
        self.label = book.add_format(cell | {"align": "left"})
        self.value = book.add_format(cell | {"align": "center"})
        self.money = book.add_format(cell | {"align": "center", "num_format": 'General"万元"'})
        self.text = book.add_format(base | {"text_wrap": True, "valign": "top"})
