"""Word (DOCX): official fonts and real tables with merged cells (python-docx)."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from ..fileio import xml_text
from ..report import Report
from .layout import TableLayout, document

TABLE_STYLE = "表格文字"
_TEXT_WIDTH_CM = 15.6  # A4 less the margins of 党政机关公文格式
_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def render(report: Report) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _styles(doc)
    for kind, item in document(report):
        if kind == "title":
            doc.core_properties.title = xml_text(str(item))
            doc.add_paragraph(xml_text(str(item)), style="Title")
        elif kind == "h2":
            doc.add_paragraph(xml_text(str(item)), style="Heading 1")
        elif kind == "p":
            doc.add_paragraph(xml_text(str(item)), style="Normal")
        else:
            table(doc, item)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def table(doc, layout: TableLayout) -> None:
    t = doc.add_table(rows=layout.n_rows, cols=layout.n_cols)
    t.style = "Table Grid"
    t.autofit = False
    weights = _weights(layout)
    widths = [Cm(_TEXT_WIDTH_CM * w / sum(weights)) for w in weights]
    for grid_col, width in zip(t._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = width
    # The cells' XML elements, taken before any merge: python-docx's ``Table.cell`` walks
    # the whole table on every call, which made a 表三 take seconds.
    tcs = [list(tr.tc_lst) for tr in t._tbl.tr_lst]
    for row in tcs:
        for tc, width in zip(row, widths, strict=True):
            tc.width = width
    style_id = doc.styles[TABLE_STYLE].style_id
    for c in layout.cells:
        cell = _Cell(tcs[c.row][c.col], t)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(_Cell(tcs[c.row + c.rowspan - 1][c.col + c.colspan - 1], t))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p._p.get_or_add_pPr().style = style_id
        p.text = xml_text(c.text)
        if c.kind in ("head", "value"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    margins = t._tbl.tblPr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):
        margins.append(margins.makeelement(qn(f"w:{side}"), {qn("w:w"): "57", qn("w:type"): "dxa"}))
    look = t._tbl.tblPr.find(qn("w:tblLook"))  # schema order: tblCellMar comes before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        t._tbl.tblPr.append(margins)
    for r in range(min(_header_rows(layout), layout.n_rows)):
        tr_pr = t.rows[r]._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
    doc.add_paragraph("", style="Normal")


def _weights(layout: TableLayout) -> list[int]:
    """Relative column widths: the longest text standing in a single column, within bounds."""
    weights = [6] * layout.n_cols
    for c in layout.cells:
        if c.colspan == 1:
            weights[c.col] = max(weights[c.col], min(len(c.text), 12))
    return weights


def _header_rows(layout: TableLayout) -> int:
    """Rows at the top that hold only column headers (repeated on each page)."""
    n = 0
    for row in layout.rows:
        if not row or any(c.kind != "head" for c in row):
            break
        n += 1
    return n


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _font(normal, "仿宋_GB2312", 16)
    normal.paragraph_format.first_line_indent = Pt(32)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)

    title = doc.styles["Title"]
    _font(title, "方正小标宋简体", 22)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.space_after = Pt(16)
    _drop(title.element.get_or_add_pPr(), "w:pBdr")

    heading = doc.styles["Heading 1"]
    _font(heading, "黑体", 16)
    heading.paragraph_format.first_line_indent = Pt(32)
    heading.paragraph_format.space_before = Pt(8)
    heading.paragraph_format.space_after = Pt(8)

    cell = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.style_id = "TableText"
    cell.base_style = normal
    _font(cell, "仿宋", 10.5)
    cell.paragraph_format.first_line_indent = Pt(0)
    cell.paragraph_format.line_spacing = 1.0


def _font(style, name: str, size: float) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in _THEME_FONTS:
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _drop(parent, tag: str) -> None:
    for el in parent.findall(qn(tag)):
        parent.remove(el)
