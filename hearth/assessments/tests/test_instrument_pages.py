"""The new instruments through the generic assessment page and API (the
registry drives both), who may record them, and the latest IPOS on the
symptoms page and the worklist."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.assessments import services
from hearth.assessments.instruments import IPOS_COMMUNICATION, IPOS_EMOTIONAL, IPOS_PHYSICAL
from hearth.assessments.models import AssessmentResponse
from hearth.conftest import World, patient_details, referral_details
from hearth.patients import queries as patient_queries
from hearth.patients import services as patient_services
from hearth.patients.choices import CareTeamRole
from hearth.patients.models import CareTeamAssignment

IPOS_SCORED = (*IPOS_PHYSICAL, *IPOS_EMOTIONAL, *IPOS_COMMUNICATION)
NEW_CODES = (
    "ipos_patient",
    "ipos_staff",
    "distress_thermometer",
    "abbey",
    "rass_pal",
    "4at",
    "braden",
    "vbps",
)


def ipos(value: int = 1, **answers: int) -> dict[str, int]:
    return dict.fromkeys(IPOS_SCORED, value) | answers


def api_url(world: World) -> str:
    return f"/api/v1/patients/{world.patient.external_id}/assessments"


def page_url(world: World, code: str) -> str:
    return f"/patients/{world.patient.external_id}/assessments/{code}/add/"


def post_json(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


# --- The registry drives the API -------------------------------------------------


def test_the_instrument_list_describes_the_new_instruments(active: World, client_for: Any) -> None:
    listed = client_for(active.nurse).get("/api/v1/instruments")
    assert listed.status_code == 200
    by_code = {row["code"]: row for row in listed.json()}
    assert set(NEW_CODES) <= set(by_code)
    staff = by_code["ipos_staff"]
    assert staff["allows_not_assessed"] is True
    assert staff["all_required"] is True
    assert staff["concern_from"] == 3
    at_peace = next(item for item in staff["items"] if item["key"] == "at_peace")
    assert at_peace["reverse_worded"] is True
    assert at_peace["topic"] == "Feeling at peace"
    assert at_peace["choices"][0] == [0, "Always"]
    assert at_peace["choices"][4] == [4, "Not at all"]
    assert by_code["rass_pal"]["minimum_total"] == -5
    assert by_code["braden"]["higher_is_worse"] is False


def test_an_ipos_staff_round_trip_through_the_api(active: World, client_for: Any) -> None:
    client = client_for(active.nurse)
    answers: dict[str, Any] = ipos(1, weakness=4, at_peace=3) | {"other_symptom_1": 3}
    # "Cannot assess" is said, not left blank.
    del answers["pain"]
    del answers["drowsiness"]
    created = post_json(
        client,
        api_url(active),
        {
            "instrument": "ipos_staff",
            "answers": answers,
            "not_assessed": ["pain", "drowsiness"],
            "item_names": {"other_symptom_1": "Itching"},
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["subscores"] == {"physical": 4 + 7, "emotional": 3 + 3, "communication": 3}
    assert body["not_assessed"] == ["pain", "drowsiness"]
    assert body["partial"] is True
    assert body["item_names"] == {"other_symptom_1": "Itching"}
    assert body["concerns"] == ["weakness", "other_symptom_1", "at_peace"]
    listed = client.get(api_url(active), {"instrument": "ipos_staff"})
    assert [row["id"] for row in listed.json()["items"]] == [body["id"]]


def test_the_api_refuses_a_missing_staff_item_naming_it(active: World, client_for: Any) -> None:
    answers = ipos(1)
    del answers["vomiting"]
    refused = post_json(
        client_for(active.nurse), api_url(active), {"instrument": "ipos_staff", "answers": answers}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "vomiting": ["Answer this item, or mark it “cannot assess”."]
    }
    assert refused.json()["detail"].startswith("Vomiting (being sick):")
    assert not AssessmentResponse.objects.filter(patient=active.patient).exists()


def test_the_api_refuses_an_out_of_range_rass_pal(active: World, client_for: Any) -> None:
    refused = post_json(
        client_for(active.physician),
        api_url(active),
        {"instrument": "rass_pal", "answers": {"level": 7}},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"level": ["Must be between -5 and 4."]}
    assert refused.json()["detail"] == "RASS-PAL level: Must be between -5 and 4."


def test_the_api_refuses_a_scored_other_symptom_without_its_name(
    active: World, client_for: Any
) -> None:
    refused = post_json(
        client_for(active.nurse),
        api_url(active),
        {
            "instrument": "ipos_patient",
            "answers": ipos(1, other_symptom_2=3),
            "completed_by": "patient",
        },
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"other_symptom_2_name": ["Name the symptom you scored."]}
    unscored = post_json(
        client_for(active.nurse),
        api_url(active),
        {
            "instrument": "ipos_patient",
            "answers": ipos(1),
            "item_names": {"other_symptom_1": "Itching", "pain": "Back"},
            "completed_by": "patient",
        },
    )
    assert unscored.status_code == 422
    assert unscored.json()["errors"] == {
        "other_symptom_1": ["Score the symptom you named."],
        "pain_name": ["This item takes no name."],
    }
    assert not AssessmentResponse.objects.exists()


def test_the_api_keeps_a_signed_total(active: World, client_for: Any) -> None:
    created = post_json(
        client_for(active.nurse),
        api_url(active),
        {"instrument": "vbps", "answers": {"level": -3}},
    )
    assert created.status_code == 201, created.content
    assert created.json()["total"] == -3
    assert created.json()["total_band"] == "constipation"


# --- Who may record them -----------------------------------------------------------


def test_the_ipos_api_validates_ownership(active: World, client_for: Any) -> None:
    body = {"instrument": "ipos_staff", "answers": ipos(1)}
    outsider = post_json(client_for(active.outsider_nurse), api_url(active), body)
    assert outsider.status_code in (403, 404)
    other_family = post_json(
        client_for(active.other_family),
        api_url(active),
        {"instrument": "ipos_patient", "answers": ipos(1), "completed_by": "caregiver_assisted"},
    )
    assert other_family.status_code == 404
    assert not AssessmentResponse.objects.filter(patient=active.patient).exists()


def test_the_family_may_send_the_patient_ipos_but_not_the_staff_one(
    active: World, client_for: Any
) -> None:
    family = client_for(active.family)
    helped = post_json(
        family,
        api_url(active),
        {"instrument": "ipos_patient", "answers": ipos(2), "completed_by": "caregiver_assisted"},
    )
    assert helped.status_code == 201, helped.content
    as_carer = post_json(
        family, api_url(active), {"instrument": "ipos_patient", "answers": ipos(2)}
    )
    assert as_carer.status_code == 422
    assert "completed_by" in as_carer.json()["errors"]
    staff_form = post_json(
        family, api_url(active), {"instrument": "ipos_staff", "answers": ipos(2)}
    )
    assert staff_form.status_code in (403, 404)
    assert AssessmentResponse.objects.filter(instrument="ipos_staff").count() == 0


def test_a_social_worker_records_distress_but_not_sedation(active: World, client_for: Any) -> None:
    client = client_for(active.social_worker)
    page = client.get(page_url(active, "distress_thermometer"))
    assert page.status_code == 200
    saved = client.post(
        page_url(active, "distress_thermometer"),
        {"distress": "6", "family": "on", "completed_by": "patient"},
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    response = AssessmentResponse.objects.get(instrument="distress_thermometer")
    assert response.total == 6
    assert response.total_band == "significant"
    assert response.answers == {
        "distress": 6,
        "practical": 0,
        "family": 1,
        "emotional": 0,
        "spiritual": 0,
        "physical": 0,
    }
    assert client.get(page_url(active, "rass_pal")).status_code == 403


# --- The generic page -----------------------------------------------------------------


def test_an_ipos_staff_round_trip_through_the_page(active: World, client_for: Any) -> None:
    client = client_for(active.nurse)
    form = client.get(page_url(active, "ipos_staff"))
    assert form.status_code == 200
    text = form.content.decode()
    assert "Cannot assess" in text
    assert "0 — Always" in text
    data = {key: "1" for key in IPOS_SCORED} | {
        "pain": "4",
        "at_peace": "not_assessed",
        "other_symptom_1": "3",
        "other_symptom_1_name": "Hiccups",
        "completed_by": "professional",
    }
    saved = client.post(page_url(active, "ipos_staff"), data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    response = AssessmentResponse.objects.get(instrument="ipos_staff")
    assert response.not_assessed == ["at_peace"]
    assert response.item_names == {"other_symptom_1": "Hiccups"}
    assert response.subscores == {"physical": 13, "emotional": 3, "communication": 3}
    assert response.concern_labels() == ["Pain", "Hiccups"]


def test_the_page_names_the_missing_item(active: World, client_for: Any) -> None:
    data = {key: "1" for key in IPOS_SCORED if key != "information"}
    refused = client_for(active.nurse).post(
        page_url(active, "ipos_staff"), data | {"completed_by": "professional"}
    )
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "Answer this item, or mark it “cannot assess”." in text
    assert not AssessmentResponse.objects.exists()


def test_a_rass_pal_round_trip_through_the_page_keeps_the_sign(
    active: World, client_for: Any
) -> None:
    client = client_for(active.physician)
    form = client.get(page_url(active, "rass_pal")).content.decode()
    assert "+4 — Combative" in form
    assert "-4 — Deep sedation" in form
    assert "within the target (-2 to 0)" in form
    saved = client.post(
        page_url(active, "rass_pal"), {"level": "-4", "completed_by": "professional"}
    )
    assert saved.status_code == 302
    response = AssessmentResponse.objects.get(instrument="rass_pal")
    assert (response.total, response.total_band) == (-4, "below_target")
    page = client.get(f"/patients/{active.patient.external_id}/symptoms/").content.decode()
    assert "-4" in page
    assert "more sedated than the target (-2 to 0)" in page


def test_a_4at_missing_alertness_is_refused_on_the_page(active: World, client_for: Any) -> None:
    refused = client_for(active.nurse).post(
        page_url(active, "4at"),
        {"amt4": "0", "attention": "0", "acute_change": "0", "completed_by": "professional"},
    )
    assert refused.status_code == 422
    assert "Answer this item." in refused.content.decode()
    assert not AssessmentResponse.objects.exists()


# --- The latest IPOS on the symptoms page and the worklist -----------------------------


def test_the_symptoms_page_shows_the_latest_ipos(active: World, client_for: Any) -> None:
    services.record_assessment(
        actor=active.nurse,
        patient=active.patient,
        instrument="ipos_patient",
        answers=ipos(0, pain=2),
        completed_by="patient",
    )
    services.record_assessment(
        actor=active.nurse,
        patient=active.patient,
        instrument="ipos_staff",
        answers={k: v for k, v in ipos(1, shortness_of_breath=4).items() if k != "depression"},
        not_assessed=["depression"],
    )
    page = client_for(active.nurse).get(f"/patients/{active.patient.external_id}/symptoms/")
    text = page.content.decode()
    assert "IPOS" in text
    assert "staff version" in text
    assert "Physical symptoms 13/40" in text
    assert "Emotional symptoms 3/16" in text
    assert "Communication and practical issues 3/12" in text
    assert "1 item not assessable" in text
    assert "Shortness of breath" in text
    # Every new instrument can be recorded from the page.
    for code in NEW_CODES:
        assert f"/patients/{active.patient.external_id}/assessments/{code}/add/" in text


def test_the_worklist_shows_the_latest_ipos_with_its_concerns(active: World) -> None:
    services.record_assessment(
        actor=active.nurse,
        patient=active.patient,
        instrument="ipos_patient",
        answers=ipos(1, pain=3, information=4),
        completed_by="patient",
    )
    rows = patient_queries.worklist(active.nurse)
    assert ("ipos", "Latest IPOS") in rows.columns
    row = next(r for r in rows if r.record_number == "A-1")
    cell = dict(row.extra)["Latest IPOS"]
    assert cell is not None
    assert "Physical symptoms 12/40" in cell["text"]
    assert "concerns: Pain, Information needs" in cell["text"]


def _worklist_queries(actor: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert patient_queries.worklist(actor)
    return len(captured.captured_queries)


def test_the_ipos_column_keeps_the_worklist_query_count_constant(active: World) -> None:
    services.record_assessment(
        actor=active.nurse, patient=active.patient, instrument="ipos_staff", answers=ipos(1)
    )
    few = _worklist_queries(active.nurse)
    for number in range(4):
        patient = patient_services.refer_new_patient(
            actor=active.coordinator,
            patient=patient_details(f"Q-{number}"),
            referral=referral_details(),
        ).patient
        CareTeamAssignment.objects.create(
            patient=patient,
            staff=active.nurse,
            role=CareTeamRole.KEY_NURSE,
            assigned_by=active.coordinator,
        )
        for value in (1, 2):
            services.record_assessment(
                actor=active.nurse, patient=patient, instrument="ipos_staff", answers=ipos(value)
            )
    rows = patient_queries.worklist(active.nurse)
    cells = [dict(row.extra)["Latest IPOS"] for row in rows if row.record_number.startswith("Q-")]
    # The newest of the two, each patient's own.
    assert all(cell and "Physical symptoms 20/40" in cell["text"] for cell in cells)
    assert len(cells) == 4
    assert _worklist_queries(active.nurse) == few
