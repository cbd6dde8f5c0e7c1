"""Correcting mistakes without rewriting history (issue 13, item 4).

Each correction is new rows in the ledger, never an update or a delete of one:

- ``edit_application``: the registration (applicant, type, channel, content, day of receipt)
  — an ``edited`` row with every field's [before, after]; a changed day of receipt or channel
  also replaces the receipt (or its confirmation, 第三十一条) with a corrected row, so the
  clocks count from the right day;
- ``correct_reply``: the closing's outcome or day — a corrected closing row replacing it;
- ``undo_event``: an event recorded by mistake — an ``undone`` row.

A correcting row ``amends`` the wrong one: that one stays in the table (who recorded what,
when) and is no longer *in force*. Every correcting row names its actor, its time, the reason
(required) and the values before and after. The application's recorded facts (day of
receipt, outcome, reply day, fee) follow the events in force (``sync_facts``); the deadline
cache is recomputed, and a ledger the law rejects rolls the correction back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from gongkai import deadlines
from gongkai.office.agencies.models import Role
from gongkai.office.agencies.services import require_role
from gongkai.office.errors import OfficeError

from .limits import APPLICANT_MAX, CONTENT_MAX, check_length
from .models import Application, ApplicationEvent, EventKind, Fee
from .vocabulary import ApplicantType, Channel, check_outcome
from .writer import ABANDONING, CLOSING, in_force, ledger_order, not_future, recompute, today, validate_choice, write

__all__ = [
    "UNDOABLE",
    "EditInput",
    "ReplyCorrectionInput",
    "UndoInput",
    "correct_reply",
    "edit_application",
    "sync_facts",
    "undo_event",
]

_R = EventKind.RECEIVED
_RC = EventKind.RECEIPT_CONFIRMED
FEE_KINDS = (EventKind.FEE_NOTIFIED, EventKind.FEE_NOTICE_RECEIVED, EventKind.FEE_PAID)
# What ``undo_event`` may take back: the events of the handling, a closing, extension requests
# and decisions. The receipt is corrected (``edit_application``), never undone; the
# bookkeeping rows (registration, edits, corrections, undoings) are history.
UNDOABLE = (
    _RC,
    EventKind.CORRECTION_REQUESTED,
    EventKind.CORRECTION_RECEIVED,
    EventKind.CONSULTATION_STARTED,
    EventKind.CONSULTATION_ENDED,
    *FEE_KINDS,
    EventKind.EXTENSION_REQUESTED,
    EventKind.EXTENSION_APPROVED,
    EventKind.EXTENSION_REFUSED,
    *CLOSING,
)
# Undoing what the law reserves to the office head (第三十三条) is the head's as well.
HEAD_ONLY = (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REFUSED)
MAX_REASON = 500


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise OfficeError("请写明更正的理由")
    if len(reason) > MAX_REASON:
        raise OfficeError(f"理由不能超过{MAX_REASON}字")
    return reason


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


# ------------------------------------------------------------------ the facts that follow the ledger


def sync_facts(application: Application, *, fee: bool = False) -> None:
    """The application's columns that restate its events in force: the day of receipt (the
    confirmation's, 第三十一条, else the receipt's), the outcome and the reply day (the
    closing's, none when open); with ``fee``, the fee row (the last notice in force, its
    delivery and payment; none without a notice)."""
    events = in_force(application.events.all())
    receipt = [e for e in events if e.kind == _RC] or [e for e in events if e.kind == _R]
    application.received_on = receipt[-1].day
    closing = [e for e in events if e.kind in CLOSING]
    if closing:
        application.outcome = (closing[-1].data or {}).get("outcome", application.outcome)
        application.replied_on = closing[-1].day
    else:
        application.outcome, application.replied_on = "", None
    application.save(update_fields=["received_on", "outcome", "replied_on"])
    if fee:
        _sync_fee(application, events)


def _sync_fee(application: Application, events: list[ApplicationEvent]) -> None:
    notices = [e for e in events if e.kind == EventKind.FEE_NOTIFIED]
    if not notices:
        Fee.objects.filter(application=application).delete()  # a cache of the notice, not history
        return
    notice = notices[-1]
    after = [e for e in events if ledger_order(e) > ledger_order(notice)]
    seen = next((e.day for e in after if e.kind == EventKind.FEE_NOTICE_RECEIVED), None)
    paid = next((e.day for e in after if e.kind == EventKind.FEE_PAID), None)
    d = notice.data or {}
    Fee.objects.update_or_create(
        application=application,
        defaults={
            "basis": d.get("basis") or "per_item",
            "amount": Decimal(str(d.get("amount", "0"))),
            "notified_on": notice.day,
            "notice_received_on": seen,
            "paid_on": paid,
        },
    )


# ------------------------------------------------------------------ the registration


@dataclass(frozen=True)
class EditInput:
    application: Application
    reason: str  # why (shown in the ledger with the values before and after)
    applicant_name: str | None = None
    applicant_type: str | None = None
    content: str | None = None
    channel: str | None = None
    received_on: date | None = None  # the day of receipt (第三十一条): the confirmation's once confirmed


EDITABLE = ("applicant_name", "applicant_type", "content", "channel")


@transaction.atomic
def edit_application(actor, data: EditInput) -> Application:
    """修改登记信息（申请人、类型、方式、内容、收到日期）：写入“修改登记信息”事件，记明修改前后的值和理由；
    收到日期或申请方式改变时，以更正后的“收到申请”（或“确认收到申请”）事件取代原事件，重新计算期限。"""
    application = _lock(data.application)
    require_role(actor, application.agency, what="修改申请登记信息")
    changes: dict = {}
    for field in EDITABLE:
        new = getattr(data, field)
        if field == "applicant_name" and new is not None:
            new = new.strip()
        if new is None or new == getattr(application, field):
            continue
        if field == "applicant_type":
            validate_choice(new, ApplicantType, "申请人类型")
        if field == "channel":
            validate_choice(new, Channel, "申请方式")
        changes[field] = [getattr(application, field), new]
    check_length(changes.get("applicant_name", [None, None])[1], APPLICANT_MAX, "申请人")
    check_length(changes.get("content", [None, None])[1], CONTENT_MAX, "申请内容")
    day = data.received_on if data.received_on not in (None, application.received_on) else None
    if day is not None:
        not_future(day, "收到日期")
        changes["received_on"] = [application.received_on.isoformat(), day.isoformat()]
    if not changes:
        return application
    reason = _reason(data.reason)
    write(application, actor, EventKind.EDITED, today(), changes | {"reason": reason}, refresh=False)
    if day is not None or "channel" in changes:
        _replace_receipt(application, actor, reason, day, data.channel if "channel" in changes else None)
    for field in EDITABLE:
        if field in changes:
            setattr(application, field, changes[field][1])
    if edited := [f for f in EDITABLE if f in changes]:
        application.save(update_fields=edited)
    sync_facts(application)
    recompute(application)
    return application


def _replace_receipt(application: Application, actor, reason: str, day: date | None, channel: str | None) -> None:
    """Replace the receipt (and, for a new day once confirmed, the confirmation) with corrected rows."""
    events = in_force(application.events.all())
    received = next(e for e in events if e.kind == _R)
    confirmed = next((e for e in events if e.kind == _RC), None)
    if day is not None:
        later = [e for e in events if e.kind not in (_R, _RC) and EventKind(e.kind).for_deadline and e.day < day]
        if later:
            first = later[0]
            raise OfficeError(
                f"收到日期 {day.isoformat()} 晚于已记录的“{EventKind(first.kind).label}”（{first.day.isoformat()}）："
                "请先撤销或更正该事件"
            )
        if confirmed is not None and day < received.day:
            raise OfficeError(f"确认收到之日 {day.isoformat()} 早于提交之日 {received.day.isoformat()}（第三十一条）")
    if channel is not None:
        payload = {k: v for k, v in (received.data or {}).items() if k not in ("channel", "corrects", "reason")}
        code = Channel(channel).deadline_channel
        if code:
            payload["channel"] = code
        if payload.get("pending") and code and code not in deadlines.NEEDS_CONFIRMATION:
            if confirmed is not None:
                raise OfficeError(
                    f"该申请已记录“确认收到申请”，而{Channel(channel).label}提交的申请以提交或签收之日为收到之日"
                    "（第三十一条）：请先撤销“确认收到申请”"
                )
            del payload["pending"]
        moved = day if day is not None and confirmed is None else received.day
        corrects = {"channel": [(received.data or {}).get("channel", Channel.OTHER.value), code or Channel.OTHER.value]}
        if moved != received.day:
            corrects["day"] = [received.day.isoformat(), moved.isoformat()]
        payload |= {"corrects": corrects, "reason": reason}
        write(application, actor, _R, moved, payload, amends=received, refresh=False)
        if confirmed is None:
            return
    if day is None:
        return
    target = confirmed if confirmed is not None else received
    payload = {k: v for k, v in (target.data or {}).items() if k not in ("corrects", "reason")}
    payload |= {"corrects": {"day": [target.day.isoformat(), day.isoformat()]}, "reason": reason}
    write(application, actor, EventKind(target.kind), day, payload, amends=target, refresh=False)


# ------------------------------------------------------------------ the reply


@dataclass(frozen=True)
class ReplyCorrectionInput:
    application: Application
    reason: str
    day: date | None = None  # the right day of the reply (None: unchanged)
    outcome: str | None = None  # the right table-三 outcome (None: unchanged)


@transaction.atomic
def correct_reply(actor, data: ReplyCorrectionInput) -> Application:
    """更正已办结申请的答复日期或办理结果：以更正后的办结事件取代原事件，记明更正前后的值和理由。"""
    application = _lock(data.application)
    require_role(actor, application.agency, what="更正答复")
    closing = [e for e in in_force(application.events.all()) if e.kind in CLOSING]
    if not closing:
        raise OfficeError(f"申请 {application.number} 尚未办结，请用“答复”记录办理结果")
    old = closing[-1]
    old_data = old.data or {}
    old_outcome = old_data.get("outcome") or application.outcome
    day = data.day or old.day
    outcome = data.outcome or old_outcome
    corrects: dict = {}
    if day != old.day:
        not_future(day, "答复日期")
        if day < application.received_on:
            raise OfficeError(f"答复日期 {day.isoformat()} 早于收到日期 {application.received_on.isoformat()}")
        corrects["day"] = [old.day.isoformat(), day.isoformat()]
    if outcome != old_outcome:
        if old.kind == EventKind.WITHDRAWN:
            raise OfficeError(
                "撤回的申请计入“其他处理”，办理结果不能更正；如申请人并未撤回，请撤销“申请人撤回申请”后再记录答复"
            )
        corrects["outcome"] = [old_outcome, outcome]
    if not corrects:
        raise OfficeError("答复日期和办理结果都没有改变，无需更正")
    check_outcome(outcome, day.year)
    kind = EventKind(old.kind)
    if "outcome" in corrects:
        kind = EventKind.ABANDONED if outcome in ABANDONING else EventKind.REPLIED
    payload = {k: v for k, v in old_data.items() if k not in ("corrects", "reason")}
    if kind != old.kind:
        payload.pop("grounds", None)  # the grounds of a 视为放弃 do not carry over to a reply, nor back
    payload |= {"outcome": outcome, "corrects": corrects, "reason": _reason(data.reason)}
    write(application, actor, kind, day, payload, amends=old, refresh=False)
    sync_facts(application)
    recompute(application)
    return application


# ------------------------------------------------------------------ undo


@dataclass(frozen=True)
class UndoInput:
    event: ApplicationEvent
    reason: str


def _undoable(target: ApplicationEvent) -> None:
    kind = EventKind(target.kind)
    if kind == _R:
        raise OfficeError("“收到申请”不能撤销：收到日期或申请方式有误的，请修改登记信息")
    if kind == EventKind.UNDONE:
        raise OfficeError("撤销记录不能再撤销：请重新记录被撤销的事件")
    if kind not in UNDOABLE:
        raise OfficeError(f"“{kind.label}”是登记和更正的记录，不能撤销")
    if ApplicationEvent.objects.filter(amends=target).exists():
        raise OfficeError(f"该“{kind.label}”已被更正或撤销")
    decision = ApplicationEvent.objects.in_force().filter(answers=target).first()
    if decision is not None:
        raise OfficeError(
            f"该延期申请已于 {decision.day.isoformat()} {EventKind(decision.kind).label}，不能撤销；"
            "审批有误的，请由办公室负责人撤销审批"
        )


@transaction.atomic
def undo_event(actor, data: UndoInput) -> ApplicationEvent:
    """撤销一条记错的事件：写入“撤销事件”，原事件保留在台账中但不再生效，期限按其余事件重新计算。"""
    target = ApplicationEvent.objects.get(pk=data.event.pk)
    application = _lock(target.application)
    kind = EventKind(target.kind)
    roles = (Role.HEAD,) if kind in HEAD_ONLY else None
    what = f"撤销“{kind.label}”" + ("（第三十三条：延期由办公室负责人审批）" if roles else "")
    if roles:
        require_role(actor, application.agency, roles, what=what)
    else:
        require_role(actor, application.agency, what=what)
    _undoable(target)
    payload = {"kind": target.kind, "day": target.day.isoformat(), "reason": _reason(data.reason)}
    event = write(application, actor, EventKind.UNDONE, today(), payload, amends=target, refresh=False)
    sync_facts(application, fee=kind in FEE_KINDS)
    recompute(application)
    return event
