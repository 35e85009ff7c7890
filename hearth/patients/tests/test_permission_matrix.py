"""Every API route and every page, for every role: who is let in, declared in one table.

A new route that is not declared here fails ``test_every_route_is_declared``, so
nobody can add an endpoint without deciding who may use it.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from hearth.accounts.services import issue_api_token
from hearth.api import api
from hearth.conftest import (
    World,
    patient_details,
    referral_details,
)
from hearth.core import clock
from hearth.patients import services
from hearth.patients.choices import EpisodeState
from hearth.patients.tests.matrix import (
    ACP_WRITERS,
    BEREAVEMENT_TEAM,
    CLINICIANS,
    COMMISSION_OUT_OF_ITS_STAGE,
    COMMISSION_PAGE_OUT_OF_ITS_STAGE,
    EMERGENCY_USERS,
    FORBIDDEN,
    NAMES_EMERGENCY_ACCESS,
    NOT_FOUND,
    NOT_SIGNED_IN,
    ON_TEAM,
    OPENERS,
    PAGE_FORBIDDEN,
    PAGE_NOT_FOUND,
    PORTAL,
    PORTAL_ONLY_FOR_STAFF,
    PORTAL_PAGES,
    PORTAL_SIGN_INS,
    PROFILE_KEEPERS,
    RECORD_KEEPERS,
    REFERRERS,
    ROLES,
    SERVICE_WIDE,
    SIGNED_IN,
    STAFF,
    TO_EMERGENCY_ACCESS,
    VOLUNTEER_ROUTES_ABOUT_A_PATIENT,
    PageRefusal,
    Route,
    expected_api_refusal,
    expected_page_refusal,
)
from hearth.planning.tests.planning_world import MONDAY, at


def _decision_body(world: World, actor: Any) -> dict[str, Any]:
    members = [world.commission_physician_1, world.commission_physician_2]
    if actor is not None and actor not in members:
        members.append(actor)
    return {
        "decided_on": clock.today().isoformat(),
        "member_ids": [str(m.external_id) for m in members],
        "chair_id": str(world.commission_physician_1.external_id),
        "diagnosis_code": "C34.1",
        "diagnosis_text": "Lung cancer",
        "indications": "Progressive disease.",
        "form_of_care": "home",
        "outcome": "granted",
        "review_date": (clock.today().replace(year=clock.today().year + 1)).isoformat(),
    }


def _referral_body(world: World, actor: Any) -> dict[str, Any]:
    patient = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in patient_details("NEW-1").items()
        if v is not None
    }
    return {"patient": patient, "referral": referral_details()}


def _grant_for_outsider(world: World, actor: Any) -> None:
    services.use_emergency_access(
        actor=world.outsider_nurse, patient=world.patient, reason="Called at night, team away."
    )


def _care(world: World, actor: Any) -> None:
    world.care = world.personal_care()  # type: ignore[attr-defined]


def _care_without_drafts(world: World, actor: Any) -> None:
    world.care = world.personal_care(drafts=False)  # type: ignore[attr-defined]


def _intervention_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "description": "Chaplain visit",
        "kind": "home_visit",
        "discipline": "chaplain",
        "responsible_id": str(world.chaplain.external_id),
        "times": 1,
        "per": "week",
        "duration_minutes": 30,
    }


def _meeting_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "held_on": clock.today().isoformat(),
        "attendee_ids": [str(world.physician.external_id), str(world.nurse.external_id)],
        "decisions": "Keep the plan; review pain in a week.",
    }


def _alert(world: World, actor: Any) -> None:
    from hearth.monitoring import services as monitoring

    check_in = monitoring.record_check_in(
        actor=world.family, patient=world.patient, help_requested=True, note="Breathless"
    )
    world.alert = world.patient.alerts.get()  # type: ignore[attr-defined]
    assert check_in.help_requested


def _triaged_alert(world: World, actor: Any) -> None:
    from hearth.monitoring import services as monitoring

    _alert(world, actor)
    monitoring.triage_alert(
        actor=world.nurse,
        alert=world.alert,  # type: ignore[attr-defined]
        outcome="advice_by_phone",
        note="Advised",
    )


def _device(world: World, actor: Any) -> None:
    from hearth.monitoring import services as monitoring

    world.device, _token = monitoring.register_device(  # type: ignore[attr-defined]
        actor=world.nurse, patient=world.patient, kind="pulse_oximeter", label="Oximeter"
    )


def _assessment(world: World, actor: Any) -> None:
    from hearth.assessments import services as assessments

    world.assessment = assessments.record_assessment(  # type: ignore[attr-defined]
        actor=world.nurse, patient=world.patient, instrument="pps", answers={"level": 50}
    )


def _shift(world: World, actor: Any) -> None:
    from datetime import timedelta

    from hearth.monitoring import services as monitoring

    world.shift = monitoring.add_on_call_shift(  # type: ignore[attr-defined]
        actor=world.coordinator,
        role="nurse",
        staff=world.nurse,
        starts_at=clock.now(),
        ends_at=clock.now() + timedelta(hours=12),
    )


#: Physicians and nurses on patient A's team: they record clinical scales and act on alerts.
PHYSICIAN_NURSE = {"physician", "nurse"}
DEVICE_KEEPERS = {"physician", "nurse", "coordinator"}
#: Physicians and nurses anywhere, and the coordinator: the urgent-visit list.
URGENT_LIST = {"physician", "nurse", "coordinator", "clinical_lead", "outsider_nurse"}


def _shift_body(world: World, actor: Any) -> dict[str, Any]:
    from datetime import timedelta

    return {
        "role": "nurse",
        "staff_id": str(world.nurse.external_id),
        "starts_at": clock.now().isoformat(),
        "ends_at": (clock.now() + timedelta(hours=12)).isoformat(),
    }


# --- Medicines: objects the routes act on, made through the services -----------

#: Who gives medicines at home: the team's physician and nurse, and the patient's family.
MEDICINE_GIVERS = PHYSICIAN_NURSE | {"family"}


def _prn_order(world: World, actor: Any) -> None:
    """Oral morphine 5 mg as needed, written an hour ago (``world.order``)."""
    from datetime import timedelta

    from hearth.medications import services as medicines
    from hearth.medications.models import DrugRoute

    with clock.travel_to(clock.now() - timedelta(hours=1)):
        world.order = medicines.prescribe(  # type: ignore[attr-defined]
            actor=world.physician,
            patient=world.patient,
            drug_route=DrugRoute.objects.get(drug__name="Morphine", route="oral"),
            kind="as_needed",
            dose="5",
            indication="breakthrough pain",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
        )


def _medicine_sign_off(world: World, actor: Any) -> None:
    from datetime import timedelta

    from hearth.medications import services as medicines

    world.sign_off = medicines.sign_off_caregiver(  # type: ignore[attr-defined]
        actor=world.nurse,
        patient=world.patient,
        caregiver=world.family,
        route="oral",
        signed_off_on=clock.today(),
        expires_on=clock.today() + timedelta(days=90),
    )


def _signed_family_prn(world: World, actor: Any) -> None:
    _prn_order(world, actor)
    _medicine_sign_off(world, actor)


def _dose_given(world: World, actor: Any) -> None:
    """A dose of ``world.order`` ten minutes ago (``world.administration``)."""
    from datetime import timedelta

    from hearth.medications import services as medicines

    _prn_order(world, actor)
    world.administration = medicines.record_administration(  # type: ignore[attr-defined]
        actor=world.nurse,
        order=world.order,  # type: ignore[attr-defined]
        idempotency_key="matrix-dose",
        dose="5",
        route="oral",
        given_at=clock.now() - timedelta(minutes=10),
    ).administration


def _sync_review(world: World, actor: Any) -> None:
    """An offline dose too soon after the one given (``world.review``)."""
    from datetime import timedelta

    from hearth.medications import services as medicines

    _dose_given(world, actor)
    moment = clock.now() - timedelta(minutes=5)
    world.review = medicines.record_administration(  # type: ignore[attr-defined]
        actor=world.nurse,
        order=world.order,  # type: ignore[attr-defined]
        idempotency_key="matrix-offline",
        dose="5",
        route="oral",
        given_at=moment,
        recorded_offline=True,
        device_recorded_at=moment,
        client_id="matrix-phone",
    ).review


def _stock_discrepancy(world: World, actor: Any) -> None:
    from hearth.medications import services as medicines
    from hearth.medications.models import Formulation

    solution = Formulation.objects.get(
        drug_route__drug__name="Morphine", drug_route__route="oral", strength="10 mg/5 ml"
    )
    for movement, quantity in (("received", "10"), ("counted", "9")):
        medicines.record_stock(
            actor=world.nurse,
            patient=world.patient,
            formulation=solution,
            movement=movement,
            quantity=quantity,
        )


def _medicine_ids(world: World) -> dict[str, Any]:
    """The formulary rows the medicines routes name: seeded, so always there."""
    from hearth.medications.models import DrugRoute, Formulation

    morphine = DrugRoute.objects.select_related("drug").get(drug__name="Morphine", route="oral")
    solution = Formulation.objects.get(drug_route=morphine, strength="10 mg/5 ml")
    return {
        "drug_route": morphine.external_id,
        "drug": morphine.drug.external_id,
        "formulation": solution.external_id,
    }


def _prescription_body(world: World, actor: Any) -> dict[str, Any]:
    ids = _medicine_ids(world)
    return {
        "drug_route": str(ids["drug_route"]),
        "formulation": str(ids["formulation"]),
        "kind": "as_needed",
        "dose": "2.5",
        "indication": "breakthrough pain",
        "minimum_interval_minutes": 60,
        "maximum_doses_24h": 6,
    }


def _dose_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "order": str(world.order.external_id),  # type: ignore[attr-defined]
        "dose": "5",
        "route": "oral",
        "idempotency_key": "matrix-api-dose",
    }


def _medicine_sign_off_body(world: World, actor: Any) -> dict[str, Any]:
    from datetime import timedelta

    return {
        "caregiver": str(world.family.external_id),
        "route": "subcutaneous",
        "signed_off_on": clock.today().isoformat(),
        "expires_on": (clock.today() + timedelta(days=30)).isoformat(),
    }


def _stock_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "formulation": str(_medicine_ids(world)["formulation"]),
        "movement": "received",
        "quantity": "20",
    }


# --- Visits: a set Monday to plan, and the objects the routes act on -----------

#: Who plans the team's day, moves and publishes visits and tells families.
PLANNERS = {"coordinator"}
#: Who writes patient A's visit needs and books calls: the team's clinicians, the coordinator.
VISIT_NEED_KEEPERS = CLINICIANS | {"coordinator"}
#: The nurse's own day: the nurse and the coordinator (``visits.view_staff_day``).
NURSE_DAY = {"nurse", "coordinator"}
#: The matrix visit is the psychologist's: they record it, and so do the
#: team's physician and nurse (covering); the coordinator does not.
VISIT_RECORDERS = {"psychologist"} | PHYSICIAN_NURSE
#: ...and cancel it: its own staff member, the team's physician and nurse, the coordinator.
VISIT_CANCELLERS = VISIT_RECORDERS | {"coordinator"}
#: ``visits.request_visit_time``: the family, the team's clinicians and the coordinator
#: (not the administrator, the commission or a volunteer).
TIME_REQUESTERS = CLINICIANS | {"coordinator"} | PORTAL


@contextmanager
def _planning_monday() -> Iterator[None]:
    """Monday 1 March 2027 at 07:00 (the day ``planning_world`` plans), with a
    short search and straight-line travel, so each case takes little time."""
    with (
        override_settings(
            HEARTH_PLANNER_SECONDS=0.1, HEARTH_URGENT_REPLAN_SECONDS=0.1, HEARTH_OSRM_URL=""
        ),
        clock.travel_to(at(MONDAY, "07:00")),
    ):
        yield


def _visit_route(method: str, path: str, allowed: set[str], **options: Any) -> Route:
    """A visits route: every case runs on the planning Monday."""
    return Route(method, path, allowed, around=_planning_monday, **options)


def _staff_shift(world: World, actor: Any) -> None:
    """The nurse's Monday shift (``world.staff_shift``)."""
    from datetime import time

    from hearth.visits import services as visits

    world.staff_shift = visits.add_shift(  # type: ignore[attr-defined]
        actor=world.coordinator,
        staff=world.nurse,
        date=MONDAY,
        starts_at=time(8, 0),
        ends_at=time(16, 0),
    )


