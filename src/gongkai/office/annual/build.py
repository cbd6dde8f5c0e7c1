"""Assemble a ``Report`` for one agency and year from the office's records, by aggregate queries.

Table 三 (one grouped query over the applications that can count in the year):

- ``new``: received in the year;
- ``carried_in``: received before the year and not closed before it;
- outcome rows: closed (replied, withdrawn, abandoned) in the year, by outcome;
- ``carried_out``: received by the year's end and not closed by it.

Each application in the query is counted once in ``new`` or ``carried_in`` and once in an
outcome row or ``carried_out``, so the table's own rule (第一项加第二项之和等于第三项加第四项之和)
holds by construction. Table 二 comes from the proactive register and the 第二十条 figures (a
figure not entered stays blank, never a guessed 0); table 四 from the appeals filed in the year
(a case decided after the year's end counts as 尚未审结).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q

from gongkai.checks import check
from gongkai.formats import Format, for_year, normalise_label
from gongkai.office.agencies.models import Agency
from gongkai.office.appeals.models import Appeal, AppealResult
from gongkai.office.applications.models import Application
from gongkai.office.applications.vocabulary import applicant_columns, outcome_rows
from gongkai.office.errors import OfficeError
from gongkai.office.proactive.models import Article20Figures, DocumentFigures
from gongkai.report import Issue, Report

T3_COUNTS = ("new", "carried_in", "carried_out")


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


def _fill_t3(report: Report, fmt: Format, groups: list[dict]) -> None:
    cols = [c.key for c in applicant_columns()]
    rows = [r.key for r in outcome_rows(fmt)]
    counts: dict[str, dict[str, int]] = {r: dict.fromkeys(cols, 0) for r in (*T3_COUNTS, *rows)}
    unknown: dict[str, int] = defaultdict(int)
    for g in groups:
        col = g["applicant_type"]
        for key in T3_COUNTS:
            counts[key][col] += g[key]
        if g["closed"]:
            if g["outcome"] in counts and g["outcome"] not in T3_COUNTS:
                counts[g["outcome"]][col] += g["closed"]
            else:
                unknown[g["outcome"] or "（空）"] += g["closed"]
    counts["total"] = {c: sum(counts[r][c] for r in rows) for c in cols}
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


def _fill_t2(report: Report, fmt: Format, agency: Agency, year: int) -> None:
    docs = DocumentFigures.objects.filter(agency=agency, year=year).values(
        "kind", "made", "repealed", "in_force", "published"
    )
    a20 = Article20Figures.objects.filter(agency=agency, year=year).first()
    known = set(fmt.cell_ids(optional=True))

    def put(cid: str, value) -> None:
        if cid in known:
            report.cells[cid] = value

    for d in docs:
        k = d["kind"]
        if fmt.id == "gb2021":
            put(f"t2.{k}.made", d["made"])
            put(f"t2.{k}.repealed", d["repealed"])
            put(f"t2.{k}.in_force", d["in_force"])
        else:
            put(f"t2.{k}.new_made", d["made"])
            put(f"t2.{k}.new_published", d["published"])
            put(f"t2.{k}.total_published", d["in_force"])
    if a20 is not None:
        put("t2.licensing.decisions", a20.licensing)
        put("t2.penalty.decisions", a20.penalty)
        put("t2.coercion.decisions", a20.coercion)
        if a20.fees_wan is not None:
            put("t2.fees.amount_wan", _tidy(a20.fees_wan))


def _tidy(v: Decimal) -> int | Decimal:
    return int(v) if v == v.to_integral_value() else v.normalize()


def t4_counts(agency: Agency, year: int) -> list[dict]:
    """One row per appeal kind with the table-四 counts: a single GROUP BY."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    decided = Q(decided_on__isnull=False, decided_on__lte=end)
    results = [r for r in AppealResult if r != AppealResult.PENDING]
    return list(
        Appeal.objects.filter(agency=agency, filed_on__gte=start, filed_on__lte=end)
        .order_by()
        .values("kind")
        .annotate(
            **{r.value: Count("id", filter=decided & Q(result=r.value)) for r in results},
            pending=Count("id", filter=~decided | Q(result=AppealResult.PENDING)),
        )
    )


