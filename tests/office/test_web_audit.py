"""Issue 13, item 13: the audit log — filters by person, application and date range; the
values before and after a correction; failed logins (django-axes) of the office's own people
only; pagination."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessFailureLog
from django.test import Client
from django.utils import timezone

from gongkai.office.applications.models import ApplicationEvent
from gongkai.office.web.views import audit as view

from .correcting import Browser, register
from .factories import MembershipFactory

pytestmark = pytest.mark.usefixtures("today")

EDIT = {
    "applicant_name": "王某某",
    "applicant_type": "natural",
    "channel": "in_person",
    "received_on": "2025-03-03",
    "content": "某路段立项批复",
    "reason": "姓名录错",
}


def audit(user, query: str = "") -> str:
    response = Browser(user).get(f"/audit/{query}")
    assert response.status_code == 200
    return response.content.decode()


def fail_login(username: str) -> None:
    Client(REMOTE_ADDR="203.0.113.9").post("/accounts/login/", {"username": username, "password": "wrong"})


def test_correction_shows_before_and_after(staff, head, agency):
    app = register(staff, agency, applicant_name="王某", content="某路段立项批复")
    assert Browser(staff).post(f"/applications/{app.pk}/edit/", EDIT).status_code == 302
    html = audit(head)
    assert "修改登记信息" in html and "申请人：王某 → 王某某" in html and "理由：姓名录错" in html


def test_filters_by_person_application_and_dates(staff, head, agency):
    other_clerk = MembershipFactory(agency=agency, role="staff").user
    register(staff, agency, number="2025-001", applicant_name="甲")
    register(other_clerk, agency, number="2025-777", applicant_name="乙")
    everything = audit(head)
    assert "2025-001" in everything and "2025-777" in everything

    by_person = audit(head, f"?person={other_clerk.pk}")
    assert "2025-777" in by_person and "2025-001" not in by_person
    by_number = audit(head, "?application=777")
    assert "2025-777" in by_number and "2025-001" not in by_number

    now = timezone.localtime()
    tomorrow = (now + timedelta(days=1)).date().isoformat()
    assert "2025-001" not in audit(head, f"?start={tomorrow}")
    assert "2025-001" in audit(head, f"?start={now.date().isoformat()}&end={now.date().isoformat()}")
    refused = audit(head, f"?start={tomorrow}&end={now.date().isoformat()}")
    assert "起始日期不能晚于截止日期" in refused


def test_events_are_paginated(staff, head, agency, monkeypatch):
    for n in range(3):
        register(staff, agency, number=f"2025-00{n}")
    total = ApplicationEvent.objects.filter(application__agency=agency).count()
    monkeypatch.setattr(view, "PER_PAGE", 1)
    html = audit(head)
    assert total >= 3 and f"第 1 / {total} 页" in html and "page=2" in html
    assert f"第 2 / {total} 页" in audit(head, "?page=2")


def test_failed_logins_only_of_the_heads_people(staff, head, agency, other, other_staff):
    fail_login(staff.username)
    fail_login(other_staff.username)
    fail_login("nobody-at-all")
    assert AccessFailureLog.objects.count() == 3
    html = audit(head)
    assert "登录失败" in html and "203.0.113.9" in html
    assert staff.username in html and other_staff.username not in html and "nobody-at-all" not in html
    # the person filter applies to the failures too
    assert staff.username not in audit(head, f"?person={head.pk}").split('id="audit-failures"')[1]
    # the other department's head sees its own clerk's failure, not ours
    other_head = MembershipFactory(agency=other, role="head").user
    theirs = audit(other_head).split('id="audit-failures"')[1]
    assert other_staff.username in theirs and staff.username not in theirs


def test_audit_is_for_heads_only(staff, supervisor):
    fail_login(staff.username)
    assert Browser(staff).get("/audit/").status_code == 403
    assert Browser(supervisor).get("/audit/").status_code == 403