def _visit_need(world: World, actor: Any) -> None:
    """A daily 45-minute nurse visit for patient A (``world.visit_need``)."""
    from hearth.visits import services as visits

    world.visit_need = visits.add_visit_need(  # type: ignore[attr-defined]
        actor=world.nurse,
        patient=world.patient,
        description="Nurse visit: pain and pressure areas",
        discipline="nurse",
        duration_minutes=45,
        times=1,
        per="day",
    )


def _time_request(world: World, actor: Any) -> None:
    """The daughter asks that Monday's visits come only 09:00–12:00 (``world.time_request``)."""
    from datetime import time

    from hearth.visits import services as visits

    world.time_request = visits.request_visit_time(  # type: ignore[attr-defined]
        actor=world.family,
        patient=world.patient,
        date=MONDAY,
        kind="only",
        starts_at=time(9, 0),
        ends_at=time(12, 0),
    )


def _visit(world: World, actor: Any) -> None:
    """The psychologist's published home visit to patient A at 11:00 (``world.visit``),
    made as the planner's publishing leaves it (publishing has its own routes)."""
    from datetime import timedelta

    from django.conf import settings

    from hearth.visits.models import Visit, window_around

    start = at(MONDAY, "11:00")
    low, high = window_around(start, minutes=settings.HEARTH_FAMILY_WINDOW_MINUTES)
    world.visit = Visit.objects.create(  # type: ignore[attr-defined]
        patient=world.patient,
        staff=world.psychologist,
        kind="home_visit",
        discipline=world.psychologist.discipline,
        purpose="Psychology visit: fear of dying",
        date=MONDAY,
        sequence=1,
        planned_start=start,
        planned_end=start + timedelta(minutes=45),
        family_window_start=low,
        family_window_end=high,
    )


def _day_to_plan(world: World, actor: Any) -> None:
    """``planning_world``'s Monday: patient A on the map, the nurse and the
    physician on shift, and a daily nurse visit to plan."""
    from hearth.planning.tests import planning_world as day

    day.locate(world.patient)
    day.shift(world, world.nurse)
    day.shift(world, world.physician)
    day.profile(world.nurse, skills=["syringe_driver"])
    world.visit_need = day.need(world, world.patient)  # type: ignore[attr-defined]


def _draft_plan(world: World, actor: Any) -> None:
    """Monday planned as a draft (``world.day_plan``, ``world.planned_visit``)."""
    from hearth.planning import planner

    _day_to_plan(world, actor)
    world.day_plan = planner.plan_day(actor=world.coordinator, date=MONDAY)  # type: ignore[attr-defined]
    world.planned_visit = world.day_plan.planned_visits.get()  # type: ignore[attr-defined]


def _published_plan(world: World, actor: Any) -> None:
    """Monday's plan published: the nurse's visit to patient A (``world.published_visit``)."""
    from hearth.planning import planner

    _draft_plan(world, actor)
    (world.published_visit,) = planner.publish_plan(  # type: ignore[attr-defined]
        actor=world.coordinator,
        plan=world.day_plan,  # type: ignore[attr-defined]
    )


def _waiting_urgent_visit(world: World, actor: Any) -> None:
    """An urgent physician visit requested after Monday was published (``world.urgent``)."""
    from hearth.visits import services as visits

    _published_plan(world, actor)
    world.urgent = visits.request_urgent_visit(  # type: ignore[attr-defined]
        actor=world.physician, patient=world.patient, reason="Pain out of control"
    )


def _time_change(world: World, actor: Any) -> None:
    """The published visit moved an hour later; the family not yet told (``world.time_change``)."""
    from datetime import timedelta

    from hearth.visits.models import VisitTimeChange

    _published_plan(world, actor)
    visit = world.published_visit  # type: ignore[attr-defined]
    world.time_change = VisitTimeChange.objects.create(  # type: ignore[attr-defined]
        visit=visit,
        old_window_start=visit.family_window_start - timedelta(hours=1),
        old_window_end=visit.family_window_end - timedelta(hours=1),
        new_window_start=visit.family_window_start,
        new_window_end=visit.family_window_end,
        old_staff=world.nurse,
        new_staff=world.nurse,
        because="An urgent visit came first.",
    )


@contextmanager
def _sunday_night() -> Iterator[None]:
    """02:34 on a Sunday: no day plan, so an urgent visit goes to the on-call physician."""
    from datetime import timedelta

    from django.utils import timezone

    from hearth.visits.tests.conftest import local

    today = timezone.localdate()
    with clock.travel_to(local(today + timedelta(days=(6 - today.weekday()) or 7), "02:34")):
        yield


def _dispatch(world: World, actor: Any) -> None:
    """The nurse, physician and clinical lead on call; an urgent physician visit
    offered to the physician on call (``world.dispatch``)."""
    from datetime import timedelta

    from hearth.monitoring import services as monitoring
    from hearth.visits import services as visits
    from hearth.visits.models import Dispatch

    now = clock.now()
    for role, person in (
        ("nurse", world.nurse),
        ("physician", world.physician),
        ("clinical_lead", world.clinical_lead),
    ):
        monitoring.add_on_call_shift(
            actor=world.coordinator,
            role=role,
            staff=person,
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=8),
        )
    request = visits.request_urgent_visit(
        actor=world.nurse, patient=world.patient, reason="Agitated, in pain"
    )
    world.dispatch = Dispatch.objects.get(request=request)  # type: ignore[attr-defined]


def _accepted_dispatch(world: World, actor: Any) -> None:
    from hearth.visits import services as visits

    _dispatch(world, actor)
    world.dispatch = visits.accept_dispatch(  # type: ignore[attr-defined]
        actor=world.physician,
        dispatch=world.dispatch,  # type: ignore[attr-defined]
    )


def _arrived_dispatch(world: World, actor: Any) -> None:
    from hearth.visits import services as visits

    _accepted_dispatch(world, actor)
    world.dispatch = visits.arrive_at_dispatch(  # type: ignore[attr-defined]
        actor=world.physician,
        dispatch=world.dispatch,  # type: ignore[attr-defined]
    )


