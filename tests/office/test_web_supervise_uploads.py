"""Issue 13, item 14: a supervisor's uploads — a report of another unit or year is flagged and
saved only once confirmed; an upload without tables is refused and not counted; uploads can be
deleted (and the deletion is in the change log); the aggregate sums tables 二, 三 and 四 and
exports them to Excel."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.office.agencies.models import ChangeKind, ChangeRecord
from gongkai.office.annual.models import AnnualReport
from gongkai.office.web.models import PublishedReport
from gongkai.office.web.services import same_unit, unit_name_key
from gongkai.office.web.supervision import covered_reports, sum_report
from gongkai.render.layout import tables
from gongkai.render.xlsx import TABLE_TOP

from . import test_web_supervise as base
from .factories import AgencyFactory, MembershipFactory

county = base.county  # the fixture: department A submitted 2025, department B has not
client_for = base.client_for
SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
XIANNING = sorted(SEEDS.glob("*.txt"))[0]  # 咸宁市司法局, 2020, with tables
NO_TABLES = sorted(SEEDS.glob("*.txt"))[2]  # 正宁县司法局, 2020: the text, no table read


def post(c, unit, path: Path = XIANNING, **extra):
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")
    return c.post("/supervise/upload/", {"agency": unit.pk, "files": upload, **extra}, follow=True)


def test_unit_names_compare_without_government_suffixes():
    assert unit_name_key("淮安市洪泽区人民政府办公室") == "淮安市洪泽区"
    assert same_unit("淮安市洪泽区人民政府办公室", "淮安市洪泽区人民政府")
    assert same_unit("洪泽区人民政府", "淮安市洪泽区人民政府")
    assert same_unit("交通运输局", "某县交通运输局")
    assert not same_unit("淮安市洪泽区人民政府", "淮安市洪泽区交通运输局")
    assert not same_unit("咸宁市司法局", "某县自然资源局")


def test_report_of_another_unit_is_flagged_and_saved_only_when_confirmed(supervisor, county):
    c = client_for(supervisor)
    unit = county["missing"]
    html = post(c, unit, year=2020).content.decode()
    assert "请核对" in html and "尚未保存" in html
    assert "报告中的单位是“咸宁市司法局”，不是所选的“某县自然资源局”" in html
    assert "已读取并保存" not in html
    assert not PublishedReport.objects.exists()
    confirmed = c.post("/supervise/upload/", {"action": "confirm"}, follow=True).content.decode()
    assert "已核对确认并保存" in confirmed
    stored = PublishedReport.objects.get()
    assert stored.agency == unit and stored.year == 2020
    assert stored.issues[0]["code"] == "upload-mismatch" and "咸宁市司法局" in stored.issues[0]["message"]
    record = ChangeRecord.objects.get(kind=ChangeKind.REPORT_UPLOADED)
    assert record.data["confirmed_mismatches"] and record.data["read_agency"] == "咸宁市司法局"
    # the confirmation is spent: a second one saves nothing
    c.post("/supervise/upload/", {"action": "confirm"}, follow=True)
    assert PublishedReport.objects.count() == 1


def test_report_of_another_year_is_flagged_and_can_be_dropped(supervisor, agency, county):
    unit = AgencyFactory(name="咸宁市司法局", parent=agency.parent)
    c = client_for(supervisor)
    html = post(c, unit, year=2021).content.decode()
    assert "报告是2020年度的，不是所选的2021年度" in html
    assert "报告中的单位" not in html  # the unit is right
    assert not PublishedReport.objects.exists()
    html = c.post("/supervise/upload/", {"action": "cancel"}, follow=True).content.decode()
    assert "已放弃保存" in html
    assert not PublishedReport.objects.exists()
    assert c.post("/supervise/upload/", {"action": "confirm"}, follow=True).status_code == 200
    assert not PublishedReport.objects.exists()


def test_upload_without_tables_is_refused_and_not_counted(supervisor, agency, county):
    unit = AgencyFactory(name="正宁县司法局", parent=agency.parent)
    c = client_for(supervisor)
    html = post(c, unit, NO_TABLES, year=2020).content.decode()
    assert "没有从" in html and "读出任何统计表" in html and "未保存" in html
    assert "已读取并保存" not in html
    assert not PublishedReport.objects.exists()
    assert NO_TABLES.name not in c.get("/supervise/?year=2020").content.decode()


def test_upload_can_be_deleted_and_the_deletion_is_recorded(supervisor, agency, county, staff):
    unit = AgencyFactory(name="咸宁市司法局", parent=agency.parent)
    c = client_for(supervisor)
    post(c, unit, year=2020)
    stored = PublishedReport.objects.get()
    assert f"/supervise/upload/{stored.pk}/delete/" in c.get("/supervise/upload/").content.decode()
    assert client_for(staff).post(f"/supervise/upload/{stored.pk}/delete/").status_code == 403
    elsewhere = MembershipFactory(agency=AgencyFactory(name="邻县人民政府"), role="supervisor").user
    AgencyFactory(name="邻县某局", parent=Agency_of(elsewhere))
    assert client_for(elsewhere).post(f"/supervise/upload/{stored.pk}/delete/").status_code == 404
    assert c.get(f"/supervise/upload/{stored.pk}/delete/").status_code == 405
    html = c.post(f"/supervise/upload/{stored.pk}/delete/", follow=True).content.decode()
    assert "已删除上传的报告" in html
    assert not PublishedReport.objects.exists()
    record = ChangeRecord.objects.get(kind=ChangeKind.REPORT_UPLOAD_DELETED)
    assert record.actor == supervisor and record.agency == unit and record.subject == XIANNING.name
    assert record.data["year"] == 2020


def Agency_of(user):
    return user.memberships.get().agency


@pytest.fixture
def two_units(county):
    """Department A's submitted 2025 report and, for department B, an uploaded one with the same figures."""
    done = AnnualReport.objects.get(agency=county["done"], year=2025)
    PublishedReport.objects.create(
        agency=county["missing"], year=2025, format=done.format, filename="b.pdf", cells=dict(done.cells)
    )
    return done


def test_aggregate_covers_tables_2_3_4(supervisor, county, two_units):
    html = client_for(supervisor).get("/supervise/aggregate/2025/").content.decode()
    assert "计入 2 个单位" in html and "上传的已公开报告" in html and "报送的年度报告" in html
    for key in ("t2", "t3", "t4"):
        assert f'class="{key}"' in html
    for cid in ("t2.normative.made", "t3.new.total", "t4.review.upheld"):
        value = two_units.cells.get(cid)
        assert value, cid
        assert f'data-cell="{cid}">{2 * value}<' in html


def test_aggregate_exports_to_excel(supervisor, county, two_units):
    response = client_for(supervisor).get("/supervise/aggregate/2025/export/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert {"汇总范围", "表二", "表三", "表四", "表三分单位"} <= set(book.sheetnames)
    covered = covered_reports([county["done"], county["missing"]], 2025)
    sums = sum_report(covered, 2025)
    checked = 0
    for layout in tables(sums):
        sheet = book[f"表{layout.title.partition('、')[0]}"]
        for cell in layout.cells:
            if cell.cell_id:
                expected = sums.cells[cell.cell_id]
                expected = float(expected) if expected is not None else None
                got = sheet.cell(TABLE_TOP + cell.row + 1, cell.col + 1).value
                assert got == expected, cell.cell_id
                checked += 1
    assert checked > 100
    assert sums.cells["t3.new.total"] == 2 * two_units.cells["t3.new.total"]
    texts = [c.value for row in book["汇总范围"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "某县交通运输局" in texts and "某县自然资源局" in texts
