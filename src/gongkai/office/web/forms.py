"""Forms of the workbench: Chinese labels, typed values; the services decide what is allowed."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from gongkai.deadlines import Party
from gongkai.fees import DELIVERY_LABELS, Delivery
from gongkai.office.appeals.models import AppealKind, AppealResult
from gongkai.office.applications.limits import APPLICANT_MAX, CONTENT_MAX
from gongkai.office.applications.models import FeeBasis, State
from gongkai.office.applications.services import outcome_choices_for
from gongkai.office.applications.vocabulary import OUTCOME_CHOICES, ApplicantType, Channel
from gongkai.office.proactive.models import DocumentKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: str, **kw) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kw)


def not_future(value) -> None:
    """A day something happened on cannot be after today (the services refuse it as well)."""
    today = timezone.localdate()
    if value is not None and value > today:
        raise forms.ValidationError(f"不能晚于今天（{today.isoformat()}）", code="future")


def past_date(label: str, **kw) -> forms.DateField:
    """A date field for a day something happened: today or earlier."""
    return _date(label, validators=[not_future], **kw)


class LoginForm(AuthenticationForm):
    """Django's form (``authenticate(request, …)``, so the lockout of ``lockout.py`` counts it)."""

    error_messages: ClassVar[dict[str, str]] = {
        "invalid_login": "用户名或密码不正确",
        "inactive": "该账号已停用",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class RegisterForm(forms.Form):
    agency = AgencyChoiceField(label="机关", queryset=None, empty_label=None)
    number = forms.CharField(label="申请编号", max_length=64)
    applicant_name = forms.CharField(label="申请人", max_length=APPLICANT_MAX)
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantType.choices)
    channel = forms.ChoiceField(label="申请方式", choices=Channel.choices)
    received_on = past_date("收到日期")
    awaiting_confirmation = forms.BooleanField(
        label="待确认收到",
        required=False,
        help_text="平常信函、互联网、传真：以与申请人确认之日为收到之日（第三十一条）。勾选时上面填提交之日，确认后再记录“确认收到申请”。",
    )
    content = forms.CharField(label="申请内容", max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class EventForm(forms.Form):
    """One event of the ledger (补正, 征求意见, 延期); the kind comes from the button pressed."""

    kind = forms.CharField(widget=forms.HiddenInput())
    day = past_date("日期")
    days = forms.IntegerField(label="天数（工作日）", min_value=1, max_value=60, required=False)
    party = forms.ChoiceField(
        label="征求对象",
        choices=[("", "—"), (Party.THIRD_PARTY.value, "第三方"), (Party.AGENCY.value, "其他机关")],
        required=False,
    )
    note = forms.CharField(label="备注", max_length=500, required=False)
    # 发出收费通知: 按件 without an amount is counted from the register (国办函〔2020〕109号第四条)
    basis = forms.ChoiceField(label="计收方式", choices=[("", "—"), *FeeBasis.choices], required=False)
    amount = forms.DecimalField(label="金额（元）", min_value=0, max_digits=12, decimal_places=2, required=False)
    pages = forms.IntegerField(label="页数", min_value=0, required=False)


class ReplyForm(forms.Form):
    day = past_date("答复日期")
    outcome = forms.ChoiceField(label="办理结果")
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        year = year or timezone.localdate().year
        day = self.data.get("day") if self.is_bound else None
        if day and len(day) >= 4 and day[:4].isdigit():
            year = int(day[:4])
        try:
            self.fields["outcome"].choices = outcome_choices_for(year)
        except Exception:  # a year no format covers: the service explains on submit
            self.fields["outcome"].choices = outcome_choices_for(timezone.localdate().year)


OPEN = "open"  # the state filter's value for every state still being handled


def _year_choices(years) -> list[tuple[str, str]]:
    return [("", "全部年度")] + [(str(y), f"{y}年") for y in years]


class ApplicationFilter(forms.Form):
    q = forms.CharField(
        label="查找",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "申请编号、申请人或申请内容", "type": "search"}),
    )
    year = forms.ChoiceField(label="年度", required=False)
    state = forms.ChoiceField(
        label="办理状态", choices=[("", "全部状态"), (OPEN, "全部办理中"), *State.choices], required=False
    )
    outcome = forms.ChoiceField(label="办理结果", choices=[("", "全部结果"), *OUTCOME_CHOICES], required=False)
    channel = forms.ChoiceField(label="申请方式", choices=[("", "全部方式"), *Channel.choices], required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)


class DocumentFiguresForm(forms.Form):
    kind = forms.ChoiceField(label="文件类别", choices=DocumentKind.choices)
    made = forms.IntegerField(label="本年制发件数", min_value=0, initial=0)
    repealed = forms.IntegerField(label="本年废止件数", min_value=0, initial=0)
    in_force = forms.IntegerField(label="现行有效件数", min_value=0, initial=0)


class Article20Form(forms.Form):
    licensing = forms.IntegerField(label="行政许可处理决定数量", min_value=0, required=False)
    penalty = forms.IntegerField(label="行政处罚处理决定数量", min_value=0, required=False)
    coercion = forms.IntegerField(label="行政强制处理决定数量", min_value=0, required=False)
    fees_wan = forms.DecimalField(
        label="行政事业性收费金额（万元）", min_value=0, max_digits=14, decimal_places=4, required=False
    )


class AppealForm(forms.Form):
    agency = AgencyChoiceField(label="被申请（被诉）机关", queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="类别", choices=AppealKind.choices)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    filed_on = _date("立案（收到）日期")
    application = forms.CharField(label="所涉申请编号", max_length=64, required=False)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class DecisionForm(forms.Form):
    result = forms.ChoiceField(
        label="审结结果", choices=[c for c in AppealResult.choices if c[0] != AppealResult.PENDING]
    )
    decided_on = _date("审结日期")


class FeeForm(forms.Form):
    method = forms.ChoiceField(label="计收方式", choices=[("by_count", "按件计收"), ("by_pages", "按量计收")])
    count = forms.IntegerField(label="本次申请件数", min_value=1, required=False)
    prior = forms.IntegerField(label="本月此前已申请件数", min_value=0, required=False, initial=0)
    pages = forms.IntegerField(label="页数", min_value=0, required=False)
    delivery = forms.ChoiceField(
        label="提供方式", choices=[(d.value, DELIVERY_LABELS[d]) for d in Delivery], required=False
    )


# The annual report's forms (narrative sections, submission, return) are in ``report_forms``.
class BuildForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2019, max_value=2100)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way): cleaned to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


class UploadForm(forms.Form):
    agency = AgencyChoiceField(label="单位", queryset=None, empty_label=None)
    year = forms.TypedChoiceField(
        label="年度",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="报告所属的年度：读出的单位或年度与所选不符时，须核对确认后才保存",
    )
    files = MultipleFileField(
        label="已公开的年度报告（txt、md、html、docx、pdf、扫描件；按页拍摄的图片可一次选中全部页）",
        help_text="选择多个文件时，它们应是同一份报告各页的图片，按文件名中的页码排列",
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        this_year = timezone.localdate().year
        years = [(y, f"{y}年") for y in range(this_year, 2007, -1)]
        self.fields["year"].choices = [*years, ("", "按报告中读出的年度")]
        self.fields["year"].initial = this_year - 1