def _dispatch_route(method: str, path: str, allowed: set[str], **options: Any) -> Route:
    """A dispatch route, at night. The dispatch is the on-call physician's:
    the coordinator and the clinical lead see it; staff who may not are
    refused (the clinical lead and an outsider too: a dispatch is not opened
    by emergency access)."""
    return Route(
        method,
        path,
        allowed,
        around=_sunday_night,
        refused=dict.fromkeys(EMERGENCY_USERS, FORBIDDEN),
        page_refused=dict.fromkeys(EMERGENCY_USERS, PAGE_FORBIDDEN),
        **options,
    )


#: Who sees one dispatch: the physician it is offered to, the coordinator, the clinical lead.
DISPATCH_VIEWERS = {"physician", "coordinator", "clinical_lead"}


def _monday_body(world: World, actor: Any) -> dict[str, Any]:
    return {"date": MONDAY.isoformat()}


def _teleconsult_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "staff_id": str(world.physician.external_id),
        "starts_at": at(MONDAY, "14:00").isoformat(),
        "duration_minutes": 30,
        "video_link": "https://video.example.org/alice-able",
    }


def _close_body(world: World, actor: Any) -> dict[str, Any]:
    return {
        "arrived_at": at(MONDAY, "06:10").isoformat(),
        "departed_at": at(MONDAY, "06:50").isoformat(),
        "actions_taken": "Talked through her fears; she slept better after.",
    }


def _close_form(world: World, actor: Any) -> dict[str, Any]:
    return {
        "arrived_at": f"{MONDAY.isoformat()}T06:10",
        "departed_at": f"{MONDAY.isoformat()}T06:50",
        "actions_taken": "Talked through her fears; she slept better after.",
    }


