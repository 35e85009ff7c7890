from django.urls import path

from hearth.allergies import views

urlpatterns = [
    path("patients/<uuid:patient_id>/allergies/", views.allergies, name="allergies"),
    path(
        "patients/<uuid:patient_id>/allergies/record/",
        views.record_allergy,
        name="record_allergy",
    ),
    path(
        "patients/<uuid:patient_id>/allergies/no-known-drug-allergies/",
        views.record_nkda,
        name="record_nkda",
    ),
    path("allergies/<uuid:allergy_id>/history/", views.allergy_history, name="allergy_history"),
    path("allergies/<uuid:allergy_id>/change/", views.change_allergy, name="change_allergy"),
    path("allergies/<uuid:allergy_id>/refute/", views.refute_allergy, name="refute_allergy"),
    path(
        "allergies/<uuid:allergy_id>/entered-in-error/",
        views.entered_in_error,
        name="allergy_entered_in_error",
    ),
    path("allergies/<uuid:allergy_id>/accept/", views.accept_proposal, name="accept_allergy"),
    path("allergies/<uuid:allergy_id>/decline/", views.decline_proposal, name="decline_allergy"),
    path("portal/allergies/", views.portal_allergies, name="portal_allergies"),
    path("portal/allergies/propose/", views.portal_propose, name="portal_propose_allergy"),
]
