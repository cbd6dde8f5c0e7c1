"""The applications list: search, filters, pages; the same selection exported to Excel; the print
view of one application with its timeline."""

from __future__ import annotations

import io

from django.db.models import Max, Min, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai import fileio
from gongkai.office.agencies import access
from gongkai.office.applications.models import Application
from gongkai.office.applications.vocabulary import OUTCOME_CHOICES, ApplicantType, Channel

from ..decorators import agency_required
from ..forms import OPEN, ApplicationFilter
from .applications import describe
from .common import BY_DUE, application_rows, page, query_without_page

NEWEST_FIRST = ("-received_on", "-id")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def selection(request) -> tuple[ApplicationFilter, QuerySet]:
    """The filter form of the request and the user's applications it selects, in list order:
    newest first; all open ones most urgent first, as on the dashboard."""
    mine = access.scoped(Application.objects.all(), request.user)
    span = mine.aggregate(first=Min("received_on"), last=Max("received_on"))  # not DISTINCT over every row
    years = list(range(span["last"].year, span["first"].year - 1, -1)) if span["first"] else []
    filters = ApplicationFilter(request.GET or None, years=years)
    order = NEWEST_FIRST
    if filters.is_valid():
        f = filters.cleaned_data
        if f["q"].strip():
            mine = mine.search(f["q"])
        if f["year"]:
            mine = mine.received_in(int(f["year"]))
        if f["state"] == OPEN:
            mine, order = mine.open(), BY_DUE
        elif f["state"]:
            mine = mine.filter(state=f["state"])
        if f["outcome"]:
            mine = mine.filter(outcome=f["outcome"])
        if f["channel"]:
            mine = mine.filter(channel=f["channel"])
    return filters, mine.order_by(*order)


@agency_required()
def application_list(request):
    filters, selected = selection(request)
    rows = page(request, selected)
    rows.object_list = application_rows(rows.object_list)
    query = query_without_page(request)
    context = {
        "filters": filters,
        "page": rows,
        "query": query,
        "can_register": bool(access.writable_agency_ids(request.user)),
        "today": timezone.localdate(),
    }
    return render(request, "web/application_list.html", context)


# The export's columns: (header, field or function of a row, width).
LABELS = {
    "applicant_type": dict(ApplicantType.choices),
    "channel": dict(Channel.choices),
    "outcome": dict(OUTCOME_CHOICES),
}
EXPORT_FIELDS = (
    ("申请编号", "number", 18),
    ("机关", "agency__name", 20),
    ("申请人", "applicant_name", 14),
    ("申请人类型", "applicant_type", 18),
    ("申请方式", "channel", 10),
    ("收到日期", "received_on", 12),
    ("申请内容", "content", 40),
    ("办理状态", "state", 12),
    ("答复期限", "due_on", 12),
    ("办理结果", "outcome", 24),
    ("答复日期", "replied_on", 12),
)


def _cell(key: str, value, state_labels: dict) -> str | None:
    if value is None or value == "":
        return None
    if key == "state":
        return state_labels.get(value, value)
    if key in LABELS:
        return LABELS[key].get(value, value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def export_workbook(queryset: QuerySet) -> bytes:
    """The selected applications as one XLSX sheet; every text written as text (``fileio``)."""
    from gongkai.office.applications.models.application import State

    states = dict(State.choices)
    buffer = io.BytesIO()
    book = fileio.workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("依申请公开")
    bold = book.add_format({"bold": True})
    fileio.write_cells(sheet, 0, 0, [header for header, _, _ in EXPORT_FIELDS], bold)
    for col, (_, _, width) in enumerate(EXPORT_FIELDS):
        sheet.set_column(col, col, width)
    keys = [key for _, key, _ in EXPORT_FIELDS]
    for n, row in enumerate(queryset.values_list(*keys).iterator(), start=1):
        fileio.write_cells(sheet, n, 0, [_cell(k, v, states) for k, v in zip(keys, row, strict=True)])
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


@agency_required()
def application_export(request):
    """The list's selection (search and filters, every page) as an Excel file."""
    _, selected = selection(request)
    response = HttpResponse(export_workbook(selected), content_type=XLSX)
    name = f"依申请公开-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@agency_required(Application)
def application_print(request, application: Application):
    """One application on paper: its particulars and every event in order (who, when, what)."""
    events = list(application.events.select_related("actor", "amends").order_by("day", "at", "id"))
    amended = {e.amends_id for e in events if e.amends_id}
    timeline = [
        {
            "event": e,
            "who": (e.actor.get_full_name() or e.actor.username) if e.actor else "系统",
            "details": describe(e.data),
            "amended": e.pk in amended,
        }
        for e in events
    ]
    context = {"app": application, "timeline": timeline, "printed": timezone.localtime()}
    return render(request, "web/application_print.html", context)
