"""The volunteer brief (issue 18, least privilege): a volunteer on assignment
reads a brief about the person (name, address, what matters, safety, who to
call, the visit) and nothing clinical; every other patient route answers
them "not found"; each read of the brief is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings

from hearth.conftest import World
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.volunteers import services
from hearth.volunteers.models import VolunteerAssignment

from .conftest import make_profile, new_volunteer, propose

JSON = "application/json"
#: Written into the record where only the team may read it: none of these may
#: reach a volunteer.
CLINICAL_OR_CONFIDENTIAL = (
    "Lung cancer",
    "C34.1",
    "Morphine",
    "breakthrough pain",
    "Frightened of choking",
    "Thickened fluids after the stroke",
    "No blood transfusions",
    "Her son must not be told",
    "Wants to die at home",
)


def _volunteer_on_assignment(world: World) -> VolunteerAssignment:
    volunteer = new_volunteer("bethan.hughes")
    make_profile(world, volunteer)
    assignment = propose(world, volunteer, note="Sit with Alice so her daughter can shop.")
    return services.activate_assignment(actor=world.coordinator, assignment=assignment)


def _fill_the_record(world: World) -> None:
    """Personhood (allowed and forbidden fields), equipment, a shift on call,
    and clinical data: a prescription and an assessment."""
    from hearth.assessments import services as assessments
    from hearth.equipment import services as equipment
    from hearth.medications import services as medicines
    from hearth.medications.models import DrugRoute
    from hearth.monitoring import services as monitoring
    from hearth.personhood import services as personhood

    nurse, patient = world.nurse, world.patient
    sections = {
        "values": {
            "what_matters_most": "Her garden and the radio",
            "fears_and_worries": "Frightened of choking",
        },
        "diet": {
            "favourite_foods": "Weak tea with milk",
            "swallowing_notes": "Thickened fluids after the stroke",
        },
        "faith": {"religion": "Catholic", "attitudes_to_interventions": "No blood transfusions"},
        "information": {"who_must_not_be_told": "Her son must not be told"},
        "home": {
            "accessibility_needs": "Key safe by the back door: the coordinator gives the code",
            "pets": "An old spaniel called Biscuit",
        },
        "communication": {"hearing_aid": True, "notes": "Deaf in the left ear: sit on her right"},
        "end_of_life": {"people_present": "Wants to die at home with her daughter"},
    }
    for section, changes in sections.items():
        personhood.update_section(actor=nurse, patient=patient, section=section, changes=changes)
    personhood.add_weekly_window(
        actor=nurse,
        patient=patient,
        kind="prayer",
        label="The Angelus",
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        starts_at="12:00",
        ends_at="12:10",
    )
    for kind, serial in (("oxygen_concentrator", "OX-1"), ("hospital_bed", "BED-1")):
        item = equipment.add_item(
            actor=world.coordinator,
            kind=kind,
            serial_number=serial,
            maintenance_due_on=clock.today() + timedelta(days=200),
        )
        equipment.lend(actor=world.coordinator, item=item, patient=patient)
    monitoring.add_on_call_shift(
        actor=world.coordinator,
        role="nurse",
        staff=nurse,
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(hours=11),
    )
    medicines.prescribe(
        actor=world.physician,
        patient=patient,
        drug_route=DrugRoute.objects.get(drug__name="Morphine", route="oral"),
        kind="as_needed",
        dose="5",
        indication="breakthrough pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
    )
    assessments.record_assessment(
        actor=nurse, patient=patient, instrument="pps", answers={"level": 50}
    )


def test_the_brief_tells_a_volunteer_what_they_need_and_nothing_clinical(
    active: World, client_for: Any
) -> None:
    assignment = _volunteer_on_assignment(active)
    _fill_the_record(active)
    volunteer = client_for(assignment.volunteer)
    patient_id = active.patient.external_id

    page = volunteer.get(f"/patients/{patient_id}/volunteer-brief/")
    assert page.status_code == 200
    text = page.content.decode()
    body = volunteer.get(f"/api/v1/patients/{patient_id}/volunteer-brief").json()
    served = text + repr(body)
    for expected in (
        "Alice",
        "1 Test Street",
        "Key safe by the back door",
        "Her garden and the radio",
        "Weak tea with milk",
        "Catholic",
        "Deaf in the left ear",
        "The Angelus",
        "Oxygen in the home",
        "Moving and handling",
        "Biscuit",
        "+44 20 7946 0000",  # the service's number
        "Coord Service",  # the coordinator who started the assignment
        "Nurse Team",  # the nurse on call now
        "Tuesdays 2–5 pm",
        "Sit with Alice so her daughter can shop.",
        "daughter",
    ):
        assert expected in text, expected
    for forbidden in CLINICAL_OR_CONFIDENTIAL:
        assert forbidden not in served, forbidden
    assert body["called"] == "Alice" and body["address"] == "1 Test Street, London, E1 1AA"
    assert [c["label"] for c in body["who_to_call"]] == [
        "The service (day and night)",
        "Volunteer coordinator",
        "Nurse on call now",
    ]
    assert body["visits"][0]["usual_times"] == "Tuesdays 2–5 pm"
    assert {"Oxygen in the home", "Moving and handling"} <= {s["label"] for s in body["safety"]}
    # No field of the brief names a clinical thing.
    assert not {"diagnoses", "medicines", "observations", "timeline", "notes"} & set(body)


def test_the_brief_keeps_names_as_written_and_says_the_days_in_words(
    active: World, client_for: Any
) -> None:
    """The service's own name and people's names are marked as not ours to
    translate; a quiet time every day says so, in the reader's words."""
    assignment = _volunteer_on_assignment(active)
    _fill_the_record(active)
    volunteer = client_for(assignment.volunteer)
    text = volunteer.get(f"/patients/{active.patient.external_id}/volunteer-brief/").content
    page = text.decode()
    assert f'<span translate="no">{settings.HEARTH_SERVICE_NAME}</span>' in page
    assert '<span translate="no">Coord Service</span>' in page
    assert "The Angelus: every day, 12:00–12:10" in page


