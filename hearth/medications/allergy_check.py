"""The allergy check at prescribing (shared/CLINICAL.md, "Allergies and
intolerances"; hazards M13–M16).

A drug matches an active allergy (recorded by a clinician, not refuted, not
entered in error) whose substance is that drug, or a group of medicines that
contains it (an "opioids" allergy matches oxycodone). A confirmed allergy
with a severe reaction is refused with no override; any other match (a
suspected allergy, a mild or moderate reaction, an intolerance) needs the
physician's reason, which is kept on the order version and in the audit
trail. The family's unconfirmed proposals do not refuse (a clinician has not
confirmed them) but are shown on the order form.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from hearth.allergies.choices import AllergyType, Certainty, SubstanceKind
from hearth.allergies.models import AllergyIntolerance
from hearth.core.errors import ValidationFailed
from hearth.medications.models import DrugRoute
from hearth.patients.models import Patient

OVERRIDE_LIMIT = 2000
#: The catalogue's code of the opioid group (allergies/migrations/0002).
OPIOID_GROUP = "opioids"


def matching_allergies(patient: Patient, drug_route: DrugRoute) -> list[AllergyIntolerance]:
    """Active allergies and intolerances to this drug or to a group containing it."""
    name = drug_route.drug.name
    matches = Q(substance__kind=SubstanceKind.DRUG, substance__drug_name__iexact=name) | Q(
        substance__kind=SubstanceKind.DRUG_CLASS, substance__members__drug_name__iexact=name
    )
    if drug_route.drug.is_opioid:
        # An opioid added to the formulary after the catalogue was seeded is
        # still an opioid: the formulary's own flag matches the opioid group.
        matches |= Q(substance__kind=SubstanceKind.DRUG_CLASS, substance__code=OPIOID_GROUP)
    return list(
        AllergyIntolerance.objects.for_patient(patient)
        .active()
        .filter(matches)
        .select_related("substance")
        .distinct()
        .order_by("pk")
    )


def contraindicates(allergy: AllergyIntolerance) -> bool:
    """A confirmed allergy with a severe reaction: prescribing is refused.
    Which severities count is ``HEARTH_ALLERGY_REFUSE_SEVERITIES`` (default
    severe and anaphylaxis, CLINICAL.md: "refused for a confirmed severe
    reaction"; *verify*)."""
    return (
        allergy.type == AllergyType.ALLERGY
        and allergy.certainty == Certainty.CONFIRMED
        and allergy.severity in settings.HEARTH_ALLERGY_REFUSE_SEVERITIES
    )


def _describe(allergy: AllergyIntolerance) -> str:
    return _("%(substance)s (%(type)s, %(severity)s, %(certainty)s)") % {
        "substance": allergy.substance_label,
        "type": allergy.get_type_display(),
        "severity": allergy.get_severity_display(),
        "certainty": allergy.get_certainty_display(),
    }


def check_allergies(*, patient: Patient, drug_route: DrugRoute, override_reason: str) -> str:
    """Refuse a drug the person is allergic to, or return the override reason
    (stripped; "" when nothing matched). Raises ``ValidationFailed`` on
    ``drug_route`` (code ``allergy_contraindicated``) or on
    ``allergy_override_reason`` (code ``allergy_override_required``)."""
    found = matching_allergies(patient, drug_route)
    if not found:
        return ""
    names = "; ".join(_describe(allergy) for allergy in found)
    if any(contraindicates(allergy) for allergy in found):
        message = _(
            "Not prescribed: %(drug)s matches a confirmed severe allergy: %(allergies)s. "
            "Choose another medicine."
        ) % {"drug": drug_route.drug.name, "allergies": names}
        raise ValidationFailed(
            message, code="allergy_contraindicated", field_errors={"drug_route": [message]}
        )
    reason = (override_reason or "").strip()
    if not reason:
        message = _(
            "%(drug)s matches a recorded allergy or intolerance: %(allergies)s. "
            "Say why it is right to prescribe it anyway."
        ) % {"drug": drug_route.drug.name, "allergies": names}
    elif len(reason) > OVERRIDE_LIMIT:
        message = _("At most 2000 characters.")
    elif "\x00" in reason:
        message = _("Remove the invisible control character.")
    else:
        return reason
    raise ValidationFailed(
        message,
        code="allergy_override_required",
        field_errors={"allergy_override_reason": [message]},
    )
