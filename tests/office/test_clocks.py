"""Issue 11, clocks in the office: the cached dates, the overdue view, the dashboard and the detail
page show the consultation's and the 补正 duty's own dates, late extensions, the fee window from
receipt of the notice and the 待确认 state (dates counted by hand, see tests/test_clocks.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from gongkai.office.applications import services
from gongkai.office.applications.models import Application, EventKind, Fee, State
from gongkai.office.errors import OfficeError

from . import test_api_scenario as scenario

world = scenario.world


def register(actor, agency, number="2025-001", received=date(2025, 3, 3), channel="in_person", **kw):
    data = services.RegisterInput(
        agency=agency, number=number, applicant_type="natural", received_on=received, channel=channel, **kw
    )
    return services.register_application(actor, data)


def event(actor, app, kind, day, **kw):
    return services.record_event(actor, services.EventInput(application=app, kind=kind, day=day, **kw))


def fresh(app) -> Application:
    return Application.objects.get(pk=app.pk)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_open_consultation_never_leaves_the_overdue_view(staff, agency):
    app = register(staff, agency)
    event(staff, app, EventKind.CONSULTATION_STARTED, date(2025, 3, 5), party="third_party")
    app = fresh(app)
    assert (app.state, app.due_on, app.consultation_due_on) == (State.CONSULTING, date(2025, 4, 23), date(2025, 3, 26))
    assert list(Application.objects.overdue(date(2025, 4, 24))) == [app]
    assert list(Application.objects.duties(date(2025, 3, 27), date(2025, 4, 1))) == [app]  # its own date passed
    html = client_for(staff).get("/").content.decode()  # today is after 2025: overdue
    overdue = html.split('<section class="urgency overdue">')[1].split("</section>")[0]
    assert "2025-001" in overdue and "被征求方应于 2025-03-26 前提出意见，已逾期" in overdue
    detail = client_for(staff).get(f"/applications/{app.pk}/").content.decode()
    assert "征求意见期限" in detail and "2025-03-26" in detail and "已逾期" in detail
    event(staff, app, EventKind.CONSULTATION_ENDED, date(2025, 4, 30), party="third_party")
    assert (fresh(app).due_on, fresh(app).consultation_due_on) == (date(2025, 4, 23), None)


def test_extension_after_the_deadline_stays_late(staff, head, agency):
    app = register(staff, agency, received=date(2024, 9, 27))
    event(head, app, EventKind.EXTENSION_APPROVED, date(2024, 10, 31), days=20)
    assert fresh(app).due_on == date(2024, 10, 30)  # not 11/27
    assert list(Application.objects.overdue(date(2024, 11, 1))) == [fresh(app)]
    html = client_for(staff).get("/").content.decode()
    overdue = html.split('<section class="urgency overdue">')[1].split("</section>")[0]
    assert "延期不能补救逾期，答复期限仍为 2024-10-30" in overdue
    services.reply(staff, services.ReplyInput(application=app, day=date(2024, 11, 15), outcome="granted"))
    assert services.deadline_of(fresh(app)).late is True
    listing = client_for(staff).get("/applications/?state=replied").content.decode()
    assert "逾期答复" in listing


def test_fee_window_runs_from_receipt_of_the_notice(staff, agency):
    app = register(staff, agency, received=date(2025, 9, 15))
    event(staff, app, EventKind.FEE_NOTIFIED, date(2025, 9, 26), amount=Decimal(100), basis="per_item")
    assert services.deadline_of(fresh(app), today=date(2025, 10, 31)).fee_pay_by is None
    event(staff, app, EventKind.FEE_NOTICE_RECEIVED, date(2025, 9, 29))
    assert Fee.objects.get(application=app).notice_received_on == date(2025, 9, 29)
    for today, suggestion in ((date(2025, 11, 3), None), (date(2025, 11, 4), "no_payment")):
        deadline = services.deadline_of(fresh(app), today=today)
        assert (deadline.fee_pay_by, deadline.suggestion) == (date(2025, 11, 3), suggestion)
    with pytest.raises(OfficeError, match="早于发出日期"):
        other = register(staff, agency, number="2025-002", received=date(2025, 9, 15))
        event(staff, other, EventKind.FEE_NOTIFIED, date(2025, 9, 26), amount=Decimal(100), basis="per_item")
        event(staff, other, EventKind.FEE_NOTICE_RECEIVED, date(2025, 9, 25))


def test_fee_notice_receipt_through_the_web(staff, agency):
    app = register(staff, agency, received=date(2025, 9, 15))
    event(staff, app, EventKind.FEE_NOTIFIED, date(2025, 9, 26), amount=Decimal(100), basis="per_item")
    c = client_for(staff)
    page = c.get(f"/applications/{app.pk}/").content.decode()
    assert "申请人收到收费通知的日期尚未记录" in page and 'value="fee_notice_received"' in page
    c.post(f"/applications/{app.pk}/event/", {"kind": "fee_notice_received", "day": "2025-09-29"})
    assert "2025-11-03（收到收费通知次日起20个工作日）" in c.get(f"/applications/{app.pk}/").content.decode()


def test_correction_duty_is_cached_and_listed(staff, agency):
    app = register(staff, agency, received=date(2026, 2, 11))
    assert fresh(app).correction_due_on == date(2026, 2, 27)  # across 春节 2026
    assert list(Application.objects.duties(date(2026, 2, 24), date(2026, 2, 27))) == [fresh(app)]
    assert list(Application.objects.duties(date(2026, 3, 2), date(2026, 3, 5))) == []
    event(staff, app, EventKind.CORRECTION_REQUESTED, date(2026, 3, 2), days=10)
    app = fresh(app)
    assert app.correction_due_on is None
    assert "correction_late" in [a.code for a in services.deadline_of(app).alerts]
    assert (
        "晚于第三十条规定的7个工作日（2026-02-27）"
        in client_for(staff).get(f"/applications/{app.pk}/").content.decode()
    )


def test_in_person_on_a_sunday_is_warned_on_the_page(staff, agency):
    app = register(staff, agency, received=date(2025, 3, 2))
    assert fresh(app).due_on == date(2025, 3, 28)
    html = client_for(staff).get(f"/applications/{app.pk}/").content.decode()
    assert "当面提交之日 2025-03-02 不是工作日（星期日）" in html


def test_online_application_waits_for_confirmation(staff, agency):
    app = register(staff, agency, channel="online", awaiting_confirmation=True)
    app = fresh(app)
    assert (app.state, app.due_on, app.received_on) == (State.AWAITING_CONFIRMATION, None, date(2025, 3, 3))
    assert app.is_open and list(Application.objects.open()) == [app]
    with pytest.raises(OfficeError, match="尚未确认收到申请"):
        event(staff, app, EventKind.CORRECTION_REQUESTED, date(2025, 3, 4))
    with pytest.raises(OfficeError, match="早于提交日期"):
        event(staff, app, EventKind.RECEIPT_CONFIRMED, date(2025, 3, 2))
    event(staff, app, EventKind.RECEIPT_CONFIRMED, date(2025, 3, 5))
    app = fresh(app)
    assert (app.state, app.received_on, app.due_on, app.correction_due_on) == (
        State.RUNNING,
        date(2025, 3, 5),
        date(2025, 4, 2),
        date(2025, 3, 14),
    )


def test_confirmation_only_for_channels_that_need_it(staff, agency):
    with pytest.raises(OfficeError, match="不需要确认"):
        register(staff, agency, channel="in_person", awaiting_confirmation=True)


def test_register_awaiting_confirmation_through_the_web(staff, agency):
    c = client_for(staff)
    c.post(
        "/applications/new/",
        {
            "agency": agency.pk,
            "number": "WEB-1",
            "applicant_name": "王某",
            "applicant_type": "natural",
            "channel": "online",
            "received_on": "2025-03-03",
            "awaiting_confirmation": "on",
            "content": "某项目的环评批复",
        },
    )
    app = Application.objects.get(number="WEB-1")
    assert app.state == State.AWAITING_CONFIRMATION
    page = c.get(f"/applications/{app.pk}/").content.decode()
    assert "待确认：以确认之日为收到之日" in page and 'value="receipt_confirmed"' in page
    duties = c.get("/").content.decode().split('<section class="duties">')[1].split("</section>")[0]
    assert "WEB-1" in duties and "尚待与申请人确认" in duties
    c.post(f"/applications/{app.pk}/event/", {"kind": "receipt_confirmed", "day": "2025-03-05"})
    assert fresh(app).due_on == date(2025, 4, 2)
    assert '<section class="duties">' not in c.get("/").content.decode()


def test_api_registers_awaiting_confirmation_and_confirms(client, world):
    from .test_api_scenario import call, register_body

    key = world.keys["staff_a"]
    body = register_body(world.a, "甲-确认") | {
        "channel": "fax",
        "received_on": "2025-03-03",
        "awaiting_confirmation": True,
    }
    r = call(client, "post", "/api/applications/", key, body)
    assert r.status_code == 201, r.content
    assert (r.json()["state"], r.json()["due_on"]) == ("awaiting_confirmation", None)
    url = f"/api/applications/{r.json()['id']}/events/"
    r = call(client, "post", url, key, {"kind": "receipt_confirmed", "day": "2025-03-05"})
    assert r.status_code == 201, r.content
    assert (r.json()["received_on"], r.json()["due_on"]) == ("2025-03-05", "2025-04-02")
