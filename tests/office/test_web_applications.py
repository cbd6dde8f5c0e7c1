"""Applications through the web: register → 补正 → 征求意见 → 延期 → 答复 write events; the letter; the dashboard."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.office.applications.models import Application, EventKind

from .test_web_access import register

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_register_form_labels(staff):
    html = client_for(staff).get("/applications/new/").content.decode()
    for label in ("申请编号", "申请人", "申请人类型", "申请方式", "收到日期", "申请内容", "登记申请"):
        assert label in html


def test_register_to_reply_writes_events(staff, head, agency):
    c = client_for(staff)
    response = c.post(
        "/applications/new/",
        {
            "agency": agency.pk,
            "number": "JT-2025-001",
            "applicant_name": "王某",
            "applicant_type": "natural",
            "channel": "online",
            "received_on": "2025-03-03",
            "content": "某路段改扩建工程的立项批复",
        },
    )
    app = Application.objects.get(number="JT-2025-001")
    assert response.status_code == 302 and response["Location"] == f"/applications/{app.pk}/"

    url = f"/applications/{app.pk}/event/"
    assert c.post(url, {"kind": "correction_requested", "day": "2025-03-05", "days": "10"}).status_code == 302
    c.post(url, {"kind": "correction_received", "day": "2025-03-10"})
    c.post(url, {"kind": "consultation_started", "day": "2025-03-12", "party": "third_party"})
    c.post(url, {"kind": "consultation_ended", "day": "2025-03-20"})
    # staff may not approve an extension: the service refuses (第三十三条)
    assert c.post(url, {"kind": "extension_approved", "day": "2025-03-24", "days": "20"}).status_code == 403
    assert (
        client_for(head).post(url, {"kind": "extension_approved", "day": "2025-03-24", "days": "20"}).status_code == 302
    )
    c.post(f"/applications/{app.pk}/reply/", {"day": "2025-04-15", "outcome": "partial"})

    kinds = list(app.events.order_by("id").values_list("kind", flat=True))
    assert kinds == [
        EventKind.REGISTERED,
        EventKind.RECEIVED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.CORRECTION_RECEIVED,
        EventKind.CONSULTATION_STARTED,
        EventKind.CONSULTATION_ENDED,
        EventKind.EXTENSION_APPROVED,
        EventKind.REPLIED,
    ]
    actors = set(app.events.values_list("actor__username", flat=True))
    assert actors == {staff.username, head.username}
    app.refresh_from_db()
    assert app.outcome == "partial" and app.replied_on == date(2025, 4, 15) and app.state == "replied"

    html = c.get(f"/applications/{app.pk}/").content.decode()
    assert "批准延期答复" in html and "办理结果：部分公开" in html and "生成答复书" in html

    assert "不予公开部分的理由" in c.get(f"/applications/{app.pk}/letter/").content.decode()
    letter = c.post(f"/applications/{app.pk}/letter/", {"withheld": "denied.third_party"})
    assert letter.status_code == 200 and letter["Content-Type"] == DOCX
    assert letter.content[:2] == b"PK"


def test_detail_forms_and_extension_explained(staff, head, agency):
    app = register(staff, agency)
    html = client_for(staff).get(f"/applications/{app.pk}/").content.decode()
    for text in (
        "补正（告知/收到）",
        "征求意见（开始/结束）",
        "答复日期",
        "办理结果",
        "记录答复",
        "告知补正",
        "收到补正",
    ):
        assert text in html
    assert "办公室负责人" in html and 'value="extension_approved"' not in html
    assert 'value="extension_approved"' in client_for(head).get(f"/applications/{app.pk}/").content.decode()


def test_reply_select_offers_only_the_years_outcomes(staff, agency):
    app = register(staff, agency)
    html = client_for(staff).get(f"/applications/{app.pk}/").content.decode()
    assert 'value="other.no_correction"' in html  # gb2021 outcome
    assert '<option value="other">' not in html  # the gb2019 row


def test_refused_reply_is_a_message(staff, agency):
    app = register(staff, agency)
    c = client_for(staff)
    response = c.post(f"/applications/{app.pk}/reply/", {"day": "2025-02-01", "outcome": "granted"}, follow=True)
    assert "早于收到日期" in response.content.decode()
    assert app.events.count() == 2


def test_list_filters_and_pagination(staff, agency):
    for i in range(55):
        register(staff, agency, number=f"N-{i:03d}", received=date(2025, 1, 2) + timedelta(days=i))
    old = register(staff, agency, number="OLD-1", received=date(2024, 12, 2))
    c = client_for(staff)
    first = c.get("/applications/?year=2025").content.decode()
    assert "第 1 / 2 页" in first and "OLD-1" not in first
    assert "N-000" in c.get("/applications/?year=2025&page=2").content.decode()
    assert "OLD-1" in c.get("/applications/?year=2024").content.decode()
    c.post(f"/applications/{old.pk}/reply/", {"day": "2024-12-10", "outcome": "granted"})
    replied = c.get("/applications/?state=replied&outcome=granted").content.decode()
    assert "OLD-1" in replied and "N-001" not in replied


def test_dashboard_groups_by_urgency(staff, agency):
    today = timezone.localdate()
    register(staff, agency, number="LATE", received=today - timedelta(days=60))
    register(staff, agency, number="FRESH", received=today)
    html = client_for(staff).get("/").content.decode()
    for heading in ("已逾期", "3个工作日内到期", "本周到期", "其他", "期限如何计算"):
        assert heading in html
    assert html.index("LATE") < html.index("3个工作日内到期") < html.index("FRESH")


def _sections(html: str) -> dict[str, tuple[int, list[str]]]:
    """Dashboard group → (its count, the application numbers listed under it, in order)."""
    found = {}
    for part in html.split('<section class="urgency ')[1:]:
        key = part[: part.index('"')]
        total = int(re.search(r'<span class="count">(\d+)</span>', part).group(1))
        found[key] = (total, re.findall(r'/applications/\d+/">([^<]+)</a>', part))
    return found


def test_dashboard_groups_limits_and_orders(staff, agency, other, other_staff):
    """One application received on each of the last 45 days, one with its clock stopped, one of
    another agency: every open one lands in the group its stored deadline says, most urgent
    first, at most ``SHOWN`` per group with the group's full count; nothing of the other agency."""
    from gongkai.office.applications import services
    from gongkai.office.web.views.dashboard import SHOWN, SOON_WORKDAYS
    from gongkai.workdays import default_calendar

    today = timezone.localdate()
    for n in range(45):
        register(staff, agency, number=f"D{n:02d}", received=today - timedelta(days=n))
    paused = register(staff, agency, number="PAUSED", received=today - timedelta(days=3))
    services.record_event(
        staff, services.EventInput(application=paused, kind=EventKind.CORRECTION_REQUESTED, day=today)
    )
    register(other_staff, other, number="THEIRS", received=today - timedelta(days=40))

    soon_until = default_calendar().add_workdays(today, SOON_WORKDAYS)
    week_end = today + timedelta(days=6 - today.weekday())
    expected: dict[str, list[tuple]] = {"overdue": [], "soon": [], "week": [], "other": []}
    for app in Application.objects.filter(agency=agency).open():
        due = app.due_on
        key = (
            "other"
            if due is None
            else "overdue"
            if due < today
            else "soon"
            if due <= soon_until
            else "week"
            if due <= week_end
            else "other"
        )
        expected[key].append((due or date.max, app.pk, app.number))
    assert expected["overdue"] and expected["other"], "the data must fill the first and last groups"
    assert len(expected["other"]) > SHOWN, "and overflow one"

    got = _sections(client_for(staff).get("/").content.decode())
    assert set(got) == set(expected)
    for key, apps in expected.items():
        total, numbers = got[key]
        assert total == len(apps), key
        assert numbers == [number for _, _, number in sorted(apps)][:SHOWN], key
    assert got["other"][1][-1] != "PAUSED"  # a stopped clock sorts after every date, on every database
    assert "THEIRS" not in str(got)


