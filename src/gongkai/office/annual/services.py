"""Use cases for annual reports: build a draft, submit it, lock it, return it for changes.

A year's report is a sequence of versions. The newest is a draft being written, or the last one
submitted; a submitted or locked version is never replaced: the supervising office returns it
(退回修改, with a reason) and the next build starts a new version carrying over its text.
Submission re-runs the checks and refuses errors and placeholders. The narrative's own use
cases (save, restore, adopt) live in ``sections``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.checks import check
from gongkai.office.agencies.models import Agency, ChangeKind, Role
from gongkai.office.agencies.services import record_change, require_role
from gongkai.office.errors import OfficeError, ReportLocked
from gongkai.report import Report

from .build import build_report
from .models import AnnualReport, ReportReturn, ReportStatus
from .sections import (
    BUILD_ISSUE_PREFIX,
    AdoptInput,
    RestoreInput,
    SectionConflict,
    SectionsInput,
    adopt_generated,
    carry_over,
    merge_generated,
    rechecked,
    restore_section,
    save_sections,
)
from .versions import submission_problems

__all__ = [
    "AdoptInput",
    "BuildInput",
    "ReportInput",
    "RestoreInput",
    "ReturnInput",
    "SectionConflict",
    "SectionsInput",
    "SubmissionRefused",
    "SubmitInput",
    "adopt_generated",
    "build_annual_report",
    "lock_report",
    "restore_section",
    "return_report",
    "save_sections",
    "submit_report",
]

RETURNERS = (Role.SUPERVISOR,)  # only the supervising office returns a report


class SubmissionRefused(OfficeError):
    """Submission refused by the checks: ``problems`` lists, in Chinese, what to fix."""

    def __init__(self, problems: list[str]):
        super().__init__(f"年度报告有 {len(problems)} 处需要修正，修正后才能报送：" + "；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class BuildInput:
    agency: Agency
    year: int


@dataclass(frozen=True)
class ReportInput:
    report: AnnualReport


@dataclass(frozen=True)
class SubmitInput:
    report: AnnualReport
    confirmed: bool = False  # the person has seen the checks and confirmed (web: the confirm step; CLI: --yes)


@dataclass(frozen=True)
class ReturnInput:
    report: AnnualReport
    reason: str


def replaced_message(report: AnnualReport) -> str:
    """Why a submitted or locked version cannot be rebuilt or replaced by a new draft."""
    return (
        f"{report.agency}{report.year}年度报告第{report.version}版{report.get_status_display()}，"
        "不能重新生成，也不能另存为新草稿；如需修改，请上级机关退回修改（注明理由）后再生成新版本"
    )


@transaction.atomic
def build_annual_report(actor, data: BuildInput) -> tuple[AnnualReport, Report]:
    """由台账生成（或更新）年度报告草稿。

    表格按台账重新计算；正文只更新无人改写过的部分，人工撰写的文本保留（新生成的文本另存供参考）。
    已报送或已锁定的版本不会被覆盖：须上级退回修改后，才另存为新版本。
    """
    require_role(actor, data.agency, what="生成年度报告")
    latest = (
        AnnualReport.objects.select_for_update().filter(agency=data.agency, year=data.year).order_by("-version").first()
    )
    carried = None
    if latest is None:
        target = AnnualReport(agency=data.agency, year=data.year, version=1)
    elif latest.is_draft:
        target = latest
    elif latest.returned() is None:
        raise ReportLocked(replaced_message(latest))
    else:
        target, carried = AnnualReport(agency=data.agency, year=data.year, version=latest.version + 1), latest
    report = build_report(data.agency, data.year)
    d = report.to_dict()
    target.format = report.format
    target.cells = d["cells"]
    target.save()
    if carried is not None:
        carry_over(carried, target)
    target.sections = report.sections = merge_generated(actor, target, report.sections)
    report.issues = [i for i in report.issues if i.code.startswith(BUILD_ISSUE_PREFIX)]
    value = check(report)  # again, on the text kept
    target.issues = [i.to_dict() for i in value.issues]
    target.save()
    record_change(
        actor,
        data.agency,
        ChangeKind.REPORT_BUILT,
        f"{data.year}年度报告",
        {"report": target.pk, "version": target.version},
    )
    return target, value


@transaction.atomic
def submit_report(actor, data: SubmitInput) -> AnnualReport:
    """报送年度报告草稿：重新检查；有错误、占位文字或空白部分的不能报送；须确认。"""
    report = AnnualReport.objects.select_for_update().get(pk=data.report.pk)
    require_role(actor, report.agency, what="报送年度报告")
    if not report.is_draft:
        raise ReportLocked(f"{report}不是草稿，不能报送")
    problems = submission_problems(report)
    if problems:
        raise SubmissionRefused(problems)
    if not data.confirmed:
        raise OfficeError("报送后不能再修改（须上级退回修改），请确认后再报送")
    report.issues = [i.to_dict() for i in rechecked(report).issues]
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.save()
    record_change(
        actor,
        report.agency,
        ChangeKind.REPORT_SUBMITTED,
        f"{report.year}年度报告第{report.version}版",
        {"report": report.pk, "version": report.version},
    )
    return report


@transaction.atomic
def lock_report(actor, data: ReportInput) -> AnnualReport:
    """锁定已报送的年度报告（办公室负责人或上级监督）；锁定后不能再修改。"""
    report = AnnualReport.objects.select_for_update().get(pk=data.report.pk)
    require_role(actor, report.agency, (Role.HEAD, Role.SUPERVISOR), what="锁定年度报告")
    if report.status != ReportStatus.SUBMITTED:
        raise OfficeError(f"{report}尚未报送，不能锁定")
    if report.returned() is not None:
        raise OfficeError(f"{report}已退回修改，不能锁定")
    report.status = ReportStatus.LOCKED
    report.save()
    record_change(
        actor,
        report.agency,
        ChangeKind.REPORT_LOCKED,
        f"{report.year}年度报告第{report.version}版",
        {"report": report.pk, "version": report.version},
    )
    return report


@transaction.atomic
def return_report(actor, data: ReturnInput) -> ReportReturn:
    """上级机关把已报送或已锁定的年度报告退回修改（须写明理由）。该版本本身保持不变、随时可查；
    下级据此生成新版本，修改后重新报送。"""
    report = AnnualReport.objects.select_for_update().get(pk=data.report.pk)
    require_role(actor, report.agency, RETURNERS, what="退回年度报告")
    if report.is_draft:
        raise OfficeError(f"{report}尚未报送，不能退回")
    newest = AnnualReport.objects.latest_for(report.agency, report.year)
    if newest is not None and newest.pk != report.pk:
        raise OfficeError(f"{report}已有更新的第{newest.version}版，不能退回旧版本")
    if report.returned() is not None:
        raise OfficeError(f"{report}已退回修改")
    reason = (data.reason or "").strip()
    if not reason:
        raise OfficeError("请填写退回修改的理由")
    returned = ReportReturn.objects.create(report=report, returned_by=actor, reason=reason[:2000])
    record_change(
        actor,
        report.agency,
        ChangeKind.REPORT_RETURNED,
        f"{report.year}年度报告第{report.version}版",
        {"report": report.pk, "version": report.version, "reason": reason[:500]},
    )
    return returned
