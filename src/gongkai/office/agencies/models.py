"""Agencies in a hierarchy (a county government and its departments) and the people who work for them."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from gongkai import law
from gongkai.office.errors import OfficeError


class Agency(models.Model):
    name = models.CharField("机关名称", max_length=200, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Named in the remedies of this agency's letters (行政复议法第二十四条、第二十七条). Blank: derived.
    review_body = models.CharField(
        "行政复议机关",
        max_length=200,
        blank=True,
        help_text="留空则按机关层级推定为本级人民政府（上级机关中名称以“人民政府”结尾者）；"
        "实行垂直领导的机关（海关、金融、外汇管理、税务、国家安全等）请填写上一级主管部门",
    )
    court = models.CharField(
        "管辖法院", max_length=200, blank=True, help_text="留空则写“有管辖权的人民法院”；实行集中管辖的地方请填写"
    )

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def lineage(self) -> list[Agency]:
        """This agency and its ancestors, nearest first."""
        out: list[Agency] = []
        node: Agency | None = self
        while node is not None and node not in out:
            out.append(node)
            node = node.parent
        return out

    def remedy_bodies(self) -> tuple[str, str]:
        """(行政复议机关, 人民法院) for this agency's letters: as recorded, else derived ("" = unknown)."""
        review = self.review_body.strip() or law.review_body_for([a.name for a in self.lineage()])
        return review, self.court.strip()


class Role(models.TextChoices):
    STAFF = "staff", "办公室工作人员"
    HEAD = "head", "办公室负责人"
    SUPERVISOR = "supervisor", "上级监督"
    ADMIN = "admin", "管理员"


# Roles that may change an agency's records (supervisors only read).
WRITERS = (Role.STAFF, Role.HEAD, Role.ADMIN)


class MembershipQuerySet(models.QuerySet):
    def for_agency(self, agency: Agency) -> MembershipQuerySet:
        """Memberships that apply to ``agency``: on it or on one of its ancestors."""
        return self.filter(agency__in=agency.lineage())


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.STAFF)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "成员"
        verbose_name_plural = "成员"
        constraints = (models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),)

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


class ChangeKind(models.TextChoices):
    """Changes to an agency's records other than applications (those have ApplicationEvent)."""

    DOCUMENT_FIGURES = "document_figures", "填报主动公开文件统计"
    ARTICLE20_FIGURES = "article20_figures", "填报第二十条数据"
    APPEAL_FILED = "appeal_filed", "登记复议诉讼案件"
    APPEAL_DECIDED = "appeal_decided", "登记复议诉讼结果"
    REPORT_BUILT = "report_built", "生成年度报告"
    REPORT_SAVED = "report_saved", "修改年度报告正文"
    REPORT_SUBMITTED = "report_submitted", "提交年度报告"
    REPORT_LOCKED = "report_locked", "锁定年度报告"
    REPORT_RETURNED = "report_returned", "退回年度报告修改"
    REPORT_UPLOADED = "report_uploaded", "上传已发布的年度报告"
    REPORT_UPLOAD_DELETED = "report_upload_deleted", "删除上传的年度报告"
    LETTER_ISSUED = "letter_issued", "生成答复书或告知书"


class ChangeRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise OfficeError("变更记录只能追加，不能修改")

    def delete(self):
        raise OfficeError("变更记录只能追加，不能删除")


class ChangeRecord(models.Model):
    """Who changed what, when: append-only, written by ``services.record_change`` alone."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    kind = models.CharField("操作", max_length=30, choices=ChangeKind.choices)
    subject = models.CharField("对象", max_length=200)
    data = models.JSONField("内容", default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or '系统'} {self.get_kind_display()} {self.subject}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise OfficeError("变更记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise OfficeError("变更记录只能追加，不能删除")
