"""Extending the reply period (条例第三十三条第二款): requested by the clerk, decided by the head.

- ``request_extension``: the clerk asks for at most ``law.MAX_EXTENSION_DAYS`` working days,
  with a reason — an ``extension_requested`` row (it does not move the deadline);
- ``approve_extension``: the head of the disclosure office approves — an ``extension_approved``
  row answering the request, which the clocks count; approved after the original due date it
  does not move it (the clocks' ``extension_late``, returned as ``ExtensionDecision.late``);
- ``refuse_extension``: the head refuses, with a reason — an ``extension_refused`` row;
- ``pending_extension_requests``: the requests waiting for a user's decision.

A request is decided once: a decision undone later (``corrections.undo_event``, the head's)
leaves its request decided, and the clerk makes a new request.

Once approved, the extension must be told to the applicant: the 延期答复告知书 of the letters
view takes its days and reason from the approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from gongkai import law
from gongkai.office.agencies import access
from gongkai.office.agencies.models import Role
from gongkai.office.agencies.services import require_role
from gongkai.office.errors import OfficeError

from .models import Application, ApplicationEvent, EventKind, State
from .writer import deadline_of, in_force, not_future, require_open, today, write

__all__ = [
    "ExtensionApprovalInput",
    "ExtensionDecision",
    "ExtensionRefusalInput",
    "ExtensionRequestInput",
    "approve_extension",
    "pending_extension_requests",
    "refuse_extension",
    "request_extension",
]

ARTICLE = "第三十三条第二款"
_HEAD = (Role.HEAD,)
_NOT_RUNNING = {
    State.AWAITING_CONFIRMATION: "尚未确认收到申请（第三十一条）",
    State.AWAITING_CORRECTION: "正在等待申请人补正（第三十条）",
}


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _text(text: str, what: str) -> str:
    value = (text or "").strip()
    if not value:
        raise OfficeError(f"请写明{what}")
    if len(value) > 500:
        raise OfficeError(f"{what}不能超过500字")
    return value


def _days(days, most: int = law.MAX_EXTENSION_DAYS) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= most:
        raise OfficeError(f"延长的期限应为 1 至 {most} 个工作日（{law.REGULATION.title}{ARTICLE}），收到的是 {days}")
    return days


# ------------------------------------------------------------------ the clerk's request


@dataclass(frozen=True)
class ExtensionRequestInput:
    application: Application
    days: int  # working days asked for (at most law.MAX_EXTENSION_DAYS)
    reason: str  # why the reply cannot be made in time (it goes into the 延期答复告知书)


@transaction.atomic
def request_extension(actor, data: ExtensionRequestInput) -> ApplicationEvent:
    """申请延期答复：报办公室负责人审批（第三十三条第二款），本身不改变答复期限。"""
    application = _lock(data.application)
    require_role(actor, application.agency, what="申请延期答复")
    require_open(application, "申请延期")
    days = _days(data.days)
    reason = _text(data.reason, "延期的理由")
    if application.state in _NOT_RUNNING:
        raise OfficeError(
            f"申请 {application.number} {_NOT_RUNNING[application.state]}，答复期限未在计算，不能申请延期"
        )
    events = in_force(application.events.all())
    approved = next((e for e in events if e.kind == EventKind.EXTENSION_APPROVED), None)
    if approved is not None:
        raise OfficeError(
            f"申请 {application.number} 的答复期限已于 {approved.day.isoformat()} 延长，只能延长一次（{ARTICLE}）"
        )
    waiting = ApplicationEvent.objects.pending_extension_requests().filter(application=application).first()
    if waiting is not None:
        raise OfficeError(f"申请 {application.number} 已有 {waiting.day.isoformat()} 提出的延期申请，正待负责人审批")
    return write(application, actor, EventKind.EXTENSION_REQUESTED, today(), {"days": days, "reason": reason})


# ------------------------------------------------------------------ the head's decision


def _request(event: ApplicationEvent) -> tuple[ApplicationEvent, Application]:
    request = ApplicationEvent.objects.select_related("application").get(pk=event.pk)
    if request.kind != EventKind.EXTENSION_REQUESTED:
        raise OfficeError("只能审批“申请延期答复”")
    return request, _lock(request.application)


def _check_pending(request: ApplicationEvent, application: Application) -> None:
    if ApplicationEvent.objects.filter(amends=request).exists():
        raise OfficeError("该延期申请已撤销")
    decision = ApplicationEvent.objects.filter(answers=request).first()
    if decision is not None:
        raise OfficeError(f"该延期申请已于 {decision.day.isoformat()} 审批：{EventKind(decision.kind).label}")
    require_open(application, "审批延期")


@dataclass(frozen=True)
class ExtensionApprovalInput:
    request: ApplicationEvent  # the ``extension_requested`` event
    days: int | None = None  # fewer working days than asked (None: as asked)
    day: date | None = None  # the day of approval (None: today)
    comment: str = ""  # the head's remark


@dataclass(frozen=True)
class ExtensionDecision:
    event: ApplicationEvent
    application: Application
    due: date | None  # the reply deadline now
    late: bool  # approved after the original due date: the deadline does not move (第三十三条)


@transaction.atomic
def approve_extension(actor, data: ExtensionApprovalInput) -> ExtensionDecision:
    """办公室负责人批准延期答复（第三十三条第二款）；晚于原答复期限批准的，不能补救逾期（``late``）。"""
    request, application = _request(data.request)
    require_role(actor, application.agency, _HEAD, what=f"批准延期答复（{ARTICLE}）")
    _check_pending(request, application)
    asked = int((request.data or {}).get("days") or law.MAX_EXTENSION_DAYS)
    days = _days(data.days if data.days is not None else asked, most=asked)
    day = data.day or today()
    not_future(day, "批准日期")
    if day < request.day:
        raise OfficeError(f"批准日期 {day.isoformat()} 早于申请延期的日期 {request.day.isoformat()}")
    payload = {"days": days, "note": (request.data or {}).get("reason", "")}
    if data.comment.strip():
        payload["comment"] = data.comment.strip()
    event = write(application, actor, EventKind.EXTENSION_APPROVED, day, payload, answers=request)
    deadline = deadline_of(application)
    return ExtensionDecision(event, application, deadline.due, deadline.extension_late)


@dataclass(frozen=True)
class ExtensionRefusalInput:
    request: ApplicationEvent
    reason: str


@transaction.atomic
def refuse_extension(actor, data: ExtensionRefusalInput) -> ApplicationEvent:
    """办公室负责人不同意延期答复：答复期限不变。"""
    request, application = _request(data.request)
    require_role(actor, application.agency, _HEAD, what=f"审批延期答复（{ARTICLE}）")
    _check_pending(request, application)
    reason = _text(data.reason, "不同意的理由")
    return write(application, actor, EventKind.EXTENSION_REFUSED, today(), {"reason": reason}, answers=request)


def pending_extension_requests(user) -> QuerySet[ApplicationEvent]:
    """The requests waiting for ``user``'s decision: of the agencies whose office ``user`` heads,
    most urgent (earliest reply deadline) first."""
    return (
        ApplicationEvent.objects.pending_extension_requests()
        .filter(application__agency_id__in=access.headed_agency_ids(user))
        .select_related("application__agency", "actor")
        .order_by("application__due_on", "day", "id")
    )
