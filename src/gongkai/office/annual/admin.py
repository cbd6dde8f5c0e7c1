from django.contrib import admin

from .models import AnnualReport, ReportStatus


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = (
        "agency",
        "year",
        "format",
        "status",
        "submitted_by",
        "submitted_at",
        "updated_at",
    )
    list_filter = (
        "year",
        "status",
        "format",
    )
    readonly_fields = (
        "submitted_by",
        "submitted_at",
        "created_at",
        "updated_at",
    )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == ReportStatus.LOCKED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == ReportStatus.LOCKED:
            return False
        return super().has_delete_permission(request, obj)
