"""Login, logout and the one lockout of every login (django-axes): workbench, admin, behind a proxy."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from gongkai.office.web.lockout import client_address

from .factories import UserFactory


@pytest.fixture
def user(db):
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


MESSAGE = "登录失败次数过多，请于 15 分钟后再试或联系管理员"


def test_lockout_after_the_failure_limit(user, settings):
    """axes: the limit-th failure locks the user name out from that address; then even the right
    password is refused, while another user name, or the same user from another address, is not."""
    assert settings.AXES_FAILURE_LIMIT == 5
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "用户名或密码不正确" in login(c, "nope").content.decode()
    locked = login(c, "nope")
    assert locked.status_code == 429 and MESSAGE in locked.content.decode()
    response = login(c, "correct-horse-9")  # even the right password is refused now
    assert response.status_code == 429
    assert MESSAGE in response.content.decode() and "用户名" in response.content.decode()  # the login page
    assert "_auth_user_id" not in c.session
    # another username from the same address is not affected
    other = UserFactory(username="li")
    other.set_password("pw-li-12345")
    other.save()
    assert login(c, "pw-li-12345", "li").status_code == 302
    # nor the same user from another address
    assert login(Client(REMOTE_ADDR="198.51.100.7"), "correct-horse-9").status_code == 302


def test_lockout_ends_after_the_cool_off(user, settings):
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(c, "nope")
    assert login(c, "correct-horse-9").status_code == 429
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))  # time passes
    assert login(c, "correct-horse-9").status_code == 302


def test_success_clears_failures(user, settings):
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(c, "nope")
    assert login(c, "correct-horse-9").status_code == 302
    assert not AccessAttempt.objects.exists()
    c.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(c, "nope")
    assert login(c, "correct-horse-9").status_code == 302


def test_failures_are_counted_in_the_database(settings):
    """The count every server process shares (tests/office/test_serve.py runs several)."""
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


# ------------------------------------------------------------------ the admin's login


@pytest.fixture
def superuser(db):
    u = UserFactory(username="root", is_staff=True, is_superuser=True)
    u.set_password("root-pw-Ä12345")
    u.save()
    return u


def admin_login(c: Client, password: str):
    return c.post("/admin/login/?next=/admin/", {"username": "root", "password": password, "next": "/admin/"})


def test_admin_login_is_locked_out(superuser):
    """Issue 13 item 16: 8 wrong passwords then the right one logged a superuser in."""
    c = Client()
    for _ in range(8):
        assert "_auth_user_id" not in c.session
        admin_login(c, "wrong")
    response = admin_login(c, "root-pw-Ä12345")
    assert response.status_code == 429 and MESSAGE in response.content.decode()
    assert "_auth_user_id" not in c.session
    assert c.get("/admin/").status_code == 302  # to the login page
    assert AccessAttempt.objects.get().username == "root"


def test_one_count_for_the_admin_and_the_workbench(superuser, settings):
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert admin_login(c, "wrong").status_code == 200
    assert login(c, "wrong", "root").status_code == 429
    assert login(c, "root-pw-Ä12345", "root").status_code == 429
    assert admin_login(c, "root-pw-Ä12345").status_code == 429


# ------------------------------------------------------------------ the client's address behind a proxy


def test_behind_a_trusted_proxy_failures_are_counted_per_client(user, settings):
    """Issue 13 item 17: through the proxy, an attacker's failures lock the user out from the
    attacker's address only, not from the proxy's (which every clerk comes through)."""
    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.66")  # REMOTE_ADDR 127.0.0.1: the proxy
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, "nope")
    assert login(attacker, "correct-horse-9").status_code == 429
    clerk = Client(HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert login(clerk, "correct-horse-9").status_code == 302
    assert set(AccessAttempt.objects.values_list("username", "ip_address")) == {("wang", "203.0.113.66")}


def test_a_forged_forwarded_header_counts_under_the_senders_address(user, settings):
    """From an address that is not a trusted proxy, X-Forwarded-For is the client's own text:
    the failures count under the sender's address, whatever address it names."""
    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1"]
    for forged in ("198.51.100.7", "192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"):
        login(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=forged), "nope")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    refused = login(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.99"), "correct-horse-9")
    assert refused.status_code == 429
    # the address it named is not locked out: wang comes from there through the proxy
    assert login(Client(HTTP_X_FORWARDED_FOR="198.51.100.7"), "correct-horse-9").status_code == 302


def test_without_trusted_proxies_the_header_is_ignored(user, settings):
    settings.GONGKAI_TRUSTED_PROXIES = []
    login(Client(HTTP_X_FORWARDED_FOR="198.51.100.7"), "nope")
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # not from a proxy: the header is ignored
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
        ("127.0.0.1", "", "127.0.0.1"),  # from the proxy itself
        ("127.0.0.1", "192.0.2.1, 198.51.100.7", "198.51.100.7"),  # what the client wrote is left of the proxy's
        ("127.0.0.1", "198.51.100.7, 10.1.2.3", "198.51.100.7"),  # two proxies, both trusted
        ("127.0.0.1", "192.0.2.1, 198.51.100.7, 10.1.2.3", "198.51.100.7"),
        ("::ffff:127.0.0.1", "198.51.100.7", "198.51.100.7"),  # listening on [::]
        ("::1", "2001:db8::7", "2001:db8::7"),
        ("127.0.0.1", "198.51.100.7:51234", "198.51.100.7"),  # with the port, as some proxies write it
        ("127.0.0.1", "[2001:db8::7]:51234", "2001:db8::7"),
        ("127.0.0.1", "unknown", "127.0.0.1"),  # not an address: the proxy's own
        ("127.0.0.1", "198.51.100.7, unknown", "127.0.0.1"),
    ],
)
def test_client_address(settings, remote, forwarded, client):
    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == client