API_ROUTES: list[Route] = [
    Route("GET", "/api/v1/me", SIGNED_IN),
    Route("GET", "/api/v1/staff", STAFF),
    Route("GET", "/api/v1/me/tokens", SIGNED_IN),
    Route("POST", "/api/v1/me/tokens", SIGNED_IN, body=lambda w, a: {"name": "phone"}),
    Route("POST", "/api/v1/me/tokens/{token}/revoke", SIGNED_IN),
    Route("POST", "/api/v1/me/sign-out-everywhere", SIGNED_IN),
    Route("GET", "/api/v1/security-policy", {"administrator"}),
    Route(
        "PUT",
        "/api/v1/security-policy",
        {"administrator"},
        body=lambda w, a: {"require_staff_mfa": False},
    ),
    Route("GET", "/api/v1/patients", SIGNED_IN),
    Route("POST", "/api/v1/referrals", REFERRERS, body=_referral_body),
    Route("GET", "/api/v1/patients/{patient}", OPENERS | PORTAL),
    Route(
        "PATCH", "/api/v1/patients/{patient}", RECORD_KEEPERS, body=lambda w, a: {"city": "Leeds"}
    ),
    Route(
        "POST",
        "/api/v1/patients/{patient}/diagnoses",
        {"physician", "nurse"},
        body=lambda w, a: {"icd10_code": "R52", "text": "Pain", "group": "cancer"},
    ),
    Route(
        "POST",
        "/api/v1/diagnoses/{diagnosis}/entered-in-error",
        {"physician", "nurse"},
        body=lambda w, a: {"reason": "Wrong patient"},
    ),
    Route(
        "POST",
        "/api/v1/patients/{patient}/referrals",
        (REFERRERS & (ON_TEAM | SERVICE_WIDE)) | PORTAL,
        stage=EpisodeState.CLOSED,
        body=lambda w, a: referral_details(),
    ),
    Route("GET", "/api/v1/patients/{patient}/episodes", OPENERS),
    Route("GET", "/api/v1/episodes/{episode}", OPENERS),
    Route(
        "POST",
        "/api/v1/episodes/{episode}/screenings",
        {"physician", "nurse", "coordinator"},
        stage=EpisodeState.REFERRED,
        body=lambda w, a: {
            "general_indicators": ["poor_performance"],
            "conclusion": "Eligible",
            "outcome": "refer_to_commission",
        },
        refused=COMMISSION_OUT_OF_ITS_STAGE,
    ),
    Route(
        "POST",
        "/api/v1/episodes/{episode}/commission-decisions",
        {"commission_member"},
        stage=EpisodeState.AWAITING_COMMISSION,
        body=_decision_body,
    ),
    Route(
        "POST", "/api/v1/episodes/{episode}/admit", {"physician", "coordinator"}, stage="granted"
    ),
    Route(
        "POST",
        "/api/v1/episodes/{episode}/discharge",
        {"physician", "coordinator"},
        body=lambda w, a: {"reason": "moved_away"},
    ),
    Route(
        "POST",
        "/api/v1/episodes/{episode}/death",
        {"physician", "nurse"},
        body=lambda w, a: {"died_at": clock.now().isoformat(), "place_of_death": "home"},
    ),
    Route(
        "POST",
        "/api/v1/episodes/{episode}/bereavement",
        BEREAVEMENT_TEAM,
        stage=EpisodeState.DECEASED,
        refused=COMMISSION_OUT_OF_ITS_STAGE,
    ),
    Route(
        "POST",
        "/api/v1/episodes/{episode}/close",
        {"physician", "coordinator"},
        stage=EpisodeState.DISCHARGED,
        body=lambda w, a: {"note": "Closed"},
        refused=COMMISSION_OUT_OF_ITS_STAGE,
    ),
    Route("GET", "/api/v1/patients/{patient}/care-team", OPENERS | PORTAL),
    Route(
        "POST",
        "/api/v1/patients/{patient}/care-team",
        {"coordinator"},
        body=lambda w, a: {"staff_id": str(w.outsider_nurse.external_id), "role": "nurse"},
    ),
    Route("POST", "/api/v1/care-team/{assignment}/end", {"coordinator"}),
    Route("GET", "/api/v1/patients/{patient}/caregivers", OPENERS | PORTAL),
    Route(
        "POST",
        "/api/v1/patients/{patient}/caregivers",
        RECORD_KEEPERS,
        body=lambda w, a: {
            "username": "new.family",
            "password": "a-long-family-password-7",
            "first_name": "New",
            "last_name": "Family",
            "relationship": "niece",
        },
    ),
    Route(
        "POST",
        "/api/v1/caregivers/{caregiver}/end",
        RECORD_KEEPERS,
        body=lambda w, a: {"reason": "Moved abroad"},
    ),
    Route(
        "POST",
        "/api/v1/patients/{patient}/emergency-access",
        EMERGENCY_USERS,
        body=lambda w, a: {"reason": "Called at 3 a.m., the team is unreachable."},
        # People who can already open the record are told so; a volunteer is
        # told it is not found, like everything else about patient A.
        refused=dict.fromkeys(STAFF - EMERGENCY_USERS - {"volunteer"}, (409, "conflict")),
    ),
    Route("GET", "/api/v1/emergency-access", {"clinical_lead"}),
    Route(
        "POST",
        "/api/v1/emergency-access/{grant}/review",
        {"clinical_lead"},
        body=lambda w, a: {"outcome": "appropriate"},
        prepare=_grant_for_outsider,
    ),
    Route("GET", "/api/v1/patients/{patient}/timeline", OPENERS),
    Route(
        "GET",
        "/api/v1/patients/{patient}/audit",
        {"administrator"},
        # Only the administrator reads it: emergency access would not let them in.
        refused=dict.fromkeys(EMERGENCY_USERS, FORBIDDEN),
    ),
    Route("GET", "/api/v1/commission/queue", {"commission_member"}),
    # What matters to me
    Route("GET", "/api/v1/patients/{patient}/profile", OPENERS | PORTAL),
    Route("GET", "/api/v1/patients/{patient}/profile/{section}/history", OPENERS | PORTAL),
    Route(
        "PUT",
        "/api/v1/patients/{patient}/profile/{section}",
        PROFILE_KEEPERS,
        body=lambda w, a: {"favourite_foods": "Dates and mint tea"},
    ),
    Route(
        "POST",
        "/api/v1/patients/{patient}/weekly-windows",
        PROFILE_KEEPERS,
        body=lambda w, a: {
            "kind": "do_not_disturb",
            "label": "Afternoon rest",
            "weekdays": [0, 1, 2, 3, 4],
            "starts_at": "14:00",
            "ends_at": "15:30",
        },
    ),
    Route("POST", "/api/v1/weekly-windows/{window}/remove", PROFILE_KEEPERS, prepare=_care),
    Route(
        "POST",
        "/api/v1/patients/{patient}/legacy-items",
        PROFILE_KEEPERS,
        body=lambda w, a: {"kind": "letters", "title": "Letters for the grandchildren"},
    ),
    Route(
        "PATCH",
        "/api/v1/legacy-items/{legacy_item}",
        PROFILE_KEEPERS,
        prepare=_care,
        body=lambda w, a: {"status": "in_progress"},
    ),
    Route("GET", "/api/v1/patients/{patient}/profile-proposals", OPENERS | PORTAL),
    Route(
        "POST",
        "/api/v1/patients/{patient}/profile-proposals",
        PORTAL,
        body=lambda w, a: {"section": "home", "text": "Mum likes the window open."},
    ),
    Route(
        "POST",
        "/api/v1/profile-proposals/{proposal}/accept",
        PROFILE_KEEPERS,
        prepare=_care,
        body=lambda w, a: {"response": "Thank you, added."},
    ),
    Route(
        "POST",
        "/api/v1/profile-proposals/{proposal}/decline",
        PROFILE_KEEPERS,
        prepare=_care,
        body=lambda w, a: {"response": "We wrote this under food instead."},
    ),
    Route("GET", "/api/v1/patients/{patient}/about-me.pdf", OPENERS | PORTAL),
    # Holistic assessment and care plan
    Route("GET", "/api/v1/patients/{patient}/holistic-assessments", OPENERS),
    Route(
        "POST",
        "/api/v1/patients/{patient}/holistic-assessments",
        CLINICIANS,
        body=lambda w, a: {
            "assessed_on": clock.today().isoformat(),
            "needs": [{"domain": "spiritual", "description": "Fear of dying", "severity": 2}],
        },
    ),
    Route("GET", "/api/v1/patients/{patient}/care-plans", OPENERS),
    Route(
        "POST", "/api/v1/patients/{patient}/care-plans", CLINICIANS, prepare=_care_without_drafts
    ),
    Route("GET", "/api/v1/patients/{patient}/care-plan-summary", OPENERS | PORTAL, prepare=_care),
    Route("GET", "/api/v1/care-plans/{plan}", OPENERS, prepare=_care),
    Route(
        "PATCH",
        "/api/v1/care-plans/{plan}",
        CLINICIANS,
        prepare=_care,
        body=lambda w, a: {"summary": "Comfort at home, with her family."},
    ),
    Route(
        "POST",
        "/api/v1/care-plans/{plan}/needs",
        CLINICIANS,
        prepare=_care,
        body=lambda w, a: {"domain": "social", "description": "Isolated", "severity": 1},
    ),
    Route(
        "POST",
        "/api/v1/plan-needs/{need}/goals",
        CLINICIANS,
        prepare=_care,
        body=lambda w, a: {"in_own_words": "Rest", "measurable_target": "Sleeps 6 hours"},
    ),
    Route(
        "POST",
        "/api/v1/plan-goals/{goal}/interventions",
        CLINICIANS,
        prepare=_care,
        body=_intervention_body,
    ),
    Route("POST", "/api/v1/plan-needs/{need}/remove", CLINICIANS, prepare=_care),
    Route("POST", "/api/v1/plan-goals/{goal}/remove", CLINICIANS, prepare=_care),
    Route("POST", "/api/v1/plan-interventions/{intervention}/remove", CLINICIANS, prepare=_care),
    Route("POST", "/api/v1/care-plans/{plan}/activate", CLINICIANS, prepare=_care),
    Route("POST", "/api/v1/care-plans/{plan}/discard", CLINICIANS, prepare=_care),
    Route("GET", "/api/v1/care-plans/{plan}/diff", OPENERS, prepare=_care),
    Route("GET", "/api/v1/care-plans/{plan}/pdf", OPENERS, prepare=_care),
    Route("GET", "/api/v1/patients/{patient}/team-meetings", OPENERS),
    Route("POST", "/api/v1/patients/{patient}/team-meetings", CLINICIANS, body=_meeting_body),
    # Advance care plan
    Route("GET", "/api/v1/patients/{patient}/advance-care-plans", OPENERS | PORTAL),
    Route(
        "POST",
        "/api/v1/patients/{patient}/advance-care-plans",
        ACP_WRITERS,
        prepare=_care_without_drafts,
    ),
    Route("GET", "/api/v1/advance-care-plans/{acp}", OPENERS | PORTAL, prepare=_care),
    Route(
        "PATCH",
        "/api/v1/advance-care-plans/{acp_draft}",
        ACP_WRITERS,
        prepare=_care,
        body=lambda w, a: {"antibiotics": "consider"},
    ),
    Route(
        "POST",
        "/api/v1/advance-care-plans/{acp_draft}/sign",
        {"physician"},
        prepare=_care,
    ),
    Route("GET", "/api/v1/advance-care-plans/{acp}/pdf", OPENERS | PORTAL, prepare=_care),
    Route("GET", "/api/v1/patients/{patient}/emergency-summary", OPENERS | PORTAL),
    # Instruments, scores and phases
    Route("GET", "/api/v1/instruments", SIGNED_IN),
    Route("GET", "/api/v1/patients/{patient}/assessments", OPENERS),
    Route(
        "POST",
        "/api/v1/patients/{patient}/assessments",
        CLINICIANS | PORTAL,
        body=lambda w, a: {"instrument": "esas_r", "answers": {"pain": 3, "nausea": 1}},
    ),
    Route(
        "POST",
        "/api/v1/assessments/{assessment}/entered-in-error",
        PHYSICIAN_NURSE,
        prepare=_assessment,
        body=lambda w, a: {"reason": "Wrong patient"},
    ),
    Route("GET", "/api/v1/patients/{patient}/phases", OPENERS),
    Route(
        "POST",
        "/api/v1/patients/{patient}/phases",
        PHYSICIAN_NURSE,
        body=lambda w, a: {"phase": "deteriorating", "note": "Weaker this week"},
    ),
    # Check-ins, devices, readings, thresholds
    Route("GET", "/api/v1/patients/{patient}/check-ins", OPENERS | PORTAL),
    Route(
        "POST",
        "/api/v1/patients/{patient}/check-ins",
        PHYSICIAN_NURSE | PORTAL,
        body=lambda w, a: {"esas": {"pain": 2, "anxiety": 4}, "note": "A calm day"},
    ),
    Route("GET", "/api/v1/patients/{patient}/devices", DEVICE_KEEPERS),
    Route(
        "POST",
        "/api/v1/patients/{patient}/devices",
        DEVICE_KEEPERS,
        body=lambda w, a: {"kind": "thermometer", "label": "Thermometer"},
    ),
    Route("POST", "/api/v1/devices/{device}/revoke", DEVICE_KEEPERS, prepare=_device),
    # Only a device token writes readings: no person, whatever their role.
    Route(
        "POST",
        "/api/v1/observations",
        set(),
        body=lambda w, a: {"readings": []},
        refused=dict.fromkeys(SIGNED_IN, NOT_SIGNED_IN),  # a session is no device token
    ),
    Route("GET", "/api/v1/patients/{patient}/observations", OPENERS),
    Route("GET", "/api/v1/patients/{patient}/thresholds", OPENERS),
    Route(
        "PUT",
        "/api/v1/patients/{patient}/thresholds",
        {"physician"},
        body=lambda w, a: {"esas_item_threshold": 6, "reason": "Pain is her main worry."},
    ),
    # Alerts and on call
    Route("GET", "/api/v1/alerts", STAFF),
    Route("GET", "/api/v1/alerts/{alert}", OPENERS, prepare=_alert),
    # Only the SMS gateway, with its shared token, posts text replies: no person.
    Route(
        "POST",
        "/api/v1/alerts/sms-replies",
        set(),
        body=lambda w, a: {"from": "+447911123456", "text": "ACK 1234"},
        refused=dict.fromkeys(ROLES, (401, "bad_token")),
    ),
    Route("POST", "/api/v1/alerts/{alert}/acknowledge", PHYSICIAN_NURSE, prepare=_alert),
    Route(
        "POST",
        "/api/v1/alerts/{alert}/triage",
        PHYSICIAN_NURSE,
        prepare=_alert,
        body=lambda w, a: {"outcome": "teleconsult", "note": "Video call at 3 p.m."},
    ),
    Route(
        "POST",
        "/api/v1/alerts/{alert}/resolve",
        PHYSICIAN_NURSE,
        prepare=_triaged_alert,
        body=lambda w, a: {"note": "Settled after advice."},
    ),
    Route("GET", "/api/v1/on-call", STAFF),
    Route("POST", "/api/v1/on-call", {"coordinator"}, body=_shift_body),
    Route("POST", "/api/v1/on-call/{shift}/cancel", {"coordinator"}, prepare=_shift),
    # Urgent visits
    Route(
        "GET",
        "/api/v1/urgent-visit-requests",
        URGENT_LIST,
        # The list exists only for those who go or plan (monitoring's own tests).
        refused=dict.fromkeys(STAFF - URGENT_LIST - EMERGENCY_USERS, NOT_FOUND),
    ),
    Route(
        "POST",
        "/api/v1/patients/{patient}/urgent-visit-requests",
        DEVICE_KEEPERS,
        body=lambda w, a: {"reason": "Pain out of control since the morning."},
    ),
    # Urgent visits with the clinician on call
    _dispatch_route("GET", "/api/v1/dispatches", URGENT_LIST, prepare=_dispatch),
    _dispatch_route("GET", "/api/v1/dispatches/{dispatch}", DISPATCH_VIEWERS, prepare=_dispatch),
    _dispatch_route(
        "POST",
        "/api/v1/dispatches/{dispatch}/accept",
        {"physician", "clinical_lead"},
        prepare=_dispatch,
    ),
    _dispatch_route(
        "POST",
        "/api/v1/dispatches/{dispatch}/decline",
        {"physician"},
        prepare=_dispatch,
        body=lambda w, a: {"reason": "At another home"},
    ),
    _dispatch_route(
        "POST",
        "/api/v1/dispatches/{dispatch}/on-the-way",
        {"physician"},
        prepare=_accepted_dispatch,
        body=lambda w, a: {"expected_arrival": clock.now().isoformat()},
    ),
    _dispatch_route(
        "POST", "/api/v1/dispatches/{dispatch}/arrived", {"physician"}, prepare=_accepted_dispatch
    ),
    _dispatch_route(
        "POST",
        "/api/v1/dispatches/{dispatch}/done",
        {"physician"},
        prepare=_arrived_dispatch,
        body=lambda w, a: {"note": "Settled."},
    ),
    # Medicines: formulary
    Route("GET", "/api/v1/formulary", STAFF),
    Route(
        "PATCH",
        "/api/v1/formulary/routes/{drug_route}",
        {"administrator"},
        body=lambda w, a: {"source": "Local guideline 2026", "reason": "Agreed locally"},
    ),
    Route(
        "PATCH",
        "/api/v1/formulary/drugs/{drug}",
        {"administrator"},
        body=lambda w, a: {"warning": "Check kidney function", "reason": "Local guideline"},
    ),
    # Medicines: prescriptions and the opioid summary
    Route("GET", "/api/v1/patients/{patient}/medication-orders", OPENERS),
    Route(
        "POST",
        "/api/v1/patients/{patient}/medication-orders",
        {"physician"},
        body=_prescription_body,
    ),
    Route("GET", "/api/v1/medication-orders/{order}", OPENERS, prepare=_prn_order),
    Route(
        "POST",
        "/api/v1/medication-orders/{order}/change",
        {"physician"},
        prepare=_prn_order,
        # 10 mg for an opioid-naive person: the physician confirms (medications.dose_safety).
        body=lambda w, a: {
            "dose": "10",
            "reason": "Pain not controlled",
            "confirmation_reason": "Reviewed",
        },
    ),
    Route(
        "POST",
        "/api/v1/medication-orders/{order}/stop",
        {"physician"},
        prepare=_prn_order,
        body=lambda w, a: {"reason": "Pain settled"},
    ),
    Route("GET", "/api/v1/patients/{patient}/opioid-summary", OPENERS),
    # Medicines: the administration record and the offline-sync review queue
    Route("GET", "/api/v1/patients/{patient}/administrations", OPENERS),
    Route(
        "POST",
        "/api/v1/patients/{patient}/administrations",
        MEDICINE_GIVERS,
        prepare=_signed_family_prn,
        body=_dose_body,
    ),
    Route(
        "POST",
        "/api/v1/administrations/{administration}/entered-in-error",
        PHYSICIAN_NURSE,
        prepare=_dose_given,
        body=lambda w, a: {"reason": "Recorded against the wrong order"},
    ),
    Route("GET", "/api/v1/patients/{patient}/sync-reviews", OPENERS),
    Route(
        "POST",
        "/api/v1/sync-reviews/{review}/resolve",
        PHYSICIAN_NURSE,
        prepare=_sync_review,
        body=lambda w, a: {"decision": "duplicate", "note": "The same dose, phoned the nurse."},
    ),
    # Medicines: family sign-off, the controlled-drug register, the home chart
    Route("GET", "/api/v1/patients/{patient}/medicine-sign-offs", OPENERS),
    Route(
        "POST",
        "/api/v1/patients/{patient}/medicine-sign-offs",
        PHYSICIAN_NURSE,
        body=_medicine_sign_off_body,
    ),
    Route(
        "POST",
        "/api/v1/medicine-sign-offs/{sign_off}/revoke",
        PHYSICIAN_NURSE,
        prepare=_medicine_sign_off,
        body=lambda w, a: {"reason": "Not confident any more"},
    ),
    Route("GET", "/api/v1/patients/{patient}/controlled-drugs", OPENERS),
    Route(
        "GET",
        "/api/v1/patients/{patient}/controlled-drugs/{formulation}/entries",
        OPENERS,
        prepare=_stock_discrepancy,
    ),
    Route("POST", "/api/v1/patients/{patient}/controlled-drugs", PHYSICIAN_NURSE, body=_stock_body),
    Route(
        "POST",
        "/api/v1/patients/{patient}/controlled-drugs/{formulation}/close-discrepancy",
        PHYSICIAN_NURSE,
        prepare=_stock_discrepancy,
        body=lambda w, a: {"note": "Spilled, confirmed with the daughter."},
    ),
    Route("GET", "/api/v1/patients/{patient}/medication-chart", OPENERS | PORTAL),
    # Visits: staff availability (the coordinator; anyone else sees their own row)
    _visit_route("GET", "/api/v1/staff-availability", STAFF, prepare=_staff_shift),
    _visit_route(
        "PUT",
        "/api/v1/staff/{staff}/planning-profile",
        PLANNERS,
        body=lambda w, a: {"skills": ["syringe_driver"], "max_visits_per_day": 6},
    ),
    _visit_route(
        "POST",
        "/api/v1/staff/{staff}/shifts",
        PLANNERS,
        body=lambda w, a: {"date": MONDAY.isoformat(), "starts_at": "08:00", "ends_at": "16:00"},
    ),
    _visit_route("POST", "/api/v1/shifts/{staff_shift}/cancel", PLANNERS, prepare=_staff_shift),
    _visit_route("DELETE", "/api/v1/shifts/{staff_shift}", PLANNERS, prepare=_staff_shift),
    # Visits: a person's visit needs, the family's time requests, calls
    _visit_route("GET", "/api/v1/patients/{patient}/visits", OPENERS, prepare=_visit),
    _visit_route("GET", "/api/v1/patients/{patient}/visits/past", OPENERS, prepare=_visit),
    _visit_route(
        "POST",
        "/api/v1/patients/{patient}/visit-needs",
        VISIT_NEED_KEEPERS,
        body=lambda w, a: {
            "description": "Nurse visit: syringe driver",
            "discipline": "nurse",
            "skills": ["syringe_driver"],
            "duration_minutes": 45,
            "times": 1,
            "per": "day",
        },
    ),
    _visit_route(
        "POST",
        "/api/v1/patients/{patient}/visit-needs/from-care-plan",
        VISIT_NEED_KEEPERS,
        prepare=_care_without_drafts,
    ),
    _visit_route(
        "POST", "/api/v1/visit-needs/{visit_need}/end", VISIT_NEED_KEEPERS, prepare=_visit_need
    ),
    _visit_route(
        "POST",
        "/api/v1/patients/{patient}/visit-time-requests",
        TIME_REQUESTERS,
        body=lambda w, a: {
            "date": MONDAY.isoformat(),
            "kind": "not",
            "starts_at": "13:00",
            "ends_at": "15:00",
            "note": "Hospital appointment",
        },
    ),
    _visit_route(
        "POST",
        "/api/v1/visit-time-requests/{time_request}/withdraw",
        TIME_REQUESTERS,
        prepare=_time_request,
    ),
    _visit_route(
        "POST",
        "/api/v1/patients/{patient}/teleconsults",
        VISIT_NEED_KEEPERS,
        body=_teleconsult_body,
    ),
    # Visits: the visit record
    _visit_route("GET", "/api/v1/visits/{visit}", OPENERS, prepare=_visit),
    _visit_route("POST", "/api/v1/visits/{visit}/arrive", VISIT_RECORDERS, prepare=_visit),
    _visit_route(
        "POST",
        "/api/v1/visits/{visit}/notes",
        VISIT_RECORDERS,
        prepare=_visit,
        body=lambda w, a: {"text": "Calmer today; wants to talk to her son."},
    ),
    _visit_route(
        "POST", "/api/v1/visits/{visit}/close", VISIT_RECORDERS, prepare=_visit, body=_close_body
    ),
    _visit_route(
        "POST",
        "/api/v1/visits/{visit}/cancel",
        VISIT_CANCELLERS,
        prepare=_visit,
        body=lambda w, a: {"reason": "She is in hospital today."},
    ),
    _visit_route(
        "GET",
        "/api/v1/portal/visits",
        PORTAL_PAGES,
        prepare=_time_request,
        refused=PORTAL_ONLY_FOR_STAFF,
    ),
    # Visits: planning the day
    _visit_route("POST", "/api/v1/visit-plans", PLANNERS, prepare=_day_to_plan, body=_monday_body),
    _visit_route("GET", "/api/v1/visit-plans/{day_plan}", PLANNERS, prepare=_draft_plan),
    _visit_route("POST", "/api/v1/visit-plans/{day_plan}/publish", PLANNERS, prepare=_draft_plan),
    _visit_route(
        "POST",
        "/api/v1/planned-visits/{planned_visit}/move",
        PLANNERS,
        prepare=_draft_plan,
        body=lambda w, a: {
            "staff_id": str(w.nurse.external_id),
            "start": at(MONDAY, "10:00").isoformat(),
        },
    ),
    _visit_route(
        "POST",
        "/api/v1/urgent-visit-requests/{urgent}/insert",
        PLANNERS,
        prepare=_waiting_urgent_visit,
    ),
    _visit_route(
        "GET",
        "/api/v1/staff/{staff}/day",
        NURSE_DAY,
        prepare=_published_plan,
        # Someone else's day is not found for staff who may not plan it.
        refused=dict.fromkeys(STAFF - NURSE_DAY, NOT_FOUND),
    ),
    _visit_route(
        "POST",
        "/api/v1/visit-time-changes/{time_change}/family-told",
        PLANNERS,
        prepare=_time_change,
    ),
]

