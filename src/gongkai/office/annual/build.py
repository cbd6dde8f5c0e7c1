"""Assemble a ``Report`` for one agency and year from the office's records, by aggregate queries.

Where each record lands in the year's format is data (``gongkai.formats.roles``); nothing here
branches on a format's id.

Table 三 (one grouped query over the applications that can count in the year):

- ``new``: received in the year;
- ``carried_in``: received before the year and not closed before it;
- outcome rows: closed (replied, withdrawn, abandoned) in the year, by outcome;
- ``carried_out``: received by the year's end and not closed by it.

Each application in the query is counted once in ``new`` or ``carried_in`` and once in an
outcome row or ``carried_out``, so the table's own rule (第一项加第二项之和等于第三项加第四项之和)
holds by construction. Table 二 comes from the proactive register and the 第二十条 figures (a
figure not entered stays blank, never a guessed 0); table 四 from the appeals by
``formats.roles.T4_RULE``: filed in the year (尚未审结 if not decided by its end), plus those
filed earlier and decided in the year, by their result.

The register's own problems are issues of the report: fee notices whose amount disagrees with
the calculator (``office-fee-mismatch``), and applications whose 补正 or payment period ran
out in the year but that were never closed (``office-period-expired``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from gongkai.checks import check
from gongkai.formats import Format, for_year
from gongkai.formats.roles import RegisterMap, register_map
from gongkai.office.agencies.models import Agency
from gongkai.office.appeals.models import Appeal, AppealResult
from gongkai.office.applications.fees import check_notices, fee_year
from gongkai.office.applications.models import Application
from gongkai.office.applications.vocabulary import applicant_columns, outcome_rows
from gongkai.office.errors import OfficeError
from gongkai.office.proactive.models import Article20Figures, DocumentFigures
from gongkai.report import Issue, Report

from .expired import REASONS, expired
from .narrative import sections

# the count annotations of ``t3_counts``, in the order of RegisterMap.counts
T3_COUNTS = ("new", "carried_in", "carried_out")
LISTED = 20  # applications named in one issue message; the rest are counted


def t3_counts(agency: Agency, year: int) -> list[dict]:
    """One row per (applicant type, outcome) with the counts table 三 needs: a single GROUP BY."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return list(
        Application.objects.filter(agency=agency)
        .for_year_report(year)
        .order_by()
        .values("applicant_type", "outcome")
        .annotate(
            new=Count("id", filter=Q(received_on__gte=start)),
            carried_in=Count("id", filter=Q(received_on__lt=start)),
            closed=Count("id", filter=Q(replied_on__lte=end)),
            carried_out=Count("id", filter=Q(replied_on__isnull=True) | Q(replied_on__gt=end)),
        )
    )


def _fill_t3(report: Report, fmt: Format, rmap: RegisterMap, groups: list[dict]) -> None:
    cols = [c.key for c in applicant_columns()]
    rows = [r.key for r in outcome_rows(fmt)]
    counts: dict[str, dict[str, int]] = {r: dict.fromkeys(cols, 0) for r in (*rmap.counts, *rows)}
    unknown: dict[str, int] = defaultdict(int)
    for g in groups:
        col = g["applicant_type"]
        for row, key in zip(rmap.counts, T3_COUNTS, strict=True):
            counts[row][col] += g[key]
        if g["closed"]:
            if g["outcome"] in rows:
                counts[g["outcome"]][col] += g["closed"]
            else:
                unknown[g["outcome"] or "（空）"] += g["closed"]
    counts[rmap.total] = {c: sum(counts[r][c] for r in rows) for c in cols}
    for row, by_col in counts.items():
        for col, n in by_col.items():
            report.cells[f"t3.{row}.{col}"] = n
        report.cells[f"t3.{row}.total"] = sum(by_col.values())
    for outcome, n in unknown.items():
        report.issues.append(
            Issue(
                "office-outcome-unknown",
                "error",
                "t3",
                f"有 {n} 件申请的办理结果“{outcome}”不是{fmt.name}表三中的一项，未计入办理结果",
            )
        )


def _fill_t2(report: Report, fmt: Format, rmap: RegisterMap, agency: Agency, year: int) -> None:
    known = set(fmt.cell_ids(optional=True))

    def put(cid: str, value) -> None:
        if cid in known and value is not None:
            report.cells[cid] = _tidy(value) if isinstance(value, Decimal) else value

    fields = [f for f, _ in rmap.documents]
    for d in DocumentFigures.objects.filter(agency=agency, year=year).values("kind", *fields):
        for field, col in rmap.documents:
            put(f"t2.{d['kind']}.{col}", d[field])
    a20 = Article20Figures.objects.filter(agency=agency, year=year).first()
    if a20 is not None:
        for field, cid in rmap.article20:
            put(cid, getattr(a20, field))


