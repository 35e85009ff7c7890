"""Demo: Olga Kuznetsova (HH-1005) died at home; her son Andrei is followed up.

Through the real services, idempotent. When ``seed_demo`` records her death
with this app installed, the plan is created by the death itself (the
receiver); for a database seeded before this app existed ``create_plan_for``
creates it now. Then the first contact is recorded, a risk screen (moderate)
is done, and the next contact stays due. Equipment still at home comes from
the equipment demo, if any: this seed does not depend on it.
"""

from __future__ import annotations

from datetime import timedelta

from hearth.accounts.models import User
from hearth.core import clock
from hearth.patients.models import Patient

from . import services
from .choices import ContactSource, ContactStatus, RiskFactor
from .models import BereavementContact, RiskScreen

RECORD_NUMBER = "HH-1005"


def seed_bereavement(staff: dict[str, User]) -> None:
    patient = Patient.objects.filter(record_number=RECORD_NUMBER).first()
    if patient is None:
        return
    episode = patient.episodes.filter(died_at__isnull=False).order_by("-opened_at").first()
    if episode is None:
        return
    plan = services.create_plan_for(episode=episode)
    if not plan.is_open:
        return
    psychologist = staff["psych.mensah"]
    first = (
        BereavementContact.objects.filter(plan=plan, source=ContactSource.SCHEDULE)
        .order_by("due_on", "id")
        .first()
    )
    if first is not None and first.status == ContactStatus.PLANNED:
        services.record_contact(
            actor=psychologist,
            contact=first,
            outcome=ContactStatus.DONE,
            done_at=clock.now() - timedelta(days=1),
            note=(
                "Phoned Andrei a few days early, after the funeral, at his request. "
                "Sleeping badly, back at work next week; his partner is with him. "
                "Talked through what to expect in the coming weeks; he has the support line."
            ),
        )
    if not RiskScreen.objects.valid().filter(plan=plan).exists():
        services.record_risk_screen(
            actor=psychologist,
            plan=plan,
            factors=[RiskFactor.DEPENDENT_RELATIONSHIP, RiskFactor.HIGH_CAREGIVER_STRAIN],
            note=(
                "Only son, lived with his mother and was her main carer for the last months. "
                "Good support from his partner. Review at the six-week visit."
            ),
        )
