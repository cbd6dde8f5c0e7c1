"""Reply letters (政府信息公开申请答复书、告知书) as DOCX, from editable templates.

One template per outcome group of table 三 (``granted``, ``partial``, ``denied``, ``unable``,
``refused``, ``other``), plus ``inquiry`` for ``denied.inquiry`` (a 第三十六条（七） answer, not a
不予公开 decision); the notices are in ``gongkai.notices``. The outcome's official label and the
article it rests on (``Row.basis``) come from ``gongkai.formats``; the law's words (第三十六条's
items, the remedies, the usual bases) come from ``gongkai.law``. Templates are docxtpl documents:
an administrator's copy in ``$GONGKAI_DATA_DIR/letters/<name>.docx`` (default
``~/.local/share/gongkai/letters``) wins over the packaged one (``data/letters``).

第三十六条: one item per answer, with what that item requires —

- ``granted``: （一） already published (``published``: how and where to get it) or （二） provided
  (how, where and when: ``provide_by``, ``provide_at``, ``provide_date``);
- ``unable.not_held``: （四） the information does not exist (``not_held_reason="absent"``) or （五）
  another agency is responsible (``"elsewhere"`` + ``responsible_agency`` and its contact);
- ``partial``: the ground of the withheld part (``withheld``: a ``denied.*`` row, 第十四—十六条);
- ``denied.inquiry``: （七） the special procedure to follow (``procedure``).

A letter missing what its answer requires raises ``LetterError`` naming it (``missing``).

Remedies (``law.remedy_for``): from 2024-01-01 every 不予公开 decision (``denied.*`` except
``denied.inquiry``, and the withheld part of ``partial``) tells the applicant to apply for 行政复议
first (《行政复议法》第二十三条) before suing; other letters offer 复议 within 60 days or
诉讼 within 6 months. ``review_body``/``court`` name the bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from io import BytesIO
from pathlib import Path

from gongkai import law
from gongkai.errors import GongkaiError
from gongkai.formats import FORMATS, Row
from gongkai.paths import data_dir

__all__ = [
    "FIELDS",
    "NOT_HELD_REASONS",
    "LetterContext",
    "LetterError",
    "cn_date",
    "outcomes",
    "plain_label",
    "render",
    "render_letter",
    "template_path",
    "withheld_grounds",
]

STATUTE = law.REGULATION.title
PACKAGED = Path(__file__).resolve().parent / "data" / "letters"
GROUPS = ("granted", "partial", "denied", "unable", "refused", "other")  # template names
TEMPLATES = {"denied.inquiry": "inquiry"}  # outcomes whose group's template does not fit
WITHHOLD_ARTICLE = law.ANSWERS["（三）"].cite().removeprefix(STATUTE)  # 第三十六条第（三）项

# unable.not_held: the clerk picks one of 第三十六条（四）/（五）.
NOT_HELD_REASONS = {"absent": "（四）", "elsewhere": "（五）"}
NOT_HELD_LABELS = {
    "absent": "信息不存在（第三十六条第（四）项）",
    "elsewhere": "不属于本机关负责公开（第三十六条第（五）项）",
}

# What each piece of content is called, for the message when it is missing.
FIELDS = {
    "provide_by": "提供政府信息的方式",
    "provide_at": "获取政府信息的途径（地点）",
    "provide_date": "提供政府信息的时间",
    "not_held_reason": "无法提供的具体情形（信息不存在，或不属于本机关负责公开）",
    "responsible_agency": "负责公开该政府信息的行政机关名称",
    "responsible_contact": "负责公开该政府信息的行政机关的联系方式",
    "withheld": "不予公开部分的理由（第十四条、第十五条或第十六条）",
    "procedure": "应依照办理的法律、行政法规规定及办理途径",
    "basis": "答复依据",
}
# The outcome each piece of content belongs to: giving it to another answer is refused.
BELONGS = {
    "published": "granted",
    "provide_by": "granted",
    "provide_at": "granted",
    "provide_date": "granted",
    "not_held_reason": "unable.not_held",
    "responsible_agency": "unable.not_held",
    "responsible_contact": "unable.not_held",
    "withheld": "partial",
    "procedure": "denied.inquiry",
}
# What the letter says for outcomes whose answer is fixed by the 条例.
FIXED_ANSWERS = {
    "other.no_correction": "您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
    "other.unpaid_fee": "您逾期未按收费通知要求缴纳费用，视为放弃申请，本机关不再处理该政府信息公开申请。",
}


class LetterError(GongkaiError, ValueError):
    """A letter that cannot be written as asked; ``missing`` names absent content (``FIELDS`` keys)."""

    def __init__(self, message: str, *, missing: tuple[str, ...] = (), **kw):
        self.missing = tuple(missing)
        super().__init__(message, **kw)


@dataclass(frozen=True)
class LetterContext:
    """What a letter says about one application.

    ``details``: free text the officer adds (reasons, what is enclosed, 补正事项, the reason for an
    extension). ``basis``: an article to cite instead of the outcome's own, or the key of a usual
    basis (``law.USUAL_BASES``) — required for outcomes the 条例 gives no article for (其他处理·其他,
    确认或重新出具). ``doc_number``: the letter's 文号. The rest: see the module doc.
    """

    agency: str
    applicant: str
    number: str
    received: date
    content: str
    reply_date: date
    review_body: str = ""
    court: str = ""
    contact: str = ""
    details: str = ""
    basis: str = ""
    doc_number: str = ""
    published: bool = False
    provide_by: str = ""
    provide_at: str = ""
    provide_date: date | None = None
    not_held_reason: str = ""
    responsible_agency: str = ""
    responsible_contact: str = ""
    withheld: str = ""
    procedure: str = ""

    def replace(self, **changes) -> LetterContext:
        return LetterContext(**{f.name: getattr(self, f.name) for f in fields(self)} | changes)


def cn_date(d: date) -> str:
    """2024年9月27日."""
    return f"{d.year}年{d.month}月{d.day}日"


_ORDINAL = re.compile(r"^(?:（[一二三四五六七八九十]+）|\d+[.．、])")
_NOTE = re.compile(r"（[^（）]*）$")


def plain_label(label: str) -> str:
    """An official label without its ordinal and trailing note: （二）部分公开（区分处理的…） → 部分公开."""
    return _NOTE.sub("", _ORDINAL.sub("", label.strip()))


_plain = plain_label


def outcomes(fmt_id: str) -> dict[str, Row]:
    """The outcome rows of table 三 of a format, by key (granted, denied.state_secret, …)."""
    fmt = FORMATS.get(fmt_id)
    if fmt is None:
        known = "、".join(FORMATS)
        raise LetterError(f"未知的报表格式 {fmt_id!r}，应为 {known} 之一")
    table = fmt.table("t3")
    if table is None:
        raise LetterError(f"格式 {fmt_id} 没有表三（办理结果），不能据以生成答复书")
    return {row.key: row for block in table.blocks for row in block.rows if row.key.split(".")[0] in GROUPS}


def withheld_grounds(fmt_id: str = "gb2021") -> dict[str, Row]:
    """The grounds a withheld part of ``partial`` may rest on: the 不予公开 rows (第十四—十六条)."""
    return {k: r for k, r in outcomes(fmt_id).items() if law.is_withholding(k)}


def template_path(name: str) -> Path:
    """The administrator's template if there is one, otherwise the packaged one."""
    custom = data_dir() / "letters" / f"{name}.docx"
    if custom.is_file():
        return custom
    packaged = PACKAGED / f"{name}.docx"
    if not packaged.is_file():
        raise LetterError(f"找不到答复书模板 {name}.docx")
    return packaged


