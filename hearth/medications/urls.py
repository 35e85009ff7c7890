from django.urls import path

from hearth.medications import views

urlpatterns = [
    path("patients/<uuid:patient_id>/medicines/", views.medicines, name="medicines"),
    path("patients/<uuid:patient_id>/medicines/prescribe/", views.prescribe, name="prescribe"),
    path("patients/<uuid:patient_id>/medicines/give/", views.give, name="give_dose"),
    path("patients/<uuid:patient_id>/medicines/sign-off/", views.sign_off, name="sign_off"),
    path("patients/<uuid:patient_id>/medicines/chart.pdf", views.chart_pdf, name="home_chart_pdf"),
    path(
        "patients/<uuid:patient_id>/medicines/controlled-drugs/",
        views.controlled_drugs,
        name="controlled_drugs",
    ),
    path(
        "patients/<uuid:patient_id>/medicines/controlled-drugs/<uuid:formulation_id>/",
        views.controlled_drug_entries,
        name="controlled_drug_entries",
    ),
    path(
        "patients/<uuid:patient_id>/medicines/controlled-drugs/<uuid:formulation_id>/close/",
        views.close_discrepancy,
        name="close_discrepancy",
    ),
    path("medicines/orders/<uuid:order_id>/", views.order_history, name="order_history"),
    path("medicines/orders/<uuid:order_id>/change/", views.change_order, name="change_order"),
    path("medicines/orders/<uuid:order_id>/stop/", views.stop_order, name="stop_order"),
    path(
        "medicines/doses/<uuid:administration_id>/entered-in-error/",
        views.entered_in_error,
        name="dose_entered_in_error",
    ),
    path("medicines/reviews/<uuid:review_id>/", views.resolve_review, name="resolve_review"),
    path(
        "medicines/sign-offs/<uuid:sign_off_id>/withdraw/",
        views.revoke_sign_off,
        name="revoke_sign_off",
    ),
    path("formulary/", views.formulary, name="formulary"),
    path("formulary/<uuid:drug_route_id>/", views.edit_drug_route, name="edit_drug_route"),
    path("portal/medicines/", views.portal_medicines, name="portal_medicines"),
    path("portal/medicines/give/", views.portal_give, name="portal_give_dose"),
    path("portal/medicines/chart.pdf", views.portal_chart_pdf, name="portal_home_chart_pdf"),
]
