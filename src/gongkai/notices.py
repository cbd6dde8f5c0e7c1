"""Notices an office sends while an application is open, as DOCX, and their timing.

- ``correction`` 补正告知书 (条例第三十条): within 7 working days of receipt, once;
- ``extension`` 延期答复告知书 (第三十三条第二款): before the reply deadline, at most 20 working days;
- ``consultation`` 征求第三方意见书 (第三十二条): to the third party, 15 working days to answer;
- ``fee`` 收费通知书 (第四十二条, 国办函〔2020〕109号): basis, standard, amount, how to pay; 20
  working days counted from the day after the applicant receives it.

``timing_warnings`` flags a notice dated later than the law allows (a 补正 notice after the 7th
working day, an extension or fee notice after the reply deadline): the callers show the flag and
still let the office produce the notice — a late notice is a fact to record, not to hide.
Templates come from ``gongkai.letters.template_path`` like the reply letters.
"""

from __future__ import annotations

from datetime import date

from gongkai import law
from gongkai.fees import METHOD_LABELS, FeeQuote, Method
from gongkai.letters import LetterContext, LetterError, check_context, cn_date, render, values
from gongkai.workdays import Calendar

__all__ = ["NOTICES", "render_consultation", "render_fee_notice", "render_notice", "timing_warnings"]

STATUTE = law.REGULATION.title
NOTICES = {
    "correction": "补正告知书",
    "extension": "延期答复告知书",
    "consultation": "征求第三方意见书",
    "fee": "收费通知书",
}
ARTICLES = {"correction": "第三十条", "extension": "第三十三条第二款", "consultation": "第三十二条"}
FEE_STANDARDS = {Method.BY_COUNT: "第四条", Method.BY_PAGES: "第五条"}


def _days(days) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise LetterError(f"天数应为正整数个工作日，收到的是 {days!r}")
    return days


def render_notice(kind: str, context: LetterContext, *, days: int, until: date | None = None) -> bytes:
    """A 补正告知书 (``correction``: ``days`` to correct, ``details`` = what) or a 延期答复告知书
    (``extension``: ``days`` added, ``details`` = why; ``until`` = the new due date)."""
    if kind not in ("correction", "extension"):
        raise LetterError(f"未知的告知书类型 {kind!r}，应为 correction、extension 之一")
    check_context(context, "告知书")
    if not context.details.strip():
        need = "需要补正的事项" if kind == "correction" else "延期的理由"
        raise LetterError(f"告知书缺少{need}（details）")
    _days(days)
    if kind == "extension" and days > law.MAX_EXTENSION_DAYS:
        raise LetterError(
            f"延长答复期限最长不得超过{law.MAX_EXTENSION_DAYS}个工作日（第三十三条第二款），收到的是 {days}"
        )
    if until is None:
        until_text = ""
    elif kind == "correction":
        until_text = f"（即{cn_date(until)}前）"
    else:
        until_text = f"，至{cn_date(until)}"
    citation = STATUTE + (context.basis or ARTICLES[kind])
    return render(kind, values(context, citation, days=days, until_text=until_text))


def render_consultation(
    context: LetterContext, *, third_party: str, served: date | None = None, calendar: Calendar | None = None
) -> bytes:
    """A 征求第三方意见书 to ``third_party`` (第三十二条): ``details`` = how disclosure may harm it;
    ``served`` (optional) = the day the third party receives it, to state the last day to answer."""
    check_context(context, "征求意见书")
    if not third_party.strip():
        raise LetterError("征求第三方意见书缺少第三方名称", missing=("third_party",))
    if not context.details.strip():
        raise LetterError("征求第三方意见书缺少公开可能损害第三方合法权益的情况（details）", missing=("details",))
    days = law.CONSULTATION_DAYS
    until_text = f"（即{cn_date(_calendar(calendar).add_workdays(served, days))}前）" if served else ""
    extra = {"third_party": third_party, "days": days, "until_text": until_text}
    return render("consultation", values(context, STATUTE + ARTICLES["consultation"], **extra))


def render_fee_notice(
    context: LetterContext,
    quote: FeeQuote,
    *,
    pay_how: str,
    served: date | None = None,
    calendar: Calendar | None = None,
) -> bytes:
    """A 收费通知书: ``quote`` from ``gongkai.fees`` (amount and its steps), ``pay_how`` = how to pay
    (account, place, payment code); ``served`` (optional) = the day the applicant receives the
    notice, to state the last day of the payment window (the 20th working day after it)."""
    check_context(context, "收费通知书")
    if quote.method is None or quote.amount <= 0:
        raise LetterError("本次申请不收费，不应发出收费通知书")
    if not pay_how.strip():
        raise LetterError("收费通知书缺少缴纳方式", missing=("pay_how",))
    days = law.FEE_PAYMENT_DAYS
    until = f"（即{cn_date(_calendar(calendar).add_workdays(served, days))}前）" if served else ""
    article = FEE_STANDARDS[quote.method]
    extra = {
        "fee_basis": law.FEE_BASIS,
        "fee_method": METHOD_LABELS[quote.method],
        "fee_standard": law.article(article, law.FEE_MEASURES).text.split("……")[-1],
        "fee_standard_article": f"{law.FEE_MEASURES.title}{article}",
        "amount": _yuan(quote.amount),
        "fee_steps": "；".join(quote.steps),
        "pay_how": pay_how,
        "days": days,
        "window": law.FEE_WINDOW.format(days=days, until=until),
    }
    return render("fee", values(context, law.FEE_BASIS, **extra))


def _yuan(amount) -> str:
    """1500 → "1500", 1500.5 → "1500.50"."""
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"


def _calendar(calendar: Calendar | None) -> Calendar:
    if calendar is not None:
        return calendar
    from gongkai.workdays import default_calendar

    return default_calendar()


def timing_warnings(
    kind: str, context: LetterContext, *, due: date | None = None, calendar: Calendar | None = None
) -> list[str]:
    """Why a notice dated ``context.reply_date`` is late, in Chinese; empty when it is in time.

    ``due``: the reply deadline when the ledger knows it (pauses, 补正); otherwise the 20th
    working day after receipt is used.
    """
    cal = _calendar(calendar)
    day = context.reply_date
    if kind == "correction":
        limit = cal.add_workdays(context.received, law.CORRECTION_NOTICE_DAYS)
        if day > limit:
            return [
                f"补正告知书日期{cn_date(day)}晚于收到申请后第{law.CORRECTION_NOTICE_DAYS}个工作日"
                f"（{cn_date(limit)}）：第三十条要求自收到申请之日起{law.CORRECTION_NOTICE_DAYS}个工作日内"
                "一次性告知申请人补正"
            ]
    elif kind in ("extension", "fee"):
        limit = due or cal.add_workdays(context.received, law.REPLY_DAYS)
        if day > limit:
            if kind == "extension":
                why = (
                    "第三十三条第二款的延期应在答复期限内经政府信息公开工作机构负责人同意并告知申请人，"
                    "期限届满后延期不能消除超期"
                )
            else:
                why = "收费通知应在政府信息公开申请处理期限内发出（国办函〔2020〕109号）"
            return [f"{NOTICES[kind]}日期{cn_date(day)}晚于答复期限（{cn_date(limit)}）：{why}"]
    return []
