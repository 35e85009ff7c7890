"""Allergies on every printout (CLINICAL.md, "Allergies and intolerances"):
the home chart, the advance care plan, the care plan and "About me" each
carry the allergy table, one row per fact; the chart and the plan print it in
the family's language and the service's side by side, so an ambulance crew
reads "anaphylaxis" on a plan printed for a Russian-speaking family."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from hearth.allergies import services
from hearth.careplans import services as plans
from hearth.conftest import World, complete_advance_care_plan
from hearth.core import clock
from hearth.core.tests.pdf_layout import Document, in_languages, read, squeeze
from hearth.core.tests.test_pdf_layout import _long_care_plan


def _pdf(response: Any) -> Document:
    assert response.status_code == 200, response.content[:300]
    document = read(response.content)
    assert not document.overflow, document.overflow[:10]
    return document


def _penicillin_anaphylaxis(world: World) -> None:
    services.record_allergy(
        actor=world.nurse,
        patient=world.patient,
        substance="penicillins",
        reaction="Throat swelling, collapsed",
        severity="anaphylaxis",
        certainty="confirmed",
        reported_by="the patient's GP letter",
    )


def _signed_plan(world: World) -> Any:
    plan = plans.start_advance_care_plan(actor=world.nurse, patient=world.patient)
    plans.update_advance_care_plan(
        actor=world.nurse,
        plan=plan,
        changes=complete_advance_care_plan(clock.today() + timedelta(days=30)),
    )
    return plans.sign_advance_care_plan(actor=world.physician, plan=plan)


def _urls(world: World) -> dict[str, str]:
    """Every printout of the patient (this brings the episode to active care)."""
    patient = world.patient.external_id
    care_plan = _long_care_plan(world)
    return {
        "care plan": f"/care-plans/{care_plan.external_id}/pdf/",
        "home chart": f"/patients/{patient}/medicines/chart.pdf",
        "advance care plan": f"/advance-care-plans/{_signed_plan(world).external_id}/pdf/",
        "about me": f"/patients/{patient}/about-me.pdf",
    }


def test_every_printout_names_the_allergy_beside_its_reaction(
    world: World, client_for: Any
) -> None:
    urls = _urls(world)
    _penicillin_anaphylaxis(world)
    client = client_for(world.nurse)
    for what, url in urls.items():
        document = _pdf(client.get(url))
        row = document.row("Penicillins")
        assert "anaphylaxis" in row.value and "confirmed" in row.value, what
        assert squeeze("Throat swelling, collapsed") in squeeze(row.value), what
        assert abs(row.label_first_line - row.value_first_line) < 1.5, what  # type: ignore[operator]


def test_a_printout_says_when_allergies_were_never_asked(world: World, client_for: Any) -> None:
    client = client_for(world.nurse)
    for what, url in _urls(world).items():
        document = _pdf(client.get(url))
        document.assert_fact("Allergies", "Allergies not yet asked")
        assert "Penicillins" not in document.text, what


@pytest.mark.parametrize("printout", ["advance care plan", "home chart"])
def test_a_crew_reads_the_allergy_in_the_service_language_on_a_russian_familys_printout(
    world: World, client_for: Any, printout: str
) -> None:
    world.patient.preferred_language = "ru"
    world.patient.save(update_fields=["preferred_language"])
    urls = _urls(world)
    _penicillin_anaphylaxis(world)
    with override_settings(LANGUAGE_CODE="en"):
        document = _pdf(client_for(world.nurse).get(urls[printout]))
    languages = ["ru", "en"]
    row = document.row(in_languages(languages, "Penicillins"))
    assert "anaphylaxis" in row.value
    with translation.override("ru"):
        russian = gettext("anaphylaxis")
    assert russian in row.value
    assert document.rows_labelled(in_languages(languages, "Allergies and intolerances")) or (
        squeeze(in_languages(languages, "Allergies and intolerances")) in squeeze(document.text)
    )
