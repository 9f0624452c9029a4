"""The access log in the back office: read only. No add, change or delete, for anyone.

Consents and disclosure bans are client data and have no admin: lape.access.consent_actions and
ban_actions write them and the pages (views_consent, views_ban) show them, each through access's
decision and log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "role", "action", "record_type", "category", "outcome", "basis", "law")
    list_filter = ("outcome", "action", "basis", "category")
    search_fields = ("username", "record_id")
    date_hierarchy = "at"
    ordering = ("-id",)
    actions = None
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AccessLogEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
