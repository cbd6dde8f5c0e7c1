"""The dashboard: open applications by urgency, each with its due date and how it was reached."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone

from gongkai.office.agencies import access
from gongkai.office.applications.models import Application
from gongkai.office.applications.services import deadline_of
from gongkai.workdays import default_calendar

from ..decorators import agency_required

SOON_WORKDAYS = 3
SHOWN = 20  # rows per urgency group on the dashboard
GROUPS = (("overdue", "已逾期"), ("soon", "{n}个工作日内到期"), ("week", "本周到期"), ("other", "其他"))


@agency_required()
def dashboard(request):
    """One query for the open applications (their cached due dates), one for the events of
    the rows shown; at most ``SHOWN`` rows per group, the rest are one click away."""
    today = timezone.localdate()
    soon_until = default_calendar().add_workdays(today, SOON_WORKDAYS)
    week_end = today + timedelta(days=6 - today.weekday())
    groups = {key: [] for key, _ in GROUPS}
    totals = dict.fromkeys(groups, 0)
    mine = access.scoped(Application.objects.open(), request.user).select_related("agency").order_by("due_on", "id")
    for app in mine:
        key = _urgency(app.due_on, today, soon_until, week_end)
        totals[key] += 1
        if len(groups[key]) < SHOWN:
            groups[key].append(app)
    shown = [a for rows in groups.values() for a in rows]
    prefetch_related_objects(shown, "events")
    for app in shown:
        app.steps = deadline_of(app, today=today).steps
    labels = dict(GROUPS)
    labels["soon"] = labels["soon"].format(n=SOON_WORKDAYS)
    context = {
        "today": today,
        "groups": [(key, labels[key], groups[key], totals[key]) for key, _ in GROUPS],
        "soon_until": soon_until,
        "open_count": sum(totals.values()),
        "shown": SHOWN,
    }
    return render(request, "web/dashboard.html", context)


def _urgency(due, today, soon_until, week_end) -> str:
    if due is None:  # clock stopped (补正, 征求意见, 缴费)
        return "other"
    if due < today:
        return "overdue"
    if due <= soon_until:
        return "soon"
    if due <= week_end:
        return "week"
    return "other"
