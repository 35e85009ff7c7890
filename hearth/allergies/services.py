"""Every change to a person's allergies and intolerances.

Clinicians record, change, refute and mark entered in error; the family
proposes in their own words and a clinician accepts (it becomes a record) or
declines with a reason. "No known drug allergies" is a statement with a date,
ended by the first drug allergy recorded. Each function checks the rules,
validates with field-named errors, writes in one transaction with the
patient's row locked (so an allergy and a "no known drug allergies" statement
cannot be written side by side by two clinicians) and leaves an audit event.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.allergies.choices import (
    DRUG_KINDS,
    AllergyType,
    Certainty,
    ReactionSeverity,
    RecordStatus,
    SubstanceKind,
)
from hearth.allergies.models import AllergyIntolerance, NoKnownDrugAllergies, Substance
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm, unknown_keys, year_in_range
from hearth.patients.models import Patient

TEXT_LIMIT = 2000
#: What a clinician may change on a record (the substance is not among them: a
#: wrong substance is entered in error and the right one recorded).
CHANGEABLE = ("type", "reaction", "severity", "certainty", "reported_by", "reported_on")
#: Certainties a clinician records when accepting a proposal or recording.
RECORDABLE_CERTAINTIES = (Certainty.SUSPECTED, Certainty.CONFIRMED, Certainty.REFUTED)


# --- Validation shared by recording, proposing and changing -------------------


def find_substance(code: Any, errors: Errors) -> Substance | None:
    """The catalogue entry for ``code``, or a field error naming ``substance``."""
    text = str(code or "").strip()
    if not text:
        errors.add("substance", _("Choose what the person reacts to."))
        return None
    # PostgreSQL refuses a NUL character in a query: such a code is unknown, not a 500.
    found = None if "\x00" in text else Substance.objects.filter(code=text, active=True).first()
    if found is None:
        errors.add(
            "substance",
            _(
                "“%(code)s” is not in the list of substances. Choose one from the list, "
                "or “other” and describe it."
            )
            % {"code": text[:60]},
        )
    return found


def _choice(value: Any, choices: Any, field: str, errors: Errors, message: str) -> str:
    text = str(value or "").strip()
    if text not in choices.values:
        errors.add(field, message)
    return text


def _text(value: Any, field: str, errors: Errors, *, required: str = "", limit: int) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        errors.add(field, _("Remove the invisible control character."))
    elif required and not text:
        errors.add(field, required)
    elif len(text) > limit:
        errors.add(field, _("At most %(count)s characters.") % {"count": limit})
    return text


def _day(value: Any, field: str, errors: Errors) -> date:
    """A calendar day, today when not given; never in the future."""
    if value in (None, ""):
        return clock.today()
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            errors.add(field, _("Give a date as YYYY-MM-DD."))
            return clock.today()
    problem = year_in_range(day)
    if problem:
        errors.add(field, problem)
    elif day > clock.today():
        errors.add(field, _("This date is in the future."))
    return day


def _details(
    values: Mapping[str, Any], errors: Errors, *, severity_required: bool
) -> dict[str, Any]:
    """Type, reaction, severity, certainty and who reported it, checked."""
    details: dict[str, Any] = {
        "type": _choice(
            values.get("type") or AllergyType.ALLERGY,
            AllergyType,
            "type",
            errors,
            _("Choose allergy or intolerance."),
        ),
        "reaction": _text(values.get("reaction"), "reaction", errors, limit=TEXT_LIMIT),
        "reported_by": _text(
            values.get("reported_by"),
            "reported_by",
            errors,
            required=_("Say who told the team (the person, a relative, a letter…)."),
            limit=120,
        ),
        "reported_on": _day(values.get("reported_on"), "reported_on", errors),
    }
    severity = values.get("severity") or ""
    if severity or severity_required:
        details["severity"] = _choice(
            severity,
            ReactionSeverity,
            "severity",
            errors,
            _("Choose how bad the reaction was: mild, moderate, severe or anaphylaxis."),
        )
    else:
        details["severity"] = ""
    details["certainty"] = _choice(
        values.get("certainty") or Certainty.SUSPECTED,
        Certainty,
        "certainty",
        errors,
        _("Choose suspected, confirmed or refuted."),
    )
    return details


def _substance_text(substance: Substance | None, text: Any, errors: Errors) -> str:
    description = _text(text, "substance_text", errors, limit=200)
    if substance is not None and substance.kind == SubstanceKind.OTHER and not description:
        errors.add("substance_text", _("Describe the substance."))
    return description


def _fields(allergy: AllergyIntolerance) -> dict[str, Any]:
    return {
        "substance": allergy.substance.code,
        "substance_text": allergy.substance_text,
        "type": allergy.type,
        "reaction": allergy.reaction,
        "severity": allergy.severity,
        "certainty": allergy.certainty,
        "reported_by": allergy.reported_by,
        "reported_on": allergy.reported_on,
        "status": allergy.status,
    }


_ENDED_FIELDS = ["ended_at", "ended_by", "end_reason", "end_reason_key", "end_reason_params"]


def _end_for(statement: NoKnownDrugAllergies, reason: messages.Message) -> None:
    """The service's own words for why "no known drug allergies" ended: the
    text in the service's language, and the key for every other reader."""
    statement.end_reason, statement.end_reason_key, statement.end_reason_params = messages.stored(
        reason, language=settings.LANGUAGE_CODE
    )


