from django.urls import path

from hearth.careplans import views

urlpatterns = [
    path("patients/<uuid:patient_id>/care-plan/", views.care_plan_home, name="care_plan_home"),
    path(
        "patients/<uuid:patient_id>/care-plan/assessments/add/",
        views.add_assessment,
        name="add_assessment",
    ),
    path("patients/<uuid:patient_id>/care-plan/start/", views.start_draft, name="start_draft"),
    path("patients/<uuid:patient_id>/team-meetings/add/", views.add_meeting, name="add_meeting"),
    path("care-plans/<uuid:plan_id>/", views.plan_version, name="care_plan_version"),
    path("care-plans/<uuid:plan_id>/edit/", views.edit_plan, name="edit_care_plan"),
    path("care-plans/<uuid:plan_id>/needs/add/", views.add_need, name="add_need"),
    path("care-plans/<uuid:plan_id>/activate/", views.activate, name="activate_care_plan"),
    path("care-plans/<uuid:plan_id>/discard/", views.discard, name="discard_care_plan"),
    path("care-plans/<uuid:plan_id>/diff/", views.plan_diff, name="care_plan_diff"),
    path("care-plans/<uuid:plan_id>/pdf/", views.plan_document, name="care_plan_pdf"),
    path("plan-needs/<uuid:need_id>/goals/add/", views.add_goal, name="add_goal"),
    path(
        "plan-goals/<uuid:goal_id>/interventions/add/",
        views.add_intervention,
        name="add_intervention",
    ),
    path("plan-items/<slug:kind>/<uuid:item_id>/remove/", views.remove_item, name="remove_item"),
    path("patients/<uuid:patient_id>/advance-care-plan/", views.acp_home, name="acp_home"),
    path("patients/<uuid:patient_id>/advance-care-plan/start/", views.acp_start, name="acp_start"),
    path("advance-care-plans/<uuid:acp_id>/", views.acp_detail, name="acp_detail"),
    path("advance-care-plans/<uuid:acp_id>/edit/", views.acp_edit, name="acp_edit"),
    path("advance-care-plans/<uuid:acp_id>/sign/", views.acp_sign, name="acp_sign"),
    path("advance-care-plans/<uuid:acp_id>/pdf/", views.acp_document, name="acp_pdf"),
    path(
        "patients/<uuid:patient_id>/emergency/",
        views.emergency_summary,
        name="emergency_summary",
    ),
    path("portal/care-plan/", views.portal_care_plan, name="portal_care_plan"),
    path(
        "care-plan-reviews/<uuid:task_id>/complete/",
        views.complete_review,
        name="complete_care_plan_review",
    ),
    path(
        "care-plan-reviews/<uuid:task_id>/dismiss/",
        views.dismiss_review,
        name="dismiss_care_plan_review",
    ),
]
