"""Applications whose 补正 or payment period ran out and were never closed: listed by the report
build, closed in one step as 视为放弃申请 (第三十条; 国办函〔2020〕109号, 第四十二条) through the
service, the web and the command line, each as an ``abandoned`` event in the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.office.annual.build import build_report
from gongkai.office.annual.expired import CloseExpiredInput, close_expired, expired
from gongkai.office.annual.models import AnnualReport, ReportStatus
from gongkai.office.annual.services import BuildInput, build_annual_report
from gongkai.office.applications import services
from gongkai.office.applications.models import Application, EventKind, State
from gongkai.office.errors import NotAllowed, OfficeError

from .reporting import submit
from .test_ledger_report import enter_t2_and_t4

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_GROUNDS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


def register(actor, agency, number, day):
    data = services.RegisterInput(
        agency=agency, number=number, applicant_type="natural", received_on=day, applicant_name=number
    )
    return services.register_application(actor, data)


def event(actor, app, kind, day, **kw):
    return services.record_event(actor, services.EventInput(application=app, kind=kind, day=day, **kw))


@pytest.fixture
def unanswered(staff, agency):
    """补正 notice of 2025-11-20 giving 10 working days (to 2025-12-04), never answered."""
    app = register(staff, agency, "B-1", date(2025, 11, 17))
    event(staff, app, EventKind.CORRECTION_REQUESTED, date(2025, 11, 20), days=10)
    return app


@pytest.fixture
def unpaid(staff, agency):
    """A fee notice of 2025-04-10 (120 pages, 1100 元) the applicant received 2025-04-14, never paid:
    20 working days from the day after receipt (4-27 a make-up workday, 5-1 to 5-5 劳动节) to 2025-05-14."""
    app = register(staff, agency, "F-1", date(2025, 4, 1))
    event(staff, app, EventKind.FEE_NOTIFIED, date(2025, 4, 10), basis="per_volume", pages=120)
    event(staff, app, EventKind.FEE_NOTICE_RECEIVED, date(2025, 4, 14))
    return app


@pytest.fixture
def not_yet(staff, agency):
    """补正 asked 2025-12-22 with 10 working days: runs out in 2026, legitimately carried over."""
    app = register(staff, agency, "B-2", date(2025, 12, 19))
    event(staff, app, EventKind.CORRECTION_REQUESTED, date(2025, 12, 22), days=10)
    return app


def test_the_build_lists_expired_periods(agency, unanswered, unpaid, not_yet):
    found = expired(agency, date(2025, 12, 31))
    assert [(e.number, e.reason, e.period_end) for e in found] == [
        ("F-1", "no_payment", date(2025, 5, 14)),
        ("B-1", "no_correction", date(2025, 12, 4)),
    ]
    report = build_report(agency, 2025)
    assert report.cells["t3.carried_out.total"] == 3
    (issue,) = [i for i in report.issues if i.code == "office-period-expired"]
    assert (issue.severity, issue.where, issue.cells) == ("warning", "t3.carried_out.total", ("t3.carried_out.total",))
    assert issue.message.startswith(
        "有 2 件申请的补正期限或缴费期限截至2025年底已届满、申请人未补正或未缴费，但尚未办结，"
        "将计入“结转下年度继续办理”："
        "F-1（缴费期限2025-05-14届满）、B-1（补正期限2025-12-04届满）。"
    )
    assert f"逾期不补正依据{REGULATION}第三十条" in issue.message
    assert f"gongkai report close-expired --agency {agency.name} --year 2025" in issue.message
    assert "B-2" not in issue.message


def test_closed_as_no_correction_in_one_step(staff, agency, unanswered, unpaid, not_yet):
    closed = close_expired(staff, CloseExpiredInput(agency=agency, year=2025, today=date(2026, 1, 8)))
    assert [(c.number, c.outcome, c.day) for c in closed] == [
        ("F-1", "other.unpaid_fee", date(2025, 5, 15)),  # the day after the period ran out
        ("B-1", "other.no_correction", date(2025, 12, 5)),
    ]
    b1 = Application.objects.get(number="B-1")
    assert (b1.state, b1.outcome, b1.replied_on) == (State.ABANDONED, "other.no_correction", date(2025, 12, 5))
    last = b1.events.order_by("id").last()
    assert (last.kind, last.day, last.actor) == (EventKind.ABANDONED, date(2025, 12, 5), staff)
    assert last.data == {
        "outcome": "other.no_correction",
        "note": "补正期限已于2025-12-04届满，申请人无正当理由逾期不补正，视为放弃申请，不再处理",
        "grounds": f"{REGULATION}第三十条",
    }
    f1 = Application.objects.get(number="F-1").events.order_by("id").last()
    assert f1.data["grounds"].startswith(FEE_GROUNDS) and f1.data["grounds"].endswith(f"{REGULATION}第四十二条")
    assert Application.objects.get(number="B-2").state == State.AWAITING_CORRECTION

    report = build_report(agency, 2025)
    assert report.cells["t3.other.no_correction.natural"] == 1
    assert report.cells["t3.other.unpaid_fee.natural"] == 1
    assert report.cells["t3.carried_out.total"] == 1  # B-2 only
    assert not [i for i in report.issues if i.code == "office-period-expired"]
    assert "其中1件申请人逾期未缴纳，视为放弃申请，不再处理" in report.sections["s6"]
    assert close_expired(staff, CloseExpiredInput(agency=agency, year=2025, today=date(2026, 1, 8))) == []


def test_a_submitted_year_is_not_changed(staff, agency, unanswered):
    enter_t2_and_t4(staff, agency, 2025)
    stored, _ = build_annual_report(staff, BuildInput(agency=agency, year=2025))
    submit(staff, stored)
    (c,) = close_expired(staff, CloseExpiredInput(agency=agency, year=2025, today=date(2026, 1, 8)))
    assert (c.outcome, c.day) == ("other.no_correction", date(2026, 1, 8))  # counted in 2026 instead
    assert AnnualReport.objects.get(pk=stored.pk).status == ReportStatus.SUBMITTED
    assert build_report(agency, 2025).cells["t3.carried_out.total"] == 1
    assert build_report(agency, 2026).cells["t3.other.no_correction.total"] == 1


def test_only_listed_applications_and_only_by_staff(staff, outsider, agency, unanswered, not_yet):
    with pytest.raises(OfficeError, match="申请 B-2 不在补正或缴费期限已届满的未办结申请之列"):
        close_expired(staff, CloseExpiredInput(agency=agency, year=2025, numbers=("B-2",), today=date(2026, 1, 8)))
    with pytest.raises(NotAllowed):
        close_expired(outsider, CloseExpiredInput(agency=agency, today=date(2026, 1, 8)))
    (c,) = close_expired(staff, CloseExpiredInput(agency=agency, numbers=("B-1",), today=date(2026, 1, 8)))
    assert c.number == "B-1"


def test_web_action_closes_and_rebuilds(staff, agency, unanswered):
    from django.test import Client

    enter_t2_and_t4(staff, agency, 2025)
    c = Client()
    c.force_login(staff)
    c.post(f"/reports/{agency.pk}/2025/build/")
    html = c.get(f"/reports/{agency.pk}/2025/").content.decode()
    assert "办结逾期申请" in html and "B-1（补正期限2025-12-04届满）" in html
    r = c.post(f"/reports/{agency.pk}/2025/close-expired/", follow=True)
    html = r.content.decode()
    assert "已按视为放弃申请办结 1 件：B-1" in html
    assert "办结逾期申请" not in html
    stored = AnnualReport.objects.get(agency=agency, year=2025)
    assert stored.cells["t3.other.no_correction.natural"] == 1
    assert Application.objects.get(number="B-1").state == State.ABANDONED


def test_cli_close_expired(agency, transactional_db):
    import typer
    from django.contrib.auth import get_user_model
    from typer.testing import CliRunner

    from gongkai.cli_office import CLI_USERNAME
    from gongkai.cli_office import register as register_cli

    app = typer.Typer()
    register_cli(app)
    user = get_user_model().objects.create(username=CLI_USERNAME, is_superuser=True)
    bad = register(user, agency, "B-1", date(2025, 11, 17))
    event(user, bad, EventKind.CORRECTION_REQUESTED, date(2025, 11, 20), days=10)
    runner = CliRunner()
    args = ["report", "close-expired", "--agency", agency.name, "--year", "2025"]
    r = runner.invoke(app, [*args, "--dry-run"])
    assert r.exit_code == 0, r.output
    assert "B-1（补正期限2025-12-04届满）：申请人无正当理由逾期不补正" in r.output
    assert Application.objects.get(number="B-1").is_open
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "B-1：2025-12-05 其他处理·申请人无正当理由逾期不补正" in r.output.replace("\n", "")
    assert f"（依据{REGULATION}第三十条）" in r.output.replace("\n", "")
    assert "已办结 1 件申请（视为放弃申请）" in r.output
    r = runner.invoke(app, args)
    assert "没有补正期限或缴费期限已届满而未办结的申请" in r.output
    r = runner.invoke(app, ["report", "close-expired", "--agency", agency.name, "--number", "X"])
    assert r.exit_code == 2 and "申请 X 不在" in r.output


def test_fee_amount_in_the_fixture(unpaid):
    assert unpaid.fee.amount == Decimal(1100)
