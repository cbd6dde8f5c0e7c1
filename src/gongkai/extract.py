"""The one mapping step: a Document (text blocks + grids) → a Report.

Readers never map labels; this module does, using only the format description.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .formats import FORMATS, GB2019, GB2021, LEGACY, Block, Column, Format, Row, Table, for_year, normalise_label
from .ingest.model import Document, Grid, Paragraph
from .report import SECTION_KEYS, Issue, Report, Value
from .values import Number, is_null, parse_number, to_wan

# ------------------------------------------------------------------ label index


@dataclass(frozen=True)
class _Target:
    order: int
    table: Table
    block: Block
    row: Row
    cols: tuple[Column, ...]
    ids: tuple[str, ...]  # the row's cell ids, in column order
    key: str  # t3.denied.state_secret


@dataclass
class _Index:
    by_alias: dict[str, list[_Target]]
    aliases: list[tuple[str, _Target]]  # longest first


_INDEX_CACHE: dict[tuple[int, ...], _Index] = {}


def _index(tables: tuple[Table, ...]) -> _Index:
    key = tuple(id(t) for t in tables)
    if key in _INDEX_CACHE:
        return _INDEX_CACHE[key]
    targets: list[_Target] = []
    by_alias: dict[str, list[_Target]] = {}
    for table in tables:
        if table.flat:
            continue
        for block in table.blocks:
            for row in block.rows:
                cols = block.row_cols(row)
                ids = tuple(table.cell_id(row, c) for c in cols)
                t = _Target(len(targets), table, block, row, cols, ids, f"{table.key}.{row.key}")
                targets.append(t)
                for a in {normalise_label(x) for x in (row.label, *row.aliases)}:
                    if a:
                        by_alias.setdefault(a, []).append(t)
    aliases = sorted(((a, t) for a, ts in by_alias.items() for t in ts), key=lambda x: -len(x[0]))
    idx = _Index(by_alias, aliases)
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
class _Ctx:
    fmt: Format
    report: Report
    last_order: int = -1
    filled: set[str] = field(default_factory=set)


def _headers_text(doc: Document) -> str:
    parts: list[str] = []
    for g in doc.grids():
        for row in g.rows:
            for c in row:
                if parse_number(c) is None:
                    parts.append(c)
    return normalise_label("".join(parts))


def _has(text: str, markers: tuple[str, ...]) -> bool:
    return any(normalise_label(m) in text for m in markers)


def detect_format(doc: Document, year: int | None) -> tuple[Format, Table | None]:
    """The report's format from its tables' headers; the year only when there are none.

    Returns the format and, when table 二 follows the other gb format, that table.
    """
    text = _headers_text(doc)
    legacy_hits = sum(1 for m in LEGACY.tables[0].markers if normalise_label(m) in text)
    if legacy_hits >= 2:
        return LEGACY, None
    t2_2021 = _has(text, GB2021.table("t2").markers)
    t2_2019 = _has(text, GB2019.table("t2").markers)
    t3_2021 = _has(text, GB2021.table("t3").markers)
    if t3_2021 or (t2_2021 and not t2_2019):
        fmt = GB2021
    elif t2_2019 or ("其他处理" in text and (year is None or year < 2021)):
        fmt = GB2019
    else:
        fmt = for_year(year)
    other_t2 = None
    if fmt is GB2021 and t2_2019 and not t2_2021:
        other_t2 = GB2019.table("t2")
    elif fmt is GB2019 and t2_2021 and not t2_2019:
        other_t2 = GB2021.table("t2")
    return fmt, other_t2


def _match(labels: list[str], idx: _Index, ctx: _Ctx, fuzzy: bool = True) -> tuple[_Target | None, bool]:
    """The row a label belongs to, and whether it was matched only approximately."""
    norms = [normalise_label(x) for x in labels]
    norms = [n for n in norms if n]
    if not norms:
        return None, False

    def pick(cands: list[_Target]) -> _Target:
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


def _place(ctx: _Ctx, target: _Target, values: list[_Cell], labels: list[str], headers: list[str], where: str):
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
    if len(values) != len(cols):
        for i in ids:
            ctx.report.cells[i] = None
        ctx.report.issues.append(
            Issue(
                "row-width",
                "warning",
                f"{table.key}.{row.key}",
                f"{_row_title(row)}：找到 {len(values)} 个数，应为 {len(cols)} 个",
                tuple(ids),
                where,
            )
        )
        return
    for cid, col, cell in zip(ids, cols, values, strict=True):
        ctx.report.cells[cid] = _value(ctx, cid, col.label, cell, labels, headers, where)
        _flag_uncertain(ctx, cid, cell, where)


def _flag_uncertain(ctx: _Ctx, cid: str, cell: _Cell, where: str) -> None:
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


def _value(ctx: _Ctx, cid: str, col_label: str, cell: _Cell, labels, headers, where) -> Value:
    if cell.number is None:
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


def _map_grid(grid: Grid, ctx: _Ctx, idx: _Index) -> None:
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
            ctx.report.issues.append(
                Issue(
                    "label-variant",
                    "info",
                    f"{target.table.key}.{target.row.key}",
                    f"表格行“{labels[-1]}”与规范名称“{_row_title(target.row)}”不一致，按相近名称识别",
                    (),
                    where,
                )
            )
        n = len(target.cols)
        _place(ctx, target, _fit(values, n, grid.exact), labels, headers, where)


def _place_t4(ctx: _Ctx, t4: Table, values: list[_Cell], where: str) -> None:
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


# ------------------------------------------------------------------ metadata

_CJK = "\u4e00-\u9fff"
_SUFFIX = r"(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|委员会|管委会|办事处|局|厅|委|署|院|中心|政府|办公室)"
_AGENCY_AT_START = re.compile(rf"^([{_CJK}]{{2,30}}?{_SUFFIX})(?![{_CJK}]*?{_SUFFIX})")
_AGENCY_ANY = re.compile(rf"([{_CJK}]{{2,30}}?{_SUFFIX})")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TITLE_WORDS = ("报告", "年报", "统计表")
_BOOK = re.compile(r"《[^》]*》|〈[^〉]*〉")
_FILER = re.compile(r"填报单位[^:：]*[:：]\s*([^\s，,。；;]+)")
_CONTACT = re.compile(rf"(?:请与|请联系|联系单位[:：]?|联系人[:：]?)\s*([{_CJK}]{{2,40}})")
_ORDINAL_START = re.compile(r"^(?:[(（]?[一二三四五六七八九十\d]+[)）、.．])")
_PRONOUN = re.compile(r"^(?:我|本|该|各|全|市|县|区|省)(?:局|委|办|厅|院|中心)")


def _clean_line(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _is_title(text: str) -> bool:
    s = _clean_line(text)
    return (
        len(s) <= 70
        and any(w in s for w in _TITLE_WORDS)
        and ("公开" in s or "政务" in s)
        and not s.endswith(("。", ":", "：", "；"))
        and not s.startswith(("根据", "本报告"))
    )


def _agency_in(text: str) -> str | None:
    s = re.sub(r"\s+", "", _BOOK.sub("", unicodedata.normalize("NFKC", text)))
    m = _AGENCY_AT_START.match(s) or _AGENCY_AT_START.match(re.sub(r"^关于", "", s))
    if m and not _PRONOUN.match(m[1]) and len(m[1]) >= 3:
        return m[1]
    return None


def _title_and_agency(paras: list[Paragraph]) -> tuple[str | None, str | None, int]:
    """Title, agency named with it, and how many leading paragraphs they take."""
    head = paras[:6]
    for i, p in enumerate(head):
        if not _is_title(p.text):
            continue
        title = _clean_line(p.text)
        used = i + 1
        prefix = _YEAR.split(title)[0] if _YEAR.search(title) else ""
        agency = _agency_in(prefix.replace("关于", "")) if prefix else None
        if agency is None and i > 0:
            prev = _clean_line(head[i - 1].text)
            cand = _agency_in(prev)
            if cand and cand == re.sub(r"\s+", "", prev):
                agency = cand
                title = prev + title
        title = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\d\u4e00-\u9fff])|(?<=\d)\s+(?=[\u4e00-\u9fff])", "", title)
        return title, agency, used
    return None, None, 0


def _find_agency(paras: list[Paragraph], title_agency: str | None) -> str | None:
    if title_agency:
        return title_agency
    text = "\n".join(p.text for p in paras)
    m = _FILER.search(unicodedata.normalize("NFKC", text))
    if m and _agency_in(m[1]):
        return _agency_in(m[1])
    for p in [p for p in paras if not p.heading and not _ORDINAL_START.match(p.text.strip())][:2]:
        s = re.sub(r"^\s*(?:19|20)\d{2}\s*年度?\s*(?:以来)?[,，、]?\s*", "", _clean_line(p.text))
        a = _agency_in(s)
        if a:
            return a
    for p in paras:
        for m in _CONTACT.finditer(_BOOK.sub("", unicodedata.normalize("NFKC", p.text))):
            a = _AGENCY_ANY.match(m[1])
            if a and not _PRONOUN.match(a[1]):
                return a[1]
    for p in reversed(paras[-3:]):
        s = re.sub(r"\s+", "", p.text)
        a = _agency_in(s)
        if a and a == s:
            return a
    return None


def _find_year(paras: list[Paragraph], title: str | None) -> int | None:
    if title and _YEAR.search(title):
        return int(_YEAR.search(title)[1])
    scores: Counter[int] = Counter()
    text = unicodedata.normalize("NFKC", "\n".join(p.text for p in paras))
    for m in re.finditer(r"((?:19|20)\d{2})\s*年度?\s*(?:政府信息公开|政务公开)[^。\n]{0,20}(?:报告|统计表)", text):
        scores[int(m[1])] += 10
    for m in re.finditer(r"自\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日", text):
        scores[int(m[1])] += 8
    for m in _YEAR.finditer(text):
        scores[int(m[1])] += 1
    if not scores:
        return None
    return scores.most_common(1)[0][0]


# ------------------------------------------------------------------ sections

_SECTION_HEADING = re.compile(r"^\s*(?:第?[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十]+部分)")
_SECTION_KEYWORDS = (
    ("s6", ("其他需要报告", "其他需报告", "其他需要说明", "其他事项")),
    ("s5", ("问题", "改进", "不足", "整改")),
    ("s4", ("行政复议", "行政诉讼")),
    ("s3", ("收到和处理", "依申请", "申请情况", "申请公开")),
    ("s2", ("主动公开",)),
    ("s1", ("总体情况", "概述", "基本情况")),
)


def _section_of(heading: str) -> str | None:
    s = normalise_label(heading)
    for key, words in _SECTION_KEYWORDS:
        if any(w in s for w in words):
            return key
    return None


_WEAK_HEADING = re.compile(r"^\s*(?:\d{1,2}\s*[、.．]\s*)?[\u4e00-\u9fff]")
_WEAK_WORDS = ("情况", "事项", "问题", "改进", "措施")


def _is_section_heading(p: Paragraph) -> bool:
    """A heading with a Chinese ordinal (一、 / 第一部分)."""
    s = _clean_line(p.text[:60])
    return bool(_SECTION_HEADING.match(s)) and len(s) <= 40 and not s.endswith(("。", "；"))


def _is_weak_heading(p: Paragraph) -> bool:
    """A heading without a Chinese ordinal (1. 总体情况, a bare 总体情况, a Markdown/Word heading):
    taken only when it names one of the six sections."""
    s = _clean_line(p.text[:40])
    if len(s) > 25 or s.endswith(("。", "；", "，", ",", "：", ":")):
        return False
    return p.heading or (bool(_WEAK_HEADING.match(s)) and any(w in s for w in _WEAK_WORDS))


_TABLE_TITLES = frozenset(normalise_label(t.title) for f in FORMATS.values() for t in f.tables)


def split_sections(paras: list[Paragraph]) -> tuple[dict[str, str], str]:
    """Sections s1–s6 by their headings' meaning, and the text before the first one.

    Headings that name none of the six (a regional extra such as 政务新媒体监管情况)
    stay, with their text, inside the section before them; nothing is dropped.
    """
    out: dict[str, list[str]] = {k: [] for k in SECTION_KEYS}
    preamble: list[str] = []
    current: str | None = None
    for p in paras:
        text = p.text.strip()  # kept as written: full-width punctuation is the author's
        if not text:
            continue
        short = len(text) <= 120  # a heading is short; skip the checks for body paragraphs
        strong = short and _is_section_heading(p)
        if strong or (short and _is_weak_heading(p)):
            key = _section_of(text)
            if key and not out[key] and (current is None or SECTION_KEYS.index(key) > SECTION_KEYS.index(current)):
                current = key
                continue
            if strong and current is None:
                current = key or "s1"
                if key:
                    continue
        if p.heading and normalise_label(text) in _TABLE_TITLES:
            continue  # a table's caption, not section text
        (out[current] if current else preamble).append(text)
    return {k: "\n".join(v) for k, v in out.items()}, "\n".join(preamble)


# ------------------------------------------------------------------ entry point


def extract(doc: Document) -> Report:
    paras = doc.paragraphs()
    title, title_agency, used = _title_and_agency(paras)
    year = _find_year(paras, title)
    agency = _find_agency(paras, title_agency)
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
    ctx = _Ctx(fmt, report)
    idx = _index(tables)
    for grid in doc.grids():
        _map_grid(grid, ctx, idx)
    return report


def _ids_of(table: Table):
    for block in table.blocks:
        for row in block.rows:
            if not row.optional:
                yield from (table.cell_id(row, col) for col in block.row_cols(row))


__all__ = ["detect_format", "extract", "split_sections"]
