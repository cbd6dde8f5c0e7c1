"""The applications list: search, filters, pages, the Excel export of the selection, the print view."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongkai.office.applications import services
from gongkai.office.applications.models import Application

from .factories import AgencyFactory, MembershipFactory


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def register(user, agency, number, *, name="王某", content="立项批复", channel="in_person", received=date(2025, 3, 3)):
    return services.register_application(
        user,
        services.RegisterInput(
            agency=agency,
            number=number,
            applicant_type="natural",
            received_on=received,
            channel=channel,
            applicant_name=name,
            content=content,
        ),
    )


@pytest.fixture
def apps(staff, agency):
    return {
        "a": register(staff, agency, "JT-2024-007", name="李某", content="公交线路调整方案", received=date(2024, 6, 3)),
        "b": register(staff, agency, "JT-2025-001", name="王某", content="某路段改扩建工程的立项批复"),
        "c": register(staff, agency, "JT-2025-002", name='=HYPERLINK("http://x")', channel="online"),
    }


def numbers(html: str) -> set[str]:
    return {n for n in ("JT-2024-007", "JT-2025-001", "JT-2025-002") if n in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"JT-2024-007", "JT-2025-001", "JT-2025-002"}),
        ({"q": "2025-001"}, {"JT-2025-001"}),  # number
        ({"q": "李某"}, {"JT-2024-007"}),  # applicant
        ({"q": "改扩建 立项"}, {"JT-2025-001"}),  # content, every word
        ({"q": "没有这样的申请"}, set()),
        ({"year": "2024"}, {"JT-2024-007"}),
        ({"channel": "online"}, {"JT-2025-002"}),
        ({"state": "open", "year": "2025"}, {"JT-2025-001", "JT-2025-002"}),
        ({"state": "replied"}, set()),
    ],
)
def test_search_and_filters(staff, apps, query, expected):
    html = client_for(staff).get("/applications/", query).content.decode()
    assert numbers(html) == expected


def test_outcome_filter(staff, apps):
    services.reply(staff, services.ReplyInput(application=apps["b"], day=date(2025, 3, 20), outcome="granted"))
    html = client_for(staff).get("/applications/", {"outcome": "granted"}).content.decode()
    assert numbers(html) == {"JT-2025-001"}


def test_pagination_keeps_the_query(staff, agency):
    for n in range(55):
        register(staff, agency, f"P-{n:03d}", content="规划许可")
    c = client_for(staff)
    first = c.get("/applications/", {"q": "规划"})
    assert first.context["page"].paginator.num_pages == 2
    html = first.content.decode()
    assert "第 1 / 2 页（共 55 条）" in html and "q=%E8%A7%84%E5%88%92&page=2" in html
    assert len(c.get("/applications/", {"q": "规划", "page": "2"}).context["page"].object_list) == 5


def test_export_is_the_filtered_list_as_text(staff, apps):
    response = client_for(staff).get("/applications/export/", {"year": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("申请编号", "机关", "申请人")
    assert {r[0] for r in rows[1:]} == {"JT-2025-001", "JT-2025-002"}
    formula_row = next(r for r in rows[1:] if r[0] == "JT-2025-002")
    assert formula_row[2] == '=HYPERLINK("http://x")'  # a string cell, not a formula
    cell = next(c for c in sheet["C"] if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"
    assert "办理中" in formula_row and "互联网" in "".join(str(v) for v in formula_row)


def test_export_and_list_show_only_own_agency(apps, db):
    stranger_agency = AgencyFactory(name="外县交通运输局")
    stranger = MembershipFactory(agency=stranger_agency, role="head").user
    register(stranger, stranger_agency, "WX-1")
    c = client_for(stranger)
    assert numbers(c.get("/applications/").content.decode()) == set()
    sheet = load_workbook(io.BytesIO(c.get("/applications/export/").content)).active
    assert [r[0] for r in sheet.iter_rows(values_only=True)][1:] == ["WX-1"]


def test_print_view_has_the_timeline(staff, head, apps):
    app = apps["b"]
    services.record_event(
        staff,
        services.EventInput(application=app, kind="correction_requested", day=date(2025, 3, 5), days=10),
    )
    services.reply(staff, services.ReplyInput(application=app, day=date(2025, 3, 20), outcome="granted"))
    response = client_for(head).get(f"/applications/{app.pk}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "政府信息公开申请办理记录" in html and "某路段改扩建工程的立项批复" in html
    kinds = [t["event"].get_kind_display() for t in response.context["timeline"]]
    assert kinds.index("告知补正") < kinds.index("作出答复")
    assert staff.username in html and "2025-03-05" in html and "<nav" not in html
    assert f"/applications/{app.pk}/print/" in client_for(staff).get(f"/applications/{app.pk}/").content.decode()


def test_print_view_of_another_agency_is_404(apps, other_staff):
    assert client_for(other_staff).get(f"/applications/{apps['a'].pk}/print/").status_code == 404


def test_anonymous_export_goes_to_login(apps):
    response = Client().get("/applications/export/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Application.objects.count() == 3
