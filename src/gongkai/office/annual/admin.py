from django.contrib import admin

from .models import AnnualReport, ReportReturn, ReportStatus, SectionVersion


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = (
        "agency",
        "year",
        "version",
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
    # the narrative changes only through the services, which keep every version (SectionVersion)
    readonly_fields = (
        "version",
        "sections",
        "generated",
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


class ReadOnlyAdmin(admin.ModelAdmin):
    """History rows: shown, never added, changed or deleted by hand (the services append them)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SectionVersion)
class SectionVersionAdmin(ReadOnlyAdmin):
    list_display = ("report", "section", "version", "source", "author", "at", "note")
    list_filter = ("section", "source")
    list_select_related = ("report__agency", "author")


@admin.register(ReportReturn)
class ReportReturnAdmin(ReadOnlyAdmin):
    list_display = ("report", "returned_by", "returned_at", "reason")
    list_select_related = ("report__agency", "returned_by")
