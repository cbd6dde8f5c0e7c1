"""Browser tests: Playwright (sync API) drives headless Chromium against pytest-django's
``live_server``. Django is configured here as in ``tests/office`` (``GONGKAI_DATABASE_URL``
runs them on PostgreSQL). Without Chromium they are skipped loudly (a warning and a skip
reason), unless ``GONGKAI_REQUIRE_BROWSER=1`` (CI), where a missing browser fails them.

Playwright's sync API runs an event loop in the test thread (from the first browser test to
the end of the session); Django refuses ORM calls from a thread with a running loop unless
``DJANGO_ALLOW_ASYNC_UNSAFE`` is set, so the ``browser`` fixture sets it. The ORM is only
used between browser steps, never concurrently with the loop, so this is safe here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("GONGKAI_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-tests-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.office.settings")

import django

django.setup()

import pytest  # noqa: E402

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
PASSWORD = "Gongkai-test-2026"
COUNTY = "某某县人民政府"
DEPARTMENT = "某某县交通运输局"
OTHER_DEPARTMENT = "某某县教育局"

_missing: list[str] = []


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium with Playwright (needs /usr/bin/chromium)")


def pytest_terminal_summary(terminalreporter) -> None:
    if _missing:
        terminalreporter.write_sep("!", "浏览器测试未运行", red=True, bold=True)
        terminalreporter.write_line(_missing[0], red=True, bold=True)


def _no_browser(reason: str) -> None:
    """Fail under ``GONGKAI_REQUIRE_BROWSER=1`` (CI); otherwise warn once and skip."""
    if os.environ.get("GONGKAI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"GONGKAI_REQUIRE_BROWSER=1，但{reason}", pytrace=False)
    if not _missing:
        _missing.append(reason)
        warnings.warn(reason, stacklevel=2)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        _no_browser(
            "未找到 Chromium（/usr/bin/chromium 或 PATH 上的 chromium），浏览器测试未运行：apt-get install chromium"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("未安装 playwright，浏览器测试未运行：pip install -e '.[dev]'")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the loop stays in this thread until the end
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser):
    """A factory of pages, each in its own context (own cookies), all closed after the test."""
    contexts = []

    def make():
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


@dataclass
class Office:
    county: object
    department: object
    other_department: object
    staff: object  # writer of ``department``
    other_staff: object  # writer of ``other_department``
    supervisor: object  # supervisor of the county (sees the departments)
    year: int


@pytest.fixture
def office(transactional_db) -> Office:
    """A county, two departments with a staff member each, the county's supervisor and the
    previous year's proactive figures for ``department`` (so its report has no errors)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from gongkai.office.agencies.models import Agency, Membership, Role
    from gongkai.office.proactive.models import Article20Figures, DocumentFigures

    year = timezone.localdate().year - 1
    county = Agency.objects.create(name=COUNTY)
    department = Agency.objects.create(name=DEPARTMENT, parent=county)
    other = Agency.objects.create(name=OTHER_DEPARTMENT, parent=county)
    users = get_user_model().objects

    def person(username: str, agency, role: str):
        user = users.create_user(username=username, password=PASSWORD)
        Membership.objects.create(user=user, agency=agency, role=role)
        return user

    for kind in ("rules", "normative"):
        DocumentFigures.objects.create(agency=department, year=year, kind=kind, made=1, repealed=0, in_force=3)
    Article20Figures.objects.create(agency=department, year=year, licensing=12, penalty=3, coercion=0, fees_wan=0)
    return Office(
        county=county,
        department=department,
        other_department=other,
        staff=person("jiaotong", department, Role.STAFF),
        other_staff=person("jiaoyu", other, Role.STAFF),
        supervisor=person("xianfu", county, Role.SUPERVISOR),
        year=year,
    )


@pytest.fixture
def login(live_server):
    """Log a page in through the login form; returns the page on the page after login."""

    def do(page, user):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"{user.username} 登录失败：{page.inner_text('body')[:300]}"
        return page

    return do
