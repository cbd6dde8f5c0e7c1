"""Login and logout (Django auth) with the throttled Chinese login form."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from ..forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule): a link cannot log anyone out."""
