"""What a report version is, read: the problems that keep it from being submitted, how it differs
from the version it replaces, and whether the register changed after it was submitted.

"Stale" is derived from the application ledger, never stored: a submitted (or locked) version is
stale when events were recorded after its submission on applications that count in its year —
events dated within the year (a registration, a reply back-dated into it) or corrections
(``CORRECTIONS``, whatever their date). A reply dated after the year leaves it as it was.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from gongkai.office.applications.models import Application, ApplicationEvent, EventKind

from .models import AnnualReport, ReportStatus
from .narrative import TODO
from .sections import LABELS, rechecked

# ------------------------------------------------------------------ before submitting


def submission_problems(report: AnnualReport) -> list[str]:
    """What must be fixed before ``report`` can be submitted, in Chinese: check errors,
    sections still holding the placeholder, empty sections."""
    value = rechecked(report)
    out = [i.message for i in value.errors()]
    for key, label in LABELS.items():
        text = report.sections.get(key) or ""
        if TODO in text:
            out.append(f"“{label}”仍有占位文字“{TODO}”，请改为实际内容")
        elif not text.strip():
            out.append(f"“{label}”为空，请填写")
    return out


# ------------------------------------------------------------------ versions and their differences


def previous_version(report: AnnualReport) -> AnnualReport | None:
    """The submitted (or locked) version this one replaces."""
    return (
        AnnualReport.objects.filter(agency=report.agency_id, year=report.year, version__lt=report.version)
        .exclude(status=ReportStatus.DRAFT)
        .order_by("-version")
        .first()
    )


@dataclass(frozen=True)
class CellChange:
    cell: str
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class SectionChange:
    section: str
    old: str
    new: str
    # the new text as runs of ("same" | "removed" | "added", text), for marking what changed
    runs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.section]


@dataclass(frozen=True)
class Changes:
    base: AnnualReport
    cells: list[CellChange]
    sections: list[SectionChange]

    @property
    def empty(self) -> bool:
        return not self.cells and not self.sections


def _runs(old: str, new: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", new[b1:b2]))
            continue
        if a2 > a1:
            out.append(("removed", old[a1:a2]))
        if b2 > b1:
            out.append(("added", new[b1:b2]))
    return out


def _label(spec, cell: str) -> str:
    try:
        return spec.label_of(cell)
    except KeyError:
        return cell


def changes(base: AnnualReport, report: AnnualReport) -> Changes:
    """The cells and sections of ``report`` that differ from ``base`` (blank cells as None)."""
    spec = report.to_report().spec
    cells = [
        CellChange(cid, _label(spec, cid), base.cells.get(cid), report.cells.get(cid))
        for cid in sorted(set(base.cells) | set(report.cells))
        if base.cells.get(cid) != report.cells.get(cid)
    ]
    sections = []
    for key in LABELS:
        old, new = base.sections.get(key) or "", report.sections.get(key) or ""
        if old != new:
            sections.append(SectionChange(key, old, new, _runs(old, new)))
    return Changes(base, cells, sections)


def changes_from_previous(report: AnnualReport) -> Changes | None:
    base = previous_version(report)
    return changes(base, report) if base is not None else None


# ------------------------------------------------------------------ the register after submission

# Corrections that may rewrite what a year counted (receipt date, applicant type, outcome, an
# event undone), whatever day they are recorded on; other events count when dated within the year.
CORRECTIONS = (EventKind.REGISTERED, EventKind.OUTCOME_SET, EventKind.EDITED, EventKind.UNDONE)


def _later_events(report: AnnualReport) -> QuerySet[ApplicationEvent]:
    end = date(report.year, 12, 31)
    counted = Application.objects.filter(agency=report.agency_id).for_year_report(report.year)
    return ApplicationEvent.objects.filter(application__in=counted, at__gt=report.submitted_at).filter(
        Q(day__lte=end) | Q(kind__in=CORRECTIONS)
    )


def stale_applications(report: AnnualReport) -> list[str]:
    """Numbers of the applications of ``report``'s year changed in the register after it was
    submitted (empty for a draft, or a version already returned for changes)."""
    if report.is_draft or report.submitted_at is None or report.returned() is not None:
        return []
    return sorted(set(_later_events(report).values_list("application__number", flat=True)))


def live_submissions(agency, since_year: int) -> list[AnnualReport]:
    """Per year from ``since_year``: the newest version if it is submitted or locked and not returned."""
    newest: dict[int, AnnualReport] = {}
    for r in AnnualReport.objects.filter(agency=agency, year__gte=since_year).order_by("year", "-version"):
        newest.setdefault(r.year, r)
    return [r for r in newest.values() if not r.is_draft and r.returned() is None]


def submitted_year_warnings(application: Application) -> list[str]:
    """Chinese warnings for the clerk after changing ``application``: the submitted reports the
    change leaves out of date (the supervising office sees them flagged)."""
    out = []
    for report in live_submissions(application.agency_id, application.received_on.year):
        if _later_events(report).filter(application=application).exists():
            out.append(
                f"申请 {application.number} 计入{report.year}年度报告，该报告{report.get_status_display()}"
                f"（第{report.version}版）：这一变动没有反映在已报送的报告中，上级机关将看到"
                "“报送后台账有变动”的提示；如需更正报告，请联系上级机关退回修改"
            )
    return out
