"""Allergies in the demo (issue 19): Amina Hassan has a confirmed penicillin
allergy and a plaster intolerance, Pyotr Smirnov has "no known drug
allergies", Tom Whitaker's partner has proposed an allergy a nurse has not yet
confirmed, and everyone else has not been asked yet (the order forms warn).
Told after the medicines, through the same services a nurse uses, once."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from hearth.accounts.models import User
from hearth.allergies import services
from hearth.allergies.models import AllergyIntolerance, NoKnownDrugAllergies
from hearth.core import clock
from hearth.demo.equipment_store import patient_numbered, user_named
from hearth.demo.stories import hassan, smirnov, whitaker


def seed_allergies(staff: dict[str, User]) -> None:
    brennan = user_named(staff, "nurse.brennan")
    sokolova = user_named(staff, "nurse.sokolova")
    partner = user_named(staff, "family.whitaker")
    amina = patient_numbered(hassan.RECORD_NUMBER)
    pyotr = patient_numbered(smirnov.RECORD_NUMBER)
    tom = patient_numbered(whitaker.RECORD_NUMBER)
    if None in (brennan, sokolova, partner, amina, pyotr, tom):
        return
    patients = [amina, pyotr, tom]
    if (
        AllergyIntolerance.objects.filter(patient__in=patients).exists()
        or NoKnownDrugAllergies.objects.filter(patient__in=patients).exists()
    ):
        return
    assert brennan and sokolova and partner and amina and pyotr and tom
    a_month_ago = clock.today() - timedelta(days=30)
    with transaction.atomic():
        services.record_allergy(
            actor=brennan,
            patient=amina,
            substance="penicillins",
            reaction="Swollen lips and a widespread rash after amoxicillin (2019)",
            severity="severe",
            certainty="confirmed",
            reported_by="Amina and her GP record",
            reported_on=a_month_ago,
        )
        services.record_allergy(
            actor=brennan,
            patient=amina,
            substance="adhesive",
            type="intolerance",
            reaction="Red, sore skin under sticky dressings",
            severity="mild",
            certainty="suspected",
            reported_by="Leila (daughter)",
            reported_on=a_month_ago,
        )
        services.record_no_known_drug_allergies(
            actor=sokolova, patient=pyotr, reported_by="Pyotr and Tatiana (wife)"
        )
        services.propose_allergy(
            actor=partner,
            patient=tom,
            substance="codeine",
            type="intolerance",
            reaction="Years ago codeine made him very sick and confused.",
        )
