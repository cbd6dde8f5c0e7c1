from django.contrib import admin

from .models import PublishedReport


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    list_display = ("agency", "year", "format", "filename", "uploaded_by", "uploaded_at")
    list_filter = ("year", "format")
    readonly_fields = ("uploaded_by", "uploaded_at")
