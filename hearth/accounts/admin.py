from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from hearth.accounts.models import User


@admin.register(User)
class HearthUserAdmin(UserAdmin):
    """Account administration for IT: who signs in and in which role."""

    list_display = ("username", "first_name", "last_name", "kind", "discipline", "is_active")
    list_filter = ("kind", "discipline", "is_active", "sits_on_medical_commission")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "Hearth",
            {
                "fields": (
                    "kind",
                    "discipline",
                    "sits_on_medical_commission",
                    "is_clinical_lead",
                    "phone",
                    "preferred_language",
                )
            },
        ),
    )
