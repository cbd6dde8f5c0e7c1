"""The disclosure office's system: a Django project inside the package.

One app per bounded context: ``agencies`` (agencies and people), ``applications``
(依申请公开), ``proactive`` (主动公开 and 第二十条 figures), ``appeals`` (复议/诉讼) and
``annual`` (annual reports). Use cases live in each app's ``services.py``.
"""

from __future__ import annotations

import os

SETTINGS_MODULE = "gongkai.office.settings"


def setup(*, migrate: bool = False) -> None:
    """Configure Django for use outside ``manage.py`` (the CLI, scripts, benches).

    ``migrate``: bring the database schema (and the cache table) up to date first, quietly.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)


def manage(argv: list[str]) -> None:
    """Run a Django management command (``gongkai office manage createsuperuser``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai office manage", *argv])
