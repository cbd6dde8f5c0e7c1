"""Bulk import of the Excel 台账 from the browser: the same service as ``gongkai import`` — every
row checked first, nothing imported when any row is wrong, each problem named by sheet, row and
column — behind CSRF (Django's middleware) and a size cap."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from gongkai.errors import GongkaiError
from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency
from gongkai.office.applications import services
from gongkai.office.applications.ledger import LedgerRejected

from ..decorators import agency_required
from ..forms import AgencyChoiceField

MAX_LEDGER_BYTES = 10 * 1024 * 1024  # a county's ledger of several years is well under 1 MB
SUFFIXES = (".xlsx", ".xlsm")


class LedgerUploadForm(forms.Form):
    agency = AgencyChoiceField(label="导入到机关", queryset=None, empty_label=None)
    ledger = forms.FileField(label="Excel 台账（.xlsx）")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean_ledger(self):
        upload = self.cleaned_data["ledger"]
        if upload.size > MAX_LEDGER_BYTES:
            raise forms.ValidationError(f"文件过大（{upload.size / 1024 / 1024:.1f} MB），台账不能超过 10 MB")
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError("请上传 Excel 台账（.xlsx 文件）；.xls 等旧格式请先在 Excel 中另存为 .xlsx")
        return upload


@agency_required(write=True)
def ledger_import(request):
    agencies = Agency.objects.filter(id__in=access.writable_agency_ids(request.user))
    form = LedgerUploadForm(request.POST or None, request.FILES or None, agencies=agencies)
    context = {"form": form, "problems": [], "max_mb": MAX_LEDGER_BYTES // (1024 * 1024)}
    if request.method == "POST" and form.is_valid():
        agency, upload = form.cleaned_data["agency"], form.cleaned_data["ledger"]
        name = Path(upload.name).name
        with tempfile.TemporaryDirectory(prefix="gongkai-ledger-") as tmp:
            path = Path(tmp) / ("ledger" + Path(name).suffix.lower())
            with path.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            try:
                result = services.import_ledger(request.user, services.LedgerInput(agency=agency, path=str(path)))
            except LedgerRejected as e:
                messages.error(request, f"台账“{name}”有 {len(e.problems)} 处错误，未导入任何申请；请修改后重新上传：")
                context["problems"] = [str(p) for p in e.problems]
                return render(request, "web/ledger_import.html", context, status=400)
            except GongkaiError as e:  # unreadable file, no header row …
                messages.error(request, f"台账“{name}”未导入：" + str(e).replace(str(path), name))
                return render(request, "web/ledger_import.html", context, status=400)
        for notice in result.notices:
            messages.info(request, str(notice))
        messages.success(request, f"已从“{name}”导入 {result.imported} 件申请到“{agency}”")
        return redirect("web:applications")
    return render(request, "web/ledger_import.html", context)
