"""Use cases for applications, the same for the CLI, the web, the API and the admin.

Every service takes the actor and one typed input, runs in a transaction, and writes its
change as ``ApplicationEvent`` rows through ``_write`` — the one place events are written.
``_write`` then recomputes the application's deadline cache from all its events with
``gongkai.deadlines.compute`` in the same transaction; a ledger the law's rules reject
(a second extension, an event after the reply …) rolls the whole change back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gongkai import deadlines
from gongkai.errors import GongkaiError
from gongkai.office.agencies.models import Agency, Role
from gongkai.office.agencies.services import require_role
from gongkai.office.errors import OfficeError
from gongkai.workdays import default_calendar

from .models import Application, ApplicationEvent, EventKind, Fee, FeeBasis
from .vocabulary import ApplicantType, Channel, check_outcome, outcome_label, outcomes_for_year, withdrawn_outcome

# Kinds ``record_event`` accepts; registering, replying and withdrawing have their own services.
RECORDABLE = (
    EventKind.CORRECTION_REQUESTED,
    EventKind.CORRECTION_RECEIVED,
    EventKind.CONSULTATION_STARTED,
    EventKind.CONSULTATION_ENDED,
    EventKind.FEE_NOTIFIED,
    EventKind.FEE_PAID,
    EventKind.EXTENSION_APPROVED,
)
# Outcomes that mean 视为放弃申请 (第三十条; 国办函〔2020〕109号) rather than a reply.
ABANDONING = frozenset({"other.no_correction", "other.unpaid_fee"})


# ------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class RegisterInput:
    agency: Agency
    number: str
    applicant_type: str  # a table-三 column key (ApplicantType)
    received_on: date
    channel: str = Channel.OTHER
    applicant_name: str = ""
    content: str = ""


@dataclass(frozen=True)
class EventInput:
    application: Application
    kind: str  # one of RECORDABLE
    day: date
    days: int | None = None  # extension length, or the 补正 period given to the applicant (working days)
    party: str | None = None  # consultation: deadlines.Party
    channel: str | None = None  # correction received: how the supplemented application arrived
    amount: Decimal | None = None  # fee notified: amount in 元
    basis: str | None = None  # fee notified: FeeBasis
    note: str = ""


@dataclass(frozen=True)
class ReplyInput:
    application: Application
    day: date
    outcome: str  # a table-三 outcome row key valid for ``day.year``
    note: str = ""


@dataclass(frozen=True)
class WithdrawInput:
    application: Application
    day: date
    note: str = ""


@dataclass(frozen=True)
class OutcomeInput:
    application: Application
    outcome: str
    note: str = ""


@dataclass(frozen=True)
class EditInput:
    application: Application
    applicant_name: str | None = None
    applicant_type: str | None = None
    content: str | None = None
    channel: str | None = None


# ------------------------------------------------------------------ the one writer


def _write(
    application: Application, actor, kind: EventKind, day: date, data: dict | None = None, *, refresh: bool = True
) -> ApplicationEvent:
    event = ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        day=day,
        data=data or {},
    )
    if refresh:
        _refresh(application)
    return event


def deadline_of(application: Application, *, today: date | None = None) -> deadlines.Deadline:
    """The application's deadline, computed from its events (with ``steps`` explaining it)."""
    events = sorted(application.events.all(), key=lambda e: (e.day, e.id))  # uses a prefetch when there is one
    return _compute(application.number, events, today)


def deadlines_of(numbers: dict[int, str], *, today: date | None = None) -> dict[int, deadlines.Deadline]:
    """``deadline_of`` for many applications (id → number), their events read in one query."""
    ledgers: dict[int, list[ApplicationEvent]] = {pk: [] for pk in numbers}
    events = ApplicationEvent.objects.filter(application_id__in=list(numbers))
    for event in events.order_by("application_id", "day", "id"):
        ledgers[event.application_id].append(event)
    return {pk: _compute(numbers[pk], ledger, today) for pk, ledger in ledgers.items()}


def _compute(number: str, events: list[ApplicationEvent], today: date | None) -> deadlines.Deadline:
    ledger = [e.to_deadline_event() for e in events]
    try:
        return deadlines.compute([e for e in ledger if e is not None], default_calendar(), today=today)
    except GongkaiError as e:
        raise OfficeError(f"申请 {number}：{e}") from None


def _refresh(application: Application) -> None:
    d = deadline_of(application)
    application.state = str(d.state)
    application.due_on = d.due
    application.provisional = d.provisional
    application.save(update_fields=["state", "due_on", "provisional"])


def _require_open(application: Application, what: str) -> None:
    if not application.is_open:
        raise OfficeError(f"申请 {application.number} 已{application.get_state_display()}，不能再{what}")


