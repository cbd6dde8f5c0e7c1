"""Issue 13, items 4, 5 and 7 through the API: edit (PATCH), correct the reply, withdraw, undo,
close for non-payment; refused dates are 422 in Chinese; other departments' ids are 404 and
supervisors cannot write. Today is pinned to 2025-04-30."""

from __future__ import annotations

import json
from datetime import date

import pytest

from gongkai.office.applications.models import EventKind

from . import test_api_scenario as scenario
from .correcting import append_only, event
from .test_api_scenario import call

world = scenario.world
pytestmark = pytest.mark.usefixtures("today")


def patch(client, url, key, body):
    headers = {"Authorization": f"Bearer {key}"}
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


def test_patch_edits_with_reason_and_before_after(client, world):
    key, url = world.keys["staff_a"], f"/api/applications/{world.app_a.pk}/"
    r = patch(client, url, key, {"applicant_name": "王某某"})
    assert r.status_code == 422 and "reason" in r.json()["detail"]
    with append_only():
        r = patch(client, url, key, {"applicant_name": "王某某", "received_on": "2024-09-30", "reason": "录入有误"})
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["applicant_name"] == "王某某" and got["received_on"] == "2024-09-30"
    assert got["due_on"] == "2024-11-01"  # was 10-30; from 09-30: 10-08..10-12 (Saturday worked) … 11-01
    edited = [e for e in got["events"] if e["kind"] == "edited"]
    assert edited[0]["data"] == {
        "applicant_name": ["", "王某某"],
        "received_on": ["2024-09-27", "2024-09-30"],
        "reason": "录入有误",
    }
    receipts = [e for e in got["events"] if e["kind"] == "received"]
    assert [(e["day"], e["in_force"]) for e in receipts] == [("2024-09-27", False), ("2024-09-30", True)]
    assert receipts[1]["amends"] == receipts[0]["id"]
    r = patch(client, url, key, {"received_on": "2025-05-01", "reason": "x"})
    assert r.status_code == 422 and "2025-05-01 晚于今天（2025-04-30）" in r.json()["detail"]


def test_correct_reply_withdraw_and_undo(client, world):
    key, base = world.keys["staff_a"], f"/api/applications/{world.app_a.pk}/"
    call(client, "post", base + "reply/", key, {"day": "2024-10-15", "outcome": "granted"})
    body = {"outcome": "partial", "reason": "统计口径有误"}
    r = call(client, "post", base + "reply/correct/", key, body)
    assert r.status_code == 200, r.content
    assert r.json()["outcome"] == "partial" and r.json()["replied_on"] == "2024-10-15"
    replies = [e for e in r.json()["events"] if e["kind"] == "replied"]
    assert [e["in_force"] for e in replies] == [False, True]
    assert replies[1]["data"]["corrects"] == {"outcome": ["granted", "partial"]}

    r = call(client, "post", base + "reply/correct/", key, {"day": "2025-05-01", "reason": "x"})
    assert r.status_code == 422 and "晚于今天" in r.json()["detail"]
    r = call(client, "post", base + f"events/{replies[1]['id']}/undo/", key, {"reason": "尚未答复"})
    assert r.status_code == 201, r.content
    assert r.json()["state"] == "running" and r.json()["outcome"] == ""
    undone = [e for e in r.json()["events"] if e["kind"] == "undone"]
    assert undone[0]["amends"] == replies[1]["id"] and undone[0]["data"]["reason"] == "尚未答复"

    r = call(client, "post", base + "withdraw/", key, {"day": "2024-10-20", "note": "电话撤回"})
    assert r.status_code == 200 and r.json()["state"] == "withdrawn" and r.json()["outcome"] == "other.other"
    r = call(client, "post", base + "events/99999/undo/", key, {"reason": "x"})
    assert r.status_code == 404


def test_undo_refusals_are_chinese(client, world):
    key, base = world.keys["staff_a"], f"/api/applications/{world.app_a.pk}/"
    received = world.app_a.events.get(kind=EventKind.RECEIVED)
    r = call(client, "post", base + f"events/{received.pk}/undo/", key, {"reason": "x"})
    assert r.status_code == 422 and "“收到申请”不能撤销" in r.json()["detail"]
    r = call(client, "post", base + f"events/{received.pk}/undo/", key, {})
    assert r.status_code == 422


def test_close_for_non_payment(client, world):
    key, base = world.keys["staff_a"], f"/api/applications/{world.app_a.pk}/"
    staff = world.users["staff_a"]
    event(staff, world.app_a, EventKind.FEE_NOTIFIED, date(2024, 10, 8), basis="per_volume", pages=40)
    r = call(client, "post", base + "close-expired/", key)
    assert r.status_code == 422  # the applicant's receipt of the notice is not recorded: no window yet
    event(staff, world.app_a, EventKind.FEE_NOTICE_RECEIVED, date(2024, 10, 9))
    r = call(client, "post", base + "close-expired/", key)
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "abandoned" and r.json()["outcome"] == "other.unpaid_fee"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "", {"applicant_name": "x", "reason": "x"}),
        ("post", "reply/correct/", {"outcome": "partial", "reason": "x"}),
        ("post", "withdraw/", {"day": "2024-10-20"}),
        ("post", "extension-requests/", {"days": 10, "reason": "x"}),
        ("post", "close-expired/", {}),
    ],
)
def test_scope_other_department_404_supervisor_403(client, world, method, path, body):
    def send(who, app):
        url = f"/api/applications/{app.pk}/{path}"
        if method == "patch":
            return patch(client, url, world.keys[who], body)
        return call(client, "post", url, world.keys[who], body)

    assert send("staff_a", world.app_b).status_code == 404
    assert send("supervisor", world.app_a).status_code == 403
