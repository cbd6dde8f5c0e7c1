"""The ledger import never blanks a cell the clerk sees filled: formulas Excel never calculated and
Excel errors are refused by cell, merged ranges are filled from their top-left cell and reported (or
refused where filling would be a guess), hidden rows and sheets holding applications are refused.
Workbooks are made here with openpyxl, which writes formulas without calculated values."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from gongkai.office.applications.ledger import LedgerRejected
from gongkai.office.applications.models import Application, ApplicationEvent
from gongkai.office.applications.services import LedgerInput, import_ledger

from .test_cli import cli_db, run  # noqa: F401  (cli_db is a fixture)

HEADER = [
    "申请编号",
    "收到日期",
    "申请人",
    "申请人类型",
    "申请方式",
    "申请内容",
    "答复日期",
    "办理结果",
    "经办人",
    "备注",
]
#          A           B           C         D             E           F           G           H           I         J


def _row(n: int, **changes) -> list:
    cells = {
        "A": f"A{n}",
        "B": "2025-03-03",
        "C": f"申请人{n}",
        "D": "自然人",
        "E": "当面",
        "F": "某项政府信息",
        "G": "2025-03-20",
        "H": "予以公开",
        "I": "李四",
        "J": None,
    }
    cells.update(changes)
    return list(cells.values())


def _book(rows: int = 6) -> tuple[Workbook, object]:
    """A ledger with its header in row 1 and applications A2… in rows 2 to ``rows + 1``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(HEADER)
    for n in range(2, rows + 2):
        ws.append(_row(n))
    return wb, ws


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _import(staff, agency, path: Path):
    return import_ledger(staff, LedgerInput(agency=agency, path=str(path)))


def _refused(staff, agency, path: Path) -> list[str]:
    with pytest.raises(LedgerRejected) as info:
        _import(staff, agency, path)
    assert "未导入任何申请" in str(info.value)
    assert Application.objects.count() == 0
    assert ApplicationEvent.objects.count() == 0
    return [str(p) for p in info.value.problems]


