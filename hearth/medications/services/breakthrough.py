"""Breakthrough review: three or more as-needed opioid doses in 24 hours prompt
the physician to review the regular dose."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import messages
from hearth.medications import checks
from hearth.medications.choices import OrderKind
from hearth.medications.models import Administration, dose_param
from hearth.monitoring.alerts import (
    Evidence,
    in_service_language,
    raise_alert,
    severity_for,
)
from hearth.monitoring.choices import AlertRule, OnCallRole
from hearth.monitoring.models import Alert
from hearth.patients.models import Patient

MICROSECOND = timedelta(microseconds=1)


def breakthrough_doses(
    patient: Patient, until: datetime, *, since: datetime | None = None
) -> list[Administration]:
    """As-needed opioid doses given after ``since`` (default: 24 h before
    ``until``) up to ``until``."""
    return list(
        Administration.objects.given()
        .filter(
            patient=patient,
            order__kind=OrderKind.AS_NEEDED,
            order__drug_route__drug__is_opioid=True,
            given_at__gt=since if since is not None else until - checks.DAY,
            given_at__lte=until,
        )
        .select_related("order__drug_route__drug")
        .order_by("given_at")
    )


def _busiest_breakthrough_day(administration: Administration) -> list[Administration]:
    """The breakthrough doses in the busiest rolling 24 h that holds this dose.
    A dose written down late can complete three with doses given after it, so
    the doses after it count too, not only the 24 h up to it."""
    moment = administration.given_at
    nearby = breakthrough_doses(
        administration.patient, moment + checks.DAY - MICROSECOND, since=moment - checks.DAY
    )
    busiest: list[Administration] = []
    for first in nearby:
        if not moment - checks.DAY < first.given_at <= moment:
            continue
        window = [d for d in nearby if first.given_at <= d.given_at < first.given_at + checks.DAY]
        if len(window) > len(busiest):
            busiest = window
    return busiest


@in_service_language
def _review_breakthrough(*, actor: User, administration: Administration) -> None:
    """Three or more breakthrough doses in 24 h: prompt the physician to review
    the regular dose (docs/clinical-reference.md), through the monitoring alerts."""
    doses = _busiest_breakthrough_day(administration)
    if len(doses) < settings.HEARTH_BREAKTHROUGH_REVIEW_COUNT:
        return
    already_open = (
        Alert.objects.open()
        .filter(patient=administration.patient, rule=AlertRule.BREAKTHROUGH_DOSES)
        .exists()
    )
    raise_alert(
        actor=actor,
        patient=administration.patient,
        rule=AlertRule.BREAKTHROUGH_DOSES,
        severity=severity_for("breakthrough_doses"),
        summary=messages.plural_text(
            "%(count)s breakthrough dose in 24 hours: review the regular opioid dose.",
            "%(count)s breakthrough doses in 24 hours: review the regular opioid dose.",
            count=len(doses),
        ),
        evidence=[
            Evidence(
                description=messages.text(
                    gettext_noop("%(drug)s %(dose)s at %(time)s"),
                    drug=dose.order.drug_route.drug.name,
                    dose=dose_param(dose.dose, dose.dose_unit),
                    time=dose.given_at,
                ),
                source="administration",
                source_id=str(dose.external_id),
                observed_at=dose.given_at,
                values={"dose": str(dose.dose), "unit": dose.dose_unit},
            )
            # An open alert already lists the earlier doses: attach only this one.
            for dose in (doses if not already_open else [administration])
        ],
        first_role=OnCallRole.PHYSICIAN,
    )
