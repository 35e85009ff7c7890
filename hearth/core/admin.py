from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hearth.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail can be searched, never edited or deleted."""

    list_display = (
        "occurred_at",
        "actor_label",
        "action",
        "event_type",
        "event_label",
        "patient_id",
        "emergency",
    )
    list_filter = ("action", "emergency", "channel")
    search_fields = ("actor_label", "event_type", "summary", "object_id")
    date_hierarchy = "occurred_at"

    @admin.display(description=_("what happened"))
    def event_label(self, event: AuditEvent) -> str:
        """The catalogue's label beside the stored type, so an auditor can read the
        trail without knowing the codes."""
        return event.event_label

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
