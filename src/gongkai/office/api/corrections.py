"""Correcting applications and extensions through the API (issue 13, items 4, 6, 7) — each
write one service call, the same the workbench makes; every change is new events in the ledger.

- ``PATCH /applications/{id}/``: edit the registration (with a reason);
- ``POST /applications/{id}/reply/correct/``: correct the reply's day or outcome;
- ``POST /applications/{id}/withdraw/``: the applicant withdrew;
- ``POST /applications/{id}/events/{event}/undo/``: undo an event recorded by mistake;
- ``POST /applications/{id}/close-expired/``: 视为放弃申请 once the 补正 or payment period ran out;
- ``POST /applications/{id}/extension-requests/``: request an extension;
- ``GET /applications/extension-requests/``: the requests waiting for the caller (a head);
- ``POST /applications/extension-requests/{event}/approve/`` and ``…/refuse/``: decide one.
"""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema, Status
from ninja.errors import HttpError

from gongkai import law
from gongkai.office.agencies import access
from gongkai.office.applications import services
from gongkai.office.applications.limits import APPLICANT_MAX, CONTENT_MAX
from gongkai.office.applications.models import ApplicationEvent, EventKind
from gongkai.office.applications.vocabulary import OUTCOME_CHOICES, ApplicantType, Channel

from .applications import ERRORS, _application, _detail, router
from .schemas import ApplicationDetail, Error, _choices
from .scope import require_write

# The endpoints are added to the applications router: one path (``/{id}/`` for GET and PATCH)
# must be one route.

_REASON = Field(description="更正的理由（必填，记入办理记录）", min_length=1, max_length=500)


class EditIn(Schema):
    reason: str = _REASON
    applicant_name: str | None = Field(None, max_length=APPLICANT_MAX, description="申请人")
    applicant_type: str | None = Field(None, description=f"申请人类型：{_choices(ApplicantType.choices)}")
    channel: str | None = Field(None, description=f"申请方式：{_choices(Channel.choices)}")
    content: str | None = Field(None, max_length=CONTENT_MAX, description="申请内容")
    received_on: date | None = Field(None, description="收到日期（第三十一条；已确认收到的为确认之日），不能晚于今天")


class ReplyCorrectionIn(Schema):
    reason: str = _REASON
    day: date | None = Field(None, description="正确的答复日期（不改则不填）")
    outcome: str | None = Field(None, description=f"正确的办理结果（不改则不填）：{_choices(OUTCOME_CHOICES)}")


class WithdrawIn(Schema):
    day: date = Field(description="申请人撤回申请的日期，不能晚于今天")
    note: str = Field("", description="备注", max_length=500)


class UndoIn(Schema):
    reason: str = Field(description="撤销的理由（必填，记入办理记录）", min_length=1, max_length=500)


class ExtensionRequestIn(Schema):
    days: int = Field(description=f"申请延长的工作日数，1 至 {law.MAX_EXTENSION_DAYS}（第三十三条第二款）")
    reason: str = Field(description="延期的理由（写入延期答复告知书）", min_length=1, max_length=500)


class ExtensionApprovalIn(Schema):
    days: int | None = Field(None, description="批准延长的工作日数（不多于申请的天数；不填则按申请）")
    day: date | None = Field(None, description="批准日期（不填为今天）")
    comment: str = Field("", description="审批意见", max_length=500)


class ExtensionRefusalIn(Schema):
    reason: str = Field(description="不同意的理由", min_length=1, max_length=500)


class ExtensionRequestOut(Schema):
    id: int = Field(description="延期申请（事件）编号")
    application: int = Field(description="申请记录编号")
    number: str = Field(description="申请编号")
    agency_name: str = Field(description="机关名称")
    day: date = Field(description="提出日期")
    actor: str | None = Field(description="提出人用户名")
    days: int = Field(description="申请延长的工作日数")
    reason: str = Field(description="延期的理由")
    due_on: date | None = Field(description="原答复期限")
    late: bool = Field(description="今天已过原答复期限：此时批准不能补救逾期（第三十三条）")


def _writable(request, pk: int):
    app = _application(request, pk)
    require_write(request.auth, app.agency)
    return app


@router.patch("/{int:pk}/", response={200: ApplicationDetail, **ERRORS}, summary="修改登记信息")
def edit_application(request, pk: int, body: EditIn):
    """修改申请人、类型、方式、内容或收到日期：写入“修改登记信息”事件（含修改前后的值和理由），原登记保留；
    收到日期或方式改变时，以更正后的收到事件取代原事件，重新计算期限。"""
    app = _writable(request, pk)
    services.edit_application(request.auth, services.EditInput(application=app, **body.model_dump()))
    return _detail(_application(request, pk))


@router.post("/{int:pk}/reply/correct/", response={200: ApplicationDetail, **ERRORS}, summary="更正答复")
def correct_reply(request, pk: int, body: ReplyCorrectionIn):
    """更正已办结申请的答复日期或办理结果：以更正后的办结事件取代原事件（原事件保留，不再生效）。"""
    app = _writable(request, pk)
    services.correct_reply(request.auth, services.ReplyCorrectionInput(application=app, **body.model_dump()))
    return _detail(_application(request, pk))


