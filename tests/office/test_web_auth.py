"""Login, logout and the login throttle."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from .factories import UserFactory


@pytest.fixture
def user(db):
    cache.clear()
    u = UserFactory(username="wang")
    u.set_password("correct-horse-9")
    u.save()
    return u


def login(c: Client, password: str, username: str = "wang"):
    return c.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_is_chinese(db):
    html = Client().get("/accounts/login/").content.decode()
    assert "用户名" in html and "密码" in html and "csrfmiddlewaretoken" in html


def test_login_and_logout(user):
    c = Client()
    response = login(c, "correct-horse-9")
    assert response.status_code == 302 and response["Location"] == "/"
    assert c.get("/").status_code == 200
    assert c.get("/accounts/logout/").status_code == 405  # a link cannot log out
    assert c.post("/accounts/logout/").status_code == 302
    assert c.get("/").status_code == 302


def test_wrong_password_is_a_chinese_error(user):
    html = login(Client(), "nope").content.decode()
    assert "用户名或密码不正确" in html


def test_throttle_after_five_failures(user, settings):
    c = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert "用户名或密码不正确" in login(c, "nope").content.decode()
    response = login(c, "correct-horse-9")  # even the right password is refused now
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in c.session
    # another username from the same address is not affected
    other = UserFactory(username="li")
    other.set_password("pw-li-12345")
    other.save()
    assert login(c, "pw-li-12345", "li").status_code == 302


def test_success_clears_failures(user, settings):
    c = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        login(c, "nope")
    assert login(c, "correct-horse-9").status_code == 302
    c.post("/accounts/logout/")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        login(c, "nope")
    assert login(c, "correct-horse-9").status_code == 302


def test_behind_an_https_proxy(user):
    """GONGKAI_HTTPS_PROXY=1: a login posted through a proxy that ends HTTPS passes CSRF (the
    https:// origin is the site's own) and gets a session cookie marked Secure; without the
    setting the same request is refused, as a cross-origin post would be."""
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    env = {"GONGKAI_HTTPS_PROXY": "1", "DJANGO_SETTINGS_MODULE": "gongkai.office.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=os.environ | env, capture_output=True, text=True)
    assert out.stdout.split() == ["('HTTP_X_FORWARDED_PROTO',", "'https')", "True", "True"], out.stderr
    proxy = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = {"HTTP_HOST": "gongkai.example", "HTTP_X_FORWARDED_PROTO": "https"}

    def post(c: Client):
        token = c.get("/accounts/login/", **proxied).context["csrf_token"]
        form = {"username": "wang", "password": "correct-horse-9", "csrfmiddlewaretoken": str(token)}
        return c.post("/accounts/login/", form, HTTP_ORIGIN="https://gongkai.example", **proxied)

    with override_settings(ALLOWED_HOSTS=["gongkai.example"]):
        with override_settings(SECURE_PROXY_SSL_HEADER=proxy, SESSION_COOKIE_SECURE=True):
            response = post(Client(enforce_csrf_checks=True))
            assert response.status_code == 302
            assert response.cookies["sessionid"]["secure"]
        assert post(Client(enforce_csrf_checks=True)).status_code == 403