def _save(row: Any, actor: User, **options: Any) -> None:
    """Save with the actor named on the history version (also outside a request)."""
    row._history_user = actor
    row.save(**options)


def _lock_allergy(allergy: AllergyIntolerance) -> AllergyIntolerance:
    lock(Patient, allergy.patient_id, of=("self",))
    return lock(AllergyIntolerance, allergy.pk, related=("substance", "patient"), of=("self",))


def _refuse_if_entered_in_error(allergy: AllergyIntolerance) -> None:
    if allergy.entered_in_error_at is not None:
        raise InvalidTransition(_("This entry was marked entered in error; record a new one."))


def _end_nkda_for(*, actor: User, allergy: AllergyIntolerance) -> None:
    """Recording an active drug allergy ends "no known drug allergies"."""
    if not (
        allergy.is_active
        and allergy.type == AllergyType.ALLERGY
        and allergy.substance.kind in DRUG_KINDS
    ):
        return
    for statement in NoKnownDrugAllergies.objects.select_for_update().filter(
        patient_id=allergy.patient_id, ended_at__isnull=True
    ):
        statement.ended_at = clock.now()
        statement.ended_by = actor
        reason = messages.text(
            gettext_noop("Drug allergy recorded: %(substance)s"),
            substance=allergy.substance_param,
        )
        _end_for(statement, reason)
        _save(statement, actor, update_fields=_ENDED_FIELDS)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            event_type=AuditEventType.NKDA_ENDED,
            patient=allergy.patient,
            obj=statement,
            summary=reason,
        )


# --- Clinicians ----------------------------------------------------------------


@transaction.atomic
def record_allergy(
    *,
    actor: User,
    patient: Patient,
    substance: Any,
    type: str = AllergyType.ALLERGY,
    reaction: str = "",
    severity: str = "",
    certainty: str = Certainty.SUSPECTED,
    reported_by: str = "",
    reported_on: Any = None,
    substance_text: str = "",
) -> AllergyIntolerance:
    """A clinician records an allergy or intolerance as the person or family
    described it; a drug allergy ends a "no known drug allergies" statement."""
    require_perm(
        actor,
        "allergies.record_allergies",
        patient,
        _("Only a physician or nurse of the team records allergies."),
    )
    errors = Errors()
    found = find_substance(substance, errors)
    description = _substance_text(found, substance_text, errors)
    details = _details(
        {
            "type": type,
            "reaction": reaction,
            "severity": severity,
            "certainty": certainty,
            "reported_by": reported_by,
            "reported_on": reported_on,
        },
        errors,
        severity_required=True,
    )
    errors.raise_if_any()
    assert found is not None
    lock(Patient, patient.pk, of=("self",))
    allergy = AllergyIntolerance(
        patient=patient,
        substance=found,
        substance_text=description,
        status=RecordStatus.RECORDED,
        recorded_by=actor,
        recorded_at=clock.now(),
        **details,
    )
    _save(allergy, actor)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.ALLERGY_RECORDED,
        patient=patient,
        obj=allergy,
        summary=messages.text(gettext_noop("Recorded: %(allergy)s"), allergy=allergy.as_message()),
        changes=audit.diff({}, _fields(allergy)),
    )
    _end_nkda_for(actor=actor, allergy=allergy)
    return allergy