def _tidy(v: Decimal) -> int | Decimal:
    return int(v) if v == v.to_integral_value() else v.normalize()


def t4_counts(agency: Agency, year: int, *, pending: str = AppealResult.PENDING) -> list[dict]:
    """One row per appeal kind with the table-四 counts (``formats.roles.T4_RULE``): a single GROUP BY.

    Filed in the year: by result if decided by the year's end, else ``pending``. Filed before the
    year and decided in it: by result. Filed before and still undecided: counted in its filing year.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    decided = Q(decided_on__isnull=False, decided_on__lte=end) & ~Q(result=pending)
    filed = Q(filed_on__gte=start, filed_on__lte=end)
    carried = Q(filed_on__lt=start, decided_on__gte=start, decided_on__lte=end) & ~Q(result=pending)
    results = [r for r in AppealResult if r != pending]
    return list(
        Appeal.objects.filter(agency=agency)
        .filter(filed | carried)
        .order_by()
        .values("kind")
        .annotate(
            **{r.value: Count("id", filter=decided & Q(result=r.value)) for r in results},
            **{pending: Count("id", filter=~decided)},
            carried=Count("id", filter=carried),
        )
    )


def _fill_t4(report: Report, fmt: Format, groups: list[dict]) -> dict[str, int]:
    """Fill table 四; returns, per appeal kind, the cases filed in an earlier year it counts."""
    block = fmt.table("t4").blocks[0]
    parts = [c.key for c in block.columns if c.key != "total"]
    by_kind = {g["kind"]: g for g in groups}
    for row in block.rows:
        g = by_kind.get(row.key, {})
        for col in parts:
            report.cells[f"t4.{row.key}.{col}"] = g.get(col, 0)
        report.cells[f"t4.{row.key}.total"] = sum(g.get(col, 0) for col in parts)
    return {k: g["carried"] for k, g in by_kind.items() if g.get("carried")}


def _listed(items: list[str]) -> str:
    shown = "、".join(items[:LISTED])
    return shown + (f"等{len(items)}件" if len(items) > LISTED else "")


def _register_issues(report: Report, rmap: RegisterMap, agency: Agency, year: int) -> None:
    bad = [c for c in check_notices(agency, date(year, 1, 1), date(year, 12, 31)) if c.problem]
    for c in bad:
        report.issues.append(
            Issue(
                "office-fee-mismatch",
                "warning" if c.verified else "info",
                "s6",
                f"信息处理费与计算不符或无法核对：{c.describe()}",
            )
        )
    late = expired(agency, date(year, 12, 31))
    if late:
        where = f"t3.{rmap.carried_out}.total"
        report.issues.append(
            Issue(
                "office-period-expired",
                "warning",
                where,
                f"有 {len(late)} 件申请的补正期限或缴费期限截至{year}年底已届满、申请人未补正或未缴费，"
                f"但尚未办结，将计入“结转下年度继续办理”：{_listed([e.describe() for e in late])}。"
                f"可视为放弃申请，一次办结（逾期不补正依据{REASONS['no_correction'].grounds}，"
                f"逾期未缴费依据{REASONS['no_payment'].grounds}）：在年度报告页点“办结逾期申请”，"
                f"或运行 gongkai report close-expired --agency {agency.name} --year {year}",
                (where,),
            )
        )


def build_report(agency: Agency, year: int) -> Report:
    """The report of ``agency`` for ``year`` in the format for that year, with check issues."""
    fmt = for_year(year)
    rmap = register_map(fmt.id)
    if rmap is None:
        raise OfficeError(f"{year}年度报告使用{fmt.name}，不能由依申请公开台账生成（只支持2019年及以后）")
    report = Report.empty(fmt.id, year=year, agency=agency.name, title=f"{agency.name}{year}年政府信息公开工作年度报告")
    _fill_t3(report, fmt, rmap, t3_counts(agency, year))
    _fill_t2(report, fmt, rmap, agency, year)
    carried = _fill_t4(report, fmt, t4_counts(agency, year))
    report.sections = sections(report, fmt, carried=carried, fees=fee_year(agency, year))
    _register_issues(report, rmap, agency, year)
    return check(report)
