"""The one mapping step: a Document (text blocks + grids) → a Report.

Readers never map labels; this package does, using only the format description:
``detect`` (which format), ``grid`` (table rows by their labels), ``meta`` (title, agency,
year), ``sections`` (the six parts of the text).
"""

from __future__ import annotations

from ..formats import Table
from ..ingest.model import Document
from ..report import Issue, Report
from .bounds import invalid_numbers
from .detect import detect_format
from .grid import Ctx, label_index, map_grid
from .meta import find_agency, find_year, title_and_agency
from .script import simplified
from .sections import split_sections
from .stream import align

# ------------------------------------------------------------------ entry point


def extract(doc: Document) -> Report:
    doc = simplified(doc)
    paras = doc.paragraphs()
    title, title_agency, used = title_and_agency(paras)
    year = find_year(paras, title)
    agency = find_agency(paras, title_agency, doc.meta)
    fmt, other_t2 = detect_format(doc, year)
    report = Report.empty(fmt.id, year=year, agency=agency, title=title)
    body = paras[used:]
    report.sections, report.preamble = split_sections(body)
    tables = fmt.tables
    if other_t2 is not None:
        tables = tuple(other_t2 if t.key == "t2" else t for t in tables)
        report.issues.append(
            Issue(
                "format-mixed",
                "warning",
                "t2",
                f"表二采用了另一版格式的栏目，表三、表四按{fmt.name}识别；表二按其实际栏目记录",
                (),
            )
        )
        for cid in list(report.cells):
            if cid.startswith("t2."):
                del report.cells[cid]
        for cid in _ids_of(other_t2):
            report.cells[cid] = None
    if doc.unread:
        report.issues.append(
            Issue(
                "ocr-unavailable",
                "warning",
                "",
                f"{'、'.join(doc.unread)}没有文字层，未能识别（其中的表格或文字未读入）。"
                '安装文字识别组件后重新读取：pip install "gongkai[ocr]"',
                (),
            )
        )
    ctx = Ctx(fmt, report)
    idx = label_index(tables)
    for grid in doc.grids():
        map_grid(grid, ctx, idx)
    align(doc, ctx, tables)
    report.issues.extend(invalid_numbers(doc))
    return report


def _ids_of(table: Table):
    for block in table.blocks:
        for row in block.rows:
            if not row.optional:
                yield from (table.cell_id(row, col) for col in block.row_cols(row))


__all__ = ["detect_format", "extract", "split_sections"]
