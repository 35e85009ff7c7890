"""The alerts badge in the staff menu: the number of open alerts on the
caseload of the person signed in, on every page (``base.html``).

It lives here, not in the kernel, because alerts are monitoring's: the kernel's
base layout only prints ``alert_badge`` when a context processor provides it.
The count is taken only if the page draws the badge (one COUNT query) and is
refreshed in the background by ``hearth.js`` from ``alert_count`` (no reload).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from hearth.monitoring import queries
from hearth.patients import access


class AlertBadge:
    """The badge for one person: counted when first drawn, never before."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        return queries.open_alert_count(self.user)

    def __html__(self) -> SafeString:
        return SafeString(
            render_to_string(
                "monitoring/_alert_count.html",
                {
                    "count": self.count,
                    "refresh_url": reverse("alert_count"),
                    "refresh_seconds": settings.HEARTH_ALERT_COUNT_REFRESH_SECONDS,
                    "sign_in_url": reverse("account_login"),
                },
            )
        )

    def __str__(self) -> str:
        return self.__html__()


def shows_alert_badge(user: Any) -> bool:
    """Staff who read the record see alerts; volunteers and the portal do not."""
    return access.is_staff(user) and not access.is_volunteer(user)


def alert_badge(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not shows_alert_badge(user):
        return {}
    return {"alert_badge": AlertBadge(user)}
