"""Sign-in protections: lockout, MFA policy, idle expiry, sign out everywhere, API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client, override_settings

from hearth.accounts import services
from hearth.accounts.models import SecurityPolicy
from hearth.conftest import PASSWORD, World
from hearth.core.models import AuditEvent


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"login": username, "password": password})


def test_a_correct_password_signs_in_and_is_audited(world: World) -> None:
    client = Client()
    response = _login(client, "nurse.team", PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(actor=world.nurse, event_type="account.signed_in").exists()


def test_repeated_failures_from_one_address_make_it_wait(world: World) -> None:
    """The account is not locked from everywhere: see test_sign_in_security.py."""
    client = Client()
    for _ in range(5):
        assert _login(client, "nurse.team", "wrong password").status_code == 200
    waiting = _login(client, "nurse.team", PASSWORD)
    assert waiting.status_code == 200 and "Try again after" in waiting.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(event_type="account.sign_in_failed").count() == 5
    assert AuditEvent.objects.filter(event_type="account.sign_in_throttled").count() == 1


def test_staff_without_mfa_are_sent_to_set_it_up_when_required(
    world: World, client_for: Any
) -> None:
    services.set_security_policy(actor=world.administrator, require_staff_mfa=True)
    client = client_for(world.nurse)
    page = client.get("/patients/")
    assert page.status_code == 302 and "/accounts/2fa/" in page["Location"]
    api = client.get("/api/v1/patients")
    assert api.status_code == 403 and api.json()["code"] == "mfa_required"
    # Family are not staff: the staff policy does not stop them.
    assert client_for(world.family).get("/portal/").status_code == 200


def test_only_an_administrator_sets_the_policy(world: World) -> None:
    from hearth.core.errors import NotAllowed

    for person in (world.coordinator, world.physician, world.family):
        try:
            services.set_security_policy(actor=person, require_staff_mfa=True)
        except NotAllowed:
            continue
        raise AssertionError(f"{person} changed the security policy")
    assert SecurityPolicy.current().require_staff_mfa is False


@override_settings(HEARTH_STAFF_IDLE_MINUTES=15)
def test_an_idle_staff_session_expires(world: World) -> None:
    client = Client()
    with time_machine.travel("2026-11-22 03:00 +0000", tick=False) as traveller:
        _login(client, "nurse.team", PASSWORD)
        assert client.get("/patients/").status_code == 200
        traveller.shift(timedelta(minutes=14))
        assert client.get("/patients/").status_code == 200
        traveller.shift(timedelta(minutes=16))
        expired = client.get("/patients/")
        assert expired.status_code == 302 and "/accounts/login/" in expired["Location"]
        assert client.get("/api/v1/patients").status_code == 401


def test_sign_out_everywhere_ends_other_sessions_and_tokens(world: World) -> None:
    phone, laptop = Client(), Client()
    _login(phone, "nurse.team", PASSWORD)
    _login(laptop, "nurse.team", PASSWORD)
    _token, secret = services.issue_api_token(actor=world.nurse, name="phone app")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert Client().get("/api/v1/me", **headers).status_code == 200
    response = laptop.post("/account/sign-out-everywhere/")
    assert response.status_code == 302
    assert phone.get("/patients/").status_code == 302
    assert Client().get("/api/v1/me", **headers).status_code == 401


def test_api_tokens_authenticate_until_revoked(world: World) -> None:
    token, secret = services.issue_api_token(actor=world.physician, name="integration")
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    me = client.get("/api/v1/me", **headers)
    assert me.status_code == 200 and me.json()["username"] == "dr.team"
    services.revoke_api_token(actor=world.physician, token_id=token.external_id)
    assert client.get("/api/v1/me", **headers).status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer hth_made_up").status_code == 401


def test_a_token_secret_is_not_stored(world: World) -> None:
    token, secret = services.issue_api_token(actor=world.nurse, name="phone")
    token.refresh_from_db()
    assert secret not in (token.digest, token.prefix)
    assert len(token.digest) == 64


def test_a_superuser_gets_no_clinical_permission(world: World, admin_user: Any) -> None:
    assert admin_user.has_perm("patients.record_commission_decision", world.patient) is False
    assert admin_user.has_perm("patients.admit", world.patient) is False
    assert admin_user.has_perm("auth.view_user") is True


def test_pages_speak_the_users_language(world: World, client_for: Any) -> None:
    world.family.preferred_language = "ru"
    world.family.save()
    response = client_for(world.family).get("/portal/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ru"
    chosen = client_for(world.family)
    chosen.cookies["django_language"] = "en"
    assert chosen.get("/portal/").headers["Content-Language"] == "en"


def test_russian_ships(world: World, client_for: Any) -> None:
    world.family.preferred_language = "ru"
    world.family.save()
    page = client_for(world.family).get("/portal/").content.decode()
    assert "Люди, которые о вас заботятся" in page
    assert "Телефон службы, круглосуточно" in page


def test_a_token_prefix_on_the_account_page_is_marked_as_not_words(
    world: World, client_for: Any
) -> None:
    """A prefix like ``hth_abcdefgh`` is machine text: a browser's translator
    and the UI sweep's language checks leave it alone."""
    token, _secret = services.issue_api_token(actor=world.physician, name="integration")
    page = client_for(world.physician).get("/account/").content.decode()
    assert f'<code class="muted" translate="no">{token.prefix}…</code>' in page
