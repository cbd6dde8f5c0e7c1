"""Annual reports: list, the report-cells JSON, build a draft, check results; the narrative's
sections with their versions (a save over a newer version is 409 with both texts), submission
(checks, confirmation), the supervising office's return, and the differences between versions."""

from __future__ import annotations

from ninja import Field as F
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from gongkai.checks import check
from gongkai.office.agencies import access
from gongkai.office.annual import services
from gongkai.office.annual.models import AnnualReport
from gongkai.office.annual.sections import LABELS, current_versions, history, offers
from gongkai.office.annual.versions import changes_from_previous, stale_applications

from .report_schemas import (
    ChangesOut,
    ConflictOut,
    RefusedOut,
    RestoreIn,
    ReturnIn,
    SectionIn,
    SectionOut,
    SubmitIn,
    VersionOut,
)
from .schemas import BuildIn, ChecksOut, Error, ReportOut, ReportSummary
from .scope import require_write, visible, visible_agency

router = Router(tags=["年度报告"])
ERRORS = {401: Error, 403: Error, 404: Error, 422: Error}


class ReportFilter(Schema):
    agency: int | None = F(None, description="机关编号")
    year: int | None = F(None, description="年度")


def _count(issues: list[dict], severity: str) -> int:
    return sum(i.get("severity") == severity for i in issues)


def _report_json(stored: AnnualReport) -> dict:
    return {"id": stored.pk, "status": stored.status} | stored.to_report().to_dict()


def _report(request, pk: int) -> AnnualReport:
    return visible(AnnualReport.objects.select_related("agency"), request.auth, pk, "年度报告")


@router.get("/", response={200: list[ReportSummary], 401: Error, 404: Error}, summary="年度报告列表")
def list_reports(request, filters: Query[ReportFilter]):
    """当前用户可见机关的年度报告（各版本），可按机关、年度筛选。"""
    qs = access.scoped(AnnualReport.objects.select_related("agency").prefetch_related("returns"), request.auth)
    if filters.agency is not None:
        qs = qs.filter(agency=visible_agency(request.auth, filters.agency))
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return [
        {
            "id": r.pk,
            "agency": r.agency_id,
            "agency_name": r.agency.name,
            "year": r.year,
            "format": r.format,
            "status": r.status,
            "version": r.version,
            "returned": any(True for _ in r.returns.all()),
            "errors": _count(r.issues, "error"),
            "warnings": _count(r.issues, "warning"),
            "updated_at": r.updated_at,
        }
        for r in qs
    ]


@router.get("/{int:pk}/", response={200: ReportOut, **ERRORS}, summary="年度报告数据")
def get_report(request, pk: int):
    """报告的单元格 JSON（与 gongkai parse --cells 相同：格式、年度、机关、单元格、正文、问题）。"""
    return _report_json(_report(request, pk))


@router.post("/build/", response={201: ReportOut, **ERRORS}, summary="生成年度报告草稿")
def build_report(request, body: BuildIn):
    """由台账生成（或更新）年度报告草稿并检查。人工撰写的正文保留；已报送或已锁定的版本不会被覆盖，
    也不能另存新草稿（``new_draft`` 同样拒绝），须上级退回修改后生成新版本。"""
    agency = visible_agency(request.auth, body.agency)
    require_write(request.auth, agency)
    data = services.BuildInput(agency=agency, year=body.year)
    stored, _ = services.build_annual_report(request.auth, data)
    return Status(201, _report_json(_report(request, stored.pk)))


@router.get("/{int:pk}/checks/", response={200: ChecksOut, **ERRORS}, summary="检查结果")
def report_checks(request, pk: int):
    """对报告重新运行全部检查（算术、取值、完整性、正文与表格一致），返回问题清单。"""
    report = check(_report(request, pk).to_report())
    issues = [i.to_dict() for i in report.issues]
    errors = _count(issues, "error")
    return {"ok": errors == 0, "errors": errors, "warnings": _count(issues, "warning"), "issues": issues}


# ------------------------------------------------------------------ narrative sections


def _section(report: AnnualReport, key: str) -> str:
    if key not in LABELS:
        raise HttpError(404, f"没有正文部分 {key}（s1–s6）")
    return key


def _section_out(v, generated: str | None = None) -> dict:
    return {
        "section": v.section,
        "version": v.version,
        "text": v.text,
        "source": v.source,
        "author": v.author.username if v.author else None,
        "at": v.at,
        "note": v.note,
        "generated": generated,
    }


def _sections_out(report: AnnualReport) -> list[dict]:
    current = current_versions(report)
    offered = offers(report, current)
    out = []
    for key in LABELS:
        v = current.get(key)
        if v is None:
            out.append({"section": key, "version": 0, "text": report.sections.get(key, ""), "source": "person"})
        else:
            out.append(_section_out(v, offered.get(key)))
    return out


