"""Applications: services write events; the deadline is derived from them (exact dates across 国庆 2024)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.office.applications import services
from gongkai.office.applications.models import Application, ApplicationEvent, EventKind, Fee, State
from gongkai.office.errors import NotAllowed, OfficeError

RECEIVED = date(2024, 9, 27)  # a Friday before 国庆 2024; 9-29 (Sunday) and 10-12 (Saturday) are make-up workdays


def register(actor, agency, number="2024-001", received=RECEIVED, **kw):
    data = services.RegisterInput(
        agency=agency, number=number, applicant_type="natural", received_on=received, channel="in_person", **kw
    )
    return services.register_application(actor, data)


def event(actor, app, kind, day, **kw):
    return services.record_event(actor, services.EventInput(application=app, kind=kind, day=day, **kw))


def fresh(app):
    return Application.objects.get(pk=app.pk)


def test_register_writes_events_and_derives_due_date(staff, agency):
    app = register(staff, agency, applicant_name="张三")
    kinds = list(app.events.order_by("id").values_list("kind", flat=True))
    assert kinds == [EventKind.REGISTERED, EventKind.RECEIVED]
    app = fresh(app)
    assert app.state == State.RUNNING
    assert app.due_on == date(2024, 10, 30)  # 20 working days, 国庆 not counted, 9-29 and 10-12 counted
    assert not app.provisional
    assert services.deadline_of(app).steps[-1] == "答复期限 2024-10-30"


def test_duplicate_number_refused(staff, agency):
    register(staff, agency)
    with pytest.raises(OfficeError, match="已有编号为 2024-001"):
        register(staff, agency)


def test_consultation_pauses_the_clock(staff, agency):
    app = register(staff, agency)
    event(staff, app, EventKind.CONSULTATION_STARTED, date(2024, 10, 8), party="third_party")
    assert fresh(app).state == State.CONSULTING
    # an open consultation stops the clock at most until the third party's 15 working days (10-28): issue 11
    assert (fresh(app).due_on, fresh(app).consultation_due_on) == (date(2024, 11, 21), date(2024, 10, 28))
    event(staff, app, EventKind.CONSULTATION_ENDED, date(2024, 10, 10), party="third_party")
    app = fresh(app)
    assert app.state == State.RUNNING
    assert app.due_on == date(2024, 11, 4)  # 3 working days (10-08..10-10) not counted


def test_correction_restarts_the_period(staff, agency):
    app = register(staff, agency)
    event(staff, app, EventKind.CORRECTION_REQUESTED, date(2024, 9, 30), days=10)
    assert fresh(app).state == State.AWAITING_CORRECTION
    event(staff, app, EventKind.CORRECTION_RECEIVED, date(2024, 10, 9))
    assert fresh(app).due_on == date(2024, 11, 5)  # 20 working days from 10-09 (10-12 counted)


def test_extension_needs_the_head(staff, head, agency):
    app = register(staff, agency)
    with pytest.raises(NotAllowed, match="办公室负责人"):
        event(staff, app, EventKind.EXTENSION_APPROVED, date(2024, 10, 25), days=20)
    assert not ApplicationEvent.objects.filter(application=app, kind=EventKind.EXTENSION_APPROVED).exists()
    event(head, app, EventKind.EXTENSION_APPROVED, date(2024, 10, 25), days=20)
    assert fresh(app).due_on == date(2024, 11, 27)
    with pytest.raises(OfficeError, match="只能延长一次"):
        event(head, app, EventKind.EXTENSION_APPROVED, date(2024, 10, 28), days=5)
    assert fresh(app).due_on == date(2024, 11, 27)  # the refused event rolled back


def test_superuser_cannot_extend_without_the_head_role(agency, django_user_model, staff):
    root = django_user_model.objects.create_superuser("root", password="x")
    app = register(root, agency)
    with pytest.raises(NotAllowed):
        event(root, app, EventKind.EXTENSION_APPROVED, date(2024, 10, 25))


def test_outsider_and_supervisor_cannot_register(outsider, supervisor, agency):
    for user in (outsider, supervisor):
        with pytest.raises(NotAllowed, match="不能登记申请"):
            register(user, agency)


def test_reply_sets_outcome_and_closes(staff, agency):
    app = register(staff, agency)
    services.reply(staff, services.ReplyInput(application=app, day=date(2024, 10, 30), outcome="granted"))
    app = fresh(app)
    assert (app.state, app.outcome, app.replied_on) == (State.REPLIED, "granted", date(2024, 10, 30))
    assert services.deadline_of(app).late is False
    with pytest.raises(OfficeError, match="已答复"):
        event(staff, app, EventKind.CONSULTATION_STARTED, date(2024, 11, 1))


def test_reply_outcome_must_fit_the_year(staff, agency):
    app = register(staff, agency)
    with pytest.raises(OfficeError, match="不适用于2024年"):
        services.reply(staff, services.ReplyInput(application=app, day=date(2024, 10, 30), outcome="other"))
    old = register(staff, agency, number="2020-1", received=date(2020, 12, 1))
    services.reply(staff, services.ReplyInput(application=old, day=date(2020, 12, 10), outcome="other"))
    with pytest.raises(OfficeError):
        services.set_outcome(staff, services.OutcomeInput(application=old, outcome="other.other"))


def test_no_correction_is_abandonment(staff, agency):
    app = register(staff, agency)
    event(staff, app, EventKind.CORRECTION_REQUESTED, date(2024, 9, 30), days=10)
    services.reply(staff, services.ReplyInput(application=app, day=date(2024, 11, 20), outcome="other.no_correction"))
    assert fresh(app).state == State.ABANDONED
    assert app.events.order_by("id").last().kind == EventKind.ABANDONED


def test_withdraw_counts_as_other(staff, agency):
    app = register(staff, agency)
    services.withdraw(staff, services.WithdrawInput(application=app, day=date(2024, 10, 9)))
    app = fresh(app)
    assert (app.state, app.outcome) == (State.WITHDRAWN, "other.other")


def test_fee_notice_and_payment(staff, agency):
    from decimal import Decimal

    app = register(staff, agency)
    event(staff, app, EventKind.FEE_NOTIFIED, date(2024, 10, 8), amount=Decimal("100"), basis="per_item")
    assert fresh(app).state == State.AWAITING_FEE
    event(staff, app, EventKind.FEE_PAID, date(2024, 10, 9))
    fee = Fee.objects.get(application=app)
    assert (fee.amount, fee.notified_on, fee.paid_on) == (Decimal("100.00"), date(2024, 10, 8), date(2024, 10, 9))
    assert fresh(app).due_on == date(2024, 11, 1)  # 10-08 and 10-09 not counted


def test_edit_writes_an_event(staff, agency):
    app = register(staff, agency)
    services.edit_application(
        staff, services.EditInput(application=app, reason="类型登记错误", applicant_type="business")
    )
    last = app.events.order_by("id").last()
    assert last.kind == EventKind.EDITED
    assert last.data == {"applicant_type": ["natural", "business"], "reason": "类型登记错误"}


def test_events_are_append_only(staff, agency):
    app = register(staff, agency)
    ev = app.events.first()
    ev.data = {"x": 1}
    with pytest.raises(OfficeError, match="只能追加"):
        ev.save()
    with pytest.raises(OfficeError):
        ev.delete()
    with pytest.raises(OfficeError):
        ApplicationEvent.objects.filter(application=app).update(day=date(2024, 1, 1))
    with pytest.raises(OfficeError):
        ApplicationEvent.objects.filter(application=app).delete()


def test_manager_queries(staff, agency):
    a = register(staff, agency, number="a", received=date(2024, 9, 27))  # due 2024-10-30
    b = register(staff, agency, number="b", received=date(2024, 10, 14))  # due 2024-11-11
    c = register(staff, agency, number="c", received=date(2024, 10, 14))
    services.reply(staff, services.ReplyInput(application=c, day=date(2024, 10, 20), outcome="granted"))
    d = register(staff, agency, number="d", received=date(2024, 10, 14))
    event(staff, d, EventKind.CONSULTATION_STARTED, date(2024, 10, 15))  # clock stopped: no due date
    assert fresh(b).due_on == date(2024, 11, 11)
    qs = Application.objects.filter(agency=agency)
    assert set(qs.open()) == {a, b, d}
    assert list(qs.overdue(date(2024, 10, 31))) == [a]
    assert list(qs.overdue(date(2024, 10, 30))) == []
    assert set(qs.due_within(date(2024, 10, 28), 2)) == {a}  # 10-28 .. 10-30
    assert set(qs.due_within(date(2024, 10, 28), 10)) == {a, b}  # .. 11-11
