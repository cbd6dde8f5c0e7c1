"""Login throttling with the cache: after ``LOGIN_FAILURE_LIMIT`` failed logins for one username
from one address, that pair is refused for ``LOGIN_FAILURE_WINDOW`` seconds."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}|{address}".encode()).hexdigest()
    return f"login-failures:{digest}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def is_blocked(username: str, address: str) -> bool:
    return cache.get(_key(username, address), 0) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, address: str) -> None:
    key = _key(username, address)
    if cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW)


def clear(username: str, address: str) -> None:
    cache.delete(_key(username, address))


def blocked_message() -> str:
    minutes = settings.LOGIN_FAILURE_WINDOW // 60
    return f"登录失败次数过多，该账号已暂时锁定，请{minutes}分钟后再试"
