"""Changing an annual report: saving the narrative (a save over a newer version comes back as a
merge page), a section's history with restore and adopt, submission with its confirmation
step, locking and the supervising office's return (退回修改)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.office.agencies import access
from gongkai.office.annual import services
from gongkai.office.annual.models import AnnualReport
from gongkai.office.annual.sections import LABELS, history, version_numbers
from gongkai.office.annual.versions import changes_from_previous, submission_problems

from ..decorators import agency_required
from ..report_forms import ReturnForm, SectionsForm
from .common import form_errors, service_errors
from .reports import report_context


def _back(report):
    return redirect("web:report", pk=report.agency_id, year=report.year)


def _version(request, name: str) -> int | None:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


@require_POST
@agency_required(AnnualReport, write=True)
def report_save(request, report):
    form = SectionsForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _back(report)
    with service_errors(request):
        try:
            saved = services.save_sections(
                request.user, services.SectionsInput(report=report, sections=form.texts(), versions=form.versions())
            )
        except services.SectionConflict as conflict:
            messages.error(request, str(conflict))
            context = report_context(request, report.agency, report.year, report, conflict=conflict)
            return render(request, "web/report.html", context, status=409)
        errors = sum(1 for i in saved.issues if i.get("severity") == "error")
        others = len(saved.issues) - errors
        messages.success(request, f"已保存并重新检查：错误 {errors} 项，其他问题 {others} 项")
    return _back(report)


def _section(report, section: str) -> str:
    if section not in LABELS:
        raise Http404("没有这一部分")
    return section


@agency_required(AnnualReport)
def section_history(request, report, section: str):
    """Every saved version of one section, newest first; older ones can be restored."""
    section = _section(report, section)
    versions = history(report, section)
    context = {
        "report": report,
        "section": section,
        "label": LABELS[section],
        "versions": versions,
        "current": versions[0].version if versions else 0,
        "editable": report.is_draft and access.can_write(request.user, report.agency),
    }
    return render(request, "web/report_history.html", context)


@require_POST
@agency_required(AnnualReport, write=True)
def section_restore(request, report, section: str):
    section = _section(report, section)
    with service_errors(request):
        v = services.restore_section(
            request.user,
            services.RestoreInput(
                report=report,
                section=section,
                version=_version(request, "version") or 0,
                current=_version(request, "current") or 0,
            ),
        )
        messages.success(request, f"已将“{LABELS[section]}”恢复为{v.note[2:]}（保存为第{v.version}稿）")
    return _back(report)


@require_POST
@agency_required(AnnualReport, write=True)
def section_adopt(request, report, section: str):
    section = _section(report, section)
    with service_errors(request):
        current = _version(request, "current")
        v = services.adopt_generated(
            request.user,
            services.AdoptInput(
                report=report, section=section, current=version_numbers(report)[section] if current is None else current
            ),
        )
        messages.success(request, f"“{LABELS[section]}”已采用按台账生成的文本（第{v.version}稿）")
    return _back(report)


@agency_required(AnnualReport, write=True)
def report_submit(request, report):
    """GET (or POST without confirming): what the checks say and what changed; POST confirming: submit."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        with service_errors(request):
            services.submit_report(request.user, services.SubmitInput(report=report, confirmed=True))
            messages.success(request, f"已提交上级（第{report.version}版），报告已锁定为只读")
            return _back(report)
        return redirect("web:report_submit", pk=report.pk)
    context = {
        "report": report,
        "problems": submission_problems(report) if report.is_draft else [],
        "warnings": [i for i in report.to_report().issues if i.severity != "error"],
        "changes": changes_from_previous(report),
    }
    return render(request, "web/report_submit.html", context)


@require_POST
@agency_required(AnnualReport)
def report_lock(request, report):
    with service_errors(request):
        services.lock_report(request.user, services.ReportInput(report=report))
        messages.success(request, "报告已锁定")
    return _back(report)


@require_POST
@agency_required(AnnualReport)
def report_return(request, report):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        with service_errors(request):
            services.return_report(
                request.user, services.ReturnInput(report=report, reason=form.cleaned_data["reason"])
            )
            messages.success(request, f"已将第{report.version}版退回修改；下级修改后重新报送为新版本")
    return redirect("web:report_version", pk=report.agency_id, year=report.year, version=report.version)
