"""Every model has an admin page, in Chinese; the admin writes applications through the services."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from gongkai.office.applications.models import Application, EventKind

OFFICE_MODELS = [m for m in apps.get_models() if m.__module__.startswith("gongkai.office.")]


def test_every_model_is_registered_with_chinese_names():
    assert len(OFFICE_MODELS) == 14
    for model in OFFICE_MODELS:
        assert admin.site.is_registered(model), model
        assert not model._meta.verbose_name.isascii(), model
        for f in model._meta.get_fields():
            if hasattr(f, "verbose_name") and not f.auto_created:
                assert not str(f.verbose_name).isascii(), (model, f.name)


@pytest.mark.parametrize("model", OFFICE_MODELS, ids=lambda m: m._meta.label)
def test_changelists_load(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


def test_admin_add_registers_through_the_service(admin_client, agency, admin_user):
    from gongkai.office.agencies.models import Membership

    Membership.objects.create(user=admin_user, agency=agency, role="staff")
    url = reverse("admin:applications_application_add")
    r = admin_client.post(
        url,
        {
            "agency": agency.pk,
            "number": "W-1",
            "applicant_name": "王五",
            "applicant_type": "natural",
            "channel": "in_person",
            "content": "",
            "received_on": "2024-09-27",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    app = Application.objects.get(number="W-1")
    assert app.due_on == date(2024, 10, 30)
    assert list(app.events.order_by("id").values_list("kind", flat=True)) == [EventKind.REGISTERED, EventKind.RECEIVED]
