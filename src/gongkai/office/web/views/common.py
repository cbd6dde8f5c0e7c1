"""Small helpers the views share."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib import messages
from django.core.paginator import Paginator

from gongkai.errors import GongkaiError
from gongkai.office.errors import NotAllowed


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
