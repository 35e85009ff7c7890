"""The vocabularies of an allergy or intolerance record (the FHIR
AllergyIntolerance shape, shared/CLINICAL.md "Allergies and intolerances")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubstanceKind(models.TextChoices):
    DRUG = "drug", _("medicine")
    DRUG_CLASS = "drug_class", _("group of medicines")
    NON_DRUG = "non_drug", _("not a medicine")
    OTHER = "other", _("other (described)")


#: Kinds that make an allergy a *drug* allergy: it ends and blocks a "no known
#: drug allergies" statement, and it is matched at prescribing.
DRUG_KINDS = (SubstanceKind.DRUG, SubstanceKind.DRUG_CLASS)


class AllergyType(models.TextChoices):
    ALLERGY = "allergy", _("allergy")
    INTOLERANCE = "intolerance", _("intolerance")


class ReactionSeverity(models.TextChoices):
    MILD = "mild", _("mild")
    MODERATE = "moderate", _("moderate")
    SEVERE = "severe", _("severe")
    ANAPHYLAXIS = "anaphylaxis", _("anaphylaxis")


class Certainty(models.TextChoices):
    SUSPECTED = "suspected", _("suspected")
    CONFIRMED = "confirmed", _("confirmed")
    REFUTED = "refuted", _("refuted (not an allergy)")


class RecordStatus(models.TextChoices):
    """A clinician's record, or the family's proposal waiting for one."""

    PROPOSED = "proposed", _("proposed by family, not yet confirmed by a clinician")
    RECORDED = "recorded", _("recorded by a clinician")
    DECLINED = "declined", _("proposal declined")


class SummaryStatus(models.TextChoices):
    """What the team knows about the person's allergies, at a glance."""

    NOT_ASKED = "not_asked", _("Allergies not yet asked")
    NONE_KNOWN = "none_known", _("No known drug allergies")
    LISTED = "listed", _("Allergies listed")
