"""Template context for every page: which parts of the navigation the user may open."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from gongkai.office.agencies.models import Membership, Role


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def roles() -> set[str]:
        return set(Membership.objects.filter(user=user).values_list("role", flat=True))

    lazy = SimpleLazyObject(roles)
    return {
        "nav_roles": lazy,
        "nav_supervisor": SimpleLazyObject(lambda: Role.SUPERVISOR.value in lazy),
        "nav_head": SimpleLazyObject(lambda: user.is_superuser or Role.HEAD.value in lazy),
    }
