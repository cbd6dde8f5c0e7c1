"""Small helpers the views share."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F

from gongkai.errors import GongkaiError
from gongkai.office.applications.models.application import OPEN_STATES, State
from gongkai.office.applications.vocabulary import OUTCOME_CHOICES, ApplicantType
from gongkai.office.errors import NotAllowed

# What an application table shows, read as plain values: building model instances and
# resolving get_*_display on every row costs more than the query itself.
ROW_FIELDS = (
    "id",
    "number",
    "agency__name",
    "applicant_name",
    "applicant_type",
    "received_on",
    "state",
    "due_on",
    "provisional",
    "correction_due_on",
    "consultation_due_on",
    "outcome",
    "replied_on",
)
# Most urgent first; a stopped clock (no due date) after every date, on every database.
BY_DUE = (F("due_on").asc(nulls_last=True), "id")
ROW_LABELS = {
    "applicant_type": dict(ApplicantType.choices),
    "state": dict(State.choices),
    "outcome": dict(OUTCOME_CHOICES),
}


@contextmanager
def service_errors(request):
    """Show a refused use case (Chinese message) to the user; a missing role stays a 403."""
    try:
        yield
    except NotAllowed:
        raise
    except GongkaiError as e:
        messages.error(request, str(e))


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def page(request, queryset, per_page: int = 50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def application_rows(queryset, *extra: str) -> list[dict]:
    """``queryset``'s applications as dicts of ``ROW_FIELDS`` (and ``extra`` annotations), with
    ``<field>_label`` for coded fields and ``is_open``."""
    rows = list(queryset.values(*ROW_FIELDS, *extra))
    for row in rows:
        for key, labels in ROW_LABELS.items():
            row[f"{key}_label"] = labels.get(row[key], row[key])
        row["is_open"] = row["state"] in OPEN_STATES
    return rows
