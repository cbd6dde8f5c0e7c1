"""Issue 13, items 4, 5 and 7 in the workbench, posted with the CSRF token as a browser does:
edit the registration, correct the reply, withdraw, undo; future dates refused with Chinese
form errors; the fee notice with the register's figure, its delivery, the payment or the
non-payment. Today is pinned to 2025-04-30."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.office.applications.models import ApplicationEvent, EventKind, Fee, State

from .correcting import DUE, Browser, append_only, event, fresh, register

pytestmark = pytest.mark.usefixtures("today")

EDIT = {
    "applicant_name": "王某",
    "applicant_type": "natural",
    "channel": "in_person",
    "received_on": "2025-03-03",
    "content": "某路段立项批复",
    "reason": "",
}


def detail(browser, app) -> str:
    return browser.get(f"/applications/{app.pk}/").content.decode()


# ------------------------------------------------------------------ item 4


def test_edit_page_corrects_the_registration(staff, agency):
    app = register(staff, agency, applicant_name="王某", content="某路段立项批复")
    b = Browser(staff)
    assert f'href="/applications/{app.pk}/edit/"' in detail(b, app)
    page = b.get(f"/applications/{app.pk}/edit/").content.decode()
    assert 'value="王某"' in page and 'value="2025-03-03"' in page and "更正理由" in page
    url = f"/applications/{app.pk}/edit/"
    assert b.post_without_token(url, EDIT | {"applicant_name": "王某某", "reason": "x"}).status_code == 403
    with append_only():
        r = b.post(url, EDIT | {"applicant_name": "王某某", "received_on": "2025-03-04", "reason": "姓名和日期录错"})
    assert r.status_code == 302 and r["Location"] == f"/applications/{app.pk}/"
    app = fresh(app)
    assert (app.applicant_name, app.received_on, app.due_on) == ("王某某", date(2025, 3, 4), date(2025, 4, 1))
    html = detail(b, app)
    assert "修改登记信息" in html and "申请人：王某 → 王某某" in html and "收到日期：2025-03-03 → 2025-03-04" in html
    assert "理由：姓名和日期录错" in html
    assert "已更正" in html and "更正：日期 2025-03-03 → 2025-03-04" in html  # the receipt row replaced


def test_edit_form_errors_are_chinese(staff, agency):
    app = register(staff, agency, applicant_name="王某", content="某路段立项批复")
    b = Browser(staff)
    url = f"/applications/{app.pk}/edit/"
    r = b.post(url, EDIT | {"received_on": "2025-05-01", "reason": "日期"})
    assert r.status_code == 400 and "不能晚于今天（2025-04-30）" in r.content.decode()
    r = b.post(url, EDIT | {"applicant_name": "王某某"})
    assert r.status_code == 400 and "这个字段是必填项" in r.content.decode()  # the reason
    r = b.post(url, EDIT | {"reason": "没改"})
    assert r.status_code == 400 and "没有修改任何内容" in r.content.decode()
    event(staff, app, EventKind.CONSULTATION_STARTED, date(2025, 3, 5))
    r = b.post(url, EDIT | {"received_on": "2025-03-06", "reason": "改日期"})
    assert "晚于已记录的“开始征求意见”（2025-03-05）" in r.content.decode()
    assert app.events.count() == 3


def test_correct_a_reply(staff, agency):
    app = register(staff, agency)
    b = Browser(staff)
    b.post(f"/applications/{app.pk}/reply/", {"day": "2025-04-02", "outcome": "granted"})
    html = detail(b, app)
    assert "更正答复" in html and 'value="2025-04-02"' in html and "逾期答复" in html
    with append_only():
        r = b.post(
            f"/applications/{app.pk}/reply/correct/",
            {"day": "2025-03-28", "outcome": "partial", "reason": "答复书落款日期为3月28日"},
            follow=True,
        )
    html = r.content.decode()
    assert "已更正答复" in html and "逾期答复" not in html
    assert "更正：日期 2025-04-02 → 2025-03-28，办理结果 予以公开 → 部分公开" in html
    assert (fresh(app).replied_on, fresh(app).outcome) == (date(2025, 3, 28), "partial")
    r = b.post(f"/applications/{app.pk}/reply/correct/", {"day": "2025-05-01", "outcome": "partial", "reason": "x"})
    assert "答复日期：不能晚于今天（2025-04-30）" in b.get(r["Location"]).content.decode()


def test_withdraw_and_undo(staff, agency):
    app = register(staff, agency)
    b = Browser(staff)
    assert "申请人撤回申请" in detail(b, app)
    b.post(f"/applications/{app.pk}/withdraw/", {"day": "2025-03-12", "note": "电话撤回"})
    assert fresh(app).state == State.WITHDRAWN
    withdrawn = app.events.get(kind=EventKind.WITHDRAWN)
    html = detail(b, app)
    assert f'action="/applications/{app.pk}/events/{withdrawn.pk}/undo/"' in html
    url = f"/applications/{app.pk}/events/{withdrawn.pk}/undo/"
    with append_only():
        r = b.post(url, {"reason": "申请人并未撤回"}, follow=True)
    assert "已撤销“申请人撤回申请”（2025-03-12），原记录保留" in r.content.decode()
    app = fresh(app)
    assert (app.state, app.outcome, app.due_on) == (State.RUNNING, "", DUE)
    html = r.content.decode()
    assert "已撤销" in html and "撤销的事件：申请人撤回申请" in html and "理由：申请人并未撤回" in html
    r = b.post(url, {"reason": "再撤一次"}, follow=True)
    assert "已被更正或撤销" in r.content.decode()
    received = app.events.get(kind=EventKind.RECEIVED)
    assert f"/events/{received.pk}/undo/" not in html  # the receipt is corrected, never undone


def test_undo_needs_a_reason_and_the_right_agency(staff, other_staff, supervisor, agency):
    app = register(staff, agency)
    ev = event(staff, app, EventKind.CONSULTATION_STARTED, date(2025, 3, 5))
    url = f"/applications/{app.pk}/events/{ev.pk}/undo/"
    r = Browser(staff).post(url, {"reason": ""}, follow=True)
    assert "撤销理由：这个字段是必填项。" in r.content.decode()
    assert Browser(supervisor).post(url, {"reason": "x"}).status_code == 403
    assert Browser(other_staff).post(url, {"reason": "x"}).status_code == 404
    other_app = register(staff, agency, number="2025-002")
    # an event of another application through this one's URL: not found
    assert Browser(staff).post(f"/applications/{other_app.pk}/events/{ev.pk}/undo/", {"reason": "x"}).status_code == 404
    assert not ApplicationEvent.objects.filter(kind=EventKind.UNDONE).exists()


# ------------------------------------------------------------------ item 5


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/applications/new/", {"received_on": "2025-05-01"}, "不能晚于今天（2025-04-30）"),
        ("event/", {"kind": "consultation_started", "day": "2025-05-01"}, "日期：不能晚于今天（2025-04-30）"),
        ("reply/", {"day": "2025-05-01", "outcome": "granted"}, "答复日期：不能晚于今天（2025-04-30）"),
        ("withdraw/", {"day": "2025-05-01"}, "撤回日期：不能晚于今天（2025-04-30）"),
    ],
)
def test_future_dates_are_form_errors(staff, agency, url, data, message):
    app = register(staff, agency)
    b = Browser(staff)
    if url.startswith("/"):
        form = {"agency": agency.pk, "number": "F-1", "applicant_name": "王某", "applicant_type": "natural"}
        r = b.post(url, form | {"channel": "in_person", "content": "某文件"} | data)
        assert r.status_code == 200 and message in r.content.decode()
    else:
        r = b.post(f"/applications/{app.pk}/{url}", data, follow=True)
        assert message in r.content.decode()
    assert ApplicationEvent.objects.count() == 2


# ------------------------------------------------------------------ item 7: fees


@pytest.fixture
def eleventh(staff, agency):
    """张三's 11th application of March 2025: 按件, 100 元 (国办函〔2020〕109号第四条)."""
    apps = [
        register(staff, agency, number=f"M{i:02d}", received=date(2025, 3, d), applicant_name="张三")
        for i, d in enumerate((3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 17), 1)
    ]
    return apps[-1]


