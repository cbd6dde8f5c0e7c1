"""Use cases for annual reports: build a draft, submit it, lock it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.office.agencies.models import Agency, ChangeKind, Role
from gongkai.office.agencies.services import record_change, require_role
from gongkai.office.errors import OfficeError, ReportLocked
from gongkai.report import Report

from .build import build_report
from .models import AnnualReport, ReportStatus


@dataclass(frozen=True)
class BuildInput:
    agency: Agency
    year: int
    new_draft: bool = False  # keep a submitted or locked version and start a new draft beside it


@dataclass(frozen=True)
class ReportInput:
    report: AnnualReport


@transaction.atomic
def build_annual_report(actor, data: BuildInput) -> tuple[AnnualReport, Report]:
    """生成（或更新）年度报告草稿。已报送或已锁定的报告不会被覆盖。"""
    require_role(actor, data.agency, what="生成年度报告")
    latest = AnnualReport.objects.select_for_update().filter(agency=data.agency, year=data.year).order_by("-id").first()
    if latest is not None and latest.status != ReportStatus.DRAFT and not data.new_draft:
        raise ReportLocked(
            f"{data.agency}{data.year}年度报告已{latest.get_status_display()}，不能覆盖；"
            "如需重新生成，请使用 --new-draft 另存为新草稿"
        )
    report = build_report(data.agency, data.year)
    d = report.to_dict()
    target = (
        latest
        if latest is not None and latest.status == ReportStatus.DRAFT
        else AnnualReport(agency=data.agency, year=data.year)
    )
    target.format = report.format
    target.cells = d["cells"]
    target.sections = d["sections"]
    target.issues = d["issues"]
    target.save()
    record_change(actor, data.agency, ChangeKind.REPORT_BUILT, f"{data.year}年度报告", {"report": target.pk})
    return target, report


@transaction.atomic
def submit_report(actor, data: ReportInput) -> AnnualReport:
    """报送年度报告草稿：有错误的报告不能报送。"""
    report = AnnualReport.objects.select_for_update().get(pk=data.report.pk)
    require_role(actor, report.agency, what="报送年度报告")
    if report.status != ReportStatus.DRAFT:
        raise ReportLocked(f"{report}不是草稿，不能报送")
    errors = [i for i in report.issues if i.get("severity") == "error"]
    if errors:
        raise OfficeError(f"年度报告有 {len(errors)} 个错误，修正后才能报送：{errors[0]['message']}")
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.save()
    record_change(actor, report.agency, ChangeKind.REPORT_SUBMITTED, f"{report.year}年度报告", {"report": report.pk})
    return report


@transaction.atomic
def lock_report(actor, data: ReportInput) -> AnnualReport:
    """锁定已报送的年度报告（办公室负责人或上级监督）；锁定后不能再修改。"""
    report = AnnualReport.objects.select_for_update().get(pk=data.report.pk)
    require_role(actor, report.agency, (Role.HEAD, Role.SUPERVISOR), what="锁定年度报告")
    if report.status != ReportStatus.SUBMITTED:
        raise OfficeError(f"{report}尚未报送，不能锁定")
    report.status = ReportStatus.LOCKED
    report.save()
    record_change(actor, report.agency, ChangeKind.REPORT_LOCKED, f"{report.year}年度报告", {"report": report.pk})
    return report
