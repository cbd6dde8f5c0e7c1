"""Extensions (条例第三十三条第二款, issue 13 item 6): the clerk requests one on the application's
page; the office head sees the pending requests (``extensions``) and approves or refuses; the
application's page then offers the 延期答复告知书 (``letters.application_notice``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai import law
from gongkai.office.agencies import access
from gongkai.office.applications import services
from gongkai.office.applications.models import Application, ApplicationEvent, EventKind

from ..application_forms import ExtensionApprovalForm, ExtensionRefusalForm, ExtensionRequestForm
from ..decorators import agency_required
from .common import form_errors, service_errors


@require_POST
@agency_required(Application, write=True)
def application_extension_request(request, application: Application):
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        d = form.cleaned_data
        with service_errors(request):
            services.request_extension(
                request.user,
                services.ExtensionRequestInput(application=application, days=d["days"], reason=d["reason"]),
            )
            messages.success(request, f"已申请延期答复 {d['days']} 个工作日，待办公室负责人审批")
    return redirect("web:application", pk=application.pk)


@agency_required()
def extensions(request):
    """延期审批: the requests waiting for this head's decision, most urgent first."""
    user = request.user
    if not (user.is_superuser or access.headed_agency_ids(user)):
        raise PermissionDenied("延期审批仅供办公室负责人使用（第三十三条）")
    today = timezone.localdate()
    rows = [
        {
            "request": r,
            "app": r.application,
            "days": (r.data or {}).get("days"),
            "reason": (r.data or {}).get("reason", ""),
            # the clocks' rule: an extension approved after the original due date does not move it
            "late": r.application.due_on is not None and r.application.due_on < today,
            "approval_form": ExtensionApprovalForm(initial={"days": (r.data or {}).get("days")}, auto_id=f"a{r.pk}-%s"),
            "refusal_form": ExtensionRefusalForm(auto_id=f"r{r.pk}-%s"),
        }
        for r in services.pending_extension_requests(user)
    ]
    return render(request, "web/extensions.html", {"rows": rows, "today": today})


def _request(request, pk: int) -> ApplicationEvent:
    """The request, if the user may see its application (else 404) and write for its agency (else 403)."""
    found = access.scoped(
        ApplicationEvent.objects.select_related("application__agency"), request.user, "application__agency"
    )
    event = found.filter(pk=pk).first()
    if event is None:
        raise Http404("没有找到该延期申请")
    if not access.can_write(request.user, event.application.agency):
        raise PermissionDenied("您只能查看，不能审批该机关的延期申请")
    if event.kind != EventKind.EXTENSION_REQUESTED:
        raise Http404("没有找到该延期申请")
    return event


@require_POST
@agency_required()
def extension_approve(request, pk: int):
    event = _request(request, pk)
    form = ExtensionApprovalForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("web:extensions")
    d = form.cleaned_data
    with service_errors(request):
        decision = services.approve_extension(
            request.user, services.ExtensionApprovalInput(request=event, days=d["days"], comment=d["comment"])
        )
        days = decision.event.data["days"]
        if decision.late:
            messages.warning(
                request,
                f"已批准延期 {days} 个工作日，但批准晚于原答复期限：延期不能补救逾期，答复期限仍为 "
                f"{decision.due.isoformat() if decision.due else '—'}（第三十三条）",
            )
        else:
            due = decision.due.isoformat() if decision.due else "—"
            messages.success(
                request, f"已批准延期 {days} 个工作日，答复期限延至 {due}。请生成延期答复告知书，告知申请人。"
            )
        return redirect("web:application", pk=event.application_id)
    return redirect("web:extensions")


@require_POST
@agency_required()
def extension_refuse(request, pk: int):
    event = _request(request, pk)
    form = ExtensionRefusalForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("web:extensions")
    with service_errors(request):
        services.refuse_extension(
            request.user, services.ExtensionRefusalInput(request=event, reason=form.cleaned_data["reason"])
        )
        messages.success(request, f"已不同意申请 {event.application.number} 的延期申请，答复期限不变")
    if request.POST.get("back") == "application":
        return redirect("web:application", pk=event.application_id)
    return redirect("web:extensions")


def extension_context(application: Application, user) -> dict:
    """The detail page's extension card: the approval in force, the pending request, the forms."""
    events = application.events.in_force()
    approved = events.filter(kind=EventKind.EXTENSION_APPROVED).select_related("actor").order_by("-day", "-id").first()
    pending = (
        ApplicationEvent.objects.pending_extension_requests()
        .filter(application=application)
        .select_related("actor")
        .first()
    )
    refused = None
    if approved is None and pending is None:
        refused = events.filter(kind=EventKind.EXTENSION_REFUSED).select_related("actor").order_by("-id").first()
    return {
        "extension_approved": approved,
        "extension_pending": pending,
        "extension_refused": refused,
        "max_extension_days": law.MAX_EXTENSION_DAYS,
        "extension_request_form": ExtensionRequestForm(auto_id="xr-%s"),
        "extension_approval_form": ExtensionApprovalForm(
            initial={"days": (pending.data or {}).get("days")}, auto_id="xa-%s"
        )
        if pending
        else None,
        "extension_refusal_form": ExtensionRefusalForm(auto_id="xn-%s") if pending else None,
    }
