from django.contrib import admin

from .models import Appeal


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = (
        "agency",
        "kind",
        "case_number",
        "filed_on",
        "result",
        "decided_on",
        "application",
    )
    list_filter = (
        "kind",
        "result",
    )
    search_fields = (
        "case_number",
        "application__number",
    )
    raw_id_fields = ("application",)
