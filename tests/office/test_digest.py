"""The daily reminder: what it lists (on 2025-04-30, three working days reach 2025-05-08 over the
May holiday), the e-mail through Django's mail settings, the pluggable channel, the command and
the dashboard's banner."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from typer.testing import CliRunner

from gongkai.cli import app as cli_app
from gongkai.office import notify
from gongkai.office.applications import services
from gongkai.office.applications.digest import digest_for
from gongkai.office.errors import OfficeError

from .factories import MembershipFactory

TODAY = date(2025, 4, 30)


def register(user, agency, number, received):
    return services.register_application(
        user,
        services.RegisterInput(agency=agency, number=number, applicant_type="natural", received_on=received),
    )


@pytest.fixture
def scene(staff, agency, today):
    """One application per list, and one that needs nothing yet."""
    register(staff, agency, "逾期-1", date(2025, 3, 3))  # due 2025-03-31
    register(staff, agency, "将到期-1", date(2025, 4, 7))  # due 2025-05-07
    register(staff, agency, "无事-1", date(2025, 4, 10))  # due 2025-05-12; its 补正 duty passed long ago
    register(staff, agency, "补正告知-1", date(2025, 4, 25))  # 补正 must be asked by 2025-05-08
    waiting = register(staff, agency, "补正-1", date(2025, 4, 1))
    services.record_event(
        staff,
        services.EventInput(application=waiting, kind="correction_requested", day=date(2025, 4, 2), days=10),
    )
    return agency


def numbers(items) -> list[str]:
    return [i.number for i in items]


def test_digest_lists(staff, scene):
    d = digest_for(staff, TODAY)
    assert d.until == date(2025, 5, 8)
    assert numbers(d.overdue) == ["逾期-1"]
    assert numbers(d.due_soon) == ["将到期-1"] and d.due_soon[0].day == date(2025, 5, 7)
    assert numbers(d.running_out) == ["补正告知-1"] and d.running_out[0].what == "补正告知期限"
    assert numbers(d.corrections) == ["补正-1"] and "可视为放弃申请" in d.corrections[0].what
    assert "无事-1" not in d.text()
    assert (
        d.summary() == "已逾期 1 件，3个工作日内到期 1 件，补正告知、征求意见期限将届满 1 件，申请人补正期限将届满 1 件"
    )


def test_digest_is_scoped_to_writable_agencies(scene, other_staff, supervisor):
    assert not digest_for(other_staff, TODAY)
    assert not digest_for(supervisor, TODAY)  # supervisors read; the digest goes to the office


def test_send_digests_by_email(staff, head, scene, other_staff):
    staff.email, head.email = "clerk@example.gov.cn", ""
    staff.save()
    head.save()
    sent = {s.username: s for s in notify.send_digests(TODAY)}
    assert sent[staff.username].delivered is True and sent[head.username].delivered is False
    assert other_staff.username not in sent  # nothing due: nothing sent
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clerk@example.gov.cn"] and "已逾期 1 件" in message.subject
    assert "逾期-1（某县交通运输局）：答复期限 2025-03-31" in message.body


def test_dry_run_sends_nothing(staff, scene):
    staff.email = "clerk@example.gov.cn"
    staff.save()
    assert [s.delivered for s in notify.send_digests(TODAY, dry_run=True)] == [None]
    assert mail.outbox == []


class Recorder:
    def __init__(self):
        self.sent = []

    def check(self) -> None:
        pass

    def send(self, user, subject, body) -> bool:
        self.sent.append((user.username, subject))
        return True


def test_the_channel_is_pluggable(staff, scene, settings):
    settings.GONGKAI_NOTIFIER = "tests.office.test_digest.Recorder"
    channel = notify.notifier()
    assert isinstance(channel, Recorder) and isinstance(channel, notify.Notifier)
    notify.send_digests(TODAY, channel=channel)
    assert [u for u, _ in channel.sent] == [staff.username] and mail.outbox == []


def test_a_bad_channel_setting_is_explained(settings):
    settings.GONGKAI_NOTIFIER = "nowhere.Sms"
    with pytest.raises(OfficeError, match="GONGKAI_NOTIFIER"):
        notify.notifier()
    settings.GONGKAI_NOTIFIER = "collections.OrderedDict"
    with pytest.raises(OfficeError, match="不是提醒方式"):
        notify.notifier()


def test_smtp_without_a_host_is_refused(settings, staff, scene):
    settings.EMAIL_BACKEND = notify.SMTP_BACKEND
    settings.GONGKAI_EMAIL_CONFIGURED = False
    with pytest.raises(OfficeError, match="GONGKAI_EMAIL_HOST"):
        notify.send_digests(TODAY)


def test_dashboard_banner(staff, other_staff, scene):
    c = Client()
    c.force_login(staff)
    html = c.get("/").content.decode()
    assert "今日提醒" in html and "已逾期 1 件" in html and "补正-1" in html
    c.force_login(other_staff)
    assert "今日提醒" not in c.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_command(monkeypatch):
    agency = MembershipFactory(agency__name="某县民政局", role="staff")
    agency.user.email = "mz@example.gov.cn"
    agency.user.save()
    from .correcting import Today

    Today(monkeypatch, TODAY)
    register(agency.user, agency.agency, "MZ-1", date(2025, 3, 3))
    runner = CliRunner()
    r = runner.invoke(cli_app, ["office", "digest", "--dry-run"])
    assert r.exit_code == 0, r.output
    assert f"{agency.user.username}：已逾期 1 件" in r.output and "未发送" in r.output and mail.outbox == []
    r = runner.invoke(cli_app, ["office", "digest"])
    assert r.exit_code == 0, r.output
    assert "已向 1 人发送提醒" in r.output and len(mail.outbox) == 1
