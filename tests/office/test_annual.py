"""Annual reports: drafts are rebuilt, submitted and locked reports are never silently overwritten."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.office.annual.build import build_report
from gongkai.office.annual.models import AnnualReport, ReportStatus
from gongkai.office.annual.services import (
    BuildInput,
    ReportInput,
    SubmitInput,
    build_annual_report,
    lock_report,
    submit_report,
)
from gongkai.office.applications import services
from gongkai.office.errors import NotAllowed, OfficeError, ReportLocked

from .reporting import submit
from .test_ledger_report import enter_t2_and_t4


@pytest.fixture
def ready(staff, agency):
    app = services.register_application(
        staff,
        services.RegisterInput(agency=agency, number="1", applicant_type="natural", received_on=date(2025, 3, 3)),
    )
    services.reply(staff, services.ReplyInput(application=app, day=date(2025, 3, 10), outcome="granted"))
    enter_t2_and_t4(staff, agency, 2025)
    return agency


def test_draft_is_rebuilt_in_place(staff, ready):
    first, _ = build_annual_report(staff, BuildInput(agency=ready, year=2025))
    again, report = build_annual_report(staff, BuildInput(agency=ready, year=2025))
    assert first.pk == again.pk
    assert AnnualReport.objects.count() == 1
    assert again.format == "gb2021" and again.cells["t3.granted.natural"] == 1
    assert again.to_report().cells == report.cells


def test_locked_report_is_immutable(staff, head, ready):
    stored, _ = build_annual_report(staff, BuildInput(agency=ready, year=2025))
    submit(staff, stored)
    with pytest.raises(NotAllowed):
        lock_report(staff, ReportInput(stored))
    locked = lock_report(head, ReportInput(stored))
    assert locked.status == ReportStatus.LOCKED

    with pytest.raises(ReportLocked, match="第1版已锁定，不能重新生成，也不能另存为新草稿；如需修改，请上级机关退回"):
        build_annual_report(staff, BuildInput(agency=ready, year=2025))
    locked.cells = {}
    with pytest.raises(ReportLocked, match="已锁定，不能修改"):
        locked.save()
    with pytest.raises(ReportLocked, match="不能删除"):
        locked.delete()
    assert AnnualReport.objects.get(pk=locked.pk).cells["t3.granted.natural"] == 1
    assert AnnualReport.objects.filter(agency=ready, year=2025).count() == 1


def test_submitted_report_is_not_overwritten(staff, ready):
    stored, _ = build_annual_report(staff, BuildInput(agency=ready, year=2025))
    submit(staff, stored)
    with pytest.raises(ReportLocked, match="已报送"):
        build_annual_report(staff, BuildInput(agency=ready, year=2025))


def test_report_with_errors_cannot_be_submitted(staff, agency):
    stored, report = build_annual_report(staff, BuildInput(agency=agency, year=2025))  # no table 二 entered
    assert [i.code for i in report.errors()] == ["missing-table"]
    with pytest.raises(OfficeError, match="修正后才能报送"):
        submit_report(staff, SubmitInput(stored, confirmed=True))


def test_gb2019_year_uses_the_single_other_row(staff, agency):
    app = services.register_application(
        staff,
        services.RegisterInput(agency=agency, number="1", applicant_type="business", received_on=date(2020, 3, 3)),
    )
    services.withdraw(staff, services.WithdrawInput(application=app, day=date(2020, 3, 5)))
    report = build_report(agency, 2020)
    assert report.format == "gb2019"
    assert report.cells["t3.other.business"] == 1
    assert report.cells["t3.total.total"] == 1


def test_legacy_years_are_refused(agency):
    with pytest.raises(OfficeError, match="只支持2019年及以后"):
        build_report(agency, 2018)


# ------------------------------------------------------------------ table 四: cases decided in a later year


def _appeal(actor, agency, kind, filed, decided=None, result=None):
    from gongkai.office.appeals import services as appeals

    a = appeals.file_appeal(actor, appeals.AppealInput(agency=agency, kind=kind, filed_on=filed))
    if decided:
        appeals.decide_appeal(actor, appeals.DecisionInput(appeal=a, result=result, decided_on=decided))
    return a


def _t4(report, kind):
    return {c: report.cells[f"t4.{kind}.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")}


def test_review_filed_2024_decided_2025_is_pending_then_counted_by_its_result(staff, agency):
    _appeal(staff, agency, "review", date(2024, 11, 15), date(2025, 2, 20), "corrected")
    _appeal(staff, agency, "review", date(2025, 3, 1), date(2025, 6, 1), "upheld")  # within 2025: once
    r2024, r2025 = build_report(agency, 2024), build_report(agency, 2025)
    assert _t4(r2024, "review") == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert _t4(r2025, "review") == {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2}
    assert "被申请行政复议1件" in r2024.sections["s1"]
    assert r2025.sections["s4"].startswith(
        "本年度因政府信息公开被申请行政复议2件（结果维持1件、结果纠正1件、其他结果0件、尚未审结0件，"
        "其中以前年度立案、本年审结1件）"
    )
    assert not [i for i in r2025.issues if i.code.startswith(("t4", "narrative"))]


def test_suit_pending_for_years_is_counted_when_filed_and_when_decided(staff, agency):
    _appeal(staff, agency, "suit_after_review", date(2023, 12, 20), date(2025, 9, 1), "other")
    _appeal(staff, agency, "suit_direct", date(2024, 5, 1))  # never decided
    counts = {y: _t4(build_report(agency, y), "suit_after_review") for y in (2023, 2024, 2025, 2026)}
    assert [counts[y]["pending"] for y in (2023, 2024, 2025, 2026)] == [1, 0, 0, 0]
    assert [counts[y]["other"] for y in (2023, 2024, 2025, 2026)] == [0, 0, 1, 0]
    assert [build_report(agency, y).cells["t4.suit_direct.pending"] for y in (2024, 2025)] == [1, 0]
    assert (
        "；复议后起诉：结果维持0件、结果纠正0件、其他结果1件、尚未审结0件，其中以前年度立案、本年审结1件）"
        in (build_report(agency, 2025).sections["s4"])
    )


def test_the_counting_rule_is_shown(staff, ready):
    from django.test import Client

    from gongkai.formats.roles import T4_RULE

    assert "以前年度立案、本年审结的案件，按审结结果计入审结当年" in T4_RULE
    c = Client()
    c.force_login(staff)
    c.post(f"/reports/{ready.pk}/2025/build/")
    assert f"表四计数口径：{T4_RULE}" in c.get(f"/reports/{ready.pk}/2025/").content.decode()
    assert f"年度报告表四计数口径：{T4_RULE}" in c.get("/appeals/").content.decode()


# ------------------------------------------------------------------ the register → cell map is data


def test_register_maps_name_cells_of_their_format():
    from gongkai.formats import FORMATS
    from gongkai.formats.roles import REGISTER_MAPS, register_map

    assert register_map("legacy") is None
    for fid, rmap in REGISTER_MAPS.items():
        fmt = FORMATS[fid]
        ids = set(fmt.cell_ids(optional=True))
        rows = {r.key for r in fmt.table("t3").blocks[0].rows}
        assert {rmap.total, rmap.withdrawn, rmap.no_correction, rmap.unpaid_fee, *rmap.counts} <= rows
        assert {cid for _, cid in rmap.article20} <= ids
        block = fmt.table("t2").blocks[0]
        assert {col for _, col in rmap.documents} <= {c.key for c in block.columns}
        assert rmap.pending in {c.key for c in fmt.table("t4").blocks[0].columns}


def test_the_build_does_not_branch_on_a_format_id():
    from pathlib import Path

    import gongkai.office.annual as annual

    for path in Path(annual.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "fmt.id ==" not in text and '"gb2021"' not in text and '"gb2019"' not in text, path.name


def test_gb2019_year_documents_go_to_their_own_columns(staff, agency):
    from gongkai.office.proactive import services as proactive

    proactive.set_document_figures(
        staff,
        proactive.DocumentFiguresInput(
            agency=agency, year=2020, kind="normative", made=3, repealed=1, in_force=12, published=2
        ),
    )
    report = build_report(agency, 2020)
    assert (report.cells["t2.normative.new_made"], report.cells["t2.normative.new_published"]) == (3, 2)
    assert report.cells["t2.normative.total_published"] == 12
    assert "t2.normative.repealed" not in report.cells
