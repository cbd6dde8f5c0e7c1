"""The office head manages the office's people: add a user, deactivate or reactivate one, reset a
password, set a role — only for people whose every membership lies in agencies the head heads
(``access.headed_agency_ids``); anyone else is a 404 for the web, ``NotAllowed`` here."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from gongkai.office.errors import NotAllowed, OfficeError

from . import access
from .models import Agency, Membership, Role

# What a head may grant in the office (supervisors and admins are set by the system administrator).
HEAD_GRANTS = (Role.STAFF, Role.HEAD)


def managed_users(head) -> QuerySet:
    """Users the head may manage: members of a headed agency with no membership elsewhere."""
    headed = access.headed_agency_ids(head)
    users = get_user_model().objects
    inside = users.filter(memberships__agency_id__in=headed)
    outside = Membership.objects.exclude(agency_id__in=headed).values("user_id")
    return users.filter(pk__in=inside.values("pk")).exclude(pk__in=outside).order_by("username")


def _require_head(actor, agency: Agency) -> None:
    if agency.pk not in access.headed_agency_ids(actor):
        raise NotAllowed(f"只有“{agency}”的办公室负责人可以管理该机关的用户")


def _require_managed(actor, user) -> None:
    if not managed_users(actor).filter(pk=user.pk).exists():
        raise NotAllowed("您只能管理本机关的用户")


def _check_password(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as e:
        raise OfficeError("密码不符合要求：" + "；".join(e.messages)) from None


@dataclass(frozen=True)
class UserInput:
    username: str
    full_name: str
    email: str
    password: str
    agency: Agency
    role: Role = Role.STAFF


@transaction.atomic
def add_user(actor, data: UserInput):
    _require_head(actor, data.agency)
    if data.role not in HEAD_GRANTS:
        raise NotAllowed(f"办公室负责人不能分配“{Role(data.role).label}”角色")
    username = data.username.strip()
    users = get_user_model().objects
    if not username:
        raise OfficeError("用户名不能为空")
    if users.filter(username=username).exists():
        raise OfficeError(f"用户名“{username}”已被使用")
    user = users.model(username=username, first_name=data.full_name.strip(), email=data.email.strip())
    _check_password(data.password, user)
    user.set_password(data.password)
    user.save()
    Membership.objects.create(user=user, agency=data.agency, role=data.role)
    return user


def set_active(actor, user, active: bool) -> None:
    """Deactivate (cannot log in, tokens stop working) or reactivate a user of the office."""
    _require_managed(actor, user)
    if user.pk == actor.pk and not active:
        raise OfficeError("不能停用自己的账号")
    user.is_active = active
    user.save(update_fields=["is_active"])


def reset_password(actor, user) -> str:
    """Set a new random password, returned once to tell the user (who should change it)."""
    _require_managed(actor, user)
    if user.pk == actor.pk:
        raise OfficeError("请在“修改密码”页面修改自己的密码")
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


@transaction.atomic
def set_role(actor, user, agency: Agency, role: Role) -> None:
    """The user's one role on ``agency`` (staff or head), replacing the office roles held there."""
    _require_head(actor, agency)
    _require_managed(actor, user)
    if role not in HEAD_GRANTS:
        raise NotAllowed(f"办公室负责人不能分配“{Role(role).label}”角色")
    if user.pk == actor.pk and role != Role.HEAD:
        raise OfficeError("不能取消自己的办公室负责人角色")
    Membership.objects.filter(user=user, agency=agency, role__in=HEAD_GRANTS).exclude(role=role).delete()
    Membership.objects.get_or_create(user=user, agency=agency, role=role)
