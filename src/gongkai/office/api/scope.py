"""Loading objects for a request through ``agencies.access``: what the user cannot see is 404.

An agency, application or report of an agency outside the user's reach answers exactly as
one that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from ninja.errors import HttpError

from gongkai.office.agencies import access
from gongkai.office.agencies.models import Agency
from gongkai.office.errors import NotAllowed


def visible(queryset: QuerySet, user, pk: int, what: str, field: str = "agency") -> Model:
    obj = access.scoped(queryset, user, field).filter(pk=pk).first()
    if obj is None:
        raise HttpError(404, f"没有编号为 {pk} 的{what}")
    return obj


def visible_agency(user, pk: int) -> Agency:
    return visible(Agency.objects.all(), user, pk, "机关", field="id")


def require_write(user, agency: Agency) -> None:
    """Writes need a writer role on the agency; the service then checks what its use case needs."""
    if not access.can_write(user, agency):
        raise NotAllowed(f"用户 {user.username} 对“{agency}”只有查看权限，不能修改")
