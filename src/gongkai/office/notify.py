"""Reminders to the people of an office: the daily digest (``applications.digest``) sent through a
pluggable channel.

The channel is a ``Notifier``: any class with ``send(user, subject, body) -> bool`` (True: sent;
False: this user cannot be reached through it, e.g. no e-mail address) and ``check()`` (raise
``OfficeError`` when the channel is not configured). The setting ``GONGKAI_NOTIFIER`` (environment
variable of the same name) names the class by its dotted path; the default is ``EmailNotifier``,
which sends through Django's mail settings (``GONGKAI_EMAIL_HOST`` … in ``settings.py``).

Plugging in an SMS gateway (短信平台, what county offices usually buy): write a class in any
importable module, e.g. ``myoffice/sms.py``::

    class SmsNotifier:
        def check(self) -> None:
            if not os.environ.get("SMS_API_KEY"):
                raise OfficeError("未配置短信平台的 SMS_API_KEY")

        def send(self, user, subject, body) -> bool:
            phone = lookup_phone(user)          # where the office keeps numbers
            if not phone:
                return False
            text = f"【政务公开】{subject}"      # an SMS is short: the subject carries the summary
            requests.post(GATEWAY_URL, json={"to": phone, "text": text}, timeout=10).raise_for_status()
            return True

then set ``GONGKAI_NOTIFIER=myoffice.sms.SmsNotifier`` for the server and for the cron job running
``gongkai office digest``. The subject is a one-line summary (``Digest.summary``), so a channel
that carries only a short text loses nothing essential.

From cron (every working morning): ``30 7 * * 1-5  gongkai office digest``; from Python:
``send_digests()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

from gongkai.office.errors import OfficeError

DEFAULT_NOTIFIER = "gongkai.office.notify.EmailNotifier"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@runtime_checkable
class Notifier(Protocol):
    def check(self) -> None:
        """Raise ``OfficeError`` (in Chinese) when the channel cannot send at all."""

    def send(self, user, subject: str, body: str) -> bool:
        """Deliver to ``user``; False when this user has no address on this channel."""


class EmailNotifier:
    """E-mail through Django's mail settings (SMTP in production; tests use Django's outbox)."""

    def check(self) -> None:
        if settings.EMAIL_BACKEND == SMTP_BACKEND and not getattr(settings, "GONGKAI_EMAIL_CONFIGURED", False):
            raise OfficeError("未配置邮件服务器：请设置环境变量 GONGKAI_EMAIL_HOST（及 GONGKAI_EMAIL_FROM 等）")

    def send(self, user, subject: str, body: str) -> bool:
        from django.core.mail import send_mail

        if not user.email:
            return False
        send_mail(subject, body, None, [user.email], fail_silently=False)
        return True


def notifier() -> Notifier:
    """The configured channel (``GONGKAI_NOTIFIER``)."""
    path = getattr(settings, "GONGKAI_NOTIFIER", "") or DEFAULT_NOTIFIER
    try:
        channel = import_string(path)()
    except ImportError as e:
        raise OfficeError(f"GONGKAI_NOTIFIER 设置的提醒方式 {path} 无法加载：{e}") from None
    if not isinstance(channel, Notifier):
        raise OfficeError(f"GONGKAI_NOTIFIER 设置的 {path} 不是提醒方式：需要 check() 和 send(user, subject, body)")
    return channel


@dataclass(frozen=True)
class Sent:
    username: str
    summary: str
    count: int
    delivered: bool | None  # None: dry run; False: no address on the channel


def recipients():
    """Active users holding a writer role (staff, head, admin) on some agency."""
    from django.contrib.auth import get_user_model

    from gongkai.office.agencies.models import WRITERS

    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role__in=[r.value for r in WRITERS])
        .distinct()
        .order_by("username")
    )


def send_digests(today: date | None = None, *, dry_run: bool = False, channel: Notifier | None = None) -> list[Sent]:
    """Send each recipient with something due their digest; nothing is sent to those without.
    ``dry_run``: compose only."""
    from django.utils import timezone

    from gongkai.office.applications.digest import digest_for

    today = today or timezone.localdate()
    channel = channel or notifier()
    if not dry_run:
        channel.check()
    out = []
    for user in recipients():
        digest = digest_for(user, today)
        if not digest:
            continue
        subject = f"政府信息公开期限提醒（{today.isoformat()}）：{digest.summary()}"
        delivered = None if dry_run else channel.send(user, subject, digest.text())
        out.append(Sent(user.username, digest.summary(), digest.total, delivered))
    return out
