"""Cross-year checks: one unit's reports of consecutive years must agree with each other.

Pure functions on Reports, no I/O:

- ``cross-year-carry``: this year's 上年结转 (``t3.carried_in.<col>``) equals last year's
  结转下年度继续办理 (``t3.carried_out.<col>``), per applicant column.
- ``cross-year-items`` (2019 format table 二): this year's 上一年项目数量 equals last year's
  上一年项目数量 plus 本年增/减, for 行政许可, 其他对外管理服务事项, 行政处罚, 行政强制 and
  行政事业性收费.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from .report import Issue, Report, Value

T3_COLS = {
    "natural": "自然人",
    "business": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal_service": "法律服务机构",
    "org_other": "其他法人或其他组织",
    "total": "总计",
}
ITEM_ROWS = {
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
}

_NOISE = re.compile(r"[\s\u3000·•\-—_（）()【】\[\]“”\"'《》]")


def normalise_agency(name: str | None) -> str:
    """The key two spellings of one unit's name share: NFKC, no blanks or punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name or ""))


def _is(v: Value) -> bool:
    return v is not None


def carry(prev: Report, cur: Report) -> list[Issue]:
    out = []
    for col, label in T3_COLS.items():
        came_in = cur.cells.get(f"t3.carried_in.{col}")
        went_out = prev.cells.get(f"t3.carried_out.{col}")
        if not (_is(came_in) and _is(went_out)) or came_in == went_out:
            continue
        out.append(
            Issue(
                "cross-year-carry",
                "warning",
                f"t3.carried_in.{col}",
                f"表三“{label}”列：{cur.year}年报告的“上年结转政府信息公开申请数量”为 {came_in}，"
                f"而{prev.year}年报告的“结转下年度继续办理”为 {went_out}，两者应相等",
                (f"t3.carried_in.{col}", f"t3.carried_out.{col}"),
            )
        )
    return out


def items(prev: Report, cur: Report) -> list[Issue]:
    out = []
    for row, label in ITEM_ROWS.items():
        now = cur.cells.get(f"t2.{row}.prev_count")
        before = prev.cells.get(f"t2.{row}.prev_count")
        change = prev.cells.get(f"t2.{row}.change")
        if not (_is(now) and _is(before) and _is(change)) or now == before + change:
            continue
        out.append(
            Issue(
                "cross-year-items",
                "warning",
                f"t2.{row}.prev_count",
                f"表二“{label}”：{cur.year}年报告的“上一年项目数量”为 {now}，"
                f"而{prev.year}年报告的上一年项目数量 {before} 加本年增/减 {change} 为 {before + change}，两者应相等",
                (f"t2.{row}.prev_count", f"t2.{row}.change"),
            )
        )
    return out


def pair(prev: Report, cur: Report) -> list[Issue]:
    """Issues of ``cur`` against the report of the year before, ``prev``."""
    return carry(prev, cur) + items(prev, cur)


def cross_year(reports: Sequence[Report | None]) -> list[tuple[int, Issue]]:
    """Cross-year issues of a batch, as (index of the later report, issue), in batch order.

    Reports are grouped by normalised agency name; where one unit has several reports for
    a year, the first in the batch is compared. ``None`` entries (unreadable files) are skipped.
    """
    first: dict[tuple[str, int], int] = {}
    for i, r in enumerate(reports):
        if r is None or r.year is None or not normalise_agency(r.agency):
            continue
        first.setdefault((normalise_agency(r.agency), r.year), i)
    out = []
    for (agency, year), i in sorted(first.items(), key=lambda kv: kv[1]):
        j = first.get((agency, year - 1))
        if j is not None:
            out += [(i, issue) for issue in pair(reports[j], reports[i])]
    return out
