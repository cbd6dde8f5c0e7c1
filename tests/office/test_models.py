"""Vocabulary taken from the formats, settings, and the migrations gate."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from gongkai import deadlines
from gongkai.formats import GB2019, GB2021
from gongkai.office.appeals.models import AppealKind, AppealResult
from gongkai.office.applications.models import EventKind, State
from gongkai.office.applications.vocabulary import (
    OUTCOME_CHOICES,
    ApplicantType,
    Channel,
    match_applicant_type,
    match_channel,
    match_outcome,
)
from gongkai.office.errors import OfficeError
from gongkai.office.proactive.models import DocumentKind
from gongkai.office.settings import database_from_url


def test_makemigrations_is_clean(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_vocabulary_comes_from_the_formats():
    t3 = GB2021.table("t3").blocks[0]
    assert ApplicantType.values == [c.key for c in t3.columns if c.key != "total"]
    assert ApplicantType("business").label == "法人或其他组织·商业企业"
    keys = [k for k, _ in OUTCOME_CHOICES]
    assert keys[:2] == ["granted", "partial"]
    assert {"other.no_correction", "other.unpaid_fee", "other.other", "other"} <= set(keys)
    assert dict(OUTCOME_CHOICES)["denied.state_secret"] == "不予公开·属于国家秘密"
    assert AppealKind.values == ["review", "suit_direct", "suit_after_review"]
    assert AppealResult.labels == ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    assert DocumentKind.values == ["rules", "normative", "other_docs"]
    assert GB2019.table("t2").blocks[0].rows[2].key == "other_docs"


def test_event_kinds_mirror_deadlines():
    assert {k.value for k in deadlines.EventKind} <= set(EventKind.values)
    assert {s.value for s in deadlines.DeadlineState} == set(State.values)
    assert {c.value for c in deadlines.Channel} | {"other"} == set(Channel.values)


@pytest.mark.parametrize(
    ("text", "year", "key"),
    [
        ("予以公开", 2025, "granted"),
        ("部分公开", 2025, "partial"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2025, "partial"),
        ("国家秘密", 2025, "denied.state_secret"),
        ("不予公开-属于国家秘密", 2025, "denied.state_secret"),
        ("不予公开/国家秘密", 2025, "denied.state_secret"),
        ("危及“三安全一稳定”", 2025, "denied.three_security"),
        ("本机关不掌握相关政府信息", 2025, "unable.not_held"),
        ("逾期不补正", 2025, "other.no_correction"),
        ("其他", 2025, "other.other"),
        ("其他处理", 2025, None),  # gb2021 needs the item
        ("其他处理", 2020, "other"),
        ("其他", 2020, "other"),
        ("逾期不补正", 2020, None),
        ("满意", 2025, None),
        ("granted", 2025, "granted"),
    ],
)
def test_match_outcome(text, year, key):
    assert match_outcome(text, year) == key


def test_match_outcome_before_2019():
    with pytest.raises(OfficeError):
        match_outcome("予以公开", 2018)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("自然人", "natural"),
        ("商业企业", "business"),
        ("法人或其他组织·科研机构", "research"),
        ("法人或其他组织-法律服务机构", "legal_service"),
        ("社会公益组织", "nonprofit"),
        ("其他", "org_other"),
        ("个体户", None),
    ],
)
def test_match_applicant_type(text, key):
    assert match_applicant_type(text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("当面", "in_person"),
        ("网络申请", "online"),
        ("互联网", "online"),
        ("信函", "letter"),
        ("传真", "fax"),
        ("x", None),
    ],
)
def test_match_channel(text, key):
    assert match_channel(text) == key


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgres://postgres@127.0.0.1:5432/test",
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "test",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": "5432",
            },
        ),
        (
            "postgresql://u:p%40ss@db/gk?sslmode=require",
            {
                "NAME": "gk",
                "USER": "u",
                "PASSWORD": "p@ss",
                "HOST": "db",
                "PORT": "",
                "OPTIONS": {"sslmode": "require"},
            },
        ),
        (
            "sqlite:////var/lib/gongkai/db.sqlite3",
            {"ENGINE": "django.db.backends.sqlite3", "NAME": "/var/lib/gongkai/db.sqlite3"},
        ),
    ],
)
def test_database_from_url(url, expected):
    got = database_from_url(url)
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host:5432/", "sqlite://"])
def test_database_from_url_rejects(url):
    with pytest.raises(Exception, match=r"数据库地址|不支持"):
        database_from_url(url)


def test_secret_key_is_generated_once(tmp_path, monkeypatch):
    from gongkai.office.settings import _secret_key

    monkeypatch.delenv("GONGKAI_SECRET_KEY", raising=False)
    key = _secret_key(tmp_path / "data")
    assert len(key) > 40
    assert _secret_key(tmp_path / "data") == key
    assert oct((tmp_path / "data" / "secret_key").stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
def test_changes_to_figures_appeals_and_reports_are_recorded_and_append_only(agency, head):
    from datetime import date as _date

    from gongkai.office.agencies.models import ChangeKind, ChangeRecord
    from gongkai.office.appeals import services as appeals
    from gongkai.office.errors import OfficeError
    from gongkai.office.proactive import services as proactive

    proactive.set_article20_figures(head, proactive.Article20Input(agency=agency, year=2025, licensing=12))
    appeal = appeals.file_appeal(head, appeals.AppealInput(agency=agency, kind="review", filed_on=_date(2025, 3, 1)))
    appeals.decide_appeal(head, appeals.DecisionInput(appeal=appeal, result="upheld", decided_on=_date(2025, 5, 1)))
    kinds = list(ChangeRecord.objects.filter(agency=agency).order_by("id").values_list("kind", "actor"))
    assert kinds == [
        (ChangeKind.ARTICLE20_FIGURES, head.pk),
        (ChangeKind.APPEAL_FILED, head.pk),
        (ChangeKind.APPEAL_DECIDED, head.pk),
    ]
    record = ChangeRecord.objects.filter(agency=agency).first()
    with pytest.raises(OfficeError):
        record.save()
    with pytest.raises(OfficeError):
        ChangeRecord.objects.all().delete()
