"""Information-processing fees (信息处理费) for applications, as pure functions.

Rules (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号; 《中华人民共和国政府信息公开条例》2019):

- 条例第四十二条: information is provided free of charge; a fee may be charged only when the
  number or frequency of an applicant's requests clearly exceeds a reasonable range.
- 办法第三条: charged either per application (按件) or per page (按量), both progressively
  (超额累进); one application is charged by one method only, never by both.
- 办法第四条 (按件, any decision type): within one natural month, the same applicant's
  applications 1–10 are free, 11–30 cost 100 元/件, from the 31st every further band of 10
  costs 100 元/件 more (31–40: 200, 41–50: 300, …). An application with several items may be
  split into applications by 一事一申请.
- 办法第五条 (按量): applies when the applicant asks for paper copies, e-mail or copied
  electronic data; pages 1–30 free, 31–100 at 10 元/页, 101–200 at 20 元/页, from 201 at 40 元/页.
- 办法第八条: the applicant pays within 20 working days from the day after receiving the fee
  notice (``law.FEE_PAYMENT_DAYS``); otherwise the application is 视为放弃.

The numbers live in ``FeeSchedule``; ``SCHEDULE`` is the one in force. ``month_counts`` numbers
an applicant's applications within each natural month (the register supplies them, nobody
types the count), ``for_nth`` prices the n-th one and ``amount_problem`` compares a stored
amount with the calculator.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from gongkai import law
from gongkai.errors import GongkaiError

__all__ = [
    "SCHEDULE",
    "Delivery",
    "FeeError",
    "FeeQuote",
    "FeeSchedule",
    "Method",
    "MonthCount",
    "amount_problem",
    "applicant_key",
    "by_count",
    "by_pages",
    "for_nth",
    "month_counts",
    "payment_note",
    "quote",
    "waived",
]

BASIS_MEASURES = f"{law.FEE_MEASURES.title}（{law.FEE_MEASURES.version}）"
BASIS_STATUTE = law.article("第四十二条").cite()


@dataclass(frozen=True)
class FeeSchedule:
    """The 办法's numbers, in 元."""

    count_free: int = 10  # 第四条（一）: up to 10 applications a month, free
    count_first_upto: int = 30  # 第四条（二）: 11–30
    count_first_rate: Decimal = Decimal(100)  # 元/件 for 11–30
    count_band: int = 10  # 第四条（三）: bands of 10 from the 31st
    count_band_step: Decimal = Decimal(100)  # each band costs this much more per application
    # 第五条: (last page of the tier, 元/页); the last tier has no upper bound
    page_tiers: tuple[tuple[int | None, Decimal], ...] = field(
        default=(
            (30, Decimal(0)),
            (100, Decimal(10)),
            (200, Decimal(20)),
            (None, Decimal(40)),
        )
    )


SCHEDULE = FeeSchedule()


class FeeError(GongkaiError, ValueError):
    """A fee question that cannot be answered as asked."""


class Method(StrEnum):
    BY_COUNT = "by_count"  # 按件计收
    BY_PAGES = "by_pages"  # 按量计收


METHOD_LABELS = {Method.BY_COUNT: "按件计收", Method.BY_PAGES: "按量计收"}


class Delivery(StrEnum):
    """How the information is handed over; 按量计收 applies to the first three only (办法第五条)."""

    PAPER = "paper"  # 提供纸质件
    EMAIL = "email"  # 发送电子邮件
    DATA_COPY = "data_copy"  # 复制电子数据
    INSPECTION = "inspection"  # 安排查阅、抄录
    OTHER = "other"


DELIVERY_LABELS = {
    Delivery.PAPER: "提供纸质件",
    Delivery.EMAIL: "发送电子邮件",
    Delivery.DATA_COPY: "复制电子数据",
    Delivery.INSPECTION: "安排查阅、抄录",
    Delivery.OTHER: "其他方式",
}
_PAGE_DELIVERIES = frozenset({Delivery.PAPER, Delivery.EMAIL, Delivery.DATA_COPY})