def test_fee_notice_delivery_payment(staff, eleventh):
    app, b = eleventh, Browser(staff)
    html = detail(b, app)
    assert "按台账计件：申请人“张三”2025年3月第11件（当月共11件），按件计收应收 <strong>100</strong> 元" in html
    url = f"/applications/{app.pk}/event/"
    with append_only():
        b.post(url, {"kind": "fee_notified", "day": "2025-03-24", "basis": "per_item"})
        html = detail(b, app)
        assert "2025-03-24，按件计收，100.00 元" in html and "申请人收到通知</dt><dd>尚未记录" in html
        b.post(url, {"kind": "fee_notice_received", "day": "2025-03-25"})
        html = detail(b, app)
        assert "缴费期限</dt><dd>2025-04-23" in html  # 20 working days from 03-26 (清明 04-04 off)
        b.post(url, {"kind": "fee_paid", "day": "2025-04-01"})
    fee = Fee.objects.get(application=app)
    assert (fee.amount, fee.notice_received_on, fee.paid_on) == (Decimal(100), date(2025, 3, 25), date(2025, 4, 1))
    assert "2025-04-01 已缴纳" in detail(b, app) and fresh(app).state == State.RUNNING


def test_non_payment_closes_the_application(staff, eleventh):
    app, b = eleventh, Browser(staff)
    event(staff, app, EventKind.FEE_NOTIFIED, date(2025, 3, 24), basis="per_item")
    html = detail(b, app)
    assert "逾期未缴费，视为放弃申请" not in html  # the window has not started: delivery unknown
    event(staff, app, EventKind.FEE_NOTICE_RECEIVED, date(2025, 3, 25))
    html = detail(b, app)
    assert "缴费期限 2025-04-23 已届满，申请人未缴纳费用" in html and "逾期未缴费，视为放弃申请" in html
    with append_only():
        r = b.post(f"/applications/{app.pk}/close-expired/", {}, follow=True)
    html = r.content.decode()
    assert "已办结：申请人逾期未按收费通知要求缴纳费用，视为放弃申请（2025-04-24" in html
    app = fresh(app)
    assert (app.state, app.outcome, app.replied_on) == (State.ABANDONED, "other.unpaid_fee", date(2025, 4, 24))
    assert "逾期未缴纳，视为放弃申请" in html


def test_fee_payment_recorded_by_mistake_is_undone(staff, eleventh):
    app, b = eleventh, Browser(staff)
    event(staff, app, EventKind.FEE_NOTIFIED, date(2025, 3, 24), basis="per_item")
    paid = event(staff, app, EventKind.FEE_PAID, date(2025, 3, 26))
    b.post(f"/applications/{app.pk}/events/{paid.pk}/undo/", {"reason": "款项未到账"})
    assert Fee.objects.get(application=app).paid_on is None and fresh(app).state == State.AWAITING_FEE
    assert "记录缴纳费用" in detail(b, app)
