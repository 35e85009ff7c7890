"""Removing someone from a care team is asked first (issue 20)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hearth.conftest import World
from hearth.patients.models import CareTeamAssignment


def test_removing_a_team_member_asks_first_then_removes(active: World, client_for: Any) -> None:
    assignment = CareTeamAssignment.objects.current().filter(patient=active.patient).first()
    assert assignment is not None
    coordinator = client_for(active.coordinator)
    url = reverse("end_assignment", args=[assignment.external_id])
    asked = coordinator.post(url)
    assert asked.status_code == 200
    question = asked.content.decode()
    assert f"Remove {assignment.staff.display_name}" in question
    assert f"from the care team of {active.patient.full_name}?" in question
    assignment.refresh_from_db()
    assert assignment.ended_at is None
    assert coordinator.post(url, {"confirmed": "yes"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_at is not None


def test_the_team_page_marks_the_remove_button_for_the_dialog(
    active: World, client_for: Any
) -> None:
    page = client_for(active.coordinator).get(
        reverse("care_team", args=[active.patient.external_id])
    )
    assert 'data-confirm="Remove ' in page.content.decode()
