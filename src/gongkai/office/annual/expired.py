"""Applications whose 补正 or payment period ran out and were never closed.

An applicant who does not supplement the application within the period the 补正 notice set
(《条例》第三十条) or does not pay within the fee notice's window (国办函〔2020〕109号第八条;
《条例》第四十二条) is 视为放弃申请. Left open, such an application is carried to 结转下年度
year after year without anyone deciding it. The report build lists them (``expired``);
``close_expired`` closes them in one step, each as an ``abandoned`` event in the ledger
citing its basis and counted in its own table-三 row (``formats.roles``).

The periods and their ends are the clocks' (``deadlines.compute``: ``suggestion``,
``correction_reply_by``, ``fee_pay_by``); nothing is counted here.

The closing is dated the day after the period ran out — 视为放弃 happens then, by law — so
the application counts as 其他处理 in that year's report. When that year's (or a later year's)
report has already been submitted or locked, it is dated the day of the closing instead, and
the submitted figures stay true.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from gongkai import law
from gongkai.formats import for_year
from gongkai.formats.roles import register_map
from gongkai.office.agencies.models import Agency
from gongkai.office.agencies.services import require_role
from gongkai.office.applications import services
from gongkai.office.applications.models import Application, EventKind, State
from gongkai.office.errors import OfficeError

from .models import AnnualReport, ReportStatus

__all__ = ["REASONS", "CloseExpiredInput", "Closed", "Expired", "Reason", "close_expired", "expired"]


@dataclass(frozen=True)
class Reason:
    period: str  # 补正期限 / 缴费期限
    role: str  # the RegisterMap attribute naming the table-三 row
    what: str  # the applicant's default, as table 三 words it
    grounds: str  # the provisions cited in the ledger


def _fee_grounds() -> str:
    """The 办法's article on the unpaid fee (视为放弃申请), found by its words in ``law``, and 第四十二条."""
    measures = law.FEE_MEASURES
    lapse = next(a for (key, _), a in law.ARTICLES.items() if key == measures.key and "视为放弃" in a.text)
    return f"{measures.title}（{measures.version}）{lapse.number}、{law.article('第四十二条').cite()}"


# deadlines' suggestion → why the application is closed
REASONS = {
    "no_correction": Reason("补正期限", "no_correction", "申请人无正当理由逾期不补正", law.article("第三十条").cite()),
    "no_payment": Reason("缴费期限", "unpaid_fee", "申请人逾期未按收费通知要求缴纳费用", _fee_grounds()),
}
_WAITING = (State.AWAITING_CORRECTION, State.AWAITING_FEE)


@dataclass(frozen=True)
class Expired:
    application: Application
    reason: str  # a key of REASONS
    period_end: date  # the last day of the applicant's period

    @property
    def number(self) -> str:
        return self.application.number

    def describe(self) -> str:
        return f"{self.number}（{REASONS[self.reason].period}{self.period_end.isoformat()}届满）"


def expired(agency: Agency, on: date) -> list[Expired]:
    """Open applications of ``agency`` received by ``on`` whose 补正 or payment period had run
    out by ``on`` (the clocks' ``suggestion``), oldest first."""
    waiting = list(
        Application.objects.filter(agency=agency, state__in=_WAITING, received_on__lte=on).order_by(
            "received_on", "number"
        )
    )
    found = services.deadlines_of({a.pk: a.number for a in waiting}, today=on)
    out = []
    for a in waiting:
        d = found[a.pk]
        if d.suggestion == "no_correction" and d.correction_reply_by is not None:
            out.append(Expired(a, "no_correction", d.correction_reply_by))
        elif d.suggestion == "no_payment" and d.fee_pay_by is not None:
            out.append(Expired(a, "no_payment", d.fee_pay_by))
    return out


@dataclass(frozen=True)
class CloseExpiredInput:
    agency: Agency
    year: int | None = None  # close what the report of this year lists; None: all expired by today
    numbers: tuple[str, ...] = ()  # only these applications (each must be on the list)
    today: date | None = None  # the day of the closing (default: today)


@dataclass(frozen=True)
class Closed:
    number: str
    outcome: str
    day: date
    reason: str
    grounds: str


@transaction.atomic
def close_expired(actor, data: CloseExpiredInput) -> list[Closed]:
    """一次办结补正期限或缴费期限已届满、申请人未补正或未缴费的申请（视为放弃申请）。"""
    require_role(actor, data.agency, what="办结逾期未补正、未缴费的申请")
    today = data.today or timezone.localdate()
    on = min(date(data.year, 12, 31), today) if data.year else today
    items = expired(data.agency, on)
    if data.numbers:
        listed = {e.number for e in items}
        missing = [n for n in data.numbers if n not in listed]
        if missing:
            raise OfficeError(f"申请 {'、'.join(missing)} 不在补正或缴费期限已届满的未办结申请之列，不能一次办结")
        items = [e for e in items if e.number in set(data.numbers)]
    settled = set(
        AnnualReport.objects.filter(agency=data.agency)
        .exclude(status=ReportStatus.DRAFT)
        .values_list("year", flat=True)
    )
    bookkeeping = [k for k in EventKind if k.for_deadline is None]  # registration day, edits
    last_events = dict(
        Application.objects.filter(pk__in=[e.application.pk for e in items])
        .annotate(last=Max("events__day", filter=~Q(events__kind__in=bookkeeping)))
        .values_list("pk", "last")
    )
    closed = []
    for e in items:
        reason = REASONS[e.reason]
        day = max(e.period_end + timedelta(days=1), last_events.get(e.application.pk) or e.period_end)
        if any(y >= day.year for y in settled):
            day = today  # that year's report is submitted: do not change its figures
        outcome = getattr(register_map(for_year(day.year).id), reason.role)
        note = f"{reason.period}已于{e.period_end.isoformat()}届满，{reason.what}，视为放弃申请，不再处理"
        services.reply(
            actor,
            services.ReplyInput(application=e.application, day=day, outcome=outcome, note=note, grounds=reason.grounds),
        )
        closed.append(Closed(e.number, outcome, day, e.reason, reason.grounds))
    return closed
