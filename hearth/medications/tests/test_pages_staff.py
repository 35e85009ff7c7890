"""The staff medicines pages: what each role sees, and every form writing
through the medicines services (rows and audit events), with the service's
refusal shown on the form and nothing written."""

from __future__ import annotations

import base64
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.medications import charts, services
from hearth.medications.choices import OrderStatus, ReviewStatus
from hearth.medications.models import (
    Administration,
    MedicationOrder,
    MedicineSignOff,
    OrderVersion,
    SyncReview,
)
from hearth.medications.tests.conftest import CONFIRMED, formulary, formulation, give, new_key


def at(days: int, text: str) -> datetime:
    """Local wall-clock ``text`` on today + ``days``."""
    day = clock.today() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(text)))


def prn_since(active: Any, hours: int) -> MedicationOrder:
    """Oral morphine 5 mg as needed (60 minutes apart, 6 in 24 h), prescribed
    ``hours`` ago so doses can be dated back."""
    with clock.travel_to(clock.now() - timedelta(hours=hours)):
        return services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Morphine", "oral"),
            kind="as_needed",
            dose="5",
            indication="breakthrough pain",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
        )


def _page(active: Any) -> str:
    return f"/patients/{active.patient.external_id}/medicines/"


def _events(event_type: str) -> int:
    return AuditEvent.objects.filter(event_type=event_type).count()


# --- The medicines page ---------------------------------------------------------


def test_the_page_shows_orders_doses_and_the_prescribers_helper(
    active: Any, client_for: Any
) -> None:
    with clock.travel_to(at(1, "07:00")):
        regular = services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Morphine", "oral"),
            formulation=formulation("Morphine", "oral", "10 mg", form="mr_tablet"),
            kind="regular",
            dose="30",
            times=["08:00", "20:00"],
            indication="pain",
            confirmation_reason=CONFIRMED,
        )
    with clock.travel_to(at(1, "09:30")):
        prn = services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Oxycodone", "oral"),
            kind="as_needed",
            dose="5",
            indication="breakthrough pain",
            minimum_interval_minutes=60,
            maximum_doses_24h=6,
        )
        give(active.nurse, prn)
        response = client_for(active.physician).get(_page(active))
    assert response.status_code == 200
    page = response.content.decode()
    # Today's 08:00 dose is due, with a record button; the 20:00 one is later.
    assert f"?order={regular.external_id}&amp;slot=" in page
    assert "later today" in page
    # Regular 60 mg OME / 24 h; UK breakthrough 1/6 = 10 mg oral morphine,
    # which is 6.7 mg of oral oxycodone (factor 1.5); titration 78-90 mg.
    assert "60.0 mg / 24 h" in page
    assert "10.0 mg oral morphine" in page
    assert "as Oxycodone (By mouth): 6.7 mg" in page
    assert "78.0–90.0" in page
    assert "Oxycodone 5 mg" in page  # the dose given, in the record
    assert "data:image/svg+xml;base64," in page  # both charts are drawn, as SVG images
    assert AuditEvent.objects.filter(event_type="medicines.viewed").exists()


def test_switching_is_shown_reduced_and_labelled_not_applied(
    active: Any, regular_morphine: MedicationOrder, client_for: Any
) -> None:
    oxycodone = formulary("Oxycodone", "oral")
    response = client_for(active.physician).get(
        _page(active), {"switch_to": str(oxycodone.external_id)}
    )
    page = response.content.decode()
    # 40 mg OME / 1.5 = 26.7 mg oxycodone, reduced by 25-50 %: 13.3-20.0 mg / 24 h.
    assert "13.3–20.0 mg" in page
    assert "Shown, not applied; reduced 25–50 % for incomplete cross-tolerance." in page
    regular_morphine.refresh_from_db()
    assert regular_morphine.current is not None
    assert regular_morphine.current.dose == Decimal("20")  # nothing applied
    methadone = formulary("Methadone", "oral")
    page = (
        client_for(active.physician)
        .get(_page(active), {"switch_to": str(methadone.external_id)})
        .content.decode()
    )
    assert "no automatic conversion; ask for specialist advice" in page


