"""Every bad date, date-time and time sent to the API is a 422 naming the field.

Naive or date-only date-times, offsets on wall-clock times and years outside
``HEARTH_EARLIEST_YEAR``..``HEARTH_LATEST_YEAR`` were each a 500 somewhere
(assessments, phases, visit-time requests, shifts; a year-1 reading lost its
whole batch). They are refused by one set of schema types
(``hearth.core.validation``), and a device reading by its own check.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings

from hearth.accounts.models import User
from hearth.assessments.models import AssessmentResponse, PhaseOfIllness
from hearth.core import clock
from hearth.monitoring.models import Observation
from hearth.monitoring.services import register_device
from hearth.patients.models import Patient
from hearth.visits.models import Shift, VisitTimeRequest

pytestmark = pytest.mark.usefixtures("seeded_demo")

BAD_MOMENTS = {
    "2026-05-01T08:00:00": "Give a time zone",
    "2026-05-01": "Give a time zone",
    "0001-01-01T00:00:00Z": "Give a year from 1900 to 2200",
    "9999-12-31T23:59:59+00:00": "Give a year from 1900 to 2200",
}
BAD_WALL_CLOCK_TIMES = ["08:00+01:00", "08:00Z", "08:00:00-05:00"]


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _patient() -> Patient:
    return Patient.objects.get(family_name="Hassan")


def _refused(response: Any, field: str, words: str = "") -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in body["errors"], body
    assert words in " ".join(body["errors"][field]), body


@pytest.mark.parametrize("moment", BAD_MOMENTS)
def test_an_assessment_needs_an_aware_date_time_in_range(moment: str) -> None:
    before = AssessmentResponse.objects.count()
    response = _client("nurse.brennan").post(
        f"/api/v1/patients/{_patient().external_id}/assessments",
        {"instrument": "pps", "answers": {"pps": 50}, "assessed_at": moment},
        content_type="application/json",
    )
    _refused(response, "assessed_at", BAD_MOMENTS[moment])
    assert AssessmentResponse.objects.count() == before


@pytest.mark.parametrize("moment", BAD_MOMENTS)
def test_a_phase_needs_an_aware_date_time_in_range(moment: str) -> None:
    before = PhaseOfIllness.objects.count()
    response = _client("dr.okafor").post(
        f"/api/v1/patients/{_patient().external_id}/phases",
        {"phase": "unstable", "started_at": moment},
        content_type="application/json",
    )
    _refused(response, "started_at", BAD_MOMENTS[moment])
    assert PhaseOfIllness.objects.count() == before


@pytest.mark.parametrize("value", BAD_WALL_CLOCK_TIMES)
def test_a_visit_time_request_takes_wall_clock_times_only(value: str) -> None:
    day = (clock.today() + timedelta(days=2)).isoformat()
    url = f"/api/v1/patients/{_patient().external_id}/visit-time-requests"
    client = _client("family.hassan")
    for field in ("starts_at", "ends_at"):
        body = {"date": day, "kind": "only", "starts_at": "10:00", "ends_at": "12:00"}
        body[field] = value
        _refused(client.post(url, body, content_type="application/json"), field, "wall-clock")
    _refused(
        client.post(
            url,
            {"date": "0001-01-01", "kind": "only", "starts_at": "10:00", "ends_at": "12:00"},
            content_type="application/json",
        ),
        "date",
        "Give a year",
    )
    assert not VisitTimeRequest.objects.filter(patient=_patient(), date=day).exists()
    good = client.post(
        url,
        {"date": day, "kind": "only", "starts_at": "10:00", "ends_at": "12:00"},
        content_type="application/json",
    )
    assert good.status_code == 201, good.content


@pytest.mark.parametrize("value", BAD_WALL_CLOCK_TIMES)
def test_a_shift_takes_wall_clock_times_only(value: str) -> None:
    nurse = User.objects.get(username="nurse.brennan")
    before = Shift.objects.count()
    body = {"date": (clock.today() + timedelta(days=20)).isoformat(), "starts_at": value}
    body["ends_at"] = "17:00"
    response = _client("coord.lewis").post(
        f"/api/v1/staff/{nurse.external_id}/shifts", body, content_type="application/json"
    )
    _refused(response, "starts_at", "wall-clock")
    assert Shift.objects.count() == before


@override_settings(HEARTH_EARLIEST_YEAR=2000, HEARTH_LATEST_YEAR=2100)
def test_the_years_accepted_are_settings() -> None:
    response = _client("nurse.brennan").post(
        f"/api/v1/patients/{_patient().external_id}/assessments",
        {"instrument": "pps", "answers": {"pps": 50}, "assessed_at": "1999-12-31T23:00:00Z"},
        content_type="application/json",
    )
    _refused(response, "assessed_at", "Give a year from 2000 to 2100")


def test_a_reading_from_year_one_is_refused_alone_and_the_batch_is_kept() -> None:
    patient = _patient()
    _device, token = register_device(
        actor=User.objects.get(username="nurse.brennan"),
        patient=patient,
        kind="pulse_oximeter",
        label="Spare oximeter",
    )
    good_at = clock.now() - timedelta(minutes=2)
    batch = [
        {"code": "pulse", "value": 72, "unit": "/min", "observed_at": good_at.isoformat()},
        {"code": "pulse", "value": 73, "unit": "/min", "observed_at": "0001-01-01T00:30:00Z"},
        {"code": "pulse", "value": 74, "unit": "/min", "observed_at": "2201-01-01T00:00:00Z"},
    ]
    response = Client().post(
        "/api/v1/observations",
        {"readings": batch},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["stored"], body["rejected"]) == (1, 2)
    for result in body["results"][1:]:
        assert result["status"] == "rejected"
        assert "Give a year from 1900 to 2200" in " ".join(result["errors"]["observed_at"])
    assert Observation.objects.filter(patient=patient, observed_at=good_at).exists()


def test_news2_values_near_year_one_do_not_overflow() -> None:
    """An old row (stored before the check) must not take a batch down."""
    from datetime import UTC, datetime

    from hearth.monitoring.evaluation import latest_news2_values

    assert latest_news2_values(_patient(), datetime(1, 1, 1, 0, 30, tzinfo=UTC)) == {}
