"""The supervising office: who has submitted, uploads of published reports, the regional aggregate."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.errors import GongkaiError
from gongkai.office.annual.versions import stale_applications
from gongkai.report import Report

from .. import services
from ..decorators import agency_required
from ..forms import UploadForm
from ..models import PublishedReport
from ..supervision import (
    XLSX,
    aggregate,
    aggregate_xlsx,
    covered_reports,
    latest_reports,
    report_tables,
    submitted_reports,
    sum_report,
    supervised_units,
)
from .common import form_errors, service_errors


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
    latest = latest_reports(units, year)
    published = {}
    for p in PublishedReport.objects.filter(agency__in=units, year=year).order_by("-id"):
        published.setdefault(p.agency_id, p)
    rows = []
    for unit in units:
        report = done.get(unit.pk) or latest.get(unit.pk)
        returned = next(iter(report.returns.all()), None) if unit.pk in done else None
        newest = latest.get(unit.pk)
        rows.append(
            {
                "unit": unit,
                "report": report,
                "submitted": unit.pk in done,
                "returned": returned,
                # the version the unit is writing after the return, if it has started one
                "revising": newest if returned is not None and newest is not None and newest.pk != report.pk else None,
                "stale": stale_applications(report) if unit.pk in done else [],
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


PENDING = "supervise_pending_upload"  # the session key of a read upload awaiting confirmation


@agency_required()
def supervise_upload(request):
    units = _units(request)
    form = UploadForm(request.POST or None, request.FILES or None, agencies=_as_queryset(units))
    pending = None
    if request.method == "POST" and request.POST.get("action") in ("confirm", "cancel"):
        return _confirm(request, units)
    if request.method == "POST":
        if form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
            names = "、".join(name for name, _ in files)
            agency, year = form.cleaned_data["agency"], form.cleaned_data["year"]
            try:
                upload = services.read_upload(request.user, services.UploadInput(agency=agency, files=files, year=year))
                if not upload.mismatches:
                    stored = services.save_upload(request.user, upload)
            except PermissionDenied:
                raise
            except GongkaiError as e:
                messages.error(request, f"无法读取 {names}：{e}")
            else:
                if not upload.mismatches:
                    messages.success(request, f"已读取并保存 {stored.filename}")
                    return redirect(f"{request.path}?shown={stored.pk}")
                request.session[PENDING] = {
                    "agency": agency.pk,
                    "year": upload.year,
                    "filename": upload.filename,
                    "report": upload.report.to_json(),
                    "mismatches": upload.mismatches,
                }
                pending = upload
        else:
            form_errors(request, form)
    shown = None
    if request.GET.get("shown"):
        shown = PublishedReport.objects.filter(agency__in=units, pk=request.GET["shown"]).first()
    recent = PublishedReport.objects.filter(agency__in=units).select_related("agency", "uploaded_by")[:30]
    context = {"form": form, "shown": shown, "recent": recent, "pending": pending}
    if shown is not None:
        context["cross_year"] = services.cross_year_issues(shown.agency, shown.year) if shown.year else []
        context["tables"] = report_tables(shown.to_report())
    return render(request, "web/supervise_upload.html", context)


def _confirm(request, units):
    """The second step of an upload whose unit or year differs: save it as confirmed, or drop it."""
    held = request.session.pop(PENDING, None)
    if request.POST["action"] == "cancel" or held is None:
        messages.info(request, "已放弃保存" if held else "没有待确认的上传，请重新上传")
        return redirect(request.path)
    agency = next((u for u in units if u.pk == held["agency"]), None)
    if agency is None:
        raise PermissionDenied("只能为所监督的单位上传报告")
    report = Report.from_json(held["report"])
    upload = services.Upload(agency, held["year"], held["filename"], report, list(held["mismatches"]))
    with service_errors(request):
        stored = services.save_upload(request.user, upload, confirmed=True)
        messages.success(request, f"已核对确认并保存 {stored.filename}")
        return redirect(f"{request.path}?shown={stored.pk}")
    return redirect(request.path)


@agency_required()
@require_POST
def supervise_upload_delete(request, pk: int):
    units = _units(request)
    published = get_object_or_404(PublishedReport, agency__in=units, pk=pk)
    name = published.filename
    with service_errors(request):
        services.delete_published_report(request.user, published)
        messages.success(request, f"已删除上传的报告 {name}")
    return redirect("web:supervise_upload")


def _as_queryset(units):
    from gongkai.office.agencies.models import Agency

    return Agency.objects.filter(pk__in=[u.pk for u in units])


def _aggregate_context(request, year: int) -> dict:
    units = _units(request)
    covered = covered_reports(units, year)
    return {
        "year": year,
        "covered": covered,
        "reports": [c.report for c in covered],
        "missing": [u for u in units if all(c.unit.pk != u.pk for c in covered)],
        "rows": aggregate([c.report for c in covered], year),
        "sums": sum_report(covered, year),
    }


@agency_required()
def supervise_aggregate(request, year: int):
    context = _aggregate_context(request, year)
    context["tables"] = report_tables(context["sums"])
    return render(request, "web/supervise_aggregate.html", context)


@agency_required()
def supervise_aggregate_export(request, year: int):
    context = _aggregate_context(request, year)
    body = aggregate_xlsx(context["sums"], context["covered"], context["missing"], context["rows"])
    response = HttpResponse(body, content_type=XLSX)
    name = quote(f"{year}年度政府信息公开工作年度报告汇总.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