def test_a_methadone_order_carries_the_specialist_warning(active: Any, client_for: Any) -> None:
    services.prescribe(
        actor=active.physician,
        patient=active.patient,
        drug_route=formulary("Methadone", "oral"),
        kind="regular",
        dose="5",
        times=["08:00"],
        indication="pain",
    )
    page = client_for(active.physician).get(_page(active)).content.decode()
    assert "Methadone has no linear ratio to morphine" in page


@pytest.mark.parametrize("role", ["nurse", "psychologist", "coordinator"])
def test_the_page_opens_for_the_team_without_prescribing_buttons(
    active: Any, prn_morphine: MedicationOrder, client_for: Any, role: str
) -> None:
    page = client_for(getattr(active, role)).get(_page(active))
    assert page.status_code == 200
    assert f"/medicines/orders/{prn_morphine.external_id}/change/" not in page.content.decode()
    physician_page = client_for(active.physician).get(_page(active)).content.decode()
    assert f"/medicines/orders/{prn_morphine.external_id}/change/" in physician_page


@pytest.mark.parametrize(
    ("role", "statuses"),
    [
        ("family", {302}),
        ("patient_user", {302}),
        ("other_family", {302}),
        ("outsider_nurse", {302}),
    ],
)
def test_the_page_is_not_for_family_or_strangers(
    active: Any, client_for: Any, role: str, statuses: set[int]
) -> None:
    response = client_for(getattr(active, role)).get(_page(active))
    assert response.status_code in statuses
    assert "/medicines/" not in response["Location"]


