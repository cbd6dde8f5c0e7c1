"""Appeals (行政复议、行政诉讼), linked to the applications they concern."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.formats.roles import T4_RULE
from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency
from gongkai.office.appeals import services
from gongkai.office.appeals.models import Appeal, AppealResult
from gongkai.office.applications.models import Application

from ..decorators import agency_required
from ..forms import AppealForm, DecisionForm
from .common import form_errors, page, service_errors


def _writable(user):
    return Agency.objects.filter(id__in=access.writable_agency_ids(user))


@agency_required()
def appeal_list(request):
    appeals = access.scoped(Appeal.objects.all(), request.user).select_related("agency", "application")
    writable = access.writable_agency_ids(request.user)
    context = {
        "page": page(request, appeals.order_by("-filed_on", "-id")),
        "writable": writable,
        "pending": AppealResult.PENDING,
        "form": AppealForm(agencies=_writable(request.user)) if writable else None,
        "decision_form": DecisionForm(),
        "t4_rule": T4_RULE,
    }
    return render(request, "web/appeals.html", context)


@require_POST
@agency_required(write=True)
def appeal_new(request):
    form = AppealForm(request.POST, agencies=_writable(request.user))
    if not form.is_valid():
        form_errors(request, form)
        return redirect("web:appeals")
    d = form.cleaned_data
    application = None
    if d["application"]:
        application = Application.objects.filter(agency=d["agency"], number=d["application"].strip()).first()
        if application is None:
            messages.error(request, f"“{d['agency']}”没有编号为 {d['application']} 的申请")
            return redirect("web:appeals")
    with service_errors(request):
        services.file_appeal(
            request.user,
            services.AppealInput(
                agency=d["agency"],
                kind=d["kind"],
                filed_on=d["filed_on"],
                application=application,
                case_number=d["case_number"],
                note=d["note"],
            ),
        )
        messages.success(request, "已登记复议诉讼案件")
    return redirect("web:appeals")


@require_POST
@agency_required(Appeal, write=True)
def appeal_decide(request, appeal: Appeal):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("web:appeals")
    with service_errors(request):
        services.decide_appeal(request.user, services.DecisionInput(appeal=appeal, **form.cleaned_data))
        messages.success(request, "已登记审结结果")
    return redirect("web:appeals")
