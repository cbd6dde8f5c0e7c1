"""Published reports a supervising office uploads for the units below it, with their check issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.office.agencies.models import Agency


class PublishedReport(models.Model):
    """One published annual report of a unit as read by ``gongkai.parse.parse_bytes``."""

    agency = models.ForeignKey(Agency, verbose_name="单位", on_delete=models.PROTECT, related_name="published_reports")
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    format = models.CharField("格式", max_length=16)
    filename = models.CharField("文件名", max_length=255)
    cells = models.JSONField("统计数据", default=dict, blank=True)
    sections = models.JSONField("正文", default=dict, blank=True)
    issues = models.JSONField("检查问题", default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_reports",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "已公开年度报告"
        verbose_name_plural = "已公开年度报告"
        ordering = ("agency", "-year", "-id")
        indexes = (models.Index(fields=["agency", "year"], name="published_report_agency_year"),)

    def __str__(self) -> str:
        return f"{self.agency} {self.year or '未知'}年度报告（{self.filename}）"

    def to_report(self):
        from gongkai.office.annual.models import stored_report

        return stored_report(self)
