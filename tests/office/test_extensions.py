"""Issue 13, item 6: the clerk requests an extension (reason, at most 20 working days by
第三十三条第二款), the office head sees the pending requests and approves or refuses, then the
extension letter is offered; approval after the original due date is flagged (the clocks'
``extension_late``). Services, the workbench (CSRF enforced) and the API.

Dates: received 2025-03-03 → due 2025-03-31; + 20 working days (清明 04-04 off, Sunday 04-27
worked) → 2025-04-28; + 10 → 2025-04-15.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from gongkai import law
from gongkai.office.applications import services
from gongkai.office.applications.models import ApplicationEvent, EventKind
from gongkai.office.errors import NotAllowed, OfficeError

from .correcting import DUE, Browser, append_only, event, fresh, register
from .factories import MembershipFactory

pytestmark = pytest.mark.usefixtures("today")


def ask(actor, app, days=20, reason="涉及多个科室档案，需要调取核对"):
    return services.request_extension(actor, services.ExtensionRequestInput(application=app, days=days, reason=reason))


def approve(actor, request, **kw):
    return services.approve_extension(actor, services.ExtensionApprovalInput(request=request, **kw))


def refuse(actor, request, reason="可以按期答复"):
    return services.refuse_extension(actor, services.ExtensionRefusalInput(request=request, reason=reason))


# ------------------------------------------------------------------ services


def test_request_then_approval_moves_the_deadline(staff, head, agency, today):
    app = register(staff, agency)
    today.day = date(2025, 3, 27)
    with append_only():
        request = ask(staff, app)
        assert fresh(app).due_on == DUE  # a request moves nothing
        assert list(services.pending_extension_requests(head)) == [request]
        assert list(services.pending_extension_requests(staff)) == []  # not a head
        decision = approve(head, request, comment="同意")
    assert (decision.due, decision.late) == (date(2025, 4, 28), False)
    assert fresh(app).due_on == date(2025, 4, 28)
    approved = decision.event
    assert approved.kind == EventKind.EXTENSION_APPROVED and approved.answers == request
    assert approved.actor == head and approved.day == date(2025, 3, 27)
    assert approved.data == {"days": 20, "note": "涉及多个科室档案，需要调取核对", "comment": "同意"}
    assert request.data == {"days": 20, "reason": "涉及多个科室档案，需要调取核对"} and request.actor == staff
    assert list(services.pending_extension_requests(head)) == []


def test_the_law_limits_the_request(staff, agency):
    app = register(staff, agency)
    assert law.MAX_EXTENSION_DAYS == 20
    with pytest.raises(OfficeError, match=r"1 至 20 个工作日（《中华人民共和国政府信息公开条例》第三十三条第二款）"):
        ask(staff, app, days=21)
    with pytest.raises(OfficeError, match="请写明延期的理由"):
        ask(staff, app, reason=" ")
    ask(staff, app, days=10)
    with pytest.raises(OfficeError, match="正待负责人审批"):
        ask(staff, app)


def test_only_the_head_decides(staff, head, agency, django_user_model, today):
    today.day = date(2025, 3, 27)
    app = register(staff, agency)
    request = ask(staff, app)
    with pytest.raises(NotAllowed, match="办公室负责人"):
        approve(staff, request)
    root = django_user_model.objects.create_superuser("root", password="x")
    with pytest.raises(NotAllowed):
        refuse(root, request)  # the law gives the decision to the head, not to an administrator
    with pytest.raises(OfficeError, match="1 至 20"):
        approve(head, request, days=21)
    decision = approve(head, request, days=10)  # fewer days than asked
    assert decision.due == date(2025, 4, 15)
    with pytest.raises(OfficeError, match="已于 2025-03-27 审批：批准延期答复"):
        refuse(head, request)
    with pytest.raises(OfficeError, match="只能延长一次"):
        ask(staff, app)


def test_more_days_than_asked_are_refused(staff, head, agency):
    request = ask(staff, register(staff, agency), days=10)
    with pytest.raises(OfficeError, match="1 至 10 个工作日"):
        approve(head, request, days=15)


def test_refusal_keeps_the_deadline_and_allows_a_new_request(staff, head, agency):
    app = register(staff, agency)
    request = ask(staff, app)
    refused = refuse(head, request, reason="材料齐全，可以按期答复")
    assert refused.kind == EventKind.EXTENSION_REFUSED and refused.answers == request
    assert refused.data == {"reason": "材料齐全，可以按期答复"}
    assert fresh(app).due_on == DUE and list(services.pending_extension_requests(head)) == []
    ask(staff, app, days=5)  # a new request, with new reasons


def test_late_approval_is_flagged_and_does_not_move_the_deadline(staff, head, agency, today):
    app = register(staff, agency)
    today.day = date(2025, 3, 28)
    request = ask(staff, app)
    today.day = date(2025, 4, 2)  # after 03-31
    decision = approve(head, request)
    assert (decision.late, decision.due) == (True, DUE)
    assert "extension_late" in [a.code for a in services.deadline_of(fresh(app)).alerts]
    with pytest.raises(OfficeError, match="早于申请延期的日期"):
        other = register(staff, agency, number="2025-002")
        approve(head, ask(staff, other), day=date(2025, 4, 1))


def test_requests_need_a_running_clock(staff, agency):
    app = register(staff, agency, channel="online", awaiting_confirmation=True)
    with pytest.raises(OfficeError, match="尚未确认收到申请"):
        ask(staff, app)


def test_direct_approval_by_the_head_answers_the_pending_request(staff, head, agency):
    app = register(staff, agency)
    request = ask(staff, app)
    approved = event(head, app, EventKind.EXTENSION_APPROVED, date(2025, 3, 28), days=20)
    assert approved.answers == request
    assert list(services.pending_extension_requests(head)) == []


def test_the_head_of_the_county_decides_for_its_departments(staff, agency):
    county_head = MembershipFactory(agency=agency.parent, role="head").user
    request = ask(staff, register(staff, agency))
    assert list(services.pending_extension_requests(county_head)) == [request]


def test_undoing_a_request_or_a_decision(staff, head, agency):
    app = register(staff, agency)
    request = ask(staff, app)
    services.undo_event(staff, services.UndoInput(event=request, reason="误点"))
    assert list(services.pending_extension_requests(head)) == []
    with pytest.raises(OfficeError, match="该延期申请已撤销"):
        approve(head, request)
    second = ask(staff, app)
    decision = approve(head, second)
    with pytest.raises(OfficeError, match="已于 2025-04-30 批准延期答复，不能撤销"):
        services.undo_event(staff, services.UndoInput(event=second, reason="x"))
    services.undo_event(head, services.UndoInput(event=decision.event, reason="批准有误"))
    assert fresh(app).due_on == DUE


# ------------------------------------------------------------------ the workbench


def test_request_list_approve_then_the_letter(staff, head, agency, today):
    app = register(staff, agency, applicant_name="王某")
    clerk, boss = Browser(staff), Browser(head)
    page = clerk.get(f"/applications/{app.pk}/").content.decode()
    assert "申请延期答复" in page and 'max="20"' in page
    url = f"/applications/{app.pk}/extension/request/"
    assert clerk.post_without_token(url, {"days": 20, "reason": "需要调档"}).status_code == 403  # CSRF
    r = clerk.post(url, {"days": "20", "reason": "需要调取多个科室的档案"}, follow=True)
    assert "已申请延期答复 20 个工作日，待办公室负责人审批" in r.content.decode()
    assert "待办公室负责人审批" in clerk.get(f"/applications/{app.pk}/").content.decode()
    assert clerk.get("/extensions/").status_code == 403

    listing = boss.get("/extensions/").content.decode()
    assert "延期审批" in listing and "2025-001" in listing and "需要调取多个科室的档案" in listing
    assert "已过原答复期限" in listing  # today 04-30 is after 03-31: approving now cannot cure it
    request = ApplicationEvent.objects.get(kind=EventKind.EXTENSION_REQUESTED)
    r = boss.post(f"/extensions/{request.pk}/approve/", {"days": "20", "comment": ""}, follow=True)
    html = r.content.decode()
    assert r.redirect_chain[-1][0] == f"/applications/{app.pk}/"
    assert "批准晚于原答复期限：延期不能补救逾期，答复期限仍为 2025-03-31" in html
    assert "生成延期答复告知书" in html and f"/applications/{app.pk}/notice/extension/" in html
    letter = boss.get(f"/applications/{app.pk}/notice/extension/").content.decode()
    assert 'value="20"' in letter and "需要调取多个科室的档案" in letter


def test_approval_in_time_through_the_workbench(staff, head, agency, today):
    app = register(staff, agency)
    today.day = date(2025, 3, 27)
    Browser(staff).post(f"/applications/{app.pk}/extension/request/", {"days": "10", "reason": "需要征询"})
    request = ApplicationEvent.objects.get(kind=EventKind.EXTENSION_REQUESTED)
    listing = Browser(head).get("/extensions/").content.decode()
    assert "已过原答复期限" not in listing
    r = Browser(head).post(f"/extensions/{request.pk}/approve/", {"days": "", "comment": "同意"}, follow=True)
    assert "已批准延期 10 个工作日，答复期限延至 2025-04-15" in r.content.decode()
    assert fresh(app).due_on == date(2025, 4, 15)


def test_refusal_through_the_workbench(staff, head, agency):
    app = register(staff, agency)
    request = ask(staff, app)
    boss = Browser(head)
    detail = boss.get(f"/applications/{app.pk}/").content.decode()
    assert "同意延期" in detail and "不同意" in detail
    r = boss.post(f"/extensions/{request.pk}/refuse/", {"reason": "", "back": "application"}, follow=True)
    assert "不同意的理由" in r.content.decode() and ApplicationEvent.objects.filter(answers=request).count() == 0
    r = boss.post(f"/extensions/{request.pk}/refuse/", {"reason": "可以按期答复", "back": "application"}, follow=True)
    assert r.redirect_chain[-1][0] == f"/applications/{app.pk}/"
    assert "办公室负责人不同意延期：可以按期答复" in r.content.decode()


def test_staff_and_other_departments_cannot_decide(staff, head, agency, other_staff, supervisor):
    request = ask(staff, register(staff, agency))
    url = f"/extensions/{request.pk}/approve/"
    assert Browser(staff).post(url, {"days": "20"}).status_code == 403
    assert Browser(supervisor).post(url, {"days": "20"}).status_code == 403
    assert Browser(other_staff).post(url, {"days": "20"}).status_code == 404
    assert ApplicationEvent.objects.filter(kind=EventKind.EXTENSION_APPROVED).count() == 0


# ------------------------------------------------------------------ the API


def _call(client, method, url, key, body=None):
    headers = {"Authorization": f"Bearer {key}"}
    if method == "get":
        return client.get(url, headers=headers)
    return client.post(url, json.dumps(body or {}), content_type="application/json", headers=headers)


def test_api_request_list_approve(client, staff, head, agency, today):
    from gongkai.office.api.tokens import issue_token

    app = register(staff, agency)
    today.day = date(2025, 3, 27)
    clerk, boss = issue_token(staff, "测试"), issue_token(head, "测试")
    base = f"/api/applications/{app.pk}/"
    r = _call(client, "post", base + "extension-requests/", clerk, {"days": 25, "reason": "调档"})
    assert r.status_code == 422 and "第三十三条第二款" in r.json()["detail"]
    r = _call(client, "post", base + "extension-requests/", clerk, {"days": 20, "reason": "调档"})
    assert r.status_code == 201, r.content
    assert "extension_requested" in [e["kind"] for e in r.json()["events"]] and r.json()["due_on"] == "2025-03-31"
    assert _call(client, "get", "/api/applications/extension-requests/", clerk).json() == []
    pending = _call(client, "get", "/api/applications/extension-requests/", boss).json()
    assert [(p["number"], p["days"], p["reason"], p["due_on"], p["late"]) for p in pending] == [
        ("2025-001", 20, "调档", "2025-03-31", False)
    ]
    url = f"/api/applications/extension-requests/{pending[0]['id']}/approve/"
    r = _call(client, "post", url, clerk, {})
    assert r.status_code == 403 and "办公室负责人" in r.json()["detail"]
    r = _call(client, "post", url, boss, {"comment": "同意"})
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["due_on"] == "2025-04-28" and not [a for a in got["alerts"] if a["code"] == "extension_late"]
    approved = [e for e in got["events"] if e["kind"] == "extension_approved"]
    assert approved[0]["answers"] == pending[0]["id"]


def test_api_late_approval_and_refusal(client, staff, head, agency, today):
    from gongkai.office.api.tokens import issue_token

    boss = issue_token(head, "测试")
    app = register(staff, agency)
    late = ask(staff, app)  # today 04-30: after 03-31
    r = _call(client, "post", f"/api/applications/extension-requests/{late.pk}/approve/", boss, {})
    assert r.json()["due_on"] == "2025-03-31"
    assert [a["code"] for a in r.json()["alerts"] if a["code"] == "extension_late"] == ["extension_late"]
    other = ask(staff, register(staff, agency, number="2025-002"))
    r = _call(client, "post", f"/api/applications/extension-requests/{other.pk}/refuse/", boss, {"reason": "不必"})
    assert r.status_code == 200 and r.json()["events"][-1]["kind"] == "extension_refused"
    r = _call(client, "post", f"/api/applications/extension-requests/{other.pk}/refuse/", boss, {"reason": "不必"})
    assert r.status_code == 422 and "已于 2025-04-30 审批" in r.json()["detail"]
    assert (
        _call(client, "post", "/api/applications/extension-requests/99999/refuse/", boss, {"reason": "x"}).status_code
        == 404
    )