#: Pages: GET shows the page (200) only to those who may use it.
PAGE_ROUTES: list[Route] = [
    Route("GET", "/portal/", PORTAL | {"other_family"}),
    # A volunteer's worklist is their own page: their assignments, each opening its brief.
    Route(
        "GET",
        "/patients/",
        STAFF - {"volunteer"},
        page_refused={"volunteer": (302, "/volunteers/me/")},
    ),
    Route("GET", "/patients/refer/", REFERRERS),
    Route("GET", "/patients/{patient}/", OPENERS),
    Route("GET", "/patients/{patient}/edit/", RECORD_KEEPERS),
    Route("GET", "/patients/{patient}/diagnoses/add/", {"physician", "nurse"}),
    Route("GET", "/patients/{patient}/caregivers/add/", RECORD_KEEPERS),
    Route(
        "GET",
        "/patients/{patient}/refer-again/",
        REFERRERS & (ON_TEAM | SERVICE_WIDE),
        stage=EpisodeState.CLOSED,
    ),
    Route("GET", "/patients/{patient}/care-team/", {"coordinator"}),
    Route("GET", "/patients/{patient}/emergency-access/", EMERGENCY_USERS),
    Route("GET", "/patients/{patient}/audit/", {"administrator"}),
    Route(
        "GET",
        "/episodes/{episode}/screening/",
        {"physician", "nurse", "coordinator"},
        stage=EpisodeState.REFERRED,
    ),
    Route(
        "GET",
        "/episodes/{episode}/decision/",
        {"commission_member"},
        stage=EpisodeState.AWAITING_COMMISSION,
    ),
    Route("GET", "/episodes/{episode}/admit/", {"physician", "coordinator"}, stage="granted"),
    Route("GET", "/episodes/{episode}/discharge/", {"physician", "coordinator"}),
    Route("GET", "/episodes/{episode}/death/", {"physician", "nurse"}),
    Route("GET", "/episodes/{episode}/bereavement/", BEREAVEMENT_TEAM, stage=EpisodeState.DECEASED),
    Route(
        "GET",
        "/episodes/{episode}/close/",
        {"physician", "coordinator"},
        stage=EpisodeState.DISCHARGED,
    ),
    Route("GET", "/commission/", {"commission_member"}),
    Route("GET", "/emergency-access/review/", {"clinical_lead"}),
    Route("GET", "/account/", SIGNED_IN),
    Route("GET", "/account/security-policy/", {"administrator"}),
    # Writes that only exist as POST on a page: success is a redirect back.
    Route(
        "POST",
        "/care-team/{assignment}/end/",
        {"coordinator"},
        ok=(302,),
        body=lambda w, a: {"confirmed": "yes"},
    ),
    Route(
        "POST",
        "/emergency-access/{grant}/review/",
        {"clinical_lead"},
        ok=(302,),
        body=lambda w, a: {"outcome": "appropriate"},
        prepare=_grant_for_outsider,
    ),
    Route("POST", "/account/tokens/{token}/revoke/", SIGNED_IN, ok=(302,)),
    Route("POST", "/account/sign-out-everywhere/", SIGNED_IN, ok=(302,), key="signs_out"),
    # What matters to me
    Route("GET", "/patients/{patient}/profile/", OPENERS),
    Route("GET", "/patients/{patient}/profile/windows/add/", PROFILE_KEEPERS),
    Route("GET", "/patients/{patient}/profile/legacy/add/", PROFILE_KEEPERS),
    Route("GET", "/patients/{patient}/profile/{section}/", PROFILE_KEEPERS),
    Route("GET", "/patients/{patient}/profile/{section}/history/", OPENERS),
    Route("GET", "/patients/{patient}/about-me.pdf", OPENERS | PORTAL),
    Route("POST", "/weekly-windows/{window}/remove/", PROFILE_KEEPERS, ok=(302,), prepare=_care),
    Route("GET", "/legacy-items/{legacy_item}/edit/", PROFILE_KEEPERS, prepare=_care),
    Route(
        "POST",
        "/profile-proposals/{proposal}/accept/",
        PROFILE_KEEPERS,
        ok=(302,),
        prepare=_care,
        body=lambda w, a: {"response": "Thank you."},
    ),
    Route(
        "POST",
        "/profile-proposals/{proposal}/decline/",
        PROFILE_KEEPERS,
        ok=(302,),
        prepare=_care,
        body=lambda w, a: {"response": "Written under food."},
    ),
    Route("GET", "/portal/profile/", PORTAL_PAGES),
    Route("GET", "/portal/profile/propose/", PORTAL_PAGES),
    # Care plan
    Route("GET", "/patients/{patient}/care-plan/", OPENERS, prepare=_care),
    Route("GET", "/patients/{patient}/care-plan/assessments/add/", CLINICIANS),
    Route("GET", "/patients/{patient}/care-plan/start/", CLINICIANS),
    Route("GET", "/patients/{patient}/team-meetings/add/", CLINICIANS, prepare=_care),
    Route("GET", "/care-plans/{plan}/", OPENERS, prepare=_care),
    Route("GET", "/care-plans/{plan}/edit/", CLINICIANS, prepare=_care),
    Route("GET", "/care-plans/{plan}/needs/add/", CLINICIANS, prepare=_care),
    Route("POST", "/care-plans/{plan}/activate/", CLINICIANS, ok=(302,), prepare=_care),
    Route("POST", "/care-plans/{plan}/discard/", CLINICIANS, ok=(302,), prepare=_care),
    Route("GET", "/care-plans/{plan}/diff/", OPENERS, prepare=_care),
    Route("GET", "/care-plans/{plan}/pdf/", OPENERS, prepare=_care),
    Route("GET", "/plan-needs/{need}/goals/add/", CLINICIANS, prepare=_care),
    Route("GET", "/plan-goals/{goal}/interventions/add/", CLINICIANS, prepare=_care),
    Route(
        "POST",
        "/plan-items/{kind}/{intervention}/remove/",
        CLINICIANS,
        ok=(302,),
        prepare=_care,
    ),
    Route("GET", "/portal/care-plan/", PORTAL_PAGES, prepare=_care),
    # Advance care plan and the emergency summary
    Route("GET", "/patients/{patient}/advance-care-plan/", OPENERS, prepare=_care),
    Route(
        "POST",
        "/patients/{patient}/advance-care-plan/start/",
        ACP_WRITERS,
        ok=(302,),
        prepare=_care_without_drafts,
    ),
    Route("GET", "/advance-care-plans/{acp}/", OPENERS, prepare=_care),
    Route("GET", "/advance-care-plans/{acp_draft}/edit/", ACP_WRITERS, prepare=_care),
    Route("GET", "/advance-care-plans/{acp_draft}/sign/", {"physician"}, prepare=_care),
    Route("GET", "/advance-care-plans/{acp}/pdf/", OPENERS | PORTAL, prepare=_care),
    Route("GET", "/patients/{patient}/emergency/", OPENERS, prepare=_care),
    # Symptoms, alerts, on call
    Route("GET", "/patients/{patient}/symptoms/", OPENERS),
    Route("GET", "/patients/{patient}/assessments/{instrument}/add/", PHYSICIAN_NURSE),
    Route("GET", "/patients/{patient}/phase/", PHYSICIAN_NURSE),
    Route("GET", "/patients/{patient}/thresholds/", {"physician"}),
    Route("GET", "/patients/{patient}/devices/", DEVICE_KEEPERS),
    Route("GET", "/patients/{patient}/urgent-visit/", DEVICE_KEEPERS),
    Route("POST", "/devices/{device}/revoke/", DEVICE_KEEPERS, ok=(302,), prepare=_device),
    Route("GET", "/alerts/", STAFF),
    # The menu's count of open alerts; a volunteer (no record, no badge) gets nothing.
    Route(
        "GET",
        "/alerts/count/",
        STAFF - {"volunteer"},
        page_refused={"volunteer": (204, "")},
    ),
    Route("GET", "/alerts/{alert}/", OPENERS, prepare=_alert),
    Route("POST", "/alerts/{alert}/acknowledge/", PHYSICIAN_NURSE, ok=(302,), prepare=_alert),
    Route("GET", "/alerts/{alert}/triage/", PHYSICIAN_NURSE, prepare=_alert),
    Route("GET", "/alerts/{alert}/resolve/", PHYSICIAN_NURSE, prepare=_triaged_alert),
    Route("GET", "/on-call/", STAFF),
    Route("GET", "/on-call/add/", {"coordinator"}),
    Route("POST", "/on-call/{shift}/cancel/", {"coordinator"}, ok=(302,), prepare=_shift),
    Route("GET", "/visits/urgent/", URGENT_LIST),
    _dispatch_route("GET", "/visits/dispatches/", URGENT_LIST, prepare=_dispatch),
    _dispatch_route("GET", "/visits/dispatch/{dispatch}/", DISPATCH_VIEWERS, prepare=_dispatch),
    Route("GET", "/portal/check-in/", PORTAL_PAGES),
    Route("GET", "/portal/check-ins/", PORTAL_PAGES),
    Route("GET", "/portal/help/", PORTAL_PAGES),
    # Medicines pages
    Route("GET", "/patients/{patient}/medicines/", OPENERS),
    Route("GET", "/patients/{patient}/medicines/prescribe/", {"physician"}),
    Route("GET", "/patients/{patient}/medicines/give/", PHYSICIAN_NURSE),
    Route("GET", "/patients/{patient}/medicines/sign-off/", PHYSICIAN_NURSE),
    Route("GET", "/patients/{patient}/medicines/chart.pdf", OPENERS),
    Route("GET", "/patients/{patient}/medicines/controlled-drugs/", PHYSICIAN_NURSE),
    Route(
        "GET",
        "/patients/{patient}/medicines/controlled-drugs/{formulation}/",
        PHYSICIAN_NURSE,
        prepare=_stock_discrepancy,
    ),
    Route(
        "GET",
        "/patients/{patient}/medicines/controlled-drugs/{formulation}/close/",
        PHYSICIAN_NURSE,
        prepare=_stock_discrepancy,
    ),
    Route("GET", "/medicines/orders/{order}/", OPENERS, prepare=_prn_order),
    Route("GET", "/medicines/orders/{order}/change/", {"physician"}, prepare=_prn_order),
    Route("GET", "/medicines/orders/{order}/stop/", {"physician"}, prepare=_prn_order),
    Route(
        "GET",
        "/medicines/doses/{administration}/entered-in-error/",
        PHYSICIAN_NURSE,
        prepare=_dose_given,
    ),
    Route("GET", "/medicines/reviews/{review}/", PHYSICIAN_NURSE, prepare=_sync_review),
    Route(
        "GET",
        "/medicines/sign-offs/{sign_off}/withdraw/",
        PHYSICIAN_NURSE,
        prepare=_medicine_sign_off,
    ),
    Route("GET", "/formulary/", STAFF),
    Route("GET", "/formulary/{drug_route}/", {"administrator"}),
    Route("GET", "/portal/medicines/", PORTAL_PAGES),
    # Recording a dose: the family of a patient (the service then checks the sign-off).
    Route("GET", "/portal/medicines/give/", {"family", "other_family"}),
    Route("GET", "/portal/medicines/chart.pdf", PORTAL_PAGES),
    # Visits: staff availability
    _visit_route("GET", "/visits/staff/", STAFF, prepare=_staff_shift),
    _visit_route("GET", "/visits/staff/{staff}/profile/", PLANNERS),
    _visit_route("GET", "/visits/staff/{staff}/shifts/add/", PLANNERS),
    _visit_route(
        "POST",
        "/visits/shifts/{staff_shift}/cancel/",
        PLANNERS,
        ok=(302,),
        prepare=_staff_shift,
        body=lambda w, a: {"confirmed": "yes"},
    ),
    # Visits: a person's visits
    _visit_route("GET", "/patients/{patient}/visits/", OPENERS, prepare=_visit),
    _visit_route("GET", "/patients/{patient}/visits/needs/add/", VISIT_NEED_KEEPERS),
    _visit_route(
        "POST",
        "/patients/{patient}/visits/needs/from-care-plan/",
        VISIT_NEED_KEEPERS,
        ok=(302,),
        prepare=_care_without_drafts,
    ),
    # The staff pages for a family's time request (the family use the portal).
    _visit_route("GET", "/patients/{patient}/visits/time-requests/add/", TIME_REQUESTERS - PORTAL),
    _visit_route("GET", "/patients/{patient}/visits/teleconsults/add/", VISIT_NEED_KEEPERS),
    _visit_route("GET", "/visits/needs/{visit_need}/end/", VISIT_NEED_KEEPERS, prepare=_visit_need),
    _visit_route(
        "GET",
        "/visits/time-requests/{time_request}/withdraw/",
        TIME_REQUESTERS - PORTAL,
        prepare=_time_request,
    ),
    # Visits: the visit record
    _visit_route("GET", "/visits/{visit}/", OPENERS, prepare=_visit),
    _visit_route("POST", "/visits/{visit}/arrive/", VISIT_RECORDERS, ok=(302,), prepare=_visit),
    _visit_route(
        "POST",
        "/visits/{visit}/notes/",
        VISIT_RECORDERS,
        ok=(302,),
        prepare=_visit,
        body=lambda w, a: {"text": "Calmer today; wants to talk to her son."},
    ),
    _visit_route(
        "POST",
        "/visits/{visit}/close/",
        VISIT_RECORDERS,
        ok=(302,),
        prepare=_visit,
        body=_close_form,
    ),
    _visit_route("GET", "/visits/{visit}/cancel/", VISIT_CANCELLERS, prepare=_visit),
    _visit_route("GET", "/portal/visits/", PORTAL_PAGES, prepare=_time_request),
    # Withdrawing on the portal: the family and the patient of patient A (staff use their page).
    _visit_route(
        "POST",
        "/portal/visits/requests/{time_request}/withdraw/",
        PORTAL,
        ok=(302,),
        prepare=_time_request,
    ),
    # Visits: planning the day
    _visit_route("GET", "/visits/plan/", PLANNERS, prepare=_draft_plan, body=_monday_body),
    _visit_route(
        "POST",
        "/visits/plan/run/",
        PLANNERS,
        ok=(302,),
        prepare=_day_to_plan,
        body=_monday_body,
    ),
    _visit_route(
        "POST",
        "/visits/plan/{day_plan}/publish/",
        PLANNERS,
        ok=(302,),
        prepare=_draft_plan,
        body=lambda w, a: {"confirmed": "yes"},
    ),
    _visit_route("GET", "/visits/planned/{planned_visit}/move/", PLANNERS, prepare=_draft_plan),
    _visit_route(
        "POST",
        "/visits/urgent/{urgent}/insert/",
        PLANNERS,
        ok=(302,),
        prepare=_waiting_urgent_visit,
    ),
    _visit_route(
        "POST",
        "/visits/time-changes/{time_change}/family-told/",
        PLANNERS,
        ok=(302,),
        prepare=_time_change,
    ),
    _visit_route("GET", "/visits/my-day/", STAFF, prepare=_published_plan),
    _visit_route("GET", "/visits/staff/{staff}/day/", NURSE_DAY, prepare=_published_plan),
]
#: Page routes outside the table, with the reason.
#: Apps that declare their own routes in ``hearth/<app>/tests/matrix_routes.py``.
ROUTE_MODULES = [
    "equipment",
    "directory",
    "volunteers",
    "caregiving",
    "bereavement",
    "team",
    "notifications",
    "careplans",
    "allergies",
]
for _app in ROUTE_MODULES:
    _module = importlib.import_module(f"hearth.{_app}.tests.matrix_routes")
    API_ROUTES += _module.API_ROUTES
    PAGE_ROUTES += _module.PAGE_ROUTES

