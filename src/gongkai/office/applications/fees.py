"""Fees in the register (国办函〔2020〕109号), read from the event ledger.

- 按件: an application's place among its applicant's applications of the same 自然月 at the
  same agency is counted from the register (``month_count``), never typed by hand; the amount
  a fee notice should state follows from it (``expected_amount``).
- Every fee notice's stored amount is compared with ``gongkai.fees`` (``check_notice`` for
  one application, ``check_notices`` for a period): a disagreement is a ``FeeCheck`` with a
  Chinese ``problem``, shown on the application's page and raised by the report build.
- ``fee_year``: the year's notices, payments and amounts, for section 六 of the report.

The ledger's events in force are the source: a ``fee_notified`` event carries ``basis``, ``amount`` and (按量)
``pages``; a ``fee_paid`` event pays the notice before it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from gongkai import fees
from gongkai.fees import FeeError, FeeQuote, MonthCount
from gongkai.office.errors import OfficeError

from .models import Application, ApplicationEvent, EventKind, FeeBasis

__all__ = ["FeeCheck", "FeeYear", "check_notice", "check_notices", "expected_amount", "fee_year", "month_count"]


def _month(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, date.fromordinal(nxt.toordinal() - 1)


def _month_counts(applications: list[Application]) -> dict[int, MonthCount]:
    """``MonthCount`` by application id, counted over every application of the same agency,
    applicant and month in the register (one query per agency)."""
    by_agency: dict[int, list[Application]] = defaultdict(list)
    for a in applications:
        if fees.applicant_key(a.applicant_name):
            by_agency[a.agency_id].append(a)
    out: dict[int, MonthCount] = {}
    for agency_id, apps in by_agency.items():
        months = {_month(a.received_on) for a in apps}
        span = Q()
        for first, last in months:
            span |= Q(received_on__gte=first, received_on__lte=last)
        wanted = {fees.applicant_key(a.applicant_name) for a in apps}
        rows = (
            Application.objects.filter(span, agency_id=agency_id)
            .order_by("received_on", "id")
            .values_list("id", "applicant_name", "received_on")
        )
        counts = fees.month_counts(r for r in rows if fees.applicant_key(r[1]) in wanted)
        out |= {a.pk: counts[a.pk] for a in apps if a.pk in counts}
    return out


def month_count(application: Application) -> MonthCount | None:
    """The application's place in its applicant's 自然月 (办法第四条); None without an applicant's name."""
    return _month_counts([application]).get(application.pk)


@dataclass(frozen=True)
class FeeCheck:
    """One fee notice compared with the calculator."""

    number: str
    day: date  # the notice's day
    basis: str  # FeeBasis
    amount: Decimal  # as stored
    count: MonthCount | None = None  # 按件: where the application falls in its applicant's month
    expected: FeeQuote | None = None  # None: the calculator cannot say (no applicant, no pages)
    problem: str = ""  # Chinese; "" when the stored amount agrees

    @property
    def verified(self) -> bool:
        return self.expected is not None

    @property
    def agrees(self) -> bool:
        return self.verified and not self.problem

    def describe(self) -> str:
        head = f"申请 {self.number}（{self.day.isoformat()}收费通知，{FeeBasis(self.basis).label}）"
        if self.count is not None:
            head += f"：{self.count.describe()}"
        return f"{head}，{self.problem}" if self.problem else head


def _quote(basis: str, count: MonthCount | None, pages) -> tuple[FeeQuote | None, str]:
    if basis == FeeBasis.PER_ITEM:
        if count is None:
            return None, "未登记申请人姓名，无法按同一申请人同一自然月计件核对金额"
        return fees.for_nth(count.n), ""
    if pages is None:
        return None, "按量计收但未记录页数，无法核对金额"
    try:
        return fees.by_pages(int(pages)), ""
    except (FeeError, ValueError) as e:
        return None, str(e)


def _check(application: Application, event: ApplicationEvent, count: MonthCount | None) -> FeeCheck:
    d = event.data or {}
    basis = d.get("basis") or FeeBasis.PER_ITEM
    try:
        amount = Decimal(str(d.get("amount")))
    except InvalidOperation:
        amount = Decimal(0)
    expected, unverifiable = _quote(basis, count, d.get("pages"))
    problem = unverifiable or (fees.amount_problem(amount, expected) or "")
    return FeeCheck(application.number, event.day, basis, amount, count, expected, problem)


def _notices(events) -> list[ApplicationEvent]:
    """The fee notices in force (a notice undone or corrected no longer counts)."""
    notices = events.in_force().filter(kind=EventKind.FEE_NOTIFIED).select_related("application")
    return list(notices.order_by("day", "id"))