def _fill_t4(report: Report, fmt: Format, groups: list[dict]) -> None:
    block = fmt.table("t4").blocks[0]
    parts = [c.key for c in block.columns if c.key != "total"]
    by_kind = {g["kind"]: g for g in groups}
    for row in block.rows:
        g = by_kind.get(row.key, {})
        for col in parts:
            report.cells[f"t4.{row.key}.{col}"] = g.get(col, 0)
        report.cells[f"t4.{row.key}.total"] = sum(g.get(col, 0) for col in parts)


# ------------------------------------------------------------------ the draft text

TODO = "【待补充】"


def _n(v) -> str:
    return "0" if v is None else str(v)


def _sections(report: Report, fmt: Format) -> dict[str, str]:
    c = report.cells
    year = report.year
    reviews = c["t4.review.total"]
    suits = c["t4.suit_direct.total"] + c["t4.suit_after_review.total"]
    s1 = (
        f"{year}年，本机关共收到政府信息公开申请{c['t3.new.total']}件，上年结转{c['t3.carried_in.total']}件，"
        f"本年度办结{c['t3.total.total']}件，结转下年度继续办理{c['t3.carried_out.total']}件；"
        f"因政府信息公开工作被申请行政复议{reviews}件，被提起行政诉讼{suits}件。"
    )

    t2 = []
    for row in fmt.table("t2").blocks[0].rows:
        vals = [(col, c.get(f"t2.{row.key}.{col.key}")) for col in fmt.table("t2").blocks[0].columns]
        if any(v is not None for _, v in vals):
            shown = "，".join(f"{normalise_label(col.label)}{_n(v)}件" for col, v in vals if v is not None)
            t2.append(f"{normalise_label(row.label)}：{shown}")
    for key, name in (("licensing", "行政许可"), ("penalty", "行政处罚"), ("coercion", "行政强制")):
        v = c.get(f"t2.{key}.decisions")
        if v is not None:
            t2.append(f"{name}处理决定{v}件")
    if c.get("t2.fees.amount_wan") is not None:
        t2.append(f"行政事业性收费{c['t2.fees.amount_wan']}万元")
    s2 = f"{year}年，本机关主动公开情况如下：{'；'.join(t2)}。" if t2 else f"{TODO}尚未填报{year}年主动公开数据。"

    by_category: dict[str, int] = {}
    for row in outcome_rows(fmt):
        name = normalise_label(row.group) if "." in row.key else normalise_label(row.label)
        by_category[name] = by_category.get(name, 0) + c[f"t3.{row.key}.total"]
    natural = c["t3.new.natural"]
    s3 = (
        f"本年新收政府信息公开申请{c['t3.new.total']}件（其中自然人{natural}件，"
        f"法人或其他组织{c['t3.new.total'] - natural}件），上年结转{c['t3.carried_in.total']}件。"
        f"本年度办理结果：{'，'.join(f'{k}{v}件' for k, v in by_category.items())}，"
        f"共计{c['t3.total.total']}件；结转下年度继续办理{c['t3.carried_out.total']}件。"
    )

    t4 = fmt.table("t4").blocks[0]

    def detail(key: str) -> str:
        return "、".join(
            f"{normalise_label(col.label)}{c[f't4.{key}.{col.key}']}件" for col in t4.columns if col.key != "total"
        )

    s4 = f"本年度因政府信息公开被申请行政复议{reviews}件"
    s4 += f"（{detail('review')}）" if reviews else ""
    s4 += f"；被提起行政诉讼{suits}件"
    if suits:
        s4 += "（" + "；".join(f"{r.label}：{detail(r.key)}" for r in t4.rows if r.key != "review") + "）"
    s4 += "。"
    return {
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "s4": s4,
        "s5": f"{TODO}请填写本年度政府信息公开工作存在的主要问题及改进情况。",
        "s6": f"{TODO}请填写其他需要报告的事项（如收取信息处理费情况）。",
    }


def build_report(agency: Agency, year: int) -> Report:
    """The report of ``agency`` for ``year`` in the format for that year, with check issues."""
    fmt = for_year(year)
    if fmt.id not in ("gb2021", "gb2019"):
        raise OfficeError(f"{year}年度报告使用{fmt.name}，不能由依申请公开台账生成（只支持2019年及以后）")
    report = Report.empty(fmt.id, year=year, agency=agency.name, title=f"{agency.name}{year}年政府信息公开工作年度报告")
    _fill_t3(report, fmt, t3_counts(agency, year))
    _fill_t2(report, fmt, agency, year)
    _fill_t4(report, fmt, t4_counts(agency, year))
    report.sections = _sections(report, fmt)
    return check(report)
