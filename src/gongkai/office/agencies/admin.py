from django.contrib import admin

from .models import Agency, ChangeRecord, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "parent",
        "review_body",
        "court",
    )
    search_fields = ("name",)
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "agency",
        "role",
    )
    list_filter = ("role",)
    search_fields = (
        "user__username",
        "agency__name",
    )


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """Read-only: the change log is appended to by the services alone."""

    list_display = ("at", "agency", "actor", "kind", "subject")
    list_filter = ("kind", "agency")
    search_fields = ("subject", "actor__username", "agency__name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
