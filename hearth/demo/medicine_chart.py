"""How the demo tells a patient's medicines, day by day, through the same
services the doctors, nurses and families use, so refusals, the
breakthrough-dose alert, the register and the audit trail are real.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hearth.core import clock
from hearth.demo.symptom_week import Week
from hearth.medications import services
from hearth.medications.models import DrugRoute, Formulation, MedicationOrder


def find_drug_route(name: str, route: str) -> DrugRoute:
    return DrugRoute.objects.get(drug__name=name, route=route)


def find_formulation(name: str, route: str, strength: str, form: str | None = None) -> Formulation:
    found = Formulation.objects.filter(
        drug_route__drug__name=name, drug_route__route=route, strength=strength
    )
    return found.get(form=form) if form else found.get()


class Chart(Week):
    """One patient's medicines, told day by day."""

    def prescribe(self, by: str, drug_route: DrugRoute, **values: Any) -> MedicationOrder:
        return services.prescribe(
            actor=self.user(by), patient=self.patient, drug_route=drug_route, **values
        )

    def sign_off(self, by: str, family: str, *routes: str) -> None:
        for route in routes:
            services.sign_off_caregiver(
                actor=self.user(by),
                patient=self.patient,
                caregiver=self.user(family),
                route=route,
                signed_off_on=clock.today(),
                expires_on=clock.today() + timedelta(days=90),
                note="Watched a dose drawn up and given, then gave two under supervision.",
            )

    def give(
        self, by: str, order: MedicationOrder, slot: datetime | None = None, **values: Any
    ) -> services.Recorded:
        order.refresh_from_db()
        assert order.current is not None
        values.setdefault("dose", order.current.dose)
        return services.record_administration(
            actor=self.user(by),
            order=order,
            route=order.drug_route.route,
            scheduled_for=slot,
            idempotency_key=f"demo-{order.pk}-{clock.now():%Y%m%dT%H%M%S}-{by}",
            **values,
        )

    def stock(
        self, by: str, formulation: Formulation, movement: str, quantity: Any, **values: Any
    ) -> None:
        services.record_stock(
            actor=self.user(by),
            patient=self.patient,
            formulation=formulation,
            movement=movement,
            quantity=quantity,
            **values,
        )
