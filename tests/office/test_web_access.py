"""Web access control: every page behind login; another agency's ids are 404 (never 403, so ids
cannot be probed); supervisors read but do not write; CSRF on every form."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from gongkai.office.agencies.models import Agency
from gongkai.office.annual.services import BuildInput, build_annual_report
from gongkai.office.appeals.services import AppealInput, file_appeal
from gongkai.office.applications import services

PAGES = (
    "/",
    "/applications/",
    "/applications/new/",
    "/proactive/",
    "/appeals/",
    "/fees/",
    "/reports/",
    "/supervise/",
    "/supervise/upload/",
    "/supervise/aggregate/2025/",
    "/audit/",
)


def register(user, agency, number="A-1", received=date(2025, 3, 3)):
    return services.register_application(
        user,
        services.RegisterInput(
            agency=agency,
            number=number,
            applicant_type="natural",
            received_on=received,
            applicant_name="王某",
            content="某路段改扩建工程的立项批复",
        ),
    )


@pytest.fixture
def records(staff, agency):
    """One application, appeal and report of department A."""
    app = register(staff, agency)
    appeal = file_appeal(staff, AppealInput(agency=agency, kind="review", filed_on=date(2025, 5, 6), application=app))
    report, _ = build_annual_report(staff, BuildInput(agency=agency, year=2025))
    return {"app": app, "appeal": appeal, "report": report, "agency": agency}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def object_urls(r) -> list[tuple[str, str]]:
    """(method, url) of every endpoint that takes one of department A's ids."""
    a, p, rep, ag = r["app"].pk, r["appeal"].pk, r["report"].pk, r["agency"].pk
    return [
        ("get", f"/applications/{a}/"),
        ("get", f"/applications/{a}/letter/"),
        ("get", f"/applications/{a}/notice/correction/"),
        ("post", f"/applications/{a}/notice/fee/"),
        ("post", f"/applications/{a}/event/"),
        ("post", f"/applications/{a}/reply/"),
        ("post", f"/proactive/{ag}/documents/"),
        ("post", f"/proactive/{ag}/article20/"),
        ("post", f"/appeals/{p}/decide/"),
        ("get", f"/reports/{ag}/2025/"),
        ("post", f"/reports/{ag}/2025/build/"),
        ("post", f"/reports/{rep}/save/"),
        ("post", f"/reports/{rep}/submit/"),
        ("post", f"/reports/{rep}/lock/"),
        ("get", f"/reports/{rep}/export/docx/"),
        ("get", f"/reports/{ag}/2025/v1/"),
        ("get", f"/reports/{rep}/submit/"),
        ("get", f"/reports/{rep}/sections/s5/"),
        ("post", f"/reports/{rep}/sections/s5/restore/"),
        ("post", f"/reports/{rep}/sections/s5/adopt/"),
        ("post", f"/reports/{rep}/return/"),
    ]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(db, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_posts_are_sent_to_login(records):
    for method, url in object_urls(records):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_other_department_gets_404_for_every_id(records, other_staff):
    c = client_for(other_staff)
    for method, url in object_urls(records):
        assert getattr(c, method)(url).status_code == 404, url


def test_unknown_id_is_the_same_404(records, staff):
    c = client_for(staff)
    assert c.get("/applications/999999/").status_code == 404
    assert c.get(f"/applications/{records['app'].pk}/").status_code == 200


def test_other_department_does_not_see_lists(records, other_staff):
    c = client_for(other_staff)
    assert records["app"].number not in c.get("/applications/").content.decode()
    assert "某县交通运输局" not in c.get("/reports/").content.decode()
    assert "某县交通运输局" not in c.get("/appeals/").content.decode()


def test_supervisor_reads_but_cannot_write(records, supervisor):
    c = client_for(supervisor)
    app, rep, ag = records["app"], records["report"], records["agency"]
    assert c.get(f"/applications/{app.pk}/").status_code == 200
    assert c.get(f"/reports/{ag.pk}/2025/").status_code == 200
    assert c.get(f"/reports/{rep.pk}/export/html/").status_code == 200
    assert c.get("/applications/new/").status_code == 403
    writes = [
        f"/applications/{app.pk}/event/",
        f"/applications/{app.pk}/reply/",
        f"/proactive/{ag.pk}/documents/",
        f"/appeals/{records['appeal'].pk}/decide/",
        f"/reports/{ag.pk}/2025/build/",
        f"/reports/{rep.pk}/save/",
        f"/reports/{rep.pk}/submit/",
        f"/reports/{rep.pk}/sections/s5/restore/",
        f"/reports/{rep.pk}/sections/s5/adopt/",
        f"/applications/{app.pk}/notice/correction/",
    ]
    for url in writes:
        assert c.post(url, {"day": "2025-03-10", "outcome": "granted"}).status_code == 403, url
    assert app.events.count() == 2  # 登记申请, 收到申请: nothing written


def test_outsider_without_agency_sees_empty_pages(records, outsider):
    c = client_for(outsider)
    assert c.get("/").status_code == 200
    assert c.get(f"/applications/{records['app'].pk}/").status_code == 404
    assert c.get("/applications/new/").status_code == 403


def test_roles_pages(records, staff, head, supervisor):
    assert client_for(staff).get("/audit/").status_code == 403
    assert client_for(head).get("/audit/").status_code == 200
    assert client_for(staff).get("/supervise/").status_code == 403
    assert client_for(supervisor).get("/supervise/").status_code == 200


def test_csrf_is_enforced(records, staff):
    c = Client(enforce_csrf_checks=True)
    c.force_login(staff)
    url = f"/applications/{records['app'].pk}/reply/"
    assert c.post(url, {"day": "2025-03-10", "outcome": "granted"}).status_code == 403
    page = c.get(f"/applications/{records['app'].pk}/")
    token = page.cookies["csrftoken"].value
    response = c.post(url, {"day": "2025-03-10", "outcome": "granted", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    records["app"].refresh_from_db()
    assert records["app"].outcome == "granted"


def test_every_form_carries_a_csrf_token(records, head):
    c = client_for(head)
    for url in (f"/applications/{records['app'].pk}/", "/applications/new/", "/proactive/", "/appeals/", "/reports/"):
        html = c.get(url).content.decode()
        assert html.count('method="post"') == html.count("csrfmiddlewaretoken"), url


def test_agency_ids_in_forms_are_scoped(records, other_staff, other):
    """Registering into another agency through a forged form value is refused."""
    c = client_for(other_staff)
    agency: Agency = records["agency"]
    response = c.post(
        "/applications/new/",
        {
            "agency": agency.pk,
            "number": "X-1",
            "applicant_name": "李某",
            "applicant_type": "natural",
            "channel": "online",
            "received_on": "2025-04-01",
            "content": "某文件",
        },
    )
    assert response.status_code == 200  # the form rejects an agency outside its choices
    assert not agency.applications.filter(number="X-1").exists()
