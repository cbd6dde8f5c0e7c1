"""The office head's page of the office's users: add, deactivate or reactivate, reset a password,
set a role (``agencies.people``). A user outside the head's agencies is a 404; a non-head, 403."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.office.agencies import access, people
from gongkai.office.agencies.models import Agency, Membership, Role

from ..decorators import agency_required
from ..forms import AgencyChoiceField
from .common import form_errors, service_errors

ROLE_CHOICES = [(r.value, r.label) for r in people.HEAD_GRANTS]


class UserForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=150, required=False)
    email = forms.EmailField(label="电子邮箱（接收期限提醒）", required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, strip=False)
    agency = AgencyChoiceField(label="机关", queryset=None, empty_label=None)
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class RoleForm(forms.Form):
    agency = AgencyChoiceField(label="机关", queryset=None, empty_label=None)
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


def _headed(request):
    ids = access.headed_agency_ids(request.user)
    if not ids:
        raise PermissionDenied("只有办公室负责人可以管理用户")
    return Agency.objects.filter(id__in=ids)


def _managed(request, pk: int):
    user = people.managed_users(request.user).filter(pk=pk).first()
    if user is None:
        raise Http404("没有找到该用户")
    return user


@agency_required()
def user_list(request):
    agencies = _headed(request)
    form = UserForm(request.POST or None, agencies=agencies)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            with service_errors(request):
                user = people.add_user(request.user, people.UserInput(**d))
                messages.success(request, f"已添加用户“{user.username}”")
                return redirect("web:users")
        else:
            form_errors(request, form)
    users = list(people.managed_users(request.user))
    held = {}
    for m in Membership.objects.filter(user__in=users).select_related("agency"):
        held.setdefault(m.user_id, []).append(f"{m.agency.name} · {m.get_role_display()}")
    rows = [{"user": u, "roles": held.get(u.pk, [])} for u in users]
    context = {"form": form, "rows": rows, "role_form": RoleForm(agencies=agencies)}
    return render(request, "web/users.html", context)


@require_POST
@agency_required()
def user_active(request, pk: int, active: bool):
    _headed(request)
    user = _managed(request, pk)
    with service_errors(request):
        people.set_active(request.user, user, active)
        messages.success(request, f"已{'启用' if active else '停用'}用户“{user.username}”")
    return redirect("web:users")


@require_POST
@agency_required()
def user_reset_password(request, pk: int):
    _headed(request)
    user = _managed(request, pk)
    with service_errors(request):
        password = people.reset_password(request.user, user)
        messages.warning(
            request, f"已重置用户“{user.username}”的密码，新密码只显示这一次：{password}（请告知本人登录后立即修改）"
        )
    return redirect("web:users")


@require_POST
@agency_required()
def user_role(request, pk: int):
    agencies = _headed(request)
    user = _managed(request, pk)
    form = RoleForm(request.POST, agencies=agencies)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("web:users")
    with service_errors(request):
        people.set_role(request.user, user, form.cleaned_data["agency"], Role(form.cleaned_data["role"]))
        messages.success(request, f"已设置用户“{user.username}”的角色")
    return redirect("web:users")
