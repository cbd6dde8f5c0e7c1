"""Issue 13, items 4 and 5, through the services: a clerk corrects the registration, the reply,
and undoes events — each a new row of the ledger naming who, when, why and the values before
and after; the deadline follows the events in force; dates that cannot be true are refused.

Dates (counted by hand on the 2025 calendar, 清明 4-04 off): received Monday 2025-03-03 → due
2025-03-31; received 03-04 → 04-01; a consultation 03-05..03-10 (4 working days) → 04-07.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.office.applications import services
from gongkai.office.applications.fees import check_notice, fee_year
from gongkai.office.applications.models import Application, ApplicationEvent, EventKind, Fee, State
from gongkai.office.errors import NotAllowed, OfficeError

from .correcting import DUE, RECEIVED, append_only, event, fresh, register

pytestmark = pytest.mark.usefixtures("today")


def edit(actor, app, reason="登记时录入有误", **fields):
    return services.edit_application(actor, services.EditInput(application=app, reason=reason, **fields))


def correct(actor, app, reason="答复日期录入有误", **fields):
    return services.correct_reply(actor, services.ReplyCorrectionInput(application=app, reason=reason, **fields))


def undo(actor, ev, reason="记错了"):
    return services.undo_event(actor, services.UndoInput(event=ev, reason=reason))


def reply(actor, app, day, outcome="granted"):
    return services.reply(actor, services.ReplyInput(application=app, day=day, outcome=outcome))


def last(app) -> ApplicationEvent:
    return app.events.order_by("id").last()


def in_force_kinds(app) -> list[str]:
    """The kinds the clocks read (bookkeeping rows left out), in force, in ledger order."""
    kinds = app.events.in_force().order_by("day", "id").values_list("kind", flat=True)
    return [k for k in kinds if EventKind(k).for_deadline]


# ------------------------------------------------------------------ item 4: the registration


def test_edit_names_who_when_why_and_before_after(staff, agency):
    app = register(staff, agency, applicant_name="王某", content="某路段立项批复")
    with append_only():
        edit(
            staff, app, reason="申请人姓名录错", applicant_name="王某某", content="某路段改扩建立项批复", channel="post"
        )
    ev = app.events.get(kind=EventKind.EDITED)
    assert ev.actor == staff and ev.actor == staff and ev.at is not None
    assert ev.day == date(2025, 4, 30)  # the day of the correction
    assert ev.data == {
        "applicant_name": ["王某", "王某某"],
        "content": ["某路段立项批复", "某路段改扩建立项批复"],
        "channel": ["in_person", "post"],
        "reason": "申请人姓名录错",
    }
    app = fresh(app)
    assert (app.applicant_name, app.content, app.channel) == ("王某某", "某路段改扩建立项批复", "post")
    registered = app.events.get(kind=EventKind.REGISTERED)
    assert registered.data["applicant_name"] == "王某"  # the registration as it was, kept
    # the channel is part of the receipt (第三十一条): the receipt is replaced, its day unchanged
    receipts = list(app.events.filter(kind=EventKind.RECEIVED).order_by("id"))
    assert len(receipts) == 2 and receipts[1].amends == receipts[0]
    assert receipts[1].data["channel"] == "post" and receipts[1].day == RECEIVED
    assert app.due_on == DUE


def test_edit_day_of_receipt_moves_the_deadline(staff, agency):
    app = register(staff, agency)
    assert fresh(app).due_on == DUE
    with append_only():
        edit(staff, app, reason="实际收到日期为3月4日", received_on=date(2025, 3, 4))
    app = fresh(app)
    assert (app.received_on, app.due_on) == (date(2025, 3, 4), date(2025, 4, 1))
    old, new = app.events.filter(kind=EventKind.RECEIVED).order_by("id")
    assert old.day == RECEIVED and new.day == date(2025, 3, 4) and new.amends == old
    assert (
        new.data["corrects"] == {"day": ["2025-03-03", "2025-03-04"]} and new.data["reason"] == "实际收到日期为3月4日"
    )
    assert last(app).kind == EventKind.RECEIVED
    edited = app.events.get(kind=EventKind.EDITED)
    assert edited.data == {"received_on": ["2025-03-03", "2025-03-04"], "reason": "实际收到日期为3月4日"}
    assert in_force_kinds(app) == [EventKind.RECEIVED]
    assert services.deadline_of(app).steps[-1] == "答复期限 2025-04-01"


def test_day_of_receipt_after_a_recorded_event_is_refused(staff, agency):
    app = register(staff, agency)
    event(staff, app, EventKind.CONSULTATION_STARTED, date(2025, 3, 5), party="third_party")
    with pytest.raises(OfficeError, match=r"收到日期 2025-03-06 晚于已记录的“开始征求意见”（2025-03-05）"):
        edit(staff, app, received_on=date(2025, 3, 6))
    assert fresh(app).received_on == RECEIVED and app.events.count() == 3  # rolled back


def test_confirmed_application_corrects_its_confirmation(staff, agency):
    app = register(staff, agency, channel="online", awaiting_confirmation=True)
    event(staff, app, EventKind.RECEIPT_CONFIRMED, date(2025, 3, 5))
    assert fresh(app).due_on == date(2025, 4, 2)
    edit(staff, app, reason="确认之日记错", received_on=date(2025, 3, 6))
    app = fresh(app)
    assert (app.received_on, app.due_on) == (date(2025, 3, 6), date(2025, 4, 3))
    confirmations = list(app.events.filter(kind=EventKind.RECEIPT_CONFIRMED).order_by("id"))
    assert [c.day for c in confirmations] == [date(2025, 3, 5), date(2025, 3, 6)]
    assert app.events.filter(kind=EventKind.RECEIVED).count() == 1  # the day it arrived stays
    with pytest.raises(OfficeError, match="早于提交之日"):
        edit(staff, app, received_on=date(2025, 3, 2))


def test_channel_that_needs_no_confirmation_starts_the_clock(staff, agency):
    app = register(staff, agency, channel="online", awaiting_confirmation=True)
    assert fresh(app).state == State.AWAITING_CONFIRMATION
    edit(staff, app, reason="实为当面提交", channel="in_person")
    app = fresh(app)
    assert (app.state, app.due_on) == (State.RUNNING, DUE)
    assert "pending" not in last(app).data


def test_edit_needs_a_reason_a_writer_and_a_change(staff, supervisor, agency):
    app = register(staff, agency, applicant_name="王某")
    with pytest.raises(OfficeError, match="请写明更正的理由"):
        edit(staff, app, reason="  ", applicant_name="王某某")
    with pytest.raises(NotAllowed):
        edit(supervisor, app, applicant_name="王某某")
    assert edit(staff, app, applicant_name="王某") == app  # nothing changed, nothing written
    assert app.events.count() == 2


# ------------------------------------------------------------------ item 4: the reply


def test_correct_reply_day_clears_the_late_flag(staff, agency):
    app = register(staff, agency)
    reply(staff, app, date(2025, 4, 2))
    assert services.deadline_of(fresh(app)).late is True  # after 03-31
    with append_only():
        correct(staff, app, reason="答复书落款为3月28日", day=date(2025, 3, 28), outcome="partial")
    app = fresh(app)
    assert (app.replied_on, app.outcome, app.state) == (date(2025, 3, 28), "partial", State.REPLIED)
    assert services.deadline_of(app).late is False
    old, new = app.events.filter(kind=EventKind.REPLIED).order_by("id")
    assert new.amends == old and old.data == {"outcome": "granted"}
    assert new.data["corrects"] == {"day": ["2025-04-02", "2025-03-28"], "outcome": ["granted", "partial"]}
    assert new.data["reason"] == "答复书落款为3月28日" and new.actor == staff


def test_correct_reply_refusals(staff, agency):
    app = register(staff, agency)
    with pytest.raises(OfficeError, match="尚未办结"):
        correct(staff, app, outcome="partial")
    reply(staff, app, date(2025, 3, 20))
    with pytest.raises(OfficeError, match="无需更正"):
        correct(staff, app, day=date(2025, 3, 20), outcome="granted")
    with pytest.raises(OfficeError, match="早于收到日期"):
        correct(staff, app, day=date(2025, 3, 1))
    with pytest.raises(OfficeError, match="不适用于2025年的答复"):
        correct(staff, app, outcome="other")  # the gb2019 row
    withdrawn = register(staff, agency, number="2025-002")
    services.withdraw(staff, services.WithdrawInput(application=withdrawn, day=date(2025, 3, 10)))
    with pytest.raises(OfficeError, match="撤回的申请计入“其他处理”"):
        correct(staff, withdrawn, outcome="granted")
    correct(staff, withdrawn, reason="撤回日期记错", day=date(2025, 3, 11))
    assert fresh(withdrawn).replied_on == date(2025, 3, 11) and fresh(withdrawn).state == State.WITHDRAWN


def test_correcting_into_abandonment_changes_the_closing(staff, agency):
    app = register(staff, agency)
    reply(staff, app, date(2025, 3, 20), outcome="other.other")
    correct(staff, app, reason="实为逾期不缴费", outcome="other.unpaid_fee")
    assert fresh(app).state == State.ABANDONED and last(app).kind == EventKind.ABANDONED


def test_set_outcome_is_a_reply_correction(staff, agency):
    app = register(staff, agency)
    reply(staff, app, date(2025, 3, 20))
    services.set_outcome(staff, services.OutcomeInput(application=app, outcome="partial", note="口径有误"))
    assert fresh(app).outcome == "partial"
    assert last(app).data["corrects"] == {"outcome": ["granted", "partial"]} and last(app).data["reason"] == "口径有误"


# ------------------------------------------------------------------ item 4: withdrawal and undo


def test_withdrawal_closes_as_other(staff, agency):
    app = register(staff, agency)
    with append_only():
        services.withdraw(staff, services.WithdrawInput(application=app, day=date(2025, 3, 12), note="电话撤回"))
    app = fresh(app)
    assert (app.state, app.outcome, app.replied_on) == (State.WITHDRAWN, "other.other", date(2025, 3, 12))


def test_undo_a_consultation_restores_the_deadline(staff, agency):
    app = register(staff, agency)
    started = event(staff, app, EventKind.CONSULTATION_STARTED, date(2025, 3, 5), party="third_party")
    ended = event(staff, app, EventKind.CONSULTATION_ENDED, date(2025, 3, 10), party="third_party")
    assert fresh(app).due_on == date(2025, 4, 7)
    with pytest.raises(OfficeError, match="征求意见结束，但此前没有开始征求意见"):
        undo(staff, started)  # the end would be left without a start
    with append_only():
        undone = undo(staff, ended, reason="征求意见尚未结束")
        assert fresh(app).state == State.CONSULTING
        undo(staff, started, reason="未实际征求意见")
    app = fresh(app)
    assert (app.state, app.due_on) == (State.RUNNING, DUE)
    assert undone.kind == EventKind.UNDONE and undone.amends == ended and undone.actor == staff
    assert undone.data == {"kind": "consultation_ended", "day": "2025-03-10", "reason": "征求意见尚未结束"}
    assert app.events.count() == 6  # nothing removed: registered, received, 2 events, 2 undoings


def test_undo_a_reply_reopens_the_application(staff, agency):
    app = register(staff, agency)
    reply(staff, app, date(2025, 3, 20))
    undo(staff, app.events.get(kind=EventKind.REPLIED), reason="答复书尚未送达，误登")
    app = fresh(app)
    assert (app.state, app.outcome, app.replied_on, app.due_on) == (State.RUNNING, "", None, DUE)
    reply(staff, app, date(2025, 3, 25), outcome="partial")
    assert fresh(app).outcome == "partial"


def test_undo_fee_events_follow_into_the_fee(staff, agency):
    app = register(staff, agency)
    notice = event(staff, app, EventKind.FEE_NOTIFIED, date(2025, 3, 24), amount=Decimal(100), basis="per_item")
    paid = event(staff, app, EventKind.FEE_PAID, date(2025, 3, 26))
    undo(staff, paid, reason="缴费未到账")
    fee = Fee.objects.get(application=app)
    assert (fee.notified_on, fee.paid_on) == (date(2025, 3, 24), None)
    assert fresh(app).state == State.AWAITING_FEE
    undo(staff, notice, reason="不应收费")
    assert not Fee.objects.filter(application=app).exists()
    assert fresh(app).state == State.RUNNING and fresh(app).due_on == DUE
    assert check_notice(app) is None
    assert fee_year(agency, 2025).notices == 0


def test_what_cannot_be_undone(staff, head, agency):
    app = register(staff, agency)
    with pytest.raises(OfficeError, match="“收到申请”不能撤销"):
        undo(staff, app.events.get(kind=EventKind.RECEIVED))
    with pytest.raises(OfficeError, match="不能撤销"):
        undo(staff, app.events.get(kind=EventKind.REGISTERED))
    ev = event(staff, app, EventKind.CONSULTATION_STARTED, date(2025, 3, 5))
    undone = undo(staff, ev)
    with pytest.raises(OfficeError, match="已被更正或撤销"):
        undo(staff, ev)
    with pytest.raises(OfficeError, match="撤销记录不能再撤销"):
        undo(staff, undone)
    with pytest.raises(OfficeError, match="请写明更正的理由"):
        undo(staff, event(staff, app, EventKind.CONSULTATION_STARTED, date(2025, 3, 6)), reason="")
    approved = event(head, app, EventKind.EXTENSION_APPROVED, date(2025, 3, 28), days=10)
    with pytest.raises(NotAllowed, match="办公室负责人"):
        undo(staff, approved)  # 第三十三条: the head's decision, the head's to take back
    undo(head, approved, reason="批准日期有误")
    # the consultation of 03-06 is still open: due as if the third party used its 15 working days
    assert in_force_kinds(app) == [EventKind.RECEIVED, EventKind.CONSULTATION_STARTED]
    assert Application.objects.get(pk=app.pk).due_on == date(2025, 4, 23)


# ------------------------------------------------------------------ item 5: dates that cannot be true

TOMORROW = date(2025, 5, 1)


def test_future_dates_are_refused_everywhere(staff, head, agency):
    with pytest.raises(OfficeError, match=r"收到日期 2025-05-01 晚于今天（2025-04-30）"):
        register(staff, agency, number="F-1", received=TOMORROW)
    app = register(staff, agency)
    for kind in (EventKind.CONSULTATION_STARTED, EventKind.CORRECTION_REQUESTED):
        with pytest.raises(OfficeError, match="晚于今天"):
            event(staff, app, kind, TOMORROW)
    with pytest.raises(OfficeError, match="晚于今天"):
        event(head, app, EventKind.EXTENSION_APPROVED, TOMORROW, days=10)
    with pytest.raises(OfficeError, match=r"答复日期 2025-05-01 晚于今天"):
        reply(staff, app, TOMORROW)
    with pytest.raises(OfficeError, match=r"撤回日期 2025-05-01 晚于今天"):
        services.withdraw(staff, services.WithdrawInput(application=app, day=TOMORROW))
    with pytest.raises(OfficeError, match=r"收到日期 2025-05-01 晚于今天"):
        edit(staff, app, received_on=TOMORROW)
    reply(staff, app, date(2025, 4, 30))  # today is fine
    with pytest.raises(OfficeError, match=r"答复日期 2025-05-01 晚于今天"):
        correct(staff, app, day=TOMORROW)
    assert app.events.count() == 3


def test_reply_before_receipt_is_still_refused(staff, agency):
    app = register(staff, agency)
    with pytest.raises(OfficeError, match="答复日期 2025-03-02 早于收到日期 2025-03-03"):
        reply(staff, app, date(2025, 3, 2))


def test_ledger_import_refuses_future_dates_row_by_row(staff, agency, tmp_path):
    from openpyxl import Workbook

    from gongkai.office.applications.ledger import LedgerRejected

    book = Workbook()
    sheet = book.active
    sheet.append(["申请编号", "申请人", "申请人类型", "收到日期", "办理结果", "答复日期"])
    sheet.append(["L-1", "张三", "自然人", "2025-03-03", "予以公开", "2025-05-06"])
    sheet.append(["L-2", "李四", "自然人", "2025-05-01", "", ""])
    path = tmp_path / "台账.xlsx"
    book.save(path)
    with pytest.raises(LedgerRejected) as refused:
        services.import_ledger(staff, services.LedgerInput(agency=agency, path=str(path)))
    text = "\n".join(str(p) for p in refused.value.problems)
    assert "2025-05-06 晚于今天（2025-04-30）" in text and "2025-05-01 晚于今天（2025-04-30）" in text
    assert not Application.objects.filter(number__startswith="L-").exists()
