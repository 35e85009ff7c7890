"""The printed documents cannot mislead (hazards M27, M28): read back out of
the PDF with each word's position, every label sits in the same table row as
its value and on the same line, long values wrap inside their own cell, no
text leaves the page or its cell, and no row splits across pages, in English,
in Russian, and in both side by side. Expected labels come from the message
catalogue under ``translation.override``, so the tests stay right when
translations are added or changed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from hearth.careplans import services as plans
from hearth.conftest import World, complete_advance_care_plan
from hearth.core import clock
from hearth.core.tests.pdf_layout import Document, in_each, in_languages, read, squeeze
from hearth.medications import services as medicines
from hearth.medications.models import Drug, DrugRoute, MedicationOrder, describe_dose
from hearth.medications.templatetags.medications_tags import minutes
from hearth.medications.tests.conftest import formulary, give
from hearth.patients.choices import EpisodeState
from hearth.personhood import services as profile

LONG_NAME = "Methylnaltrexoniumbromidesubcutaneoussolution (long trial name for the chart)"
LONG_INDICATION = (
    "Constipation caused by the strong painkillers, when there has been no bowel "
    "movement for three days although the laxatives were taken every day as planned"
)
LONG_INSTRUCTIONS = (
    "Give into the butterfly under the skin of the tummy, slowly over one minute. "
    "Flush with a little water for injection afterwards. If the skin around the "
    "butterfly is red, hard or leaking, do not use it: call the nurse, who will put in "
    "a new one. Write each dose in the table at the end of this chart. "
    "Superlongwordwithoutanyspacesthatmustwrapinsideitsowncellandnevercrosstheborder."
)
REGULAR_INSTRUCTIONS = (
    "Take with breakfast, never on an empty stomach; if a dose is vomited within half an "
    "hour, do not repeat it and tell the nurse at the next visit."
)


def _pdf(response: Any) -> Document:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    document = read(response.content)
    assert not document.overflow, document.overflow[:10]
    return document


# --- The home medicines chart ----------------------------------------------------


def _long_drug_route() -> DrugRoute:
    """A formulary row with a long name and the longest route label, as the
    formulary manager would load it."""
    drug = Drug.objects.create(name=LONG_NAME)
    return DrugRoute.objects.create(drug=drug, route="subcutaneous", dose_unit="mg")


def _chart_orders(active: Any) -> dict[str, MedicationOrder]:
    """Three medicines: a long as-needed one given once an hour ago, an
    as-needed one at its 24 h limit, and a regular one."""
    with clock.travel_to(clock.now() - timedelta(hours=6)):
        long_prn = medicines.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=_long_drug_route(),
            kind="as_needed",
            dose="12.5",
            indication=LONG_INDICATION,
            minimum_interval_minutes=90,
            maximum_doses_24h=4,
            instructions=LONG_INSTRUCTIONS,
        )
        at_limit = medicines.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Midazolam", "buccal"),
            kind="as_needed",
            dose="2.5",
            indication="agitation",
            minimum_interval_minutes=60,
            maximum_doses_24h=2,
        )
        regular = medicines.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Dexamethasone", "oral"),
            kind="regular",
            dose="4",
            times=["08:00"],
            indication="appetite and nausea",
            instructions=REGULAR_INSTRUCTIONS,
        )
    give(active.nurse, long_prn, given_at=clock.now() - timedelta(minutes=60))
    for hours in (3, 2):
        give(active.nurse, at_limit, given_at=clock.now() - timedelta(hours=hours))
    return {"long": long_prn, "limit": at_limit, "regular": regular}


def _by_medicine(document: Document, languages: list[str]) -> dict[str, dict[str, str]]:
    """The chart's facts grouped per medicine (a group starts at its
    "Medicine" row): {medicine: {label: value}}, squeezed."""
    medicine = squeeze(in_languages(languages, "Medicine"))
    groups: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for row in document.rows:
        if squeeze(row.label) == medicine:
            current = groups.setdefault(squeeze(row.value), {})
        if current is not None:
            assert squeeze(row.label) not in current, ("a fact twice", row.label)
            current[squeeze(row.label)] = squeeze(row.value)
    return groups


def _chart(client_for: Any, active: Any) -> Document:
    return _pdf(
        client_for(active.nurse).get(f"/patients/{active.patient.external_id}/medicines/chart.pdf")
    )


CASES = [
    # (service language, family language, languages printed)
    pytest.param("en", "en", ["en"], id="english"),
    pytest.param("ru", "ru", ["ru"], id="russian"),
    pytest.param("en", "ru", ["ru", "en"], id="russian-family-english-service"),
]


@pytest.mark.parametrize(("service", "family", "languages"), CASES)
def test_it_prints_each_fact_of_the_chart_beside_its_label(
    active: Any, client_for: Any, service: str, family: str, languages: list[str]
) -> None:
    """The reported failure: "Предел" beside the last-dose time, "Указания"
    outside its box, "hours" beside the instructions. Each fact is now a row
    of its own: the value read from the label's row is that fact's value and
    nothing else, whatever the length and the language."""
    active.patient.preferred_language = family
    active.patient.save(update_fields=["preferred_language"])
    _chart_orders(active)
    with override_settings(LANGUAGE_CODE=service):
        document = _chart(client_for, active)

    def label(msgid: str, **values: Any) -> str:
        return squeeze(in_languages(languages, msgid, **values))

    def each(render: Any) -> str:
        return squeeze(in_each(languages, render))

    phone = squeeze(settings.HEARTH_SERVICE_PHONE)
    facts = _by_medicine(document, languages)
    assert set(facts) == {squeeze(LONG_NAME), "Midazolam", "Dexamethasone"}
    long = facts[squeeze(LONG_NAME)]
    assert long[label("Dose")] == each(lambda: describe_dose(Decimal("12.5"), "mg"))
    assert long[label("How")] == label("Under the skin (subcutaneous, via butterfly)")
    assert long[label("When")] == label("Only when needed")
    assert long[label("What it is for")] == squeeze(LONG_INDICATION)  # as typed
    assert long[label("Wait between doses")] == each(
        lambda: gettext("at least %(wait)s") % {"wait": minutes(90)}
    )
    assert long[label("Limit")] == each(
        lambda: (
            ngettext(
                "no more than %(count)s dose in any 24 hours",
                "no more than %(count)s doses in any 24 hours",
                4,
            )
            % {"count": 4}
        )
    )
    limit_reached = long[label("When the limit is reached")]
    assert limit_reached.startswith(
        each(lambda: f"{gettext('Do not give more.')} {gettext('Call the team on')}")
    )
    assert limit_reached.endswith(phone)
    assert long[label("Given in the last 24 hours")] == "1"
    assert label("Last dose") in long
    assert long[label("Instructions")] == squeeze(LONG_INSTRUCTIONS)  # as typed, all of it
    assert label("Now") not in long  # one dose of four
    at_limit = facts["Midazolam"]
    assert at_limit[label("Given in the last 24 hours")] == "2"
    assert at_limit[label("Now")].startswith(limit_reached)
    regular = facts["Dexamethasone"]
    assert regular[label("When")] == "08:00"
    assert regular[label("Instructions")] == squeeze(REGULAR_INSTRUCTIONS)
    assert label("Limit") not in regular and label("Wait between doses") not in regular
    # Each value starts on its label's line, in every medicine's block.
    for msgid in ("Medicine", "Dose", "How", "What it is for", "Instructions"):
        document.assert_fact(in_languages(languages, msgid), "", every=True)
    assert document.pages >= 2  # the blocks moved to the next page whole, none split
    if languages == ["ru", "en"]:
        # Side by side: the English words are there for whoever cannot read Russian.
        for msgid in ("Dose", "Limit", "Instructions", "When the limit is reached"):
            with translation.override("en"):
                assert squeeze(gettext(msgid)) in label(msgid)


def test_the_chart_prints_the_volume_row_only_when_there_is_a_volume(
    active: Any, client_for: Any
) -> None:
    """``volume_text`` is computed by the dosing work (issue 19); until a
    volume exists the chart prints no empty "Amount to draw up" row."""
    _chart_orders(active)
    document = _chart(client_for, active)
    assert not document.rows_labelled(gettext("Amount to draw up"))


def test_the_chart_lists_only_active_orders_and_says_so_when_there_are_none(
    active: Any, client_for: Any
) -> None:
    orders = _chart_orders(active)
    medicines.stop_order(actor=active.physician, order=orders["regular"], reason="Course finished")
    document = _chart(client_for, active)
    assert set(_by_medicine(document, ["en"])) == {squeeze(LONG_NAME), "Midazolam"}
    for order in orders.values():
        if order != orders["regular"]:
            medicines.stop_order(actor=active.physician, order=order, reason="Not needed")
    empty = _chart(client_for, active)
    assert gettext("No medicines are prescribed at the moment.") in empty.text


# --- The advance care plan ---------------------------------------------------------

LONG_REASON = (
    "After talking with her and her son over two visits: CPR would not restart her heart "
    "given the spread of the cancer to the liver and bones, and she has said clearly that "
    "she wants to die peacefully at home with her family around her."
)


def _signed_acp(world: World) -> Any:
    world.bring_to(EpisodeState.ACTIVE)
    plan = plans.start_advance_care_plan(actor=world.nurse, patient=world.patient)
    details = complete_advance_care_plan(clock.today() + timedelta(days=30))
    details.update(
        cpr_reason=LONG_REASON,
        relevant_information="Metastatic breast cancer. " * 12,
        what_matters="Being at home with her grandchildren and her cat; " * 5,
        emergency_contacts="Sam Family, son, +44 7700 900123\nDr Long-Named General Practitioner, "
        "the practice on the High Street, +44 20 7946 0999",
    )
    plans.update_advance_care_plan(actor=world.nurse, plan=plan, changes=details)
    return plans.sign_advance_care_plan(actor=world.physician, plan=plan)


@pytest.mark.parametrize(("service", "family", "languages"), CASES)
def test_it_prints_the_advance_care_plan_a_fact_per_row(
    world: World, client_for: Any, service: str, family: str, languages: list[str]
) -> None:
    world.patient.preferred_language = family
    world.patient.save(update_fields=["preferred_language"])
    plan = _signed_acp(world)
    with override_settings(LANGUAGE_CODE=service):
        document = _pdf(client_for(world.nurse).get(f"/advance-care-plans/{plan.external_id}/pdf/"))

    def each(render: Any) -> str:
        return in_each(languages, render)

    document.assert_fact(in_languages(languages, "CPR"), each(plan.get_cpr_display))
    document.assert_fact(
        in_languages(languages, "Focus of care"), each(plan.get_focus_of_care_display)
    )
    document.assert_fact(in_languages(languages, "Reason for the CPR decision"), LONG_REASON)
    document.assert_fact(
        in_languages(languages, "Transfer to hospital"), each(plan.get_hospital_transfer_display)
    )
    document.assert_fact(
        in_languages(languages, "Place of death"), each(plan.get_preferred_place_of_death_display)
    )
    document.assert_fact(in_languages(languages, "Proxy"), "Sam Family (son), +44 7700 900123")
    document.assert_fact(in_languages(languages, "What matters to them"), plan.what_matters.strip())
    document.assert_fact(in_languages(languages, "Signed by"), world.physician.display_name)
    assert document.row(in_languages(languages, "CPR")).page == 1  # the first thing a crew sees


def test_a_russian_family_and_an_english_crew_read_the_same_cpr_row(
    world: World, client_for: Any
) -> None:
    """The reported failure: a plan printed for a Russian-speaking family read
    only the Russian for "CPR: Do not attempt CPR". The crew's English is now
    on the same row: label and decision in both languages."""
    world.patient.preferred_language = "ru"
    world.patient.save(update_fields=["preferred_language"])
    plan = _signed_acp(world)
    with override_settings(LANGUAGE_CODE="en"):
        response = client_for(world.family).get(f"/advance-care-plans/{plan.external_id}/pdf/")
    document = _pdf(response)
    with translation.override("ru"):
        russian = (gettext("CPR"), plan.get_cpr_display())
    cpr = document.row(russian[0] + " / CPR")  # the family's language first
    assert "CPR" in cpr.label and "СЛР" in cpr.label
    assert squeeze(russian[1]) in squeeze(cpr.value)
    assert squeeze("Do not attempt CPR") in squeeze(cpr.value)
    assert abs(cpr.label_first_line - cpr.value_first_line) < 1.5  # type: ignore[operator]
    # Free text a clinician typed prints once, as typed.
    reason = document.row(_ru("Reason for the CPR decision") + " / Reason for the CPR decision")
    assert squeeze(reason.value) == squeeze(LONG_REASON)


def _ru(msgid: str) -> str:
    with translation.override("ru"):
        return gettext(msgid)


def test_the_service_language_alone_when_the_family_shares_it(
    world: World, client_for: Any
) -> None:
    plan = _signed_acp(world)
    document = _pdf(client_for(world.nurse).get(f"/advance-care-plans/{plan.external_id}/pdf/"))
    assert document.row("CPR").value.strip() == "Do not attempt CPR"
    assert "СЛР" not in document.text


# --- The care plan and "About me" ------------------------------------------------------

LONG_GOAL = (
    "To sleep through the night without waking in pain, so that she has the energy in "
    "the afternoon to sit in the garden with her grandchildren"
)
LONG_INTERVENTION = (
    "Nurse home visit to review the night-time pain, check the syringe driver site and "
    "talk through the breakthrough doses with the family"
)


def _long_care_plan(world: World) -> Any:
    world.bring_to(EpisodeState.ACTIVE)
    plan = plans.start_care_plan_draft(actor=world.nurse, patient=world.patient)
    need = plans.add_need(
        actor=world.nurse,
        plan=plan,
        domain="physical",
        description="Pain at night that wakes her two or three times and frightens her",
        severity=3,
    )
    goal = plans.add_goal(
        actor=world.nurse, need=need, in_own_words=LONG_GOAL, measurable_target="Night pain < 4"
    )
    plans.add_intervention(
        actor=world.nurse,
        goal=goal,
        description=LONG_INTERVENTION,
        kind="home_visit",
        discipline="nurse",
        responsible=str(world.nurse.external_id),
        times=3,
        per="week",
        duration_minutes=45,
    )
    plans.update_care_plan(
        actor=world.nurse, plan=plan, changes={"review_date": clock.today() + timedelta(days=30)}
    )
    return plans.activate_care_plan(actor=world.nurse, plan=plan)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_it_prints_the_care_plan_a_fact_per_row(
    world: World, client_for: Any, language: str
) -> None:
    plan = _long_care_plan(world)
    client = client_for(world.nurse)
    client.cookies["django_language"] = language
    document = _pdf(client.get(f"/care-plans/{plan.external_id}/pdf/"))
    with translation.override(language):
        document.assert_fact(gettext("Goal"), LONG_GOAL)
        document.assert_fact(gettext("Need"), "Pain at night that wakes her")
        document.assert_fact(gettext("Record"), world.patient.record_number)
        intervention = next(row for row in document.rows if LONG_INTERVENTION[:30] in row.value)
        assert squeeze(LONG_INTERVENTION) in squeeze(intervention.value)
        nurse = gettext("Nurse")
        assert squeeze(nurse) in squeeze(intervention.label)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_it_prints_about_me_a_fact_per_row(world: World, client_for: Any, language: str) -> None:
    world.bring_to(EpisodeState.ACTIVE)
    world.personal_care(drafts=False)
    long_wish = "Being at home with my grandchildren, my cat and my garden; " * 6
    profile.update_section(
        actor=world.nurse,
        patient=world.patient,
        section="values",
        changes={"what_matters_most": long_wish, "fears_and_worries": "Being alone at night"},
    )
    client = client_for(world.family)
    client.cookies["django_language"] = language
    document = _pdf(client.get(f"/patients/{world.patient.external_id}/about-me.pdf"))
    assert document.pages == 1
    with translation.override(language):
        document.assert_fact(gettext("What matters most to me"), long_wish.strip())
        document.assert_fact(gettext("What worries me"), "Being alone at night")
        document.assert_fact(gettext("Please do not visit at these times"), "12:30–13:00 Dhuhr")
        document.assert_fact(gettext("Name"), world.patient.full_name)
