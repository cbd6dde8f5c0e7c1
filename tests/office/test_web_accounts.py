"""Accounts: one's own password; the office head manages the office's users (only within the
head's agencies); API tokens are listed, revoked and expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from gongkai.cli import app as cli_app
from gongkai.office.agencies.models import Membership
from gongkai.office.api.models import ApiToken
from gongkai.office.api.tokens import issue_token, user_for_key
from gongkai.office.errors import OfficeError

from .factories import AgencyFactory, MembershipFactory

GOOD_PASSWORD = "Chang-Jiang-2025"


def client_for(user, **kw) -> Client:
    c = Client(**kw)
    c.force_login(user)
    return c


# ------------------------------------------------------------------ own password


def test_change_own_password(staff):
    staff.set_password("old-Pass-2024")
    staff.save()
    c = client_for(staff)
    html = c.get("/accounts/password/").content.decode()
    assert "原密码" in html and "再次输入新密码" in html
    data = {"old_password": "wrong", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    assert "原密码" in c.post("/accounts/password/", data).content.decode()
    data["old_password"] = "old-Pass-2024"
    response = c.post("/accounts/password/", data, follow=True)
    assert "密码已修改" in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(GOOD_PASSWORD)
    assert c.get("/").status_code == 200  # the session survives the change


def test_password_change_needs_csrf_and_login(staff):
    c = client_for(staff, enforce_csrf_checks=True)
    data = {"old_password": "x", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    assert c.post("/accounts/password/", data).status_code == 403
    assert Client().get("/accounts/password/").status_code == 302


# ------------------------------------------------------------------ users of the office


def test_head_adds_a_user(head, agency):
    c = client_for(head)
    assert "添加用户" in c.get("/users/").content.decode()
    data = {
        "username": "xiaoli",
        "full_name": "小李",
        "email": "li@example.gov.cn",
        "password": GOOD_PASSWORD,
        "agency": agency.pk,
        "role": "staff",
    }
    assert c.post("/users/", data).status_code == 302
    m = Membership.objects.get(user__username="xiaoli")
    assert m.agency == agency and m.role == "staff" and m.user.check_password(GOOD_PASSWORD)
    data["username"], data["password"] = "xiaowang", "123"
    assert "密码不符合要求" in c.post("/users/", data, follow=True).content.decode()
    assert not Membership.objects.filter(user__username="xiaowang").exists()


def test_head_deactivates_resets_and_sets_role(head, staff, agency):
    c = client_for(head)
    assert c.post(f"/users/{staff.pk}/deactivate/").status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active
    c.post(f"/users/{staff.pk}/activate/")
    staff.refresh_from_db()
    assert staff.is_active
    html = c.post(f"/users/{staff.pk}/reset-password/", follow=True).content.decode()
    password = html.split("新密码只显示这一次：")[1].split("（")[0]
    staff.refresh_from_db()
    assert staff.check_password(password)
    c.post(f"/users/{staff.pk}/role/", {"agency": agency.pk, "role": "head"})
    assert list(Membership.objects.filter(user=staff).values_list("role", flat=True)) == ["head"]


def test_head_cannot_deactivate_or_demote_self(head, agency):
    c = client_for(head)
    assert "不能停用自己" in c.post(f"/users/{head.pk}/deactivate/", follow=True).content.decode()
    c.post(f"/users/{head.pk}/role/", {"agency": agency.pk, "role": "staff"})
    head.refresh_from_db()
    assert head.is_active and Membership.objects.get(user=head).role == "head"


def test_head_of_another_agency_gets_404(staff, agency):
    elsewhere = AgencyFactory(name="外县人民政府")
    stranger_head = MembershipFactory(agency=elsewhere, role="head").user
    c = client_for(stranger_head)
    assert staff.username not in c.get("/users/").content.decode()
    for url in ("deactivate", "reset-password"):
        assert c.post(f"/users/{staff.pk}/{url}/").status_code == 404
    assert c.post(f"/users/{staff.pk}/role/", {"agency": elsewhere.pk, "role": "head"}).status_code == 404
    data = {"username": "x1", "password": GOOD_PASSWORD, "agency": agency.pk, "role": "staff"}
    c.post("/users/", data)  # another agency cannot be chosen
    assert not Membership.objects.filter(user__username="x1").exists()
    staff.refresh_from_db()
    assert staff.is_active


def test_a_user_also_in_another_agency_is_not_managed(head, staff, other):
    Membership.objects.create(user=staff, agency=other, role="staff")
    assert client_for(head).post(f"/users/{staff.pk}/deactivate/").status_code == 404


@pytest.mark.parametrize("who", ["staff", "supervisor", "outsider"])
def test_only_heads_manage_users(request, who, head):
    c = client_for(request.getfixturevalue(who))
    assert c.get("/users/").status_code == 403
    assert c.post(f"/users/{head.pk}/deactivate/").status_code == 403


def test_user_management_needs_csrf(head, staff):
    c = client_for(head, enforce_csrf_checks=True)
    assert c.post(f"/users/{staff.pk}/deactivate/").status_code == 403
    staff.refresh_from_db()
    assert staff.is_active


# ------------------------------------------------------------------ API tokens


def test_tokens_expire(staff):
    key = issue_token(staff, "同步", days=1)
    assert user_for_key(key) == staff
    ApiToken.objects.filter(user=staff).update(expires=timezone.now() - timedelta(seconds=1))
    assert user_for_key(key) is None
    assert ApiToken.objects.get(user=staff).status == "已过期"
    with pytest.raises(OfficeError, match="有效期"):
        issue_token(staff, "同步", days=0)


def test_expired_token_is_refused_by_the_api(staff):
    key = issue_token(staff, "同步", days=30)
    assert Client().get("/api/applications/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    ApiToken.objects.update(expires=timezone.now() - timedelta(minutes=1))
    response = Client().get("/api/applications/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401 and "已过期" in response.json()["detail"]


def test_tokens_page_issue_list_revoke(staff):
    c = client_for(staff)
    html = c.post("/accounts/tokens/", {"name": "门户网站", "days": "30"}).content.decode()
    token = ApiToken.objects.get(user=staff)
    key = html.split("<code>")[1].split("</code>")[0]
    assert user_for_key(key) == staff and "门户网站" in html
    assert timedelta(days=29) < token.expires - timezone.now() <= timedelta(days=30)
    assert c.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert user_for_key(key) is None
    assert "已吊销" in c.get("/accounts/tokens/").content.decode()


def test_head_sees_and_revokes_office_tokens_only(head, staff, other_staff):
    mine, theirs = issue_token(staff, "科室"), issue_token(other_staff, "别的局")
    c = client_for(head)
    html = c.get("/accounts/tokens/").content.decode()
    assert "科室" in html and "别的局" not in html
    staff_token = ApiToken.objects.get(user=staff)
    other_token = ApiToken.objects.get(user=other_staff)
    assert c.post(f"/accounts/tokens/{other_token.pk}/revoke/").status_code == 404
    assert client_for(staff).post(f"/accounts/tokens/{other_token.pk}/revoke/").status_code == 404
    assert c.post(f"/accounts/tokens/{staff_token.pk}/revoke/").status_code == 302
    assert user_for_key(mine) is None and user_for_key(theirs) == other_staff


@pytest.mark.django_db(transaction=True)
def test_cli_issues_with_days():
    user = MembershipFactory(role="staff").user
    r = CliRunner().invoke(cli_app, ["token", "issue", "--user", user.username, "--name", "同步", "--days", "7"])
    assert r.exit_code == 0, r.output
    token = ApiToken.objects.get(user=user)
    assert timedelta(days=6) < token.expires - timezone.now() <= timedelta(days=7)
    r = CliRunner().invoke(cli_app, ["token", "issue", "--user", user.username, "--name", "x", "--days", "0"])
    assert r.exit_code == 2 and "有效期" in r.output
