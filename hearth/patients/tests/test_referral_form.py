"""The referral form guides: grouped, required fields marked, no default sex,
languages by name, numbers given by the service, an address picker whose
coordinates come from a confirmed match (a loopback search that answers like
Nominatim), typed coordinates only as a checked fallback."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

from hearth.conftest import World, patient_details, referral_details
from hearth.patients.models import Patient

DIAGNOSIS = {"icd10_code": "C34.1", "diagnosis_text": "Lung cancer", "diagnosis_group": "cancer"}


def referral_post(**overrides: Any) -> dict[str, Any]:
    details = {k: v for k, v in patient_details().items() if v is not None}
    details.pop("record_number")
    details.pop("interpreter_needed")
    return {**details, **referral_details(), **DIAGNOSIS, **overrides}


class Nominatim(BaseHTTPRequestHandler):
    """Answers /search like Nominatim: a JSON list of places."""

    places: list[dict[str, str]] = [
        {"display_name": "1 Test Street, London E1 1AA", "lat": "51.5150001", "lon": "-0.0720004"},
        {"display_name": "1 Test Street, Leeds", "lat": "53.8", "lon": "-1.55"},
        {"display_name": "nowhere", "lat": "123", "lon": "0"},  # not on the globe: dropped
    ]
    queries: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query)
        Nominatim.queries.append(query)
        body = json.dumps(self.places).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def geocoder() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Nominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Nominatim.queries = []
    url = f"http://127.0.0.1:{server.server_port}/search"
    with override_settings(HEARTH_GEOCODER_URL=url, HEARTH_GEOCODER_COUNTRIES=["GB"]):
        yield url
    server.shutdown()
    server.server_close()


def test_the_referral_form_is_grouped_and_marks_required_fields(
    world: World, client_for: Any
) -> None:
    page = client_for(world.coordinator).get("/patients/refer/").content.decode()
    legends = re.findall(r"<legend>([^<]+)</legend>", page)
    assert legends[:5] == [
        "The person",
        "Contact and language",
        "Address",
        "Diagnosis and reason for referral",
        "Who referred",
    ]
    assert "Fields marked" in page
    given = re.search(r"<label[^>]*for=\"id_given_name\"[^>]*>(.*?)</label>", page)
    assert given and 'class="required-mark"' in given.group(1)
    preferred = re.search(r"<label[^>]*for=\"id_preferred_name\"[^>]*>(.*?)</label>", page)
    assert preferred and "required-mark" not in preferred.group(1)
    assert 'name="record_number"' not in page


def test_sex_has_no_default_and_the_error_names_it(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    page = client.get("/patients/refer/").content.decode()
    sex_inputs = re.findall(r'<input type="radio" name="sex"[^>]*>', page)
    assert len(sex_inputs) == 4
    assert not any("checked" in tag for tag in sex_inputs)
    assert "---------" not in page
    # Urgency and the diagnosis group start on a prompt, not on an answer.
    for name in ("urgency", "diagnosis_group", "referrer_type"):
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
        assert select and '<option value="" selected>' in select.group(0)
    unchosen = client.post("/patients/refer/", referral_post(urgency=""))
    assert unchosen.status_code == 422
    assert "Choose how urgent the referral is." in unchosen.content.decode()
    data = referral_post()
    data.pop("sex")
    response = client.post("/patients/refer/", data)
    assert response.status_code == 422
    assert "Choose the person&#x27;s sex." in response.content.decode()
    assert not Patient.objects.filter(given_name="Ada").exists()


def test_the_language_is_picked_by_name_and_stored_as_a_code(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    page = client.get("/patients/refer/").content.decode()
    assert '<option value="ar">Arabic</option>' in page
    assert '<option value="ru">Russian</option>' in page
    world.coordinator.preferred_language = "ru"
    world.coordinator.save(update_fields=["preferred_language"])
    russian = client_for(world.coordinator).get("/patients/refer/").content.decode()
    assert '<option value="ar">Арабский</option>' in russian
    response = client.post("/patients/refer/", referral_post(preferred_language="ar"))
    assert response.status_code == 302
    patient = Patient.objects.get(given_name="Ada")
    assert patient.preferred_language == "ar"
    record = client.get(f"/patients/{patient.external_id}/").content.decode()
    assert "<dd>Арабский" in record
    refused = client.post("/patients/refer/", referral_post(preferred_language="xx"))
    assert refused.status_code == 422


def test_the_referral_page_gives_the_record_number(world: World, client_for: Any) -> None:
    client = client_for(world.coordinator)
    with override_settings(HEARTH_RECORD_NUMBER_PATTERN="W-{year}-{sequence:03d}"):
        first = client.post("/patients/refer/", referral_post(given_name="First"))
        second = client.post("/patients/refer/", referral_post(given_name="Second"))
    assert first.status_code == second.status_code == 302
    one = Patient.objects.get(given_name="First").record_number
    two = Patient.objects.get(given_name="Second").record_number
    assert re.fullmatch(r"W-\d{4}-001", one)
    assert re.fullmatch(r"W-\d{4}-002", two)


def test_without_a_geocoder_the_coordinates_are_typed_and_checked(
    world: World, client_for: Any
) -> None:
    client = client_for(world.coordinator)
    page = client.get("/patients/refer/").content.decode()
    assert '<details class="coordinates" open>' in page
    assert 'name="find_address"' not in page
    out_of_range = client.post("/patients/refer/", referral_post(latitude="91", longitude="0"))
    assert out_of_range.status_code == 422
    assert not Patient.objects.filter(given_name="Ada").exists()
    half = client.post("/patients/refer/", referral_post(latitude="51.5"))
    assert half.status_code == 422
    assert "Give both latitude and longitude, or neither." in half.content.decode()
    typed = client.post(
        "/patients/refer/", referral_post(latitude="51.507351", longitude="-0.127758")
    )
    assert typed.status_code == 302
    patient = Patient.objects.get(given_name="Ada")
    assert (patient.latitude, patient.longitude) == (Decimal("51.507351"), Decimal("-0.127758"))


def test_the_address_is_found_then_chosen_and_its_coordinates_stored(
    world: World, client_for: Any, geocoder: str
) -> None:
    client = client_for(world.coordinator)
    page = client.get("/patients/refer/").content.decode()
    assert 'name="find_address"' in page
    assert '<details class="coordinates">' in page  # the fallback starts closed
    step = client.post("/patients/refer/", {**referral_post(), "find_address": "1"})
    assert step.status_code == 200
    html = step.content.decode()
    assert not Patient.objects.filter(given_name="Ada").exists()  # nothing saved yet
    assert Nominatim.queries[-1]["q"] == ["1 Test Street, London, E1 1AA"]
    assert Nominatim.queries[-1]["countrycodes"] == ["gb"]
    assert "1 Test Street, London E1 1AA" in html
    assert "nowhere" not in html
    radios = re.findall(r'<input type="radio" name="place"[^>]*>', html)
    assert len(radios) == 2 and not any("checked" in r for r in radios)
    assert 'value="Ada"' in html  # what was typed is kept
    assert 'class="errorlist"' not in html  # no errors before the person saves
    place_for = re.search(r'name="place_for" value="([^"]*)"', html)
    assert place_for
    saved = client.post(
        "/patients/refer/",
        {**referral_post(), "place": "51.515000,-0.072000", "place_for": place_for.group(1)},
    )
    assert saved.status_code == 302
    patient = Patient.objects.get(given_name="Ada")
    assert (patient.latitude, patient.longitude) == (Decimal("51.515000"), Decimal("-0.072000"))


def test_a_place_chosen_for_another_address_is_refused(
    world: World, client_for: Any, geocoder: str
) -> None:
    response = client_for(world.coordinator).post(
        "/patients/refer/",
        {
            **referral_post(address_line="99 Other Road"),
            "place": "51.515000,-0.072000",
            "place_for": "1 Test Street, London, E1 1AA",
        },
    )
    assert response.status_code == 422
    assert "The address was changed after the place was chosen" in response.content.decode()
    assert not Patient.objects.filter(given_name="Ada").exists()


def test_a_search_that_does_not_answer_offers_the_fallback(world: World, client_for: Any) -> None:
    with override_settings(HEARTH_GEOCODER_URL="http://127.0.0.1:9/search"):
        step = client_for(world.coordinator).post(
            "/patients/refer/", {**referral_post(), "find_address": "1"}
        )
    html = step.content.decode()
    assert step.status_code == 200
    assert "The address search is not answering" in html
    assert '<details class="coordinates"' in html


def test_editing_the_address_refuses_the_old_coordinates(world: World, client_for: Any) -> None:
    patient = world.patient
    patient.latitude, patient.longitude = Decimal("51.5"), Decimal("-0.1")
    patient.save(update_fields=["latitude", "longitude"])
    data = {
        k: v
        for k, v in patient_details(
            given_name=patient.given_name,
            family_name=patient.family_name,
            latitude="51.500000",
            longitude="-0.100000",
        ).items()
        if v is not None and k not in ("record_number", "interpreter_needed")
    }
    client = client_for(world.coordinator)
    url = f"/patients/{patient.external_id}/edit/"
    moved = client.post(url, {**data, "address_line": "5 New Road"})
    assert moved.status_code == 422
    assert "the coordinates are the old address" in moved.content.decode()
    cleared = client.post(
        url, {**data, "address_line": "5 New Road", "latitude": "", "longitude": ""}
    )
    assert cleared.status_code == 302
    patient.refresh_from_db()
    assert patient.address_line == "5 New Road" and patient.latitude is None
