#!/usr/bin/env python3
"""Screenshots of the web workbench with the demo data, for the documentation.

    python docs/take_screenshots.py [OUT_DIR]     # default: docs/screenshots

Loads the demo (``gongkai.office.demo``) into a new SQLite database in a temp dir, starts
``gongkai serve`` on 127.0.0.1, and takes
1280×900 screenshots with headless Chromium (``/usr/bin/chromium``): login, dashboard,
application detail, annual report, supervisor page. Stops the server by itself.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-m", "gongkai", "serve", "--port", str(port)]
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT)
    for _ in range(200):
        if proc.poll() is not None:
            break
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).close()
            return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"服务器未能启动，见日志 {log}")


def demo_facts() -> dict:
    """Load the demo and pick what to show: a department, its busiest open application, the year."""
    from django.db.models import Count

    from gongkai.office import demo
    from gongkai.office.agencies.models import Agency
    from gongkai.office.applications.models import Application

    year = demo.load()["year"]
    code, name = demo.DEPARTMENTS[0]
    agency = Agency.objects.get(name=name)
    busiest = (
        Application.objects.filter(agency=agency)
        .open()
        .annotate(n=Count("events"))
        .order_by("-n", "due_on", "id")
        .first()
    )
    return {
        "year": year,
        "agency": agency.pk,
        "application": busiest.pk,
        "staff": f"{code}_staff",
        "supervisor": "county",
        "password": demo.PASSWORD,
    }


def shoot(base: str, facts: dict, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
    if chromium is None:
        raise SystemExit("未找到 Chromium（/usr/bin/chromium）：apt-get install chromium fonts-noto-cjk")
    taken: list[Path] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)

        def login(username: str):
            page = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
            page.goto(f"{base}/accounts/login/")
            page.get_by_label("用户名").fill(username)
            page.get_by_label("密码").fill(facts["password"])
            page.get_by_role("button", name="登录").click()
            page.wait_for_load_state()
            if "/accounts/login/" in page.url:
                raise SystemExit(f"演示账号 {username} 登录失败")
            return page

        def snap(page, path: str, name: str) -> None:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            taken.append(out / name)
            page.screenshot(path=str(out / name))

        page = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
        snap(page, "/accounts/login/", "login.png")
        staff = login(facts["staff"])
        snap(staff, "/", "dashboard.png")
        snap(staff, f"/applications/{facts['application']}/", "application_detail.png")
        snap(staff, f"/reports/{facts['agency']}/{facts['year']}/", "annual_report.png")
        boss = login(facts["supervisor"])
        snap(boss, f"/supervise/?year={facts['year']}", "supervise.png")
        browser.close()
    return taken


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    data = tempfile.mkdtemp(prefix="gongkai-screens-")
    os.environ.pop("GONGKAI_DATABASE_URL", None)
    os.environ["GONGKAI_DATA_DIR"] = data
    os.environ.setdefault("GONGKAI_SECRET_KEY", "screenshots-only-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.office.settings"
    from gongkai.office import setup

    setup(migrate=True)
    facts = demo_facts()
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = start_server(port, Path(data) / "runserver.log")
    try:
        taken = shoot(f"http://127.0.0.1:{port}", facts, out)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    for path in taken:
        print(f"已截图 {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
