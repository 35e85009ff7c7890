"""Set up TOTP for an account from the server's shell: the first administrator's way in.

    manage.py enrol_totp <username> [--replace]

With "require staff MFA" on (the production default) an administrator must
pass a second factor before anything else, and Hearth sends no e-mail that
could help. Someone with shell access to the server runs this once: it prints
the otpauth:// address (scan or type it into an authenticator app), the
secret, and the recovery codes, once. It uses allauth.mfa's own TOTP and
recovery-code models, exactly as the web page would; nothing is stored that
the web page would not store. The enrolment is audited.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hearth.core import audit
from hearth.core.audit_events import AuditEventType
from hearth.core.models import AuditAction


class Command(BaseCommand):
    help = "Set up two-factor authentication (TOTP) for an account; prints the secret once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The account to set TOTP up for.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace an existing TOTP and its recovery codes (a lost phone).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No active account {username!r}.") from error
        existing = Authenticator.objects.filter(user=user)
        if existing.filter(type=Authenticator.Type.TOTP).exists() and not options["replace"]:
            raise CommandError(
                f"{username!r} already has TOTP. Use --replace to set up a new one "
                "(the old authenticator app entry and recovery codes stop working)."
            )
        secret = generate_totp_secret()
        with transaction.atomic():
            replaced = existing.exclude(type=Authenticator.Type.WEBAUTHN).delete()[0] > 0
            TOTP.activate(user, secret)
            codes = RecoveryCodes.activate(user).get_unused_codes()
            audit.record(
                actor=None,
                action=AuditAction.SECURITY,
                event_type=AuditEventType.ACCOUNT_MFA_ENROLLED,
                summary=f"TOTP set up from the command line for {username!r}",
                changes={"username": username, "replaced": replaced},
            )
        url = get_mfa_adapter().build_totp_url(user, secret)
        self.stdout.write(f"Two-factor authentication is set up for {username}.")
        self.stdout.write("Add it to an authenticator app (shown once, keep it private):")
        self.stdout.write(f"  otpauth address: {url}")
        self.stdout.write(f"  secret:          {secret}")
        self.stdout.write("Recovery codes (each works once; store them offline):")
        for code in codes:
            self.stdout.write(f"  {code}")
