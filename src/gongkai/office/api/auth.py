"""How a request proves who it is: a bearer token, or the web UI's session (with CSRF for writes).

- ``Authorization: Bearer gk_…``: a token from ``tokens.issue_token``. A bearer header that
  does not name an active token is refused outright (401), never passed on to the session.
  The key is checked by ``django.contrib.auth.authenticate`` (``ApiTokenBackend``), so the one
  login lockout (django-axes, ``web/lockout.py``) counts wrong keys as failed logins: a key
  names no user, so they are counted per client address, and after ``AXES_FAILURE_LIMIT`` of
  them even a right key is refused from that address (429) until the cool-off has passed.
  A right key does not clear the count (it would let a holder of one key guess others).
- The session cookie of a logged-in user: any safe method; unsafe methods must also carry
  Django's CSRF token (``X-CSRFToken`` header), as a form would.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.backends import BaseBackend
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .tokens import user_for_key

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiTokenBackend(BaseBackend):
    """An authentication backend for API keys: ``authenticate(request, api_token=key)``."""

    def authenticate(self, request, api_token: str | None = None, **kwargs):
        if api_token is None:
            return None
        return user_for_key(api_token.strip())


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = authenticate(request, api_token=token)
        if user is None:
            raise AuthenticationError(message="访问令牌无效、已过期或已吊销")
        return user


class SessionWithCsrf(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, only for a logged-in user's unsafe request

    def authenticate(self, request, key: str | None):
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF 校验失败：请在 X-CSRFToken 请求头中带上 CSRF 令牌")
        return user


AUTH = [BearerToken(), SessionWithCsrf()]
