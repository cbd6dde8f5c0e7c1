"""Agencies and people: creating agencies, granting roles, checking them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from gongkai.office.errors import NotAllowed, OfficeError

from .models import WRITERS, Agency, ChangeKind, ChangeRecord, Membership, Role


def roles_of(user, agency: Agency) -> set[str]:
    """The roles ``user`` holds for ``agency`` (directly or through an ancestor agency)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.for_agency(agency).filter(user=user).values_list("role", flat=True))


def require_role(user, agency: Agency, roles=WRITERS, *, what: str) -> None:
    """Raise ``NotAllowed`` unless ``user`` holds one of ``roles`` for ``agency``.

    A superuser may do anything except what the law reserves to a role (``roles`` of one).
    """
    roles = tuple(roles)
    if len(roles) > 1 and getattr(user, "is_superuser", False):
        return
    if roles_of(user, agency) & {str(r) for r in roles}:
        return
    names = "或".join(Role(r).label for r in roles)
    who = getattr(user, "username", None) or "匿名用户"
    raise NotAllowed(f"用户 {who} 不能{what}：需要“{agency}”的{names}角色")


def agency_by_name(name: str) -> Agency:
    try:
        return Agency.objects.get(name=name.strip())
    except Agency.DoesNotExist:
        raise OfficeError(f"没有名为“{name}”的机关，请先用 gongkai agency add 添加") from None


@dataclass(frozen=True)
class AgencyInput:
    name: str
    parent: str | None = None


@transaction.atomic
def create_agency(actor, data: AgencyInput) -> Agency:
    name = data.name.strip()
    if not name:
        raise OfficeError("机关名称不能为空")
    if Agency.objects.filter(name=name).exists():
        raise OfficeError(f"机关“{name}”已存在")
    parent = agency_by_name(data.parent) if data.parent else None
    if parent is not None:
        require_role(actor, parent, (Role.ADMIN, Role.HEAD), what=f"在“{parent}”下添加机关")
    elif not getattr(actor, "is_superuser", False):
        raise NotAllowed("只有系统管理员可以添加最上级机关")
    return Agency.objects.create(name=name, parent=parent)


@dataclass(frozen=True)
class MembershipInput:
    username: str
    agency: str
    role: Role


@transaction.atomic
def grant_role(actor, data: MembershipInput) -> Membership:
    from django.contrib.auth import get_user_model

    agency = agency_by_name(data.agency)
    if not getattr(actor, "is_superuser", False):
        require_role(actor, agency, (Role.ADMIN,), what="分配角色")
    try:
        user = get_user_model().objects.get(username=data.username)
    except get_user_model().DoesNotExist:
        raise OfficeError(f"没有用户“{data.username}”") from None
    membership, _ = Membership.objects.get_or_create(user=user, agency=agency, role=data.role)
    return membership


def record_change(actor, agency: Agency, kind: ChangeKind, subject: str, data: dict | None = None) -> ChangeRecord:
    """The one place a change to a non-application record is written down (who, when, what)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return ChangeRecord.objects.create(agency=agency, actor=user, kind=kind, subject=subject, data=data or {})