_REQUIRED = (("agency", "机关名称"), ("applicant", "申请人"), ("number", "申请编号"), ("content", "申请内容"))


def check_context(ctx: LetterContext, what: str = "答复书") -> None:
    for name, label in _REQUIRED:
        if not str(getattr(ctx, name) or "").strip():
            raise LetterError(f"{what}缺少{label}")
    if ctx.reply_date < ctx.received:
        raise LetterError(f"{what}日期 {cn_date(ctx.reply_date)} 早于收到申请的日期 {cn_date(ctx.received)}")


def values(ctx: LetterContext, citation: str, **extra) -> dict:
    """The placeholders every template may use."""
    remedy = law.remedy_for(extra.pop("outcome_key", ""), ctx.reply_date)
    return {
        "agency": ctx.agency,
        "applicant": ctx.applicant,
        "number": ctx.number,
        "doc_number": ctx.doc_number,
        "received": cn_date(ctx.received),
        "content": ctx.content,
        "reply_date": cn_date(ctx.reply_date),
        "details": ctx.details,
        "contact": ctx.contact,
        "review_body": ctx.review_body or law.DEFAULT_REVIEW_BODY,
        "court": ctx.court or law.DEFAULT_COURT,
        "review_days": law.REVIEW_DAYS,
        "suit_months": law.SUIT_MONTHS,
        "remedies": remedy.render(ctx.review_body, ctx.court),
        "citation": citation,
        "citation_clause": f"根据{citation}的规定，" if citation else "",
        **extra,
    }


