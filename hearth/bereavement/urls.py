"""Bereavement pages. URL names start with ``bereavement_`` (or end with it)."""

from __future__ import annotations

from django.urls import URLPattern, path

from hearth.bereavement import views

urlpatterns: list[URLPattern] = [
    path("bereavement/", views.worklist, name="bereavement_worklist"),
    path(
        "patients/<uuid:patient_id>/bereavement/",
        views.patient_bereavement,
        name="patient_bereavement",
    ),
    path(
        "patients/<uuid:patient_id>/bereavement/start/",
        views.start_plan,
        name="bereavement_start_plan",
    ),
    path(
        "patients/<uuid:patient_id>/bereavement/contacts/add/",
        views.add_contact,
        name="bereavement_add_contact",
    ),
    path(
        "bereavement/contacts/<uuid:contact_id>/change/",
        views.change_contact,
        name="bereavement_change_contact",
    ),
    path(
        "bereavement/contacts/<uuid:contact_id>/record/",
        views.record_contact,
        name="bereavement_record_contact",
    ),
    path(
        "bereavement/contacts/<uuid:contact_id>/not-needed/",
        views.contact_not_needed,
        name="bereavement_contact_not_needed",
    ),
    path(
        "patients/<uuid:patient_id>/bereavement/risk-screen/",
        views.risk_screen,
        name="bereavement_risk_screen",
    ),
    path(
        "bereavement/risk-screens/<uuid:screen_id>/entered-in-error/",
        views.screen_entered_in_error,
        name="bereavement_screen_entered_in_error",
    ),
    path(
        "patients/<uuid:patient_id>/bereavement/returns/equipment/",
        views.confirm_equipment,
        name="bereavement_confirm_equipment",
    ),
    path(
        "patients/<uuid:patient_id>/bereavement/returns/controlled-drugs/",
        views.confirm_drugs,
        name="bereavement_confirm_drugs",
    ),
    path(
        "patients/<uuid:patient_id>/bereavement/close/",
        views.close_plan,
        name="bereavement_close",
    ),
    path("portal/bereavement/", views.portal_bereavement, name="portal_bereavement"),
]