def test_the_order_history_shows_every_version_who_when_why(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    services.change_order(
        actor=active.physician,
        order=prn_morphine,
        reason="Pain not controlled at night",
        dose="7.5",
        indication="breakthrough pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
        confirmation_reason=CONFIRMED,
    )
    page = client_for(active.nurse).get(f"/medicines/orders/{prn_morphine.external_id}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "7.5 mg" in text and "5 mg" in text
    assert "Pain not controlled at night" in text
    assert active.physician.display_name in text
    assert client_for(active.family).get(
        f"/medicines/orders/{prn_morphine.external_id}/"
    ).status_code in (302, 403, 404)


# --- Prescribing, changing, stopping ------------------------------------------------


def _prescribe_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "drug_route": str(formulary("Morphine", "oral").external_id),
        "formulation": str(formulation("Morphine", "oral", "10 mg/5 ml").external_id),
        "kind": "as_needed",
        "dose": "5",
        "times": "",
        "every_days": "1",
        "minimum_interval_minutes": "60",
        "maximum_doses_24h": "6",
        "indication": "Breakthrough pain",
        "instructions": "Measure with the oral syringe.",
    }
    data.update(overrides)
    return data


def test_a_physician_prescribes_through_the_form(active: Any, client_for: Any) -> None:
    url = f"/patients/{active.patient.external_id}/medicines/prescribe/"
    shown = client_for(active.physician).get(url)
    assert shown.status_code == 200
    assert 'value="60"' in shown.content.decode()  # the interval is prefilled
    response = client_for(active.physician).post(url, _prescribe_form())
    assert response.status_code == 302, response.context and response.context["form"].errors
    order = MedicationOrder.objects.get()
    assert order.kind == "as_needed" and order.current is not None
    assert (order.current.dose, order.current.maximum_doses_24h) == (Decimal("5"), 6)
    assert order.current.instructions == "Measure with the oral syringe."
    assert _events("prescription.created") == 1
    # A regular order: the prefilled interval box is ignored, the times are read.
    response = client_for(active.physician).post(
        url,
        _prescribe_form(
            kind="regular",
            dose="20",
            times="08:00, 20:00",
            formulation="",
            confirmation_reason=CONFIRMED,
        ),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    regular = MedicationOrder.objects.get(kind="regular")
    assert regular.current is not None and regular.current.times == ["08:00", "20:00"]


def test_the_services_refusal_is_shown_on_the_prescribing_form(
    active: Any, client_for: Any
) -> None:
    url = f"/patients/{active.patient.external_id}/medicines/prescribe/"
    response = client_for(active.physician).post(
        url, _prescribe_form(kind="regular", times="8 o'clock")
    )
    assert response.status_code == 422
    assert "Times are HH:MM" in response.content.decode()
    assert not MedicationOrder.objects.exists()


@pytest.mark.parametrize("role", ["nurse", "psychologist", "coordinator"])
def test_only_a_physician_prescribes(active: Any, client_for: Any, role: str) -> None:
    url = f"/patients/{active.patient.external_id}/medicines/prescribe/"
    assert client_for(getattr(active, role)).get(url).status_code == 403
    response = client_for(getattr(active, role)).post(url, _prescribe_form())
    assert response.status_code == 403
    assert not MedicationOrder.objects.exists()


@pytest.mark.parametrize("role", ["family", "patient_user", "other_family"])
def test_the_family_cannot_reach_the_prescribers_pages(
    active: Any, prn_morphine: MedicationOrder, client_for: Any, role: str
) -> None:
    client = client_for(getattr(active, role))
    for url in (
        f"/patients/{active.patient.external_id}/medicines/prescribe/",
        f"/medicines/orders/{prn_morphine.external_id}/change/",
        f"/medicines/orders/{prn_morphine.external_id}/stop/",
    ):
        assert client.get(url).status_code == 302
        response = client.post(url, {"reason": "x", "dose": "50", "indication": "x"})
        assert response.status_code == 302
        assert response["Location"] == "/portal/"
    prn_morphine.refresh_from_db()
    assert prn_morphine.current is not None and prn_morphine.current.number == 1
    assert prn_morphine.status == OrderStatus.ACTIVE


def test_a_physician_changes_a_dose_from_the_prefilled_form(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    url = f"/medicines/orders/{prn_morphine.external_id}/change/"
    shown = client_for(active.physician).get(url).content.decode()
    assert 'value="5"' in shown and "breakthrough pain" in shown
    without_reason = client_for(active.physician).post(
        url,
        {
            "dose": "7.5",
            "minimum_interval_minutes": "60",
            "maximum_doses_24h": "6",
            "indication": "breakthrough pain",
        },
    )
    assert without_reason.status_code == 422
    response = client_for(active.physician).post(
        url,
        {
            "dose": "7.5",
            "minimum_interval_minutes": "60",
            "maximum_doses_24h": "6",
            "indication": "breakthrough pain",
            "reason": "Still in pain after 5 mg",
            "confirmation_reason": CONFIRMED,
            "formulation": str(formulation("Morphine", "oral", "10 mg/5 ml").external_id),
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    versions = list(OrderVersion.objects.filter(order=prn_morphine).order_by("number"))
    assert [v.dose for v in versions] == [Decimal("5"), Decimal("7.5")]
    assert versions[0].valid_until is not None
    assert versions[1].change_reason == "Still in pain after 5 mg"
    assert _events("prescription.changed") == 1
    assert client_for(active.nurse).get(url).status_code == 403


def test_a_physician_stops_an_order(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    url = f"/medicines/orders/{prn_morphine.external_id}/stop/"
    assert client_for(active.physician).post(url, {"reason": ""}).status_code == 422
    asked = client_for(active.physician).post(url, {"reason": "Pain settled"})
    assert asked.status_code == 200  # the confirmation: nothing has changed yet
    question = asked.content.decode()
    assert f"for {active.patient.full_name}?" in question and "Yes, stop this medicine" in question
    assert 'name="reason" value="Pain settled"' in question
    prn_morphine.refresh_from_db()
    assert prn_morphine.status == OrderStatus.ACTIVE
    response = client_for(active.physician).post(
        url, {"reason": "Pain settled", "confirmed": "yes"}
    )
    assert response.status_code == 302
    prn_morphine.refresh_from_db()
    assert prn_morphine.status == OrderStatus.STOPPED
    assert prn_morphine.stop_reason == "Pain settled"
    assert _events("prescription.stopped") == 1
    again = client_for(active.physician).post(url, {"reason": "Again", "confirmed": "yes"})
    assert again.status_code == 409
    assert "already stopped" in again.content.decode()
    page = client_for(active.physician).get(_page(active)).content.decode()
    assert "1 stopped order" in page


# --- Recording doses --------------------------------------------------------------


def _give_form(order: MedicationOrder, **overrides: Any) -> dict[str, Any]:
    data = {
        "order": str(order.external_id),
        "outcome": "given",
        "dose": "5",
        "route": "oral",
        "idempotency_key": new_key(),
    }
    data.update(overrides)
    return data


def test_the_give_form_prefills_the_order_and_a_one_time_key(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    url = f"/patients/{active.patient.external_id}/medicines/give/"
    first = client_for(active.nurse).get(url, {"order": str(prn_morphine.external_id)})
    second = client_for(active.nurse).get(url, {"order": str(prn_morphine.external_id)})
    assert first.status_code == 200
    assert first.context["form"].initial["dose"] == Decimal("5")
    assert first.context["form"].initial["route"] == "oral"
    keys = {r.context["form"].initial["idempotency_key"] for r in (first, second)}
    assert len(keys) == 2 and all(len(key) == 32 for key in keys)


def test_a_nurse_records_a_dose_and_a_double_submit_creates_one_record(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    url = f"/patients/{active.patient.external_id}/medicines/give/"
    data = _give_form(prn_morphine)
    first = client_for(active.nurse).post(url, data)
    second = client_for(active.nurse).post(url, data)
    assert first.status_code == second.status_code == 302
    record = Administration.objects.get()
    assert (record.dose, record.route, record.recorded_by) == (
        Decimal("5"),
        "oral",
        active.nurse,
    )
    assert _events("administration.recorded") == 1


def test_a_wrong_dose_is_refused_with_the_services_message_and_nothing_written(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    url = f"/patients/{active.patient.external_id}/medicines/give/"
    response = client_for(active.nurse).post(url, _give_form(prn_morphine, dose="10"))
    assert response.status_code == 422
    assert "The order is 5 mg, not 10 mg. Only a doctor can change a dose." in (
        response.content.decode()
    )
    wrong_route = client_for(active.nurse).post(url, _give_form(prn_morphine, route="subcutaneous"))
    assert wrong_route.status_code == 422
    assert "Only a doctor can change the route." in wrong_route.content.decode()
    assert not Administration.objects.exists()
    assert _events("administration.recorded") == 0


def test_a_dose_too_soon_is_refused_on_the_form(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    give(active.nurse, prn_morphine)
    url = f"/patients/{active.patient.external_id}/medicines/give/"
    response = client_for(active.nurse).post(url, _give_form(prn_morphine))
    assert response.status_code == 422
    assert "Too soon" in response.content.decode()
    assert Administration.objects.count() == 1


def test_a_scheduled_dose_is_recorded_against_its_slot(active: Any, client_for: Any) -> None:
    morning = at(1, "08:00")
    with clock.travel_to(at(1, "07:00")):
        order = services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Morphine", "oral"),
            kind="regular",
            dose="20",
            times=["08:00", "20:00"],
            indication="pain",
            confirmation_reason=CONFIRMED,
        )
    with clock.travel_to(at(1, "09:30")):
        url = f"/patients/{active.patient.external_id}/medicines/give/"
        slot = morning.isoformat()
        shown = client_for(active.nurse).get(url, {"order": str(order.external_id), "slot": slot})
        assert shown.context["form"].initial["scheduled_for"] == slot
        response = client_for(active.nurse).post(
            url, _give_form(order, dose="20", scheduled_for=slot)
        )
        assert response.status_code == 302, response.context and response.context["form"].errors
        not_given = client_for(active.nurse).post(
            url,
            _give_form(
                order, dose="20", scheduled_for=slot, outcome="not_given", not_given_reason="asleep"
            ),
        )
        assert not_given.status_code == 422
        assert "already recorded" in not_given.content.decode()
        page = client_for(active.nurse).get(_page(active)).content.decode()
    record = Administration.objects.get()
    assert record.scheduled_for == morning
    assert f"Given · 09:30 · {active.nurse.display_name}" in page


def test_a_scheduled_dose_not_given_needs_no_dose(active: Any, client_for: Any) -> None:
    morning = at(1, "08:00")
    with clock.travel_to(at(1, "07:00")):
        order = services.prescribe(
            actor=active.physician,
            patient=active.patient,
            drug_route=formulary("Morphine", "oral"),
            kind="regular",
            dose="20",
            times=["08:00"],
            indication="pain",
        )
    with clock.travel_to(at(1, "09:30")):
        response = client_for(active.nurse).post(
            f"/patients/{active.patient.external_id}/medicines/give/",
            _give_form(
                order,
                dose="20",  # left prefilled: ignored for a dose not given
                scheduled_for=morning.isoformat(),
                outcome="not_given",
                not_given_reason="asleep",
            ),
        )
    assert response.status_code == 302, response.context and response.context["form"].errors
    record = Administration.objects.get()
    assert (record.outcome, record.dose, record.not_given_reason) == ("not_given", None, "asleep")


@pytest.mark.parametrize("role", ["psychologist", "social_worker", "coordinator"])
def test_only_nurses_and_physicians_record_doses_among_staff(
    active: Any, prn_morphine: MedicationOrder, client_for: Any, role: str
) -> None:
    url = f"/patients/{active.patient.external_id}/medicines/give/"
    assert client_for(getattr(active, role)).get(url).status_code == 403
    assert client_for(getattr(active, role)).post(url, _give_form(prn_morphine)).status_code == 403
    assert not Administration.objects.exists()


def test_a_nurse_marks_a_dose_entered_in_error_and_it_is_struck_through(
    active: Any, prn_morphine: MedicationOrder, client_for: Any
) -> None:
    record = give(active.nurse, prn_morphine).administration
    assert record is not None
    url = f"/medicines/doses/{record.external_id}/entered-in-error/"
    assert client_for(active.psychologist).get(url).status_code == 403
    assert client_for(active.nurse).post(url, {"reason": ""}).status_code == 422
    response = client_for(active.nurse).post(url, {"reason": "Wrong patient's chart"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.entered_in_error_at is not None
    assert _events("administration.entered_in_error") == 1
    page = client_for(active.nurse).get(_page(active)).content.decode()
    assert "<s>" in page and "entered in error" in page
    assert url not in page  # no second "mark" action


def _offline_clash(active: Any, order: MedicationOrder) -> SyncReview:
    """A nurse gives a dose live; the daughter's phone syncs one 10 minutes
    earlier: too close, so it waits for a clinician."""
    give(active.nurse, order)
    earlier = clock.now() - timedelta(minutes=10)
    result = give(
        active.family,
        order,
        given_at=earlier,
        recorded_offline=True,
        device_recorded_at=earlier,
        client_id="phone-1",
    )
    assert result.review is not None
    return result.review


def test_a_nurse_resolves_an_offline_review(
    active: Any, signed_family: Any, client_for: Any
) -> None:
    review = _offline_clash(active, prn_since(active, 1))
    page = client_for(active.nurse).get(_page(active)).content.decode()
    assert f"/medicines/reviews/{review.external_id}/" in page
    url = f"/medicines/reviews/{review.external_id}/"
    assert client_for(active.psychologist).post(url, {}).status_code == 403
    assert client_for(active.nurse).post(url, {"decision": "duplicate"}).status_code == 422
    response = client_for(active.nurse).post(
        url, {"decision": "duplicate", "note": "Spoke to the daughter: same dose."}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.DUPLICATE
    assert Administration.objects.count() == 1
    assert _events("administration.reviewed") == 1


# --- Family sign-off ----------------------------------------------------------------


def test_a_nurse_signs_off_the_daughter_and_withdraws_it(active: Any, client_for: Any) -> None:
    url = f"/patients/{active.patient.external_id}/medicines/sign-off/"
    shown = client_for(active.nurse).get(url).content.decode()
    assert active.family.display_name in shown
    today = clock.today()
    response = client_for(active.nurse).post(
        url,
        {
            "caregiver": str(active.family.external_id),
            "route": "subcutaneous",
            "signed_off_on": today.isoformat(),
            "expires_on": (today + timedelta(days=60)).isoformat(),
            "note": "Gave two doses via the butterfly, watched.",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    sign_off = MedicineSignOff.objects.get()
    assert (sign_off.caregiver, sign_off.route) == (active.family, "subcutaneous")
    assert _events("medicine_sign_off.recorded") == 1
    page = client_for(active.nurse).get(_page(active)).content.decode()
    assert "Under the skin" in page
    withdraw = f"/medicines/sign-offs/{sign_off.external_id}/withdraw/"
    assert client_for(active.psychologist).get(withdraw).status_code == 403
    assert client_for(active.nurse).post(withdraw, {"reason": "Not confident"}).status_code == 302
    sign_off.refresh_from_db()
    assert sign_off.revoked_at is not None
    assert _events("medicine_sign_off.withdrawn") == 1


def test_a_sign_off_with_a_past_expiry_is_refused_on_the_form(active: Any, client_for: Any) -> None:
    today = clock.today()
    response = client_for(active.nurse).post(
        f"/patients/{active.patient.external_id}/medicines/sign-off/",
        {
            "caregiver": str(active.family.external_id),
            "route": "oral",
            "signed_off_on": (today - timedelta(days=10)).isoformat(),
            "expires_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "already have expired" in response.content.decode()
    assert not MedicineSignOff.objects.exists()


# --- Charts and the record panel ----------------------------------------------------


def test_the_charts_render_svg_images(active: Any, regular_morphine: MedicationOrder) -> None:
    prn = services.prescribe(
        actor=active.physician,
        patient=active.patient,
        drug_route=formulary("Morphine", "oral"),
        kind="as_needed",
        dose="5",
        indication="breakthrough pain",
        minimum_interval_minutes=60,
        maximum_doses_24h=6,
    )
    give(active.nurse, prn)
    ome = charts.ome_chart(active.patient)
    breakthrough = charts.breakthrough_chart(active.patient)
    for chart in (ome, breakthrough):
        assert str(chart.svg).startswith('<img class="chart-image" src="data:image/svg+xml;base64,')
    encoded = re.search(r'base64,([^"]+)"', str(ome.svg))
    assert encoded is not None
    svg = base64.b64decode(encoded.group(1)).decode()
    assert svg.startswith("<svg") and "Regular, as prescribed" in svg
    assert charts.breakthrough_chart(active.other_patient).svg == ""


def _after_four_in_the_morning() -> datetime:
    """Now, or 04:00 today if it is earlier: doses dated three hours back
    then fall on today in the service's time zone (run just after midnight,
    they fell on yesterday and today's row read 0)."""
    now = timezone.localtime(clock.now())
    return max(now, now.replace(hour=4, minute=0, second=0, microsecond=0))


def test_the_opioid_charts_carry_their_numbers_and_the_review_count(
    active: Any, regular_morphine: MedicationOrder
) -> None:
    with clock.travel_to(_after_four_in_the_morning()):
        _opioid_charts_carry_their_numbers(active)


def _opioid_charts_carry_their_numbers(active: Any) -> None:
    prn = prn_since(active, 4)
    for minutes_ago in (180, 120):
        give(active.nurse, prn, given_at=clock.now() - timedelta(minutes=minutes_ago))
    group = charts.opioid_group(active.patient)
    ome, breakthrough = group.charts
    # Titles match what is drawn: two labelled series on the OME chart, one on the other.
    assert ome.columns == ("Regular, as prescribed", "Breakthrough, given")
    assert breakthrough.columns == ("Doses given",)
    # A row per day, newest (today) first; today's two doses of 5 mg oral morphine.
    assert len(breakthrough.rows) == 14
    assert breakthrough.rows[0].values == ("2",)
    assert ome.rows[0].values[1] == "10 mg"
    assert "Latest 2 on" in breakthrough.alt
    assert "3 or more breakthrough doses in 24 hours" in breakthrough.note
    assert breakthrough.note in breakthrough.alt
    page = charts.opioid_group(active.other_patient)
    assert not page.has_data


def test_the_patient_record_shows_the_medicines_panel(active: Any, client_for: Any) -> None:
    prn = prn_since(active, 4)
    for minutes_ago in (180, 120, 60):
        moment = clock.now() - timedelta(minutes=minutes_ago)
        give(active.nurse, prn, given_at=moment)
    page = client_for(active.nurse).get(f"/patients/{active.patient.external_id}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 active order" in text
    assert "3 breakthrough doses in the last 24 hours" in text
    assert _page(active) in text
    # Both opioid charts are drawn on the record itself.
    assert "Oral morphine equivalent per 24 h (mg)" in text
    assert "Breakthrough doses per day" in text
    assert text.count("data:image/svg+xml;base64,") >= 2


def test_the_record_draws_no_opioid_chart_without_opioids(active: Any, client_for: Any) -> None:
    text = client_for(active.nurse).get(f"/patients/{active.patient.external_id}/").content.decode()
    assert "Breakthrough doses per day" not in text
