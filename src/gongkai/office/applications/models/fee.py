"""The information-processing fee of an application (国办函〔2020〕109号); amounts are computed elsewhere."""

from __future__ import annotations

from django.db import models


class FeeBasis(models.TextChoices):
    PER_ITEM = "per_item", "按件计收"
    PER_VOLUME = "per_volume", "按量计收"


class Fee(models.Model):
    application = models.OneToOneField(
        "applications.Application", verbose_name="申请", on_delete=models.PROTECT, related_name="fee"
    )
    basis = models.CharField("计收方式", max_length=20, choices=FeeBasis.choices)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    notified_on = models.DateField("收费通知日期", null=True, blank=True)
    # 国办函〔2020〕109号: the 20 working days to pay run from the day after this
    notice_received_on = models.DateField("申请人收到收费通知日期", null=True, blank=True)
    paid_on = models.DateField("缴费日期", null=True, blank=True)

    class Meta:
        verbose_name = "信息处理费"
        verbose_name_plural = "信息处理费"

    def __str__(self) -> str:
        return f"{self.application} {self.amount}元"