@router.get("/{int:pk}/sections/", response={200: list[SectionOut], **ERRORS}, summary="正文各部分及稿号")
def list_sections(request, pk: int):
    """正文六个部分的当前文本和稿号；人工撰写的部分另附最近一次按台账生成的文本（如不同）。"""
    return _sections_out(_report(request, pk))


@router.put(
    "/{int:pk}/sections/{section}/",
    response={200: SectionOut, 409: ConflictOut, **ERRORS},
    summary="保存正文的一部分",
)
def save_section(request, pk: int, section: str, body: SectionIn):
    """保存草稿正文的一部分（新的一稿）并重新检查。``version`` 须为开始编辑时的稿号：
    其间已有他人保存则不保存，返回 409，附已保存的文本和本次的文本，合并后以新稿号重新保存。"""
    report = _report(request, pk)
    key = _section(report, section)
    require_write(request.auth, report.agency)
    data = services.SectionsInput(report=report, sections={key: body.text}, versions={key: body.version})
    try:
        services.save_sections(request.auth, data)
    except services.SectionConflict as e:
        (c,) = e.conflicts
        return Status(
            409,
            {
                "detail": str(e),
                "section": c.section,
                "version": c.version,
                "saved": c.saved,
                "saved_by": c.by,
                "saved_at": c.at,
                "mine": c.mine,
            },
        )
    return next(s for s in _sections_out(report) if s["section"] == key)


@router.get(
    "/{int:pk}/sections/{section}/history/", response={200: list[SectionOut], **ERRORS}, summary="正文一部分的各稿"
)
def section_history(request, pk: int, section: str):
    """该部分保存过的每一稿，新的在前。"""
    report = _report(request, pk)
    return [_section_out(v) for v in history(report, _section(report, section))]


@router.post(
    "/{int:pk}/sections/{section}/restore/", response={200: SectionOut, **ERRORS}, summary="恢复正文一部分的某一稿"
)
def restore_section(request, pk: int, section: str, body: RestoreIn):
    """把该部分恢复为以前的某一稿（作为新的一稿保存）。``current`` 不是当前稿号时拒绝。"""
    report = _report(request, pk)
    require_write(request.auth, report.agency)
    data = services.RestoreInput(
        report=report, section=_section(report, section), version=body.version, current=body.current
    )
    return _section_out(services.restore_section(request.auth, data))


# ------------------------------------------------------------------ submission, return, versions


def _version_out(report: AnnualReport) -> dict:
    returned = report.returned()
    return {
        "id": report.pk,
        "version": report.version,
        "status": report.status,
        "submitted_at": report.submitted_at,
        "returned": returned is not None,
        "returned_at": returned.returned_at if returned else None,
        "return_reason": returned.reason if returned else "",
        "stale": stale_applications(report),
    }


@router.post("/{int:pk}/submit/", response={**ERRORS, 200: VersionOut, 422: RefusedOut}, summary="报送年度报告")
def submit_report(request, pk: int, body: SubmitIn):
    """重新检查后报送草稿：有错误、“【待补充】”占位文字或空白部分的不能报送（``problems`` 列出需修正的各项）；
    ``confirm`` 须为 true。报送后只读，须上级退回修改才能另出新版本。"""
    report = _report(request, pk)
    require_write(request.auth, report.agency)
    try:
        submitted = services.submit_report(request.auth, services.SubmitInput(report=report, confirmed=body.confirm))
    except services.SubmissionRefused as e:
        return Status(422, {"detail": str(e), "problems": e.problems})
    return _version_out(submitted)


@router.post("/{int:pk}/return/", response={200: VersionOut, **ERRORS}, summary="退回修改（上级机关）")
def return_report(request, pk: int, body: ReturnIn):
    """上级监督人员把已报送或已锁定的版本退回修改（须写理由）；该版本保持不变，下级可生成新版本。"""
    report = _report(request, pk)
    services.return_report(request.auth, services.ReturnInput(report=report, reason=body.reason))
    return _version_out(report)


@router.get("/{int:pk}/versions/", response={200: list[VersionOut], **ERRORS}, summary="同一年度的各版本")
def list_versions(request, pk: int):
    """该机关该年度报告的全部版本（从第1版起），含退回记录和报送后台账变动。"""
    report = _report(request, pk)
    return [_version_out(r) for r in AnnualReport.objects.versions_of(report.agency, report.year)]


@router.get("/{int:pk}/changes/", response={200: ChangesOut, **ERRORS}, summary="与上一版相比的变化")
def report_changes(request, pk: int):
    """与上一个已报送（或已锁定）版本相比，变化的单元格和正文部分。"""
    changes = changes_from_previous(_report(request, pk))
    if changes is None:
        return {"base": None, "cells": [], "sections": []}
    return {
        "base": _version_out(changes.base),
        "cells": [{"cell": c.cell, "label": c.label, "old": c.old, "new": c.new} for c in changes.cells],
        "sections": [{"section": c.section, "label": c.label, "old": c.old, "new": c.new} for c in changes.sections],
    }
