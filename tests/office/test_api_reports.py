"""Annual reports through the API: build from the ledger, read the report-cells JSON, check it."""

from __future__ import annotations

from gongkai import checks
from gongkai.office.annual.models import AnnualReport, ReportStatus
from gongkai.report import Report

from . import test_api_scenario as scenario
from .test_api_scenario import YEAR, call, register_body
from .test_ledger_report import enter_t2_and_t4

world = scenario.world


def test_register_reply_build_and_check(client, world):
    key = world.keys["staff_a"]
    app = call(client, "post", "/api/applications/", key, register_body(world.a)).json()
    call(client, "post", f"/api/applications/{app['id']}/reply/", key, {"day": "2024-10-15", "outcome": "granted"})
    enter_t2_and_t4(world.users["staff_a"], world.a, YEAR)

    r = call(client, "post", "/api/reports/build/", key, {"agency": world.a.pk, "year": YEAR})
    assert r.status_code == 201, r.content
    built = r.json()
    assert built["id"] == world.report_a.pk  # the draft is updated, not duplicated
    assert (built["format"], built["year"], built["agency"], built["status"]) == ("gb2021", YEAR, world.a.name, "draft")
    assert built["cells"]["t3.new.total"] == 2  # 甲-001 (open) and 甲-002 (replied)
    assert built["cells"]["t3.granted.total"] == 1 and built["cells"]["t3.carried_out.total"] == 1
    assert built["cells"]["t2.fees.amount_wan"] == 1.25

    got = call(client, "get", f"/api/reports/{built['id']}/", key).json()
    assert got == built
    report = Report.from_dict(got)
    assert [i for i in checks.run(report) if i.severity == "error"] == []
    assert report.to_dict() | {"id": got["id"], "status": got["status"]} == got  # the --cells JSON, plus id and status

    result = call(client, "get", f"/api/reports/{built['id']}/checks/", key).json()
    assert result["ok"] is True and result["errors"] == 0
    assert all(not i["message"].isascii() for i in result["issues"])


def test_checks_report_errors_of_an_incomplete_report(client, world):
    result = call(client, "get", f"/api/reports/{world.report_a.pk}/checks/", world.keys["supervisor"]).json()
    assert result["ok"] is False and result["errors"] > 0
    assert {i["severity"] for i in result["issues"]} >= {"error"}


def test_list_and_filter(client, world):
    key = world.keys["supervisor"]
    everything = call(client, "get", "/api/reports/", key).json()
    assert {(r["agency_name"], r["year"]) for r in everything} == {(world.a.name, YEAR), (world.b.name, YEAR)}
    only_b = call(client, "get", "/api/reports/", key, agency=world.b.pk).json()
    assert [r["id"] for r in only_b] == [world.report_b.pk]
    assert call(client, "get", "/api/reports/", key, year=YEAR - 1).json() == []
    assert only_b[0]["errors"] == sum(i["severity"] == "error" for i in world.report_b.issues)


def test_submitted_report_is_not_overwritten(client, world):
    AnnualReport.objects.filter(pk=world.report_a.pk).update(status=ReportStatus.SUBMITTED)
    key = world.keys["staff_a"]
    r = call(client, "post", "/api/reports/build/", key, {"agency": world.a.pk, "year": YEAR})
    assert r.status_code == 422
    assert "不能重新生成，也不能另存为新草稿" in r.json()["detail"]
    r = call(client, "post", "/api/reports/build/", key, {"agency": world.a.pk, "year": YEAR, "new_draft": True})
    assert r.status_code == 422 and "请上级机关退回修改" in r.json()["detail"]
    assert AnnualReport.objects.filter(agency=world.a, year=YEAR).count() == 1


def test_year_before_2019_is_refused(client, world):
    r = call(client, "post", "/api/reports/build/", world.keys["staff_a"], {"agency": world.a.pk, "year": 2018})
    assert r.status_code == 422
    assert "2019年及以后" in r.json()["detail"]
