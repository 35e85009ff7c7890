"""Vocabularies of the assessments app."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Respondent(models.TextChoices):
    """Who completed the form (ESAS-r asks for it; docs/clinical-reference.md)."""

    PATIENT = "patient", _("The patient")
    FAMILY_CAREGIVER = "family_caregiver", _("A family caregiver")
    PROFESSIONAL = "professional", _("A health professional")
    CAREGIVER_ASSISTED = "caregiver_assisted", _("The patient, helped by a caregiver")


class Phase(models.TextChoices):
    """Phase of illness (Palliative Care Outcomes Collaboration; docs/clinical-reference.md)."""

    STABLE = "stable", _("Stable")
    UNSTABLE = "unstable", _("Unstable")
    DETERIORATING = "deteriorating", _("Deteriorating")
    TERMINAL = "terminal", _("Terminal (dying)")
    BEREAVED = "bereaved", _("Bereaved")


PHASE_HELP: dict[str, Any] = {
    Phase.STABLE: _(
        "Symptoms adequately controlled by the established plan; family situation relatively "
        "stable."
    ),
    Phase.UNSTABLE: _(
        "An urgent change in the plan or emergency treatment is needed: a new, unanticipated "
        "problem, a rapid increase in a current one, or a sudden change for the family."
    ),
    Phase.DETERIORATING: _(
        "The plan addresses anticipated needs but needs periodic review: function declining, "
        "gradual worsening or new anticipated problems, or gradually increasing carer distress."
    ),
    Phase.TERMINAL: _("Death is likely within days."),
    Phase.BEREAVED: _("Death has occurred; care continues for the family."),
}


class Context(models.TextChoices):
    CHECK_IN = "check_in", _("Daily check-in")
    HOME_VISIT = "home_visit", _("Home visit")
    TELECONSULT = "teleconsult", _("Teleconsultation")
    PHONE = "phone", _("Phone call")
    OTHER = "other", _("Other")
