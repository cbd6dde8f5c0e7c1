"""Applications (依申请公开): list, read, register, record events, reply — each write one service call."""

from __future__ import annotations

from math import ceil

from ninja import Field as F
from ninja import Query, Router, Schema, Status

from gongkai.office.agencies import access
from gongkai.office.applications import services
from gongkai.office.applications.models import Application, State
from gongkai.office.errors import OfficeError

from .schemas import ApplicationDetail, ApplicationPage, Error, EventIn, RegisterIn, ReplyIn
from .scope import require_write, visible, visible_agency

router = Router(tags=["依申请公开"])
PAGE_SIZE = 50
ERRORS = {401: Error, 403: Error, 404: Error, 422: Error}


class ApplicationFilter(Schema):
    agency: int | None = F(None, description="机关编号")
    year: int | None = F(None, description="收到年度")
    state: str | None = F(None, description="办理状态：" + "；".join(f"{v}：{label}" for v, label in State.choices))
    page: int = F(1, ge=1, description=f"页码，从 1 开始，每页 {PAGE_SIZE} 件")


def _out(app: Application) -> dict:
    return {
        "id": app.pk,
        "agency": app.agency_id,
        "agency_name": app.agency.name,
        "number": app.number,
        "applicant_name": app.applicant_name,
        "applicant_type": app.applicant_type,
        "channel": app.channel,
        "received_on": app.received_on,
        "state": app.state,
        "state_label": app.get_state_display(),
        "due_on": app.due_on,
        "provisional": app.provisional,
        "outcome": app.outcome,
        "replied_on": app.replied_on,
    }


def _detail(app: Application) -> dict:
    """The application with its deadline derived from the events (not the cached columns)."""
    deadline = services.deadline_of(app)
    events = list(app.events.select_related("actor").order_by("day", "id"))
    amended = {e.amends_id for e in events if e.amends_id}
    return _out(app) | {
        "state": str(deadline.state),
        "state_label": State(str(deadline.state)).label,
        "due_on": deadline.due,
        "provisional": deadline.provisional,
        "content": app.content,
        "steps": deadline.steps,
        "alerts": [{"code": a.code, "message": a.message} for a in deadline.alerts],
        "events": [
            {
                "id": e.pk,
                "kind": e.kind,
                "kind_label": e.get_kind_display(),
                "day": e.day,
                "at": e.at,
                "actor": e.actor.username if e.actor else None,
                "data": e.data,
                "amends": e.amends_id,
                "answers": e.answers_id,
                "in_force": e.pk not in amended,
            }
            for e in events
        ],
    }


def _application(request, pk: int) -> Application:
    return visible(Application.objects.select_related("agency"), request.auth, pk, "申请")


@router.get("/", response={200: ApplicationPage, 401: Error, 404: Error, 422: Error}, summary="申请列表")
def list_applications(request, filters: Query[ApplicationFilter]):
    """当前用户可见机关的申请，可按机关、收到年度、办理状态筛选，分页返回。"""
    qs = access.scoped(Application.objects.select_related("agency"), request.auth)
    if filters.agency is not None:
        qs = qs.filter(agency=visible_agency(request.auth, filters.agency))
    if filters.year is not None:
        qs = qs.filter(received_on__year=filters.year)
    if filters.state:
        if filters.state not in State.values:
            raise OfficeError(f"未知的办理状态“{filters.state}”，可选：{'、'.join(State.values)}")
        qs = qs.filter(state=filters.state)
    count = qs.count()
    start = (filters.page - 1) * PAGE_SIZE
    items = qs.order_by("-received_on", "-id")[start : start + PAGE_SIZE]
    return {"count": count, "page": filters.page, "pages": ceil(count / PAGE_SIZE), "items": [_out(a) for a in items]}


@router.get("/{int:pk}/", response={200: ApplicationDetail, **ERRORS}, summary="申请详情")
def get_application(request, pk: int):
    """申请的登记信息、由事件推算的答复期限（含推算过程）和全部事件。"""
    return _detail(_application(request, pk))


@router.post("/", response={201: ApplicationDetail, **ERRORS}, summary="登记申请")
def register_application(request, body: RegisterIn):
    """登记一件申请（写入“登记申请”和“收到申请”两个事件）。"""
    agency = visible_agency(request.auth, body.agency)
    require_write(request.auth, agency)
    data = services.RegisterInput(agency=agency, **body.model_dump(exclude={"agency"}))
    app = services.register_application(request.auth, data)
    return Status(201, _detail(_application(request, app.pk)))


@router.post("/{int:pk}/events/", response={201: ApplicationDetail, **ERRORS}, summary="记录办理事件")
def record_event(request, pk: int, body: EventIn):
    """记录补正、征求意见、收费、延期等事件；批准延期须由办公室负责人操作（第三十三条）。"""
    app = _application(request, pk)
    require_write(request.auth, app.agency)
    services.record_event(request.auth, services.EventInput(application=app, **body.model_dump()))
    return Status(201, _detail(_application(request, pk)))


@router.post("/{int:pk}/reply/", response={200: ApplicationDetail, **ERRORS}, summary="答复申请")
def reply(request, pk: int, body: ReplyIn):
    """作出答复并记录办理结果；办理结果须是答复年度所用格式表三中的一行。"""
    app = _application(request, pk)
    require_write(request.auth, app.agency)
    services.reply(request.auth, services.ReplyInput(application=app, **body.model_dump()))
    return _detail(_application(request, pk))