@router.post("/{int:pk}/withdraw/", response={200: ApplicationDetail, **ERRORS}, summary="申请人撤回申请")
def withdraw(request, pk: int, body: WithdrawIn):
    """记录申请人撤回申请：申请办结，计入表三“其他处理”。"""
    app = _writable(request, pk)
    services.withdraw(request.auth, services.WithdrawInput(application=app, **body.model_dump()))
    return _detail(_application(request, pk))


@router.post("/{int:pk}/events/{int:event_id}/undo/", response={201: ApplicationDetail, **ERRORS}, summary="撤销事件")
def undo_event(request, pk: int, event_id: int, body: UndoIn):
    """撤销一条记错的事件：写入“撤销事件”，原事件保留在台账中但不再生效，期限按其余事件重新计算。
    撤销延期的批准或不同意须由办公室负责人操作。"""
    app = _writable(request, pk)
    event = app.events.filter(pk=event_id).first()
    if event is None:
        raise HttpError(404, f"申请 {app.number} 没有编号为 {event_id} 的事件")
    services.undo_event(request.auth, services.UndoInput(event=event, reason=body.reason))
    return Status(201, _detail(_application(request, pk)))


@router.post("/{int:pk}/close-expired/", response={200: ApplicationDetail, **ERRORS}, summary="逾期未补正或未缴费办结")
def close_expired(request, pk: int):
    """补正期限或缴费期限已届满、申请人未补正或未缴费的，视为放弃申请并办结（第三十条；国办函〔2020〕109号）。"""
    from gongkai.office.annual.expired import CloseExpiredInput
    from gongkai.office.annual.expired import close_expired as close

    app = _writable(request, pk)
    close(request.auth, CloseExpiredInput(agency=app.agency, numbers=(app.number,)))
    return _detail(_application(request, pk))


# ------------------------------------------------------------------ extensions


@router.post("/{int:pk}/extension-requests/", response={201: ApplicationDetail, **ERRORS}, summary="申请延期答复")
def request_extension(request, pk: int, body: ExtensionRequestIn):
    """申请延期答复，报办公室负责人审批（第三十三条第二款）；申请本身不改变答复期限。"""
    app = _writable(request, pk)
    services.request_extension(request.auth, services.ExtensionRequestInput(application=app, **body.model_dump()))
    return Status(201, _detail(_application(request, pk)))


@router.get("/extension-requests/", response={200: list[ExtensionRequestOut], 401: Error}, summary="待审批的延期申请")
def pending_extension_requests(request):
    """当前用户作为办公室负责人待审批的延期申请，原答复期限早的在前。"""
    from django.utils import timezone

    today = timezone.localdate()
    return [
        {
            "id": r.pk,
            "application": r.application_id,
            "number": r.application.number,
            "agency_name": r.application.agency.name,
            "day": r.day,
            "actor": r.actor.username if r.actor else None,
            "days": (r.data or {}).get("days"),
            "reason": (r.data or {}).get("reason", ""),
            "due_on": r.application.due_on,
            "late": r.application.due_on is not None and r.application.due_on < today,
        }
        for r in services.pending_extension_requests(request.auth)
    ]


def _request(request, event_id: int) -> ApplicationEvent:
    """The extension request ``event_id``: 404 unless visible, 403 unless writable, 404 unless a request."""
    found = access.scoped(
        ApplicationEvent.objects.select_related("application__agency"), request.auth, "application__agency"
    )
    event = found.filter(pk=event_id).first()
    if event is None:
        raise HttpError(404, f"没有编号为 {event_id} 的延期申请")
    require_write(request.auth, event.application.agency)
    if event.kind != EventKind.EXTENSION_REQUESTED:
        raise HttpError(404, f"没有编号为 {event_id} 的延期申请")
    return event


@router.post(
    "/extension-requests/{int:event_id}/approve/", response={200: ApplicationDetail, **ERRORS}, summary="批准延期答复"
)
def approve_extension(request, event_id: int, body: ExtensionApprovalIn):
    """办公室负责人批准延期答复。批准晚于原答复期限的，期限不变，提示中有 extension_late。"""
    event = _request(request, event_id)
    services.approve_extension(request.auth, services.ExtensionApprovalInput(request=event, **body.model_dump()))
    return _detail(_application(request, event.application_id))


@router.post(
    "/extension-requests/{int:event_id}/refuse/", response={200: ApplicationDetail, **ERRORS}, summary="不同意延期答复"
)
def refuse_extension(request, event_id: int, body: ExtensionRefusalIn):
    """办公室负责人不同意延期答复：答复期限不变。"""
    event = _request(request, event_id)
    services.refuse_extension(request.auth, services.ExtensionRefusalInput(request=event, reason=body.reason))
    return _detail(_application(request, event.application_id))
