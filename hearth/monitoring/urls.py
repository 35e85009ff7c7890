from django.urls import path

from hearth.monitoring import views

urlpatterns = [
    path("patients/<uuid:patient_id>/symptoms/", views.symptoms, name="symptoms"),
    path(
        "patients/<uuid:patient_id>/assessments/<slug:instrument>/add/",
        views.add_assessment,
        name="add_assessment",
    ),
    path("patients/<uuid:patient_id>/phase/", views.start_phase, name="start_phase"),
    path("patients/<uuid:patient_id>/thresholds/", views.thresholds, name="thresholds"),
    path("patients/<uuid:patient_id>/devices/", views.devices, name="devices"),
    path("devices/<uuid:device_id>/revoke/", views.revoke_device, name="revoke_device"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/count/", views.alert_count, name="alert_count"),
    path("alerts/<uuid:alert_id>/", views.alert_detail, name="alert"),
    path("alerts/<uuid:alert_id>/acknowledge/", views.acknowledge_alert, name="acknowledge_alert"),
    path("alerts/<uuid:alert_id>/triage/", views.triage_alert, name="triage_alert"),
    path("alerts/<uuid:alert_id>/resolve/", views.resolve_alert, name="resolve_alert"),
    path("on-call/", views.on_call, name="on_call"),
    path("on-call/add/", views.add_on_call_shift, name="add_on_call_shift"),
    path(
        "on-call/<uuid:shift_id>/cancel/", views.cancel_on_call_shift, name="cancel_on_call_shift"
    ),
    path("portal/check-in/", views.portal_check_in, name="portal_check_in"),
    path("portal/check-ins/", views.portal_check_ins, name="portal_check_ins"),
    path("portal/help/", views.portal_help, name="portal_help"),
]
