"""An Excel workbook as the clerk sees it, for the ledger reader (``ledger``).

Besides the values (``data_only``: a formula's calculated value), each sheet carries what is easy to
import wrongly: hidden rows, columns and sheets, merged ranges (openpyxl gives the value in the top-left
cell only), formula cells without a calculated value (a workbook written by a program and never opened
in Excel; ``data_only`` gives None) and Excel error values (#N/A, #REF! …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from gongkai.errors import GongkaiError

_FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")  # <f>, <f t="shared" …/>, <x:f>


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Sheet:
    """One worksheet: ``values[i][j]`` is row i+1, column j+1 (merged cells not filled in), with
    what the clerk does not see and what Excel has not calculated."""

    title: str
    hidden: bool
    values: list[list]
    hidden_rows: set[int]
    hidden_cols: set[int]
    merged: list[tuple[int, int, int, int]]  # min_row, min_col, max_row, max_col
    uncalculated: set[tuple[int, int]]  # formula cells without a calculated (cached) value
    errors: dict[tuple[int, int], str]  # cells holding an Excel error value such as #N/A

    def value(self, r: int, c: int):
        row = self.values[r - 1] if r <= len(self.values) else ()
        return row[c - 1] if c <= len(row) else None

    def has_content(self, r: int, cols) -> bool:
        return any(not blank(self.value(r, c)) or (r, c) in self.uncalculated for c in cols)


def load(path: str | Path) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)  # not read_only: merged ranges and hidden rows are needed
        uncalculated = _uncalculated_formulas(path)
    except FileNotFoundError:
        raise GongkaiError("文件不存在", path=str(path)) from None
    except Exception as e:  # openpyxl raises many kinds for a file that is not xlsx
        raise GongkaiError(f"无法读取 Excel 文件（{type(e).__name__}），请确认是 .xlsx 格式", path=str(path)) from None
    try:
        return [_sheet(ws, uncalculated.get(ws.title, set())) for ws in wb.worksheets]
    finally:
        wb.close()


def _sheet(ws, uncalculated: set[tuple[int, int]]) -> Sheet:
    from openpyxl.utils import column_index_from_string

    values: list[list] = []
    errors: dict[tuple[int, int], str] = {}
    for cells in ws.iter_rows():
        values.append([c.value for c in cells])
        for c in cells:
            if c.data_type == "e" and c.value is not None:
                errors[(c.row, c.column)] = str(c.value)
    hidden_rows = {r for r, d in ws.row_dimensions.items() if d.hidden or d.height == 0}
    hidden_cols: set[int] = set()
    for d in ws.column_dimensions.values():
        if d.hidden:
            low = d.min or column_index_from_string(d.index)
            hidden_cols.update(range(low, max(d.max or low, low) + 1))
    merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    hidden = ws.sheet_state != "visible"  # hidden or veryHidden
    return Sheet(ws.title, hidden, values, hidden_rows, hidden_cols, merged, uncalculated, errors)


def _uncalculated_formulas(path: str | Path) -> dict[str, set[tuple[int, int]]]:
    """Sheet title → (row, column) of each formula cell without a calculated value, from the sheet XML.

    openpyxl's ``data_only`` gives None both for such a cell (written by a program, never opened in
    Excel: no ``<v>``, or an empty one) and for a formula whose result is empty text (``t="str"``,
    ``<v></v>``), which is a real, empty value.
    """
    from xml.etree.ElementTree import iterparse

    from openpyxl.reader.excel import ExcelReader
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.xml.constants import SHEET_MAIN_NS

    row_tag, c_tag, f_tag, v_tag = (f"{{{SHEET_MAIN_NS}}}{t}" for t in ("row", "c", "f", "v"))
    reader = ExcelReader(path, read_only=True)
    found: dict[str, set[tuple[int, int]]] = {}
    try:
        reader.read_manifest()
        reader.read_workbook()
        for sheet, rel in reader.parser.find_sheets():
            if rel.target not in reader.valid_files or not rel.Type.endswith("/worksheet"):
                continue
            cells = found.setdefault(sheet.name, set())
            xml = reader.archive.read(rel.target)
            if not _FORMULA_TAG.search(xml):
                continue  # no formula at all, the usual ledger: not worth parsing
            r = c = 0
            for event, el in iterparse(BytesIO(xml), events=("start", "end")):
                if event == "start":
                    if el.tag == row_tag:
                        r, c = int(el.get("r") or r + 1), 0
                elif el.tag == c_tag:
                    ref = el.get("r")
                    r, c = coordinate_to_tuple(ref) if ref else (r, c + 1)
                    cached = el.findtext(v_tag)
                    if el.find(f_tag) is not None and (cached is None or (cached == "" and el.get("t") != "str")):
                        cells.add((r, c))
                elif el.tag == row_tag:
                    el.clear()
    finally:
        reader.archive.close()
    return found


def address(r: int, c: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(c)}{r}"


def rows_text(rows) -> str:
    """第5、8至9行"""
    spans: list[list[int]] = []
    for r in sorted(rows):
        if spans and r == spans[-1][1] + 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    return "第" + "、".join(str(a) if a == b else f"{a}至{b}" for a, b in spans) + "行"
