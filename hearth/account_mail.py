"""Sign-in e-mail (password reset) that cannot break the page asking for it.

A mail server that refuses, times out or is not configured must not turn
"reset my password" into a server error, and must not answer differently for
an address we know (whose mail fails) and one we do not (no mail at all):
either would tell a stranger which addresses have accounts. The failure is
logged for the administrator instead, and the page says what it always says.

Kept apart from ``hearth.accounts.adapters`` so the sign-in policy there and
the mail transport here change independently; it adds to that adapter only.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from hearth.accounts.adapters import HearthAccountAdapter

logger = logging.getLogger(__name__)

#: What a mail backend raises when the server cannot be reached or refuses.
MAIL_FAILURES: tuple[type[Exception], ...] = (smtplib.SMTPException, OSError)


class HearthMailingAccountAdapter(HearthAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        try:
            super().send_mail(template_prefix, email, context)
        except MAIL_FAILURES:
            logger.exception(
                "Could not send the sign-in e-mail %r (check EMAIL_URL and the mail server)",
                template_prefix,
            )