def _validate_choice(value: str, choices, what: str) -> None:
    if value not in {c.value for c in choices}:
        raise OfficeError(f"未知的{what}“{value}”，可选：{'、'.join(c.label for c in choices)}")


# ------------------------------------------------------------------ services


@transaction.atomic
def register_application(actor, data: RegisterInput) -> Application:
    """登记一件申请：写入“登记申请”和“收到申请”两个事件。"""
    require_role(actor, data.agency, what="登记申请")
    number = data.number.strip()
    if not number:
        raise OfficeError("申请编号不能为空")
    _validate_choice(data.applicant_type, ApplicantType, "申请人类型")
    _validate_choice(data.channel, Channel, "申请方式")
    if Application.objects.filter(agency=data.agency, number=number).exists():
        raise OfficeError(f"“{data.agency}”已有编号为 {number} 的申请")
    application = Application.objects.create(
        agency=data.agency,
        number=number,
        applicant_name=data.applicant_name.strip(),
        applicant_type=data.applicant_type,
        channel=data.channel,
        content=data.content,
        received_on=data.received_on,
    )
    _write_registration(actor, application)
    return application


def _write_registration(actor, application: Application, *, refresh: bool = True) -> None:
    snapshot = {
        "number": application.number,
        "applicant_name": application.applicant_name,
        "applicant_type": application.applicant_type,
        "channel": application.channel,
        "content": application.content,
        "received_on": application.received_on.isoformat(),
    }
    _write(application, actor, EventKind.REGISTERED, timezone.localdate(), snapshot, refresh=False)
    channel = Channel(application.channel).deadline_channel
    _write(
        application,
        actor,
        EventKind.RECEIVED,
        application.received_on,
        {"channel": channel} if channel else {},
        refresh=refresh,
    )


@transaction.atomic
def record_event(actor, data: EventInput) -> ApplicationEvent:
    """记录办理过程中的一个事件（补正、征求意见、收费、延期）。延期须由办公室负责人批准。"""
    application = Application.objects.select_for_update().get(pk=data.application.pk)
    if data.kind not in RECORDABLE:
        names = "、".join(k.label for k in RECORDABLE)
        raise OfficeError(f"事件“{data.kind}”不能在此记录，可记录：{names}")
    kind = EventKind(data.kind)
    if kind is EventKind.EXTENSION_APPROVED:
        require_role(actor, application.agency, (Role.HEAD,), what="批准延期答复（第三十三条）")
    else:
        require_role(actor, application.agency, what=f"记录“{kind.label}”")
    _require_open(application, f"记录“{kind.label}”")
    payload: dict = {}
    if kind is EventKind.EXTENSION_APPROVED:
        payload["days"] = data.days if data.days is not None else deadlines.LAW.max_extension_days
    elif kind is EventKind.CORRECTION_REQUESTED and data.days is not None:
        payload["days"] = data.days
    elif data.days is not None:
        raise OfficeError(f"“{kind.label}”不带天数")
    if data.party is not None:
        payload["party"] = data.party
    if data.channel is not None:
        _validate_choice(data.channel, Channel, "申请方式")
        if data.channel != Channel.OTHER:
            payload["channel"] = data.channel
    if data.note:
        payload["note"] = data.note
    if kind is EventKind.FEE_NOTIFIED:
        _fee_notified(application, data, payload)
    elif kind is EventKind.FEE_PAID:
        _fee_paid(application, data)
    return _write(application, actor, kind, data.day, payload)


def _fee_notified(application: Application, data: EventInput, payload: dict) -> None:
    if data.amount is None or data.basis is None:
        raise OfficeError("发出收费通知时应写明计收方式和金额")
    _validate_choice(data.basis, FeeBasis, "计收方式")
    if data.amount <= 0:
        raise OfficeError("收费金额应大于零")
    Fee.objects.update_or_create(
        application=application,
        defaults={"basis": data.basis, "amount": data.amount, "notified_on": data.day, "paid_on": None},
    )
    payload |= {"amount": str(data.amount), "basis": data.basis}


def _fee_paid(application: Application, data: EventInput) -> None:
    fee = Fee.objects.filter(application=application).first()
    if fee is None:
        raise OfficeError(f"申请 {application.number} 没有收费通知，不能记录缴费")
    fee.paid_on = data.day
    fee.save(update_fields=["paid_on"])


