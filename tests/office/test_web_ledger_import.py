"""The Excel 台账 uploaded in the browser: the service of ``gongkai import`` (all or nothing, each
problem by sheet, row and column), CSRF, a size cap, writers only."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from gongkai.office.applications.models import Application
from gongkai.office.web.views import ledger_import

HEADER = ["申请编号", "收到日期", "申请人", "申请人类型", "申请方式", "申请内容", "答复日期", "办理结果"]
GOOD = ["A1", "2025-03-03", "张三", "自然人", "当面", "某项政府信息", "2025-03-20", "予以公开"]


def xlsx(*rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("台账.xlsx", buffer.getvalue())


def client_for(user, **kw) -> Client:
    c = Client(**kw)
    c.force_login(user)
    return c


def test_good_ledger_is_imported(staff, agency):
    c = client_for(staff)
    assert "导入 Excel 台账" in c.get("/applications/import/").content.decode()
    second = ["A2", "2025-03-04", "李四", "法人或其他组织·商业企业", "信函", "另一项", "", ""]
    response = c.post("/applications/import/", {"agency": agency.pk, "ledger": xlsx(GOOD, second)}, follow=True)
    assert response.redirect_chain[-1][0] == "/applications/"
    assert "已从“台账.xlsx”导入 2 件申请" in response.content.decode()
    assert set(Application.objects.filter(agency=agency).values_list("number", flat=True)) == {"A1", "A2"}


def test_a_bad_row_imports_nothing_and_is_named(staff, agency):
    bad = ["A2", "2025-02-30", "李四", "自然人", "当面", "另一项", "", ""]
    response = client_for(staff).post("/applications/import/", {"agency": agency.pk, "ledger": xlsx(GOOD, bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "未导入任何申请" in html
    assert "工作表“台账”第3行“收到日期”列" in html
    assert not Application.objects.exists()


def test_not_a_workbook_is_refused_without_server_paths(staff, agency):
    upload = SimpleUploadedFile("台账.xlsx", b"not a zip file")
    response = client_for(staff).post("/applications/import/", {"agency": agency.pk, "ledger": upload})
    html = response.content.decode()
    assert response.status_code == 400 and "未导入" in html and "gongkai-ledger-" not in html
    assert not Application.objects.exists()


def test_size_cap_and_file_type(staff, agency, monkeypatch):
    monkeypatch.setattr(ledger_import, "MAX_LEDGER_BYTES", 100)
    response = client_for(staff).post("/applications/import/", {"agency": agency.pk, "ledger": xlsx(GOOD)})
    assert "文件过大" in response.content.decode() and not Application.objects.exists()
    csv = SimpleUploadedFile("台账.csv", "申请编号\nA1\n".encode())
    response = client_for(staff).post("/applications/import/", {"agency": agency.pk, "ledger": csv})
    assert ".xlsx" in response.content.decode() and not Application.objects.exists()


def test_csrf_is_required(staff, agency):
    c = client_for(staff, enforce_csrf_checks=True)
    assert c.post("/applications/import/", {"agency": agency.pk, "ledger": xlsx(GOOD)}).status_code == 403
    assert not Application.objects.exists()
    token = c.get("/applications/import/").context["csrf_token"]
    data = {"agency": agency.pk, "ledger": xlsx(GOOD), "csrfmiddlewaretoken": str(token)}
    assert c.post("/applications/import/", data).status_code == 302
    assert Application.objects.count() == 1


@pytest.mark.parametrize("who", ["supervisor", "outsider"])
def test_readers_cannot_import(request, who, agency):
    user = request.getfixturevalue(who)
    c = client_for(user)
    assert c.get("/applications/import/").status_code == 403
    assert c.post("/applications/import/", {"agency": agency.pk, "ledger": xlsx(GOOD)}).status_code == 403
    assert not Application.objects.exists()


def test_another_agency_cannot_be_chosen(other_staff, agency):
    response = client_for(other_staff).post("/applications/import/", {"agency": agency.pk, "ledger": xlsx(GOOD)})
    assert response.status_code == 200 and not Application.objects.exists()
    assert "选择一个有效的选项" in response.content.decode()
