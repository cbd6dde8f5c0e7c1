"""The fee calculator (信息处理费, 国办函〔2020〕109号): a form over ``gongkai.fees.quote``."""

from __future__ import annotations

from django.shortcuts import render

from gongkai.fees import FeeError, payment_note, quote

from ..decorators import agency_required
from ..forms import FeeForm


@agency_required()
def fees(request):
    form = FeeForm(request.GET or None)
    result = error = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["method"] == "by_count":
                result = quote(count=d["count"], prior=d["prior"] or 0) if d["count"] else None
            else:
                result = quote(pages=d["pages"], delivery=d["delivery"] or "paper") if d["pages"] is not None else None
            if result is None:
                error = "请填写按件计收的件数或按量计收的页数"
        except FeeError as e:
            error = str(e)
    return render(request, "web/fees.html", {"form": form, "result": result, "error": error, "note": payment_note()})
