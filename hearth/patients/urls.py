from django.urls import path

from hearth.patients import views

urlpatterns = [
    path("", views.home, name="home"),
    path("portal/", views.portal, name="portal"),
    path("patients/", views.worklist, name="worklist"),
    path("patients/refer/", views.refer_new_patient, name="refer_new_patient"),
    path("patients/<uuid:patient_id>/", views.patient_page, name="patient"),
    path("patients/<uuid:patient_id>/edit/", views.edit_patient, name="edit_patient"),
    path("patients/<uuid:patient_id>/diagnoses/add/", views.add_diagnosis, name="add_diagnosis"),
    path("patients/<uuid:patient_id>/caregivers/add/", views.add_caregiver, name="add_caregiver"),
    path("patients/<uuid:patient_id>/refer-again/", views.refer_again, name="refer_again"),
    path("patients/<uuid:patient_id>/care-team/", views.care_team, name="care_team"),
    path(
        "patients/<uuid:patient_id>/emergency-access/",
        views.emergency_access,
        name="emergency_access",
    ),
    path("patients/<uuid:patient_id>/audit/", views.audit_trail, name="audit_trail"),
    path("care-team/<uuid:assignment_id>/end/", views.end_assignment, name="end_assignment"),
    path("episodes/<uuid:episode_id>/screening/", views.screening, name="screening"),
    path("episodes/<uuid:episode_id>/decision/", views.commission_decision, name="decision"),
    path("episodes/<uuid:episode_id>/admit/", views.admit, name="admit"),
    path("episodes/<uuid:episode_id>/discharge/", views.discharge, name="discharge"),
    path("episodes/<uuid:episode_id>/death/", views.record_death, name="record_death"),
    path(
        "episodes/<uuid:episode_id>/bereavement/",
        views.start_bereavement,
        name="start_bereavement",
    ),
    path("episodes/<uuid:episode_id>/close/", views.close_episode, name="close_episode"),
    path("commission/", views.commission_queue, name="commission_queue"),
    path(
        "emergency-access/review/",
        views.emergency_access_review,
        name="emergency_access_review",
    ),
    path(
        "emergency-access/<uuid:grant_id>/review/",
        views.review_emergency_access,
        name="review_emergency_access",
    ),
]
