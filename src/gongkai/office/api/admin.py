"""API tokens in the admin (superusers only): issue one (its key is shown once), revoke, list."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from .models import ApiToken
from .tokens import create_token, revoke_token


class IssueForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("user", "name")

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not user.is_active:
            raise forms.ValidationError("该用户已停用，不能签发令牌")
        return user


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created", "expires", "last_used", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "user__username")
    actions = ("revoke",)
    add_form = IssueForm

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ("user", "name") if obj is None else ("user", "name", "created", "expires", "last_used", "revoked")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("user", "name", "created", "expires", "last_used", "revoked")

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = create_token(obj.user, obj.name)
        obj.pk, obj.key_hash, obj.created, obj.expires = token.pk, token.key_hash, token.created, token.expires
        obj._state.adding = False
        messages.warning(request, f"令牌“{token.name}”已签发，密钥只显示这一次，请立即复制保存：{key}")

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_token(token)
        messages.success(request, f"已吊销 {queryset.count()} 个令牌")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
