"""Who may see and change which agency's records: the one place every view, API endpoint
and service asks.

A membership on an agency covers that agency and every agency below it (a county
government's supervisor sees its departments).  Reading needs any role; writing needs a
writer role (staff, head, admin); supervisors only read.  Superusers see everything.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import WRITERS, Agency, Membership, Role


def _with_descendants(roots: set[int]) -> set[int]:
    ids = set(roots)
    frontier = set(roots)
    while frontier:
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= frontier
    return ids


def _memo(user, key: str, compute):
    """``compute()`` once per user object — that is, once per request, like Django's own
    permission cache (``_perm_cache``): a page asks several times who may see what."""
    memo = user.__dict__.setdefault("_gongkai_access", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def roles(user) -> set[str]:
    """The roles the user holds on any agency."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {role for held in _memberships(user).values() for role in held}


def _memberships(user) -> dict[int, set[str]]:
    def read() -> dict[int, set[str]]:
        held: dict[int, set[str]] = {}
        for agency_id, role in Membership.objects.filter(user=user).values_list("agency_id", "role"):
            held.setdefault(agency_id, set()).add(role)
        return held

    return _memo(user, "memberships", read)


def visible_agency_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return _memo(user, "all", lambda: set(Agency.objects.values_list("id", flat=True)))
    return _memo(user, "visible", lambda: _with_descendants(set(_memberships(user))))


def writable_agency_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return _memo(user, "all", lambda: set(Agency.objects.values_list("id", flat=True)))
    writers = {r.value for r in WRITERS}
    roots = {agency for agency, held in _memberships(user).items() if held & writers}
    return _memo(user, "writable", lambda: _with_descendants(roots))


def headed_agency_ids(user) -> set[int]:
    """Agencies whose disclosure office the user heads (the head role on it or an ancestor)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roots = {agency for agency, held in _memberships(user).items() if Role.HEAD.value in held}
    return _memo(user, "headed", lambda: _with_descendants(roots))


def visible_agencies(user) -> QuerySet[Agency]:
    return Agency.objects.filter(id__in=visible_agency_ids(user))


def scoped(queryset: QuerySet, user, field: str = "agency") -> QuerySet:
    """``queryset`` limited to rows whose ``field`` is an agency the user may see."""
    return queryset.filter(**{f"{field}__in": visible_agency_ids(user)})


def can_read(user, agency: Agency | int) -> bool:
    return _id(agency) in visible_agency_ids(user)


def can_write(user, agency: Agency | int) -> bool:
    return _id(agency) in writable_agency_ids(user)


def has_role(user, agency: Agency, role: Role) -> bool:
    """The user holds ``role`` on the agency or on one of its ancestors."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.for_agency(agency).filter(user=user, role=role).exists()


def _id(agency: Agency | int) -> int:
    return agency if isinstance(agency, int) else agency.pk
