"""Correcting an application (issue 13, item 4): edit the registration, correct the reply,
record a withdrawal, undo an event. Each view validates a form and calls one service, which
writes new events; nothing recorded before is changed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.office.applications import services
from gongkai.office.applications.models import Application, EventKind

from ..application_forms import EditForm, ReplyCorrectionForm, UndoForm, WithdrawForm
from ..decorators import agency_required
from .common import form_errors, service_errors


def _back(application: Application):
    return redirect("web:application", pk=application.pk)


@agency_required(Application, write=True)
def application_edit(request, application: Application):
    initial = {f: getattr(application, f) for f in ("applicant_name", "applicant_type", "channel", "content")}
    initial["received_on"] = application.received_on
    form = EditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and not form.changes():
            form.add_error(None, "没有修改任何内容")
        elif form.is_valid():
            d = form.cleaned_data
            with service_errors(request):
                services.edit_application(
                    request.user,
                    services.EditInput(
                        application=application,
                        reason=d["reason"],
                        **{f: d[f] for f in form.changes()},
                    ),
                )
                messages.success(request, "已修改登记信息，原登记内容保留在办理记录中")
                return _back(application)
    return render(request, "web/application_edit.html", {"app": application, "form": form}, status=status)


@require_POST
@agency_required(Application, write=True)
def application_reply_correct(request, application: Application):
    year = application.replied_on.year if application.replied_on else None
    form = ReplyCorrectionForm(request.POST, year=year)
    if not form.is_valid():
        form_errors(request, form)
        return _back(application)
    d = form.cleaned_data
    with service_errors(request):
        services.correct_reply(
            request.user,
            services.ReplyCorrectionInput(
                application=application, reason=d["reason"], day=d["day"], outcome=d["outcome"]
            ),
        )
        messages.success(request, "已更正答复，原记录保留在办理记录中")
    return _back(application)


@require_POST
@agency_required(Application, write=True)
def application_withdraw(request, application: Application):
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _back(application)
    d = form.cleaned_data
    with service_errors(request):
        services.withdraw(request.user, services.WithdrawInput(application=application, day=d["day"], note=d["note"]))
        messages.success(request, "已记录申请人撤回申请")
    return _back(application)


@require_POST
@agency_required(Application, write=True)
def application_undo(request, application: Application, event_pk: int):
    event = get_object_or_404(application.events, pk=event_pk)
    form = UndoForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _back(application)
    with service_errors(request):
        services.undo_event(request.user, services.UndoInput(event=event, reason=form.cleaned_data["reason"]))
        messages.success(request, f"已撤销“{EventKind(event.kind).label}”（{event.day.isoformat()}），原记录保留")
    return _back(application)


def correction_forms(application: Application) -> dict:
    """The correction forms of the detail page, pre-filled."""
    today = timezone.localdate()
    replied = application.replied_on
    initial = {"day": replied, "outcome": application.outcome} if replied else {}
    return {
        "reply_correction_form": ReplyCorrectionForm(
            initial=initial, year=replied.year if replied else None, auto_id="rc-%s"
        ),
        "withdraw_form": WithdrawForm(initial={"day": today}, auto_id="w-%s"),
    }
