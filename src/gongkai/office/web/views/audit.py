"""The audit log for the office head (issue 13, item 13): application events with the values
before and after each correction, report submissions, other changes, and failed logins of the
office's people (django-axes) — filtered by person, application and date range, paginated."""

from __future__ import annotations

from datetime import date, datetime, time

from axes.models import AccessAttempt, AccessFailureLog
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from gongkai.office.agencies import access
from gongkai.office.agencies.models import ChangeRecord, Membership
from gongkai.office.annual.models import AnnualReport
from gongkai.office.applications.models import ApplicationEvent

from ..decorators import agency_required
from ..forms import DateInput
from .applications import describe

PER_PAGE = 50
# Where a failed login was tried (the request's path), as the office calls it.
ENTRANCES = (("/admin/", "管理后台"), ("/api/", "数据接口"))


class AuditFilter(forms.Form):
    person = forms.TypedChoiceField(label="人员", required=False, coerce=int, empty_value=None)
    application = forms.CharField(label="申请编号", required=False, max_length=64)
    start = forms.DateField(label="起始日期", required=False, widget=DateInput())
    end = forms.DateField(label="截止日期", required=False, widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "全部人员"), *((u.pk, _name(u)) for u in people)]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data


def _name(user) -> str:
    full = user.get_full_name().strip()
    return f"{full}（{user.username}）" if full else user.username


def _bounds(start: date | None, end: date | None) -> dict:
    """``at`` bounds of the whole days from ``start`` to ``end`` (local time)."""
    tz = timezone.get_current_timezone()
    out = {}
    if start:
        out["gte"] = datetime.combine(start, time.min, tz)
    if end:
        out["lte"] = datetime.combine(end, time.max, tz)
    return out


def _within(queryset, field: str, bounds: dict):
    return queryset.filter(**{f"{field}__{op}": v for op, v in bounds.items()})


def _page(request, queryset, name: str):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get(name))


def _entrance(path: str) -> str:
    return next((label for prefix, label in ENTRANCES if path.startswith(prefix)), "工作台")


def _failures(user, headed: set[int], usernames: list[str] | None, bounds: dict):
    """Failed logins (axes' ``AccessFailureLog``) of the people of ``headed``; a superuser also
    sees the user names nobody has. ``usernames``: only these (the person filter)."""
    logs = AccessFailureLog.objects.order_by("-attempt_time", "-id")
    attempts = AccessAttempt.objects.order_by("-attempt_time")
    if not user.is_superuser:
        members = Membership.objects.filter(agency__in=headed).values("user__username")
        logs, attempts = logs.filter(username__in=members), attempts.filter(username__in=members)
    if usernames is not None:
        logs, attempts = logs.filter(username__in=usernames), attempts.filter(username__in=usernames)
    return _within(logs, "attempt_time", bounds), _within(attempts, "attempt_time", bounds)


@agency_required()
def audit(request):
    user = request.user
    headed = access.visible_agency_ids(user) if user.is_superuser else access.headed_agency_ids(user)
    if not headed:
        raise PermissionDenied("审计日志仅供办公室负责人查看")
    people = get_user_model().objects.filter(memberships__agency__in=headed).distinct().order_by("username")
    form = AuditFilter(request.GET or None, people=people)
    f = form.cleaned_data if form.is_valid() else {}
    person = people.filter(pk=f["person"]).first() if f.get("person") else None
    number = (f.get("application") or "").strip()
    bounds = _bounds(f.get("start"), f.get("end"))

    events = ApplicationEvent.objects.filter(application__agency__in=headed)
    changes = ChangeRecord.objects.filter(agency__in=headed)
    submissions = AnnualReport.objects.filter(agency__in=headed, submitted_at__isnull=False)
    if person is not None:
        events, changes = events.filter(actor=person), changes.filter(actor=person)
        submissions = submissions.filter(submitted_by=person)
    if number:
        events = events.filter(application__number__icontains=number)
        changes = changes.filter(subject__icontains=number)
        submissions = submissions.none()
    events = _within(events, "at", bounds).select_related("application__agency", "actor", "amends")
    changes = _within(changes, "at", bounds).select_related("agency", "actor")
    submissions = _within(submissions, "submitted_at", bounds).select_related("agency", "submitted_by")
    failures, attempts = _failures(user, headed, [person.username] if person else None, bounds)
    if number:
        failures, attempts = failures.none(), attempts.none()

    event_page = _page(request, events.order_by("-at", "-id"), "page")
    rows = [{"event": e, "details": describe(e.data)} for e in event_page]
    failure_page = _page(request, failures, "fpage")
    failure_rows = [{"log": log, "entrance": _entrance(log.path_info)} for log in failure_page]
    params = request.GET.copy()
    for name in ("page", "cpage", "spage", "fpage"):
        params.pop(name, None)
    context = {
        "form": form,
        "query": params.urlencode(),
        "event_page": event_page,
        "event_rows": rows,
        "change_page": _page(request, changes.order_by("-at", "-id"), "cpage"),
        "submission_page": _page(request, submissions.order_by("-submitted_at", "-id"), "spage"),
        "failure_page": failure_page,
        "failure_rows": failure_rows,
        "attempts": list(attempts[:PER_PAGE]),
        "limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "web/audit.html", context)
