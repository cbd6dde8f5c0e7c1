"""Annual reports (政府信息公开工作年度报告) assembled from the office's records."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.formats import FORMATS
from gongkai.office.agencies.models import Agency
from gongkai.office.errors import ReportLocked


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    LOCKED = "locked", "已锁定"


FORMAT_CHOICES = [(f.id, f.name) for f in FORMATS.values()]


class AnnualReportQuerySet(models.QuerySet):
    def latest_for(self, agency: Agency, year: int) -> AnnualReport | None:
        return self.filter(agency=agency, year=year).order_by("-id").first()


class AnnualReport(models.Model):
    """A version of one agency's report for one year; a locked report never changes again."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    format = models.CharField("格式", max_length=16, choices=FORMAT_CHOICES)
    cells = models.JSONField("统计数据", default=dict, blank=True)
    sections = models.JSONField("正文", default=dict, blank=True)
    issues = models.JSONField("检查问题", default=list, blank=True)
    status = models.CharField("状态", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_reports",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = (
            "agency",
            "-year",
            "-id",
        )
        indexes = (models.Index(fields=["agency", "year"], name="annual_report_agency_year"),)

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告（{self.get_status_display()}）"

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()

    def save(self, *args, **kwargs) -> None:
        if self._stored_status() == ReportStatus.LOCKED:
            raise ReportLocked(f"{self.agency}{self.year}年度报告已锁定，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_status() == ReportStatus.LOCKED:
            raise ReportLocked(f"{self.agency}{self.year}年度报告已锁定，不能删除")
        return super().delete(*args, **kwargs)

    def to_report(self):
        return stored_report(self)


def stored_report(row):
    """The Report a stored row (built or uploaded) holds: format, year, agency, cells, sections, issues."""
    from gongkai.report import Report

    return Report.from_dict(
        {
            "format": row.format,
            "year": row.year,
            "agency": row.agency.name,
            "cells": row.cells,
            "sections": row.sections,
            "issues": row.issues,
        }
    )
