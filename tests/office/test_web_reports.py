"""Annual reports through the web: build, edit, re-check, submit (read-only), lock, export."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
import pytest
from django.test import Client

from gongkai.office.annual.models import AnnualReport, ReportStatus
from gongkai.office.annual.sections import version_numbers
from gongkai.office.applications import services

from .reporting import write_s5
from .test_ledger_report import enter_t2_and_t4


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def form(report: AnnualReport, **changes: str) -> dict:
    """What the page's form posts: the six texts and the version each started from."""
    report.refresh_from_db()
    data = dict(report.sections) | changes
    return data | {f"v_{k}": v for k, v in version_numbers(report).items()}


@pytest.fixture
def ready(staff, agency):
    app = services.register_application(
        staff,
        services.RegisterInput(agency=agency, number="1", applicant_type="natural", received_on=date(2025, 3, 3)),
    )
    services.reply(staff, services.ReplyInput(application=app, day=date(2025, 3, 10), outcome="granted"))
    enter_t2_and_t4(staff, agency, 2025)
    return agency


@pytest.fixture
def built(staff, ready):
    client_for(staff).post(f"/reports/{ready.pk}/2025/build/")
    return AnnualReport.objects.get(agency=ready, year=2025)


def test_report_page_before_and_after_build(staff, ready):
    c = client_for(staff)
    html = c.get(f"/reports/{ready.pk}/2025/").content.decode()
    assert "尚未生成" in html and "生成年度报告" in html
    assert c.post(f"/reports/{ready.pk}/2025/build/").status_code == 302
    html = c.get(f"/reports/{ready.pk}/2025/").content.decode()
    for text in (
        "保存",
        "提交上级",
        "一、总体情况",
        "六、其他需要报告的事项",
        "检查结果",
        'data-cell="t3.granted.natural"',
    ):
        assert text in html
    assert "本年度办结1件" in html  # the draft text from the build service
    assert "某县交通运输局" in c.get("/reports/").content.decode()


def test_list_form_opens_the_report(staff, ready):
    response = client_for(staff).post("/reports/build/", {"agency": ready.pk, "year": 2025})
    assert response["Location"] == f"/reports/{ready.pk}/2025/"


def test_save_reruns_checks_and_highlights(staff, built):
    c = client_for(staff)
    s1 = "本年度共收到政府信息公开申请99件。"
    response = c.post(f"/reports/{built.pk}/save/", form(built, s1=s1), follow=True)
    html = response.content.decode()
    built.refresh_from_db()
    assert built.sections["s1"] == s1
    narrative = [i for i in built.issues if i["where"] == "s1" or "99" in i["message"]]
    assert narrative, built.issues
    assert "已保存并重新检查" in html and "99" in html
    c.post(f"/reports/{built.pk}/save/", form(built, s1=s1.replace("99", "1")))
    built.refresh_from_db()
    assert not [i for i in built.issues if "99" in i["message"]]


def test_highlighted_cells(staff, built):
    cells = dict(built.cells)
    cells["t3.granted.natural"] = 5  # break the table's own sum
    AnnualReport.objects.filter(pk=built.pk).update(cells=cells)
    c = client_for(staff)
    c.post(f"/reports/{built.pk}/save/", form(built))
    html = c.get(f"/reports/{built.agency_id}/2025/").content.decode()
    assert '[data-cell="t3.granted.natural"]' in html
    assert "错误" in html


def test_submit_locks_the_page(staff, head, supervisor, built):
    c = client_for(staff)
    write_s5(staff, built)
    c.post(f"/reports/{built.pk}/submit/", {"confirm": "yes"})
    built.refresh_from_db()
    assert built.status == ReportStatus.SUBMITTED and built.submitted_by == staff
    html = c.get(f"/reports/{built.agency_id}/2025/").content.decode()
    assert "只读" in html and f"/reports/{built.pk}/submit/" not in html and "<textarea" not in html
    before = dict(built.sections)
    c.post(f"/reports/{built.pk}/save/", {"s1": "改动"})
    built.refresh_from_db()
    assert built.sections == before
    assert "锁定" in client_for(head).get(f"/reports/{built.agency_id}/2025/").content.decode()
    client_for(supervisor).post(f"/reports/{built.pk}/lock/")
    built.refresh_from_db()
    assert built.status == ReportStatus.LOCKED
    audit = client_for(head).get("/audit/").content.decode()
    assert "年度报告提交" in audit and staff.username in audit


def test_submit_refused_with_errors(staff, built):
    cells = dict(built.cells) | {"t3.granted.natural": 5}
    AnnualReport.objects.filter(pk=built.pk).update(cells=cells)
    c = client_for(staff)
    c.post(f"/reports/{built.pk}/save/", form(built))
    html = c.post(f"/reports/{built.pk}/submit/", {"confirm": "yes"}, follow=True).content.decode()
    assert "修正后才能报送" in html
    built.refresh_from_db()
    assert built.status == ReportStatus.DRAFT


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("pdf", "application/pdf", b"%PDF"),
    ],
)
def test_exports(staff, built, fmt, content_type, magic):
    response = client_for(staff).get(f"/reports/{built.pk}/export/{fmt}/")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)


def test_pdf_has_chinese_text(staff, built):
    data = client_for(staff).get(f"/reports/{built.pk}/export/pdf/").content
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace("\n", "")
    assert "政府信息公开工作年度报告" in text
    assert "总体情况" in text and "予以公开" in text


def test_report_page_warns_of_characters_the_pdf_fonts_lack(staff, built):
    c = client_for(staff)
    assert "内置字体缺少" not in c.get(f"/reports/{built.agency_id}/2025/").content.decode()
    rare = "\U0002a6a5"  # 𪚥, outside the bundled fonts' GB 2312 + 通用规范汉字表 subset
    c.post(f"/reports/{built.pk}/save/", form(built, s1=f"本年度接待申请人{rare}某等3人。"))
    html = c.get(f"/reports/{built.agency_id}/2025/").content.decode()
    assert f"警告：内置字体缺少以下字符，PDF 中将显示为方框：{rare}（仅影响 PDF 导出）" in html
    assert c.get(f"/reports/{built.pk}/export/pdf/").content.startswith(b"%PDF")


def test_unknown_export_is_404(staff, built):
    assert client_for(staff).get(f"/reports/{built.pk}/export/odt/").status_code == 404
