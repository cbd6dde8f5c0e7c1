"""``gongkai serve --demo`` for real: gunicorn worker processes on a fresh SQLite data directory.

The server runs on its own embedded database whatever ``GONGKAI_DATABASE_URL`` the test run
uses: what is under test is the server (processes, static files, the login lockout they share).
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

pytestmark = [pytest.mark.server, pytest.mark.skipif(sys.platform == "win32", reason="gunicorn 不能在 Windows 上运行")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(port: int, method: str, path: str, body: str | None = None, cookies: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())}
    if body is not None:
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        }
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for value in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = value.partition("=")
            if cookies is not None:
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Content-Type", ""), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "GONGKAI_DATABASE_URL"}
    env |= {"GONGKAI_DATA_DIR": str(data), "GONGKAI_SECRET_KEY": "tests-only-not-secret"}
    log = open(data / "serve.log", "wb")  # noqa: SIM115 - closed in teardown
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "serve", "--demo", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            _request(port, "GET", "/accounts/login/")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"gongkai serve 未能启动：{(data / 'serve.log').read_text(errors='replace')}")
            time.sleep(0.3)
    yield port, proc, data
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    log.close()


def test_serves_pages_and_static_files_from_worker_processes(server):
    port, proc, data = server
    status, _, html = _request(port, "GET", "/accounts/login/")
    assert status == 200 and "登录" in html
    css = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
    status, kind, _ = _request(port, "GET", css)
    assert status == 200 and kind.startswith("text/css")
    assert len(_workers(proc)) == 2
    assert "gunicorn：2 个工作进程" in (data / "serve.log").read_text(encoding="utf-8")


def _workers(proc) -> set[str]:
    return set(subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split())


def test_login_lockout_outlives_worker_processes(server):
    """The failures are counted in the database (axes), not in a process's memory: three failed
    logins, every worker process replaced (SIGHUP), two more, and the fifth locks the user name
    out from this address: the sixth is refused even with the right password."""
    port, proc, _ = server

    def attempt(password: str = "wrong") -> int:
        cookies: dict[str, str] = {}
        _, _, page = _request(port, "GET", "/accounts/login/", cookies=cookies)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "county", "password": password})
        status, _, html = _request(port, "POST", "/accounts/login/", form, cookies=cookies)
        assert (status == 429) == ("登录失败次数过多" in html), status
        return status

    outcomes = [attempt() for _ in range(3)]
    before = _workers(proc)
    proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 60
    while not (len(now := _workers(proc)) == 2 and not now & before):
        assert time.monotonic() < deadline, "gunicorn 未在 60 秒内换掉工作进程"
        time.sleep(0.2)
    outcomes += [attempt() for _ in range(2)]
    outcomes.append(attempt("demo-2025"))
    assert outcomes == [200] * 4 + [429] * 2


def _login(port: int, username: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    _, _, page = _request(port, "GET", "/accounts/login/", cookies=cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": "demo-2025"})
    status, _, _ = _request(port, "POST", "/accounts/login/", form, cookies=cookies)
    assert status == 302, username
    return cookies


def test_concurrent_registrations_are_all_kept(server):
    """Six users register five applications each, all at once, through both worker processes
    writing one SQLite file: every one is saved (no "database is locked"), none twice."""
    port, _, data = server
    users = ["jt_staff", "jt_head", "zr_staff", "zr_head", "sc_staff", "sc_head"]
    sessions = {u: _login(port, u) for u in users}
    statuses: list[int] = []

    def register(user: str) -> None:
        cookies = sessions[user]
        for n in range(5):
            _, _, page = _request(port, "GET", "/applications/new/", cookies=cookies)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            agency = re.search(r'<select name="agency"[^>]*>\s*<option value="(\d+)"', page).group(1)
            form = {
                "csrfmiddlewaretoken": token,
                "agency": agency,
                "number": f"LOAD-{user}-{n}",
                "applicant_name": "并发测试",
                "applicant_type": "natural",
                "channel": "online",
                "received_on": "2026-03-02",
                "content": "并发登记",
            }
            status, _, _ = _request(port, "POST", "/applications/new/", urllib.parse.urlencode(form), cookies=cookies)
            statuses.append(status)

    threads = [threading.Thread(target=register, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * 30
    with sqlite3.connect(data / "gongkai.sqlite3") as db:
        numbers = [r[0] for r in db.execute("SELECT number FROM applications_application WHERE number LIKE 'LOAD-%'")]
        events = db.execute(
            "SELECT COUNT(*) FROM applications_applicationevent e JOIN applications_application a"
            " ON a.id = e.application_id WHERE a.number LIKE 'LOAD-%'"
        ).fetchone()[0]
    assert sorted(numbers) == sorted(f"LOAD-{u}-{n}" for u in users for n in range(5))
    assert events == 60  # 登记 and 收到 for each


def test_stops_on_sigterm(server):
    _, proc, _ = server
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


@pytest.mark.parametrize(
    ("host", "reason"),
    [("127.0.0.1", "端口已被占用"), ("10.255.255.254", "本机没有这个地址"), ("no such host!", "地址写法不对")],
)
def test_an_address_it_cannot_use_is_a_chinese_error(tmp_path, host, reason):
    """Before anything is set up: exit code 2 and the reason, not gunicorn's English retries."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "GONGKAI_DATABASE_URL"} | {"GONGKAI_DATA_DIR": str(tmp_path)}
        cmd = [sys.executable, "-m", "gongkai", "serve", "--port", str(port), "--host", host]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"无法在 {host}:{port} 上提供服务：{reason}" in result.stderr
    assert "Traceback" not in result.stderr and not list(tmp_path.iterdir())  # nothing set up