PAGES_NOT_IN_TABLE = {
    "home": "redirects everyone to their own start page",
}


def _fill(path: str, world: World, actor: Any) -> str:
    """The path for ``actor``: the objects it names are looked up once per
    route (its world is shared by the roles that try it); a token is the
    actor's own."""
    known: dict[str, dict[str, Any]] = world.__dict__.setdefault("path_values", {})
    if path not in known:
        known[path] = _path_values(path, world)
    values = dict(known[path])
    if "{token}" in path:
        owner = actor or world.coordinator
        token, _secret = issue_api_token(actor=owner, name="matrix")
        values["token"] = token.external_id
    return path.format(**values)


def _path_values(path: str, world: World) -> dict[str, Any]:
    values: dict[str, Any] = {
        "patient": world.patient.external_id,
        "episode": world.episode.external_id,
        "diagnosis": world.patient.diagnoses.first().external_id,  # type: ignore[union-attr]
        "assignment": world.patient.care_team.filter(staff=world.volunteer).get().external_id,
        "caregiver": world.patient.caregivers.get(user=world.family).external_id,
    }
    care = getattr(world, "care", None)
    if care is not None:
        values.update(
            window=care.window.external_id,
            legacy_item=care.legacy_item.external_id,
            proposal=care.proposal.external_id,
            plan=(care.draft_plan or care.active_plan).external_id,
            acp=care.acp.external_id,
        )
        if care.draft_plan is not None:
            values.update(
                need=care.need.external_id,
                goal=care.goal.external_id,
                intervention=care.intervention.external_id,
                acp_draft=care.acp_draft.external_id,
            )
    values.update(section="diet", kind="intervention", instrument="pps")
    for name in ("alert", "device", "assessment", "shift"):
        if hasattr(world, name):
            values[name] = getattr(world, name).external_id
    # Medicines: objects a prepare= function made, and the seeded formulary rows.
    for name in ("order", "administration", "review", "sign_off"):
        if getattr(world, name, None) is not None:
            values[name] = getattr(world, name).external_id
    if any(f"{{{name}}}" in path for name in ("drug_route", "drug", "formulation")):
        values.update(_medicine_ids(world))
    # Visits: objects a prepare= function made (planned visits and time changes
    # have no external id yet, so they are named by their integer id).
    for name in ("staff_shift", "visit_need", "time_request", "visit", "day_plan", "urgent"):
        if getattr(world, name, None) is not None:
            values[name] = getattr(world, name).external_id
    for name in ("planned_visit", "time_change"):
        if getattr(world, name, None) is not None:
            values[name] = getattr(world, name).pk
    values["staff"] = world.nurse.external_id
    # Objects an app's prepare= function put on the world, named as in the path.
    for name in re.findall(r"\{([a-z_]+)\}", path):
        found = getattr(world, name, None)
        if name not in values and found is not None:
            values[name] = getattr(found, "external_id", None) or found.pk
    if "{grant}" in path:
        values["grant"] = world.patient.emergency_accesses.get().external_id
    return values


