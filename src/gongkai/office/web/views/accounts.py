"""Login and logout (Django auth) with the Chinese login form; failures are locked out by axes
(``lockout.py``). Changing one's own password; one's API tokens (issue, list, revoke; a head also
sees and revokes the tokens of the office's users, ``agencies.people``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from gongkai.office.agencies import people
from gongkai.office.api.models import ApiToken
from gongkai.office.api.tokens import DEFAULT_DAYS, MAX_DAYS, create_token, revoke_token

from ..decorators import agency_required
from ..forms import LoginForm
from .common import form_errors, service_errors


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule): a link cannot log anyone out."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view (old password, the validators, the session kept); Chinese page and message."""

    template_name = "web/password_change.html"
    success_url = reverse_lazy("web:dashboard")

    def form_valid(self, form):
        messages.success(self.request, "密码已修改")
        return super().form_valid(form)


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌名称（用途说明）", max_length=100)
    days = forms.IntegerField(label="有效天数", min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS)


def _visible_tokens(user):
    """The user's own tokens and, for a head, those of the office's users."""
    owners = people.managed_users(user).values("pk")
    return ApiToken.objects.filter(user__in=owners) | ApiToken.objects.filter(user=user)


@agency_required()
def tokens(request):
    form = TokenForm(request.POST or None)
    key = None
    if request.method == "POST":
        if form.is_valid():
            with service_errors(request):
                token, key = create_token(request.user, form.cleaned_data["name"], form.cleaned_data["days"])
                messages.warning(request, f"令牌“{token.name}”已签发，密钥只显示这一次，请立即复制保存")
                form = TokenForm()
        else:
            form_errors(request, form)
    rows = _visible_tokens(request.user).select_related("user").order_by("-created")
    return render(request, "web/tokens.html", {"form": form, "key": key, "tokens": rows})


@require_POST
@agency_required()
def token_revoke(request, pk: int):
    token = _visible_tokens(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404("没有找到该令牌")
    revoke_token(token)
    messages.success(request, f"已吊销令牌“{token.name}”")
    return redirect("web:tokens")
