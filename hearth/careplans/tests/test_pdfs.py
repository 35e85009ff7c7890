"""Printed documents render and carry what the reader needs (text read back
out of the PDF)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from hearth.conftest import World
from hearth.patients.choices import EpisodeState
from hearth.personhood import services as profile


def _text(response: Any) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def care(world: World) -> Any:
    world.bring_to(EpisodeState.ACTIVE)
    return world.personal_care()


def test_the_about_me_page_prints_on_one_page(world: World, care: Any, client_for: Any) -> None:
    profile.update_section(
        actor=world.nurse,
        patient=world.patient,
        section="values",
        changes={"what_matters_most": "Being at home with my grandchildren"},
    )
    response = client_for(world.nurse).get(f"/patients/{world.patient.external_id}/about-me.pdf")
    text = _text(response)
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
    assert world.patient.full_name in text
    assert "Being at home with my grandchildren" in text
    assert "Dhuhr" in text  # the prayer time to avoid
    assert "Halal" in text
    assert "Video diary for Sam" in text


def test_the_family_can_print_about_me_in_russian(world: World, care: Any, client_for: Any) -> None:
    client = client_for(world.family)
    client.cookies["django_language"] = "ru"
    text = _text(client.get(f"/api/v1/patients/{world.patient.external_id}/about-me.pdf"))
    assert "Обо мне" in text
    assert "Халяль" in text


def test_the_advance_care_plan_prints_the_decisions(
    world: World, care: Any, client_for: Any
) -> None:
    text = _text(client_for(world.family).get(f"/advance-care-plans/{care.acp.external_id}/pdf/"))
    assert "Do not attempt CPR" in text
    assert "Symptom control and comfort only" in text
    assert "Sam Family" in text
    assert world.physician.display_name in text
    assert "DRAFT" not in text


def test_a_draft_prints_with_a_warning(world: World, care: Any, client_for: Any) -> None:
    text = _text(
        client_for(world.nurse).get(f"/advance-care-plans/{care.acp_draft.external_id}/pdf/")
    )
    assert "DRAFT" in text
    assert "NOT VALID" in text


def test_the_care_plan_prints_goals_interventions_and_conflicts(
    world: World, care: Any, client_for: Any
) -> None:
    world.nurse.spoken_languages = ["en"]
    world.nurse.save()
    profile.update_section(
        actor=world.nurse,
        patient=world.patient,
        section="communication",
        changes={"preferred_language": "ar"},
    )
    active = _text(client_for(world.nurse).get(f"/care-plans/{care.active_plan.external_id}/pdf/"))
    assert "To sleep through the night" in active
    assert "Nurse home visit" in active
    assert "3× a week, 45 min" in active
    assert "does not speak Arabic" in active
    assert "NOT THE ACTIVE PLAN" not in active
    draft = _text(
        client_for(world.nurse).get(f"/api/v1/care-plans/{care.draft_plan.external_id}/pdf")
    )
    assert "NOT THE ACTIVE PLAN" in draft
