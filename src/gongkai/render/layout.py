"""The official layout of a report, shared by every renderer.

A ``Report``'s format (``gongkai.formats``) is turned into abstract tables of placed
cells (row, column, rowspan, colspan), laid out like the official tables, and the whole
report into a flat sequence of blocks (title, headings, paragraphs, tables).  The
renderers only translate these into their carrier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..formats import SECTIONS, Block, Row, Table
from ..report import SECTION_KEYS, Report, Value


@dataclass
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    kind: str = "value"  # title (block title), head (column header), label (row label), value
    value: Value = None  # the number of a value cell
    cell_id: str = ""  # the cell id of a value cell

    @property
    def is_header(self) -> bool:
        return self.kind in ("title", "head")


@dataclass
class TableLayout:
    key: str  # t2, t3, t4, legacy
    title: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.colspan for c in self.cells), default=0)

    @property
    def rows(self) -> list[list[Cell]]:
        """The cells starting in each row, left to right (as an HTML table lists them)."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out

    def grid(self) -> list[list[Cell | None]]:
        """Every position of the table with the cell covering it."""
        out: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    out[r][k] = c
        return out

    def add(self, text: str, row: int, col: int, **kw) -> Cell:
        cell = Cell(text, row, col, **kw)
        self.cells.append(cell)
        return cell


def default_title(report: Report) -> str:
    if report.title:
        return report.title
    year = f"{report.year}年" if report.year is not None else ""
    return f"{report.agency or ''}{year}政府信息公开工作年度报告"


def format_value(value: Value, unit: str = "") -> str:
    if value is None:
        return ""
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return text + unit


# ------------------------------------------------------------------ tables


def tables(report: Report) -> list[TableLayout]:
    return [table_layout(report, t) for t in report.spec.tables]


def table_layout(report: Report, table: Table) -> TableLayout:
    out = TableLayout(table.key, table.title)
    if table.flat:
        _flat(report, table, out)
    else:
        _blocks(report, table, out)
    return out


def _present(report: Report, table: Table, block: Block) -> list[Row]:
    """The rows to print: optional rows only where the report has one of their values."""
    return [
        row
        for row in block.rows
        if not row.optional or any(report.cells.get(table.cell_id(row, col)) is not None for col in block.row_cols(row))
    ]


def _groups(rows: list[Row]) -> tuple[dict[str, tuple[int, int]], list[list[str]]]:
    """Each group's first and last row, and each row's enclosing groups, outermost first.

    A group whose rows lie inside another group's range is nested in it (（三）不予公开 in
    三、本年度办理结果), which gives the depth of every row label.
    """
    ranges: dict[str, tuple[int, int]] = {}
    for i, row in enumerate(rows):
        if row.group:
            ranges[row.group] = (ranges.get(row.group, (i, i))[0], i)
    chains = [
        sorted((g for g, (a, b) in ranges.items() if a <= i <= b), key=lambda g: ranges[g][0] - ranges[g][1])
        for i in range(len(rows))
    ]
    return ranges, chains


def _value(report: Report, table: Table, row: Row, col, out: TableLayout, r: int, c: int, colspan: int) -> None:
    cid = table.cell_id(row, col)
    value = report.cells.get(cid)
    unit = "万元" if cid in report.spec.unit_required and value is not None else ""
    out.add(format_value(value, unit), r, c, colspan=colspan, value=value, cell_id=cid)


