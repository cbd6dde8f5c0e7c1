"""Forms for reply letters and notices: the fields an answer needs, shown per outcome or notice.

The rules (what each answer of 第三十六条 requires, when a notice is late) stay in
``gongkai.letters`` and ``gongkai.notices``: every field here is optional and a refused letter's
``LetterError.missing`` is turned back into errors on the fields it names.
"""

from __future__ import annotations

from django import forms

from gongkai import letters
from gongkai.fees import DELIVERY_LABELS, METHOD_LABELS, Delivery, Method
from gongkai.letters import FIELDS, NOT_HELD_LABELS, LetterError
from gongkai.office.applications.limits import DETAILS_MAX
from gongkai.office.applications.vocabulary import basis_choices

from .forms import _date

CUSTOM = "custom"  # the basis is written out in ``basis_text``
CHOOSE = ("", "—请选择—")


def _text(label: str, *, help_text: str = "", rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, required=False, max_length=DETAILS_MAX, help_text=help_text, widget=widget)


class _LetterErrors:
    """Put a ``LetterError`` on the fields its ``missing`` names, and on the form."""

    def add_letter_error(self, error: LetterError) -> None:
        for name in error.missing:
            if name in self.fields:
                self.add_error(name, f"请填写{FIELDS.get(name, self.fields[name].label)}")
        self.add_error(None, str(error))


class LetterForm(_LetterErrors, forms.Form):
    """A reply letter for ``outcome``: common fields plus the content its 第三十六条 item requires."""

    doc_number = _text("文号", help_text="如：某交公开〔2025〕12号；可不填")
    published = forms.BooleanField(label="该信息已主动公开（第三十六条第（一）项）", required=False)
    provide_by = _text("提供方式", help_text="如：电子邮件、纸质件邮寄、当面领取")
    provide_at = _text("获取途径（地点）", help_text="如：电子邮箱地址、网址、领取地点")
    provide_date = _date("提供时间", required=False)
    not_held_reason = forms.ChoiceField(
        label="无法提供的具体情形", required=False, choices=[CHOOSE, *NOT_HELD_LABELS.items()]
    )
    responsible_agency = _text("负责公开该信息的机关")
    responsible_contact = _text("该机关的联系方式")
    withheld = forms.ChoiceField(label="不予公开部分的理由", required=False, choices=[CHOOSE])
    procedure = _text("应依照的规定及办理途径", help_text="如：《不动产登记暂行条例》的规定，到某县不动产登记中心查询")
    basis = forms.ChoiceField(label="答复依据", required=False, choices=[CHOOSE])
    basis_text = _text("其他依据（条款）", help_text="答复依据选“其他”时填写，如：第三十九条第一款")
    details = _text("补充说明（理由等）", rows=3)
    contact = _text("联系方式")

    def __init__(self, *args, outcome: str, fmt_id: str, needs_basis: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name, owner in letters.BELONGS.items():
            if owner != outcome:
                del self.fields[name]
        if "withheld" in self.fields:
            grounds = letters.withheld_grounds(fmt_id)
            labels = [(k, f"{r.basis}：{letters.plain_label(r.label)}") for k, r in grounds.items()]
            self.fields["withheld"].choices = [CHOOSE, *labels]
        if needs_basis:
            self.fields["basis"].choices = [CHOOSE, *basis_choices(outcome), (CUSTOM, "其他（在下面填写条款）")]
        else:
            del self.fields["basis"], self.fields["basis_text"]

    def changes(self) -> dict:
        """The ``LetterContext`` fields the clerk gave."""
        d = dict(self.cleaned_data)
        basis, text = d.pop("basis", ""), d.pop("basis_text", "").strip()
        if basis == CUSTOM or (not basis and text):
            basis = text
        return {**d, "basis": basis}


NOTICE_DETAILS = {
    "correction": "需要补正的事项",
    "extension": "延期的理由",
    "consultation": "该信息涉及第三方的情况（如：某公司的商业秘密）",
    "fee": "补充说明",
}
NOTICE_FIELDS = {
    "correction": ("days", "until"),
    "extension": ("days", "until"),
    "consultation": ("third_party", "served"),
    "fee": ("method", "count", "prior", "pages", "delivery", "pay_how", "served"),
}


class NoticeForm(_LetterErrors, forms.Form):
    """A notice of ``kind`` (``gongkai.notices.NOTICES``); ``confirm_late`` lets a late one through."""

    day = _date("日期")
    doc_number = _text("文号", help_text="可不填")
    days = forms.IntegerField(label="期限（工作日）", required=False, min_value=1, max_value=60)
    until = _date("截止日期", required=False)
    third_party = _text("第三方名称")
    method = forms.ChoiceField(label="计收方式", choices=[(m.value, METHOD_LABELS[m]) for m in Method])
    count = forms.IntegerField(
        label="按件计收：本次申请件数", required=False, min_value=1, help_text="留空则按台账自动计件"
    )
    prior = forms.IntegerField(label="按件计收：本自然月此前已申请件数", required=False, min_value=0)
    pages = forms.IntegerField(label="按量计收：页数", required=False, min_value=1, help_text="留空则用台账记录的页数")
    delivery = forms.ChoiceField(label="按量计收：提供方式", choices=[(d.value, DELIVERY_LABELS[d]) for d in Delivery])
    pay_how = _text("缴纳方式", help_text="如：缴款码、收款账户、缴费地点")
    served = _date("对方收到之日", required=False, help_text="知道时填写，文书将写明截止日期")
    details = _text("补充说明", rows=3)
    contact = _text("联系方式")
    confirm_late = forms.BooleanField(label="已知晓上述期限问题，仍然生成", required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        keep = NOTICE_FIELDS[kind]
        for name in {n for fields in NOTICE_FIELDS.values() for n in fields} - set(keep):
            del self.fields[name]
        self.fields["details"].label = NOTICE_DETAILS[kind]
        if kind == "correction":
            self.fields["days"].label, self.fields["until"].label = "补正期限（工作日）", "补正截止日期"
        elif kind == "extension":
            self.fields["days"].label, self.fields["until"].label = "延长的工作日数", "延长后的答复期限"
            self.fields["days"].max_value = 20
