"""The family's home chart: read-only, what to give and when, the 24 h limit
with the team's phone; a trained family member records a dose they gave, an
untrained one is refused by the service with nothing recorded; the printed
chart in the family's language."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone
from pypdf import PdfReader

from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.medications.models import Administration, MedicationOrder
from hearth.medications.tests.conftest import give, new_key
from hearth.medications.tests.test_pages_staff import prn_since
from hearth.medications.views import chart_language

CHART = "/portal/medicines/"
GIVE = "/portal/medicines/give/"


def _pdf_text(response: Any) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert len(response.content) > 1000
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_family_reads_the_chart_with_no_edit_controls(
    active: Any,
    prn_morphine: MedicationOrder,
    regular_morphine: MedicationOrder,
    client_for: Any,
) -> None:
    response = client_for(active.family).get(CHART)
    assert response.status_code == 200
    page = response.content.decode()
    assert "breakthrough pain" in page and "pain" in page
    assert "5 mg" in page and "20 mg" in page
    assert "08:00, 20:00" in page
    assert "at least 1 hour" in page
    assert "no more than 6 doses in any 24 hours" in page
    assert "You can give a dose now if it is needed." in page
    for control in ("/change/", "/stop/", "/prescribe/", "Record a dose I gave"):
        assert control not in page  # not signed off: no recording either
    assert AuditEvent.objects.filter(event_type="home_chart.viewed").exists()


def test_the_chart_says_when_the_next_dose_may_be_given(active: Any, client_for: Any) -> None:
    prn = prn_since(active, 2)
    given = clock.now() - timedelta(minutes=20)
    give(active.nurse, prn, given_at=given)
    page = client_for(active.family).get(CHART).content.decode()
    next_dose = timezone.localtime(given + timedelta(minutes=60)).strftime("%H:%M")
    assert f"You can give the next dose from {next_dose}." in page
    assert "Do not give more." not in page


def test_the_limit_reached_box_tells_the_family_to_call_the_team(
    active: Any, client_for: Any
) -> None:
    prn = prn_since(active, 7)
    for hours in (6, 5, 4, 3, 2, 1):
        give(active.nurse, prn, given_at=clock.now() - timedelta(hours=hours))
    page = client_for(active.family).get(CHART).content.decode()
    assert "Do not give more." in page
    phone = settings.HEARTH_SERVICE_PHONE
    assert f'Call the team on <a href="tel:{phone}">{phone}</a>' in page
    assert "limit-reached" in page


def test_a_signed_off_daughter_records_a_dose_once(
    active: Any, prn_morphine: MedicationOrder, signed_family: Any, client_for: Any
) -> None:
    client = client_for(active.family)
    chart = client.get(CHART).content.decode()
    assert f"{GIVE}?order={prn_morphine.external_id}" in chart
    form = client.get(GIVE, {"order": str(prn_morphine.external_id)})
    assert form.status_code == 200
    key = form.context["form"].initial["idempotency_key"]
    data = {
        "order": str(prn_morphine.external_id),
        "outcome": "given",
        "dose": "5",
        "route": "oral",
        "idempotency_key": key,
    }
    first = client.post(GIVE, data)
    second = client.post(GIVE, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == CHART
    record = Administration.objects.get()
    assert record.recorded_by == active.family
    assert AuditEvent.objects.filter(event_type="administration.recorded").count() == 1
    after = client.get(CHART).content.decode()
    assert "You can give the next dose from" in after


def test_a_family_member_not_signed_off_is_refused_with_nothing_recorded(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    response = client_for(active.family).post(
        GIVE,
        {
            "order": str(prn_morphine.external_id),
            "outcome": "given",
            "dose": "5",
            "route": "oral",
            "idempotency_key": new_key(),
        },
    )
    assert response.status_code == 403
    assert "You have not been signed off to give medicines by mouth" in response.content.decode()
    assert not Administration.objects.exists()


def test_the_family_cannot_give_more_than_the_order(
    active: Any, prn_morphine: MedicationOrder, signed_family: Any, client_for: Any
) -> None:
    response = client_for(active.family).post(
        GIVE,
        {
            "order": str(prn_morphine.external_id),
            "outcome": "given",
            "dose": "10",
            "route": "oral",
            "idempotency_key": new_key(),
        },
    )
    assert response.status_code == 422
    assert "Only a doctor can change a dose." in response.content.decode()
    assert not Administration.objects.exists()


def test_another_family_sees_only_their_own_patients_chart(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    client = client_for(active.other_family)
    page = client.get(CHART)
    assert page.status_code == 200
    assert "breakthrough pain" not in page.content.decode()
    assert "No medicines are prescribed at the moment." in page.content.decode()
    staff_pdf = client.get(f"/patients/{active.patient.external_id}/medicines/chart.pdf")
    assert staff_pdf.status_code == 302 and staff_pdf["Location"] == "/portal/"
    refused = client.post(
        GIVE,
        {
            "order": str(prn_morphine.external_id),
            "outcome": "given",
            "dose": "5",
            "route": "oral",
            "idempotency_key": new_key(),
        },
    )
    assert refused.status_code == 422  # not one of their patient's medicines
    assert not Administration.objects.exists()


def test_staff_are_sent_to_their_own_pages_and_the_patient_reads_only(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    assert client_for(active.nurse).get(CHART)["Location"] == "/patients/"
    patient = client_for(active.patient_user)
    assert patient.get(CHART).status_code == 200
    assert patient.get(GIVE).status_code == 403


def test_the_printed_chart_for_staff_and_family(active: Any, client_for: Any) -> None:
    prn = prn_since(active, 7)
    for hours in (6, 5, 4, 3, 2, 1):
        give(active.nurse, prn, given_at=clock.now() - timedelta(hours=hours))
    staff = _pdf_text(
        client_for(active.nurse).get(f"/patients/{active.patient.external_id}/medicines/chart.pdf")
    )
    assert active.patient.full_name in staff
    assert "breakthrough pain" in staff
    assert "Do not give more." in staff
    family = _pdf_text(client_for(active.family).get("/portal/medicines/chart.pdf"))
    assert "breakthrough pain" in family
    assert AuditEvent.objects.filter(event_type="home_chart.printed").count() == 2
    assert (
        client_for(active.psychologist)
        .get(f"/patients/{active.patient.external_id}/medicines/chart.pdf")
        .status_code
        == 200
    )


def _pdf_language(response: Any) -> str:
    """The language WeasyPrint wrote into the PDF (from the page's ``lang``)."""
    _pdf_text(response)
    return str(PdfReader(io.BytesIO(response.content)).root_object.get("/Lang"))


def test_the_printed_chart_is_in_the_patients_language(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    active.patient.preferred_language = "ru"
    active.patient.save(update_fields=["preferred_language"])
    assert _pdf_language(client_for(active.family).get("/portal/medicines/chart.pdf")) == "ru"
    staff = client_for(active.nurse).get(
        f"/patients/{active.patient.external_id}/medicines/chart.pdf"
    )
    assert _pdf_language(staff) == "ru"
    # A language the service does not ship: the reader's language instead.
    active.patient.preferred_language = "ar"
    active.patient.save(update_fields=["preferred_language"])
    assert _pdf_language(client_for(active.family).get("/portal/medicines/chart.pdf")) == "en"
    client = client_for(active.family)
    client.cookies["django_language"] = "ru"
    assert _pdf_language(client.get("/portal/medicines/chart.pdf")) == "ru"


@pytest.mark.parametrize(
    ("preferred", "requested", "expected"),
    [
        ("ru", "en", "ru"),
        ("en", "ru", "en"),
        ("ar", "ru", "ru"),
        ("", "en", "en"),
        ("ru-RU", "en", "ru"),
    ],
)
def test_chart_language(active: Any, preferred: str, requested: str, expected: str) -> None:
    active.patient.preferred_language = preferred
    request = RequestFactory().get("/")
    request.LANGUAGE_CODE = requested  # type: ignore[attr-defined]
    assert chart_language(active.patient, request) == expected
