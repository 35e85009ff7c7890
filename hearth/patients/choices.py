"""Clinical vocabularies for admission. Sources named; wording follows
docs/clinical-reference.md."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class DiagnosisGroup(models.TextChoices):
    """Diagnosis groups in scope for the service (docs/clinical-reference.md, Eligibility)."""

    CANCER = "cancer", _("Progressive cancer")
    NEUROLOGICAL = "neurological", _("Progressive neurological disease")
    HEART_FAILURE = "heart_failure", _("Severe heart failure")
    RESPIRATORY = "respiratory", _("Severe chronic respiratory disease")
    KIDNEY = "kidney", _("Kidney failure")
    LIVER = "liver", _("Liver failure")
    FRAILTY = "frailty", _("Frailty")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    SOON = "soon", _("Soon (within a week)")
    URGENT = "urgent", _("Urgent (within 24 hours)")


class ReferrerType(models.TextChoices):
    GP = "gp", _("Family doctor")
    HOSPITAL = "hospital", _("Hospital team")
    SPECIALIST = "specialist", _("Specialist")
    COMMUNITY_NURSE = "community_nurse", _("Community nurse")
    FAMILY = "family", _("Family or the person themself")
    OTHER = "other", _("Other")


class EpisodeState(models.TextChoices):
    REFERRED = "referred", _("Referred")
    AWAITING_COMMISSION = "awaiting_commission", _("Awaiting medical commission")
    ACTIVE = "active", _("Active home care")
    DISCHARGED = "discharged", _("Discharged")
    DECEASED = "deceased", _("Deceased")
    BEREAVEMENT = "bereavement", _("Bereavement follow-up")
    CLOSED = "closed", _("Closed")
    NOT_ADMITTED = "not_admitted", _("Not admitted")


class EpisodeStage(models.TextChoices):
    """Where the journey stands, for people: the stored state refined by the
    decision in force, so that a granted or deferred commission decision is
    shown as such instead of "awaiting medical commission" (issue 20)."""

    REFERRED = "referred", _("Referred: eligibility screening next")
    AWAITING_COMMISSION = "awaiting_commission", _("Awaiting medical commission")
    COMMISSION_DEFERRED = "commission_deferred", _("Commission deferred its decision")
    AWAITING_ADMISSION = "awaiting_admission", _("Home care granted: admission next")
    ACTIVE = "active", _("Active home care")
    DISCHARGED = "discharged", _("Discharged")
    DECEASED = "deceased", _("Deceased")
    BEREAVEMENT = "bereavement", _("Bereavement follow-up")
    CLOSED = "closed", _("Closed")
    NOT_ADMITTED = "not_admitted", _("Not admitted")


#: States in which the service holds an open relationship with the patient.
OPEN_EPISODE_STATES = frozenset(
    {
        EpisodeState.REFERRED,
        EpisodeState.AWAITING_COMMISSION,
        EpisodeState.ACTIVE,
        EpisodeState.DISCHARGED,
        EpisodeState.DECEASED,
        EpisodeState.BEREAVEMENT,
    }
)

#: States an episode can be in once the patient has died in it.
AFTER_DEATH_STATES = (EpisodeState.DECEASED, EpisodeState.BEREAVEMENT, EpisodeState.CLOSED)


class SpictGeneralIndicator(models.TextChoices):
    """SPICT general indicators (docs/clinical-reference.md, Eligibility: screening aid)."""

    UNPLANNED_ADMISSIONS = "unplanned_admissions", _("Unplanned hospital admissions")
    POOR_PERFORMANCE = (
        "poor_performance",
        _("Performance status poor or deteriorating (in bed or chair half the day or more)"),
    )
    DEPENDENT_ON_OTHERS = "dependent_on_others", _("Dependent on others for care")
    CARER_NEEDS_HELP = "carer_needs_help", _("The carer needs more help and support")
    WEIGHT_LOSS = "weight_loss", _("Progressive weight loss")
    PERSISTENT_SYMPTOMS = "persistent_symptoms", _("Persistent symptoms despite optimal treatment")
    ASKS_FOR_PALLIATIVE_CARE = (
        "asks_for_palliative_care",
        _("The person or family asks for palliative care, or chooses to reduce or stop treatment"),
    )


class SpictConditionIndicator(models.TextChoices):
    """SPICT condition-specific indicator groups (docs/clinical-reference.md)."""

    CANCER = "cancer", _("Cancer")
    DEMENTIA_FRAILTY = "dementia_frailty", _("Dementia or frailty")
    NEUROLOGICAL = "neurological", _("Neurological disease")
    HEART_VASCULAR = "heart_vascular", _("Heart or vascular disease")
    RESPIRATORY = "respiratory", _("Respiratory disease")
    KIDNEY = "kidney", _("Kidney disease")
    LIVER = "liver", _("Liver disease")


class ScreeningOutcome(models.TextChoices):
    REFER_TO_COMMISSION = "refer_to_commission", _("Refer to the medical commission")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible for palliative home care now")


class FormOfCare(models.TextChoices):
    HOME = "home", _("Home / outpatient care")
    DAY_CARE = "day_care", _("Day care")
    INPATIENT = "inpatient", _("Inpatient care")


class CommissionOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    DEFERRED = "deferred", _("Deferred")


class PlaceOfDeath(models.TextChoices):
    HOME = "home", _("Home")
    HOSPITAL = "hospital", _("Hospital")
    HOSPICE = "hospice", _("Hospice")
    CARE_HOME = "care_home", _("Care home")
    OTHER = "other", _("Other")


class DischargeReason(models.TextChoices):
    CONDITION_IMPROVED = "condition_improved", _("Condition improved or stable")
    MOVED_TO_INPATIENT = "moved_to_inpatient", _("Moved to inpatient care")
    MOVED_AWAY = "moved_away", _("Moved out of the service area")
    PATIENT_CHOICE = "patient_choice", _("The person chose to leave the service")
    COMMISSION_REVIEW = "commission_review", _("Palliative status not renewed at review")
    OTHER = "other", _("Other")


class CareTeamRole(models.TextChoices):
    LEAD_PHYSICIAN = "lead_physician", _("Lead physician")
    PHYSICIAN = "physician", _("Physician")
    KEY_NURSE = "key_nurse", _("Key nurse")
    NURSE = "nurse", _("Nurse")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    CHAPLAIN = "chaplain", _("Chaplain")
    COORDINATOR = "coordinator", _("Care coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")


#: Which disciplines may hold which care-team role.
ROLE_DISCIPLINES: dict[str, frozenset[str]] = {
    CareTeamRole.LEAD_PHYSICIAN: frozenset({"physician"}),
    CareTeamRole.PHYSICIAN: frozenset({"physician"}),
    CareTeamRole.KEY_NURSE: frozenset({"nurse"}),
    CareTeamRole.NURSE: frozenset({"nurse"}),
    CareTeamRole.PSYCHOLOGIST: frozenset({"psychologist"}),
    CareTeamRole.SOCIAL_WORKER: frozenset({"social_worker"}),
    CareTeamRole.CHAPLAIN: frozenset({"chaplain"}),
    CareTeamRole.COORDINATOR: frozenset({"coordinator"}),
    CareTeamRole.VOLUNTEER: frozenset({"volunteer"}),
}


#: Words a coordinator types for a relative's relationship (the field stays free
#: text: families are not a fixed list), each with a label translated for the
#: reader, so a Russian-speaking family does not read "— wife".
KNOWN_RELATIONSHIPS: dict[str, Any] = {
    "wife": pgettext_lazy("relationship", "wife"),
    "husband": pgettext_lazy("relationship", "husband"),
    "partner": pgettext_lazy("relationship", "partner"),
    "spouse": pgettext_lazy("relationship", "spouse"),
    "daughter": pgettext_lazy("relationship", "daughter"),
    "son": pgettext_lazy("relationship", "son"),
    "mother": pgettext_lazy("relationship", "mother"),
    "father": pgettext_lazy("relationship", "father"),
    "sister": pgettext_lazy("relationship", "sister"),
    "brother": pgettext_lazy("relationship", "brother"),
    "granddaughter": pgettext_lazy("relationship", "granddaughter"),
    "grandson": pgettext_lazy("relationship", "grandson"),
    "daughter-in-law": pgettext_lazy("relationship", "daughter-in-law"),
    "son-in-law": pgettext_lazy("relationship", "son-in-law"),
    "niece": pgettext_lazy("relationship", "niece"),
    "nephew": pgettext_lazy("relationship", "nephew"),
    "friend": pgettext_lazy("relationship", "friend"),
    "neighbour": pgettext_lazy("relationship", "neighbour"),
}


def relationship_label(typed: str) -> str:
    """A typed relationship in the reader's language when it is a known word
    ("wife" → «жена»), else exactly as typed."""
    known = KNOWN_RELATIONSHIPS.get((typed or "").strip().lower())
    return str(known) if known is not None else typed
