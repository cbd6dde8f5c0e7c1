"""How a request proves who it is: a bearer token, or the web UI's session (with CSRF for writes).

- ``Authorization: Bearer gk_…``: a token from ``tokens.issue_token``. A bearer header that
  does not name an active token is refused outright (401), never passed on to the session.
- The session cookie of a logged-in user: any safe method; unsafe methods must also carry
  Django's CSRF token (``X-CSRFToken`` header), as a form would.
"""

from __future__ import annotations

from django.conf import settings
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .tokens import user_for_key

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = user_for_key(token.strip())
        if user is None:
            raise AuthenticationError(message="访问令牌无效或已吊销")
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