def _case_ids(routes: list[Route]) -> list[tuple[Route, str]]:
    return [(route, role) for route in routes for role in ROLES]


def _perform(world: World, client_for: Any, route: Route, role: str, *, api: bool) -> Any:
    """Make the request as ``role`` on patient A at the route's stage."""
    actor = None if role == "anonymous" else getattr(world, role)
    path = _fill(route.path, world, actor)
    body = (route.body(world, actor) if route.body else None) or {}
    method = getattr(client_for(actor), route.method.lower())
    if api:
        return method(path, data=body, content_type="application/json")
    return method(path, data=body)


@pytest.mark.parametrize(
    ("route", "role"),
    _case_ids(API_ROUTES),
    ids=[f"{r.method} {r.path} as {role}" for r, role in _case_ids(API_ROUTES)],
)
def test_api_route_access(route_world: World, client_for: Any, route: Route, role: str) -> None:
    response = _perform(route_world, client_for, route, role, api=True)
    if role in route.allowed:
        assert response.status_code in route.ok, response.content
    else:
        status, code = expected_api_refusal(route, role)
        assert (response.status_code, response.json().get("code")) == (status, code), (
            response.content
        )
        assert set(response.json()) >= {"detail", "code"}


@pytest.mark.parametrize(
    ("route", "role"),
    _case_ids(PAGE_ROUTES),
    ids=[f"{r.method} {r.path} as {role}" for r, role in _case_ids(PAGE_ROUTES)],
)
def test_page_access(route_world: World, client_for: Any, route: Route, role: str) -> None:
    response = _perform(route_world, client_for, route, role, api=False)
    ok = route.ok if route.method == "POST" else (200,)
    if role in route.allowed:
        assert response.status_code in ok, response.content[:500]
        if response.status_code == 302 and route.key != "signs_out":
            assert "/accounts/login/" not in response["Location"]
            assert response["Location"] not in ("/portal/", "/patients/")
    else:
        status, clue = expected_page_refusal(_with_page_exceptions(route), role)
        assert response.status_code == status, response.content[:500]
        if status == 302:
            assert clue in response["Location"], response["Location"]
        elif clue:
            assert clue in response.content.decode(), response.content[:500]


