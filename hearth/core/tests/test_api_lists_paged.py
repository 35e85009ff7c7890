"""Issue 21, the rest of the API: a person's record (check-ins), a service-wide
list (the staff directory) and an audited work queue (the commission's) come a
page at a time. Following ``next`` reads every row once, in order; a bad
cursor, or one taken from another list, is a 400 ``bad_cursor``; an audited
list audits only the patients of the page it served."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from hearth.accounts.models import User, UserKind
from hearth.conftest import World, patient_details, referral_details
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditEvent
from hearth.monitoring import services as monitoring
from hearth.monitoring.models import CheckIn
from hearth.patients import services as patients
from hearth.patients.models import Episode


def _walk(client: Any, url: str) -> list[dict[str, Any]]:
    """Every page from ``url`` to the one whose ``next`` is null."""
    pages: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.content
        pages.append(response.json())
        next_url = pages[-1]["next"]
        assert len(pages) < 50, "the pages never end"
    return pages


def _cursor_of(page: dict[str, Any]) -> str:
    return parse_qs(urlsplit(page["next"]).query)["cursor"][0]


def test_a_persons_check_ins_page_back_to_the_first_once_each(
    active: World, client_for: Any
) -> None:
    for number in range(7):
        monitoring.record_check_in(
            actor=active.family,
            patient=active.patient,
            note=f"Day {number}: a quiet night.",
            idempotency_key=f"paged-{number}",
        )
    expected = [
        str(external_id)
        for external_id in CheckIn.objects.filter(patient=active.patient)
        .order_by("-submitted_at", "-id")
        .values_list("external_id", flat=True)
    ]
    assert len(expected) >= 7
    url = f"/api/v1/patients/{active.patient.external_id}/check-ins?limit=3"
    pages = _walk(client_for(active.nurse), url)
    seen = [row["id"] for page in pages for row in page["items"]]
    assert seen == expected  # newest first, nothing repeated, nothing lost
    assert len(pages) == -(-len(expected) // 3) and pages[-1]["next"] is None
    # The family reads the same pages of their own patient.
    assert [
        row["id"] for page in _walk(client_for(active.family), url) for row in page["items"]
    ] == (expected)
    # The permission check is the record's, as before: an outsider is refused.
    assert client_for(active.outsider_nurse).get(url).status_code == 403


def test_the_staff_directory_pages_by_name_and_refuses_a_bad_or_foreign_cursor(
    world: World, client_for: Any
) -> None:
    client = client_for(world.nurse)
    expected = [
        str(external_id)
        for external_id in User.objects.filter(kind=UserKind.STAFF, is_active=True)
        .order_by("last_name", "first_name", "id")
        .values_list("external_id", flat=True)
    ]
    assert len(expected) > 4
    pages = _walk(client, "/api/v1/staff?limit=4")
    assert [row["id"] for page in pages for row in page["items"]] == expected
    assert len(pages) >= 2

    bad = client.get("/api/v1/staff", {"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_cursor"
    edited = client.get("/api/v1/staff", {"cursor": _cursor_of(pages[0])[:-3] + "abc"})
    assert edited.status_code == 400 and edited.json()["code"] == "bad_cursor"
    foreign = client.get("/api/v1/formulary", {"cursor": _cursor_of(pages[0])})
    assert foreign.status_code == 400 and foreign.json()["code"] == "bad_cursor"


def test_the_commission_queue_pages_and_audits_only_the_patients_it_shows(
    world: World, client_for: Any
) -> None:
    world.screen()
    for number in range(4):
        referred = patients.refer_new_patient(
            actor=world.coordinator,
            patient=patient_details(f"Q-{number}", family_name=f"Queue{number}"),
            referral=referral_details(),
        )
        world.screen(referred)
    queue = list(
        Episode.objects.filter(state="awaiting_commission")
        .order_by("opened_at", "id")
        .values_list("external_id", "patient_id")
    )
    assert len(queue) == 5
    client = client_for(world.commission_member)
    listed = AuditEventType.COMMISSION_QUEUE_LISTED.value
    before = AuditEvent.objects.filter(event_type=listed).count()

    first = client.get("/api/v1/commission/queue?limit=2").json()
    assert [row["id"] for row in first["items"]] == [str(queue[0][0]), str(queue[1][0])]
    audited = AuditEvent.objects.filter(event_type=listed).order_by("id")[before:]
    assert sorted(event.patient_id for event in audited) == sorted([queue[0][1], queue[1][1]])

    rest = _walk(client, first["next"])
    seen = [row["id"] for page in [first, *rest] for row in page["items"]]
    assert seen == [str(external_id) for external_id, _patient in queue]
    every = AuditEvent.objects.filter(event_type=listed).order_by("id")[before:]
    assert sorted(event.patient_id for event in every) == sorted(p for _e, p in queue)

    foreign = client.get("/api/v1/staff", {"cursor": _cursor_of(first)})
    assert foreign.status_code == 400 and foreign.json()["code"] == "bad_cursor"
