from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.HEARTH_SERVICE_NAME,
        "service_phone": settings.HEARTH_SERVICE_PHONE,
        "family_helpline_phone": settings.HEARTH_FAMILY_HELPLINE_PHONE,
        "family_helpline_hours": settings.HEARTH_FAMILY_HELPLINE_HOURS,
    }
