"""Applications: list, register, detail with the event ledger, ledger events, reply, letter."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db.models import Max, Min
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.deadlines import Party
from gongkai.formats import for_year
from gongkai.letters import LetterContext, render_letter
from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency, Role
from gongkai.office.applications import services
from gongkai.office.applications.models import Application, EventKind, FeeBasis
from gongkai.office.applications.vocabulary import OUTCOME_CHOICES, ApplicantType, Channel

from ..decorators import agency_required
from ..forms import OPEN, ApplicationFilter, EventForm, RegisterForm, ReplyForm
from .common import BY_DUE, application_rows, form_errors, page, query_without_page, service_errors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@agency_required()
def application_list(request):
    mine = access.scoped(Application.objects.all(), request.user)
    span = mine.aggregate(first=Min("received_on"), last=Max("received_on"))  # not DISTINCT over every row
    years = list(range(span["last"].year, span["first"].year - 1, -1)) if span["first"] else []
    filters = ApplicationFilter(request.GET or None, years=years)
    order = ("-received_on", "-id")  # newest first; all open ones: most urgent first, as on the dashboard
    if filters.is_valid():
        f = filters.cleaned_data
        if f["year"]:
            y = int(f["year"])
            mine = mine.filter(received_on__gte=date(y, 1, 1), received_on__lte=date(y, 12, 31))
        if f["state"] == OPEN:
            mine, order = mine.open(), BY_DUE
        elif f["state"]:
            mine = mine.filter(state=f["state"])
        if f["outcome"]:
            mine = mine.filter(outcome=f["outcome"])
    rows = page(request, mine.order_by(*order))
    rows.object_list = application_rows(rows.object_list)
    context = {
        "filters": filters,
        "page": rows,
        "query": query_without_page(request),
        "can_register": bool(access.writable_agency_ids(request.user)),
    }
    return render(request, "web/application_list.html", context)


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
                ),
            )
            messages.success(request, f"已登记申请 {application.number}")
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
    "note": "备注",
    "source": "来源",
}
DETAIL_VALUES = {
    "applicant_type": dict(ApplicantType.choices),
    "channel": dict(Channel.choices),
    "outcome": dict(OUTCOME_CHOICES),
    "from": dict(OUTCOME_CHOICES),
    "to": dict(OUTCOME_CHOICES),
    "party": {Party.THIRD_PARTY.value: "第三方", Party.AGENCY.value: "其他机关"},
    "basis": dict(FeeBasis.choices),
}


def describe(data: dict) -> str:
    parts = []
    for key, value in (data or {}).items():
        if isinstance(value, list):  # an edit: [old, new]
            value = " → ".join(str(DETAIL_VALUES.get(key, {}).get(v, v)) for v in value)
        else:
            value = DETAIL_VALUES.get(key, {}).get(value, value)
        parts.append(f"{DETAIL_KEYS.get(key, key)}：{value}")
    return "；".join(parts)


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
        "events": [(e, describe(e.data)) for e in application.events.select_related("actor").order_by("day", "id")],
        "appeals": application.appeals.all(),
        "can_write": can_write and application.is_open,
        "is_head": is_head,
        "today": today,
        "correction": CORRECTION,
        "consultation": CONSULTATION,
        "extension": EventKind.EXTENSION_APPROVED,
        "event_form": EventForm(initial={"day": today}),
        "reply_form": ReplyForm(initial={"day": today}),
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
    return redirect("web:application", pk=application.pk)


@agency_required(Application)
def application_letter(request, application: Application):
    back = reverse("web:application", kwargs={"pk": application.pk})
    if not application.outcome or application.replied_on is None:
        messages.error(request, "申请尚未答复，不能生成答复书")
        return redirect(back)
    context = LetterContext(
        agency=application.agency.name,
        applicant=application.applicant_name,
        number=application.number,
        received=application.received_on,
        content=application.content,
        reply_date=application.replied_on,
    )
    with service_errors(request):
        data = render_letter(application.outcome, for_year(application.replied_on.year).id, context)
        response = HttpResponse(data, content_type=DOCX)
        response["Content-Disposition"] = content_disposition_header(True, f"答复书-{application.number}.docx")
        return response
    return redirect(back)
