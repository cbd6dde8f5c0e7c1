"""pytest-django for the office tests only: Django is configured here, not in pyproject, so the
rest of the suite runs without it. ``GONGKAI_DATABASE_URL=postgres://…`` runs these tests on
PostgreSQL (pytest-django creates ``test_<name>``); unset, on an in-memory SQLite database."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("GONGKAI_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-tests-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.office.settings")

import django

django.setup()

import pytest  # noqa: E402

from .factories import AgencyFactory, MembershipFactory, UserFactory  # noqa: E402


@pytest.fixture
def agency(db):
    return AgencyFactory(name="某县交通运输局", parent=AgencyFactory(name="某县人民政府"))


@pytest.fixture
def staff(agency):
    return MembershipFactory(agency=agency, role="staff").user


@pytest.fixture
def head(agency):
    return MembershipFactory(agency=agency, role="head").user


@pytest.fixture
def supervisor(agency):
    return MembershipFactory(agency=agency.parent, role="supervisor").user


@pytest.fixture
def outsider(db):
    return UserFactory()


@pytest.fixture
def other(agency):
    """Department B under the same county, with its own staff member."""
    return AgencyFactory(name="某县自然资源局", parent=agency.parent)


@pytest.fixture
def other_staff(other):
    return MembershipFactory(agency=other, role="staff").user


@pytest.fixture
def today(monkeypatch):
    """``timezone.localdate()`` pinned to 2025-04-30 (``today.day = …`` moves it): see ``correcting``."""
    from .correcting import TODAY, Today

    return Today(monkeypatch, TODAY)
