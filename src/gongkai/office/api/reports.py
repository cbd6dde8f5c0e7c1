"""Annual reports: list, the report-cells JSON, build a draft, check results."""

from __future__ import annotations

from ninja import Field as F
from ninja import Query, Router, Schema, Status

from gongkai.checks import check
from gongkai.office.agencies import access
from gongkai.office.annual import services
from gongkai.office.annual.models import AnnualReport

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
    qs = access.scoped(AnnualReport.objects.select_related("agency"), request.auth)
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
    """由台账生成（或更新）年度报告草稿并检查；已报送或已锁定的报告不会被覆盖。"""
    agency = visible_agency(request.auth, body.agency)
    require_write(request.auth, agency)
    data = services.BuildInput(agency=agency, year=body.year, new_draft=body.new_draft)
    stored, _ = services.build_annual_report(request.auth, data)
    return Status(201, _report_json(_report(request, stored.pk)))


@router.get("/{int:pk}/checks/", response={200: ChecksOut, **ERRORS}, summary="检查结果")
def report_checks(request, pk: int):
    """对报告重新运行全部检查（算术、取值、完整性、正文与表格一致），返回问题清单。"""
    report = check(_report(request, pk).to_report())
    issues = [i.to_dict() for i in report.issues]
    errors = _count(issues, "error")
    return {"ok": errors == 0, "errors": errors, "warnings": _count(issues, "warning"), "issues": issues}
