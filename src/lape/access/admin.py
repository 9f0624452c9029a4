"""The access log in the back office: read only. No add, change or delete, for anyone.

Reading it needs the second factor in this session: the log names who handled which person's data,
and the back office's own login asks only the password. The index says how to give the code.

Consents and disclosure bans are client data and have no admin: lape.access.consent_actions and
ban_actions write them and the pages (views_consent, views_ban) show them, each through access's
decision and log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lape.accounts.acting import is_verified

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

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_verified(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_verified(request) and super().has_view_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AccessLogEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
