"""Annual reports: list, the report page (a version's tables, narrative, checks, history and
differences), build, export, and closing the applications whose 补正 or payment period ran out
(listed by the build). Saving, submitting, locking and returning are in ``report_edits``."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.formats.roles import T4_RULE
from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency, Role
from gongkai.office.annual import services
from gongkai.office.annual.expired import CloseExpiredInput, close_expired
from gongkai.office.annual.models import AnnualReport, ReportStatus
from gongkai.office.annual.sections import LABELS, current_versions, offers, version_numbers
from gongkai.office.annual.versions import changes_from_previous, stale_applications, submitted_year_warnings
from gongkai.render import render as render_report
from gongkai.render.html import table
from gongkai.render.layout import tables
from gongkai.render.pdf import warning as pdf_font_warning

from ..decorators import agency_required
from ..forms import BuildForm
from ..report_forms import ReturnForm, SectionsForm, version_field
from .common import form_errors, service_errors

EXPORTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_CELL_ID = re.compile(r"^[a-z0-9_.]+$")
EXPIRED = "office-period-expired"  # the build's issue listing applications to close


@agency_required()
def report_list(request):
    agencies = access.visible_agencies(request.user)
    reports = access.scoped(AnnualReport.objects.all(), request.user).select_related("agency")
    latest: dict[tuple[int, int], AnnualReport] = {}
    for r in reports.order_by("agency__name", "-year", "-version"):
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
def report_page(request, agency: Agency, year: int, version: int | None = None):
    """A version of the year's report: the one asked for; else the draft being written (for those
    who write) or the one submitted (for those who read)."""
    if version is not None:
        report = AnnualReport.objects.filter(agency=agency, year=year, version=version).first()
        if report is None:
            raise Http404("没有该版本")
    else:
        report = AnnualReport.objects.latest_for(agency, year)
        if report is not None and not access.can_write(request.user, agency):
            report = AnnualReport.objects.submitted_for(agency, year) or report
    return render(request, "web/report.html", report_context(request, agency, year, report))


def report_context(request, agency: Agency, year: int, report: AnnualReport | None, *, conflict=None) -> dict:
    """What the report page shows; ``conflict`` (a refused save) puts the person's text back in the
    form with the saved text beside each section changed under them."""
    can_write = access.can_write(request.user, agency)
    context = {"agency": agency, "year": year, "report": report, "can_write": can_write, "t4_rule": T4_RULE}
    if report is None:
        return context
    value = report.to_report()
    if note := pdf_font_warning(value):
        # On the page with the export links, before the download (which cannot carry it).
        messages.warning(request, f"{note}（仅影响 PDF 导出）")
    marked = sorted({c for i in value.issues for c in (i.cells or (i.where,)) if _CELL_ID.match(c)})
    versions = list(AnnualReport.objects.versions_of(agency, year).prefetch_related("returns"))
    newest = versions[-1]
    returned = report.returned()
    is_supervisor = access.has_role(request.user, agency, Role.SUPERVISOR)
    context |= {
        "tables": [mark_safe(table(layout)) for layout in tables(value)],
        "highlight": mark_safe(", ".join(f'[data-cell="{c}"]' for c in marked)),
        "issues": [{"issue": i, "cells": [_label(value, c) for c in (i.cells or (i.where,))]} for i in value.issues],
        "errors": len(value.errors()),
        "editable": report.is_draft and can_write,
        "versions": [{"report": r, "returned": next(iter(r.returns.all()), None)} for r in versions],
        "newest": newest,
        "returned": returned,
        "rebuild_as_new": can_write and newest.pk == report.pk and returned is not None,
        "can_lock": report.status == ReportStatus.SUBMITTED
        and returned is None
        and (access.has_role(request.user, agency, Role.HEAD) or is_supervisor),
        "can_return": not report.is_draft and returned is None and newest.pk == report.pk and is_supervisor,
        "return_form": ReturnForm(),
        "changes": changes_from_previous(report),
        "stale": stale_applications(report),
        "exports": list(EXPORTS),
        "expired": any(i.code == EXPIRED for i in value.issues),
    }
    form = None
    if context["editable"]:
        shown = conflict.sections if conflict else report.sections
        numbers = conflict.versions if conflict else version_numbers(report)
        form = context["form"] = SectionsForm.showing(shown, numbers)
    context["sections"] = _section_rows(report, value, form, conflict)
    return context


def _label(value, cell: str) -> str:
    try:
        return value.spec.label_of(cell)
    except KeyError:
        return LABELS.get(cell, cell)


def _section_rows(report: AnnualReport, value, form: SectionsForm | None, conflict) -> list[dict]:
    current = current_versions(report)
    offered = offers(report, current) if form is not None else {}
    clashes = {c.section: c for c in conflict.conflicts} if conflict else {}
    return [
        {
            "key": key,
            "label": label,
            "text": value.sections.get(key, ""),
            "current": current.get(key),
            "offered": offered.get(key),
            "conflict": clashes.get(key),
            "field": form[key] if form is not None else None,
            "version_field": form[version_field(key)] if form is not None else None,
        }
        for key, label in LABELS.items()
    ]


@require_POST
@agency_required(Agency, write=True, field="id")
def report_build(request, agency: Agency, year: int):
    with service_errors(request):
        built, _ = services.build_annual_report(request.user, services.BuildInput(agency=agency, year=year))
        messages.success(request, f"已生成{agency}{year}年度报告第{built.version}版草稿")
        kept = offers(built)
        if kept:
            names = "、".join(f"“{LABELS[k]}”" for k in kept)
            messages.info(request, f"{names}保留了人工撰写的文本；按台账新生成的文本列在该部分下方，可对照采用")
    return redirect("web:report", pk=agency.pk, year=year)


@require_POST
@agency_required(Agency, write=True, field="id")
def report_close_expired(request, agency: Agency, year: int):
    """Close, in one step, what the build listed as 逾期不补正 / 逾期未缴费; then rebuild the draft."""
    with service_errors(request):
        closed = close_expired(request.user, CloseExpiredInput(agency=agency, year=year))
        if not closed:
            messages.info(request, "没有补正期限或缴费期限已届满而未办结的申请")
            return redirect("web:report", pk=agency.pk, year=year)
        numbers = "、".join(c.number for c in closed)
        messages.success(request, f"已按视为放弃申请办结 {len(closed)} 件：{numbers}")
        latest = AnnualReport.objects.latest_for(agency, year)
        if latest is not None and latest.status == ReportStatus.DRAFT:
            services.build_annual_report(request.user, services.BuildInput(agency=agency, year=year))
            messages.success(request, f"已重新生成{agency}{year}年度报告草稿")
    return redirect("web:report", pk=agency.pk, year=year)


@agency_required(AnnualReport)
def report_export(request, report: AnnualReport, fmt: str):
    if fmt not in EXPORTS:
        raise Http404("不支持的导出格式")
    data = render_report(report.to_report(), fmt)
    response = HttpResponse(data, content_type=EXPORTS[fmt])
    filename = f"{report.agency.name}{report.year}年政府信息公开工作年度报告.{fmt}"
    response["Content-Disposition"] = content_disposition_header(fmt != "html", filename)
    return response


def warn_submitted_years(request, application) -> None:
    """After a change to ``application``: warn the clerk of submitted reports it leaves out of date."""
    for warning in submitted_year_warnings(application):
        messages.warning(request, warning)
