"""API tokens: a long random key shown once; only its SHA-256 digest is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        """Tokens that still open the API: not revoked, not expired, and their user still active."""
        return self.filter(revoked__isnull=True, user__is_active=True).filter(
            models.Q(expires__isnull=True) | models.Q(expires__gt=timezone.now())
        )


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=100, help_text="用途说明，如“门户网站同步”")
    key_hash = models.CharField("密钥摘要（SHA-256）", max_length=64, unique=True, editable=False)
    created = models.DateTimeField("签发时间", auto_now_add=True)
    last_used = models.DateTimeField("最近使用时间", null=True, blank=True, editable=False)
    revoked = models.DateTimeField("吊销时间", null=True, blank=True, editable=False)
    # Empty only for tokens issued before tokens expired (they keep working until revoked).
    expires = models.DateTimeField("有效期至", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.user} · {self.name}" + (f"（{self.status}）" if self.status != "有效" else "")

    @property
    def status(self) -> str:
        if self.revoked:
            return "已吊销"
        if self.expires and self.expires <= timezone.now():
            return "已过期"
        return "有效"
