"""The supervising office: submissions by unit, uploads of published reports, the aggregate; the demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import typer
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import Client
from typer.testing import CliRunner

from gongkai.cli_office import register as register_cli
from gongkai.office import demo
from gongkai.office.agencies.models import Agency
from gongkai.office.annual.models import AnnualReport
from gongkai.office.annual.services import BuildInput, build_annual_report
from gongkai.office.applications import services
from gongkai.office.applications.models import Application
from gongkai.office.web.models import PublishedReport

from ..test_ingest_scan import SCANS, needs_ocr
from ..test_roundtrip import generated
from .factories import AgencyFactory, MembershipFactory
from .reporting import submit
from .test_ledger_report import enter_t2_and_t4

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def county(staff, agency):
    """Department A submitted its 2025 report; department B has not."""
    app = services.register_application(
        staff,
        services.RegisterInput(agency=agency, number="1", applicant_type="natural", received_on=date(2025, 3, 3)),
    )
    services.reply(staff, services.ReplyInput(application=app, day=date(2025, 3, 10), outcome="granted"))
    enter_t2_and_t4(staff, agency, 2025)
    report, _ = build_annual_report(staff, BuildInput(agency=agency, year=2025))
    submit(staff, report)
    return {"done": agency, "missing": AgencyFactory(name="某县自然资源局", parent=agency.parent)}


def test_supervise_shows_who_submitted(supervisor, county):
    html = client_for(supervisor).get("/supervise/?year=2025").content.decode()
    assert "状态" in html and "某县交通运输局" in html and "某县自然资源局" in html
    assert "已报送" in html and "未报送" in html
    assert "已报送 1 个" in html


def test_aggregate_sums_submitted_reports(supervisor, county):
    html = client_for(supervisor).get("/supervise/aggregate/2025/").content.decode()
    assert 'data-row="granted"' in html and "予以公开" in html
    assert "未报送也未上传：某县自然资源局" in html


def test_supervise_is_for_supervisors(staff, county):
    c = client_for(staff)
    for url in ("/supervise/", "/supervise/upload/", "/supervise/aggregate/2025/"):
        assert c.get(url).status_code == 403


def test_upload_seed_report_shows_its_issues(supervisor, county, agency):
    seed = sorted(SEEDS.glob("*.txt"))[0]  # 咸宁市司法局's 2020 report
    unit = AgencyFactory(name="咸宁市司法局", parent=agency.parent)
    c = client_for(supervisor)
    upload = SimpleUploadedFile(seed.name, seed.read_bytes(), content_type="text/plain")
    response = c.post("/supervise/upload/", {"agency": unit.pk, "year": 2020, "files": upload}, follow=True)
    assert response.status_code == 200
    stored = PublishedReport.objects.get()
    assert stored.agency == unit and stored.filename == seed.name and stored.year == 2020
    html = response.content.decode()
    assert "已读取并保存" in html and "检查结果" in html and "跨年度检查" in html
    for issue in stored.issues:
        assert issue["message"] in html
    # the extracted figures in the official layout: tables 二, 三 and 四
    assert "读出的统计数据" in html and 'class="t2"' in html and 'class="t3"' in html and 'class="t4"' in html
    assert f'data-cell="t3.new.total">{stored.cells["t3.new.total"]}<' in html
    # the stored report shows on the overview of its year
    assert seed.name in c.get("/supervise/?year=2020").content.decode()


def test_upload_of_unreadable_file_is_a_message(supervisor, county):
    c = client_for(supervisor)
    upload = SimpleUploadedFile("x.txt", "这不是年度报告".encode(), content_type="text/plain")
    html = c.post("/supervise/upload/", {"agency": county["missing"].pk, "files": upload}, follow=True).content.decode()
    assert "无法读取" in html
    assert not PublishedReport.objects.exists()


def test_upload_for_a_unit_outside_is_refused(supervisor, county):
    elsewhere = AgencyFactory(name="邻县某局")
    MembershipFactory(agency=elsewhere, role="staff")
    seed = sorted(SEEDS.glob("*.txt"))[0]
    upload = SimpleUploadedFile(seed.name, seed.read_bytes(), content_type="text/plain")
    response = client_for(supervisor).post("/supervise/upload/", {"agency": elsewhere.pk, "files": upload})
    assert response.status_code == 200  # not a choice of the form
    assert not PublishedReport.objects.exists()


def test_cross_year_on_stored_reports(supervisor, county, staff):
    unit = county["done"]
    prev = AnnualReport.objects.get(agency=unit, year=2025)
    cells = dict(prev.cells) | {"t3.carried_in.total": 7, "t3.carried_in.natural": 7}
    PublishedReport.objects.create(agency=unit, year=2026, format="gb2021", filename="2026.txt", cells=cells)
    html = client_for(supervisor).get("/supervise/?year=2026").content.decode()
    assert "两者应相等" in html


@pytest.mark.slow  # loads the whole demo county: seconds
def test_demo_loads_once(db):
    first = demo.load(2025, today=date(2026, 3, 2))
    assert first["created"] > 100
    county = Agency.objects.get(name=demo.COUNTY)
    assert county.children.count() == 3
    again = demo.load(2025, today=date(2026, 3, 2))
    assert again["created"] == 0
    assert Application.objects.count() == first["created"]
    assert Application.objects.filter(replied_on__year=2025).exclude(outcome="").count() > 100
    assert AnnualReport.objects.filter(year=2025).count() == 3
    c = Client()
    assert c.login(request=HttpRequest(), username="county", password=demo.PASSWORD)  # axes needs the request
    assert "某某县交通运输局" in c.get("/supervise/?year=2025").content.decode()


@pytest.mark.slow  # loads the whole demo county: seconds
def test_office_demo_command(transactional_db):
    app = typer.Typer()
    register_cli(app)
    result = CliRunner().invoke(app, ["office", "demo"])
    assert result.exit_code == 0, result.output
    assert "演示账号" in result.output and "jt_staff" in result.output and demo.PASSWORD in result.output


@needs_ocr
def test_upload_of_page_images_is_one_report(supervisor, county, ocr_once):
    """The three photographed pages of one report, chosen together in any order: read in the
    order of the page numbers in their names, as one report whose tables run across pages."""
    pages = {n: (SCANS / f"gb2019-{n}.jpg").read_bytes() for n in (1, 2, 3)}
    upload = [SimpleUploadedFile(f"某局2020年报-{n}.jpg", pages[n], content_type="image/jpeg") for n in (3, 1, 2)]
    c = client_for(supervisor)
    response = c.post("/supervise/upload/", {"agency": county["missing"].pk, "files": upload}, follow=True)
    assert response.status_code == 200
    assert not PublishedReport.objects.exists()  # the pages name another unit than the one chosen:
    assert "确认" in response.content.decode()  # the supervisor is asked first, and confirms
    c.post("/supervise/upload/", {"action": "confirm"}, follow=True)
    stored = PublishedReport.objects.get()
    assert stored.filename == "某局2020年报-1.jpg 等 3 页" and stored.format == "gb2019"
    flagged = {c for i in stored.issues if i["code"] == "ocr-uncertain" for c in i["cells"]}
    expected = generated("gb2019").cells
    assert set(stored.cells) == set(expected)
    wrong = {c: (stored.cells[c], v) for c, v in expected.items() if c not in flagged and stored.cells[c] != v}
    assert wrong == {}
    assert stored.cells["t3.new.total"] == expected["t3.new.total"]  # the row that runs onto page 2


def test_upload_of_several_files_must_be_page_images(supervisor, county):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    upload = [
        SimpleUploadedFile("第1页.jpg", (SCANS / "gb2019-1.jpg").read_bytes(), content_type="image/jpeg"),
        SimpleUploadedFile(seed.name, seed.read_bytes(), content_type="text/plain"),
    ]
    c = client_for(supervisor)
    html = c.post("/supervise/upload/", {"agency": county["missing"].pk, "files": upload}, follow=True).content.decode()
    assert f"无法读取 第1页.jpg、{seed.name}：文件 {seed.name}：这是文本文件，不是图片" in html
    assert not PublishedReport.objects.exists()
