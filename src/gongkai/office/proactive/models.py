"""The proactive register (主动公开): documents made, repealed and in force per year, and the
yearly 第二十条 figures (licensing, penalty, coercion decisions; fees in 万元) per agency."""

from __future__ import annotations

from django.db import models

from gongkai.formats import GB2019, GB2021, normalise_label
from gongkai.office.agencies.models import Agency


def _document_kinds() -> list[tuple[str, str]]:
    """Rows of table 二's 第二十条第（一）项 block in either format (规章, 行政规范性文件, 其他主动公开文件)."""
    seen: dict[str, str] = {}
    for fmt in (GB2021, GB2019):
        for row in fmt.table("t2").blocks[0].rows:
            seen.setdefault(row.key, normalise_label(row.label))
    return list(seen.items())


DocumentKind = models.TextChoices("DocumentKind", [(k.upper(), (k, label)) for k, label in _document_kinds()])


class DocumentFigures(models.Model):
    """One kind of document of one agency in one year (table 二, 第二十条第（一）项)."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="document_figures")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("文件类别", max_length=20, choices=DocumentKind.choices)
    made = models.PositiveIntegerField("本年制发件数", default=0)
    repealed = models.PositiveIntegerField("本年废止件数", default=0)
    in_force = models.PositiveIntegerField("现行有效件数", default=0)
    published = models.PositiveIntegerField(
        "本年新公开数量", null=True, blank=True, help_text="2019年版格式（2019、2020年度）使用"
    )

    class Meta:
        verbose_name = "主动公开文件统计"
        verbose_name_plural = "主动公开文件统计"
        ordering = (
            "agency",
            "year",
            "kind",
        )
        constraints = (models.UniqueConstraint(fields=["agency", "year", "kind"], name="document_figures_unique"),)

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年 {self.get_kind_display()}"


class Article20Figures(models.Model):
    """第二十条 figures of one agency in one year (table 二: 第（五）（六）（八）项)."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="article20_figures")
    year = models.PositiveSmallIntegerField("年度")
    licensing = models.PositiveIntegerField("行政许可处理决定数量", null=True, blank=True)
    penalty = models.PositiveIntegerField("行政处罚处理决定数量", null=True, blank=True)
    coercion = models.PositiveIntegerField("行政强制处理决定数量", null=True, blank=True)
    fees_wan = models.DecimalField("行政事业性收费金额（万元）", max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = "第二十条数据"
        verbose_name_plural = "第二十条数据"
        ordering = (
            "agency",
            "year",
        )
        constraints = (models.UniqueConstraint(fields=["agency", "year"], name="article20_figures_unique"),)

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年 第二十条数据"