@dataclass(frozen=True)
class FeeQuote:
    """What an application costs and why. ``steps`` explain the amount, one Chinese line each."""

    amount: Decimal  # 元
    method: Method | None  # None: no fee charged (``waived``)
    steps: tuple[str, ...]
    basis: str

    def to_dict(self) -> dict:
        return {
            "amount": str(self.amount),
            "method": str(self.method) if self.method else None,
            "steps": list(self.steps),
            "basis": self.basis,
        }


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.0f}元" if amount == amount.to_integral_value() else f"{amount:,.2f}元"


def _whole(value, what: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FeeError(f"{what}应为整数，收到的是 {value!r}")
    if value < minimum:
        raise FeeError(f"{what}不能小于 {minimum}，收到的是 {value}")
    return value


def _count_rate(n: int, s: FeeSchedule) -> Decimal:
    """元 for the n-th application of the month."""
    if n <= s.count_free:
        return Decimal(0)
    if n <= s.count_first_upto:
        return s.count_first_rate
    band = (n - s.count_first_upto - 1) // s.count_band + 1
    return s.count_first_rate + band * s.count_band_step


def _band_end(n: int, s: FeeSchedule) -> int:
    """The last application number charged at the same rate as the n-th."""
    if n <= s.count_free:
        return s.count_free
    if n <= s.count_first_upto:
        return s.count_first_upto
    return s.count_first_upto + ((n - s.count_first_upto - 1) // s.count_band + 1) * s.count_band


def by_count(count: int, *, prior: int = 0, schedule: FeeSchedule = SCHEDULE) -> FeeQuote:
    """按件计收 for ``count`` applications, after ``prior`` ones by the same applicant in the
    same natural month (the count after splitting by 一事一申请)."""
    count = _whole(count, "本次申请件数", minimum=1)
    prior = _whole(prior, "本月此前已申请件数", minimum=0)
    first, last = prior + 1, prior + count
    steps = [f"同一申请人本自然月第{first}件至第{last}件（此前已申请{prior}件）"]
    total = Decimal(0)
    n = first
    while n <= last:
        rate = _count_rate(n, schedule)
        end = min(last, _band_end(n, schedule))
        k = end - n + 1
        part = rate * k
        span = f"第{n}件" if k == 1 else f"第{n}—{end}件"
        if rate == 0:
            steps.append(f"{span}：{schedule.count_free}件以内（含{schedule.count_free}件），不收费")
        else:
            steps.append(f"{span}：{k}件 × {_yuan(rate)}/件 = {_yuan(part)}")
        total += part
        n = end + 1
    steps.append(f"合计 {_yuan(total)}")
    return FeeQuote(total, Method.BY_COUNT, tuple(steps), f"{BASIS_MEASURES}第三条、第四条")


def by_pages(pages: int, *, delivery: Delivery | str = Delivery.PAPER, schedule: FeeSchedule = SCHEDULE) -> FeeQuote:
    """按量计收 for one application of ``pages`` pages."""
    pages = _whole(pages, "页数", minimum=0)
    try:
        delivery = Delivery(delivery)
    except ValueError:
        known = "、".join(d.value for d in Delivery)
        raise FeeError(f"未知的提供方式 {delivery!r}，应为 {known} 之一") from None
    if delivery not in _PAGE_DELIVERIES:
        raise FeeError(
            f"按量计收只适用于提供纸质件、发送电子邮件、复制电子数据等方式（办法第五条），"
            f"不适用于“{DELIVERY_LABELS[delivery]}”；可改为按件计收"
        )
    steps = [f"共{pages}页，以{DELIVERY_LABELS[delivery]}方式提供"]
    total = Decimal(0)
    low = 1
    for upto, rate in schedule.page_tiers:
        high = pages if upto is None else min(upto, pages)
        if high < low:
            break
        k = high - low + 1
        part = rate * k
        span = f"第{low}—{high}页" if k > 1 else f"第{low}页"
        if rate == 0:
            steps.append(f"{span}：{upto}页以内（含{upto}页），不收费")
        else:
            steps.append(f"{span}：{k}页 × {_yuan(rate)}/页 = {_yuan(part)}")
        total += part
        if upto is None:
            break
        low = upto + 1
    steps.append(f"合计 {_yuan(total)}")
    return FeeQuote(total, Method.BY_PAGES, tuple(steps), f"{BASIS_MEASURES}第三条、第五条")


def waived(reason: str = "") -> FeeQuote:
    """No fee: the applicant's requests do not clearly exceed a reasonable range (条例第四十二条)."""
    text = "申请数量、频次未明显超过合理范围，依申请提供政府信息不收取费用"
    steps = (text + (f"（{reason}）" if reason else ""), "合计 0元")
    return FeeQuote(Decimal(0), None, steps, BASIS_STATUTE)


def quote(
    *,
    count: int | None = None,
    prior: int = 0,
    pages: int | None = None,
    delivery: Delivery | str = Delivery.PAPER,
    schedule: FeeSchedule = SCHEDULE,
) -> FeeQuote:
    """The fee by the one method the caller chose: give ``count`` (按件) or ``pages`` (按量)."""
    if count is not None and pages is not None:
        raise FeeError("同一件申请只能选择按件计收或按量计收其中一种标准，不得同时按两种标准重复计算（办法第三条）")
    if count is not None:
        return by_count(count, prior=prior, schedule=schedule)
    if pages is not None:
        return by_pages(pages, delivery=delivery, schedule=schedule)
    raise FeeError("请给出按件计收的件数或按量计收的页数")


def payment_note() -> str:
    """The payment period, for a fee notice (收费通知)."""
    return f"申请人应在收到收费通知次日起{law.FEE_PAYMENT_DAYS}个工作日内缴纳费用，逾期未缴纳的视为放弃申请"


# ------------------------------------------------------------------ counting from the register


def applicant_key(name: str) -> str:
    """The same applicant however the name was typed (full-width forms, spaces); "" if unknown."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


@dataclass(frozen=True)
class MonthCount:
    """Where one application falls among its applicant's applications of one natural month."""

    applicant: str
    year: int
    month: int
    n: int  # the n-th application of the applicant in that month (办法第四条: 累计申请)
    of: int  # the applicant's applications in that month

    @property
    def month_label(self) -> str:
        return f"{self.year}年{self.month}月"

    def describe(self) -> str:
        return f"申请人“{self.applicant}”{self.month_label}第{self.n}件（当月共{self.of}件）"


def month_counts(entries: Iterable[tuple[Hashable, str, date]]) -> dict[Hashable, MonthCount]:
    """Number applications ``(key, applicant, received)`` per applicant per 自然月 (办法第四条).

    Within a month applications count in the order received, ties in the order given (the
    order of registration). An application without an applicant's name cannot be counted and
    is left out of the result.
    """
    groups: dict[tuple[str, int, int], list[tuple[date, int, Hashable, str]]] = {}
    for i, (key, name, day) in enumerate(entries):
        who = applicant_key(name)
        if who:
            groups.setdefault((who, day.year, day.month), []).append((day, i, key, name.strip()))
    out: dict[Hashable, MonthCount] = {}
    for (_, year, month), items in groups.items():
        items.sort(key=lambda t: (t[0], t[1]))
        for n, (_, _, key, name) in enumerate(items, start=1):
            out[key] = MonthCount(name, year, month, n, len(items))
    return out


def for_nth(n: int, *, schedule: FeeSchedule = SCHEDULE) -> FeeQuote:
    """按件计收 for one application, the ``n``-th of its applicant in the month."""
    return by_count(1, prior=_whole(n, "本月第几件", minimum=1) - 1, schedule=schedule)


def amount_problem(stored: Decimal, expected: FeeQuote) -> str | None:
    """Why a stored amount disagrees with the calculator, in Chinese; None when it agrees."""
    if Decimal(stored) == expected.amount:
        return None
    if expected.amount == 0:
        return f"按{expected.basis}不应收费，台账记为{_yuan(Decimal(stored))}"
    return f"按{expected.basis}应收{_yuan(expected.amount)}，台账记为{_yuan(Decimal(stored))}"
