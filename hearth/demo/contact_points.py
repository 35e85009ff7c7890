"""Every demo login can be reached by e-mail, so that running the demo with a
local mail catcher (``EMAIL_URL=smtp://127.0.0.1:2525 make run``) shows the
alert pages and the family messages arrive. The addresses are under
``.invalid`` (RFC 2606): nothing can ever be delivered to them outside the
machine. Written as already verified (there is nobody to type a code back).
The families have asked to be told of visit changes, of the visit tomorrow
and when their call for help is seen. A second run adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from hearth.accounts.models import User, UserKind
from hearth.core import clock
from hearth.demo.people import VOLUNTEERS
from hearth.notifications.choices import Channel
from hearth.notifications.models import ContactPoint, NotificationPreferences

DEMO_MAIL_DOMAIN = "demo.hearth.invalid"


def demo_address(user: User) -> str:
    return f"{user.username}@{DEMO_MAIL_DOMAIN}"


def demo_logins(staff: Iterable[User], record_numbers: Iterable[str]) -> list[User]:
    """The team, the volunteers, and the families (and patients' own sign-ins)
    of the demo's patients: every login the demo made, and nobody else."""
    numbers = list(record_numbers)
    others = User.objects.filter(
        Q(username__in=[spec["username"] for spec in VOLUNTEERS])
        | Q(kind=UserKind.FAMILY, caregiver_link__patient__record_number__in=numbers)
        | Q(kind=UserKind.PATIENT, patient_record__record_number__in=numbers)
    )
    return sorted({*staff, *others}, key=lambda user: user.pk)


def seed_contact_points(staff: Iterable[User], record_numbers: Iterable[str]) -> int:
    """A verified demo e-mail address for each demo login that has none yet;
    returns how many were added."""
    now = clock.now()
    added = 0
    for user in demo_logins(staff, record_numbers):
        _point, created = ContactPoint.objects.get_or_create(
            user=user,
            channel=Channel.EMAIL,
            address=demo_address(user),
            defaults={"created_at": now, "verified_at": now, "label": "Demo mail catcher"},
        )
        added += created
        if user.kind != UserKind.STAFF:
            NotificationPreferences.objects.get_or_create(
                user=user,
                defaults={
                    "visit_changes": True,
                    "visit_reminders": True,
                    "help_request_seen": True,
                },
            )
    return added
