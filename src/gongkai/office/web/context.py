"""Template context for every page: which parts of the navigation the user may open."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from gongkai.office.agencies import access
from gongkai.office.agencies.models import Role


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = SimpleLazyObject(lambda: access.roles(user))
    return {
        "nav_supervisor": SimpleLazyObject(lambda: Role.SUPERVISOR.value in held),
        "nav_head": SimpleLazyObject(lambda: user.is_superuser or Role.HEAD.value in held),
    }
