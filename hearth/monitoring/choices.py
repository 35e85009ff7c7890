"""Vocabularies of the monitoring app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceKind(models.TextChoices):
    PULSE_OXIMETER = "pulse_oximeter", _("Pulse oximeter")
    THERMOMETER = "thermometer", _("Thermometer")
    BLOOD_PRESSURE_CUFF = "blood_pressure_cuff", _("Blood-pressure cuff")
    OXYGEN_CONCENTRATOR = "oxygen_concentrator", _("Oxygen concentrator")
    HUB = "hub", _("Home hub (several devices)")


class AlertRule(models.TextChoices):
    HELP_REQUESTED = "help_requested", _("“We need help now” pressed")
    ESAS_SEVERE = "esas_severe", _("Severe symptom")
    ESAS_RISE = "esas_rise", _("Symptom rising since the last check-in")
    NEWS2 = "news2", _("NEWS2 trigger from home readings")
    CAREGIVER_STRAIN = "caregiver_strain", _("Caregiver strain high")
    CAREGIVER_CANNOT_COPE = "caregiver_cannot_cope", _("Caregiver says they cannot cope")
    OXYGEN_EQUIPMENT = "oxygen_equipment", _("Oxygen equipment failure")
    BREAKTHROUGH_DOSES = "breakthrough_doses", _("Three or more breakthrough doses in 24 h")
    EQUIPMENT_FAULT = "equipment_fault", _("Home equipment fault reported")
    EQUIPMENT_SAFETY_CHECK = "equipment_safety_check", _("Home equipment safety check failed")


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


SEVERITY_RANK: dict[str, int] = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Waiting for someone to act")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


OPEN_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class TriageOutcome(models.TextChoices):
    """Triage outcomes from docs/clinical-reference.md."""

    ADVICE_BY_PHONE = "advice_by_phone", _("Advice by phone")
    TREATMENT_ADJUSTMENT = "treatment_adjustment", _("Treatment adjustment")
    TELECONSULT = "teleconsult", _("Teleconsultation")
    NURSE_VISIT = "nurse_visit", _("Nurse visit")
    URGENT_PHYSICIAN_VISIT = "urgent_physician_visit", _("Urgent physician visit (dispatch)")
    EMERGENCY_SERVICES = "emergency_services", _("Emergency services")
    NO_ACTION = "no_action", _("No action (with the reason)")


class OnCallRole(models.TextChoices):
    """The escalation chain, first to last (docs/clinical-reference.md)."""

    NURSE = "nurse", _("Nurse on call")
    PHYSICIAN = "physician", _("Physician on call")
    CLINICAL_LEAD = "clinical_lead", _("Clinical lead")


class AlertOwnerRole(models.TextChoices):
    """Who owns an alert: a step of the on-call chain, or the care coordinator,
    who takes an equipment alert when home care ends with the equipment still
    in the home (the oxygen must be made safe and collected). Unacknowledged
    by the coordinator in time, it goes to the clinical lead."""

    NURSE = OnCallRole.NURSE.value, OnCallRole.NURSE.label
    PHYSICIAN = OnCallRole.PHYSICIAN.value, OnCallRole.PHYSICIAN.label
    CLINICAL_LEAD = OnCallRole.CLINICAL_LEAD.value, OnCallRole.CLINICAL_LEAD.label
    COORDINATOR = "coordinator", _("Care coordinator")


class PhysiologicalRouting(models.TextChoices):
    """What NEWS2 triggers do for this person (docs/clinical-reference.md:
    follow the goals of care)."""

    AUTOMATIC = (
        "automatic",
        _(
            "Follow the goals of care: comfort checks when care is comfort-focused or the person "
            "is dying, otherwise standard"
        ),
    )
    STANDARD = "standard", _("Standard: NEWS2 triggers raise alerts")
    COMFORT_CHECK = "comfort_check", _("Comfort check: a low-severity check, not an emergency")
    MUTED = "muted", _("Muted: readings are kept, no alerts")
