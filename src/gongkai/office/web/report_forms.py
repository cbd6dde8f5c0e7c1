"""Forms of the annual report pages: the narrative (with the version each text started from),
submission's confirmation and the supervising office's return."""

from __future__ import annotations

from django import forms

from gongkai.office.annual.sections import LABELS
from gongkai.report import SECTION_KEYS

SECTION_MAX = 20000  # characters of one section: pages of text, not a pasted file
REASON_MAX = 2000


def version_field(key: str) -> str:
    return f"v_{key}"


class SectionsForm(forms.Form):
    """The six sections, each with (hidden) the version its text started from: a save over a
    newer version is refused instead of overwriting it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in SECTION_KEYS:
            self.fields[key] = forms.CharField(
                label=LABELS[key], required=False, max_length=SECTION_MAX, widget=forms.Textarea(attrs={"rows": 6})
            )
            self.fields[version_field(key)] = forms.IntegerField(
                required=False, min_value=0, widget=forms.HiddenInput()
            )

    @classmethod
    def showing(cls, sections: dict[str, str], versions: dict[str, int]) -> SectionsForm:
        initial = {k: sections.get(k, "") for k in SECTION_KEYS}
        initial |= {version_field(k): versions.get(k, 0) for k in SECTION_KEYS}
        return cls(initial=initial)

    def texts(self) -> dict[str, str]:
        return {k: self.cleaned_data[k] for k in SECTION_KEYS if k in self.data}

    def versions(self) -> dict[str, int]:
        out = {}
        for k in SECTION_KEYS:
            v = self.cleaned_data.get(version_field(k))
            if v is not None:
                out[k] = v
        return out


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回理由",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明需要修改的内容；退回后下级生成新版本，修改后重新报送",
    )
