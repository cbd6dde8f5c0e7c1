"""The audit log for the office head: application events and report submissions, scoped."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from gongkai.office.agencies import access
from gongkai.office.agencies.models import ChangeRecord, Role
from gongkai.office.annual.models import AnnualReport
from gongkai.office.applications.models import ApplicationEvent

from ..decorators import agency_required
from .common import page


@agency_required()
def audit(request):
    user = request.user
    headed = [a.pk for a in access.visible_agencies(user) if user.is_superuser or access.has_role(user, a, Role.HEAD)]
    if not headed:
        raise PermissionDenied("审计日志仅供办公室负责人查看")
    events = (
        ApplicationEvent.objects.filter(application__agency__in=headed)
        .select_related("application__agency", "actor")
        .order_by("-at", "-id")
    )
    submissions = (
        AnnualReport.objects.filter(agency__in=headed, submitted_at__isnull=False)
        .select_related("agency", "submitted_by")
        .order_by("-submitted_at")[:50]
    )
    changes = ChangeRecord.objects.filter(agency__in=headed).select_related("agency", "actor")[:100]
    context = {"page": page(request, events, 100), "submissions": submissions, "changes": changes}
    return render(request, "web/audit.html", context)
