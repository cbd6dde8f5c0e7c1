"""Checks: pure functions Report → issues, each with a stable code and a Chinese message.

Arithmetic rules come from the format description (``Format.rules``); blank cells count
as 0 in a sum, and an issue found that way says so and is a warning, not an error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache

from .formats import FORMATS, Alt, Format, Sum
from .report import SECTION_KEYS, Issue, Report, Value

Check = Callable[[Report], Iterable[Issue]]

_SECTION_NAMES = {
    "s1": "一、总体情况",
    "s2": "二、主动公开政府信息情况",
    "s3": "三、收到和处理政府信息公开申请情况",
    "s4": "四、政府信息公开行政复议、行政诉讼情况",
    "s5": "五、存在的主要问题及改进情况",
    "s6": "六、其他需要报告的事项",
}
_SECTION_TABLE = {"s2": "t2", "s3": "t3", "s4": "t4"}


def _fmt(v: Value) -> str:
    return "空" if v is None else str(v)


def _term(report: Report, term: object) -> tuple[list[str], list[Value]]:
    if isinstance(term, Alt):
        ids = list(term.parts)
        vals = [report.cells.get(i) for i in ids]
        if any(v is not None for v in vals):
            return ids, vals
        return [term.fallback], [report.cells.get(term.fallback)]
    cid = str(term)
    return [cid], [report.cells.get(cid)]


def _scope(report: Report, rule: Sum, cell: str) -> str:
    fmt = report.spec
    parts = cell.split(".")
    if rule.code in ("t3-balance", "t3-row-sum", "t3-group-sum"):
        col = fmt.table("t3").blocks[0].column(parts[-1])
        return f"表三“{(col.group + '·') if col.group else ''}{col.label}”列"
    if rule.code == "t3-col-sum":
        row = ".".join(parts[1:-1])
        for r in fmt.table("t3").blocks[0].rows:
            if r.key == row:
                return f"表三“{' '.join(p for p in (r.group, r.label) if p)}”行"
    if rule.code == "t4-sum":
        for r in fmt.table("t4").blocks[0].rows:
            if r.key == parts[1]:
                return f"表四“{' · '.join(p for p in (r.group, r.label) if p)}”"
    return f"“{fmt.label_of(cell)}”"


@lru_cache(maxsize=4096)
def _plain(terms: tuple[object, ...]) -> bool:
    return all(isinstance(t, str) for t in terms)


def _side(report: Report, terms: tuple[object, ...]) -> tuple[list[str], list[Value]]:
    if _plain(terms):  # the common case, kept cheap
        cells = report.cells
        return list(terms), [cells.get(t) for t in terms]
    ids: list[str] = []
    vals: list[Value] = []
    for t in terms:
        i, v = _term(report, t)
        ids += i
        vals += v
    return ids, vals


def arithmetic(report: Report) -> Iterable[Issue]:
    for rule in report.spec.rules:
        left_ids, left_vals = _side(report, rule.left)
        right_ids, right_vals = _side(report, rule.right)
        if all(v is None for v in left_vals) or all(v is None for v in right_vals):
            continue  # the table is absent or its row unreadable: nothing to compare
        lsum = sum(v for v in left_vals if v is not None)
        rsum = sum(v for v in right_vals if v is not None)
        if lsum == rsum:
            continue
        blanks = [c for c, v in zip(left_ids + right_ids, left_vals + right_vals, strict=True) if v is None]
        note = f"（其中 {len(blanks)} 个空白单元格按 0 计）" if blanks else ""
        yield Issue(
            rule.code,
            "warning" if blanks else "error",
            left_ids[0],
            f"{_scope(report, rule, left_ids[0])}：{rule.label}，但前者为 {lsum}，后者为 {rsum}{note}",
            tuple(left_ids + right_ids),
        )


def values(report: Report) -> Iterable[Issue]:
    fmt: Format = report.spec
    allowed = _NEGATIVE_OK  # a mixed report may carry the other format's table 二
    for cid, v in report.cells.items():
        if v is None:
            continue
        if v < 0 and cid not in allowed:
            yield Issue("negative", "error", cid, f"{_label(fmt, cid)}：数量不能为负数（{v}）", (cid,))
        if isinstance(v, Decimal) and v != v.to_integral_value() and cid not in fmt.money:
            yield Issue("not-integer", "warning", cid, f"{_label(fmt, cid)}：件数应为整数（{v}）", (cid,))


_NEGATIVE_OK = frozenset().union(*(f.negative_ok for f in FORMATS.values()))


def _label(fmt: Format, cid: str) -> str:
    try:
        return fmt.label_of(cid)
    except KeyError:
        return cid


def completeness(report: Report) -> Iterable[Issue]:
    fmt = report.spec
    seen = {i.where.split(".")[0] for i in report.issues if i.code == "row-width"}  # printed but unreadable
    filled = {k.split(".", 1)[0] for k, v in report.cells.items() if v is not None}
    present = {t.key: t.key in seen or t.key in filled for t in fmt.tables}
    for t in fmt.tables:
        if not present[t.key]:
            yield Issue("missing-table", "error", t.key, f"报告中没有找到表格“{t.title}”", ())
    if fmt.id == "legacy":
        return
    for key in SECTION_KEYS:
        if report.sections.get(key, "").strip():
            continue
        if key in _SECTION_TABLE and present.get(_SECTION_TABLE[key]):
            continue
        yield Issue("missing-section", "warning", key, f"报告中没有“{_SECTION_NAMES[key]}”部分", ())


# ------------------------------------------------------------------ narrative vs tables

# A count as the text states it: at most 15 digits, as in a cell (values.MAX_INTEGER_DIGITS);
# a longer run of digits is no count (and int() of thousands of digits is refused).
_COUNT = r"(?:共|共计|合计|累计|总计)?\s*(?<!\d)(\d{1,15})\s*(?:件|条|个|项|宗|起|份|次)"
_APPLICATIONS = re.compile(
    r"(?:收到|受理|新收|接收|接到|办理)(?:了)?(?:各类|各种)?(?:政府信息公开|信息公开|依申请公开|公开)(?:的)?(?:申请)?"
    + _COUNT
)
_NO_APPLICATIONS = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|发生)?(?:任何)?(?:政府信息公开申请|依申请公开|公开申请|申请公开|信息公开申请)"
)
_REVIEW = re.compile(r"行政复议(?:案件|申请)?" + _COUNT)
_SUIT = re.compile(r"行政诉讼(?:案件)?" + _COUNT)


_HINTS = ("申请", "复议", "诉讼")


def _sentences(report: Report) -> Iterable[tuple[str, str]]:
    """Sentences that may state a count of applications, reviews or suits."""
    for key in ("preamble", *SECTION_KEYS):
        text = report.preamble if key == "preamble" else report.sections.get(key, "")
        if not text or not any(h in text for h in _HINTS):
            continue
        for s in re.split(r"[。；;\n]", unicodedata.normalize("NFKC", text)):
            if any(h in s for h in _HINTS):
                yield key, re.sub(r"\s+", "", s)


def _total(report: Report, *ids: str) -> int | None:
    vals = [report.cells.get(i) for i in ids]
    if any(v is None for v in vals):
        return None
    return sum(vals)


def narrative(report: Report) -> Iterable[Issue]:
    if report.format == "legacy":
        new = _total(report, "legacy.apply.received")
        carried = 0
        app_cell, review_cell, suit_cells = "legacy.apply.received", "legacy.review.total", ("legacy.suit.total",)
    else:
        new = _total(report, "t3.new.total")
        carried = _total(report, "t3.carried_in.total") or 0
        app_cell, review_cell = "t3.new.total", "t4.review.total"
        suit_cells = ("t4.suit_direct.total", "t4.suit_after_review.total")
    review, suits = _total(report, review_cell), _total(report, *suit_cells)
    seen: set[str] = set()
    for key, s in _sentences(report):
        stated: list[tuple[int, str]] = []
        m = _APPLICATIONS.search(s)
        if m:
            stated.append((int(m[1]), m[0]))
        elif _NO_APPLICATIONS.search(s):
            stated.append((0, _NO_APPLICATIONS.search(s)[0]))
        for n, phrase in stated:
            if new is not None and n not in (new, new + carried) and app_cell not in seen:
                seen.add(app_cell)
                yield Issue(
                    "narrative-mismatch",
                    "warning",
                    app_cell,
                    f"正文“{phrase}”与表格不符：统计表中本年新收申请为 {new} 件",
                    (app_cell,),
                    key,
                )
        if "信息公开" not in s and "依申请" not in s:
            continue
        for rx, total, cell, what in (
            (_REVIEW, review, review_cell, "行政复议"),
            (_SUIT, suits, suit_cells[0], "行政诉讼"),
        ):
            m = rx.search(s)
            if m and total is not None and int(m[1]) != total and cell not in seen:
                seen.add(cell)
                yield Issue(
                    "narrative-mismatch",
                    "warning",
                    cell,
                    f"正文“{m[0]}”与表格不符：统计表中{what}总计为 {total} 件",
                    (cell,),
                    key,
                )


CHECKS: tuple[Check, ...] = (completeness, arithmetic, values, narrative)


def run(report: Report) -> list[Issue]:
    """All check issues for a report (parse issues already on it are not repeated)."""
    out: list[Issue] = []
    for check in CHECKS:
        out.extend(check(report))
    return out


def check(report: Report) -> Report:
    """The report with check issues added to the issues its reading raised."""
    known = {(i.code, i.where) for i in report.issues}
    report.issues.extend(i for i in run(report) if (i.code, i.where) not in known)
    return report
