from django.urls import path

from hearth.equipment import views

urlpatterns = [
    path("equipment/", views.inventory, name="equipment_inventory"),
    path("equipment/add/", views.add_item, name="equipment_add_item"),
    path("equipment/items/<uuid:item_id>/", views.item_page, name="equipment_item"),
    path(
        "equipment/items/<uuid:item_id>/maintenance/",
        views.maintenance,
        name="equipment_maintenance",
    ),
    path("equipment/items/<uuid:item_id>/status/", views.item_status, name="equipment_item_status"),
    path(
        "patients/<uuid:patient_id>/equipment/",
        views.patient_equipment,
        name="equipment_patient",
    ),
    path("patients/<uuid:patient_id>/equipment/lend/", views.lend, name="equipment_lend"),
    path("equipment/loans/<uuid:loan_id>/check/", views.safety_check, name="equipment_check"),
    path(
        "equipment/loans/<uuid:loan_id>/fault/", views.report_fault, name="equipment_report_fault"
    ),
    path("equipment/loans/<uuid:loan_id>/return/", views.return_loan, name="equipment_return"),
    path(
        "equipment/faults/<uuid:fault_id>/resolve/",
        views.resolve_fault,
        name="equipment_resolve_fault",
    ),
    path("portal/equipment/", views.portal_equipment, name="equipment_portal"),
    path(
        "portal/equipment/<uuid:loan_id>/fault/",
        views.portal_report_fault,
        name="equipment_portal_fault",
    ),
]
