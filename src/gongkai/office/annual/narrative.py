"""The draft text of a report built from the register: sections 一 to 六 from its cells and records.

Sections 一–四 restate the tables; 五 is left for the office to write (marked ``TODO``); 六 states
the information-processing fees (信息处理费) of the year from the ledger's fee notices and
payments (国办函〔2020〕109号), as 国办公开办函〔2021〕30号 asks section 六 to.
"""

from __future__ import annotations

from decimal import Decimal

from gongkai import law
from gongkai.formats import Format, normalise_label
from gongkai.office.applications.fees import FeeYear
from gongkai.office.applications.vocabulary import outcome_rows
from gongkai.report import Report

TODO = "【待补充】"


def _n(v) -> str:
    return "0" if v is None else str(v)


def yuan(amount: Decimal) -> str:
    """300元, 12.5元: amounts as a report writes them (no thousands separator)."""
    q = amount.quantize(Decimal("0.01"))
    text = f"{q:f}".rstrip("0").rstrip(".") if "." in f"{q:f}" else f"{q:f}"
    return f"{text}元"


def fees_paragraph(f: FeeYear) -> str:
    """Section 六's account of the year's 信息处理费, from the ledger."""
    measures = f"{law.FEE_MEASURES.title}（{law.FEE_MEASURES.version}）"
    if not f.notices and not f.paid:
        return f"{f.year}年，本机关未依据{measures}向申请人收取信息处理费。"
    parts = []
    if f.notices:
        kinds = "，".join(f"{name}{n}件" for name, n in (("按件计收", f.per_item), ("按量计收", f.per_volume)) if n)
        parts.append(f"发出信息处理费收费通知{f.notices}件（{kinds}），通知金额合计{yuan(f.notified)}")
    paid = f"实际收取信息处理费{f.paid}件，共计{yuan(f.collected)}"
    if f.paid_for_earlier:
        paid += f"（其中上年度发出收费通知、本年度缴纳{f.paid_for_earlier}件）"
    parts.append(paid)
    if f.unpaid:
        unpaid = f"本年度发出的收费通知中有{f.unpaid}件至年底未缴纳"
        if f.abandoned:
            unpaid += f"（其中{f.abandoned}件申请人逾期未缴纳，视为放弃申请，不再处理）"
        parts.append(unpaid)
    return f"{f.year}年，本机关依据{measures}，" + "；".join(parts) + "。"


def sections(report: Report, fmt: Format, *, carried: dict[str, int], fees: FeeYear) -> dict[str, str]:
    """s1–s6; ``carried``: per appeal kind, the cases filed in an earlier year that table 四 counts."""
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

    def earlier(keys) -> str:
        n = sum(carried.get(k, 0) for k in keys)
        return f"，其中以前年度立案、本年审结{n}件" if n else ""

    s4 = f"本年度因政府信息公开被申请行政复议{reviews}件"
    s4 += f"（{detail('review')}{earlier(['review'])}）" if reviews else ""
    s4 += f"；被提起行政诉讼{suits}件"
    if suits:
        suit_rows = [r for r in t4.rows if r.key != "review"]
        s4 += "（" + "；".join(f"{r.label}：{detail(r.key)}" for r in suit_rows)
        s4 += earlier([r.key for r in suit_rows]) + "）"
    s4 += "。"
    return {
        "s1": s1,
        "s2": s2,
        "s3": s3,
        "s4": s4,
        "s5": f"{TODO}请填写本年度政府信息公开工作存在的主要问题及改进情况。",
        "s6": fees_paragraph(fees),
    }
