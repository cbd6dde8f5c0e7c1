"""Applications: register, detail with the event ledger, ledger events, reply (letters: ``letters``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai import fees
from gongkai.deadlines import Party
from gongkai.notices import NOTICES
from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency, Role
from gongkai.office.applications import services
from gongkai.office.applications.fees import check_notice, month_count
from gongkai.office.applications.models import Application, EventKind, Fee, FeeBasis
from gongkai.office.applications.vocabulary import OUTCOME_CHOICES, ApplicantType, Channel

from ..decorators import agency_required
from ..forms import EventForm, RegisterForm, ReplyForm
from .common import form_errors, service_errors
from .corrections import correction_forms
from .extensions import extension_context
from .letters import issued_letters
from .reports import warn_submitted_years


@agency_required(write=True)
def application_new(request):
    agencies = Agency.objects.filter(id__in=access.writable_agency_ids(request.user))
    form = RegisterForm(request.POST or None, agencies=agencies, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with service_errors(request):
            application = services.register_application(
                request.user,
                services.RegisterInput(
                    agency=d["agency"],
                    number=d["number"],
                    applicant_type=d["applicant_type"],
                    received_on=d["received_on"],
                    channel=d["channel"],
                    applicant_name=d["applicant_name"],
                    content=d["content"],
                    awaiting_confirmation=d.get("awaiting_confirmation") or False,
                ),
            )
            messages.success(request, f"已登记申请 {application.number}")
            warn_submitted_years(request, application)
            return redirect("web:application", pk=application.pk)
    return render(request, "web/application_new.html", {"form": form})


# How an event's details read: Chinese names for the keys, labels for coded values.
DETAIL_KEYS = {
    "number": "申请编号",
    "applicant_name": "申请人",
    "applicant_type": "申请人类型",
    "channel": "申请方式",
    "content": "申请内容",
    "received_on": "收到日期",
    "outcome": "办理结果",
    "from": "原办理结果",
    "to": "新办理结果",
    "days": "天数（工作日）",
    "party": "征求对象",
    "amount": "金额（元）",
    "basis": "计收方式",
    "pages": "页数",
    "month": "计件月份",
    "nth": "本月第几件",
    "grounds": "依据",
    "note": "备注",
    "source": "来源",
    "reason": "理由",
    "comment": "审批意见",
    "kind": "撤销的事件",
    "day": "日期",
    "corrects": "更正",
    "pending": "待确认收到",
}
DETAIL_VALUES = {
    "applicant_type": dict(ApplicantType.choices),
    "channel": dict(Channel.choices),
    "outcome": dict(OUTCOME_CHOICES),
    "from": dict(OUTCOME_CHOICES),
    "to": dict(OUTCOME_CHOICES),
    "party": {Party.THIRD_PARTY.value: "第三方", Party.AGENCY.value: "其他机关"},
    "basis": dict(FeeBasis.choices),
    "kind": dict(EventKind.choices),
    "pending": {True: "是", False: "否"},
}
# What a corrected value is, in a correction's ``corrects``.
CORRECTED_KEYS = {"day": "日期", "outcome": "办理结果", "channel": "申请方式"}


def _value(key: str, value) -> str:
    if isinstance(value, list):  # an edit: [before, after]
        return " → ".join(_value(key, v) for v in value)
    return str(DETAIL_VALUES.get(key, {}).get(value, value))


def describe(data: dict) -> str:
    parts = []
    for key, value in (data or {}).items():
        if key == "corrects" and isinstance(value, dict):  # a correcting row: what it changed
            changed = "，".join(f"{CORRECTED_KEYS.get(k, k)} {_value(k, v)}" for k, v in value.items())
            parts.append(f"更正：{changed}")
            continue
        parts.append(f"{DETAIL_KEYS.get(key, key)}：{_value(key, value)}")
    return "；".join(parts)


def ledger_rows(application: Application, *, can_write: bool, is_head: bool) -> list[dict]:
    """Every event (none hidden), each with its details, the row correcting it if any, and
    whether this user may undo it."""
    events = list(application.events.select_related("actor").order_by("day", "id"))
    amended_by = {e.amends_id: e for e in events if e.amends_id}
    decided = {e.answers_id for e in events if e.answers_id and e.pk not in amended_by}
    rows = []
    for e in events:
        kind = EventKind(e.kind)
        undoable = (
            can_write
            and e.pk not in amended_by
            and kind in services.UNDOABLE
            and e.pk not in decided
            and (is_head or kind not in (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REFUSED))
        )
        rows.append({"event": e, "details": describe(e.data), "amended_by": amended_by.get(e.pk), "undoable": undoable})
    return rows


def fee_context(application: Application, deadline) -> dict:
    """The fee card: the notice recorded (``Fee``), what the calculator says an 按件 notice
    should state (the register's count, 国办函〔2020〕109号第四条), the payment window."""
    fee = Fee.objects.filter(application=application).first()
    figure = None
    if fee is None and application.is_open:
        count = month_count(application)
        if count is not None:
            figure = {"count": count, "quote": fees.for_nth(count.n)}
    return {"fee": fee, "fee_figure": figure, "fee_pay_by": deadline.fee_pay_by}


# The ledger forms of the detail page: (kind, button text).
CORRECTION = ((EventKind.CORRECTION_REQUESTED, "告知补正"), (EventKind.CORRECTION_RECEIVED, "收到补正"))
CONSULTATION = ((EventKind.CONSULTATION_STARTED, "开始征求意见"), (EventKind.CONSULTATION_ENDED, "征求意见结束"))


@agency_required(Application)
def application_detail(request, application: Application):
    today = timezone.localdate()
    deadline = services.deadline_of(application, today=today)
    can_write = access.can_write(request.user, application.agency)
    is_head = access.has_role(request.user, application.agency, Role.HEAD)
    context = {
        "app": application,
        "deadline": deadline,
        "ledger": ledger_rows(application, can_write=can_write, is_head=is_head),
        "appeals": application.appeals.all(),
        "can_write": can_write and application.is_open,
        "can_correct": can_write,
        "is_head": is_head,
        "today": today,
        "correction": CORRECTION,
        "consultation": CONSULTATION,
        "extension": EventKind.EXTENSION_APPROVED,
        "event_form": EventForm(initial={"day": today}),
        "reply_form": ReplyForm(initial={"day": today}),
        "fee_check": check_notice(application),  # the stored fee against the calculator (109号)
        "notices": NOTICES,
        "letters": issued_letters(application),
        **fee_context(application, deadline),
        **extension_context(application, request.user),
        **correction_forms(application),
    }
    return render(request, "web/application_detail.html", context)


@require_POST
@agency_required(Application, write=True)
def application_event(request, application: Application):
    form = EventForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("web:application", pk=application.pk)
    d = form.cleaned_data
    with service_errors(request):
        services.record_event(
            request.user,
            services.EventInput(
                application=application,
                kind=d["kind"],
                day=d["day"],
                days=d["days"],
                party=d["party"] or None,
                note=d["note"],
                basis=d["basis"] or None,
                amount=d["amount"],
                pages=d["pages"],
            ),
        )
        messages.success(request, f"已记录：{EventKind(d['kind']).label}")
    return redirect("web:application", pk=application.pk)


@require_POST
@agency_required(Application, write=True)
def application_reply(request, application: Application):
    form = ReplyForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("web:application", pk=application.pk)
    d = form.cleaned_data
    with service_errors(request):
        services.reply(
            request.user,
            services.ReplyInput(application=application, day=d["day"], outcome=d["outcome"], note=d["note"]),
        )
        messages.success(request, "已记录答复")
        warn_submitted_years(request, application)
    return redirect("web:application", pk=application.pk)


@require_POST
@agency_required(Application, write=True)
def application_close_expired(request, application: Application):
    """视为放弃申请: the 补正 or payment period ran out (第三十条; 国办函〔2020〕109号) — one
    application through the annual build's closing service, dated as it dates them."""
    from gongkai.office.annual.expired import REASONS, CloseExpiredInput, close_expired

    with service_errors(request):
        data = CloseExpiredInput(agency=application.agency, numbers=(application.number,))
        for closed in close_expired(request.user, data):
            what = REASONS[closed.reason].what
            messages.success(request, f"已办结：{what}，视为放弃申请（{closed.day.isoformat()}，依据{closed.grounds}）")
    return redirect("web:application", pk=application.pk)
