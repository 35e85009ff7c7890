"""Alert texts are stored as keys and parameters and read in each reader's
language (issue 20): the service-language text stays beside them for what is
paged or printed, and for alerts raised before keys."""

from __future__ import annotations

from typing import Any

from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from hearth.assessments import instruments
from hearth.conftest import World
from hearth.monitoring import services
from hearth.monitoring.models import Alert


def _severe_pain(world: World) -> Alert:
    services.record_check_in(
        actor=world.family, patient=world.patient, esas={"pain": 9}, idempotency_key="pain-9"
    )
    return Alert.objects.get()


def _russian(alert: Alert) -> str:
    with translation.override("ru"):
        pain = str(instruments.ESAS_R.item("pain").label)  # type: ignore[union-attr]
        return gettext("Severe symptoms: %(items)s") % {"items": f"{pain} 9"}


@override_settings(LANGUAGE_CODE="en")
def test_an_alert_raised_in_english_is_read_in_russian_by_a_russian_reader(
    active: World, client_for: Any
) -> None:
    alert = _severe_pain(active)
    assert alert.summary == "Severe symptoms: Pain 9"  # the service's language, kept
    assert alert.summary_key == "Severe symptoms: %(items)s"
    expected = _russian(alert)
    assert expected != alert.summary
    with translation.override("ru"):
        assert alert.summary_text == expected
    with translation.override("en"):
        assert alert.summary_text == "Severe symptoms: Pain 9"

    page = client_for(active.nurse)
    page.cookies["django_language"] = "ru"
    html = page.get(f"/alerts/{alert.external_id}/").content.decode()
    assert expected in html
    assert "Severe symptoms" not in html


@override_settings(LANGUAGE_CODE="en")
def test_the_api_gives_the_text_in_the_requests_language_and_the_key(
    active: World, client_for: Any
) -> None:
    alert = _severe_pain(active)
    api = client_for(active.nurse)
    api.cookies["django_language"] = "ru"
    body = api.get(f"/api/v1/alerts/{alert.external_id}").json()
    found = body.get("alert", body)
    assert found["summary"] == _russian(alert)
    assert found["summary_key"] == "Severe symptoms: %(items)s"
    assert found["summary_params"]["items"]["$j"][0]["$p"]["item"] == {"$t": "Pain"}


@override_settings(LANGUAGE_CODE="en")
def test_the_timeline_shows_the_alert_event_in_the_readers_language(
    active: World, client_for: Any
) -> None:
    alert = _severe_pain(active)
    page = client_for(active.nurse)
    page.cookies["django_language"] = "ru"
    html = page.get(f"/patients/{active.patient.external_id}/").content.decode()
    assert _russian(alert) in html


def test_an_alert_raised_before_keys_shows_the_text_it_was_raised_with(active: World) -> None:
    alert = _severe_pain(active)
    Alert.objects.filter(pk=alert.pk).update(summary_key="", summary_params={})
    alert.refresh_from_db()
    with translation.override("ru"):
        assert alert.summary_text == alert.summary