def test_behind_an_https_proxy(user):
    """GONGKAI_HTTPS_PROXY=1: a login posted through a proxy that ends HTTPS passes CSRF (the
    https:// origin is the site's own) and gets a session cookie marked Secure; without the
    setting the same request is refused, as a cross-origin post would be."""
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    env = {"GONGKAI_HTTPS_PROXY": "1", "DJANGO_SETTINGS_MODULE": "gongkai.office.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=_environ() | env, capture_output=True, text=True)
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


def _environ() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("GONGKAI_HTTPS_PROXY", "GONGKAI_TRUSTED_PROXIES")}


def _trusted_proxies(**env: str) -> subprocess.CompletedProcess:
    code = "from django.conf import settings as s; print(s.GONGKAI_TRUSTED_PROXIES)"
    env |= {"DJANGO_SETTINGS_MODULE": "gongkai.office.settings"}
    return subprocess.run([sys.executable, "-c", code], env=_environ() | env, capture_output=True, text=True)


def test_trusted_proxies_setting():
    """The loopback by default behind the HTTPS proxy; none without one; the environment's list
    (addresses or networks) when given; a wrong entry is refused in Chinese."""
    assert _trusted_proxies(GONGKAI_HTTPS_PROXY="1").stdout.strip() == "['127.0.0.1', '::1']"
    assert _trusted_proxies().stdout.strip() == "[]"
    given = _trusted_proxies(GONGKAI_HTTPS_PROXY="1", GONGKAI_TRUSTED_PROXIES="10.0.0.5, 192.168.1.0/24")
    assert given.stdout.strip() == "['10.0.0.5', '192.168.1.0/24']", given.stderr
    wrong = _trusted_proxies(GONGKAI_TRUSTED_PROXIES="nginx")
    assert wrong.returncode != 0 and "GONGKAI_TRUSTED_PROXIES 中的 nginx 不是 IP 地址或网段" in wrong.stderr
