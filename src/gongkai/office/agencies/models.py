"""Agencies in a hierarchy (a county government and its departments) and the people who work for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