def render(name: str, values: dict) -> bytes:
    """Fill template ``name`` with ``values``; the DOCX as bytes."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(str(template_path(name)))
    doc.render(values, autoescape=True)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _text(value) -> str:
    return str(value or "").strip()


def _check_belongs(key: str, label: str, ctx: LetterContext) -> None:
    """One item per answer: content meant for another answer is refused, not silently dropped."""
    for name, owner in BELONGS.items():
        if owner != key and getattr(ctx, name):
            what = FIELDS.get(name, "已主动公开")
            raise LetterError(f"“{what}”只用于办理结果“{owner}”，不适用于“{label}”的答复")


def _answer(key: str, row: Row, ctx: LetterContext, fmt_id: str) -> tuple[list[str], str, list[str]]:
    """(articles cited, the answer paragraph, missing content) for outcome ``key``."""
    missing: list[str] = []

    def need(*names: str) -> None:
        missing.extend(n for n in names if not _text(getattr(ctx, n)))

    if key == "granted":
        need("provide_by", "provide_at")
        if ctx.published:
            answer = f"该政府信息本机关已主动公开。获取方式：{ctx.provide_by}；获取途径：{ctx.provide_at}。"
            return [law.ANSWERS["（一）"].cite().removeprefix(STATUTE)], answer, missing
        need("provide_date")
        when = cn_date(ctx.provide_date) if ctx.provide_date else ""
        answer = f"提供方式：{ctx.provide_by}；获取途径（地点）：{ctx.provide_at}；提供时间：{when}。"
        return [law.ANSWERS["（二）"].cite().removeprefix(STATUTE)], answer, missing
    if key == "unable.not_held":
        reason = ctx.not_held_reason
        if reason and reason not in NOT_HELD_REASONS:
            raise LetterError(
                f"未知的无法提供情形 {reason!r}，应为 absent（信息不存在）或 elsewhere（不属于本机关负责公开）"
            )
        if not reason:
            return [], "", ["not_held_reason"]
        item = NOT_HELD_REASONS[reason]
        if reason == "absent":
            answer = "经检索，本机关没有您所申请公开的信息，该政府信息不存在。"
        else:
            need("responsible_agency", "responsible_contact")
            answer = (
                f"您所申请公开的信息不属于本机关负责公开。负责公开该政府信息的行政机关为{ctx.responsible_agency}，"
                f"联系方式：{ctx.responsible_contact}。"
            )
        return [law.ANSWERS[item].cite().removeprefix(STATUTE)], answer, missing
    if key == "partial":
        if not ctx.withheld:
            return [row.basis], "", ["withheld"]
        grounds = withheld_grounds(fmt_id)
        ground = grounds.get(ctx.withheld) or grounds.get(f"denied.{ctx.withheld}")
        if ground is None:
            known = "、".join(k.removeprefix("denied.") for k in grounds)
            raise LetterError(f"未知的不予公开理由 {ctx.withheld!r}，应为 {known} 之一")
        answer = f"对不予公开的部分，根据{STATUTE}{ground.basis}的规定，理由是：{_plain(ground.label)}。"
        return [row.basis, ground.basis], answer, missing
    if key == "denied.inquiry":
        need("procedure")
        return [row.basis], f"请您依照以下规定和途径办理：{ctx.procedure}。", missing
    if law.is_withholding(key):
        return [row.basis, WITHHOLD_ARTICLE], "", missing
    return ([row.basis] if row.basis else []), FIXED_ANSWERS.get(key, ""), missing


def render_letter(outcome_key: str, fmt_id: str, context: LetterContext) -> bytes:
    """The reply letter for one outcome of table 三 (e.g. ``denied.third_party``) as DOCX bytes."""
    rows = outcomes(fmt_id)
    row = rows.get(outcome_key)
    if row is None:
        known = "、".join(rows)
        raise LetterError(f"格式 {fmt_id} 没有办理结果 {outcome_key!r}，应为 {known} 之一")
    check_context(context)
    label = _plain(row.label)
    _check_belongs(outcome_key, label, context)
    articles, answer, missing = _answer(outcome_key, row, context, fmt_id)
    usual = law.usual_basis(outcome_key, context.basis)
    if usual is not None:
        articles, answer = [usual.citation] if usual.citation else [], f"{usual.reason}。"
    elif context.basis:
        extra = [WITHHOLD_ARTICLE] if law.is_withholding(outcome_key) else []
        articles = [context.basis] + [a for a in extra if a not in context.basis]
    if missing:
        need = "、".join(FIELDS[m] for m in missing)
        raise LetterError(f"“{label}”的答复书缺少：{need}", missing=tuple(missing))
    if not any(articles) and not answer:
        options = "；".join(f"{b.key}（{b.label}）" for b in law.USUAL_BASES.get(outcome_key, ()))
        hint = f"，可选常用依据：{options}" if options else ""
        raise LetterError(f"办理结果“{label}”在条例中没有对应条款，请写明答复依据{hint}", missing=("basis",))
    if outcome_key.split(".")[0] == "other" and not answer:
        answer = f"本机关对您的申请作如下处理：{label}。"
    citation = STATUTE + "、".join(a for a in articles if a) if any(articles) else ""
    name = TEMPLATES.get(outcome_key, outcome_key.split(".")[0])
    extra = {
        "outcome_key": outcome_key,
        "outcome_label": label,
        "answer": answer,
        "provide_by": context.provide_by,
        "provide_at": context.provide_at,
        "provide_date": cn_date(context.provide_date) if context.provide_date else "",
        "responsible_agency": context.responsible_agency,
        "responsible_contact": context.responsible_contact,
        "procedure": context.procedure,
    }
    return render(name, values(context, citation, **extra))