def check_notice(application: Application) -> FeeCheck | None:
    """The application's latest fee notice against the calculator; None if it has none."""
    notices = _notices(application.events.all())
    if not notices:
        return None
    return _check(application, notices[-1], month_count(application))


def check_notices(agency, start: date, end: date) -> list[FeeCheck]:
    """Every fee notice of ``agency`` dated from ``start`` to ``end``, checked."""
    notices = _notices(ApplicationEvent.objects.filter(application__agency=agency, day__gte=start, day__lte=end))
    apps = list({e.application_id: e.application for e in notices}.values())
    counts = _month_counts(apps)
    return [_check(e.application, e, counts.get(e.application_id)) for e in notices]


def expected_amount(application: Application, basis: str, *, pages: int | None = None) -> tuple[Decimal, dict]:
    """The amount a fee notice for ``application`` should state, and how it was counted
    (``{"month": "2025-03", "nth": 12}`` for 按件, ``{"pages": 40}`` for 按量), for the ledger."""
    if basis == FeeBasis.PER_ITEM:
        count = month_count(application)
        if count is None:
            raise OfficeError(f"申请 {application.number} 未登记申请人姓名，无法按自然月计件，请写明金额")
        quote = fees.for_nth(count.n)
        if quote.amount == 0:
            raise OfficeError(
                f"申请 {application.number} 是{count.describe()}，同一申请人一个自然月内10件以内不收费"
                "（国办函〔2020〕109号第四条）"
            )
        return quote.amount, {"month": f"{count.year}-{count.month:02d}", "nth": count.n}
    if pages is None:
        raise OfficeError("按量计收请写明页数或金额")
    try:
        quote = fees.by_pages(pages)
    except FeeError as e:
        raise OfficeError(str(e)) from None
    if quote.amount == 0:
        raise OfficeError(f"共{pages}页，30页以内不收费（国办函〔2020〕109号第五条）")
    return quote.amount, {"pages": pages}


# ------------------------------------------------------------------ the year's figures (section 六)


@dataclass(frozen=True)
class FeeYear:
    """Fee notices issued and fees paid in one year, by the days in the ledger."""

    year: int
    notices: int = 0  # fee notices dated in the year
    per_item: int = 0  # of which 按件计收
    per_volume: int = 0  # of which 按量计收
    notified: Decimal = Decimal(0)  # their total amount, 元
    paid: int = 0  # payments dated in the year
    collected: Decimal = Decimal(0)  # their total amount, 元
    paid_for_earlier: int = 0  # payments in the year for a notice of an earlier year
    unpaid: int = 0  # the year's notices not paid by the year's end
    abandoned: int = 0  # of which closed by the year's end as 逾期未缴费 (视为放弃申请)


def fee_year(agency, year: int) -> FeeYear:
    """``FeeYear`` of ``agency`` from its ledger: one query over its fee and closing events.

    An application 视为放弃 while a notice is unpaid was abandoned for not paying: the ledger
    allows no 补正 after a fee notice.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    kinds = (EventKind.FEE_NOTIFIED, EventKind.FEE_PAID, EventKind.ABANDONED)
    in_force = ApplicationEvent.objects.in_force()
    charged = in_force.filter(application__agency=agency, kind=EventKind.FEE_NOTIFIED, day__lte=end)
    events = (
        in_force.filter(application_id__in=charged.values("application_id"), kind__in=kinds, day__lte=end)
        .order_by("application_id", "day", "id")
        .values_list("application_id", "kind", "day", "data")
    )
    f = defaultdict(int)
    notified = collected = Decimal(0)
    last: dict[int, tuple[date, Decimal, bool]] = {}  # application → (notice day, amount, in the year)
    open_notices: dict[int, bool] = {}  # application → its in-year notice is unpaid
    for app, kind, day, data in events:
        data = data or {}
        if kind == EventKind.FEE_NOTIFIED:
            amount = Decimal(str(data.get("amount", "0")))
            in_year = day >= start
            last[app] = (day, amount, in_year)
            if in_year:
                f["notices"] += 1
                f["per_volume" if data.get("basis") == FeeBasis.PER_VOLUME else "per_item"] += 1
                notified += amount
                open_notices[app] = True
        elif kind == EventKind.FEE_PAID and app in last:
            notice_day, amount, in_year = last[app]
            if in_year:
                open_notices[app] = False
            if day >= start:
                f["paid"] += 1
                collected += amount
                f["paid_for_earlier"] += notice_day < start
        elif kind == EventKind.ABANDONED and open_notices.get(app):
            f["abandoned"] += 1
    f["unpaid"] = sum(open_notices.values())
    return FeeYear(year, notified=notified, collected=collected, **f)