def _blocks(report: Report, table: Table, out: TableLayout) -> None:
    blocks = [(b, _present(report, table, b)) for b in table.blocks]
    label_w = max(1 + max((len(ch) for ch in _groups(rows)[1]), default=0) for _b, rows in blocks)
    value_w = max(len(b.columns) for b, _rows in blocks)
    one_header = table.one_header
    r = 0
    if one_header:
        r = _head(table, blocks[0][0], out, r, label_w, value_w)
    for block, rows in blocks:
        if not rows:
            continue
        if block.title and one_header:
            out.add(block.title, r, 0, colspan=label_w, kind="title")
            out.add("", r, label_w, colspan=value_w)
            r += 1
        elif block.title:
            out.add(block.title, r, 0, colspan=label_w + value_w, kind="title")
            r += 1
        if not one_header:
            r = _head(table, block, out, r, label_w, value_w)
        ranges, chains = _groups(rows)
        for i, row in enumerate(rows):
            for depth, g in enumerate(chains[i]):
                if ranges[g][0] == i:
                    out.add(g, r, depth, rowspan=ranges[g][1] - i + 1, kind="label")
            depth = len(chains[i])
            out.add(row.label, r, depth, colspan=label_w - depth, kind="label")
            cols = block.row_cols(row)
            for j, col in enumerate(block.columns):
                span = 1 + (value_w - len(block.columns) if j == len(block.columns) - 1 else 0)
                if col in cols:
                    _value(report, table, row, col, out, r, label_w + j, span)
                else:
                    out.add("", r, label_w + j, colspan=span)
            r += 1


def _head(table: Table, block: Block, out: TableLayout, r: int, label_w: int, value_w: int) -> int:
    """The header rows of a block; returns the next free row."""
    cols = block.columns
    top = block.columns_header
    col_levels = 2 if any(c.group for c in cols) else 1
    levels = col_levels + (1 if top else 0)
    out.add(block.label_header, r, 0, rowspan=levels, colspan=label_w, kind="head")
    rr = r
    if top:
        out.add(top, rr, label_w, colspan=value_w, kind="head")
        rr += 1
    j = 0
    while j < len(cols):
        col = cols[j]
        if col.group:
            k = j
            while k < len(cols) and cols[k].group == col.group:
                out.add(cols[k].label, rr + 1, label_w + k, kind="head")
                k += 1
            out.add(col.group, rr, label_w + j, colspan=k - j, kind="head")
            j = k
            continue
        span = 1 + (value_w - len(cols) if j == len(cols) - 1 else 0)
        out.add(col.label, rr, label_w + j, rowspan=col_levels, colspan=span, kind="head")
        j += 1
    return r + levels


def _flat(report: Report, table: Table, out: TableLayout) -> None:
    """Table 四: the rows side by side as column groups over one row of values."""
    rows = [(b, row) for b in table.blocks for row in _present(report, table, b)]
    levels = 3 if any(row.group for _b, row in rows) else 2
    c = 0
    i = 0
    while i < len(rows):
        group = rows[i][1].group
        k = i + 1
        while group and k < len(rows) and rows[k][1].group == group:
            k += 1
        if group:
            width = sum(len(b.row_cols(row)) for b, row in rows[i:k])
            out.add(group, 0, c, colspan=width, kind="head")
        for block, row in rows[i:k]:
            cols = block.row_cols(row)
            top = 1 if group else 0
            out.add(row.label, top, c, colspan=len(cols), kind="head")
            for m, col in enumerate(cols):
                out.add(col.label, top + 1, c + m, rowspan=levels - top - 1, kind="head")
                _value(report, table, row, col, out, levels, c + m, 1)
            c += len(cols)
        i = k


# ------------------------------------------------------------------ document


def document(report: Report) -> list[tuple[str, object]]:
    """The report as blocks: ("title", str), ("h2", str), ("p", str), ("table", TableLayout).

    gb formats: the six official sections, tables 二/三/四 at the end of sections 二/三/四.
    legacy: the sections the report has, under the same six headings, then the statistics
    table under its title.
    """
    out: list[tuple[str, object]] = [("title", default_title(report))]
    out += [("p", line) for line in _lines(report.preamble)]
    layouts = {t.key: t for t in tables(report)}
    for n, key in enumerate(SECTION_KEYS, 1):
        lines = _lines(report.sections.get(key, ""))
        if report.spec.sections or lines:
            out.append(("h2", SECTIONS[n - 1]))
        out += [("p", line) for line in lines]
        if f"t{n}" in layouts:
            out.append(("table", layouts.pop(f"t{n}")))
    for layout in layouts.values():
        out.append(("h2", layout.title))
        out.append(("table", layout))
    return out


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]
