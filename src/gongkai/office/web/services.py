"""Use cases the workbench needs that the apps do not offer yet: saving a draft's narrative
(re-running the checks) and storing a unit's published report with its check issues.

``save_sections`` belongs with ``annual.services`` (the API needs it too); it lives here
until that app takes it over.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from gongkai.checks import check
from gongkai.crossyear import pair
from gongkai.office.agencies.models import Agency, ChangeKind, Role
from gongkai.office.agencies.services import record_change, require_role
from gongkai.office.annual.models import AnnualReport, ReportStatus
from gongkai.office.errors import OfficeError, ReportLocked
from gongkai.parse import parse_bytes, parse_image_pages
from gongkai.report import SECTION_KEYS, Issue, Report
from gongkai.review import page_groups

from .models import PublishedReport

# Issues the build adds from the records (not from ``checks``): kept when the checks re-run.
BUILD_ISSUE_PREFIX = "office-"
SUPERVISORS = (Role.SUPERVISOR, Role.HEAD, Role.ADMIN)


@dataclass(frozen=True)
class SectionsInput:
    report: AnnualReport
    sections: dict[str, str]


@transaction.atomic
def save_sections(actor, data: SectionsInput) -> AnnualReport:
    """保存年度报告草稿的正文，并重新检查。已报送或已锁定的报告不能修改。"""
    report = AnnualReport.objects.select_for_update().get(pk=data.report.pk)
    require_role(actor, report.agency, what="修改年度报告")
    if report.status != ReportStatus.DRAFT:
        raise ReportLocked(f"{report}已{report.get_status_display()}，不能修改")
    value = report.to_report()
    value.sections = {k: (data.sections.get(k) or "").strip() for k in SECTION_KEYS}
    value.issues = [i for i in value.issues if i.code.startswith(BUILD_ISSUE_PREFIX)]
    check(value)
    report.sections = value.sections
    report.issues = [i.to_dict() for i in value.issues]
    report.save()
    record_change(actor, report.agency, ChangeKind.REPORT_SAVED, f"{report.year}年度报告", {"report": report.pk})
    return report


@dataclass(frozen=True)
class UploadInput:
    agency: Agency
    files: list[tuple[str, bytes]]  # (file name, content): one report, or the page images of one


def _in_page_order(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Page images in the order of the page numbers in their names (报告-2.jpg before
    报告-10.jpg, the rule of ``gongkai review``); as given when the names carry none."""
    groups = page_groups(Path(name) for name, _ in files)
    if len(groups) != 1:
        return files
    by_name = dict(files)
    return [(p.name, by_name[p.name]) for p in groups[0]]


def _upload_name(files: list[tuple[str, bytes]]) -> str:
    first = files[0][0]
    return first if len(files) == 1 else f"{first} 等 {len(files)} 页"


@transaction.atomic
def store_published_report(actor, data: UploadInput) -> PublishedReport:
    """读取并检查一份已公开的年度报告（任何支持的载体；多个文件时为同一份报告各页的图片），连同检查结果保存。"""
    require_role(actor, data.agency, SUPERVISORS, what="上传已公开的年度报告")
    if not data.files:
        raise OfficeError("没有选择文件")
    files = data.files if len(data.files) == 1 else _in_page_order(data.files)
    if len(files) == 1:
        name, content = files[0]
        report = parse_bytes(content, source=name, suffix=Path(name).suffix.lower())
    else:
        report = parse_image_pages([(content, name) for name, content in files])
    d = report.to_dict()
    filename = _upload_name(files)
    stored = PublishedReport.objects.create(
        agency=data.agency,
        year=report.year,
        format=report.format,
        filename=filename[:255],
        cells=d["cells"],
        sections=d["sections"],
        issues=d["issues"],
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    record_change(actor, data.agency, ChangeKind.REPORT_UPLOADED, filename[:200], {"year": report.year})
    return stored


def stored_report(agency: Agency, year: int) -> Report | None:
    """The unit's report for ``year``: its latest published upload, else its submitted report."""
    published = PublishedReport.objects.filter(agency=agency, year=year).order_by("-id").first()
    if published is not None:
        return published.to_report()
    done = (
        AnnualReport.objects.filter(agency=agency, year=year).exclude(status=ReportStatus.DRAFT).order_by("-id").first()
    )
    return done.to_report() if done is not None else None


def cross_year_issues(agency: Agency, year: int) -> list[Issue]:
    """Cross-year issues of the unit's stored reports: ``year`` against the year before and after."""
    out: list[Issue] = []
    for prev_year in (year - 1, year):
        prev, cur = stored_report(agency, prev_year), stored_report(agency, prev_year + 1)
        if prev is not None and cur is not None:
            out += pair(prev, cur)
    return out