@transaction.atomic
def change_allergy(
    *, actor: User, allergy: AllergyIntolerance, reason: str, changes: Mapping[str, Any]
) -> AllergyIntolerance:
    """A change is a new version (the old one stays in the history) with the reason."""
    require_perm(
        actor,
        "allergies.record_allergies",
        allergy.patient,
        _("Only a physician or nurse of the team changes allergies."),
    )
    errors = Errors()
    unknown_keys(changes, CHANGEABLE, errors)
    reason = _text(reason, "reason", errors, required=_("Say why it changes."), limit=TEXT_LIMIT)
    errors.raise_if_any()
    locked = _lock_allergy(allergy)
    _refuse_if_entered_in_error(locked)
    if locked.status != RecordStatus.RECORDED:
        raise InvalidTransition(_("A proposal is accepted or declined, not changed."))
    before = _fields(locked)
    details = _details({**before, **changes}, errors, severity_required=True)
    errors.raise_if_any()
    for name, value in details.items():
        setattr(locked, name, value)
    changed = audit.diff(before, _fields(locked))
    if not changed:
        raise ValidationFailed(
            _("Nothing changed: the record already says this."),
            field_errors={"__all__": [_("Nothing changed.")]},
        )
    locked.change_reason = reason
    locked.recorded_by = actor
    locked.recorded_at = clock.now()
    _save(locked, actor)
    refuted = changed.get("certainty", {}).get("to") == Certainty.REFUTED
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ALLERGY_REFUTED if refuted else AuditEventType.ALLERGY_CHANGED,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(gettext_noop("Changed: %(allergy)s"), allergy=locked.as_message()),
        changes={**changed, "reason": reason},
    )
    _end_nkda_for(actor=actor, allergy=locked)
    return locked


def refute_allergy(*, actor: User, allergy: AllergyIntolerance, reason: str) -> AllergyIntolerance:
    """It turned out not to be an allergy (e.g. tolerated since): the record
    stays, marked refuted, and no longer counts at prescribing."""
    if allergy.certainty == Certainty.REFUTED and allergy.status == RecordStatus.RECORDED:
        raise InvalidTransition(_("This allergy is already refuted."))
    return change_allergy(
        actor=actor, allergy=allergy, reason=reason, changes={"certainty": Certainty.REFUTED}
    )


@transaction.atomic
def mark_entered_in_error(
    *, actor: User, allergy: AllergyIntolerance, reason: str
) -> AllergyIntolerance:
    """A record written by mistake (wrong patient, wrong substance) is kept,
    marked, with the reason; it no longer counts anywhere."""
    require_perm(
        actor,
        "allergies.record_allergies",
        allergy.patient,
        _("Only a physician or nurse of the team corrects allergies."),
    )
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say what was wrong with this entry."))
    require("\x00" not in reason, "reason", _("Remove the invisible control character."))
    require(len(reason) <= TEXT_LIMIT, "reason", _("At most 2000 characters."))
    locked = _lock_allergy(allergy)
    _refuse_if_entered_in_error(locked)
    locked.entered_in_error_at = clock.now()
    locked.entered_in_error_by = actor
    locked.entered_in_error_reason = reason
    _save(
        locked,
        actor,
        update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"],
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ALLERGY_ENTERED_IN_ERROR,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Entered in error: %(allergy)s"), allergy=locked.as_message()
        ),
        changes={"reason": reason},
    )
    return locked


@transaction.atomic
def record_no_known_drug_allergies(
    *, actor: User, patient: Patient, reported_by: str, note: str = ""
) -> NoKnownDrugAllergies:
    """ "No known drug allergies", asked and answered today. Refused while an
    active drug allergy is recorded; stating it again starts a new date."""
    require_perm(
        actor,
        "allergies.record_allergies",
        patient,
        _("Only a physician or nurse of the team records this."),
    )
    errors = Errors()
    reported_by = _text(
        reported_by,
        "reported_by",
        errors,
        required=_("Say who told the team (the person, a relative, a letter…)."),
        limit=120,
    )
    note = _text(note, "note", errors, limit=TEXT_LIMIT)
    errors.raise_if_any()
    lock(Patient, patient.pk, of=("self",))
    drug_allergies = list(
        AllergyIntolerance.objects.for_patient(patient)
        .active()
        .drug_allergies()
        .select_related("substance")
    )
    if drug_allergies:
        names = ", ".join(allergy.substance_label for allergy in drug_allergies)
        raise Conflict(
            _(
                "A drug allergy is recorded (%(names)s): refute it or mark it entered in "
                "error before recording “no known drug allergies”."
            )
            % {"names": names},
            code="active_drug_allergy",
        )
    now = clock.now()
    for earlier in NoKnownDrugAllergies.objects.select_for_update().filter(
        patient=patient, ended_at__isnull=True
    ):
        earlier.ended_at = now
        earlier.ended_by = actor
        _end_for(earlier, messages.text(gettext_noop("Stated again")))
        _save(earlier, actor, update_fields=_ENDED_FIELDS)
    statement = NoKnownDrugAllergies(
        patient=patient, reported_by=reported_by, note=note, stated_by=actor, stated_at=now
    )
    _save(statement, actor)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.NKDA_RECORDED,
        patient=patient,
        obj=statement,
        summary=messages.text(
            gettext_noop("No known drug allergies (told by %(who)s)"), who=reported_by
        ),
        changes={"reported_by": reported_by, "note": note},
    )
    return statement