def test_open_list_is_ordered_by_deadline(staff, agency):
    today = timezone.localdate()
    late = register(staff, agency, number="LATE", received=today - timedelta(days=50))
    register(staff, agency, number="NEW", received=today)
    done = register(staff, agency, number="DONE", received=today - timedelta(days=5))
    client = client_for(staff)
    client.post(f"/applications/{done.pk}/reply/", {"day": today.isoformat(), "outcome": "granted"})
    html = client.get("/applications/?state=open").content.decode()
    assert late.number in html and "DONE" not in html
    assert html.index("LATE") < html.index("NEW")
    assert 'value="open" selected' in html


@pytest.mark.parametrize("query", ["method=by_count&count=25&prior=3", "method=by_pages&pages=150&delivery=paper"])
def test_fee_calculator(staff, query):
    html = client_for(staff).get(f"/fees/?{query}").content.decode()
    assert "应收" in html and "合计" in html


def test_fee_calculator_error(staff):
    html = client_for(staff).get("/fees/?method=by_pages&pages=40&delivery=inspection").content.decode()
    assert "按量计收只适用于" in html


def test_proactive_and_appeals(staff, supervisor, agency):
    c = client_for(staff)
    c.post(
        f"/proactive/{agency.pk}/documents/",
        {"year": 2025, "kind": "normative", "made": 3, "repealed": 1, "in_force": 20},
    )
    c.post(f"/proactive/{agency.pk}/article20/", {"year": 2025, "licensing": 120, "penalty": 8, "coercion": 0})
    html = client_for(supervisor).get("/proactive/?year=2025").content.decode()
    assert "行政规范性文件" in html and "120" in html and "保存文件统计" not in html

    app = register(staff, agency)
    c.post(
        "/appeals/new/",
        {
            "agency": agency.pk,
            "kind": "review",
            "filed_on": "2025-06-01",
            "application": app.number,
            "case_number": "复1",
        },
    )
    appeal = agency.appeals.get()
    assert appeal.application == app
    c.post(f"/appeals/{appeal.pk}/decide/", {"result": "upheld", "decided_on": "2025-07-01"})
    appeal.refresh_from_db()
    assert appeal.result == "upheld"
    assert "结果维持" in c.get("/appeals/").content.decode()
