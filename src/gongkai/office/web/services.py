"""Use cases the workbench needs that the apps do not offer yet: storing a unit's published
report with its check issues. (Saving a draft's narrative is ``annual.sections.save_sections``.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from gongkai.crossyear import pair
from gongkai.office.agencies.models import Agency, ChangeKind, Role
from gongkai.office.agencies.services import record_change, require_role
from gongkai.office.annual.models import AnnualReport
from gongkai.office.errors import OfficeError
from gongkai.parse import parse_bytes, parse_image_pages
from gongkai.report import Issue, Report
from gongkai.review import page_groups

from .models import PublishedReport

SUPERVISORS = (Role.SUPERVISOR, Role.HEAD, Role.ADMIN)


@dataclass(frozen=True)
class UploadInput:
    agency: Agency
    files: list[tuple[str, bytes]]  # (file name, content): one report, or the page images of one
    year: int | None = None  # the year it is uploaded as (None: the year read from it)
    confirmed: bool = False  # the supervisor has seen the mismatches and saves it all the same


@dataclass
class Upload:
    """A report read from an upload, not saved yet: what it is uploaded as, what was read, and
    where the two differ (``mismatches``, Chinese sentences; saving them needs a confirmation)."""

    agency: Agency
    year: int | None
    filename: str
    report: Report
    mismatches: list[str]


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


# What a unit's name may end with in one report and not in another: a government's report is
# often published by (and titled with) its 办公室.
_NAME_SUFFIXES = (
    "人民政府办公室",
    "人民政府办公厅",
    "政府办公室",
    "政府办公厅",
    "人民政府",
    "政府",
    "办公室",
    "办公厅",
)
_NAME_NOISE = re.compile(r"[\s（）()·•]")


def unit_name_key(name: str) -> str:
    """A unit's name for comparison: no blanks or brackets, no 人民政府/办公室 suffix."""
    key = _NAME_NOISE.sub("", name or "")
    changed = True
    while changed:
        changed = False
        for suffix in _NAME_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key, changed = key[: -len(suffix)], True
    return key


def same_unit(read: str, unit: str) -> bool:
    """Whether a report read as ``read``'s is the unit ``unit``'s: the same name once normalised,
    or one the other's with the region left out (“交通运输局” in 某县交通运输局's own report)."""
    a, b = unit_name_key(read), unit_name_key(unit)
    return bool(a and b) and (a == b or a.endswith(b) or b.endswith(a))


def upload_mismatches(report: Report, agency: Agency, year: int | None) -> list[str]:
    out = []
    if report.agency and not same_unit(report.agency, agency.name):
        out.append(f"报告中的单位是“{report.agency}”，不是所选的“{agency.name}”")
    if year is not None and report.year is not None and report.year != year:
        out.append(f"报告是{report.year}年度的，不是所选的{year}年度")
    return out


def has_tables(report: Report) -> bool:
    return any(v is not None for v in report.cells.values())


def read_upload(actor, data: UploadInput) -> Upload:
    """读取上传的报告并与所选单位、年度比对；读不出统计表的不予接受。"""
    require_role(actor, data.agency, SUPERVISORS, what="上传已公开的年度报告")
    if not data.files:
        raise OfficeError("没有选择文件")
    files = data.files if len(data.files) == 1 else _in_page_order(data.files)
    if len(files) == 1:
        name, content = files[0]
        report = parse_bytes(content, source=name, suffix=Path(name).suffix.lower())
    else:
        report = parse_image_pages([(content, name) for name, content in files])
    filename = _upload_name(files)
    if not has_tables(report):
        raise OfficeError(
            f"没有从 {filename} 中读出任何统计表（表二、表三、表四）的数据，未保存，也不计入已公开报告。"
            "请上传含统计表的报告全文；扫描件请确认图片清晰、页面完整"
        )
    year = data.year if data.year is not None else report.year
    return Upload(data.agency, year, filename, report, upload_mismatches(report, data.agency, year))


@transaction.atomic
def save_upload(actor, upload: Upload, *, confirmed: bool = False) -> PublishedReport:
    """保存读取的报告及其检查结果；单位或年度与所选不符的，须经确认，并记入检查结果。"""
    require_role(actor, upload.agency, SUPERVISORS, what="上传已公开的年度报告")
    if upload.mismatches and not confirmed:
        raise OfficeError("；".join(upload.mismatches) + "。请核对后确认再保存")
    d = upload.report.to_dict()
    issues = d["issues"]
    if upload.mismatches:
        text = "；".join(upload.mismatches)
        issues = [{"code": "upload-mismatch", "severity": "warning", "where": "", "message": f"上传时已确认：{text}"}]
        issues += d["issues"]
    stored = PublishedReport.objects.create(
        agency=upload.agency,
        year=upload.year,
        format=upload.report.format,
        filename=upload.filename[:255],
        cells=d["cells"],
        sections=d["sections"],
        issues=issues,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    data = {"year": upload.year, "read_year": upload.report.year, "read_agency": upload.report.agency}
    if upload.mismatches:
        data["confirmed_mismatches"] = upload.mismatches
    record_change(actor, upload.agency, ChangeKind.REPORT_UPLOADED, upload.filename[:200], data)
    return stored


def store_published_report(actor, data: UploadInput) -> PublishedReport:
    """读取并检查一份已公开的年度报告（任何支持的载体；多个文件时为同一份报告各页的图片），连同检查结果保存。"""
    return save_upload(actor, read_upload(actor, data), confirmed=data.confirmed)


@transaction.atomic
def delete_published_report(actor, published: PublishedReport) -> None:
    """删除一份上传的报告（上传错了的）：记入变更记录。"""
    require_role(actor, published.agency, SUPERVISORS, what="删除上传的年度报告")
    data = {
        "year": published.year,
        "format": published.format,
        "uploaded_by": published.uploaded_by.username if published.uploaded_by else None,
        "uploaded_at": published.uploaded_at,
    }
    record_change(actor, published.agency, ChangeKind.REPORT_UPLOAD_DELETED, published.filename[:200], data)
    published.delete()


def stored_report(agency: Agency, year: int) -> Report | None:
    """The unit's report for ``year``: its latest published upload, else its submitted report."""
    published = PublishedReport.objects.filter(agency=agency, year=year).order_by("-id").first()
    if published is not None:
        return published.to_report()
    done = AnnualReport.objects.submitted_for(agency, year)
    return done.to_report() if done is not None else None


def cross_year_issues(agency: Agency, year: int) -> list[Issue]:
    """Cross-year issues of the unit's stored reports: ``year`` against the year before and after."""
    out: list[Issue] = []
    for prev_year in (year - 1, year):
        prev, cur = stored_report(agency, prev_year), stored_report(agency, prev_year + 1)
        if prev is not None and cur is not None:
            out += pair(prev, cur)
    return out