def _as_excel_saved(path: Path, cell: str, value: str, t: str = "str") -> Path:
    """Give formula ``cell`` the calculated value Excel stores beside it (``<v>``)."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml, count = re.subn(
        rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?',
        rf'<c r="{cell}"\1 t="{t}"><f>\2</f><v>{value}</v>',
        parts[name].decode(),
    )
    assert count == 1
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in parts.items():
            z.writestr(part, data)
    return path


def _names() -> dict[str, str]:
    return dict(Application.objects.values_list("number", "applicant_name"))


# ------------------------------------------------------------------ formulas and Excel errors

FORMULA = "工作表“台账”第7行“申请人”列：单元格 C7 的公式没有计算结果：请在 Excel 中打开并保存后再导入，或直接填写内容"


def test_formula_without_calculated_value_is_refused_naming_the_cell(tmp_path, staff, agency):
    wb, ws = _book()
    ws["C7"] = '=I7&"（代）"'
    assert _refused(staff, agency, _save(wb, tmp_path / "f.xlsx")) == [FORMULA]


def test_a_row_of_uncalculated_formulas_alone_is_not_skipped_as_empty(tmp_path, staff, agency):
    wb, ws = _book(2)
    ws["A9"] = '="GK-"&ROW()'
    problems = _refused(staff, agency, _save(wb, tmp_path / "f.xlsx"))
    assert problems == [
        "工作表“台账”第9行“申请编号”列：单元格 A9 的公式没有计算结果：请在 Excel 中打开并保存后再导入，或直接填写内容"
    ]


def test_formula_saved_by_excel_imports_its_value_and_an_empty_result_is_empty(tmp_path, staff, agency):
    wb, ws = _book()
    ws["C7"] = '=I7&"（代）"'
    ws["F6"] = '=IF(I6="","","")'
    path = _save(wb, tmp_path / "f.xlsx")
    _as_excel_saved(path, "C7", "李四（代）")
    _as_excel_saved(path, "F6", "")  # Excel shows an empty cell: an empty value the clerk sees
    result = _import(staff, agency, path)
    assert result.imported == 6
    assert _names()["A7"] == "李四（代）"
    assert Application.objects.get(number="A6").content == ""


def test_excel_error_value_is_refused(tmp_path, staff, agency):
    wb, ws = _book()
    ws["C6"] = "#N/A"
    assert _refused(staff, agency, _save(wb, tmp_path / "e.xlsx")) == [
        "工作表“台账”第6行“申请人”列：单元格 C6 是错误值 #N/A（公式出错）：请改正后再导入"
    ]


def test_formulas_outside_the_ledger_columns_do_not_matter(tmp_path, staff, agency):
    wb, ws = _book()
    ws["I5"] = "=G5-B5"  # 经办人 is not a ledger column: reported as ignored, as before
    assert _import(staff, agency, _save(wb, tmp_path / "f.xlsx")).imported == 6


# ------------------------------------------------------------------ merged cells


def test_merged_applicant_is_filled_down_and_reported(tmp_path, staff, agency):
    wb, ws = _book()
    ws["C5"] = "张三"
    ws.merge_cells("C5:C7")
    ws.merge_cells("G3:G4")  # one reply date for two applications
    ws.merge_cells("H3:H4")
    result = _import(staff, agency, _save(wb, tmp_path / "m.xlsx"))
    assert result.imported == 6
    assert "工作表“台账”第5至7行“申请人”为合并单元格，已按合并值填入" in result.notices
    assert "工作表“台账”第3至4行“答复日期”为合并单元格，已按合并值填入" in result.notices
    assert "工作表“台账”第3至4行“办理结果”为合并单元格，已按合并值填入" in result.notices
    names = _names()
    assert [names[f"A{n}"] for n in (4, 5, 6, 7)] == ["申请人4", "张三", "张三", "张三"]
    four = Application.objects.get(number="A4")
    assert (four.replied_on, four.outcome) == (date(2025, 3, 20), "granted")


def test_merged_number_is_refused(tmp_path, staff, agency):
    wb, ws = _book()
    ws.merge_cells("A5:A7")
    assert _refused(staff, agency, _save(wb, tmp_path / "m.xlsx")) == [
        "工作表“台账”“申请编号”列：第5至7行（A5:A7）为合并单元格：每件申请应单独占一行、有自己的编号，请取消合并后再导入"
    ]


def test_one_application_in_a_tall_merged_row_is_imported_once(tmp_path, staff, agency):
    wb, ws = _book(2)
    for col in "ABCDEFGH":
        ws.merge_cells(f"{col}3:{col}4")  # row 4 holds nothing of its own
    result = _import(staff, agency, _save(wb, tmp_path / "m.xlsx"))
    assert result.imported == 2
    assert not [n for n in result.notices if "合并" in n]


@pytest.mark.parametrize(
    ("merge", "expected"),
    [
        (
            "C5:D5",
            "工作表“台账”：合并单元格 C5:D5 跨“申请人”“申请人类型”2列：无法确定各列的值，请取消合并并分别填写后再导入",
        ),
        ("I5:J6", "工作表“台账”：合并单元格 I5:J6 的内容在I列，不在“备注”列：请取消合并并分别填写后再导入"),
        ("C1:C3", "工作表“台账”：合并单元格 C1:C3 从表头行（第1行）跨到了下面的行：表头只占一行，请取消合并后再导入"),
    ],
)
def test_merges_that_would_need_a_guess_are_refused(tmp_path, staff, agency, merge, expected):
    wb, ws = _book()
    ws.merge_cells(merge)
    assert _refused(staff, agency, _save(wb, tmp_path / "m.xlsx")) == [expected]  # covered cells: no more noise


# ------------------------------------------------------------------ hidden rows, columns and sheets


def test_hidden_rows_are_refused_by_number(tmp_path, staff, agency):
    wb, ws = _book()
    for n in (4, 6, 7, 12):  # row 12 is empty: nothing hidden there
        ws.row_dimensions[n].hidden = True
    assert _refused(staff, agency, _save(wb, tmp_path / "h.xlsx")) == [
        "工作表“台账”：第4、6至7行是隐藏行：请删除这些行（如已作废），或取消隐藏（含清除筛选）后再导入"
    ]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheet_with_applications_is_refused(tmp_path, staff, agency, state):
    wb, _ = _book()
    old = wb.create_sheet("旧台账")
    old.append(HEADER)
    old.append(_row(100))
    old.append(_row(101))
    old.sheet_state = state
    assert _refused(staff, agency, _save(wb, tmp_path / "s.xlsx")) == [
        "工作表“旧台账”：这是隐藏的工作表（其中有 2 行申请）：请删除该工作表（如已不用），或取消隐藏后再导入"
    ]


def test_a_ledger_only_in_a_hidden_sheet_is_refused_as_hidden(tmp_path, staff, agency):
    wb, ws = _book(1)
    ws.sheet_state = "hidden"
    wb.create_sheet("封面").append(["某县交通运输局政府信息公开申请台账"])
    wb.active = 1
    assert _refused(staff, agency, _save(wb, tmp_path / "s.xlsx")) == [
        "工作表“台账”：这是隐藏的工作表（其中有 1 行申请）：请删除该工作表（如已不用），或取消隐藏后再导入"
    ]


def test_hidden_sheets_without_applications_are_reported_and_skipped(tmp_path, staff, agency):
    wb, _ = _book()
    options = wb.create_sheet("选项")
    options.append(["自然人"])
    options.sheet_state = "hidden"
    empty = wb.create_sheet("旧表头")
    empty.append(HEADER)
    empty.sheet_state = "hidden"
    result = _import(staff, agency, _save(wb, tmp_path / "s.xlsx"))
    assert result.imported == 6
    assert "隐藏的工作表“选项”没有台账表头，已跳过" in result.notices
    assert "隐藏的工作表“旧表头”中没有申请，已跳过" in result.notices


def test_hidden_column_is_imported_and_reported(tmp_path, staff, agency):
    wb, ws = _book()
    ws.column_dimensions["C"].hidden = True
    result = _import(staff, agency, _save(wb, tmp_path / "c.xlsx"))
    assert result.imported == 6
    assert "工作表“台账”的C列“申请人”是隐藏列，其中的内容已照常导入" in result.notices
    assert _names()["A2"] == "申请人2"


def test_a_visible_column_wins_over_a_hidden_one_of_the_same_meaning(tmp_path, staff, agency):
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["申请编号", "收到日期", "申请人类型", "处理结果", "答复日期", "办理结果"])
    ws.append(["B1", "2025-03-03", "自然人", "满意", "2025-03-20", "予以公开"])
    ws.column_dimensions["D"].hidden = True  # an old outcome column, kept hidden
    result = _import(staff, agency, _save(wb, tmp_path / "c.xlsx"))
    assert Application.objects.get(number="B1").outcome == "granted"
    assert "工作表“台账”的隐藏列“处理结果”（D列）与另一列同为“办理结果”，已忽略" in result.notices


def test_text_in_a_column_without_header_is_reported(tmp_path, staff, agency):
    wb, ws = _book()
    ws["K4"] = "已电话告知"
    result = _import(staff, agency, _save(wb, tmp_path / "k.xlsx"))
    assert "工作表“台账”的K列没有表头，其中的内容已忽略" in result.notices


# ------------------------------------------------------------------ through the command line


def test_cli_refuses_with_exit_2_naming_cells_and_rows(tmp_path, cli_db):  # noqa: F811
    wb, ws = _book()
    ws["C7"] = '=I7&"（代）"'
    ws.row_dimensions[4].hidden = True
    old = wb.create_sheet("旧台账")
    old.append(HEADER)
    old.append(_row(100))
    old.sheet_state = "hidden"
    r = run("import", _save(wb, tmp_path / "bad.xlsx"), "--agency", cli_db.name)
    assert r.exit_code == 2, r.output
    assert "台账有 3 处错误，未导入任何申请" in r.output
    assert FORMULA in r.output
    assert "工作表“台账”：第4行是隐藏行：请删除这些行（如已作废），或取消隐藏（含清除筛选）后再导入" in r.output
    assert "工作表“旧台账”：这是隐藏的工作表（其中有 1 行申请）" in r.output
    assert Application.objects.count() == 0


def test_cli_reports_merged_fill(tmp_path, cli_db):  # noqa: F811
    wb, ws = _book()
    ws["C5"] = "张三"
    ws.merge_cells("C5:C7")
    r = run("import", _save(wb, tmp_path / "m.xlsx"), "--agency", cli_db.name)
    assert r.exit_code == 0, r.output
    assert "提示：工作表“台账”第5至7行“申请人”为合并单元格，已按合并值填入" in r.output
    assert "已导入 6 件申请" in r.output
    assert _names()["A7"] == "张三"


def test_texts_over_the_length_limits_are_refused_by_cell(tmp_path, staff, agency):
    """The same limits as the forms and the API: applicant 100, content 2000 characters."""
    wb, ws = _book()
    ws["C3"] = "张" * 101
    ws["F5"] = "某" * 2001
    problems = _refused(staff, agency, _save(wb, tmp_path / "long.xlsx"))
    assert any("第3行“申请人”列" in p and "不能超过100字（现有101字）" in p for p in problems), problems
    assert any("第5行“申请内容”列" in p and "不能超过2000字（现有2001字）" in p for p in problems), problems
