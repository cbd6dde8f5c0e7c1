"""The API tests' scenario (no tests here): a county government with two departments.

- 甲 = 某县交通运输局 (the ``agency`` fixture), 乙 = 某县教育局, both under 某县人民政府;
- tokens for 甲's staff and head, 乙's staff, and a supervisor on the county;
- one application and one annual-report draft in each department.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest

from gongkai.office.agencies.models import Agency
from gongkai.office.annual.models import AnnualReport
from gongkai.office.annual.services import BuildInput, build_annual_report
from gongkai.office.api.tokens import issue_token
from gongkai.office.applications.models import Application
from gongkai.office.applications.services import RegisterInput, register_application

from .factories import AgencyFactory, MembershipFactory

YEAR = 2024


@dataclass
class World:
    county: Agency
    a: Agency
    b: Agency
    app_a: Application
    app_b: Application
    report_a: AnnualReport
    report_b: AnnualReport
    keys: dict[str, str]  # who → plain token key
    users: dict


def register(actor, agency, number, received=date(YEAR, 9, 27)):
    data = RegisterInput(
        agency=agency, number=number, applicant_type="natural", received_on=received, channel="in_person"
    )
    return register_application(actor, data)


@pytest.fixture
def world(agency, staff, head, supervisor) -> World:
    b = AgencyFactory(name="某县教育局", parent=agency.parent)
    staff_b = MembershipFactory(agency=b, role="staff").user
    users = {"staff_a": staff, "head_a": head, "supervisor": supervisor, "staff_b": staff_b}
    app_a = register(staff, agency, "甲-001")
    app_b = register(staff_b, b, "乙-001")
    report_a, _ = build_annual_report(staff, BuildInput(agency=agency, year=YEAR))
    report_b, _ = build_annual_report(staff_b, BuildInput(agency=b, year=YEAR))
    keys = {who: issue_token(user, "测试") for who, user in users.items()}
    return World(agency.parent, agency, b, app_a, app_b, report_a, report_b, keys, users)


def call(client, method: str, url: str, key: str | None = None, body: dict | None = None, **query):
    """One API request, with ``Authorization: Bearer <key>`` when a key is given."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if method == "get":
        return client.get(url, query, headers=headers)
    send = getattr(client, method)  # post, put, patch
    return send(url, json.dumps(body or {}), content_type="application/json", headers=headers)


def register_body(agency: Agency, number: str = "甲-002") -> dict:
    return {"agency": agency.pk, "number": number, "applicant_type": "natural", "received_on": "2024-09-27"}


EVENT_BODY = {"kind": "consultation_started", "day": "2024-10-08", "party": "third_party"}
REPLY_BODY = {"day": "2024-10-15", "outcome": "granted"}


# Every endpoint: name → (method, url with {app} and {report} for the target's ids).
ENDPOINTS = {
    "agencies": ("get", "/api/agencies/"),
    "applications": ("get", "/api/applications/"),
    "application": ("get", "/api/applications/{app}/"),
    "register": ("post", "/api/applications/"),
    "event": ("post", "/api/applications/{app}/events/"),
    "reply": ("post", "/api/applications/{app}/reply/"),
    "reports": ("get", "/api/reports/"),
    "report": ("get", "/api/reports/{report}/"),
    "build": ("post", "/api/reports/build/"),
    "checks": ("get", "/api/reports/{report}/checks/"),
    "sections": ("get", "/api/reports/{report}/sections/"),
    "section": ("put", "/api/reports/{report}/sections/{section}/"),
    "section_history": ("get", "/api/reports/{report}/sections/{section}/history/"),
    "versions": ("get", "/api/reports/{report}/versions/"),
    "changes": ("get", "/api/reports/{report}/changes/"),
    "restore": ("post", "/api/reports/{report}/sections/{section}/restore/"),
    "submit": ("post", "/api/reports/{report}/submit/"),
    "return": ("post", "/api/reports/{report}/return/"),  # the supervising office's own write
    # correcting applications and extensions (issue 13, items 4, 6, 7); {event_id}: the receipt
    "edit": ("patch", "/api/applications/{app}/"),
    "reply_correct": ("post", "/api/applications/{app}/reply/correct/"),
    "withdraw": ("post", "/api/applications/{app}/withdraw/"),
    "undo": ("post", "/api/applications/{app}/events/{event_id}/undo/"),
    "close_expired": ("post", "/api/applications/{app}/close-expired/"),
    "extension_request": ("post", "/api/applications/{app}/extension-requests/"),
    "extension_requests": ("get", "/api/applications/extension-requests/"),
    "extension_approve": ("post", "/api/applications/extension-requests/{event_id}/approve/"),
    "extension_refuse": ("post", "/api/applications/extension-requests/{event_id}/refuse/"),
}
WRITES = [name for name, (method, _) in ENDPOINTS.items() if method != "get" and name != "return"]
LISTS = ["agencies", "applications", "reports", "extension_requests"]


def request_for(name: str, w: World, *, own: bool = True) -> tuple[str, str, dict | None]:
    """(method, url, body) of endpoint ``name`` aimed at department 甲's objects (``own``) or 乙's."""
    app, report, agency = (w.app_a, w.report_a, w.a) if own else (w.app_b, w.report_b, w.b)
    method, url = ENDPOINTS[name]
    bodies = {
        "register": register_body(agency),
        "event": EVENT_BODY,
        "reply": REPLY_BODY,
        "build": {"agency": agency.pk, "year": YEAR},
        "section": {"text": "正文", "version": 0},
        "restore": {"version": 1, "current": 1},
        "submit": {"confirm": True},
        "return": {"reason": "请补充"},
        "edit": {"applicant_name": "某某", "reason": "录错"},
        "reply_correct": {"outcome": "partial", "reason": "录错"},
        "withdraw": {"day": "2024-10-20"},
        "undo": {"reason": "录错"},
        "extension_request": {"days": 10, "reason": "调档"},
        "extension_refuse": {"reason": "不必"},
    }
    received = app.events.get(kind="received").pk
    return method, url.format(app=app.pk, report=report.pk, event_id=received, section="s5"), bodies.get(name)
