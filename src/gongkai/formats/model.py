"""Types for the description of the official report formats.

A format is a set of tables; a table is a list of blocks (a block is one header of
columns and the rows under it); a row names the columns it fills.  Cell ids are derived
from the table prefix, the row key and the column key, exactly as
``shared/spec/report-cells.md`` defines them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str = ""  # upper header of a two-level header (法人或其他组织, 行政诉讼 · 复议后起诉)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    cols: tuple[str, ...] | None = None  # None: all columns of the block
    group: str = ""  # merged label of the row group (三、本年度办理结果 / （三）不予公开)
    negative_ok: tuple[str, ...] = ()  # column keys whose values may be negative
    optional: bool = False  # printed by some reports only (e.g. a 其他处理 subtotal in gb2021)
    basis: str = ""  # table 三 outcome rows: the article of the 条例 (2019) the result rests on


@dataclass(frozen=True)
class Block:
    title: str  # e.g. 第二十条第（一）项
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    label_header: str = "信息内容"
    columns_header: str = ""  # upper header over all value columns (表三: 申请人情况)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def row_cols(self, row: Row) -> tuple[Column, ...]:
        if row.cols is None:
            return self.columns
        return tuple(self.column(k) for k in row.cols)


@dataclass(frozen=True)
class Table:
    key: str  # t2, t3, t4, legacy
    title: str
    blocks: tuple[Block, ...]
    flat: bool = False  # table 四: one row of values, rows laid out side by side
    one_header: bool = False  # one header for all blocks, block titles as rows (legacy 统计表)
    markers: tuple[str, ...] = ()  # header phrases that identify this table's variant

    def cell_id(self, row: Row, col: Column) -> str:
        parts = [self.key, row.key] + ([col.key] if col.key else [])
        return ".".join(parts)


@dataclass(frozen=True)
class Sum:
    """``sum(left) == sum(right)``; a term is a cell id or ``Alt``."""

    code: str
    left: tuple[object, ...]
    right: tuple[object, ...]
    label: str  # Chinese description of the rule, e.g. 第一项加第二项之和等于第三项加第四项之和


@dataclass(frozen=True)
class Alt:
    """The sum of ``parts`` where any of them is printed, otherwise ``fallback``."""

    parts: tuple[str, ...]
    fallback: str


@dataclass(frozen=True)
class Format:
    id: str
    name: str  # Chinese name, for people
    basis: str
    tables: tuple[Table, ...]
    rules: tuple[Sum, ...]
    years: tuple[int, int]  # report years the format is for (inclusive)
    sections: tuple[str, ...] = ()
    money: frozenset[str] = field(default_factory=frozenset)  # cell ids in 万元
    unit_required: frozenset[str] = field(default_factory=frozenset)  # unit-unstated applies

    def table(self, key: str) -> Table | None:
        for t in self.tables:
            if t.key == key:
                return t
        return None

    def cells(self, *, optional: bool = False):
        """Yield ``(cell_id, table, block, row, column)`` in official order."""
        for table in self.tables:
            for block in table.blocks:
                for row in block.rows:
                    if row.optional and not optional:
                        continue
                    for col in block.row_cols(row):
                        yield table.cell_id(row, col), table, block, row, col

    def cell_ids(self, *, optional: bool = False) -> list[str]:
        return list(self._all_ids if optional else self._ids)

    @cached_property
    def _ids(self) -> tuple[str, ...]:
        return tuple(c[0] for c in self.cells())

    @cached_property
    def _all_ids(self) -> tuple[str, ...]:
        return tuple(c[0] for c in self.cells(optional=True))

    @cached_property
    def _labels(self) -> dict[str, str]:
        out = {}
        for cid, _table, _block, row, col in self.cells(optional=True):
            parts = [p for p in (row.group, row.label) if p]
            if col.label:
                parts.append((col.group + "·" if col.group else "") + col.label)
            out[cid] = " ".join(parts)
        return out

    @cached_property
    def negative_ok(self) -> frozenset[str]:
        """Cells whose value may be negative (本年增/减)."""
        return frozenset(cid for cid, _t, _b, row, col in self.cells(optional=True) if col.key in row.negative_ok)

    def label_of(self, cell_id: str) -> str:
        """Human label of a cell: row label and column label."""
        return self._labels[cell_id]
