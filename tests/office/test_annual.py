"""Annual reports: drafts are rebuilt, submitted and locked reports are never silently overwritten."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.office.annual.build import build_report
from gongkai.office.annual.models import AnnualReport, ReportStatus
from gongkai.office.annual.services import BuildInput, ReportInput, build_annual_report, lock_report, submit_report
from gongkai.office.applications import services
from gongkai.office.errors import NotAllowed, OfficeError, ReportLocked

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
    submit_report(staff, ReportInput(stored))
    with pytest.raises(NotAllowed):
        lock_report(staff, ReportInput(stored))
    locked = lock_report(head, ReportInput(stored))
    assert locked.status == ReportStatus.LOCKED

    with pytest.raises(ReportLocked, match="已锁定，不能覆盖；如需重新生成，请使用 --new-draft"):
        build_annual_report(staff, BuildInput(agency=ready, year=2025))
    locked.cells = {}
    with pytest.raises(ReportLocked, match="已锁定，不能修改"):
        locked.save()
    with pytest.raises(ReportLocked, match="不能删除"):
        locked.delete()
    assert AnnualReport.objects.get(pk=locked.pk).cells["t3.granted.natural"] == 1

    draft, _ = build_annual_report(staff, BuildInput(agency=ready, year=2025, new_draft=True))
    assert draft.pk != locked.pk and draft.status == ReportStatus.DRAFT
    assert AnnualReport.objects.get(pk=locked.pk).status == ReportStatus.LOCKED


def test_submitted_report_is_not_overwritten(staff, ready):
    stored, _ = build_annual_report(staff, BuildInput(agency=ready, year=2025))
    submit_report(staff, ReportInput(stored))
    with pytest.raises(ReportLocked, match="已报送"):
        build_annual_report(staff, BuildInput(agency=ready, year=2025))


def test_report_with_errors_cannot_be_submitted(staff, agency):
    stored, report = build_annual_report(staff, BuildInput(agency=agency, year=2025))  # no table 二 entered
    assert [i.code for i in report.errors()] == ["missing-table"]
    with pytest.raises(OfficeError, match="修正后才能报送"):
        submit_report(staff, ReportInput(stored))


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
