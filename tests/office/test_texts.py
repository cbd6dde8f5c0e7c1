"""Issue 13, item 15: what a person reads is Chinese — severities in exports, the API's
validation errors — no doubled characters, and sane length limits on what people type."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from gongkai.office.applications import services
from gongkai.office.applications.limits import APPLICANT_MAX, CONTENT_MAX, DETAILS_MAX, check_length
from gongkai.office.errors import OfficeError
from gongkai.render import xlsx
from gongkai.report import Issue, Report

from . import test_api_scenario as scenario
from .correcting import Browser, register
from .test_api_scenario import call, register_body

world = scenario.world
SRC = Path(__file__).resolve().parents[2] / "src" / "gongkai"
ASCII_LETTERS = re.compile("[A-Za-z]")


def test_xlsx_export_severities_are_chinese():
    report = Report.empty("gb2021", year=2025, agency="某县交通运输局")
    report.issues = [
        Issue("t3-sum", "error", "t3", "表三合计不等"),
        Issue("blank", "warning", "s5", "第五部分为空"),
        Issue("note", "info", "", "说明"),
    ]
    book = openpyxl.load_workbook(BytesIO(xlsx.render(report)))
    sheet = book[xlsx.ISSUES_SHEET]
    header = [c.value for c in sheet[1]]
    levels = [row[header.index("级别")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert levels == ["错误", "警告", "提示"]
    assert not any(ASCII_LETTERS.search(v) for v in levels)


def test_api_validation_errors_are_chinese(client, world):
    key = world.keys["staff_a"]
    url = f"/api/applications/{world.app_a.pk}/events/"
    missing = call(client, "post", url, key, {"kind": "consultation_started"}).json()["detail"]
    assert missing.startswith("请求数据有误") and "必须填写" in missing and "Field required" not in missing
    malformed = call(client, "post", url, key, {"kind": "consultation_started", "day": "not a date"}).json()["detail"]
    assert "应为日期" in malformed and "Input should" not in malformed
    long_name = register_body(world.a) | {"applicant_name": "张" * (APPLICANT_MAX + 1)}
    r = call(client, "post", "/api/applications/", key, long_name)
    assert r.status_code == 422 and f"不能超过 {APPLICANT_MAX} 个字" in r.json()["detail"]
    assert "申请人" in r.json()["detail"] and "String should" not in r.json()["detail"]
    # outside the field names (JSON keys), the message has no English words
    prose = re.sub(r"（[a-z_]+）|“[a-z_]+”", "", missing + malformed + r.json()["detail"])
    assert not ASCII_LETTERS.search(prose.replace("YYYY", "")), prose


def test_length_limits_in_the_services(staff, agency):
    with pytest.raises(OfficeError, match=f"申请内容不能超过{CONTENT_MAX}字"):
        register(staff, agency, content="字" * (CONTENT_MAX + 1))
    with pytest.raises(OfficeError, match=f"申请人不能超过{APPLICANT_MAX}字"):
        register(staff, agency, applicant_name="名" * (APPLICANT_MAX + 1))
    app = register(staff, agency, applicant_name="王某", content="字" * CONTENT_MAX)  # at the limit: fine
    edit = services.EditInput(application=app, reason="补充", content="字" * (CONTENT_MAX + 1))
    with pytest.raises(OfficeError, match="申请内容不能超过"):
        services.edit_application(staff, edit)
    with pytest.raises(OfficeError, match=f"不能超过{DETAILS_MAX}字"):
        check_length("字" * (DETAILS_MAX + 1), DETAILS_MAX, "补充说明")


@pytest.mark.usefixtures("today")
def test_length_limits_in_the_web_form(staff, agency):
    body = {
        "agency": agency.pk,
        "number": "2025-009",
        "applicant_name": "王某",
        "applicant_type": "natural",
        "channel": "in_person",
        "received_on": "2025-03-03",
        "content": "字" * (CONTENT_MAX + 1),
    }
    html = Browser(staff).post("/applications/new/", body, follow=True).content.decode()
    assert "申请内容" in html and f"不超过 {CONTENT_MAX} 字符" in html
    assert not agency.applications.exists()


def test_no_doubled_characters_in_sources():
    doubled = [
        f"{p.relative_to(SRC)}:{n}"
        for p in [*SRC.rglob("*.py"), *SRC.rglob("*.html")]
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "已已" in line
    ]
    assert doubled == []
