"""Admin: changes go through the services, so the admin writes events like every other way in."""

from django.contrib import admin, messages

from gongkai.errors import GongkaiError

from . import services
from .models import Application, ApplicationEvent, Fee


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = (
        "day",
        "kind",
        "actor",
        "at",
        "data",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "agency",
        "applicant_name",
        "applicant_type",
        "received_on",
        "state",
        "due_on",
        "outcome",
    )
    list_filter = (
        "agency",
        "state",
        "applicant_type",
        "channel",
    )
    search_fields = (
        "number",
        "applicant_name",
        "content",
    )
    date_hierarchy = "received_on"
    readonly_fields = (
        "outcome",
        "replied_on",
        "state",
        "due_on",
        "provisional",
        "correction_due_on",
        "consultation_due_on",
        "created_at",
    )
    inlines = (EventInline,)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "agency", "number", "received_on"]

    def save_model(self, request, obj, form, change):
        try:
            if change:
                services.edit_application(
                    request.user,
                    services.EditInput(
                        application=obj,
                        reason="在管理后台修改",
                        applicant_name=obj.applicant_name,
                        applicant_type=obj.applicant_type,
                        content=obj.content,
                        channel=obj.channel,
                    ),
                )
            else:
                created = services.register_application(
                    request.user,
                    services.RegisterInput(
                        agency=obj.agency,
                        number=obj.number,
                        applicant_type=obj.applicant_type,
                        received_on=obj.received_on,
                        channel=obj.channel,
                        applicant_name=obj.applicant_name,
                        content=obj.content,
                    ),
                )
                obj.pk = created.pk
        except GongkaiError as e:
            messages.error(request, str(e))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = (
        "application",
        "day",
        "kind",
        "actor",
        "at",
    )
    list_filter = ("kind",)
    search_fields = ("application__number",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Fee)
class FeeAdmin(admin.ModelAdmin):
    list_display = (
        "application",
        "basis",
        "amount",
        "notified_on",
        "paid_on",
    )
    list_filter = ("basis",)
    readonly_fields = (
        "application",
        "notified_on",
        "notice_received_on",
        "paid_on",
    )
