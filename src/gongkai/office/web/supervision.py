"""What a supervising office sees: the units below it and the regional aggregate of tables 二,
三 and 四 (in the official layout, on the page and in Excel)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils.safestring import mark_safe

from gongkai.fileio import write_cell, write_cells
from gongkai.formats import for_year
from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency, Role
from gongkai.office.annual.models import AnnualReport, ReportStatus
from gongkai.office.applications.vocabulary import outcome_label
from gongkai.render import html as html_render
from gongkai.render import xlsx as xlsx_render
from gongkai.render.layout import tables
from gongkai.report import Report


def supervised_units(user) -> list[Agency]:
    """Agencies below one the user supervises (the supervised agency itself excluded)."""
    parents: dict[int, bool] = {}

    def supervises(agency: Agency) -> bool:
        if agency.pk not in parents:
            parents[agency.pk] = access.has_role(user, agency, Role.SUPERVISOR)
        return parents[agency.pk]

    return [a for a in access.visible_agencies(user).select_related("parent") if a.parent and supervises(a.parent)]


def submitted_reports(units: list[Agency], year: int) -> dict[int, AnnualReport]:
    """The newest submitted (or locked) version of each unit's report for ``year``: what the
    supervising office reads, even while a returned unit writes its next version."""
    out: dict[int, AnnualReport] = {}
    reports = AnnualReport.objects.filter(agency__in=units, year=year).exclude(status=ReportStatus.DRAFT)
    for r in reports.select_related("submitted_by").prefetch_related("returns").order_by("-version"):
        out.setdefault(r.agency_id, r)
    return out


def latest_reports(units: list[Agency], year: int) -> dict[int, AnnualReport]:
    """The newest version of each unit's report for ``year`` (a draft being written, or submitted)."""
    out: dict[int, AnnualReport] = {}
    for r in AnnualReport.objects.filter(agency__in=units, year=year).order_by("-version"):
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Covered:
    """A unit in the aggregate and the report counted for it: its submitted report, else the
    published report uploaded for it (of the year's format)."""

    unit: Agency
    report: object  # AnnualReport or web.models.PublishedReport: .cells, .agency
    source: str


def covered_reports(units: list[Agency], year: int) -> list[Covered]:
    from .models import PublishedReport

    done = submitted_reports(units, year)
    fmt = for_year(year).id
    uploaded: dict[int, object] = {}
    for p in PublishedReport.objects.filter(agency__in=units, year=year, format=fmt).order_by("-id"):
        uploaded.setdefault(p.agency_id, p)
    out = []
    for unit in units:
        if unit.pk in done:
            out.append(Covered(unit, done[unit.pk], "报送的年度报告"))
        elif unit.pk in uploaded:
            out.append(Covered(unit, uploaded[unit.pk], "上传的已公开报告"))
    return out


def _number(v) -> Decimal:
    if v is None or isinstance(v, bool):
        return Decimal(0)
    return Decimal(str(v)) if isinstance(v, int | float | Decimal) else Decimal(0)


def sum_report(covered: list[Covered], year: int) -> Report:
    """The region's report: every cell of tables 二, 三 and 四 summed over the covered units
    (blank cells count as 0)."""
    fmt = for_year(year)
    out = Report.empty(fmt.id, year=year, agency="汇总")
    ids = set(fmt.cell_ids())
    for c in covered:
        ids |= {k for k in c.report.cells if k in set(fmt.cell_ids(optional=True))}
    for cid in ids:
        total = sum((_number(c.report.cells.get(cid)) for c in covered), Decimal(0))
        out.cells[cid] = int(total) if total == total.to_integral_value() else total.normalize()
    return out


def report_tables(report: Report) -> list:
    """The report's tables in the official layout, as HTML (the renderer escapes every text)."""
    return [mark_safe(html_render.table(layout)) for layout in tables(report)]


def aggregate_xlsx(sums: Report, covered: list[Covered], missing: list[Agency], rows: list[dict]) -> bytes:
    """The aggregate as a workbook: the units it covers, tables 二/三/四 summed in the official
    layout, and table 三's 总计 column unit by unit. Every text is written as text (``fileio``)."""
    from gongkai.fileio import workbook

    out = BytesIO()
    book = workbook(out, {"in_memory": True})
    fmt = xlsx_render._Formats(book)
    info = book.add_worksheet("汇总范围")
    write_cells(info, 0, 0, ["单位", "计入的报告"], fmt.head)
    for r, c in enumerate(covered, 1):
        write_cells(info, r, 0, [c.unit.name, c.source], fmt.text)
    r = len(covered) + 2
    write_cell(info, r, 0, f"{sums.year}年度，计入 {len(covered)} 个单位", fmt.text)
    if missing:
        write_cell(info, r + 1, 0, "未计入（未报送也未上传）：" + "、".join(u.name for u in missing), fmt.text)
    info.set_column(0, 0, 40)
    info.set_column(1, 1, 20)
    for layout in tables(sums):
        xlsx_render.table(book.add_worksheet(xlsx_render.sheet_name(layout)), layout, fmt, sums.spec.unit_required)
    units = book.add_worksheet("表三分单位")
    write_cells(units, 0, 0, ["项目", *(c.unit.name for c in covered), "合计"], fmt.head)
    for n, row in enumerate(rows, 1):
        write_cells(units, n, 0, [row["label"], *row["values"], row["sum"]], fmt.text)
    units.set_column(0, 0, 36)
    book.close()
    return out.getvalue()
