"""Helpers of the correction, extension and fee tests (issue 13, items 4–7): a pinned today, a
CSRF-enforcing browser, and the append-only guard over the event table."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.office.applications import services
from gongkai.office.applications.models import Application, ApplicationEvent

# 2025-03-03 is a Monday; received then, the reply is due 2025-03-31 (20 working days).
RECEIVED = date(2025, 3, 3)
DUE = date(2025, 3, 31)
TODAY = date(2025, 4, 30)  # the pinned "today" of these tests; 2025-05-01 is the future


class Today:
    """``timezone.localdate()`` pinned to ``day`` (services, forms and pages all ask it)."""

    def __init__(self, monkeypatch, day: date) -> None:
        self.day = day
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: self.day)


def register(actor, agency, number="2025-001", received=RECEIVED, channel="in_person", **kw) -> Application:
    data = services.RegisterInput(
        agency=agency, number=number, applicant_type="natural", received_on=received, channel=channel, **kw
    )
    return services.register_application(actor, data)


def event(actor, app, kind, day, **kw) -> ApplicationEvent:
    return services.record_event(actor, services.EventInput(application=app, kind=kind, day=day, **kw))


def fresh(app) -> Application:
    return Application.objects.get(pk=app.pk)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


class Browser:
    """A logged-in client that enforces CSRF, posting forms with the token as a browser would."""

    def __init__(self, user) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(user)

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def post(self, url: str, data: dict, *, follow: bool = False):
        return self.client.post(url, {**data, "csrfmiddlewaretoken": self._token()}, follow=follow)

    def post_without_token(self, url: str, data: dict):
        return self.client.post(url, data)

    def _token(self) -> str:
        if "csrftoken" not in self.client.cookies:
            self.client.get("/")  # every page's logout form sets the cookie
        return self.client.cookies["csrftoken"].value


def _rows() -> dict[int, dict]:
    return {row["id"]: row for row in ApplicationEvent.objects.values()}


_WRITES = re.compile(r'^\s*(UPDATE|DELETE\s+FROM)\s+"?applications_applicationevent"?', re.IGNORECASE)


@contextmanager
def append_only():
    """Inside the block no event row is updated or deleted: every row there before is there
    after, unchanged, and no UPDATE or DELETE statement touches the event table."""
    before = _rows()
    with CaptureQueriesContext(connection) as queries:
        yield
    rewrites = [q["sql"] for q in queries.captured_queries if _WRITES.match(q["sql"])]
    assert rewrites == []
    after = _rows()
    assert set(before) <= set(after), "an event row was deleted"
    assert {pk: after[pk] for pk in before} == before, "an event row was changed"
