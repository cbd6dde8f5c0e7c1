"""Annual reports: list, the report page (tables, narrative, checks), build, save, submit, lock, export."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency, Role
from gongkai.office.annual import services
from gongkai.office.annual.models import AnnualReport, ReportStatus
from gongkai.render import render as render_report
from gongkai.render.html import table
from gongkai.render.layout import tables

from .. import services as web_services
from ..decorators import agency_required
from ..forms import SECTION_LABELS, BuildForm, SectionsForm
from .common import form_errors, service_errors

EXPORTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_CELL_ID = re.compile(r"^[a-z0-9_.]+$")


@agency_required()
def report_list(request):
    agencies = access.visible_agencies(request.user)
    reports = access.scoped(AnnualReport.objects.all(), request.user).select_related("agency")
    latest: dict[tuple[int, int], AnnualReport] = {}
    for r in reports.order_by("agency__name", "-year", "-id"):
        latest.setdefault((r.agency_id, r.year), r)
    writable = access.writable_agency_ids(request.user)
    context = {
        "reports": list(latest.values()),
        "agencies": [a for a in agencies if a.pk in writable],
        "form": BuildForm(initial={"year": _default_year()}),
    }
    return render(request, "web/report_list.html", context)


def _default_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year - 1


@require_POST
@agency_required(write=True)
def report_build_any(request):
    """The list page's form: agency and year chosen in the form."""
    agency = access.scoped(Agency.objects.all(), request.user, "id").filter(pk=request.POST.get("agency")).first()
    if agency is None:
        raise Http404("没有找到该机关")
    form = BuildForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("web:reports")
    return redirect("web:report", pk=agency.pk, year=form.cleaned_data["year"])


@agency_required(Agency, field="id")
def report_page(request, agency: Agency, year: int):
    report = AnnualReport.objects.latest_for(agency, year)
    context = {"agency": agency, "year": year, "report": report, "can_write": access.can_write(request.user, agency)}
    if report is not None:
        value = report.to_report()
        marked = sorted({c for i in value.issues for c in (i.cells or (i.where,)) if _CELL_ID.match(c)})
        context |= {
            "tables": [mark_safe(table(layout)) for layout in tables(value)],
            "highlight": mark_safe(", ".join(f'[data-cell="{c}"]' for c in marked)),
            "issues": [
                {"issue": i, "cells": [_label(value, c) for c in (i.cells or (i.where,))]} for i in value.issues
            ],
            "errors": len(value.errors()),
            "editable": report.status == ReportStatus.DRAFT and context["can_write"],
            "form": SectionsForm(initial=value.sections),
            "sections": [(SECTION_LABELS[k], value.sections.get(k, "")) for k in SECTION_LABELS],
            "can_lock": report.status == ReportStatus.SUBMITTED
            and (
                access.has_role(request.user, agency, Role.HEAD)
                or access.has_role(request.user, agency, Role.SUPERVISOR)
            ),
            "exports": list(EXPORTS),
        }
    return render(request, "web/report.html", context)


def _label(value, cell: str) -> str:
    try:
        return value.spec.label_of(cell)
    except KeyError:
        return SECTION_LABELS.get(cell, cell)


@require_POST
@agency_required(Agency, write=True, field="id")
def report_build(request, agency: Agency, year: int):
    with service_errors(request):
        services.build_annual_report(request.user, services.BuildInput(agency=agency, year=year))
        messages.success(request, f"已生成{agency}{year}年度报告草稿")
    return redirect("web:report", pk=agency.pk, year=year)


@require_POST
@agency_required(AnnualReport, write=True)
def report_save(request, report: AnnualReport):
    form = SectionsForm(request.POST)
    if form.is_valid():
        with service_errors(request):
            saved = web_services.save_sections(
                request.user, web_services.SectionsInput(report=report, sections=form.cleaned_data)
            )
            errors = sum(1 for i in saved.issues if i.get("severity") == "error")
            others = len(saved.issues) - errors
            messages.success(request, f"已保存并重新检查：错误 {errors} 项，其他问题 {others} 项")
    return redirect("web:report", pk=report.agency_id, year=report.year)


@require_POST
@agency_required(AnnualReport, write=True)
def report_submit(request, report: AnnualReport):
    with service_errors(request):
        services.submit_report(request.user, services.ReportInput(report=report))
        messages.success(request, "已提交上级，报告已锁定为只读")
    return redirect("web:report", pk=report.agency_id, year=report.year)


@require_POST
@agency_required(AnnualReport)
def report_lock(request, report: AnnualReport):
    with service_errors(request):
        services.lock_report(request.user, services.ReportInput(report=report))
        messages.success(request, "报告已锁定")
    return redirect("web:report", pk=report.agency_id, year=report.year)


@agency_required(AnnualReport)
def report_export(request, report: AnnualReport, fmt: str):
    if fmt not in EXPORTS:
        raise Http404("不支持的导出格式")
    data = render_report(report.to_report(), fmt)
    response = HttpResponse(data, content_type=EXPORTS[fmt])
    filename = f"{report.agency.name}{report.year}年政府信息公开工作年度报告.{fmt}"
    response["Content-Disposition"] = content_disposition_header(fmt != "html", filename)
    return response
