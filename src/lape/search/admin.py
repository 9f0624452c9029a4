"""The search vocabulary in the back office: concepts with their labels, for looking up and correcting."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Concept, Label


class LabelInline(admin.TabularInline):
    model = Label
    extra = 0
    fields = ("lang", "kind", "text")


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ("__str__", "source", "code", "uri")
    list_filter = ("source",)
    search_fields = ("uri", "code", "labels__text")
    raw_id_fields = ("broader",)  # thousands of concepts: a picker, not a list
    inlines = (LabelInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Concept]:
        """Labels in one query, as `__str__` reads the Finnish label."""
        return super().get_queryset(request).prefetch_related("labels")


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("text", "lang", "kind", "concept__source", "concept__uri")
    list_filter = ("lang", "kind", "concept__source")
    search_fields = ("text", "normalised")
    raw_id_fields = ("concept",)
    readonly_fields = ("normalised",)
    list_select_related = ("concept",)
