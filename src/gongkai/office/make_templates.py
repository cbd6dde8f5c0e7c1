"""Generate the shipped Excel 台账 template: ``python -m gongkai.office.make_templates``.

The headers are the ledger reader's own column names; the drop-down lists are the table-三
applicant types and outcomes from ``gongkai.formats`` and the channels — nothing is retyped.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from gongkai.formats import GB2021

TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "templates" / "ledger.xlsx"
LEDGER_SHEET = "台账"
_FIXED_TIME = datetime(2025, 1, 1)

_NOTES = (
    "政府信息公开申请台账填写说明",
    "",
    "1. 在“台账”工作表中每件申请填写一行；表头不要修改（也可使用常见同义列名，如“编号”“受理日期”“处理结果”）。",
    "2. 日期可填写为 Excel 日期，或 2024-09-27、2024年9月27日、2024.9.27 等文字。",
    "3. 申请人类型、申请方式、办理结果请从下拉列表中选择；办理结果即年度报告表三的各项办理结果。",
    "4. 已答复（办结）的申请须同时填写答复日期和办理结果；尚未办结的申请两列都留空。",
    "5. 延期须经办公室负责人同意；延期天数不填时按20个工作日计。",
    "6. 导入命令：gongkai import 台账.xlsx --agency 机关名称。任何一行有错误时，整个台账都不会导入，",
    "   并按“工作表、行、列”列出全部错误，修改后重新导入即可。",
    "",
    "示例：2024-001 | 2024-09-27 | 张三 | 自然人 | 当面 | 某项目审批文件 | … | 2024-10-30 | 予以公开",
)


def build(path: Path = TEMPLATE) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from gongkai.office import setup

    setup()
    from gongkai.office.applications.ledger import COLUMNS, DATE_FIELDS
    from gongkai.office.applications.vocabulary import ApplicantType, Channel, outcome_label, outcome_rows

    wb = Workbook()
    ws = wb.active
    ws.title = LEDGER_SHEET
    fields = list(COLUMNS)
    for j, f in enumerate(fields, start=1):
        cell = ws.cell(row=1, column=j, value=COLUMNS[f][0])
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = 30 if f in ("content", "outcome", "note") else 14
    ws.freeze_panes = "A2"

    options = wb.create_sheet("选项")
    lists = {
        "applicant_type": ("可选的申请人类型", list(ApplicantType.labels)),
        "channel": ("可选的申请方式", list(Channel.labels)),
        "outcome": ("可选的办理结果", [outcome_label(r) for r in outcome_rows(GB2021)]),
    }
    for j, (f, (title, values)) in enumerate(lists.items(), start=1):
        letter = get_column_letter(j)
        options.cell(row=1, column=j, value=title).font = Font(bold=True)
        options.column_dimensions[letter].width = 40
        for i, v in enumerate(values, start=2):
            options.cell(row=i, column=j, value=v)
        target = get_column_letter(fields.index(f) + 1)
        dv = DataValidation(
            type="list",
            formula1=f"'选项'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=False,
        )
        dv.add(f"{target}2:{target}5000")
        ws.add_data_validation(dv)
    for f in DATE_FIELDS:
        letter = get_column_letter(fields.index(f) + 1)
        for i in range(2, 501):
            ws[f"{letter}{i}"].number_format = "yyyy-mm-dd"

    notes = wb.create_sheet("说明")
    notes.column_dimensions["A"].width = 120
    for i, line in enumerate(_NOTES, start=1):
        notes.cell(row=i, column=1, value=line)
    notes["A1"].font = Font(bold=True, size=14)

    wb.properties.creator = "gongkai"
    wb.properties.title = "政府信息公开申请台账"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    out = build(Path(argv[0]) if argv else TEMPLATE)
    print(f"已生成 {out}")


if __name__ == "__main__":
    main()
