"""The supervising office: who has submitted, uploads of published reports, the regional aggregate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from gongkai.errors import GongkaiError
from gongkai.office.annual.models import AnnualReport

from .. import services
from ..decorators import agency_required
from ..forms import UploadForm
from ..models import PublishedReport
from ..supervision import aggregate, submitted_reports, supervised_units
from .common import form_errors


def _units(request):
    units = supervised_units(request.user)
    if not units:
        raise PermissionDenied("只有上级机关的监督人员可以查看此页")
    return units


def _year(request) -> int:
    try:
        return int(request.GET.get("year"))
    except (TypeError, ValueError):
        return timezone.localdate().year - 1


@agency_required()
def supervise(request):
    units = _units(request)
    year = _year(request)
    done = submitted_reports(units, year)
    latest = {}
    for r in AnnualReport.objects.filter(agency__in=units, year=year).order_by("-id"):
        latest.setdefault(r.agency_id, r)
    published = {}
    for p in PublishedReport.objects.filter(agency__in=units, year=year).order_by("-id"):
        published.setdefault(p.agency_id, p)
    rows = []
    for unit in units:
        report = done.get(unit.pk) or latest.get(unit.pk)
        rows.append(
            {
                "unit": unit,
                "report": report,
                "submitted": unit.pk in done,
                "published": published.get(unit.pk),
                "cross_year": services.cross_year_issues(unit, year),
            }
        )
    context = {
        "year": year,
        "rows": rows,
        "submitted": sum(r["submitted"] for r in rows),
        "years": range(timezone.localdate().year, 2018, -1),
    }
    return render(request, "web/supervise.html", context)


@agency_required()
def supervise_upload(request):
    units = _units(request)
    form = UploadForm(request.POST or None, request.FILES or None, agencies=_as_queryset(units))
    stored = None
    if request.method == "POST":
        if form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
            names = "、".join(name for name, _ in files)
            try:
                stored = services.store_published_report(
                    request.user, services.UploadInput(agency=form.cleaned_data["agency"], files=files)
                )
            except PermissionDenied:
                raise
            except GongkaiError as e:
                messages.error(request, f"无法读取 {names}：{e}")
            else:
                messages.success(request, f"已读取并保存 {stored.filename}")
                return redirect(f"{request.path}?shown={stored.pk}")
        else:
            form_errors(request, form)
    shown = None
    if request.GET.get("shown"):
        shown = PublishedReport.objects.filter(agency__in=units, pk=request.GET["shown"]).first()
    recent = PublishedReport.objects.filter(agency__in=units).select_related("agency", "uploaded_by")[:30]
    context = {"form": form, "shown": shown, "recent": recent}
    if shown is not None:
        context["cross_year"] = services.cross_year_issues(shown.agency, shown.year) if shown.year else []
    return render(request, "web/supervise_upload.html", context)


def _as_queryset(units):
    from gongkai.office.agencies.models import Agency

    return Agency.objects.filter(pk__in=[u.pk for u in units])


@agency_required()
def supervise_aggregate(request, year: int):
    units = _units(request)
    done = submitted_reports(units, year)
    reports = [done[u.pk] for u in units if u.pk in done]
    context = {
        "year": year,
        "reports": reports,
        "missing": [u for u in units if u.pk not in done],
        "rows": aggregate(reports, year),
    }
    return render(request, "web/supervise_aggregate.html", context)
