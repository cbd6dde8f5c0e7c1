"""Table rows mapped to cell ids by their labels, one grid at a time."""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..formats import Block, Column, Format, Row, Table, normalise_label
from ..ingest.model import Grid
from ..report import Issue, Report, Value
from ..values import Number, is_null, parse_number, to_wan

# ------------------------------------------------------------------ label index


@dataclass(frozen=True)
class Target:
    order: int
    table: Table
    block: Block
    row: Row
    cols: tuple[Column, ...]
    ids: tuple[str, ...]  # the row's cell ids, in column order
    key: str  # t3.denied.state_secret
    aliases: tuple[str, ...]  # normalised label and aliases


@dataclass
class _Index:
    targets: list[Target]
    by_alias: dict[str, list[Target]]
    aliases: list[tuple[str, Target]]  # longest first


_INDEX_CACHE: dict[tuple[int, ...], _Index] = {}


def label_index(tables: tuple[Table, ...]) -> _Index:
    key = tuple(id(t) for t in tables)
    if key in _INDEX_CACHE:
        return _INDEX_CACHE[key]
    targets: list[Target] = []
    by_alias: dict[str, list[Target]] = {}
    for table in tables:
        if table.flat:
            continue
        for block in table.blocks:
            for row in block.rows:
                cols = block.row_cols(row)
                ids = tuple(table.cell_id(row, c) for c in cols)
                names = tuple(a for a in dict.fromkeys(normalise_label(x) for x in (row.label, *row.aliases)) if a)
                t = Target(len(targets), table, block, row, cols, ids, f"{table.key}.{row.key}", names)
                targets.append(t)
                for a in names:
                    by_alias.setdefault(a, []).append(t)
    aliases = sorted(((a, t) for a, ts in by_alias.items() for t in ts), key=lambda x: -len(x[0]))
    idx = _Index(targets, by_alias, aliases)
    _INDEX_CACHE[key] = idx
    return idx


# ------------------------------------------------------------------ row cells


@dataclass(frozen=True)
class _Cell:
    text: str
    number: Number | None
    null: bool
    uncertain: bool = False  # read by OCR with low confidence

    @property
    def is_value(self) -> bool:
        return self.number is not None or self.null


_UNITS = {"元", "万元", "件", "条", "个", "项", "次", "人", "人次", "篇"}


@lru_cache(maxsize=65536)
def _classify(text: str) -> _Cell:
    n = parse_number(text)
    return _Cell(text, n, n is None and is_null(text))


def _first_number(cells: list[_Cell]) -> int | None:
    for i, c in enumerate(cells):
        if c.number is not None:
            return i
    return None


def _value_start(rows: list[list[_Cell]]) -> int | None:
    """Where the values begin in an exact grid: the column most rows' first number sits in."""
    starts = Counter(i for r in rows if (i := _first_number(r)) is not None)
    return starts.most_common(1)[0][0] if starts else None


def _label_end(cells: list[_Cell]) -> int:
    """Index of the first value cell of a text row: a number or a printed null marker."""
    cut = 0
    while cut < len(cells):
        c = cells[cut]
        if c.number is not None or (c.null and c.text.strip()):
            break
        cut += 1
    return cut


def _label_width(rows: list[list[_Cell]], ends: list[int]) -> int:
    """How many label cells the fullest data row of a text grid has."""
    widths = [sum(1 for c in r[:end] if c.text.strip()) for r, end in zip(rows, ends, strict=True) if end < len(r)]
    return max(widths, default=0)


def _split_row(
    cells: list[_Cell],
    exact: bool,
    value_start: int | None,
    copies: frozenset[int] = frozenset(),
    label_width: int = 0,
    end: int | None = None,
) -> tuple[list[str], list[_Cell]]:
    """Label cells (leading text, a unit column such as 件/万元 included) and value cells.

    In an exact grid a blank cell in the value columns is a blank value.  In a text copy
    blank cells are usually separator artefacts (merged label area, trailing pipes) and are
    dropped at both ends of the values — except blanks right after a row whose labels fill
    the whole label area, which can only be blank values.  ``copies`` are columns repeating
    a merged cell to their left: a label repeated is harmless, a value repeated is one value.
    """
    first = _first_number(cells)
    full = False
    if exact and value_start is not None and (first is None or first >= value_start):
        cut = min(value_start, len(cells))
        while cut > 0 and cells[cut - 1].null and cells[cut - 1].text.strip():
            cut -= 1  # a null marker (/, —) in the first value column(s)
    else:
        cut = _label_end(cells) if end is None else end
        texts = [j for j in range(cut) if cells[j].text.strip()]
        full = label_width >= 2 and len(texts) == label_width
        if full:
            cut = texts[-1] + 1  # labels fill the label area: blanks after them are values
    labels: list[str] = []
    for c in cells[:cut]:
        t = c.text.strip()
        if t and (not labels or labels[-1] != t):
            labels.append(t)
    values = [c for j, c in enumerate(cells[cut:], start=cut) if j not in copies]
    if not exact:
        while values and not full and not values[0].text.strip():
            values.pop(0)
        while values and not values[-1].text.strip():
            values.pop()
    return labels, values


