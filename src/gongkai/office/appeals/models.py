"""Appeals against disclosure decisions: 行政复议 and 行政诉讼 (table 四)."""

from __future__ import annotations

from django.db import models

from gongkai.formats import GB2021, normalise_label
from gongkai.office.agencies.models import Agency

_T4 = GB2021.table("t4").blocks[0]


def _kind_label(row) -> str:
    return f"{row.group}·{row.label}" if row.group else row.label


# The groups of table 四 (行政复议, 行政诉讼·未经复议直接起诉, 行政诉讼·复议后起诉)
AppealKind = models.TextChoices("AppealKind", [(r.key.upper(), (r.key, _kind_label(r))) for r in _T4.rows])
# The results of table 四 (结果维持, 结果纠正, 其他结果, 尚未审结), without 总计
AppealResult = models.TextChoices(
    "AppealResult", [(c.key.upper(), (c.key, normalise_label(c.label))) for c in _T4.columns if c.key != "total"]
)


class Appeal(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name="被申请（被诉）机关", on_delete=models.PROTECT, related_name="appeals"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="所涉申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    kind = models.CharField("类别", max_length=24, choices=AppealKind.choices)
    case_number = models.CharField("案号", max_length=100, blank=True)
    filed_on = models.DateField("立案（收到）日期")
    result = models.CharField("结果", max_length=16, choices=AppealResult.choices, default=AppealResult.PENDING)
    decided_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "复议诉讼案件"
        verbose_name_plural = "复议诉讼案件"
        ordering = (
            "agency",
            "filed_on",
        )
        indexes = (models.Index(fields=["agency", "filed_on"], name="appeal_filed"),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.filed_on}"
