"""Every endpoint: 401 without a valid token, 404 for another department's ids, 403 for a supervisor's writes."""

from __future__ import annotations

import pytest

from gongkai.office.annual.models import AnnualReport
from gongkai.office.api.tokens import revoke_token
from gongkai.office.applications.models import Application, ApplicationEvent

from . import test_api_scenario as scenario
from .test_api_scenario import ENDPOINTS, LISTS, WRITES, call, request_for

world = scenario.world


def _writes_nothing(w):
    return (ApplicationEvent.objects.count(), Application.objects.count(), AnnualReport.objects.count())


@pytest.mark.parametrize("name", ENDPOINTS)
def test_no_token_is_401(client, world, name):
    method, url, body = request_for(name, world)
    r = call(client, method, url, body=body)
    assert r.status_code == 401, r.content
    assert r.json() == {"detail": "未登录或未提供访问令牌"}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_revoked_token_is_401(client, world, name):
    from gongkai.office.api.models import ApiToken

    for token in ApiToken.objects.filter(user=world.users["staff_a"]):
        revoke_token(token)
    before = _writes_nothing(world)
    method, url, body = request_for(name, world)
    r = call(client, method, url, world.keys["staff_a"], body)
    assert r.status_code == 401, r.content
    assert r.json() == {"detail": "访问令牌无效、已过期或已吊销"}
    assert _writes_nothing(world) == before


@pytest.mark.parametrize("key", ["gk_not-a-real-key", "", "abc"])
def test_unknown_key_is_401(client, world, key):
    r = client.get("/api/agencies/", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 401


def test_inactive_user_token_is_401(client, world):
    user = world.users["staff_a"]
    user.is_active = False
    user.save()
    assert call(client, "get", "/api/agencies/", world.keys["staff_a"]).status_code == 401


@pytest.mark.parametrize("name", [n for n in ENDPOINTS if n not in LISTS])
def test_other_departments_objects_are_404(client, world, name):
    before = _writes_nothing(world)
    method, url, body = request_for(name, world, own=False)
    r = call(client, method, url, world.keys["staff_a"], body)
    assert r.status_code == 404, r.content
    assert not r.json()["detail"].isascii()
    assert _writes_nothing(world) == before


@pytest.mark.parametrize("url", ["/api/applications/", "/api/reports/"])
def test_filtering_by_another_department_is_404(client, world, url):
    r = call(client, "get", url, world.keys["staff_a"], agency=world.b.pk)
    assert r.status_code == 404


def test_missing_ids_answer_like_hidden_ones(client, world):
    key = world.keys["staff_a"]
    hidden = call(client, "get", f"/api/applications/{world.app_b.pk}/", key)
    missing = call(client, "get", "/api/applications/999999/", key)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(str(world.app_b.pk), "N") == missing.json()["detail"].replace("999999", "N")


def test_lists_never_include_other_departments(client, world):
    key = world.keys["staff_a"]
    agencies = call(client, "get", "/api/agencies/", key).json()
    assert {a["name"] for a in agencies} == {world.a.name}
    apps = call(client, "get", "/api/applications/", key).json()
    assert [a["number"] for a in apps["items"]] == ["甲-001"]
    reports = call(client, "get", "/api/reports/", key).json()
    assert {r["agency"] for r in reports} == {world.a.pk}
    # and the other way round
    apps_b = call(client, "get", "/api/applications/", world.keys["staff_b"]).json()
    assert [a["number"] for a in apps_b["items"]] == ["乙-001"]


def test_supervisor_reads_every_department(client, world):
    key = world.keys["supervisor"]
    agencies = {a["name"]: a["writable"] for a in call(client, "get", "/api/agencies/", key).json()}
    assert agencies == {world.county.name: False, world.a.name: False, world.b.name: False}
    apps = call(client, "get", "/api/applications/", key).json()
    assert sorted(a["number"] for a in apps["items"]) == ["乙-001", "甲-001"]
    for name in ("application", "report", "checks"):
        for own in (True, False):
            method, url, _ = request_for(name, world, own=own)
            assert call(client, method, url, key).status_code == 200, url


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize("own", [True, False], ids=["甲", "乙"])
def test_supervisor_cannot_write(client, world, name, own):
    before = _writes_nothing(world)
    method, url, body = request_for(name, world, own=own)
    r = call(client, method, url, world.keys["supervisor"], body)
    assert r.status_code == 403, r.content
    assert "只有查看权限" in r.json()["detail"]
    assert _writes_nothing(world) == before
