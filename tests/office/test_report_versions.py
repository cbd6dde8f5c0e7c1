"""Issue 13, items 1–3: nothing written into an annual report is silently lost.

1. Two people saving one section: the second save is refused with both texts; a build never
   replaces a person's text; every saved text is kept and can be restored (as a new version).
2. A submitted or locked report is never replaced (web, API, CLI): the supervising office returns
   it with a reason, the unit resubmits a new version, the differences are shown; changes to the
   register after submission warn the clerk and flag the report for the supervisor.
3. Submission runs the checks, refuses placeholders and errors, and asks for confirmation.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from gongkai.office.agencies.models import ChangeKind, ChangeRecord
from gongkai.office.annual.models import AnnualReport, ReportStatus, SectionVersion
from gongkai.office.annual.sections import version_numbers
from gongkai.office.annual.services import (
    BuildInput,
    ReportInput,
    RestoreInput,
    ReturnInput,
    SectionsInput,
    build_annual_report,
    lock_report,
    restore_section,
    return_report,
    save_sections,
)
from gongkai.office.applications import services as apps
from gongkai.office.errors import NotAllowed, OfficeError

from .factories import MembershipFactory
from .reporting import S5, submit, write_s5
from .test_api_scenario import call
from .test_cli import app as cli_app
from .test_cli import run, runner
from .test_ledger_report import enter_t2_and_t4

YEAR = 2025


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def register(actor, agency, number: str, received: date, reply: date | None = None):
    app = apps.register_application(
        actor, apps.RegisterInput(agency=agency, number=number, applicant_type="natural", received_on=received)
    )
    if reply is not None:
        apps.reply(actor, apps.ReplyInput(application=app, day=reply, outcome="granted"))
    return app


@pytest.fixture
def ready(staff, agency):
    register(staff, agency, "1", date(YEAR, 3, 3), date(YEAR, 3, 10))
    enter_t2_and_t4(staff, agency, YEAR)
    return agency


@pytest.fixture
def built(staff, ready) -> AnnualReport:
    report, _ = build_annual_report(staff, BuildInput(agency=ready, year=YEAR))
    return report


@pytest.fixture
def colleague(agency):
    return MembershipFactory(agency=agency, role="staff").user


def opened_form(c: Client, report: AnnualReport) -> dict:
    """The edit form as the page gives it: the six texts and, hidden, their versions."""
    html = c.get(f"/reports/{report.agency_id}/{report.year}/").content.decode()
    versions = dict(re.findall(r'name="(v_s\d)" value="(\d+)"', html))
    assert set(versions) == {f"v_s{i}" for i in range(1, 7)}, "the form carries each section's version"
    report.refresh_from_db()
    return dict(report.sections) | versions


def texts(report: AnnualReport) -> dict[str, str]:
    report.refresh_from_db()
    return report.sections


# ------------------------------------------------------------------ 1. narrative sections


def test_second_of_two_saves_of_one_section_is_refused_with_both_texts(staff, colleague, built):
    wang, li = client_for(staff), client_for(colleague)
    form_wang, form_li = opened_form(wang, built), opened_form(li, built)  # both open the page

    mine_wang = "王某撰写：本年度答复文书的规范性仍需提高。"
    mine_li = "李某撰写：本年度网上申请渠道仍不够便利。"
    first = wang.post(f"/reports/{built.pk}/save/", form_wang | {"s5": mine_wang}, follow=True)
    assert "已保存" in first.content.decode()

    second = li.post(f"/reports/{built.pk}/save/", form_li | {"s5": mine_li})
    assert second.status_code == 409
    html = second.content.decode()
    assert "未保存" in html and "在您编辑期间已被他人保存" in html and "已保存并重新检查" not in html
    assert mine_wang in html and mine_li in html  # the saved text and the person's own, side by side
    assert staff.username in html  # who saved it
    assert texts(built)["s5"] == mine_wang  # nothing of the refused save was written
    assert ChangeRecord.objects.filter(kind=ChangeKind.REPORT_SAVED).count() == 1

    # the merge form carries the current version: saving the merged text now succeeds
    merged = dict(re.findall(r'name="(v_s\d)" value="(\d+)"', html))
    assert merged["v_s5"] == str(version_numbers(built)["s5"])
    both = f"{mine_wang}{mine_li}"
    li.post(f"/reports/{built.pk}/save/", form_li | merged | {"s5": both})
    assert texts(built)["s5"] == both
    kept = [v.text for v in SectionVersion.objects.filter(report=built, section="s5").order_by("version")]
    assert kept[1:] == [mine_wang, both] and "【待补充】" in kept[0]


def test_saves_of_different_sections_at_once_both_stand(staff, colleague, built):
    wang, li = client_for(staff), client_for(colleague)
    form_wang, form_li = opened_form(wang, built), opened_form(li, built)
    wang.post(f"/reports/{built.pk}/save/", form_wang | {"s5": S5})
    r = li.post(f"/reports/{built.pk}/save/", form_li | {"s1": "本机关全年收到申请1件。"})
    assert r.status_code == 302  # 李 did not touch 五: 王's text stays
    assert texts(built)["s5"] == S5 and texts(built)["s1"] == "本机关全年收到申请1件。"


def test_a_save_without_versions_never_overwrites(staff, built):
    write_s5(staff, built)
    with pytest.raises(OfficeError, match="在您编辑期间已被他人保存"):
        save_sections(staff, SectionsInput(report=built, sections={"s5": "另一段文字"}))
    assert texts(built)["s5"] == S5


def test_rebuild_keeps_written_text_and_offers_the_generated_beside_it(staff, built):
    c = client_for(staff)
    s1 = "本机关全年收到政府信息公开申请1件，已全部办结。"
    c.post(f"/reports/{built.pk}/save/", opened_form(c, built) | {"s1": s1, "s5": S5})
    register(staff, built.agency, "2", date(YEAR, 6, 1), date(YEAR, 6, 5))  # the register changes

    html = c.post(f"/reports/{built.agency_id}/{YEAR}/build/", follow=True).content.decode()
    built.refresh_from_db()
    assert built.cells["t3.new.total"] == 2  # the tables follow the register
    assert (built.sections["s1"], built.sections["s5"]) == (s1, S5)  # the people's text stays
    assert "本年新收政府信息公开申请2件" in built.sections["s3"]  # text nobody wrote follows the build
    assert "保留了人工撰写的文本" in html
    assert "按台账新生成的文本" in html and "本机关共收到政府信息公开申请2件" in html  # offered, not applied
    assert any(i["code"] == "narrative-mismatch" and i.get("place") == "s1" for i in built.issues)

    # the CLI's build keeps it too
    r = run("report", "build", "--agency", built.agency.name, "--year", YEAR)
    assert "“一、总体情况”、“五、存在的主要问题及改进情况”保留了人工撰写的文本" in r.output
    assert (texts(built)["s1"], texts(built)["s5"]) == (s1, S5)

    # adopting the generated text is a new version; later builds then keep it current
    current = version_numbers(built)["s1"]
    c.post(f"/reports/{built.pk}/sections/s1/adopt/", {"current": current})
    assert "本机关共收到政府信息公开申请2件" in texts(built)["s1"]
    assert version_numbers(built)["s1"] == current + 1


def test_every_version_is_kept_and_restoring_is_a_new_version(staff, built):
    c = client_for(staff)
    for text in ("第一稿。", "第二稿。", "第三稿。"):
        c.post(f"/reports/{built.pk}/save/", opened_form(c, built) | {"s5": text})
    html = c.get(f"/reports/{built.pk}/sections/s5/").content.decode()
    for text in ("【待补充】", "第一稿。", "第二稿。", "第三稿。"):
        assert text in html
    assert "第4稿（当前）" in html and "恢复此稿" in html

    c.post(f"/reports/{built.pk}/sections/s5/restore/", {"version": 2, "current": 4})
    assert texts(built)["s5"] == "第一稿。"
    newest = SectionVersion.objects.filter(report=built, section="s5").order_by("-version").first()
    assert (newest.version, newest.note) == (5, "恢复第2稿")
    assert SectionVersion.objects.filter(report=built, section="s5").count() == 5

    # a restore from a stale page is refused; history rows cannot be changed or deleted
    with pytest.raises(OfficeError, match="已有更新的保存"):
        restore_section(staff, RestoreInput(report=built, section="s5", version=3, current=4))
    with pytest.raises(OfficeError, match="只能追加"):
        SectionVersion.objects.filter(report=built).update(text="")
    with pytest.raises(OfficeError, match="只能追加"):
        newest.delete()


def test_api_save_of_a_stale_version_is_409_with_both_texts(client, staff, built):
    from gongkai.office.api.tokens import issue_token

    key = issue_token(staff, "测试")
    headers = {"Authorization": f"Bearer {key}"}
    sections = call(client, "get", f"/api/reports/{built.pk}/sections/", key).json()
    s5 = next(s for s in sections if s["section"] == "s5")
    url = f"/api/reports/{built.pk}/sections/s5/"
    ok = client.put(
        url, {"text": "甲的文字", "version": s5["version"]}, content_type="application/json", headers=headers
    )
    assert ok.status_code == 200 and ok.json()["version"] == s5["version"] + 1
    stale = client.put(
        url, {"text": "乙的文字", "version": s5["version"]}, content_type="application/json", headers=headers
    )
    assert stale.status_code == 409
    body = stale.json()
    assert (body["saved"], body["mine"], body["version"]) == ("甲的文字", "乙的文字", s5["version"] + 1)
    history = call(client, "get", f"/api/reports/{built.pk}/sections/s5/history/", key).json()
    assert [h["text"] for h in history][:2] == [
        "甲的文字",
        "【待补充】请填写本年度政府信息公开工作存在的主要问题及改进情况。",
    ]


# ------------------------------------------------------------------ 2. submitted and locked reports


def test_locked_report_cannot_be_replaced_through_web_api_or_cli(client, staff, head, supervisor, built):
    from gongkai.office.api.tokens import issue_token

    submit(staff, built)
    lock_report(head, ReportInput(built))

    html = client_for(staff).post(f"/reports/{built.agency_id}/{YEAR}/build/", follow=True).content.decode()
    assert "不能重新生成，也不能另存为新草稿" in html
    body = {"agency": built.agency_id, "year": YEAR, "new_draft": True}
    r = call(client, "post", "/api/reports/build/", issue_token(staff, "测试"), body)
    assert r.status_code == 422 and "请上级机关退回修改" in r.json()["detail"]
    r = run("report", "build", "--agency", built.agency.name, "--year", YEAR, "--new-draft")
    assert r.exit_code == 2 and "请上级机关退回修改" in r.output
    assert list(AnnualReport.objects.filter(agency=built.agency, year=YEAR)) == [built]

    # the supervisor's list says 已锁定 and its link opens that very version
    overview = client_for(supervisor).get(f"/supervise/?year={YEAR}").content.decode()
    assert "已锁定" in overview and f"/reports/{built.agency_id}/{YEAR}/v1/" in overview


def test_return_and_resubmit_shows_the_differences(staff, head, supervisor, built):
    submit(staff, built)
    lock_report(head, ReportInput(built))
    with pytest.raises(NotAllowed):  # only the supervising office returns a report
        return_report(head, ReturnInput(report=built, reason="自行退回"))
    boss = client_for(supervisor)
    boss.post(f"/reports/{built.pk}/return/", {"reason": ""})
    assert not built.returns.exists()
    page = boss.post(f"/reports/{built.pk}/return/", {"reason": "第五部分过于简略，请补充整改措施"}, follow=True)
    assert "已将第1版退回修改" in page.content.decode()
    (returned,) = ChangeRecord.objects.filter(kind=ChangeKind.REPORT_RETURNED)
    assert returned.actor == supervisor and returned.data["reason"] == "第五部分过于简略，请补充整改措施"

    # the clerk starts version 2: the tables from the register, the text carried over
    register(staff, built.agency, "2", date(YEAR, 6, 1), date(YEAR, 6, 5))
    c = client_for(staff)
    c.post(f"/reports/{built.agency_id}/{YEAR}/build/")
    v2 = AnnualReport.objects.latest_for(built.agency, YEAR)
    assert (v2.version, v2.status, v2.sections["s5"]) == (2, ReportStatus.DRAFT, S5)
    better = S5 + "已于12月组织全员培训。"
    c.post(f"/reports/{v2.pk}/save/", opened_form(c, v2) | {"s5": better})

    confirm = c.get(f"/reports/{v2.pk}/submit/").content.decode()
    assert "与第1版相比的变化" in confirm and "确认报送" in confirm
    assert 'data-cell="t3.new.total"' in confirm and "<ins>已于12月组织全员培训。</ins>" in confirm
    c.post(f"/reports/{v2.pk}/submit/", {"confirm": "yes"})
    v2.refresh_from_db()
    assert v2.status == ReportStatus.SUBMITTED

    # version 1 is unchanged and reachable; the supervisor sees version 2 with what changed
    v1 = AnnualReport.objects.get(pk=built.pk)
    assert (v1.status, v1.cells["t3.new.total"]) == (ReportStatus.LOCKED, 1)
    assert "第1版" in boss.get(f"/reports/{built.agency_id}/{YEAR}/v1/").content.decode()
    html = boss.get(f"/reports/{built.agency_id}/{YEAR}/").content.decode()
    assert "第2版" in html and "与第1版相比的变化" in html and "已于12月组织全员培训。" in html
    overview = boss.get(f"/supervise/?year={YEAR}").content.decode()
    assert f"/reports/{built.agency_id}/{YEAR}/v2/" in overview and "已报送" in overview


def test_adding_an_application_to_a_submitted_year_warns_and_flags_it(staff, supervisor, built):
    submit(staff, built)
    c = client_for(staff)
    form = {
        "agency": built.agency_id,
        "number": "补登-1",
        "applicant_name": "张三",
        "applicant_type": "natural",
        "channel": "in_person",
        "received_on": f"{YEAR}-11-20",
        "content": "某路段改造批复",
    }
    html = c.post("/applications/new/", form, follow=True).content.decode()
    assert "已登记申请 补登-1" in html
    assert f"计入{YEAR}年度报告，该报告已报送（第1版）" in html

    overview = client_for(supervisor).get(f"/supervise/?year={YEAR}").content.decode()
    assert "报送后台账有变动" in overview and "补登-1" in overview
    page = client_for(supervisor).get(f"/reports/{built.agency_id}/{YEAR}/").content.decode()
    assert "报送后台账有变动" in page


def test_answering_within_the_year_warns_and_a_later_answer_does_not(staff, supervisor, ready):
    late = register(staff, ready, "年底-1", date(YEAR, 12, 20))  # open at the year's end: carried over
    later = register(staff, ready, "年底-2", date(YEAR, 12, 22))
    report, _ = build_annual_report(staff, BuildInput(agency=ready, year=YEAR))
    submit(staff, report)
    c = client_for(staff)
    register(staff, ready, "2026-1", date(YEAR + 1, 1, 6))  # another year's application
    html = c.post(f"/applications/{later.pk}/reply/", {"day": f"{YEAR + 1}-01-08", "outcome": "granted"}, follow=True)
    assert f"计入{YEAR}年度报告" not in html.content.decode()  # answered in the next year: 2025 stands
    overview = client_for(supervisor).get(f"/supervise/?year={YEAR}").content.decode()
    assert "报送后台账有变动" not in overview

    html = c.post(f"/applications/{late.pk}/reply/", {"day": f"{YEAR}-12-30", "outcome": "granted"}, follow=True)
    assert f"申请 年底-1 计入{YEAR}年度报告，该报告已报送（第1版）" in html.content.decode()
    overview = client_for(supervisor).get(f"/supervise/?year={YEAR}").content.decode()
    assert "报送后台账有变动" in overview and "年底-1" in overview and "年底-2" not in overview


def test_api_submit_return_and_versions(client, staff, supervisor, built):
    from gongkai.office.api.tokens import issue_token

    key, boss = issue_token(staff, "测试"), issue_token(supervisor, "测试")
    write_s5(staff, built)
    r = call(client, "post", f"/api/reports/{built.pk}/submit/", key, {"confirm": False})
    assert r.status_code == 422 and "请确认后再报送" in r.json()["detail"]
    r = call(client, "post", f"/api/reports/{built.pk}/submit/", key, {"confirm": True})
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    r = call(client, "post", f"/api/reports/{built.pk}/return/", key, {"reason": "自己退回"})
    assert r.status_code == 403
    r = call(client, "post", f"/api/reports/{built.pk}/return/", boss, {"reason": "请补充整改措施"})
    assert r.status_code == 200 and r.json()["returned"] and r.json()["return_reason"] == "请补充整改措施"
    built_again = call(client, "post", "/api/reports/build/", key, {"agency": built.agency_id, "year": YEAR})
    assert built_again.status_code == 201 and built_again.json()["id"] != built.pk
    versions = call(client, "get", f"/api/reports/{built.pk}/versions/", key).json()
    assert [(v["version"], v["status"], v["returned"]) for v in versions] == [
        (1, "submitted", True),
        (2, "draft", False),
    ]
    changes = call(client, "get", f"/api/reports/{built_again.json()['id']}/changes/", key).json()
    assert changes["base"]["version"] == 1 and changes["cells"] == [] and changes["sections"] == []


# ------------------------------------------------------------------ 3. submission checks


def test_placeholder_is_refused_with_a_list_of_what_to_fix(client, staff, built):
    from gongkai.office.api.tokens import issue_token

    c = client_for(staff)
    page = c.get(f"/reports/{built.pk}/submit/").content.decode()
    assert "需要修正，修正后才能报送" in page and "确认报送" not in page
    assert "“五、存在的主要问题及改进情况”仍有占位文字“【待补充】”" in page
    html = c.post(f"/reports/{built.pk}/submit/", {"confirm": "yes"}, follow=True).content.decode()
    assert "修正后才能报送" in html
    r = call(client, "post", f"/api/reports/{built.pk}/submit/", issue_token(staff, "测试"), {"confirm": True})
    assert r.status_code == 422 and any("【待补充】" in p for p in r.json()["problems"])
    r = run("report", "submit", "--agency", built.agency.name, "--year", YEAR, "--yes")
    assert r.exit_code == 2 and "【待补充】" in r.output
    built.refresh_from_db()
    assert built.status == ReportStatus.DRAFT

    c.post(f"/reports/{built.pk}/save/", opened_form(c, built) | {"s5": S5, "s6": ""})
    assert "“六、其他需要报告的事项”为空" in c.get(f"/reports/{built.pk}/submit/").content.decode()


def test_errors_are_refused(staff, agency):
    report, _ = build_annual_report(staff, BuildInput(agency=agency, year=YEAR))  # no table 二 entered
    write_s5(staff, report)
    page = client_for(staff).get(f"/reports/{report.pk}/submit/").content.decode()
    assert "报告中没有找到表格" in page and "确认报送" not in page


def test_submission_asks_for_confirmation(staff, built):
    write_s5(staff, built)
    c = client_for(staff)
    report_page = c.get(f"/reports/{built.agency_id}/{YEAR}/").content.decode()
    assert f'action="/reports/{built.pk}/submit/"' in report_page  # 提交上级 opens the confirmation
    page = c.post(f"/reports/{built.pk}/submit/").content.decode()  # not confirmed: the step again
    assert "检查通过，请确认报送" in page and 'name="confirm" value="yes"' in page
    built.refresh_from_db()
    assert built.status == ReportStatus.DRAFT

    args = ["report", "submit", "--agency", built.agency.name, "--year", str(YEAR)]
    r = runner.invoke(cli_app, args, input="n\n")
    assert "确认报送？" in r.output and "未报送" in r.output
    built.refresh_from_db()
    assert built.status == ReportStatus.DRAFT
    r = run("report", "submit", "--agency", built.agency.name, "--year", YEAR, "--yes")
    assert r.exit_code == 0, r.output
    assert f"已报送{built.agency.name}{YEAR}年度报告第1版" in r.output
    built.refresh_from_db()
    assert built.status == ReportStatus.SUBMITTED
