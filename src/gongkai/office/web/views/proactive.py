"""The proactive register: table 二 figures per agency and year (documents, 第二十条)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency
from gongkai.office.proactive import services
from gongkai.office.proactive.models import Article20Figures, DocumentFigures

from ..decorators import agency_required
from ..forms import Article20Form, DocumentFiguresForm
from .common import form_errors, service_errors


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year"))
    except (TypeError, ValueError):
        return timezone.localdate().year - 1


@agency_required()
def proactive(request):
    year = _year(request)
    rows = []
    for agency in access.visible_agencies(request.user):
        docs = {d.kind: d for d in DocumentFigures.objects.filter(agency=agency, year=year)}
        a20 = Article20Figures.objects.filter(agency=agency, year=year).first()
        rows.append(
            {
                "agency": agency,
                "docs": docs.values(),
                "a20": a20,
                "can_write": access.can_write(request.user, agency),
                "doc_form": DocumentFiguresForm(),
                "a20_form": Article20Form(initial=vars(a20) if a20 else None),
            }
        )
    context = {"year": year, "years": range(timezone.localdate().year, 2018, -1), "rows": rows}
    return render(request, "web/proactive.html", context)


def _back(agency: Agency, year: int) -> str:
    return f"{reverse('web:proactive')}?year={year}#agency-{agency.pk}"


@require_POST
@agency_required(Agency, write=True, field="id")
def proactive_documents(request, agency: Agency):
    year = _year(request)
    form = DocumentFiguresForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(_back(agency, year))
    with service_errors(request):
        services.set_document_figures(
            request.user, services.DocumentFiguresInput(agency=agency, year=year, **form.cleaned_data)
        )
        messages.success(request, f"已保存{agency}{year}年主动公开文件统计")
    return redirect(_back(agency, year))


@require_POST
@agency_required(Agency, write=True, field="id")
def proactive_article20(request, agency: Agency):
    year = _year(request)
    form = Article20Form(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(_back(agency, year))
    with service_errors(request):
        services.set_article20_figures(
            request.user, services.Article20Input(agency=agency, year=year, **form.cleaned_data)
        )
        messages.success(request, f"已保存{agency}{year}年第二十条数据")
    return redirect(_back(agency, year))
