"""This app's rows of the permission matrix (hearth/patients/tests/test_permission_matrix.py).

Notification settings and messages are per person, not per patient: every
signed-in person, staff or family or patient, has their own, and nobody signed
in has none. A path that names a contact point names the nurse's
(``world.contact_point``, added by the nurse with a known code and sent two
minutes ago, so a new code may be asked for): only the nurse gets in; for
everyone else, the administrator and the clinical lead included, it is not
found, never "forbidden" (no one learns that it exists).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hearth.conftest import World
from hearth.core import clock
from hearth.patients.tests.matrix import (
    NOT_FOUND,
    PAGE_NOT_FOUND,
    ROLES,
    SIGNED_IN,
    Route,
)

#: Only the owner reaches their contact point; everyone else signed in is told "not found".
OWNER = {"nurse"}
NOT_THEIRS = dict.fromkeys(SIGNED_IN - OWNER, NOT_FOUND)
NOT_THEIRS_PAGE = dict.fromkeys(SIGNED_IN - OWNER, PAGE_NOT_FOUND)
KNOWN_CODE = "246810"


def _nurse_contact_point(world: World, actor: Any) -> None:
    """The nurse's e-mail contact point, waiting for the code ``KNOWN_CODE``."""
    from hearth.notifications import services
    from hearth.notifications.models import ContactPoint

    contact_point = services.add_contact_point(
        actor=world.nurse, channel="email", address="nurse.team@example.org"
    )
    ContactPoint.objects.filter(pk=contact_point.pk).update(
        verification_code_hash=services._code_hash(contact_point, KNOWN_CODE),
        verification_sent_at=clock.now() - timedelta(minutes=2),
    )
    world.contact_point = contact_point  # type: ignore[attr-defined]


def _own_order(world: World, actor: Any) -> dict[str, Any]:
    """The actor's own contact points (none, for everyone but the nurse on a
    prepared world): the order of all of them is always allowed."""
    from hearth.notifications.models import ContactPoint

    if actor is None:
        return {"contact_point_ids": []}
    ids = ContactPoint.objects.filter(user=actor).in_order().values_list("external_id", flat=True)
    return {"contact_point_ids": [str(i) for i in ids]}


API = "/api/v1/notifications"
CONTACT_POINT = f"{API}/contact-points/{{contact_point}}"
PAGE_CONTACT_POINT = "/notifications/settings/contact-points/{contact_point}"

API_ROUTES: list[Route] = [
    Route("GET", f"{API}/contact-points", SIGNED_IN),
    Route(
        "POST",
        f"{API}/contact-points",
        SIGNED_IN,
        body=lambda w, a: {"channel": "email", "address": "me@example.org"},
    ),
    Route("PUT", f"{API}/contact-points/order", SIGNED_IN, body=_own_order),
    Route(
        "POST",
        f"{CONTACT_POINT}/verify",
        OWNER,
        body=lambda w, a: {"code": KNOWN_CODE},
        prepare=_nurse_contact_point,
        refused=NOT_THEIRS,
    ),
    Route(
        "POST",
        f"{CONTACT_POINT}/send-code",
        OWNER,
        prepare=_nurse_contact_point,
        refused=NOT_THEIRS,
    ),
    Route(
        "POST",
        f"{CONTACT_POINT}/move",
        OWNER,
        body=lambda w, a: {"direction": "down"},
        prepare=_nurse_contact_point,
        refused=NOT_THEIRS,
    ),
    Route(
        "DELETE",
        CONTACT_POINT,
        OWNER,
        ok=(204,),
        prepare=_nurse_contact_point,
        refused=NOT_THEIRS,
    ),
    Route("GET", f"{API}/preferences", SIGNED_IN),
    Route("PUT", f"{API}/preferences", SIGNED_IN, body=lambda w, a: {}),
    Route("GET", f"{API}/messages", SIGNED_IN),
]

PAGE_ROUTES: list[Route] = [
    # The service worker is a script every browser may fetch, signed in or not.
    Route("GET", "/sw.js", set(ROLES)),
    Route("GET", "/notifications/", SIGNED_IN),
    Route("GET", "/notifications/settings/", SIGNED_IN),
    Route(
        "POST",
        "/notifications/settings/contact-points/add/",
        SIGNED_IN,
        ok=(302,),
        body=lambda w, a: {"channel": "email", "address": "me@example.org"},
    ),
    Route(
        "POST",
        "/notifications/settings/preferences/",
        SIGNED_IN,
        ok=(302,),
        body=lambda w, a: {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"},
    ),
    *(
        Route(
            "POST",
            f"{PAGE_CONTACT_POINT}/{step}/",
            OWNER,
            ok=(302,),
            body=body,
            prepare=_nurse_contact_point,
            page_refused=NOT_THEIRS_PAGE,
        )
        for step, body in (
            ("verify", lambda w, a: {f"{w.contact_point.pk}-code": KNOWN_CODE}),
            ("send-code", None),
            ("move", lambda w, a: {"direction": "down"}),
            ("remove", None),
        )
    ),
]