#: Write pages of the patients, care plan and profile apps that refuse staff
#: outside the caseload on the spot, naming emergency access (the API answers
#: them ``emergency_access_available``).
REFUSE_OUTSIDERS_ON_THE_PAGE = {
    ("GET", "/patients/{patient}/edit/"),
    ("GET", "/patients/{patient}/diagnoses/add/"),
    ("GET", "/patients/{patient}/caregivers/add/"),
    ("GET", "/patients/{patient}/refer-again/"),
    ("GET", "/patients/{patient}/care-team/"),
    ("GET", "/episodes/{episode}/screening/"),
    ("GET", "/episodes/{episode}/decision/"),
    ("GET", "/episodes/{episode}/admit/"),
    ("GET", "/episodes/{episode}/discharge/"),
    ("GET", "/episodes/{episode}/death/"),
    ("GET", "/episodes/{episode}/bereavement/"),
    ("GET", "/episodes/{episode}/close/"),
    ("POST", "/care-team/{assignment}/end/"),
    ("POST", "/weekly-windows/{window}/remove/"),
    ("POST", "/profile-proposals/{proposal}/accept/"),
    ("POST", "/profile-proposals/{proposal}/decline/"),
    ("POST", "/care-plans/{plan}/activate/"),
    ("POST", "/care-plans/{plan}/discard/"),
    ("POST", "/plan-items/{kind}/{intervention}/remove/"),
    ("POST", "/patients/{patient}/advance-care-plan/start/"),
}
#: Pages refused differently from their class of role, with the reason.
PAGE_EXCEPTIONS: dict[tuple[str, str], dict[str, PageRefusal]] = {
    # Only the administrator reads who opened a record: emergency access would not help.
    ("GET", "/patients/{patient}/audit/"): dict.fromkeys(EMERGENCY_USERS, PAGE_FORBIDDEN),
    # The commission sees a patient only while its decision is awaited.
    ("GET", "/patients/{patient}/refer-again/"): COMMISSION_PAGE_OUT_OF_ITS_STAGE,
    ("GET", "/episodes/{episode}/screening/"): COMMISSION_PAGE_OUT_OF_ITS_STAGE,
    ("GET", "/episodes/{episode}/bereavement/"): COMMISSION_PAGE_OUT_OF_ITS_STAGE,
    ("GET", "/episodes/{episode}/close/"): COMMISSION_PAGE_OUT_OF_ITS_STAGE,
    # Staff who can already open the record are taken to it (a volunteer: not found).
    ("GET", "/patients/{patient}/emergency-access/"): dict.fromkeys(
        STAFF - EMERGENCY_USERS - {"volunteer"}, (302, "/patients/")
    ),
    # The security policy is the administrator's page, refused to everyone else.
    ("GET", "/account/security-policy/"): dict.fromkeys(PORTAL_SIGN_INS, PAGE_FORBIDDEN),
    # A retired directory entry is not found outside the staff who keep it.
    ("GET", "/directory/entries/{retired_entry}/"): dict.fromkeys(PORTAL_SIGN_INS, PAGE_NOT_FOUND),
    # Patient A's printouts, which their family may open, are not found for another family.
    ("GET", "/patients/{patient}/about-me.pdf"): {"other_family": PAGE_NOT_FOUND},
    ("GET", "/advance-care-plans/{acp}/pdf/"): {"other_family": PAGE_NOT_FOUND},
}
#: Family portal pages for the carer: the patient's own sign-in is told they are not for them.
for _path in (
    "/portal/medicines/give/",
    "/portal/training/",
    "/portal/training/{skill}/",
    "/portal/support/respite/",
    "/portal/support/respite/{respite}/cancel/",
    "/portal/bereavement/",
):
    PAGE_EXCEPTIONS[("GET", _path)] = {"patient_user": PAGE_FORBIDDEN}
# A volunteer's assignment opens through patient A's record (not found for a volunteer).
for _method, _path in (
    ("GET", "/volunteers/assignments/{volunteer_assignment}/start/"),
    ("POST", "/volunteers/assignments/{volunteer_assignment}/start/"),
    ("GET", "/volunteers/assignments/{volunteer_assignment}/end/"),
):
    PAGE_EXCEPTIONS[(_method, _path)] = {
        **dict.fromkeys(EMERGENCY_USERS, TO_EMERGENCY_ACCESS),
        "volunteer": PAGE_NOT_FOUND,
    }
# Debriefs are the team's own: emergency access to the record does not reach them.
for _path in ("/patients/{patient}/debriefs/", "/patients/{patient}/debriefs/add/"):
    PAGE_EXCEPTIONS[("GET", _path)] = {"outsider_nurse": PAGE_FORBIDDEN}
# Someone else's training record or reminder is not found.
PAGE_EXCEPTIONS[("GET", "/team/training/{record}/withdraw/")] = dict.fromkeys(
    STAFF - {"nurse", "coordinator", "administrator", "clinical_lead"}, PAGE_NOT_FOUND
)
PAGE_EXCEPTIONS[("POST", "/team/reminders/{reminder}/dismiss/")] = dict.fromkeys(
    STAFF - {"nurse"}, PAGE_NOT_FOUND
)


def _with_page_exceptions(route: Route) -> Route:
    refused = dict(route.page_refused)
    if (route.method, route.path) in REFUSE_OUTSIDERS_ON_THE_PAGE:
        refused.update(dict.fromkeys(EMERGENCY_USERS, NAMES_EMERGENCY_ACCESS))
    refused.update(PAGE_EXCEPTIONS.get((route.method, route.path), {}))
    return dataclasses.replace(route, page_refused=refused)


def _declared(path: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "{}", path)


def test_every_api_route_is_declared() -> None:
    schema = api.get_openapi_schema()
    actual = {
        (method.upper(), _declared("/api/v1" + path.removeprefix("/api/v1")))
        for path, operations in schema["paths"].items()
        for method in operations
    }
    declared = {(r.method, _declared(r.path)) for r in API_ROUTES}
    assert actual == declared


def _page_patterns(resolvers: list[Any], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            namespace = getattr(entry, "namespace", None)
            text = str(entry.pattern)
            if namespace in ("api", "admin") or text.startswith(("accounts/", "admin/", "i18n/")):
                continue
            if text.startswith("api/"):
                continue
            found |= _page_patterns(entry.url_patterns, prefix + text)
        elif isinstance(entry, URLPattern):
            if entry.name in PAGES_NOT_IN_TABLE or entry.name == "health":
                continue
            found.add("/" + prefix + re.sub(r"<[^>]+>", "{}", str(entry.pattern)))
    return found


def test_every_page_is_declared() -> None:
    declared = {_declared(r.path) for r in PAGE_ROUTES}
    assert _page_patterns(get_resolver().url_patterns) == declared


def test_a_volunteer_reaches_nothing_about_a_patient_but_the_brief() -> None:
    """Least privilege (issue 18): a route about patient A that lets the
    volunteer in must be the brief; a new route cannot quietly add them."""
    let_in = {
        (route.method, route.path)
        for route in API_ROUTES + PAGE_ROUTES
        if route.about_patient() and "volunteer" in route.allowed
    }
    assert let_in == VOLUNTEER_ROUTES_ABOUT_A_PATIENT
