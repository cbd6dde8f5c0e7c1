"""Forms for correcting an application and for extensions: Chinese labels, typed values; the
services (``applications.corrections``, ``applications.extensions``) decide what is allowed."""

from __future__ import annotations

from contextlib import suppress

from django import forms

from gongkai import law
from gongkai.office.applications.limits import APPLICANT_MAX, CONTENT_MAX
from gongkai.office.applications.services import outcome_choices_for
from gongkai.office.applications.vocabulary import OUTCOME_CHOICES, ApplicantType, Channel
from gongkai.office.errors import OfficeError

from .forms import past_date

REASON_HELP = "写明为什么更正（记入办理记录）"


def _reason(label: str = "更正理由", help_text: str = REASON_HELP) -> forms.CharField:
    return forms.CharField(label=label, max_length=500, help_text=help_text, widget=forms.TextInput(attrs={"size": 40}))


class EditForm(forms.Form):
    """修改登记信息: the registration's fields as they should be, and why."""

    applicant_name = forms.CharField(label="申请人", max_length=APPLICANT_MAX, required=False)
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices)
    channel = forms.ChoiceField(label="申请方式", choices=Channel.choices)
    received_on = past_date(
        "收到日期", help_text="第三十一条规定的收到申请之日；已确认收到的，为确认之日。修改后答复期限重新计算。"
    )
    content = forms.CharField(label="申请内容", max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    reason = _reason()

    def changes(self) -> list[str]:
        return [f for f in self.changed_data if f != "reason"]


class ReplyCorrectionForm(forms.Form):
    """更正答复: the right day and outcome of the closing, and why."""

    day = past_date("答复日期")
    outcome = forms.ChoiceField(label="办理结果", choices=OUTCOME_CHOICES)
    reason = _reason()

    def __init__(self, *args, year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if year is not None:
            with suppress(OfficeError):  # a year no format covers: the whole list, the service explains
                self.fields["outcome"].choices = outcome_choices_for(year)


class WithdrawForm(forms.Form):
    day = past_date("撤回日期")
    note = forms.CharField(label="备注", max_length=500, required=False)


class UndoForm(forms.Form):
    reason = _reason("撤销理由", "写明为什么撤销（记入办理记录，原记录保留）")


class ExtensionRequestForm(forms.Form):
    days = forms.IntegerField(
        label="延长期限（工作日）", min_value=1, max_value=law.MAX_EXTENSION_DAYS, initial=law.MAX_EXTENSION_DAYS
    )
    reason = _reason("延期理由", "将写入延期答复告知书")


class ExtensionApprovalForm(forms.Form):
    days = forms.IntegerField(label="批准延长（工作日）", min_value=1, max_value=law.MAX_EXTENSION_DAYS, required=False)
    comment = forms.CharField(label="审批意见", max_length=500, required=False)


class ExtensionRefusalForm(forms.Form):
    reason = _reason("不同意的理由", "记入办理记录")