# --- The family's proposals ----------------------------------------------------


@transaction.atomic
def propose_allergy(
    *,
    actor: User,
    patient: Patient,
    substance: Any,
    reaction: str = "",
    substance_text: str = "",
    type: str = AllergyType.ALLERGY,
    severity: str = "",
) -> AllergyIntolerance:
    """The family tells the team about an allergy in their own words. It is
    shown as "proposed by family, not yet confirmed by a clinician" and does not
    count at prescribing until a clinician accepts it."""
    require_perm(actor, "allergies.propose_allergy", patient)
    errors = Errors()
    found = find_substance(substance, errors)
    description = _substance_text(found, substance_text, errors)
    details = _details(
        {
            "type": type,
            "reaction": reaction,
            "severity": severity,
            "reported_by": actor.display_name,
        },
        errors,
        severity_required=False,
    )
    require_reaction = details["reaction"]
    if not require_reaction:
        errors.add("reaction", _("Tell us what happened when they had it."))
    errors.raise_if_any()
    assert found is not None
    now = clock.now()
    details["certainty"] = Certainty.SUSPECTED
    allergy = AllergyIntolerance(
        patient=patient,
        substance=found,
        substance_text=description,
        status=RecordStatus.PROPOSED,
        proposed_by=actor,
        proposed_at=now,
        **details,
    )
    _save(allergy, actor)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.ALLERGY_PROPOSED,
        patient=patient,
        obj=allergy,
        summary=messages.text(
            gettext_noop("Proposed by the family: %(allergy)s"), allergy=allergy.as_message()
        ),
        changes=audit.diff({}, _fields(allergy)),
    )
    return allergy


def _pending(allergy: AllergyIntolerance) -> AllergyIntolerance:
    locked = _lock_allergy(allergy)
    _refuse_if_entered_in_error(locked)
    if locked.status != RecordStatus.PROPOSED:
        raise InvalidTransition(
            _("This proposal was already answered (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def accept_proposal(
    *,
    actor: User,
    allergy: AllergyIntolerance,
    severity: str,
    certainty: str,
    type: str = "",
    reaction: str | None = None,
) -> AllergyIntolerance:
    """A clinician takes the family's proposal into the record, saying how bad
    the reaction was and how sure the team is; from now on it counts."""
    require_perm(
        actor,
        "allergies.review_proposals",
        allergy.patient,
        _("Only a physician or nurse of the team accepts a proposal."),
    )
    locked = _pending(allergy)
    errors = Errors()
    before = _fields(locked)
    details = _details(
        {
            **before,
            "type": type or locked.type,
            "reaction": locked.reaction if reaction is None else reaction,
            "severity": severity,
            "certainty": certainty,
        },
        errors,
        severity_required=True,
    )
    errors.raise_if_any()
    for name, value in details.items():
        setattr(locked, name, value)
    now = clock.now()
    locked.status = RecordStatus.RECORDED
    locked.recorded_by = actor
    locked.recorded_at = now
    locked.decided_by = actor
    locked.decided_at = now
    _save(locked, actor)
    audit.record(
        actor=actor,
        action=AuditAction.REVIEW,
        event_type=AuditEventType.ALLERGY_ACCEPTED,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Family's proposal accepted: %(allergy)s"), allergy=locked.as_message()
        ),
        changes=audit.diff(before, _fields(locked)),
    )
    _end_nkda_for(actor=actor, allergy=locked)
    return locked


@transaction.atomic
def decline_proposal(
    *, actor: User, allergy: AllergyIntolerance, reason: str
) -> AllergyIntolerance:
    """Say no, and why: the family reads the reason in the portal."""
    require_perm(
        actor,
        "allergies.review_proposals",
        allergy.patient,
        _("Only a physician or nurse of the team declines a proposal."),
    )
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Tell the family why, in a sentence."))
    require("\x00" not in reason, "reason", _("Remove the invisible control character."))
    require(len(reason) <= TEXT_LIMIT, "reason", _("At most 2000 characters."))
    locked = _pending(allergy)
    now = clock.now()
    locked.status = RecordStatus.DECLINED
    locked.decided_by = actor
    locked.decided_at = now
    locked.decline_reason = reason
    _save(locked, actor, update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.REVIEW,
        event_type=AuditEventType.ALLERGY_DECLINED,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Family's proposal declined: %(allergy)s"), allergy=locked.as_message()
        ),
        changes={"reason": reason},
    )
    return locked
