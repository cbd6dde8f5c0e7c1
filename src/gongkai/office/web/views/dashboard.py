"""The dashboard: open applications by urgency, each with its due date and how it was reached."""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from gongkai.office.agencies import access
from gongkai.office.applications.models import Application
from gongkai.office.applications.services import deadline_of
from gongkai.workdays import default_calendar

from ..decorators import agency_required

SOON_WORKDAYS = 3


@agency_required()
def dashboard(request):
    today = timezone.localdate()
    mine = access.scoped(Application.objects.all(), request.user).select_related("agency").order_by("due_on", "id")
    overdue = list(mine.overdue(today))
    soon = list(mine.due_within(today, SOON_WORKDAYS))
    seen = {a.pk for a in overdue + soon}
    week_end = today + timedelta(days=6 - today.weekday())
    week = [a for a in mine.open().filter(due_on__lte=week_end) if a.pk not in seen]
    seen |= {a.pk for a in week}
    other = [a for a in mine.open() if a.pk not in seen]
    groups = [
        ("overdue", "已逾期", overdue),
        ("soon", f"{SOON_WORKDAYS}个工作日内到期", soon),
        ("week", "本周到期", week),
        ("other", "其他", other),
    ]
    for _, _, apps in groups:
        for a in apps:
            a.steps = deadline_of(a, today=today).steps
    context = {
        "today": today,
        "groups": groups,
        "soon_until": default_calendar().add_workdays(today, SOON_WORKDAYS),
        "open_count": sum(len(g[2]) for g in groups),
    }
    return render(request, "web/dashboard.html", context)
