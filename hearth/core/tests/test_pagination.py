"""Every list that grows with the service comes a page at a time: page links
that keep the filters, API cursors with a ``next`` link, a clear 400 for a bad
page or cursor, the urgent patients first on page 1, and one audit event per
patient shown on the page served (not per patient in the service)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from hearth.conftest import World, patient_details, referral_details
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.monitoring import services as monitoring
from hearth.monitoring.models import Observation
from hearth.patients import services as patients
from hearth.patients.models import CareTeamAssignment, Patient


def _refer(world: World, count: int, prefix: str = "P") -> list[Patient]:
    """``count`` more patients in the service, named so they sort after A-1/B-1."""
    return [
        patients.refer_new_patient(
            actor=world.coordinator,
            patient=patient_details(
                f"{prefix}-{number}", given_name="Pat", family_name=f"Page{prefix}{number:02d}"
            ),
            referral=referral_details(),
        ).patient
        for number in range(count)
    ]


def _listed(event_type: AuditEventType, *, after: int = 0) -> list[int]:
    return list(
        AuditEvent.objects.filter(event_type=event_type.value, id__gt=after).values_list(
            "patient_id", flat=True
        )
    )


def _api_pages(client: Any, url: str) -> list[dict[str, Any]]:
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        url = pages[-1]["next"]
    return pages


@override_settings(HEARTH_PAGE_SIZE=3)
def test_it_pages_the_worklist_and_keeps_the_search_in_the_links(
    world: World, client_for: Any
) -> None:
    _refer(world, 7)  # 9 patients in the service, 7 of them "Page…"
    client = client_for(world.coordinator)
    page = client.get(reverse("worklist"), {"q": "Page", "page": 2})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Page 2 of 3" in html
    assert "Showing 4–6 of 7 entries" in html
    assert 'href="?q=Page&amp;page=3" rel="next"' in html
    assert 'href="?q=Page&amp;page=1" rel="prev"' in html
    assert html.count('class="muted">P-') == 3


@override_settings(HEARTH_PAGE_SIZE=3)
def test_a_page_past_the_end_shows_the_last_page(world: World, client_for: Any) -> None:
    _refer(world, 4)  # 6 patients: two pages
    html = client_for(world.coordinator).get(reverse("worklist"), {"page": 99}).content.decode()
    assert "Page 2 of 2" in html
    assert 'rel="next"' not in html


def test_a_page_that_is_not_a_number_is_a_clear_400(world: World, client_for: Any) -> None:
    response = client_for(world.coordinator).get(reverse("worklist"), {"page": "two", "q": "A"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "“two” is not a page number" in html
    assert 'href="?q=A"' in html  # the way back keeps the search


@override_settings(HEARTH_PAGE_SIZE=3)
def test_a_patient_with_an_urgent_alert_is_on_page_1_of_3(world: World, client_for: Any) -> None:
    """Clinical safety (L5): sorting by urgency happens across the whole
    caseload, so the last patient by name, who asked for help, heads page 1."""
    last_by_name = _refer(world, 7)[-1]  # 9 patients: three pages
    CareTeamAssignment.objects.create(
        patient=last_by_name, staff=world.nurse, role="key_nurse", assigned_by=world.coordinator
    )
    monitoring.record_check_in(
        actor=world.nurse, patient=last_by_name, help_requested=True, note="Needs help"
    )
    client = client_for(world.coordinator)
    html = client.get(reverse("worklist")).content.decode()
    assert "Page 1 of 3" in html
    first_row = html.index("<tbody>")
    assert html.index(last_by_name.record_number, first_row) < html.index("A-1", first_row)
    body = client.get("/api/v1/patients?limit=3").json()
    assert body["items"][0]["record_number"] == last_by_name.record_number


@override_settings(HEARTH_PAGE_SIZE=3)
def test_a_worklist_page_audits_only_the_patients_it_shows(world: World, client_for: Any) -> None:
    _refer(world, 7)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    client_for(world.coordinator).get(reverse("worklist"), {"page": 2})
    listed = _listed(AuditEventType.WORKLIST_LISTED, after=before)
    expected = list(
        Patient.objects.order_by("family_name", "given_name", "id").values_list("pk", flat=True)[
            3:6
        ]
    )
    assert sorted(listed) == sorted(expected)


def test_the_api_worklist_follows_next_to_every_patient_once_with_filters_kept(
    world: World, client_for: Any
) -> None:
    _refer(world, 7)
    client = client_for(world.coordinator)
    pages = _api_pages(client, "/api/v1/patients?limit=2&search=Page")
    numbers = [row["record_number"] for page in pages for row in page["items"]]
    assert numbers == [f"P-{n}" for n in range(7)]
    assert len(pages) == 4 and pages[-1]["next"] is None
    next_query = parse_qs(urlsplit(pages[0]["next"]).query)
    assert next_query["search"] == ["Page"] and next_query["limit"] == ["2"]
    assert pages[0]["next"].startswith("http://testserver/api/v1/patients?")


def test_a_bad_cursor_is_a_400_that_says_what_to_do(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    response = client.get("/api/v1/patients", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_cursor"
    assert "start again without a cursor" in response.json()["detail"]


def test_a_cursor_from_another_list_is_refused(world: World, client_for: Any) -> None:
    _refer(world, 2)
    client = client_for(world.coordinator)
    cursor = parse_qs(urlsplit(client.get("/api/v1/patients?limit=1").json()["next"]).query)
    response = client.get("/api/v1/alerts", {"cursor": cursor["cursor"][0]})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_cursor"


def test_a_limit_beyond_the_maximum_is_refused_with_the_field_named(
    world: World, client_for: Any
) -> None:
    response = client_for(world.coordinator).get("/api/v1/patients", {"limit": 501})
    assert response.status_code == 422
    assert "limit" in response.content.decode()


def test_readings_are_never_cut_off_silently(world: World, client_for: Any) -> None:
    """The observations API used to stop at 2,000 readings with no next page."""
    world.bring_to("active")
    device, _token = monitoring.register_device(
        actor=world.nurse, patient=world.patient, kind="pulse_oximeter", label="Oximeter"
    )
    now = clock.now()
    Observation.objects.bulk_create(
        Observation(
            patient=world.patient,
            device=device,
            code="pulse",
            value=60 + minute % 30,
            unit="/min",
            observed_at=now - timedelta(minutes=minute),
            received_at=now,
        )
        for minute in range(1, 26)
    )
    pages = _api_pages(
        client_for(world.nurse),
        f"/api/v1/patients/{world.patient.external_id}/observations?limit=10&code=pulse",
    )
    times = [row["observed_at"] for page in pages for row in page["items"]]
    assert [len(page["items"]) for page in pages] == [10, 10, 5]
    assert len(set(times)) == 25 and times == sorted(times, reverse=True)


@pytest.mark.parametrize("reader", ["nurse", "coordinator"])
def test_the_alerts_list_pages_most_severe_first(
    world: World, client_for: Any, reader: str
) -> None:
    world.bring_to("active")
    monitoring.record_check_in(actor=world.nurse, patient=world.patient, esas={"pain": 9})
    monitoring.record_check_in(
        actor=world.nurse, patient=world.patient, help_requested=True, note="Now"
    )
    client = client_for(getattr(world, reader))
    pages = _api_pages(client, "/api/v1/alerts?limit=1")
    severities = [row["severity"] for page in pages for row in page["items"]]
    assert severities[0] == "high" and len(severities) >= 2
    html = client.get(reverse("alerts"), {"page": 1}).content.decode()
    assert 'hx-get="/alerts/?page=1"' in html


@override_settings(HEARTH_PAGE_SIZE=2)
def test_the_audit_trail_reaches_the_oldest_event(world: World, client_for: Any) -> None:
    client = client_for(world.administrator)
    url = reverse("audit_trail", args=[world.patient.external_id])
    assert "Page 1 of" in client.get(url).content.decode()
    before = AuditEvent.objects.filter(patient_id=world.patient.pk).count()
    pages = _api_pages(client, f"/api/v1/patients/{world.patient.external_id}/audit?limit=2")
    events = [row for page in pages for row in page["items"]]
    # Everything there was, plus the first page's own "audit trail viewed"
    # event (written before it was read); the later pages' own events are
    # newer than the cursor and wait for the next reading.
    assert len(events) == before + 1
    assert len({row["id"] for row in events}) == len(events)
