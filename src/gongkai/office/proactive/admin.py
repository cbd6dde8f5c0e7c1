from django.contrib import admin

from .models import Article20Figures, DocumentFigures


@admin.register(DocumentFigures)
class DocumentFiguresAdmin(admin.ModelAdmin):
    list_display = (
        "agency",
        "year",
        "kind",
        "made",
        "repealed",
        "in_force",
    )
    list_filter = (
        "year",
        "kind",
    )


@admin.register(Article20Figures)
class Article20FiguresAdmin(admin.ModelAdmin):
    list_display = (
        "agency",
        "year",
        "licensing",
        "penalty",
        "coercion",
        "fees_wan",
    )
    list_filter = ("year",)
