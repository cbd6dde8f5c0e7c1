"""The dashboard: open applications by urgency of the reply deadline, each with its due date, how
it was reached and what needs attention; above them the other statutory dates coming up (the 补正
duty, consultations' own due dates, receipts to confirm)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, Count, F, Value, When, Window
from django.db.models.functions import RowNumber
from django.shortcuts import render
from django.utils import timezone

from gongkai.office.agencies import access
from gongkai.office.applications.digest import digest_for
from gongkai.office.applications.models import Application
from gongkai.office.applications.services import deadlines_of
from gongkai.workdays import default_calendar

from ..decorators import agency_required
from .common import BY_DUE, application_rows

SOON_WORKDAYS = 3
SHOWN = 10  # rows per urgency group on the dashboard; the list shows all open ones in the same order
GROUPS = (("overdue", "已逾期"), ("soon", "{n}个工作日内到期"), ("week", "本周到期"), ("other", "其他"))


@agency_required()
def dashboard(request):
    """One query: the open applications of the user's agencies in urgency groups (consecutive
    ranges of the reply deadline), ranked and counted per group by window functions, the first
    ``SHOWN`` of each kept; one more lists the other statutory dates coming up (``duties``), and
    one reads the events of all shown rows for the reasoning and the alerts."""
    today = timezone.localdate()
    soon_until = default_calendar().add_workdays(today, SOON_WORKDAYS)
    week_end = today + timedelta(days=6 - today.weekday())
    keys = [key for key, _ in GROUPS]
    urgency = Case(
        When(due_on__lt=today, then=Value(0)),
        When(due_on__lte=soon_until, then=Value(1)),
        When(due_on__lte=week_end, then=Value(2)),
        default=Value(3),  # later, or the clock is stopped (待确认, 补正, 缴费)
    )
    per_group = {"partition_by": [F("urgency")]}
    mine = (
        access.scoped(Application.objects.open(), request.user)
        .annotate(urgency=urgency)
        .annotate(
            rank=Window(RowNumber(), order_by=BY_DUE, **per_group),
            total=Window(Count("id"), **per_group),
        )
        .filter(rank__lte=SHOWN)
        .order_by("urgency", "rank")
    )
    groups: dict[str, list[dict]] = {key: [] for key in keys}
    totals = dict.fromkeys(keys, 0)
    for row in application_rows(mine, "urgency", "total"):
        key = keys[row["urgency"]]
        groups[key].append(row)
        totals[key] = row["total"]
    duties = application_rows(
        access.scoped(Application.objects.duties(today, soon_until), request.user).order_by(*BY_DUE)[:SHOWN]
    )
    shown = {r["id"]: r["number"] for rows in (*groups.values(), duties) for r in rows}
    reasoning = deadlines_of(shown, today=today)
    for rows in (*groups.values(), duties):
        for row in rows:
            deadline = reasoning[row["id"]]
            row["steps"] = deadline.steps
            row["alerts"] = [a for a in deadline.alerts if a.code != "overdue"]  # the group says so
    labels = dict(GROUPS)
    labels["soon"] = labels["soon"].format(n=SOON_WORKDAYS)
    context = {
        "today": today,
        "groups": [(key, labels[key], groups[key], totals[key]) for key in keys],
        "soon_until": soon_until,
        "open_count": sum(totals.values()),
        "duties": duties,
        "shown": SHOWN,
        "reminder": digest_for(request.user, today),  # the day's digest, as e-mailed (notify.py)
    }
    return render(request, "web/dashboard.html", context)