def test_each_read_of_the_brief_is_audited(active: World, client_for: Any) -> None:
    assignment = _volunteer_on_assignment(active)
    volunteer = client_for(assignment.volunteer)
    patient_id = active.patient.external_id
    volunteer.get(f"/patients/{patient_id}/volunteer-brief/")
    volunteer.get(f"/api/v1/patients/{patient_id}/volunteer-brief")
    client_for(active.nurse).get(f"/api/v1/patients/{patient_id}/volunteer-brief")
    events = AuditEvent.objects.filter(
        event_type=AuditEventType.VOLUNTEER_BRIEF_VIEWED, patient_id=active.patient.pk
    )
    assert sorted(e.actor_id for e in events) == sorted(
        [assignment.volunteer.pk, assignment.volunteer.pk, active.nurse.pk]
    )
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.PATIENT_VIEWED, actor=assignment.volunteer
    ).exists()


def test_the_brief_is_for_the_volunteer_on_assignment_and_the_team(
    active: World, client_for: Any
) -> None:
    assignment = _volunteer_on_assignment(active)
    patient_id = active.patient.external_id
    page = f"/patients/{patient_id}/volunteer-brief/"
    api = f"/api/v1/patients/{patient_id}/volunteer-brief"
    for reader in (active.nurse, active.physician, active.coordinator, assignment.volunteer):
        assert client_for(reader).get(api).status_code == 200
        assert client_for(reader).get(page).status_code == 200
    # Another volunteer, the family, another family: not found.
    stranger = new_volunteer("other.volunteer")
    for outsider in (stranger, active.family, active.other_family):
        refused = client_for(outsider).get(api)
        assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
    assert client_for(stranger).get(page).status_code == 404
    assert client_for(active.family).get(page)["Location"] == "/portal/"
    # Staff outside the caseload are offered emergency access, as for the record.
    refused = client_for(active.outsider_nurse).get(api)
    assert refused.json()["code"] == "emergency_access_available"
    # Once the assignment ends, the brief closes with it.
    services.end_assignment(
        actor=active.coordinator, assignment=assignment, reason="family_request", note=""
    )
    assert client_for(assignment.volunteer).get(api).status_code == 404
    assert client_for(assignment.volunteer).get(page).status_code == 404
    unknown = client_for(active.nurse).get(
        "/api/v1/patients/00000000-0000-0000-0000-000000000000/volunteer-brief"
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/patients/{patient}",
        "/api/v1/patients/{patient}/timeline",
        "/api/v1/patients/{patient}/medication-orders",
        "/api/v1/patients/{patient}/controlled-drugs",
        "/api/v1/patients/{patient}/advance-care-plans",
        "/api/v1/patients/{patient}/observations",
        "/api/v1/patients/{patient}/assessments",
        "/api/v1/patients/{patient}/profile",
        "/api/v1/patients/{patient}/care-team",
        "/api/v1/patients/{patient}/volunteers",
    ],
)
def test_the_record_is_not_found_for_a_volunteer(active: World, client_for: Any, path: str) -> None:
    assignment = _volunteer_on_assignment(active)
    response = client_for(assignment.volunteer).get(path.format(patient=active.patient.external_id))
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_volunteers_pages_lead_to_the_brief_not_the_record(
    active: World, client_for: Any
) -> None:
    assignment = _volunteer_on_assignment(active)
    volunteer = client_for(assignment.volunteer)
    patient_id = active.patient.external_id
    for page in (
        f"/patients/{patient_id}/",
        f"/patients/{patient_id}/profile/",
        f"/patients/{patient_id}/medicines/",
        f"/patients/{patient_id}/about-me.pdf",
        f"/patients/{patient_id}/debriefs/",
    ):
        assert volunteer.get(page).status_code == 404, page
    # Their worklist and home are their assignments, each opening its brief.
    assert volunteer.get("/patients/")["Location"] == "/volunteers/me/"
    assert volunteer.get("/")["Location"] == "/volunteers/me/"
    mine = volunteer.get("/volunteers/me/").content.decode()
    assert f"/patients/{patient_id}/volunteer-brief/" in mine
    assert f'href="/patients/{patient_id}/"' not in mine
    # The menu offers no way into the clinical side: no worklist, alerts, on-call roster.
    for clinical_link in ('href="/patients/"', 'href="/alerts/"'):
        assert clinical_link not in mine, clinical_link
    assert volunteer.get("/api/v1/patients").json() == {"items": [], "next": None}
    # What stays theirs: their own profile, the directory, their support.
    assert volunteer.get("/api/v1/volunteers/me").status_code == 200
    assert volunteer.get("/directory/").status_code == 200
    assert volunteer.get("/team/").status_code == 200
