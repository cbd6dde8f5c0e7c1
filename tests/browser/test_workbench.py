"""The workbench as a person uses it, in a real browser: a department's staff member
registers an application, replies to it, builds, exports and submits the annual report; the
county's supervisor sees the department as submitted; another department cannot peek."""

from __future__ import annotations

import re
from datetime import date

import pytest
from docx import Document

from .conftest import DEPARTMENT, OTHER_DEPARTMENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def row_of(page, text: str):
    """The table row that mentions ``text``."""
    return page.locator("tr", has_text=text).first


def test_staff_year_end_to_supervisor(new_page, office, login, live_server, tmp_path):
    from gongkai.office.annual.models import AnnualReport, ReportStatus
    from gongkai.office.applications.models import Application, State

    year = office.year
    number = f"JT-{year}-007"
    page = login(new_page(), office.staff)

    # register an application
    page.goto(f"{live_server.url}/applications/new/")
    page.get_by_label("申请编号", exact=True).fill(number)
    page.get_by_label("申请人", exact=True).fill("张三")
    page.get_by_label("申请人类型", exact=True).select_option(label="自然人")
    page.get_by_label("申请方式", exact=True).select_option(index=0)
    page.get_by_label("收到日期", exact=True).fill(f"{year}-03-03")
    page.get_by_label("申请内容", exact=True).fill("本县2024年农村公路养护资金的使用情况")
    page.get_by_role("button", name="登记申请").click()
    page.wait_for_load_state()
    application = Application.objects.get(agency=office.department, number=number)
    assert application.state == State.RUNNING

    # open it from the list and record the reply
    page.goto(f"{live_server.url}/applications/")
    page.get_by_role("link", name=number).first.click()
    page.wait_for_url(re.compile(rf"/applications/{application.pk}/$"))
    page.get_by_label("答复日期", exact=True).fill(f"{year}-03-12")
    page.get_by_label("办理结果", exact=True).select_option(label="予以公开")
    page.get_by_role("button", name="记录答复").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.state == State.REPLIED
    assert application.replied_on == date(year, 3, 12)
    assert "已答复" in page.inner_text("body")

    # build, save and export the annual report
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/reports/{office.department.pk}/{year}/")
    page.get_by_role("button", name="生成年度报告").click()
    page.wait_for_load_state()
    report = AnnualReport.objects.latest_for(office.department, year)
    assert report is not None and report.cells["t3.new.total"] == 1
    # the generated section 五 is a placeholder that submission refuses: the clerk writes it
    for area in page.locator("#sections-form textarea").all():
        if "【待补充】" in area.input_value():
            area.fill("本年度依申请公开答复的规范性仍需加强，将加强培训和审核。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    with page.expect_download() as info:
        page.locator(f"a[href$='/reports/{report.pk}/export/docx/']").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    doc = Document(str(saved))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells)
    assert DEPARTMENT in text

    # submit to the county: the checks pass, then the clerk confirms
    page.get_by_role("button", name="提交上级").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="确认报送").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    # the county's supervisor sees it
    boss = login(new_page(), office.supervisor)
    boss.goto(f"{live_server.url}/supervise/?year={year}")
    assert re.search("已提交|已报送", row_of(boss, DEPARTMENT).inner_text())
    assert not re.search("已提交|已报送", row_of(boss, OTHER_DEPARTMENT).inner_text())


def test_other_department_gets_404(new_page, office, login, live_server):
    from gongkai.office.applications import services

    application = services.register_application(
        office.staff,
        services.RegisterInput(
            agency=office.department,
            number="JT-SECRET-1",
            applicant_type="natural",
            received_on=date(office.year, 5, 6),
        ),
    )
    page = login(new_page(), office.other_staff)
    response = page.goto(f"{live_server.url}/applications/{application.pk}/")
    assert response.status == 404
    assert "JT-SECRET-1" not in page.content()
    page.goto(f"{live_server.url}/applications/")
    assert "JT-SECRET-1" not in page.content()
