"""Issuing, revoking and checking API tokens: the one place keys are made and hashed.

A key is ``gk_`` + 32 random bytes (URL-safe base64). Only its SHA-256 digest is stored, so a
leaked database gives no usable key; the plain key is returned once by ``issue_token``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from gongkai.office.errors import OfficeError

from .models import ApiToken

PREFIX = "gk_"
DEFAULT_DAYS = 365  # a token lives a year unless issued for less (``--days``)
MAX_DAYS = 3 * 365


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_token(user, name: str, days: int = DEFAULT_DAYS) -> str:
    """Create a token for ``user`` valid ``days`` days and return its plain key (shown once, never stored)."""
    return create_token(user, name, days)[1]


def create_token(user, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """The new token row and its plain key."""
    name = name.strip()
    if not name:
        raise OfficeError("令牌名称不能为空")
    if not user.is_active:
        raise OfficeError(f"用户“{user}”已停用，不能签发令牌")
    if not 1 <= days <= MAX_DAYS:
        raise OfficeError(f"令牌有效期应为 1 至 {MAX_DAYS} 天，不能是 {days} 天")
    key = PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(days=days)
    token = ApiToken.objects.create(user=user, name=name, key_hash=digest(key), expires=expires)
    return token, key


def revoke_token(token: ApiToken) -> None:
    """Revoke a token for good (idempotent)."""
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])


def user_for_key(key: str):
    """The user an unrevoked, unexpired key belongs to (recording its use), or None."""
    if not key.startswith(PREFIX):
        return None
    token = ApiToken.objects.active().select_related("user").filter(key_hash=digest(key)).first()
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user