def _fit(values: list[_Cell], n: int, exact: bool) -> list[_Cell]:
    """An exact grid's row may be wider than the block: extra blank cells are layout."""
    if exact and len(values) > n and not any(c.text.strip() for c in values[n:]):
        return values[:n]
    return values


# ------------------------------------------------------------------ the mapper


@dataclass
class Ctx:
    fmt: Format
    report: Report
    last_order: int = -1
    filled: set[str] = field(default_factory=set)
    rejected: set[str] = field(default_factory=set)  # rows of exact grids refused for their width


def _match(labels: list[str], idx: _Index, ctx: Ctx, fuzzy: bool = True) -> tuple[Target | None, bool]:
    """The row a label belongs to, and whether it was matched only approximately."""
    norms = [normalise_label(x) for x in labels]
    norms = [n for n in norms if n]
    if not norms:
        return None, False

    def pick(cands: list[Target]) -> Target:
        after = [c for c in cands if c.order > ctx.last_order]
        unfilled = [c for c in cands if c.key not in ctx.filled]
        return (after or unfilled or cands)[0]

    for n in reversed(norms):
        if n in idx.by_alias:
            return pick(idx.by_alias[n]), False
    joined = "".join(norms)
    for a, _t in idx.aliases:
        if len(a) >= 2 and joined.endswith(a):
            return pick(idx.by_alias[a]), False
    best, best_ratio = None, 0.0
    last = norms[-1]
    if fuzzy and len(last) >= 4:
        matcher = difflib.SequenceMatcher(None, b=last)
        for a, t in idx.aliases:
            if len(a) < 4:
                continue
            matcher.set_seq1(a)
            if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8:
                continue
            r = matcher.ratio()
            if r > best_ratio:
                best, best_ratio = t, r
    if best is not None and best_ratio >= 0.8:
        return best, True
    return None, False


def _row_title(row: Row) -> str:
    return " ".join(p for p in (row.group, row.label) if p)


def label_variant(target: Target, printed: str, where: str) -> Issue:
    """The info issue for a row found by a name that only resembles the official one."""
    msg = f"表格行“{printed}”与规范名称“{_row_title(target.row)}”不一致，按相近名称识别"
    return Issue("label-variant", "info", target.key, msg, (), where)


def _unit_hint(labels: list[str], headers: list[str], col_label: str) -> str:
    for lab in labels:
        s = unicodedata.normalize("NFKC", lab).strip()
        if s in _UNITS:
            return s
    for h in headers:
        hs = unicodedata.normalize("NFKC", h)
        if normalise_label(col_label)[:4] in normalise_label(hs) or col_label in hs:
            if "万元" in hs:
                return "万元"
            if "元" in hs:
                return "元"
    return ""


def _place(ctx: Ctx, target: Target, values: list[_Cell], labels: list[str], headers: list[str], where: str, gap=False):
    table, row, cols, ids = target.table, target.row, target.cols, target.ids
    rk = target.key
    if rk in ctx.filled:
        ctx.report.issues.append(
            Issue(
                "row-duplicate",
                "warning",
                f"{table.key}.{row.key}",
                f"{_row_title(row)}：本行在表中出现了不止一次，采用第一次出现的数字",
                tuple(ids),
                where,
            )
        )
        return
    ctx.filled.add(rk)
    ctx.last_order = target.order
    numbers = sum(1 for c in values if c.number is not None)
    if len(values) != len(cols) or _shifted(cols, values, gap):
        for i in ids:
            ctx.report.cells[i] = None
        ctx.report.issues.append(
            Issue(
                "row-width",
                "warning",
                f"{table.key}.{row.key}",
                f"{_row_title(row)}：找到 {numbers} 个数，应为 {len(cols)} 个"
                + ("（有的栏空白，数字可能错位）" if len(values) == len(cols) else ""),
                tuple(ids),
                where,
            )
        )
        return
    for cid, col, cell in zip(ids, cols, values, strict=True):
        ctx.report.cells[cid] = _value(ctx, cid, col.label, cell, labels, headers, where)
        _flag_uncertain(ctx, cid, cell, where)


def _shifted(cols: tuple[Column, ...], values: list[_Cell], gap: bool) -> bool:
    """A row whose 总计 is blank while other cells hold numbers, and whose cells look shifted
    (several blank cells at its end, or a blank between its label and its values): a copy
    that lost a cell, so which column each number belongs to is unknown."""
    keys = [c.key for c in cols]
    if keys[-1:] != ["total"] or len(keys) < 3 or not any(c.number is not None for c in values):
        return False
    blank = [c.number is None and not c.text.strip() for c in values]
    trailing = len(blank) - next((i + 1 for i in range(len(blank) - 1, -1, -1) if not blank[i]), 0)
    return trailing >= 2 or (trailing == 1 and gap)


def _gap(cells: list[_Cell], value_start: int) -> bool:
    """The row's own label stops short of the value columns, leaving a blank between."""
    before = cells[:value_start]
    return bool(before) and not before[-1].text.strip() and any(c.text.strip() for c in before)


