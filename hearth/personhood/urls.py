from django.urls import path

from hearth.personhood import views

urlpatterns = [
    path("patients/<uuid:patient_id>/profile/", views.profile, name="profile"),
    path("patients/<uuid:patient_id>/profile/windows/add/", views.add_window, name="add_window"),
    path(
        "patients/<uuid:patient_id>/profile/legacy/add/",
        views.add_legacy_item,
        name="add_legacy_item",
    ),
    path(
        "patients/<uuid:patient_id>/profile/<slug:section>/",
        views.edit_section,
        name="edit_profile_section",
    ),
    path(
        "patients/<uuid:patient_id>/profile/<slug:section>/history/",
        views.section_history,
        name="profile_section_history",
    ),
    path(
        "patients/<uuid:patient_id>/about-me.pdf",
        views.about_me_document,
        name="about_me_pdf",
    ),
    path("weekly-windows/<uuid:window_id>/remove/", views.remove_window, name="remove_window"),
    path("legacy-items/<uuid:item_id>/edit/", views.edit_legacy_item, name="edit_legacy_item"),
    path(
        "profile-proposals/<uuid:proposal_id>/accept/",
        views.accept_proposal,
        name="accept_proposal",
    ),
    path(
        "profile-proposals/<uuid:proposal_id>/decline/",
        views.decline_proposal,
        name="decline_proposal",
    ),
    path("portal/profile/", views.portal_profile, name="portal_profile"),
    path("portal/profile/propose/", views.portal_propose, name="portal_propose"),
]
