"""Tokens (hashed, revocable, issued by the CLI and the admin, locked out after wrong keys), the session with CSRF,
the OpenAPI description."""

from __future__ import annotations

import hashlib

import pytest
import typer
from axes.models import AccessAttempt
from django.test import Client
from typer.testing import CliRunner

from gongkai.office.api.cli import register as register_cli
from gongkai.office.api.models import ApiToken
from gongkai.office.api.tokens import issue_token, revoke_token
from gongkai.office.errors import OfficeError

from . import test_api_scenario as scenario
from .test_api_scenario import ENDPOINTS, call, register_body

world = scenario.world


def test_only_the_digest_is_stored(staff):
    key = issue_token(staff, " 门户网站同步 ")
    token = ApiToken.objects.get(user=staff)
    assert token.name == "门户网站同步"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values().get())
    assert key.startswith("gk_") and len(key) > 40
    assert issue_token(staff, "另一个") != key


@pytest.mark.parametrize(("name", "active", "message"), [("  ", True, "不能为空"), ("同步", False, "已停用")])
def test_issue_refuses(staff, name, active, message):
    staff.is_active = active
    with pytest.raises(OfficeError, match=message):
        issue_token(staff, name)


def test_use_is_recorded_and_revocation_is_immediate(client, staff):
    key = issue_token(staff, "同步")
    token = ApiToken.objects.get()
    assert token.last_used is None
    assert call(client, "get", "/api/agencies/", key).status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None
    revoke_token(token)
    revoke_token(token)  # idempotent
    assert call(client, "get", "/api/agencies/", key).status_code == 401


def test_a_bad_bearer_header_does_not_fall_back_to_the_session(client, staff):
    client.force_login(staff)
    assert client.get("/api/agencies/").status_code == 200
    assert client.get("/api/agencies/", headers={"Authorization": "Bearer gk_wrong"}).status_code == 401


# ------------------------------------------------------------------ the lockout (django-axes)

LOCKED = {"detail": "登录失败次数过多，请于 15 分钟后再试或联系管理员"}


def test_wrong_keys_lock_the_address_out(client, staff, settings):
    """Keys go through authenticate(), so the one lockout counts wrong ones: a key names no user,
    so they count per address; at the limit even a right key is refused from that address."""
    key = issue_token(staff, "同步")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert call(client, "get", "/api/agencies/", "gk_guess").status_code == 401
    r = call(client, "get", "/api/agencies/", "gk_guess")
    assert r.status_code == 429 and r.json() == LOCKED
    r = call(client, "get", "/api/agencies/", key)
    assert r.status_code == 429 and r.json() == LOCKED
    assert ApiToken.objects.get().last_used is None  # refused before the key was looked at
    assert call(Client(REMOTE_ADDR="198.51.100.7"), "get", "/api/agencies/", key).status_code == 200
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_a_right_key_does_not_clear_the_count(client, staff, settings):
    """Otherwise the holder of one key could guess others without end."""
    key = issue_token(staff, "同步")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        call(client, "get", "/api/agencies/", "gk_guess")
        assert call(client, "get", "/api/agencies/", key).status_code == 200
    assert call(client, "get", "/api/agencies/", "gk_guess").status_code == 429


def test_wrong_keys_do_not_lock_a_users_password_login(client, staff, settings):
    staff.set_password("staff-pw-12345")
    staff.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        call(client, "get", "/api/agencies/", "gk_guess")
    r = client.post("/accounts/login/", {"username": staff.username, "password": "staff-pw-12345"})
    assert r.status_code == 302
    assert client.get("/api/agencies/").status_code == 200  # the session of the workbench


def test_a_locked_out_user_has_no_session_for_the_api(client, staff, settings):
    staff.set_password("staff-pw-12345")
    staff.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": staff.username, "password": "wrong"})
    client.post("/accounts/login/", {"username": staff.username, "password": "staff-pw-12345"})
    assert client.get("/api/agencies/").status_code == 401


# ------------------------------------------------------------------ the web UI's session


@pytest.fixture
def browser(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.users["staff_a"])
    c.cookies["csrftoken"] = "a" * 32
    return c


def test_session_reads_without_csrf(browser, world):
    for name in ("agencies", "applications", "reports"):
        assert browser.get(ENDPOINTS[name][1]).status_code == 200


def test_session_writes_need_csrf(browser, world):
    r = call(browser, "post", "/api/applications/", body=register_body(world.a))
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"] and not r.json()["detail"].isascii()
    r = browser.post(
        "/api/applications/",
        scenario.json.dumps(register_body(world.a)),
        content_type="application/json",
        headers={"X-CSRFToken": "a" * 32},
    )
    assert r.status_code == 201, r.content


def test_session_is_scoped_like_a_token(browser, world):
    assert browser.get(f"/api/applications/{world.app_b.pk}/").status_code == 404


def test_logged_out_session_is_401(client, world):
    r = call(client, "post", "/api/applications/", body=register_body(world.a))
    assert r.status_code == 401


# ------------------------------------------------------------------ CLI


@pytest.fixture
def cli(transactional_db):
    app = typer.Typer()
    register_cli(app)

    def run(*args):
        return CliRunner().invoke(app, list(args))

    return run


def test_cli_issues_a_working_token(cli, client, staff):
    r = cli("token", "issue", "--user", staff.username, "--name", "门户网站同步")
    assert r.exit_code == 0, r.output
    key = r.stdout.strip()
    assert key.startswith("gk_") and "\n" not in key
    assert "只显示这一次" in r.stderr
    assert ApiToken.objects.get().name == "门户网站同步"
    assert call(client, "get", "/api/agencies/", key).status_code == 200


def test_cli_unknown_user_exits_2(cli):
    r = cli("token", "issue", "--user", "nobody", "--name", "同步")
    assert r.exit_code == 2
    assert "没有用户“nobody”" in r.stderr
    assert not ApiToken.objects.exists()


# ------------------------------------------------------------------ admin


def test_admin_issues_shows_the_key_once_and_revokes(admin_client, staff):
    r = admin_client.post("/admin/api/apitoken/add/", {"user": staff.pk, "name": "后台签发"}, follow=True)
    assert r.status_code == 200
    shown = [str(m) for m in r.context["messages"]]
    token = ApiToken.objects.get()
    key = next(m for m in shown if "只显示这一次" in m).rsplit("：", 1)[1]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in admin_client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    r = admin_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    token.refresh_from_db()
    assert token.revoked is not None


def test_admin_tokens_are_for_superusers_only(client, staff):
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/api/apitoken/").status_code == 403


# ------------------------------------------------------------------ OpenAPI


def test_openapi_describes_every_endpoint(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.") and schema["info"]["title"] == "政府信息公开工作管理接口"
    operations = {(method, path.replace("{pk}", "{x}")) for path, item in schema["paths"].items() for method in item}
    expected = {(m, u.replace("{app}", "{x}").replace("{report}", "{x}")) for m, u in ENDPOINTS.values()}
    assert operations == expected
    for path, item in schema["paths"].items():
        for op in item.values():
            assert not op["summary"].isascii() and not op["description"].isascii(), path
            assert "401" in op["responses"], path
            assert {next(iter(s)) for s in op["security"]} == {"BearerToken", "SessionWithCsrf"}
    described = schema["components"]["schemas"]["RegisterIn"]["properties"]
    assert all(not p["description"].isascii() for p in described.values())


def test_docs_page_loads(client):
    r = client.get("/api/docs")
    assert r.status_code == 200
    assert b"openapi.json" in r.content
