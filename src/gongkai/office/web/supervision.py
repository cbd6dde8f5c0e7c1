"""What a supervising office sees: the units below it and the regional aggregate of table 三."""

from __future__ import annotations

from gongkai.formats import for_year
from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency, Role
from gongkai.office.annual.models import AnnualReport, ReportStatus
from gongkai.office.applications.vocabulary import outcome_label


def supervised_units(user) -> list[Agency]:
    """Agencies below one the user supervises (the supervised agency itself excluded)."""
    parents: dict[int, bool] = {}

    def supervises(agency: Agency) -> bool:
        if agency.pk not in parents:
            parents[agency.pk] = access.has_role(user, agency, Role.SUPERVISOR)
        return parents[agency.pk]

    return [a for a in access.visible_agencies(user).select_related("parent") if a.parent and supervises(a.parent)]


def submitted_reports(units: list[Agency], year: int) -> dict[int, AnnualReport]:
    """The latest submitted (or locked) report of each unit for ``year``."""
    out: dict[int, AnnualReport] = {}
    reports = AnnualReport.objects.filter(agency__in=units, year=year).exclude(status=ReportStatus.DRAFT)
    for r in reports.order_by("-id"):
        out.setdefault(r.agency_id, r)
    return out


def t3_rows(year: int) -> list[tuple[str, str]]:
    """(row key, label) of table 三 in the year's format: the counts, the outcomes, the totals."""
    block = for_year(year).table("t3").blocks[0]
    return [(r.key, outcome_label(r)) for r in block.rows if not r.optional]


def aggregate(reports: list[AnnualReport], year: int) -> list[dict]:
    """Per table-三 row: each report's 总计 and their sum (blank cells count as 0)."""
    rows = []
    for key, label in t3_rows(year):
        values = [r.cells.get(f"t3.{key}.total") for r in reports]
        rows.append({"key": key, "label": label, "values": values, "sum": sum(v or 0 for v in values)})
    return rows
