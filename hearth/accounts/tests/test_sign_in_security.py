"""Issue 18, sign-in security: MFA per session on every entrance, tokens under the
MFA policy, a throttle nobody can turn against someone else, the client address
behind a proxy, and safe request ids."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings

from hearth.accounts import services
from hearth.accounts.models import SecurityPolicy, User
from hearth.accounts.tests.mfa_helpers import sign_in_with_mfa, totp_code, totp_secret_for
from hearth.conftest import PASSWORD, World
from hearth.core.errors import NotAllowed
from hearth.core.middleware import client_ip
from hearth.core.models import AuditEvent

NURSE_AT_HOME = "203.0.113.7"
SOMEONE_ELSE = "198.51.100.66"


def _login(client: Client, username: str, password: str, next: str = "", **headers: Any) -> Any:
    data = {"login": username, "password": password} | ({"next": next} if next else {})
    return client.post("/accounts/login/", data, **headers)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _superuser() -> User:
    return User.objects.create_superuser("it.admin", "it@example.org", PASSWORD)


def _policy_on(world: World) -> None:
    services.set_security_policy(actor=world.administrator, require_staff_mfa=True)


# --- MFA per session -----------------------------------------------------------


def test_admin_sign_in_with_the_password_alone_gives_no_session(world: World) -> None:
    _policy_on(world)
    admin = _superuser()
    totp_secret_for(admin)
    client = Client(REMOTE_ADDR=NURSE_AT_HOME)
    posted = client.post(
        "/admin/login/?next=/admin/",
        {"username": "it.admin", "password": PASSWORD, "next": "/admin/"},
    )
    assert posted.status_code == 302
    assert posted["Location"].startswith("/accounts/login/?next=")
    assert not _signed_in(client)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/api/v1/patients").status_code == 401
    assert client.get(f"/patients/{world.patient.external_id}/audit/").status_code == 302


def test_a_password_only_session_of_someone_with_totp_is_refused_everywhere(
    world: World, client_for: Any
) -> None:
    _policy_on(world)
    admin = _superuser()
    secret = totp_secret_for(admin)
    client = client_for(admin)  # force_login: a password-less session, never passed MFA
    admin_page = client.get("/admin/")
    assert admin_page.status_code == 302
    assert admin_page["Location"].startswith("/accounts/2fa/reauthenticate/?next=")
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["code"] == "mfa_required"
    # A code proves the second factor in this same session: then it is accepted.
    proved = client.post("/accounts/2fa/reauthenticate/?next=/admin/", {"code": totp_code(secret)})
    assert proved.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_a_nurse_with_totp_whose_session_skipped_it_is_refused_even_without_the_policy(
    world: World, client_for: Any
) -> None:
    assert SecurityPolicy.current().require_staff_mfa is False
    totp_secret_for(world.nurse)
    client = client_for(world.nurse)
    page = client.get("/patients/")
    assert page.status_code == 302 and "/accounts/2fa/reauthenticate/" in page["Location"]
    api = client.get("/api/v1/patients")
    assert api.status_code == 403 and api.json()["code"] == "mfa_required"
    # allauth's own MFA pages and signing out stay reachable.
    assert client.get("/accounts/2fa/reauthenticate/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_sign_in_with_totp_through_allauth_opens_the_admin(world: World) -> None:
    _policy_on(world)
    admin = _superuser()
    secret = totp_secret_for(admin)
    client = Client(REMOTE_ADDR=NURSE_AT_HOME)
    sent = client.get("/admin/login/?next=/admin/auth/")
    assert sent["Location"] == "/accounts/login/?next=%2Fadmin%2Fauth%2F"
    password = _login(client, "it.admin", PASSWORD, next="/admin/")
    assert password.status_code == 302 and password["Location"].startswith("/accounts/2fa/")
    assert not _signed_in(client)  # the password alone is not a sign-in
    done = client.post(password["Location"], {"code": totp_code(secret)})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/me").json()["username"] == "it.admin"


def test_staff_without_totp_under_the_policy_can_only_set_it_up(
    world: World, client_for: Any
) -> None:
    _policy_on(world)
    client = client_for(world.nurse)
    assert client.get("/patients/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/account/")["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get("/accounts/2fa/totp/activate/").status_code in (200, 302)
    assert client.get("/api/v1/me").json()["code"] == "mfa_required"


# --- API tokens under the MFA policy -----------------------------------------------


def test_a_token_is_minted_only_from_a_session_that_passed_mfa(
    world: World, client_for: Any, mfa_client_for: Any
) -> None:
    _policy_on(world)
    totp_secret_for(world.nurse)
    with pytest.raises(NotAllowed) as refused:
        services.issue_api_token(actor=world.nurse, name="phone")
    assert refused.value.code == "mfa_required"
    password_only = client_for(world.nurse).post(
        "/api/v1/me/tokens", {"name": "phone"}, content_type="application/json"
    )
    assert password_only.status_code == 403 and password_only.json()["code"] == "mfa_required"

    verified = mfa_client_for(world.nurse)
    issued = verified.post("/api/v1/me/tokens", {"name": "phone"}, content_type="application/json")
    assert issued.status_code == 201
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issued.json()['secret']}"}
    assert Client().get("/api/v1/patients", **bearer).status_code == 200
    from_token = Client().post(
        "/api/v1/me/tokens", {"name": "copy"}, content_type="application/json", **bearer
    )
    assert from_token.status_code == 403 and from_token.json()["code"] == "mfa_required"


def test_a_token_stops_working_when_the_policy_requires_mfa_its_owner_lacks(
    world: World,
) -> None:
    _token, secret = services.issue_api_token(actor=world.nurse, name="phone")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert Client().get("/api/v1/patients", **bearer).status_code == 200
    _policy_on(world)
    refused = Client(REMOTE_ADDR=SOMEONE_ELSE).get("/api/v1/patients", **bearer)
    assert refused.status_code == 403 and refused.json()["code"] == "mfa_required"
    event = AuditEvent.objects.filter(event_type="api_token.refused", actor=world.nurse).get()
    assert event.ip_address == SOMEONE_ELSE and event.changes["username"] == "nurse.team"
    assert secret not in str(event.changes) and secret not in event.summary
    # Once she sets up TOTP the same token works again (it was minted before the policy).
    totp_secret_for(world.nurse)
    assert Client().get("/api/v1/patients", **bearer).status_code == 200


def test_the_policy_cannot_be_switched_off_by_token_or_a_password_only_session(
    world: World, client_for: Any, mfa_client_for: Any
) -> None:
    _policy_on(world)
    admin = world.administrator
    totp_secret_for(admin)
    _token, secret = services.issue_api_token(actor=admin, name="script", mfa_verified=True)
    off = {"require_staff_mfa": False}
    by_token = Client().put(
        "/api/v1/security-policy",
        off,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert by_token.status_code == 403 and by_token.json()["code"] == "mfa_required"
    by_password = client_for(admin).put(
        "/api/v1/security-policy", off, content_type="application/json"
    )
    assert by_password.status_code == 403
    with pytest.raises(NotAllowed):
        services.set_security_policy(actor=admin, require_staff_mfa=False)
    assert SecurityPolicy.current().require_staff_mfa is True
    verified = mfa_client_for(admin).put(
        "/api/v1/security-policy", off, content_type="application/json"
    )
    assert verified.status_code == 200
    assert SecurityPolicy.current().require_staff_mfa is False


# --- The throttle ------------------------------------------------------------------


def test_someone_at_another_address_cannot_lock_a_nurse_out(world: World) -> None:
    attacker = Client(REMOTE_ADDR=SOMEONE_ELSE)
    for _ in range(30):
        assert _login(attacker, "nurse.team", "guessing").status_code == 200
    assert not _signed_in(attacker)
    assert "Try again after" in _login(attacker, "nurse.team", PASSWORD).content.decode()
    nurse = Client(REMOTE_ADDR=NURSE_AT_HOME)
    assert _login(nurse, "nurse.team", PASSWORD).status_code == 302
    assert _signed_in(nurse)


def test_the_same_address_waits_longer_after_each_failure(world: World) -> None:
    client = Client(REMOTE_ADDR=SOMEONE_ELSE)
    with time_machine.travel("2026-11-22 10:00 +0000", tick=False) as traveller:
        for _ in range(5):
            _login(client, "nurse.team", "wrong")
        refused = _login(client, "nurse.team", PASSWORD)
        text = refused.content.decode()
        assert not _signed_in(client)
        assert "Too many failed sign-in attempts" in text and "10:01" in text  # London, GMT
        traveller.shift(timedelta(seconds=61))
        _login(client, "nurse.team", "wrong again")  # the 6th failure: now 2 minutes
        traveller.shift(timedelta(seconds=90))
        assert not _signed_in(client) and _login(client, "nurse.team", PASSWORD).status_code == 200
        traveller.shift(timedelta(seconds=31))
        assert _login(client, "nurse.team", PASSWORD).status_code == 302
        assert _signed_in(client)
    throttled = AuditEvent.objects.filter(event_type="account.sign_in_throttled")
    assert throttled.count() == 2
    assert {event.changes["username"] for event in throttled} == {"nurse.team"}
    assert {event.ip_address for event in throttled} == {SOMEONE_ELSE}


def test_an_address_guessing_many_names_is_throttled_for_every_account(world: World) -> None:
    guesser = Client(REMOTE_ADDR=SOMEONE_ELSE)
    for number in range(20):
        _login(guesser, f"invented.{number}", "guessing")
    assert _login(guesser, "dr.team", PASSWORD).status_code == 200
    assert not _signed_in(guesser)
    # The same colleague from anywhere else is not affected.
    elsewhere = Client(REMOTE_ADDR=NURSE_AT_HOME)
    assert _login(elsewhere, "dr.team", PASSWORD).status_code == 302


def test_every_refused_sign_in_is_audited_without_the_password(world: World) -> None:
    client = Client(REMOTE_ADDR=SOMEONE_ELSE)
    for _ in range(6):
        _login(client, "nurse.team", "secret-guess-1")
    failed = AuditEvent.objects.filter(event_type="account.sign_in_failed")
    throttled = AuditEvent.objects.filter(event_type="account.sign_in_throttled")
    assert failed.count() == 5 and throttled.count() == 1
    for event in [*failed, *throttled]:
        assert event.ip_address == SOMEONE_ELSE
        assert event.changes["username"] == "nurse.team"
        assert "secret-guess-1" not in f"{event.summary} {event.changes}"


def test_a_wrong_two_factor_code_is_audited_and_counted(world: World) -> None:
    secret = totp_secret_for(world.nurse)
    client = Client(REMOTE_ADDR=SOMEONE_ELSE)
    right = totp_code(secret)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        stage = _login(client, "nurse.team", PASSWORD)
        assert stage.status_code == 302
        assert client.post(stage["Location"], {"code": wrong}).status_code == 200
    refused = AuditEvent.objects.filter(event_type="account.mfa_code_refused")
    assert refused.count() == 5
    assert refused.first().ip_address == SOMEONE_ELSE  # type: ignore[union-attr]
    # Now even the right code waits, and so does the password step in a new session.
    stage = _login(client, "nurse.team", PASSWORD)
    waiting = client.post(stage["Location"], {"code": right})
    assert "Try again after" in waiting.content.decode()
    assert not _signed_in(client)
    fresh = Client(REMOTE_ADDR=SOMEONE_ELSE)
    assert "Try again after" in _login(fresh, "nurse.team", PASSWORD).content.decode()
    assert not _signed_in(fresh)


def test_bad_tokens_from_one_address_get_429_with_retry_after(world: World) -> None:
    client = Client(REMOTE_ADDR=SOMEONE_ELSE)
    for number in range(20):
        answer = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer hth_guess{number}")
        assert answer.status_code == 401
    throttled = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer hth_guess")
    assert throttled.status_code == 429 and throttled.json()["code"] == "throttled"
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert AuditEvent.objects.filter(event_type="api_token.refused").count() == 20
    assert AuditEvent.objects.filter(event_type="account.sign_in_throttled").count() == 1


# --- Enrolling the first administrator ---------------------------------------------


def test_enrol_totp_prints_a_secret_that_signs_the_administrator_in(world: World) -> None:
    _policy_on(world)
    _superuser()
    out = io.StringIO()
    call_command("enrol_totp", "it.admin", stdout=out)
    printed = out.getvalue()
    assert "otpauth://totp/" in printed
    secret = re.search(r"secret:\s+(\S+)", printed).group(1)  # type: ignore[union-attr]
    assert len(re.findall(r"^  \S+$", printed, flags=re.MULTILINE)) >= 10  # recovery codes
    assert AuditEvent.objects.filter(event_type="account.mfa_enrolled").exists()
    client = Client()
    stage = _login(client, "it.admin", PASSWORD, next="/admin/")
    assert client.post(stage["Location"], {"code": totp_code(secret)})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # A second run does not silently replace the first.
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("enrol_totp", "it.admin", stdout=io.StringIO())


def test_the_mfa_session_helper_signs_in_for_real(world: World) -> None:
    client = sign_in_with_mfa(Client(), world.physician, PASSWORD)
    assert client.get("/api/v1/me").json()["username"] == "dr.team"


# --- Client address and request ids ------------------------------------------------


def test_the_client_address_comes_from_the_proxy_setting() -> None:
    factory = RequestFactory()
    forwarded = factory.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9"
    )
    assert client_ip(forwarded) == "10.0.0.1"  # default: trust nothing
    with override_settings(HEARTH_TRUSTED_PROXY_COUNT=1):
        assert client_ip(forwarded) == "198.51.100.9"
    with override_settings(HEARTH_TRUSTED_PROXY_COUNT=2):
        assert client_ip(forwarded) == "6.6.6.6"
    with override_settings(HEARTH_TRUSTED_PROXY_COUNT=1):
        junk = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<b>x</b>")
        assert client_ip(junk) == "10.0.0.1"
        bare = factory.get("/", REMOTE_ADDR="10.0.0.1")
        assert client_ip(bare) == "10.0.0.1"


@override_settings(HEARTH_TRUSTED_PROXY_COUNT=1)
def test_the_throttle_and_the_audit_use_the_address_behind_the_proxy(world: World) -> None:
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        _login(proxy, "nurse.team", "wrong", HTTP_X_FORWARDED_FOR=SOMEONE_ELSE)
    assert (
        AuditEvent.objects.filter(
            event_type="account.sign_in_failed", ip_address=SOMEONE_ELSE
        ).count()
        == 5
    )
    # Another client behind the same proxy is not the guesser.
    nurse = proxy.post(
        "/accounts/login/",
        {"login": "nurse.team", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=NURSE_AT_HOME,
    )
    assert nurse.status_code == 302


def test_a_request_id_is_kept_only_when_safe(world: World) -> None:
    client = Client()
    kept = client.get("/health", HTTP_X_REQUEST_ID="abc-123_x.y")
    assert kept["X-Request-ID"] == "abc-123_x.y"
    for unsafe in ("<b>x</b>", "a" * 65, "x y", "id\u00e9"):
        answer = client.get("/health", HTTP_X_REQUEST_ID=unsafe)
        assert answer["X-Request-ID"] != unsafe
        assert re.fullmatch(r"[0-9a-f]{32}", answer["X-Request-ID"])
    _login(client, "nurse.team", "wrong", HTTP_X_REQUEST_ID="<b>x</b>")
    event = AuditEvent.objects.filter(event_type="account.sign_in_failed").get()
    assert re.fullmatch(r"[0-9a-f]{32}", event.request_id)


def test_setting_up_totp_in_the_browser_counts_as_passing_mfa(
    transactional_db: Any, world: World
) -> None:
    """Under the policy a nurse signs in with her password, is sent to set up
    TOTP, types the first code, and goes on to patients without a second code."""
    _policy_on(world)
    client = Client(REMOTE_ADDR=NURSE_AT_HOME)
    assert _login(client, "nurse.team", PASSWORD).status_code == 302
    assert client.get("/patients/")["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before a second factor is added.
    again = client.get("/accounts/2fa/totp/activate/")
    assert again["Location"].startswith("/accounts/reauthenticate/")
    assert client.post(again["Location"], {"password": PASSWORD}).status_code == 302
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    # allauth announces the new authenticator on commit: a real commit here.
    activated = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert client.get("/patients/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
