"""Use cases for applications, the same for the CLI, the web, the API and the admin.

Every service takes the actor and one typed input, runs in a transaction, and writes its
change as ``ApplicationEvent`` rows through ``writer.write`` — the one place events are
written, which then recomputes the application's deadline cache from its events in force with
``gongkai.deadlines.compute`` in the same transaction; a ledger the law's rules reject
(a second extension, an event after the reply …) rolls the whole change back.

Registering, recording the events of the handling, replying, withdrawing and importing live
here; correcting (edit, reply correction, undo) in ``corrections``; extension requests and
their approval in ``extensions`` — all reachable as ``services.<name>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from gongkai import deadlines
from gongkai.office.agencies.models import Agency, Role
from gongkai.office.agencies.services import require_role
from gongkai.office.errors import OfficeError

from .corrections import (
    UNDOABLE,
    EditInput,
    ReplyCorrectionInput,
    UndoInput,
    correct_reply,
    edit_application,
    undo_event,
)
from .extensions import (
    ExtensionApprovalInput,
    ExtensionDecision,
    ExtensionRefusalInput,
    ExtensionRequestInput,
    approve_extension,
    pending_extension_requests,
    refuse_extension,
    request_extension,
)
from .limits import APPLICANT_MAX, CONTENT_MAX, check_length
from .models import Application, ApplicationEvent, EventKind, Fee, FeeBasis
from .vocabulary import ApplicantType, Channel, check_outcome, outcome_label, outcomes_for_year, withdrawn_outcome
from .writer import ABANDONING, CACHED, deadline_of, deadlines_of, not_future, recompute, today
from .writer import require_open as _require_open
from .writer import validate_choice as _validate_choice
from .writer import write as _write

__all__ = [
    "ABANDONING",
    "CACHED",
    "RECORDABLE",
    "UNDOABLE",
    "EditInput",
    "EventInput",
    "ExtensionApprovalInput",
    "ExtensionDecision",
    "ExtensionRefusalInput",
    "ExtensionRequestInput",
    "LedgerInput",
    "LedgerResult",
    "OutcomeInput",
    "RegisterInput",
    "ReplyCorrectionInput",
    "ReplyInput",
    "UndoInput",
    "WithdrawInput",
    "approve_extension",
    "correct_reply",
    "deadline_of",
    "deadlines_of",
    "edit_application",
    "import_ledger",
    "outcome_choices_for",
    "pending_extension_requests",
    "record_event",
    "refuse_extension",
    "register_application",
    "reply",
    "request_extension",
    "set_outcome",
    "undo_event",
    "withdraw",
]

# Kinds ``record_event`` accepts; registering, replying and withdrawing have their own services.
RECORDABLE = (
    EventKind.RECEIPT_CONFIRMED,
    EventKind.CORRECTION_REQUESTED,
    EventKind.CORRECTION_RECEIVED,
    EventKind.CONSULTATION_STARTED,
    EventKind.CONSULTATION_ENDED,
    EventKind.FEE_NOTIFIED,
    EventKind.FEE_NOTICE_RECEIVED,
    EventKind.FEE_PAID,
    EventKind.EXTENSION_APPROVED,
)


# ------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class RegisterInput:
    agency: Agency
    number: str
    applicant_type: str  # a table-三 column key (ApplicantType)
    received_on: date  # the day of receipt (第三十一条); with ``awaiting_confirmation``, the day it arrived
    channel: str = Channel.OTHER
    applicant_name: str = ""
    content: str = ""
    # 平常信函、互联网、传真: the day of receipt is the day of confirmation with the applicant (第三十一条);
    # until a ``receipt_confirmed`` event the application is 待确认 and no clock runs
    awaiting_confirmation: bool = False


@dataclass(frozen=True)
class EventInput:
    application: Application
    kind: str  # one of RECORDABLE
    day: date
    days: int | None = None  # extension length, or the 补正 period given to the applicant (working days)
    party: str | None = None  # consultation: deadlines.Party
    channel: str | None = None  # correction received: how the supplemented application arrived
    amount: Decimal | None = None  # fee notified: amount in 元 (按件: computed from the register when omitted)
    basis: str | None = None  # fee notified: FeeBasis
    pages: int | None = None  # fee notified, 按量: pages, so the amount can be checked (or computed)
    note: str = ""


@dataclass(frozen=True)
class ReplyInput:
    application: Application
    day: date
    outcome: str  # a table-三 outcome row key valid for ``day.year``
    note: str = ""
    grounds: str = ""  # the provisions a closing rests on (视为放弃申请: 第三十条; 109号 and 第四十二条)


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
    if data.awaiting_confirmation and data.channel not in {*deadlines.NEEDS_CONFIRMATION, Channel.OTHER}:
        raise OfficeError(
            f"{Channel(data.channel).label}提交的申请以提交或签收之日为收到之日，不需要确认（第三十一条）"
        )
    not_future(data.received_on, "收到日期")
    check_length(data.applicant_name.strip(), APPLICANT_MAX, "申请人")
    check_length(data.content, CONTENT_MAX, "申请内容")
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
    _write_registration(actor, application, pending=data.awaiting_confirmation)
    return application


def _write_registration(actor, application: Application, *, refresh: bool = True, pending: bool = False) -> None:
    snapshot = {
        "number": application.number,
        "applicant_name": application.applicant_name,
        "applicant_type": application.applicant_type,
        "channel": application.channel,
        "content": application.content,
        "received_on": application.received_on.isoformat(),
    }
    _write(application, actor, EventKind.REGISTERED, today(), snapshot, refresh=False)
    channel = Channel(application.channel).deadline_channel
    data = ({"channel": channel} if channel else {}) | ({"pending": True} if pending else {})
    _write(application, actor, EventKind.RECEIVED, application.received_on, data, refresh=refresh)


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
    not_future(data.day, f"“{kind.label}”的日期")
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
    elif kind is EventKind.FEE_NOTICE_RECEIVED:
        _fee_seen(application, data)
    elif kind is EventKind.FEE_PAID:
        _fee_paid(application, data)
    elif kind is EventKind.RECEIPT_CONFIRMED:
        _confirmed(application, data)
    answers = None
    if kind is EventKind.EXTENSION_APPROVED:  # the head approving directly decides a pending request too
        answers = ApplicationEvent.objects.pending_extension_requests().filter(application=application).first()
    return _write(application, actor, kind, data.day, payload, answers=answers)


def _confirmed(application: Application, data: EventInput) -> None:
    """第三十一条: the day of confirmation is the day of receipt; the column follows it."""
    if data.day < application.received_on:
        raise OfficeError(f"确认日期 {data.day.isoformat()} 早于提交日期 {application.received_on.isoformat()}")
    application.received_on = data.day
    application.save(update_fields=["received_on"])


def _fee_seen(application: Application, data: EventInput) -> None:
    """国办函〔2020〕109号: the 20 working days to pay run from the day after the applicant received the notice."""
    fee = Fee.objects.filter(application=application).first()
    if fee is None or fee.notified_on is None:
        raise OfficeError(f"申请 {application.number} 没有收费通知，不能记录申请人收到通知")
    if data.day < fee.notified_on:
        raise OfficeError(f"收到通知日期 {data.day.isoformat()} 早于发出日期 {fee.notified_on.isoformat()}")
    fee.notice_received_on = data.day
    fee.save(update_fields=["notice_received_on"])


def _fee_notified(application: Application, data: EventInput, payload: dict) -> None:
    if data.basis is None:
        raise OfficeError("发出收费通知时应写明计收方式")
    _validate_choice(data.basis, FeeBasis, "计收方式")
    amount, counted = data.amount, {"pages": data.pages} if data.pages is not None else {}
    if amount is None:  # 按件: the applicant's month is counted from the register, never typed
        from .fees import expected_amount

        amount, counted = expected_amount(application, data.basis, pages=data.pages)
    if amount <= 0:
        raise OfficeError("收费金额应大于零")
    Fee.objects.update_or_create(
        application=application,
        defaults={
            "basis": data.basis,
            "amount": amount,
            "notified_on": data.day,
            "notice_received_on": None,
            "paid_on": None,
        },
    )
    payload |= {"amount": str(amount), "basis": data.basis} | counted


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
    not_future(data.day, "答复日期")
    if data.day < application.received_on:
        raise OfficeError(f"答复日期 {data.day.isoformat()} 早于收到日期 {application.received_on.isoformat()}")
    check_outcome(data.outcome, data.day.year)
    application.outcome = data.outcome
    application.replied_on = data.day
    application.save(update_fields=["outcome", "replied_on"])
    kind = EventKind.ABANDONED if data.outcome in ABANDONING else EventKind.REPLIED
    payload = {"outcome": data.outcome} | ({"note": data.note} if data.note else {})
    payload |= {"grounds": data.grounds} if data.grounds else {}
    _write(application, actor, kind, data.day, payload)
    return application


@transaction.atomic
def withdraw(actor, data: WithdrawInput) -> Application:
    """申请人撤回申请：计入表三“其他处理”。"""
    application = Application.objects.select_for_update().get(pk=data.application.pk)
    require_role(actor, application.agency, what="记录撤回申请")
    _require_open(application, "撤回")
    not_future(data.day, "撤回日期")
    if data.day < application.received_on:
        raise OfficeError(f"撤回日期 {data.day.isoformat()} 早于收到日期 {application.received_on.isoformat()}")
    application.outcome = withdrawn_outcome(data.day.year)
    application.replied_on = data.day
    application.save(update_fields=["outcome", "replied_on"])
    payload = {"outcome": application.outcome} | ({"note": data.note} if data.note else {})
    _write(application, actor, EventKind.WITHDRAWN, data.day, payload)
    return application


def set_outcome(actor, data: OutcomeInput) -> Application:
    """更正已办结申请的办理结果（统计口径有误时）：写入一条更正答复的事件（``correct_reply``）。"""
    reason = data.note or "更正办理结果"
    return correct_reply(actor, ReplyCorrectionInput(application=data.application, reason=reason, outcome=data.outcome))


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
            recompute(application)
    return LedgerResult(len(ledger.rows), ledger.notices)
