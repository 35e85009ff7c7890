"""Recording instrument scores and phases of illness.

Each function checks the rules, validates against the instrument registry,
writes in one transaction, leaves an audit event and tells higher apps
(``signals.assessment_recorded``) inside that transaction, so an alert that a
score raises is never lost nor written without its score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User, UserKind
from hearth.assessments import instruments, signals
from hearth.assessments.choices import Context, Phase, Respondent
from hearth.assessments.models import AssessmentResponse, PhaseOfIllness
from hearth.core import audit, clock, idempotency, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditAction
from hearth.core.validation import require, require_perm
from hearth.patients.models import CaregiverLink, Patient

#: A phone's clock may run a little fast; later than this is "in the future".
CLOCK_SKEW = timedelta(minutes=5)
#: The longest name given to a free-text item (an IPOS "other symptom").
ITEM_NAME_LENGTH = 100
PORTAL_RESPONDENTS = (
    Respondent.PATIENT,
    Respondent.FAMILY_CAREGIVER,
    Respondent.CAREGIVER_ASSISTED,
)


def _instrument(code: str) -> instruments.Instrument:
    definition = instruments.get(code)
    if definition is None:
        message = _("Unknown instrument.")
        raise ValidationFailed(message, field_errors={"instrument": [message]})
    return definition


def _check_who(actor: User, patient: Patient, definition: instruments.Instrument) -> None:
    if actor.kind in (UserKind.FAMILY, UserKind.PATIENT):
        require_perm(actor, "assessments.record_own_assessment", patient)
        if not definition.portal:
            raise NotAllowed(_("This form is completed by the care team."))
        if definition.about_caregiver and actor.kind != UserKind.FAMILY:
            raise NotAllowed(_("This form is completed by a family caregiver about themself."))
        return
    require_perm(actor, "assessments.record_assessment", patient)
    if "professional" in definition.respondents and not definition.portal:
        require_perm(
            actor,
            "assessments.record_clinical_assessment",
            patient,
            _("Only a physician or nurse records this scale."),
        )


def _first_error(definition: instruments.Instrument, errors: Mapping[str, list[str]]) -> str:
    """The refusal's headline names the item ("Pain: Must be between 0 and 4."),
    so a message read without its field still says which answer was wrong."""
    key, messages = next(iter(errors.items()))
    item = definition.item(key) or definition.item(key.removesuffix("_name"))
    if item is None:
        return messages[0]
    return _("%(item)s: %(message)s") % {"item": item.label, "message": messages[0]}


def _caregiver_for(
    actor: User, patient: Patient, definition: instruments.Instrument, caregiver_id: Any
) -> CaregiverLink | None:
    if not definition.about_caregiver:
        require(caregiver_id in (None, ""), "caregiver_id", _("Only caregiver forms name one."))
        return None
    if actor.kind == UserKind.FAMILY:
        return CaregiverLink.objects.get(user=actor, patient=patient, ended_at__isnull=True)
    link = (
        CaregiverLink.objects.filter(
            patient=patient, external_id=caregiver_id, ended_at__isnull=True
        ).first()
        if caregiver_id
        else None
    )
    require(link is not None, "caregiver_id", _("Choose the family caregiver it is about."))
    return link


@transaction.atomic
def record_assessment(
    *,
    actor: User,
    patient: Patient,
    instrument: str,
    answers: Mapping[str, Any],
    completed_by: str = "",
    assessed_at: datetime | None = None,
    other_problem: str = "",
    caregiver_id: Any = None,
    context: str = Context.OTHER,
    idempotency_key: str = "",
    not_assessed: Sequence[str] = (),
    item_names: Mapping[str, str] | None = None,
) -> AssessmentResponse:
    """Score and store one completed form.

    A phone that retries sends the same ``idempotency_key``: the same body gets
    the stored answer back (nothing twice); a different body is refused.
    ``not_assessed`` lists the items a proxy could not assess (IPOS staff
    version); ``item_names`` the names given to free-text items (IPOS "other
    symptoms"), by item.
    """
    definition = _instrument(instrument)
    _check_who(actor, patient, definition)
    answers = {key: value for key, value in dict(answers).items() if value not in ("", None)}
    not_assessed = list(dict.fromkeys(not_assessed or ()))
    item_names = {
        key: str(name).strip()
        for key, name in dict(item_names or {}).items()
        if name is not None and str(name).strip()
    }
    claimed: idempotency.Claim | None = None
    if idempotency_key:
        claimed = idempotency.claim(
            actor=actor,
            scope="assessments.response",
            key=idempotency_key,
            body={
                "patient": patient.external_id,
                "instrument": definition.code,
                "answers": answers,
                "completed_by": completed_by,
                "assessed_at": assessed_at,
                "other_problem": other_problem,
                "caregiver_id": caregiver_id,
                "context": context,
                "not_assessed": not_assessed,
                "item_names": item_names,
            },
        )
        if claimed.replay is not None:
            return cast(AssessmentResponse, claimed.replay)
    if not completed_by:
        defaults: dict[str, str] = {
            UserKind.FAMILY: Respondent.FAMILY_CAREGIVER,
            UserKind.PATIENT: Respondent.PATIENT,
        }
        completed_by = defaults.get(actor.kind, Respondent.PROFESSIONAL)
    errors = instruments.validate(definition, answers, not_assessed)
    for key, name in item_names.items():
        item = definition.item(key)
        if item is None or not item.named:
            errors.setdefault(f"{key}_name", []).append(_("This item takes no name."))
        elif len(name) > ITEM_NAME_LENGTH:
            errors.setdefault(f"{key}_name", []).append(
                _("At most %(count)d characters.") % {"count": ITEM_NAME_LENGTH}
            )
        elif answers.get(key) is None:
            # A named symptom without its score would be lost without a word.
            errors.setdefault(key, []).append(_("Score the symptom you named."))
    for item in definition.items:
        if item.named and answers.get(item.key) is not None and not item_names.get(item.key):
            errors.setdefault(f"{item.key}_name", []).append(_("Name the symptom you scored."))
    if completed_by not in Respondent.values:
        errors.setdefault("completed_by", []).append(_("Not a known respondent."))
    elif completed_by not in definition.respondents:
        errors.setdefault("completed_by", []).append(
            _("This form is not completed by %(who)s.")
            % {"who": Respondent(completed_by).label.lower()}
        )
    elif actor.kind in (UserKind.FAMILY, UserKind.PATIENT) and completed_by not in (
        PORTAL_RESPONDENTS
    ):
        errors.setdefault("completed_by", []).append(
            _("A form sent from the portal is completed by the patient or the family.")
        )
    if context not in Context.values:
        errors.setdefault("context", []).append(_("Not a known context."))
    now = clock.now()
    assessed_at = assessed_at or now
    if assessed_at > now + CLOCK_SKEW:
        errors.setdefault("assessed_at", []).append(_("Cannot be in the future."))
    other_problem = (other_problem or "").strip()
    if answers.get("other") is not None and not other_problem and definition.code == "esas_r":
        errors.setdefault("other_problem", []).append(_("Name the other problem."))
    if errors:
        raise ValidationFailed(_first_error(definition, errors), field_errors=errors)
    caregiver = _caregiver_for(actor, patient, definition, caregiver_id)

    result = instruments.score(definition, answers, not_assessed)
    response = AssessmentResponse(
        patient=patient,
        instrument=definition.code,
        answers=answers,
        other_problem=other_problem[:100],
        completed_by=completed_by,
        caregiver=caregiver,
        context=context,
        assessed_at=assessed_at,
        recorded_at=now,
        recorded_by=actor,
        total=result.total,
        subscores=result.subscales,
        item_bands=result.item_bands,
        total_band=result.total_band or "",
        partial=result.partial,
        not_assessed=list(result.not_assessed),
        item_names=item_names,
        idempotency_key=idempotency_key,
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as error:  # the key was used before and has since been forgotten
        raise idempotency.reused() from error
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.ASSESSMENT_RECORDED,
        patient=patient,
        obj=response,
        summary=messages.text(
            gettext_noop("%(instrument)s recorded: total %(total)s (partial)")
            if result.partial
            else gettext_noop("%(instrument)s recorded: total %(total)s"),
            instrument=definition.name,
            total="—" if result.total is None else result.total,
        ),
        changes={
            "answers": answers,
            "total": result.total,
            "partial": result.partial,
            "not_assessed": list(result.not_assessed),
        },
    )
    signals.assessment_recorded.send(sender=AssessmentResponse, response=response, actor=actor)
    if claimed is not None:
        claimed.done(response)
    return response


@transaction.atomic
def mark_entered_in_error(
    *, actor: User, response: AssessmentResponse, reason: str
) -> AssessmentResponse:
    """Clinical records are never deleted: a wrong one is kept, marked and
    left out of charts and alert rules."""
    require_perm(actor, "assessments.mark_entered_in_error", response.patient)
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why it is wrong."))
    locked = AssessmentResponse.objects.select_for_update().get(pk=response.pk)
    if locked.entered_in_error_at is not None:
        raise Conflict(_("Already marked as entered in error."))
    locked.entered_in_error_at = clock.now()
    locked.entered_in_error_by = actor
    locked.entered_in_error_reason = reason[:300]
    locked.save(
        update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"]
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.ASSESSMENT_ENTERED_IN_ERROR,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(
            gettext_noop("Assessment marked as entered in error: %(reason)s"), reason=reason
        ),
    )
    return locked


@transaction.atomic
def start_phase(
    *,
    actor: User,
    patient: Patient,
    phase: str,
    note: str = "",
    end_reason: str = "",
    started_at: datetime | None = None,
) -> PhaseOfIllness:
    """Close the current phase (with the reason it ended) and open the next."""
    require_perm(actor, "assessments.set_phase", patient)
    if phase not in Phase.values:
        raise ValidationFailed(_("Not a known phase."), field_errors={"phase": [_("Unknown.")]})
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    now = clock.now()
    started_at = started_at or now
    require(started_at <= now + CLOCK_SKEW, "started_at", _("Cannot be in the future."))
    current = PhaseOfIllness.objects.current().filter(patient=patient).first()
    if current is not None:
        require(
            bool((end_reason or "").strip()),
            "end_reason",
            _("Say why the %(phase)s phase ended.") % {"phase": current.get_phase_display()},
        )
        require(
            started_at >= current.started_at,
            "started_at",
            _("The new phase cannot start before the current one did."),
        )
        if current.phase == Phase.BEREAVED:
            raise InvalidTransition(_("The bereaved phase is the last one."))
        current.ended_at = started_at
        current.ended_by = actor
        current.end_reason = end_reason.strip()[:300]
        current.save(update_fields=["ended_at", "ended_by", "end_reason"])
    new = PhaseOfIllness.objects.create(
        patient=patient,
        phase=phase,
        started_at=started_at,
        started_by=actor,
        note=(note or "").strip()[:300],
    )
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.PHASE_STARTED,
        patient=patient,
        obj=new,
        summary=messages.text(
            gettext_noop("Phase of illness: %(phase)s"), phase=messages.choice(new, "phase")
        ),
        changes={
            "phase": {"from": current.phase if current else None, "to": phase},
            "end_reason": end_reason,
        },
    )
    signals.phase_started.send(sender=PhaseOfIllness, phase=new, actor=actor)
    return new


def current_phase(patient: Patient) -> PhaseOfIllness | None:
    return PhaseOfIllness.objects.current().filter(patient=patient).first()


def latest(patient: Patient, instrument: str) -> AssessmentResponse | None:
    return (
        AssessmentResponse.objects.valid()
        .for_patient(patient)
        .of(instrument)
        .order_by("-assessed_at", "-id")
        .first()
    )