def _flag_uncertain(ctx: Ctx, cid: str, cell: _Cell, where: str) -> None:
    if cell.uncertain:
        ctx.report.issues.append(
            Issue(
                "ocr-uncertain",
                "warning",
                cid,
                f"{ctx.fmt.label_of(cid)}：扫描件识别为“{cell.text.strip() or '空白'}”，把握不大，请对照原件核对",
                (cid,),
                where,
            )
        )


def _value(ctx: Ctx, cid: str, col_label: str, cell: _Cell, labels, headers, where) -> Value:
    if cell.number is None or cell.number.invalid:  # invalid: number-invalid, said by extract()
        return None
    n = cell.number
    if cid in ctx.fmt.money or cid.endswith("_wan"):
        unit = n.unit if n.unit in ("元", "万元") else _unit_hint(labels, headers, col_label)
        if not unit and cid in ctx.fmt.unit_required:
            ctx.report.issues.append(
                Issue(
                    "unit-unstated",
                    "warning",
                    cid,
                    f"{ctx.fmt.label_of(cid)}：报告未注明金额单位（元或万元），按原样记录为 {n.value}",
                    (cid,),
                    where,
                )
            )
        return to_wan(Number(n.value, unit))
    return n.value


_T4_CONTEXT = ("行政复议", "行政诉讼", "结果维持")


def _is_t4_header(cells: list[_Cell]) -> bool:
    text = normalise_label("".join(c.text for c in cells))
    return any(m in text for m in _T4_CONTEXT)


def map_grid(grid: Grid, ctx: Ctx, idx: _Index) -> None:
    headers: list[str] = []
    t4 = ctx.fmt.table("t4")
    t4_context = False
    rows = [[_classify(c) for c in raw] for raw in grid.rows]
    for r, c in grid.uncertain:
        if r < len(rows) and c < len(rows[r]):
            rows[r][c] = replace(rows[r][c], uncertain=True)
    copies: dict[int, set[int]] = {}
    for r, c in grid.copies:
        copies.setdefault(r, set()).add(c)
    value_start = _value_start(rows) if grid.exact else None
    ends = [_label_end(r) for r in rows]
    label_width = 0 if grid.exact else _label_width(rows, ends)
    pending: list[str] = []  # labels of a row without values: maybe the first half of a broken label
    for i, cells in enumerate(rows):
        labels, values = _split_row(cells, grid.exact, value_start, frozenset(copies.get(i, ())), label_width, ends[i])
        where = grid.place(i)
        numbers = [v for v in values if v.number is not None]
        stray_text = any(not v.is_value for v in values)
        if not values or (not numbers and (stray_text or not any(v.text.strip() for v in values))):
            headers.extend(c.text for c in cells if c.text.strip())
            t4_context = t4_context or _is_t4_header(cells)
            pending = [c.text.strip() for c in cells if c.text.strip()]
            continue
        target, fuzzy = _match(labels, idx, ctx, fuzzy=bool(numbers)) if labels else (None, False)
        if (target is None or fuzzy) and pending and labels:
            joined = [*pending[:-1], pending[-1] + labels[0], *labels[1:]]
            target2, fuzzy2 = _match(joined, idx, ctx)
            if target2 is not None and not fuzzy2:
                target, fuzzy, labels = target2, False, joined
        pending = []
        if target is None and t4 is not None and t4_context and len(numbers) >= 10:
            _place_t4(ctx, t4, _fit(values, 15, grid.exact), where)
            continue
        if target is None:
            if numbers:
                ctx.report.issues.append(
                    Issue(
                        "row-unknown",
                        "info",
                        "tables",
                        f"无法识别的表格行“{''.join(labels)[:40] or '（无标签）'}”，其中的 {len(numbers)} 个数未计入",
                        (),
                        where,
                    )
                )
            headers.extend(labels)
            t4_context = t4_context or _is_t4_header([_classify(x) for x in labels])
            continue
        if fuzzy:
            ctx.report.issues.append(label_variant(target, labels[-1], where))
        n = len(target.cols)
        gap = grid.exact and value_start is not None and 0 < value_start <= len(cells) and _gap(cells, value_start)
        _place(ctx, target, _fit(values, n, grid.exact), labels, headers, where, gap)
        if grid.exact and ctx.report.issues and ctx.report.issues[-1].code == "row-width":
            ctx.rejected.add(target.key)  # a real table's row that cannot be placed: final


def _place_t4(ctx: Ctx, t4: Table, values: list[_Cell], where: str) -> None:
    block = t4.blocks[0]
    ids = [t4.cell_id(r, c) for r in block.rows for c in block.columns]
    if "t4" in ctx.filled:
        return
    ctx.filled.add("t4")
    if len(values) != len(ids):
        ctx.report.issues.append(
            Issue(
                "row-width",
                "warning",
                "t4",
                f"{t4.title}：找到 {len(values)} 个数，应为 {len(ids)} 个",
                tuple(ids),
                where,
            )
        )
        return
    for cid, cell in zip(ids, values, strict=True):
        ctx.report.cells[cid] = cell.number.value if cell.number else None
        _flag_uncertain(ctx, cid, cell, where)
