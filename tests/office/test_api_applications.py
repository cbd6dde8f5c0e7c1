"""Applications through the API: register → events → reply, with the deadline derived from the ledger."""

from __future__ import annotations

import pytest

from gongkai.office.applications.models import Application, ApplicationEvent

from . import test_api_scenario as scenario
from .test_api_scenario import call, register_body

world = scenario.world


def test_register_event_reply_and_list(client, world):
    key = world.keys["staff_a"]
    r = call(client, "post", "/api/applications/", key, register_body(world.a) | {"applicant_name": "张三"})
    assert r.status_code == 201, r.content
    app = r.json()
    assert app["number"] == "甲-002" and app["applicant_name"] == "张三"
    assert app["state"] == "running" and app["state_label"] == "办理中"
    assert app["due_on"] == "2024-10-30"  # 20 working days across 国庆 2024
    assert app["provisional"] is False
    assert app["steps"][-1] == "答复期限 2024-10-30"
    assert [e["kind"] for e in app["events"]] == ["received", "registered"]  # by day: received 9-27 first
    assert {e["actor"] for e in app["events"]} == {world.users["staff_a"].username}
    url = f"/api/applications/{app['id']}/"

    r = call(client, "post", url + "events/", key, {"kind": "consultation_started", "day": "2024-10-08"})
    assert r.status_code == 201, r.content
    # an open consultation keeps a due date: paused at most to the consulted party's 15 working days (issue 11)
    assert r.json()["state"] == "consulting" and r.json()["due_on"] == "2024-11-21"
    r = call(client, "post", url + "events/", key, {"kind": "consultation_ended", "day": "2024-10-10"})
    assert r.json()["due_on"] == "2024-11-04"  # 3 working days not counted

    r = call(client, "post", url + "reply/", key, {"day": "2024-10-28", "outcome": "partial", "note": "部分公开"})
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["state"] == "replied" and got["outcome"] == "partial" and got["replied_on"] == "2024-10-28"
    replied = [e for e in got["events"] if e["kind"] == "replied"]
    assert [(e["day"], e["data"]) for e in replied] == [("2024-10-28", {"outcome": "partial", "note": "部分公开"})]

    assert call(client, "get", url, key).json() == got
    listed = call(client, "get", "/api/applications/", key, state="replied").json()
    assert [a["number"] for a in listed["items"]] == ["甲-002"]
    assert listed["count"] == 1 and listed["pages"] == 1


def test_extension_needs_the_head(client, world):
    url = f"/api/applications/{world.app_a.pk}/events/"
    body = {"kind": "extension_approved", "day": "2024-10-25", "days": 20}
    r = call(client, "post", url, world.keys["staff_a"], body)
    assert r.status_code == 403
    assert "办公室负责人" in r.json()["detail"]
    r = call(client, "post", url, world.keys["head_a"], body)
    assert r.status_code == 201, r.content
    assert r.json()["due_on"] == "2024-11-27"
    r = call(client, "post", url, world.keys["head_a"], body | {"day": "2024-10-28"})
    assert r.status_code == 422
    assert "只能延长一次" in r.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("", {"applicant_type": "robot"}, "未知的申请人类型“robot”"),
        ("", {"channel": "pigeon"}, "未知的申请方式“pigeon”"),
        ("", {"number": "甲-001"}, "已有编号为 甲-001 的申请"),
        ("", {"number": "  "}, "申请编号不能为空"),
        ("events/", {"kind": "replied", "day": "2024-10-08"}, "不能在此记录"),
        ("events/", {"kind": "fee_paid", "day": "2024-10-08"}, "没有收费通知"),
        ("events/", {"kind": "consultation_started", "day": "2024-10-08", "party": "x"}, "未知的征求对象"),
        ("reply/", {"day": "2024-10-15", "outcome": "other"}, "不适用于2024年"),
        ("reply/", {"day": "2020-10-15", "outcome": "other.other"}, "早于收到日期"),
        ("reply/", {"day": "2024-10-15", "outcome": "nonsense"}, "可选：予以公开"),
    ],
)
def test_refusals_are_422_in_chinese(client, world, path, body, message):
    before = ApplicationEvent.objects.count()
    if path:
        url = f"/api/applications/{world.app_a.pk}/{path}"
    else:
        url, body = "/api/applications/", register_body(world.a) | body
    r = call(client, "post", url, world.keys["staff_a"], body)
    assert r.status_code == 422, r.content
    assert message in r.json()["detail"]
    assert ApplicationEvent.objects.count() == before


def test_reply_outcome_is_checked_against_the_years_format(client, world):
    """gb2019 (replies in 2020) has one 其他处理 row: ``other``; gb2021 splits it."""
    r = call(
        client,
        "post",
        "/api/applications/",
        world.keys["staff_a"],
        register_body(world.a) | {"received_on": "2020-12-01"},
    )
    app_id = r.json()["id"]
    r = call(
        client,
        "post",
        f"/api/applications/{app_id}/reply/",
        world.keys["staff_a"],
        {"day": "2020-12-10", "outcome": "other.other"},
    )
    assert r.status_code == 422 and "2020年" in r.json()["detail"]
    r = call(
        client,
        "post",
        f"/api/applications/{app_id}/reply/",
        world.keys["staff_a"],
        {"day": "2020-12-10", "outcome": "other"},
    )
    assert r.status_code == 200, r.content


@pytest.mark.parametrize(
    "body",
    [{"kind": "consultation_started"}, {"kind": "consultation_started", "day": "not a date"}],
    ids=["missing", "malformed"],
)
def test_unparsable_request_is_422_in_chinese(client, world, body):
    r = call(client, "post", f"/api/applications/{world.app_a.pk}/events/", world.keys["staff_a"], body)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("请求数据有误")
    assert "day" in r.json()["detail"]


def test_filters_and_pages(client, world, monkeypatch):
    from gongkai.office.api import applications

    monkeypatch.setattr(applications, "PAGE_SIZE", 2)
    key = world.keys["staff_a"]
    for n, received in (("甲-002", "2024-10-08"), ("甲-003", "2024-11-01"), ("甲-004", "2023-05-06")):
        call(client, "post", "/api/applications/", key, register_body(world.a, n) | {"received_on": received})
    first = call(client, "get", "/api/applications/", key, year=2024).json()
    assert first["count"] == 3 and first["pages"] == 2
    assert [a["number"] for a in first["items"]] == ["甲-003", "甲-002"]  # newest first
    second = call(client, "get", "/api/applications/", key, year=2024, page=2).json()
    assert [a["number"] for a in second["items"]] == ["甲-001"]
    only_2023 = call(client, "get", "/api/applications/", key, year=2023, agency=world.a.pk).json()
    assert [a["number"] for a in only_2023["items"]] == ["甲-004"]
    r = call(client, "get", "/api/applications/", key, state="lost")
    assert r.status_code == 422 and "未知的办理状态“lost”" in r.json()["detail"]
    assert call(client, "get", "/api/applications/", key, page=0).status_code == 422


def test_detail_derives_the_deadline_from_events(client, world):
    """The detail recomputes from the ledger; it does not echo the cached columns."""
    Application.objects.filter(pk=world.app_a.pk).update(due_on="2030-01-01")
    got = call(client, "get", f"/api/applications/{world.app_a.pk}/", world.keys["supervisor"]).json()
    assert got["due_on"] == "2024-10-30"
    assert any("2024-09-27" in step for step in got["steps"])
