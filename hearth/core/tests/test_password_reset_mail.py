"""Password reset by e-mail, through a real SMTP server on the loopback: a
known address receives a link that works; an unknown address gets the same
answer and no mail, so a stranger cannot learn who has an account; a mail
server that refuses or is not there is logged, never a 500."""

from __future__ import annotations

import importlib
import logging
import os
import re
import socket
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from hearth.accounts.models import User, UserKind
from hearth.conftest import make_user
from hearth.core.deploy_checks import mail_is_sent
from hearth.notifications.tests.sinks import SmtpSink

RESET = "/accounts/password/reset/"
NEW_PASSWORD = "a-new-long-passphrase-42"


@pytest.fixture
def nurse(db: Any) -> User:
    return make_user(
        "nurse.forgetful", kind=UserKind.STAFF, discipline="nurse", email="forgetful@example.org"
    )


def _ask(address: str) -> Any:
    return Client(raise_request_exception=False).post(RESET, {"email": address})


def test_a_known_address_receives_a_link_that_sets_a_new_password(
    nurse: User, smtp_sink: SmtpSink
) -> None:
    response = _ask("forgetful@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    (mail,) = smtp_sink.wait_for(1)
    assert "forgetful@example.org" in mail["X-Envelope-To"]
    body = mail.get_payload(decode=True).decode() if not mail.is_multipart() else str(mail)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", body)
    assert link is not None, body

    browser = Client()
    form = browser.get(link.group(1), follow=True)
    assert form.status_code == 200
    set_password_url = form.redirect_chain[-1][0] if form.redirect_chain else link.group(1)
    done = browser.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/key/done/"

    signing_in = Client().post(
        "/accounts/login/", {"login": "nurse.forgetful", "password": NEW_PASSWORD}
    )
    assert signing_in.status_code == 302 and "/accounts/login/" not in signing_in["Location"]
    nurse.refresh_from_db()
    assert nurse.check_password(NEW_PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    nurse: User, smtp_sink: SmtpSink
) -> None:
    known, unknown = _ask("forgetful@example.org"), _ask("nobody@example.org")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    smtp_sink.wait_for(1)
    assert smtp_sink.to("nobody@example.org") == []
    done_known = Client().get(known["Location"]).content
    done_unknown = Client().get(unknown["Location"]).content
    assert (
        done_known.split(b'name="csrfmiddlewaretoken"')[0]
        == done_unknown.split(b'name="csrfmiddlewaretoken"')[0]
    )


def test_a_mail_server_that_refuses_is_logged_not_a_server_error(
    nurse: User, smtp_sink: SmtpSink, caplog: Any
) -> None:
    smtp_sink.refuse_next(1)
    with caplog.at_level(logging.ERROR, logger="hearth.accounts.adapters"):
        response = _ask("forgetful@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert "Could not send the sign-in e-mail" in caplog.text


def test_no_mail_server_at_all_is_logged_not_a_server_error(
    nurse: User, settings: Any, caplog: Any
) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", probe.getsockname()[1]
    settings.EMAIL_TIMEOUT = 3
    probe.close()
    with caplog.at_level(logging.ERROR, logger="hearth.accounts.adapters"):
        known, unknown = _ask("forgetful@example.org"), _ask("nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    assert "Could not send the sign-in e-mail" in caplog.text


def test_email_url_configures_django_mail() -> None:
    """One variable, EMAIL_URL, sets the server every mail goes through
    (password reset and notifications alike)."""
    import hearth.settings as hearth_settings

    saved = os.environ.copy()
    os.environ["EMAIL_URL"] = "smtp://hearth:secret@mail.example.org:587/?tls=True&timeout=7"
    try:
        reloaded = importlib.reload(hearth_settings)
        assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        assert (reloaded.EMAIL_HOST, reloaded.EMAIL_PORT) == ("mail.example.org", 587)
        assert (reloaded.EMAIL_HOST_USER, reloaded.EMAIL_HOST_PASSWORD) == ("hearth", "secret")
        assert reloaded.EMAIL_USE_TLS is True and reloaded.EMAIL_TIMEOUT == 7
    finally:
        os.environ.clear()
        os.environ.update(saved)
        importlib.reload(hearth_settings)


def test_the_deploy_check_warns_when_production_mail_is_only_printed(settings: Any) -> None:
    settings.PRODUCTION = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    with pytest.raises(SystemCheckError, match=r"hearth\.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert mail_is_sent(None) == []
