"""Annual reports (政府信息公开工作年度报告) assembled from the office's records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.formats import FORMATS
from gongkai.office.agencies.models import Agency
from gongkai.office.errors import OfficeError, ReportLocked
from gongkai.report import SECTION_KEYS


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    LOCKED = "locked", "已锁定"


FORMAT_CHOICES = [(f.id, f.name) for f in FORMATS.values()]


class AnnualReportQuerySet(models.QuerySet):
    def latest_for(self, agency: Agency, year: int) -> AnnualReport | None:
        """The newest version (a draft being written, or the last one submitted)."""
        return self.filter(agency=agency, year=year).order_by("-version", "-id").first()

    def submitted_for(self, agency: Agency, year: int) -> AnnualReport | None:
        """The newest submitted (or locked) version: what the supervising office reads."""
        return self.filter(agency=agency, year=year).exclude(status=ReportStatus.DRAFT).order_by("-version").first()

    def versions_of(self, agency: Agency, year: int) -> AnnualReportQuerySet:
        return self.filter(agency=agency, year=year).order_by("version")


class AnnualReport(models.Model):
    """A version of one agency's report for one year; a locked report never changes again.

    Versions of a year are numbered 1, 2, …: a submitted or locked version is replaced only by a
    new version, after the supervising office returned it (``ReportReturn``).
    """

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版本", default=1)
    format = models.CharField("格式", max_length=16, choices=FORMAT_CHOICES)
    cells = models.JSONField("统计数据", default=dict, blank=True)
    sections = models.JSONField("正文", default=dict, blank=True)
    # The text the last build generated for each section, offered beside a section a person wrote.
    generated = models.JSONField("生成的正文", default=dict, blank=True)
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
            "-version",
        )
        indexes = (models.Index(fields=["agency", "year"], name="annual_report_agency_year"),)
        constraints = (models.UniqueConstraint(fields=["agency", "year", "version"], name="annual_report_one_version"),)

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告第{self.version}版（{self.get_status_display()}）"

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT

    def returned(self) -> ReportReturn | None:
        """The supervising office's return of this (submitted or locked) version, if any."""
        if self.pk is None:
            return None
        return self.returns.select_related("returned_by").first()

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


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise OfficeError("历史记录只能追加，不能修改")

    def delete(self):
        raise OfficeError("历史记录只能追加，不能删除")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise OfficeError("历史记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise OfficeError("历史记录只能追加，不能删除")


class SectionSource(models.TextChoices):
    GENERATED = "generated", "由台账生成"
    PERSON = "person", "人工撰写"


SECTION_CHOICES = [(k, k) for k in SECTION_KEYS]


class SectionVersion(AppendOnly):
    """Every saved text of one narrative section of one report version, numbered 1, 2, … (append-only).

    The newest row is the section's current text (``AnnualReport.sections`` holds a copy for
    reading); a save names the version it started from, and is refused when another save came
    between (optimistic locking). A section whose newest row was generated may be refreshed by
    the next build; one a person wrote never is.
    """

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.PROTECT, related_name="section_versions"
    )
    section = models.CharField("部分", max_length=4, choices=SECTION_CHOICES)
    version = models.PositiveIntegerField("版本")
    text = models.TextField("正文", blank=True)
    source = models.CharField("来源", max_length=16, choices=SectionSource.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="保存人", null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField("保存时间", default=timezone.now)
    note = models.CharField("说明", max_length=200, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "年度报告正文版本"
        verbose_name_plural = "年度报告正文版本"
        ordering = ("report", "section", "-version")
        constraints = (models.UniqueConstraint(fields=["report", "section", "version"], name="section_version_unique"),)

    def __str__(self) -> str:
        return f"{self.report} {self.section} 第{self.version}稿"

    @property
    def written(self) -> bool:
        """A person's text: never replaced by a build."""
        return self.source != SectionSource.GENERATED


class ReportReturn(AppendOnly):
    """The supervising office returned a submitted or locked version for changes (退回修改)."""

    report = models.ForeignKey(AnnualReport, verbose_name="年度报告", on_delete=models.PROTECT, related_name="returns")
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="退回人", on_delete=models.PROTECT)
    returned_at = models.DateTimeField("退回时间", default=timezone.now)
    reason = models.TextField("退回理由")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "年度报告退回记录"
        verbose_name_plural = "年度报告退回记录"
        ordering = ("-returned_at",)
        constraints = (models.UniqueConstraint(fields=["report"], name="report_returned_once"),)

    def __str__(self) -> str:
        return f"{self.report} 于 {self.returned_at:%Y-%m-%d} 退回修改"


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