@transaction.atomic
def reply(actor, data: ReplyInput) -> Application:
    """作出答复并记录办理结果（表三的一行）。逾期不补正、逾期不缴费记为“视为放弃申请”。"""
    application = Application.objects.select_for_update().get(pk=data.application.pk)
    require_role(actor, application.agency, what="答复申请")
    _require_open(application, "答复")
    if data.day < application.received_on:
        raise OfficeError(f"答复日期 {data.day.isoformat()} 早于收到日期 {application.received_on.isoformat()}")
    check_outcome(data.outcome, data.day.year)
    application.outcome = data.outcome
    application.replied_on = data.day
    application.save(update_fields=["outcome", "replied_on"])
    kind = EventKind.ABANDONED if data.outcome in ABANDONING else EventKind.REPLIED
    payload = {"outcome": data.outcome} | ({"note": data.note} if data.note else {})
    _write(application, actor, kind, data.day, payload)
    return application


@transaction.atomic
def withdraw(actor, data: WithdrawInput) -> Application:
    """申请人撤回申请：计入表三“其他处理”。"""
    application = Application.objects.select_for_update().get(pk=data.application.pk)
    require_role(actor, application.agency, what="记录撤回申请")
    _require_open(application, "撤回")
    if data.day < application.received_on:
        raise OfficeError(f"撤回日期 {data.day.isoformat()} 早于收到日期 {application.received_on.isoformat()}")
    application.outcome = withdrawn_outcome(data.day.year)
    application.replied_on = data.day
    application.save(update_fields=["outcome", "replied_on"])
    payload = {"outcome": application.outcome} | ({"note": data.note} if data.note else {})
    _write(application, actor, EventKind.WITHDRAWN, data.day, payload)
    return application


@transaction.atomic
def set_outcome(actor, data: OutcomeInput) -> Application:
    """更正已办结申请的办理结果（统计口径有误时）。"""
    application = Application.objects.select_for_update().get(pk=data.application.pk)
    require_role(actor, application.agency, what="更正办理结果")
    if application.replied_on is None:
        raise OfficeError(f"申请 {application.number} 尚未办结，请用“答复”记录办理结果")
    check_outcome(data.outcome, application.replied_on.year)
    old = application.outcome
    application.outcome = data.outcome
    application.save(update_fields=["outcome"])
    payload = {"from": old, "to": data.outcome} | ({"note": data.note} if data.note else {})
    _write(application, actor, EventKind.OUTCOME_SET, timezone.localdate(), payload)
    return application


@transaction.atomic
def edit_application(actor, data: EditInput) -> Application:
    """修改登记信息（申请人、类型、方式、内容）；收到日期、编号不可改。"""
    application = Application.objects.select_for_update().get(pk=data.application.pk)
    require_role(actor, application.agency, what="修改申请登记信息")
    changes: dict = {}
    for field in ("applicant_name", "applicant_type", "content", "channel"):
        new = getattr(data, field)
        if new is None or new == getattr(application, field):
            continue
        if field == "applicant_type":
            _validate_choice(new, ApplicantType, "申请人类型")
        if field == "channel":
            _validate_choice(new, Channel, "申请方式")
        changes[field] = [getattr(application, field), new]
        setattr(application, field, new)
    if not changes:
        return application
    application.save(update_fields=list(changes))
    _write(application, actor, EventKind.EDITED, timezone.localdate(), changes)
    return application


def outcome_choices_for(year: int) -> list[tuple[str, str]]:
    """(key, label) of the outcomes valid for a reply in ``year`` (for forms)."""
    return [(k, outcome_label(r)) for k, r in outcomes_for_year(year).items()]


# ------------------------------------------------------------------ ledger import


@dataclass(frozen=True)
class LedgerInput:
    agency: Agency
    path: str


@dataclass(frozen=True)
class LedgerResult:
    imported: int
    notices: list[str]


def import_ledger(actor, data: LedgerInput) -> LedgerResult:
    """导入 Excel 台账：先校验每一行，有任何错误则一件也不导入（抛出 ``LedgerRejected``）。

    A ledger's 延期 column records an extension the head already approved on paper; it is
    imported as such (``source: 台账导入``) by the importing staff member.
    """
    from .ledger import LedgerRejected, read_ledger

    require_role(actor, data.agency, what="导入台账")
    existing = frozenset(Application.objects.filter(agency=data.agency).values_list("number", flat=True))
    ledger = read_ledger(data.path, existing_numbers=existing)
    if ledger.problems:
        raise LedgerRejected(ledger.problems, path=str(data.path))
    with transaction.atomic():
        for row in ledger.rows:
            application = Application.objects.create(
                agency=data.agency,
                number=row.number,
                applicant_name=row.applicant_name,
                applicant_type=row.applicant_type,
                channel=row.channel,
                content=row.content,
                received_on=row.received_on,
                outcome=row.outcome,
                replied_on=row.replied_on,
            )
            _write_registration(actor, application, refresh=False)
            for kind, day, payload in row.events:
                _write(application, actor, kind, day, payload, refresh=False)
            _refresh(application)
    return LedgerResult(len(ledger.rows), ledger.notices)
