"""How the demo tells a family's training and support, through the same
services the nurses, psychologists, social workers, the coordinator and the
families use, so sign-offs, the support task a high strain score raises and
the audit trail are real.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from hearth.accounts.models import User
from hearth.caregiving import services
from hearth.core import clock
from hearth.medications.models import MedicineSignOff
from hearth.patients.models import CaregiverLink, Patient


class Family:
    def __init__(self, patient: Patient, staff: dict[str, User], today: date) -> None:
        self.patient = patient
        self.staff = staff
        self.today = today

    def user(self, username: str) -> User:
        return self.staff.get(username) or User.objects.get(username=username)

    def carer(self, username: str) -> CaregiverLink:
        return CaregiverLink.objects.select_related("user").get(
            patient=self.patient, user__username=username
        )

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def moment(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(self.day(days_ago), time(hour, minute)))

    @contextmanager
    def at(self, days_ago: int, hour: int, minute: int = 0) -> Iterator[None]:
        with clock.travel_to(self.moment(days_ago, hour, minute)):
            yield

    def step(
        self, by: str, carer: str, skill: str, step: str, days_ago: int, **values: Any
    ) -> None:
        with self.at(days_ago, 11):
            services.record_training_step(
                actor=self.user(by),
                patient=self.patient,
                caregiver=self.carer(carer),
                skill=skill,
                step=step,
                on=self.day(days_ago),
                **values,
            )

    def taught(self, by: str, carer: str, skill: str, shown: int, practised: int) -> None:
        self.step(by, carer, skill, "demonstrated", shown)
        self.step(by, carer, skill, "practised", practised)

    def medicine_signed_off(self, carer: str, route: str) -> bool:
        return MedicineSignOff.objects.filter(
            patient=self.patient, caregiver__username=carer, route=route, revoked_at__isnull=True
        ).exists()


# --- Training ---------------------------------------------------------------------------
