"""Acknowledging from the message: the page's link opens the alert after
sign-in (and two-factor authentication where staff need it) with one big
button; a text reply "ACK <code>" to the SMS gateway's inbound webhook
acknowledges only from a verified number of the alert's current owner, and
every refusal is audited."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client

from hearth.accounts import services as accounts
from hearth.conftest import PASSWORD, World
from hearth.core import clock
from hearth.core.models import AuditEvent
from hearth.monitoring import paging, services
from hearth.monitoring.choices import AlertRule
from hearth.monitoring.models import Alert
from hearth.notifications import delivery
from hearth.notifications.choices import MessageKind
from hearth.notifications.models import ContactPoint, Message
from hearth.notifications.tests.sinks import SmsSink, SmtpSink

URL = "/api/v1/alerts/sms-replies"
TOKEN = "gateway-secret-1"
NURSE_PHONE = "+447911123456"


@pytest.fixture(autouse=True)
def _gateway_token(settings: Any) -> None:
    settings.HEARTH_SMS_INBOUND_TOKEN = TOKEN


def phone_of(user: Any, number: str = NURSE_PHONE, *, verified: bool = True) -> ContactPoint:
    return ContactPoint.objects.create(
        user=user,
        channel="sms",
        address=number,
        created_at=clock.now(),
        verified_at=clock.now() if verified else None,
    )


def help_alert(world: World) -> Alert:
    services.record_check_in(actor=world.family, patient=world.patient, help_requested=True)
    return Alert.objects.get(patient=world.patient, rule=AlertRule.HELP_REQUESTED)


def code_of(alert: Alert) -> str:
    page = (
        Message.objects.about(f"alert:{alert.pk}")
        .filter(kind=MessageKind.ALERT_PAGE)
        .latest("created_at", "id")
    )
    return page.reply_code


def reply(
    text: str, sender: str = NURSE_PHONE, *, token: str | None = TOKEN, form: bool = False
) -> Any:
    client = Client()
    headers = {} if token is None else {"X-Hearth-Token": token}
    if form:
        return client.post(URL, {"from": sender, "text": text}, headers=headers)
    return client.post(
        URL, {"from": sender, "text": text}, content_type="application/json", headers=headers
    )


def refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type="alert.sms_reply_refused").order_by("id"))


def test_ack_from_the_owners_verified_number_acknowledges(active: World) -> None:
    phone_of(active.nurse)
    alert = help_alert(active)
    answer = reply(f"  ack   {code_of(alert)} \n", sender="07911 123456")
    assert answer.status_code == 200, answer.content
    assert answer.json()["alert_id"] == str(alert.external_id)
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", active.nurse)
    # The same service as the button: its audit event, and the pages stop.
    assert AuditEvent.objects.filter(event_type="alert.acknowledged", actor=active.nurse).exists()
    event = AuditEvent.objects.get(event_type="alert.acknowledged_by_sms")
    assert event.actor == active.nurse and event.changes["from"] == "…3456"
    assert NURSE_PHONE not in str(event.changes) + event.summary
    assert set(Message.objects.filter(kind="alert_page").values_list("status", flat=True)) == {
        "cancelled"
    }
    assert refusals() == []


def test_a_form_body_is_accepted_too(active: World) -> None:
    phone_of(active.nurse)
    alert = help_alert(active)
    assert reply(f"ACK{code_of(alert)}", form=True).status_code == 200
    alert.refresh_from_db()
    assert alert.status == "acknowledged"


def _refused(answer: Any, status: int, code: str, alert: Alert | None = None) -> AuditEvent:
    assert answer.status_code == status, answer.content
    assert answer.json()["code"] == code
    if alert is not None:
        alert.refresh_from_db()
        assert alert.status == "open"
    (event,) = refusals()
    assert event.actor is None and event.changes["code"] == code
    assert NURSE_PHONE not in event.summary + str(event.changes)
    return event


def test_an_unknown_number_is_refused_and_audited(active: World) -> None:
    phone_of(active.nurse)
    alert = help_alert(active)
    event = _refused(
        reply(f"ACK {code_of(alert)}", sender="+447911999999"), 403, "unknown_sender", alert
    )
    assert event.changes["from"] == "…9999"


def test_an_unverified_number_is_refused_and_audited(active: World) -> None:
    phone_of(active.nurse, verified=False)
    alert = help_alert(active)
    _refused(reply(f"ACK {code_of(alert)}"), 403, "unverified_sender", alert)


def test_a_wrong_code_is_refused_and_audited(active: World) -> None:
    phone_of(active.nurse)
    alert = help_alert(active)
    wrong = "1000" if code_of(alert) != "1000" else "1001"
    _refused(reply(f"ACK {wrong}"), 404, "unknown_code", alert)


def test_a_malformed_reply_is_refused_and_audited(active: World) -> None:
    phone_of(active.nurse)
    alert = help_alert(active)
    _refused(reply(f"OK {code_of(alert)} thanks"), 422, "validation_error", alert)


def test_someone_who_no_longer_owns_the_alert_cannot_acknowledge_it(active: World) -> None:
    phone_of(active.outsider_nurse)
    shift = services.add_on_call_shift(
        actor=active.coordinator,
        role="nurse",
        staff=active.outsider_nurse,
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(hours=8),
    )
    alert = help_alert(active)
    code = code_of(alert)
    services.cancel_on_call_shift(actor=active.coordinator, shift=shift)
    event = _refused(reply(f"ACK {code}"), 403, "not_owner", alert)
    assert event.patient_id == active.patient.pk


def test_an_alert_already_acknowledged_is_refused_and_audited(active: World) -> None:
    phone_of(active.nurse)
    alert = help_alert(active)
    code = code_of(alert)
    services.acknowledge_alert(actor=active.physician, alert=alert)
    assert reply(f"ACK {code}").status_code == 409
    (event,) = refusals()
    assert event.changes["code"] == "already_acknowledged"
    alert.refresh_from_db()
    assert alert.acknowledged_by == active.physician


@pytest.mark.parametrize("token", [None, "", "gateway-secret-2"])
def test_a_request_without_the_gateways_token_is_refused_and_audited(
    active: World, token: str | None
) -> None:
    phone_of(active.nurse)
    alert = help_alert(active)
    _refused(reply(f"ACK {code_of(alert)}", token=token), 401, "bad_token", alert)


def test_with_no_token_set_every_reply_is_refused(active: World, settings: Any) -> None:
    settings.HEARTH_SMS_INBOUND_TOKEN = ""
    phone_of(active.nurse)
    alert = help_alert(active)
    _refused(reply(f"ACK {code_of(alert)}", token=""), 401, "bad_token", alert)


# --- The link in the page ----------------------------------------------------


def test_the_link_opens_the_alert_after_sign_in_and_two_factor(active: World) -> None:
    accounts.set_security_policy(actor=active.administrator, require_staff_mfa=True)
    secret = base64.b32encode(b"0123456789abcdefghij").decode()
    TOTP.activate(active.nurse, secret)
    alert = help_alert(active)
    path = f"/alerts/{alert.external_id}/"
    phone = Client()
    first = phone.get(path)
    assert first.status_code == 302
    assert (
        first["Location"] == f"/accounts/login/?next={quote(path, safe='')}"
        or first["Location"] == f"/accounts/login/?next={path}"
    )
    signed_in = phone.post(
        "/accounts/login/", {"login": "nurse.team", "password": PASSWORD, "next": path}
    )
    assert signed_in.status_code == 302 and "2fa" in signed_in["Location"]
    code = format_hotp_value(hotp_value(secret, int(clock.now().timestamp()) // 30))
    landed = phone.post(signed_in["Location"], {"code": code}, follow=True)
    assert landed.redirect_chain[-1][0] == path
    text = landed.content.decode()
    assert 'class="acknowledge-now"' in text
    # One tap: a POST from the page, no confirmation step.
    done = phone.post(f"/alerts/{alert.external_id}/acknowledge/", follow=True)
    assert done.redirect_chain[-1][0] == path
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", active.nurse)


# --- End to end, through the real channels ------------------------------------


def test_help_pressed_pages_by_text_and_mail_and_an_ack_reply_stops_it(
    active: World,
    client_for: Any,
    sms_sink: SmsSink,
    smtp_sink: SmtpSink,
    quick_retries: None,
) -> None:
    """The family presses "We need help now" through the API; the worker's
    delivery sends the page to the nurse's phone (the SMS gateway on
    loopback); the repeat finds the gateway down and falls through to e-mail
    (the SMTP server on loopback); the nurse replies "ACK <code>" from her
    phone and the alert is acknowledged, its pages marked so."""
    contact = phone_of(active.nurse)
    ContactPoint.objects.create(
        user=active.nurse,
        channel="email",
        address="nurse@example.org",
        position=1,
        created_at=clock.now(),
        verified_at=clock.now(),
    )
    assert contact.position == 0
    answer = client_for(active.family).post(
        f"/api/v1/patients/{active.patient.external_id}/check-ins",
        {"help_requested": True, "note": "Very breathless"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    alert = Alert.objects.get(patient=active.patient)
    assert delivery.deliver_due() == 1
    (text,) = sms_sink.texts_to(NURSE_PHONE)
    assert "A-1" in text["message"] and "breathless" not in text["message"].lower()
    assert f"/alerts/{alert.external_id}/" in text["message"]
    code = re.search(r"ACK (\d{4})", text["message"])
    assert code is not None

    sms_sink.answer_next(3, 503)
    with clock.travel_to(clock.now() + timedelta(minutes=5, seconds=1)):
        assert paging.repeat_pages() == 1
        delivery.deliver_due()
        (mail,) = smtp_sink.wait_for(1)
    assert mail["X-Envelope-To"] == "nurse@example.org"
    assert "Still not acknowledged." in mail.get_payload()
    first, repeat = Message.objects.filter(kind="alert_page").order_by("id")
    assert (first.status, repeat.status) == ("sent", "sent")
    assert [a.channel for a in repeat.attempts.all()] == ["sms", "sms", "sms", "email"]

    assert reply(f"ACK {code.group(1)}").status_code == 200
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", active.nurse)
    assert set(Message.objects.filter(kind="alert_page").values_list("status", flat=True)) == {
        "acknowledged"
    }
