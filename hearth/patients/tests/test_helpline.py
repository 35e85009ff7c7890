"""The family support line is on every portal page and on no staff page."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PORTAL_PAGES = ["portal", "portal_check_in", "portal_visits"]


@pytest.mark.parametrize("page", PORTAL_PAGES)
def test_it_shows_the_helpline_on_portal_pages(world, client_for, settings, page):
    settings.HEARTH_FAMILY_HELPLINE_PHONE = "+44 20 5555 0199"
    settings.HEARTH_FAMILY_HELPLINE_HOURS = "8:00–20:00"
    world.bring_to("active")
    response = client_for(world.family).get(reverse(page))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="tel:+44 20 5555 0199"' in body
    assert "8:00–20:00" in body


def test_it_shows_it_to_the_patient_too(world, client_for, settings):
    settings.HEARTH_FAMILY_HELPLINE_PHONE = "+44 20 5555 0199"
    world.bring_to("active")
    response = client_for(world.patient_user).get(reverse("portal"))
    assert "+44 20 5555 0199" in response.content.decode()


def test_it_keeps_it_off_staff_pages(world, client_for, settings):
    settings.HEARTH_FAMILY_HELPLINE_PHONE = "+44 20 5555 0199"
    response = client_for(world.nurse).get(reverse("worklist"))
    assert response.status_code == 200
    assert "+44 20 5555 0199" not in response.content.decode()


def test_it_hides_the_line_when_the_service_has_none(world, client_for, settings):
    settings.HEARTH_FAMILY_HELPLINE_PHONE = ""
    world.bring_to("active")
    body = client_for(world.family).get(reverse("portal")).content.decode()
    assert "Family support line" not in body


def test_the_portal_home_leads_to_every_kind_of_help(world, client_for):
    world.bring_to("active")
    body = client_for(world.family).get(reverse("portal")).content.decode()
    for page in (
        "caregiving_portal_training",
        "caregiving_portal_support",
        "directory_portal_next_steps",
        "directory_search",
        "equipment_portal",
        "volunteers_portal",
    ):
        assert f'href="{reverse(page)}"' in body, page
    # Training is for family carers; the patient's own sign-in is not offered it.
    own = client_for(world.patient_user).get(reverse("portal")).content.decode()
    assert reverse("caregiving_portal_training") not in own
