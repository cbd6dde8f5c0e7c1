"""The JSON API (django-ninja): every endpoint authenticated, every query scoped by ``agencies.access``.

Errors are ``{"detail": "<中文>"}``: 401 not authenticated, 403 the role is missing
(``NotAllowed`` from a service), 404 not found or not visible, 422 the service refused
the input (``GongkaiError``) or the request did not parse.
"""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from gongkai.errors import GongkaiError
from gongkai.office.errors import NotAllowed

from . import (
    agencies,
    applications,
    corrections,  # noqa: F401 (registers its routes on ``applications.router``)
    reports,
)
from .auth import AUTH
from .validation import chinese_errors

api = NinjaAPI(
    title="政府信息公开工作管理接口",
    version="1",
    description=(
        "机关、依申请公开申请和年度报告的 JSON 接口。认证：请求头 `Authorization: Bearer <令牌>`"
        "（令牌用 `gongkai token issue` 或管理后台签发），或网页登录会话（修改类请求须带 CSRF 令牌）。"
        "只能看到自己所属机关及其下级机关的记录；其他机关的编号一律返回 404。"
    ),
    auth=AUTH,
    urls_namespace="api",
)
api.add_router("/agencies/", agencies.router)
api.add_router("/applications/", applications.router)
api.add_router("/reports/", reports.router)


def _detail(request, message: str, status: int):
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    message = str(exc) if str(exc) != "Unauthorized" else "未登录或未提供访问令牌"
    return _detail(request, message, 401)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _detail(request, "未找到", 404)


@api.exception_handler(NotAllowed)
def _not_allowed(request, exc):
    return _detail(request, str(exc), 403)


@api.exception_handler(GongkaiError)
def _refused(request, exc):
    return _detail(request, str(exc), 422)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return _detail(request, chinese_errors(exc.errors), 422)
