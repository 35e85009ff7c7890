"""Every change to the patient record and the admission journey.

Each function: keyword-only arguments with the acting user first; one
transaction; a permission check against ``patients.rules``; validation that
names the field; an audit event. Pages and the API call these and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User, UserKind
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, NotFound, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import (
    Errors,
    clean_or_raise,
    field_errors_of,
    require_perm,
    unknown_keys,
)
from hearth.patients import access, record_numbers, signals
from hearth.patients.choices import (
    KNOWN_RELATIONSHIPS,
    ROLE_DISCIPLINES,
    CareTeamRole,
    CommissionOutcome,
    DiagnosisGroup,
    DischargeReason,
    EpisodeState,
    FormOfCare,
    PlaceOfDeath,
    ScreeningOutcome,
    SpictConditionIndicator,
    SpictGeneralIndicator,
)
from hearth.patients.models import (
    CaregiverLink,
    CareTeamAssignment,
    CommissionDecision,
    Diagnosis,
    EligibilityScreening,
    EmergencyAccess,
    Episode,
    Patient,
    Referral,
)

#: Patient fields a referral or an edit may set.
PATIENT_FIELDS = (
    "record_number",
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "address_line",
    "city",
    "postal_code",
    "latitude",
    "longitude",
    "phone_primary",
    "phone_secondary",
    "preferred_language",
    "interpreter_needed",
    "faith",
)
REFERRAL_FIELDS = (
    "referrer_type",
    "referrer_name",
    "referrer_organisation",
    "referrer_phone",
    "reason",
    "urgency",
)


def _require_state(episode: Episode, allowed: Iterable[str], doing: str) -> None:
    allowed = tuple(allowed)
    if episode.state not in allowed:
        raise InvalidTransition(
            _("Cannot %(doing)s: the episode is %(state)s.")
            % {"doing": doing, "state": episode.get_state_display().lower()}
        )


def _snapshot(instance: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {field: getattr(instance, field) for field in fields}


# --- Referral and the patient record ---------------------------------------


@transaction.atomic
def refer_new_patient(
    *,
    actor: User,
    patient: Mapping[str, Any],
    referral: Mapping[str, Any],
    diagnoses: Sequence[Mapping[str, Any]] = (),
) -> Episode:
    """Create the patient, their first episode and the referral together: a
    referral without a record, or a record without a referral, is never left.

    The record number is the service's next one (``HEARTH_RECORD_NUMBER_PATTERN``),
    taken in this transaction. A caller moving a record from another system
    may give its existing number instead (the API's ``record_number``); a
    number already in use is refused, never reused."""
    require_perm(actor, "patients.refer_new_patient")
    errors = Errors()
    unknown_keys(patient, PATIENT_FIELDS, errors)
    unknown_keys(referral, REFERRAL_FIELDS, errors)
    errors.raise_if_any()
    details = dict(patient)
    if not str(details.get("record_number") or "").strip():
        details["record_number"] = record_numbers.next_record_number()
    record = Patient(**details)
    clean_or_raise(record)
    record.save()
    episode = _open_episode(actor=actor, patient=record, referral=referral)
    for index, diagnosis in enumerate(diagnoses):
        try:
            _add_diagnosis(actor=actor, patient=record, **diagnosis)
        except ValidationFailed as error:
            raise ValidationFailed(
                error.message,
                field_errors={f"diagnoses[{index}].{k}": v for k, v in error.field_errors.items()},
            ) from error
        except TypeError as error:
            raise ValidationFailed(
                _("Unknown diagnosis field."),
                field_errors={f"diagnoses[{index}]": [str(error)]},
            ) from error
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.PATIENT_CREATED,
        patient=record,
        obj=record,
        summary=messages.text(gettext_noop("Patient record created from a referral")),
        changes=_snapshot(record, PATIENT_FIELDS),
    )
    return episode


@transaction.atomic
def refer_existing_patient(
    *, actor: User, patient: Patient, referral: Mapping[str, Any]
) -> Episode:
    """A new referral for someone already known (earlier episode closed).

    Family members may ask for this for their own patient; a referral only
    opens an episode, it never grants palliative-care status.
    """
    require_perm(actor, "patients.refer_again", patient)
    if patient.episodes.open().exists():
        raise Conflict(_("This patient already has an open episode of care."))
    if patient.date_of_death:
        raise InvalidTransition(_("This patient has died; a new referral is not possible."))
    errors = Errors()
    unknown_keys(referral, REFERRAL_FIELDS, errors)
    errors.raise_if_any()
    return _open_episode(actor=actor, patient=patient, referral=referral)


def _open_episode(*, actor: User, patient: Patient, referral: Mapping[str, Any]) -> Episode:
    episode = Episode(patient=patient, state=EpisodeState.REFERRED, opened_at=clock.now())
    episode.save()
    record = Referral(episode=episode, recorded_by=actor, received_at=clock.now(), **referral)
    clean_or_raise(record, exclude=["episode"])
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:  # pragma: no cover - guarded by the open-episode check
        raise Conflict(_("This patient already has an open episode of care.")) from error
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.REFERRAL_CREATED,
        patient=patient,
        obj=record,
        summary=messages.text(
            gettext_noop("Referred (%(urgency)s): %(reason)s"),
            urgency=messages.choice(record, "urgency"),
            reason=record.reason[:200],
        ),
        changes=_snapshot(record, REFERRAL_FIELDS),
    )
    return episode


@transaction.atomic
def update_patient(*, actor: User, patient: Patient, changes: Mapping[str, Any]) -> Patient:
    require_perm(actor, "patients.change_patient", patient)
    errors = Errors()
    unknown_keys(changes, PATIENT_FIELDS, errors)
    errors.raise_if_any()
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    before = _snapshot(patient, changes.keys())
    for field, value in changes.items():
        setattr(patient, field, value)
    clean_or_raise(patient)
    after = _snapshot(patient, changes.keys())
    changed = audit.diff(before, after)
    if not changed:
        return patient
    patient.save(update_fields=list(changes.keys()))
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.PATIENT_UPDATED,
        patient=patient,
        obj=patient,
        summary=messages.text(
            gettext_noop("Record details changed: %(fields)s"), fields=", ".join(changed)
        ),
        changes=changed,
    )
    return patient


def _add_diagnosis(
    *,
    actor: User,
    patient: Patient,
    icd10_code: str,
    text: str,
    group: str,
    is_primary: bool = False,
) -> Diagnosis:
    code = (icd10_code or "").strip().upper()
    if is_primary:
        patient.diagnoses.current().filter(is_primary=True).update(is_primary=False)
    diagnosis = Diagnosis(
        patient=patient,
        icd10_code=code,
        text=(text or "").strip(),
        group=group,
        is_primary=is_primary,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    clean_or_raise(diagnosis, exclude=["patient", "recorded_by"])
    diagnosis.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.DIAGNOSIS_ADDED,
        patient=patient,
        obj=diagnosis,
        summary=messages.text(
            gettext_noop("Diagnosis added: %(code)s %(text)s"), code=code, text=diagnosis.text
        ),
        changes={"icd10_code": code, "text": diagnosis.text, "group": group},
    )
    return diagnosis


@transaction.atomic
def add_diagnosis(
    *,
    actor: User,
    patient: Patient,
    icd10_code: str,
    text: str,
    group: str,
    is_primary: bool = False,
) -> Diagnosis:
    require_perm(actor, "patients.manage_diagnoses", patient)
    return _add_diagnosis(
        actor=actor,
        patient=patient,
        icd10_code=icd10_code,
        text=text,
        group=group,
        is_primary=is_primary,
    )


@transaction.atomic
def mark_diagnosis_entered_in_error(*, actor: User, diagnosis: Diagnosis, reason: str) -> Diagnosis:
    """Clinical records are never deleted: a wrong entry is marked and stays readable."""
    require_perm(actor, "patients.manage_diagnoses", diagnosis.patient)
    if not (reason or "").strip():
        raise ValidationFailed(
            _("Say why the diagnosis was wrong."), field_errors={"reason": [_("Required.")]}
        )
    if diagnosis.entered_in_error:
        raise Conflict(_("This diagnosis is already marked as entered in error."))
    diagnosis.entered_in_error = True
    diagnosis.save(update_fields=["entered_in_error"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.DIAGNOSIS_ENTERED_IN_ERROR,
        patient=diagnosis.patient,
        obj=diagnosis,
        summary=messages.text(
            gettext_noop("Diagnosis %(code)s marked as entered in error"), code=diagnosis.icd10_code
        ),
        changes={"reason": reason.strip()},
    )
    return diagnosis


# --- Family ----------------------------------------------------------------


def _check_new_sign_in(
    username: str, password: str, first_name: str, last_name: str, errors: Errors
) -> None:
    """A portal sign-in needs a free username and a password Django's validators accept."""
    if not username:
        errors.add("username", _("Required."))
    elif get_user_model().objects.filter(username__iexact=username).exists():
        errors.add("username", _("This username is already taken."))
    candidate = User(username=username, first_name=first_name, last_name=last_name)
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as error:
        for message in field_errors_of(error)["__all__"]:
            errors.add("password", message)


def _portal_language(*preferences: str) -> str:
    """The first preference the portal is translated into, else English."""
    available = dict(settings.LANGUAGES)
    return next((code for code in preferences if code in available), "en")


@transaction.atomic
def add_family_caregiver(
    *,
    actor: User,
    patient: Patient,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    relationship: str,
    is_primary_caregiver: bool = False,
    is_proxy_decision_maker: bool = False,
    phone: str = "",
    preferred_language: str = "",
) -> CaregiverLink:
    """Create a family member's portal sign-in, tied to this one patient."""
    require_perm(actor, "patients.manage_caregivers", patient)
    errors = Errors()
    username = (username or "").strip()
    _check_new_sign_in(username, password, first_name, last_name, errors)
    for field, value in (
        ("first_name", first_name),
        ("last_name", last_name),
        ("relationship", relationship),
    ):
        if not (value or "").strip():
            errors.add(field, _("Required."))
    if preferred_language and preferred_language not in dict(settings.LANGUAGES):
        errors.add("preferred_language", _("Choose a language the portal is available in."))
    errors.raise_if_any()
    if is_primary_caregiver:
        patient.caregivers.filter(is_primary_caregiver=True, ended_at__isnull=True).update(
            is_primary_caregiver=False
        )
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        kind=UserKind.FAMILY,
        phone=phone,
        preferred_language=_portal_language(preferred_language, patient.preferred_language),
    )
    link = CaregiverLink(
        user=user,
        patient=patient,
        relationship=relationship.strip(),
        is_primary_caregiver=is_primary_caregiver,
        is_proxy_decision_maker=is_proxy_decision_maker,
        phone=phone,
        added_at=clock.now(),
    )
    clean_or_raise(link, exclude=["user", "patient"])
    link.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.CAREGIVER_ADDED,
        patient=patient,
        obj=link,
        summary=messages.text(
            gettext_noop("Family caregiver added: %(name)s (%(relationship)s)"),
            name=user.display_name,
            # A known word is stored as its msgid, so each reader reads it in
            # their own language; anything else as typed.
            relationship=KNOWN_RELATIONSHIPS.get(link.relationship.lower(), link.relationship),
        ),
        changes={
            "relationship": link.relationship,
            "is_primary_caregiver": is_primary_caregiver,
            "is_proxy_decision_maker": is_proxy_decision_maker,
        },
    )
    return link


@transaction.atomic
def give_patient_portal_access(
    *, actor: User, patient: Patient, username: str, password: str
) -> User:
    """The person's own sign-in: they see what their family sees, about themself."""
    require_perm(actor, "patients.manage_caregivers", patient)
    if patient.portal_user_id is not None:
        raise Conflict(_("This patient already has a portal sign-in."))
    errors = Errors()
    username = (username or "").strip()
    _check_new_sign_in(username, password, patient.given_name, patient.family_name, errors)
    errors.raise_if_any()
    language = _portal_language(patient.preferred_language)
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=patient.given_name,
        last_name=patient.family_name,
        kind=UserKind.PATIENT,
        preferred_language=language,
    )
    patient.portal_user = user
    patient.save(update_fields=["portal_user"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.PATIENT_PORTAL_ACCESS_GIVEN,
        patient=patient,
        obj=patient,
        summary=messages.text(gettext_noop("Portal sign-in created for the patient")),
    )
    return user


@transaction.atomic
def end_caregiver_access(*, actor: User, link: CaregiverLink, reason: str) -> CaregiverLink:
    require_perm(actor, "patients.manage_caregivers", link.patient)
    if not (reason or "").strip():
        raise ValidationFailed(_("Give a reason."), field_errors={"reason": [_("Required.")]})
    if link.ended_at is not None:
        raise Conflict(_("This family member's access has already ended."))
    link.ended_at = clock.now()
    link.is_primary_caregiver = False
    link.save(update_fields=["ended_at", "is_primary_caregiver"])
    link.user.is_active = False
    link.user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.CAREGIVER_ACCESS_ENDED,
        patient=link.patient,
        obj=link,
        summary=messages.text(
            gettext_noop("Portal access ended for %(name)s"), name=link.user.display_name
        ),
        changes={"reason": reason.strip()},
    )
    return link


# --- Eligibility and the medical commission ---------------------------------


@transaction.atomic
def record_eligibility_screening(
    *,
    actor: User,
    episode: Episode,
    general_indicators: Sequence[str],
    condition_indicators: Sequence[str],
    conclusion: str,
    outcome: str,
    condition_details: str = "",
) -> EligibilityScreening:
    require_perm(actor, "patients.screen_eligibility", episode.patient)
    episode = lock(Episode, episode.pk, related=("patient",))
    _require_state(episode, [EpisodeState.REFERRED], _("record a screening"))
    errors = Errors()
    general = list(dict.fromkeys(general_indicators or []))
    condition = list(dict.fromkeys(condition_indicators or []))
    for code in general:
        if code not in SpictGeneralIndicator.values:
            errors.add("general_indicators", _("Unknown SPICT indicator: %s") % code)
    for code in condition:
        if code not in SpictConditionIndicator.values:
            errors.add("condition_indicators", _("Unknown SPICT indicator: %s") % code)
    if outcome not in ScreeningOutcome.values:
        errors.add("outcome", _("Choose an outcome."))
    if not (conclusion or "").strip():
        errors.add("conclusion", _("Write the clinician's conclusion."))
    if outcome == ScreeningOutcome.REFER_TO_COMMISSION and not (general or condition):
        errors.add(
            "general_indicators",
            _("Mark at least one SPICT indicator before referring to the commission."),
        )
    errors.raise_if_any()
    screening = EligibilityScreening.objects.create(
        episode=episode,
        general_indicators=general,
        condition_indicators=condition,
        condition_details=condition_details.strip(),
        conclusion=conclusion.strip(),
        outcome=outcome,
        screened_by=actor,
        screened_at=clock.now(),
    )
    new_state = (
        EpisodeState.AWAITING_COMMISSION
        if outcome == ScreeningOutcome.REFER_TO_COMMISSION
        else EpisodeState.NOT_ADMITTED
    )
    _move(actor=actor, episode=episode, to=new_state, reason=screening.outcome)
    if new_state == EpisodeState.NOT_ADMITTED:
        episode.closed_at = clock.now()
        episode.closing_note = conclusion.strip()
        episode.save(update_fields=["closed_at", "closing_note"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.SCREENING_RECORDED,
        patient=episode.patient,
        obj=screening,
        summary=messages.text(
            gettext_noop("Eligibility screening: %(outcome)s"),
            outcome=messages.choice(screening, "outcome"),
        ),
        changes={"general": general, "condition": condition, "outcome": outcome},
    )
    return screening


@transaction.atomic
def record_commission_decision(
    *,
    actor: User,
    episode: Episode,
    decided_on: date,
    member_ids: Sequence[Any],
    chair_id: Any,
    diagnosis_code: str,
    diagnosis_text: str,
    indications: str,
    form_of_care: str,
    outcome: str,
    reason: str = "",
    review_date: date | None = None,
) -> CommissionDecision:
    """Record and sign a decision. Signed decisions are immutable; this one
    supersedes any earlier decision on the episode."""
    require_perm(
        actor,
        "patients.record_commission_decision",
        episode.patient,
        _("Only members of the medical commission record its decisions."),
    )
    episode = lock(Episode, episode.pk, related=("patient",))
    _require_state(
        episode,
        [EpisodeState.AWAITING_COMMISSION, EpisodeState.ACTIVE],
        _("record a commission decision"),
    )
    errors = Errors()
    members = _commission_members(member_ids, errors)
    chair = next((m for m in members if str(m.external_id) == str(chair_id)), None)
    if members and chair is None:
        errors.add("chair", _("The chair must be one of the members present."))
    if members and actor not in members:
        errors.add("members", _("You can only sign a decision of a commission you sat on."))
    minimum = settings.HEARTH_COMMISSION_MIN_PHYSICIANS
    if members and sum(1 for m in members if m.counts_as_physician) < minimum:
        errors.add(
            "members",
            _("At least %(n)d physicians must sit on the commission.") % {"n": minimum},
        )
    if decided_on is None:
        errors.add("decided_on", _("Required."))
    elif decided_on > clock.today():
        errors.add("decided_on", _("The commission date cannot be in the future."))
    if outcome not in CommissionOutcome.values:
        errors.add("outcome", _("Choose granted, refused or deferred."))
    if form_of_care not in FormOfCare.values:
        errors.add("form_of_care", _("Choose a form of care."))
    if (
        outcome in (CommissionOutcome.REFUSED, CommissionOutcome.DEFERRED)
        and not (reason or "").strip()
    ):
        errors.add("reason", _("A refused or deferred decision needs a reason."))
    if outcome in (CommissionOutcome.GRANTED, CommissionOutcome.DEFERRED):
        if review_date is None:
            errors.add("review_date", _("Set a review date."))
        elif decided_on is not None and review_date <= decided_on:
            errors.add("review_date", _("The review date must be after the commission date."))
    if not (indications or "").strip():
        errors.add("indications", _("Required."))
    errors.raise_if_any()
    previous = episode.current_decision
    decision = CommissionDecision(
        episode=episode,
        decided_on=decided_on,
        chair=chair,
        diagnosis_code=(diagnosis_code or "").strip().upper(),
        diagnosis_text=(diagnosis_text or "").strip(),
        indications=indications.strip(),
        form_of_care=form_of_care,
        outcome=outcome,
        reason=(reason or "").strip(),
        review_date=review_date,
        supersedes=previous,
        signed_by=actor,
        signed_at=clock.now(),
    )
    clean_or_raise(decision, exclude=["episode", "chair", "signed_by", "supersedes"])
    decision.save()
    decision.members.set(members)
    if outcome == CommissionOutcome.REFUSED and episode.state == EpisodeState.AWAITING_COMMISSION:
        _move(actor=actor, episode=episode, to=EpisodeState.NOT_ADMITTED, reason=decision.reason)
        episode.closed_at = clock.now()
        episode.closing_note = decision.reason
        episode.save(update_fields=["closed_at", "closing_note"])
    elif (
        outcome == CommissionOutcome.GRANTED
        and form_of_care != FormOfCare.HOME
        and episode.state == EpisodeState.AWAITING_COMMISSION
    ):
        # Day care or inpatient care is given elsewhere: this home-care
        # referral ends here instead of waiting for an admission that cannot come.
        note = _("The commission granted %(form)s, not home care.") % {
            "form": decision.get_form_of_care_display().lower()
        }
        _move(actor=actor, episode=episode, to=EpisodeState.NOT_ADMITTED, reason=note)
        episode.closed_at = clock.now()
        episode.closing_note = note
        episode.save(update_fields=["closed_at", "closing_note"])
    if review_date is not None:
        episode.next_review_date = review_date
        episode.save(update_fields=["next_review_date"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.COMMISSION_DECISION_SIGNED,
        patient=episode.patient,
        obj=decision,
        summary=messages.text(
            gettext_noop("Medical commission: %(outcome)s (%(form)s)"),
            outcome=messages.choice(decision, "outcome"),
            form=messages.choice(decision, "form_of_care"),
        ),
        changes={
            "outcome": outcome,
            "form_of_care": form_of_care,
            "members": [m.display_name for m in members],
            "chair": chair.display_name if chair else None,
            "review_date": review_date,
            "supersedes": previous,
        },
    )
    return decision


def _commission_members(member_ids: Sequence[Any], errors: Errors) -> list[User]:
    ids = [str(value) for value in dict.fromkeys(member_ids or [])]
    if len(ids) < 2:
        errors.add("members", _("List everyone who sat on the commission (at least two)."))
        return []
    try:
        found = list(User.objects.filter(external_id__in=ids))
    except ValidationError:
        found = []
    if len(found) != len(ids):
        errors.add("members", _("One or more members were not found."))
        return []
    for member in found:
        if not member.is_commission_member:
            errors.add(
                "members",
                _("%(name)s is not a member of the medical commission.")
                % {"name": member.display_name},
            )
    return found


# --- Care ------------------------------------------------------------------


@transaction.atomic
def admit_to_home_care(*, actor: User, episode: Episode) -> Episode:
    require_perm(actor, "patients.admit", episode.patient)
    episode = lock(Episode, episode.pk, related=("patient",))
    _require_state(episode, [EpisodeState.AWAITING_COMMISSION], _("admit"))
    decision = episode.current_decision
    if decision is None or decision.outcome != CommissionOutcome.GRANTED:
        raise InvalidTransition(
            _("Admission needs a granted decision of the medical commission."),
            code="no_granted_decision",
        )
    if decision.form_of_care != FormOfCare.HOME:
        raise InvalidTransition(
            _("The commission granted %(form)s, not home care.")
            % {"form": decision.get_form_of_care_display().lower()},
            code="not_home_care",
        )
    episode.admitted_at = clock.now()
    episode.admitted_by = actor
    episode.next_review_date = decision.review_date
    episode.save(update_fields=["admitted_at", "admitted_by", "next_review_date"])
    _move(actor=actor, episode=episode, to=EpisodeState.ACTIVE, reason="")
    return episode


@transaction.atomic
def discharge(
    *, actor: User, episode: Episode, reason: str, note: str = "", when: datetime | None = None
) -> Episode:
    require_perm(actor, "patients.discharge", episode.patient)
    episode = lock(Episode, episode.pk, related=("patient",))
    _require_state(episode, [EpisodeState.ACTIVE], _("discharge"))
    errors = Errors()
    if reason not in DischargeReason.values:
        errors.add("reason", _("Choose a reason for discharge."))
    if reason == DischargeReason.OTHER and not (note or "").strip():
        errors.add("note", _("Describe the reason."))
    when = when or clock.now()
    if when > clock.now():
        errors.add("when", _("Discharge cannot be in the future."))
    errors.raise_if_any()
    episode.discharged_at = when
    episode.discharge_reason = reason
    episode.discharge_note = (note or "").strip()
    episode.save(update_fields=["discharged_at", "discharge_reason", "discharge_note"])
    _move(actor=actor, episode=episode, to=EpisodeState.DISCHARGED, reason=reason)
    return _end_home_care(actor=actor, episode=episode)


@transaction.atomic
def record_death(
    *, actor: User, episode: Episode, died_at: datetime, place_of_death: str, note: str = ""
) -> Episode:
    require_perm(actor, "patients.record_death", episode.patient)
    episode = lock(Episode, episode.pk, related=("patient",))
    _require_state(episode, [EpisodeState.ACTIVE], _("record a death"))
    errors = Errors()
    if died_at is None:
        errors.add("died_at", _("Give the date and time of death."))
    else:
        if timezone.is_naive(died_at):
            died_at = timezone.make_aware(died_at)
        if died_at > clock.now() + timedelta(minutes=5):
            errors.add("died_at", _("The time of death cannot be in the future."))
        if episode.admitted_at and died_at < episode.admitted_at - timedelta(days=1):
            errors.add("died_at", _("The time of death is before admission; check the date."))
    if place_of_death not in PlaceOfDeath.values:
        errors.add("place_of_death", _("Choose the place of death."))
    errors.raise_if_any()
    episode.died_at = died_at
    episode.place_of_death = place_of_death
    episode.death_note = (note or "").strip()
    episode.death_recorded_by = actor
    episode.save(update_fields=["died_at", "place_of_death", "death_note", "death_recorded_by"])
    patient = episode.patient
    patient.date_of_death = timezone.localdate(died_at)
    patient.save(update_fields=["date_of_death"])
    _move(actor=actor, episode=episode, to=EpisodeState.DECEASED, reason=place_of_death)
    return _end_home_care(actor=actor, episode=episode)


def _end_home_care(*, actor: User, episode: Episode) -> Episode:
    """Tell the other apps, in this transaction, that home care has ended:
    each closes what it owns (alerts, visits, volunteers, support) and adds a
    line to the summary the person who recorded it sees next."""
    summary = signals.CareEndSummary()
    signals.home_care_ended.send(sender=Episode, actor=actor, episode=episode, summary=summary)
    episode.care_end_summary = summary
    return episode


@transaction.atomic
def start_bereavement_follow_up(*, actor: User, episode: Episode) -> Episode:
    require_perm(actor, "patients.bereavement", episode.patient)
    episode = lock(Episode, episode.pk, related=("patient",))
    _require_state(episode, [EpisodeState.DECEASED], _("start bereavement follow-up"))
    episode.bereavement_started_at = clock.now()
    episode.save(update_fields=["bereavement_started_at"])
    _move(actor=actor, episode=episode, to=EpisodeState.BEREAVEMENT, reason="")
    return episode


def close_episode_permission(episode: Episode) -> str:
    """After a death the bereavement team closes; after a discharge, whoever discharges."""
    if episode.state == EpisodeState.BEREAVEMENT:
        return "patients.bereavement"
    return "patients.discharge"


@transaction.atomic
def close_episode(*, actor: User, episode: Episode, note: str) -> Episode:
    """Close after discharge or after bereavement follow-up."""
    # The permission depends on the state as stored now.
    episode = lock(Episode, episode.pk, related=("patient",))
    require_perm(actor, close_episode_permission(episode), episode.patient)
    _require_state(
        episode, [EpisodeState.DISCHARGED, EpisodeState.BEREAVEMENT], _("close the episode")
    )
    if not (note or "").strip():
        raise ValidationFailed(_("Write a closing note."), field_errors={"note": [_("Required.")]})
    episode.closed_at = clock.now()
    episode.closing_note = note.strip()
    episode.save(update_fields=["closed_at", "closing_note"])
    _move(actor=actor, episode=episode, to=EpisodeState.CLOSED, reason=note.strip())
    return episode


#: The audit event of each state an episode can move to (every call of ``_move``).
_EPISODE_MOVED_TO = {
    EpisodeState.AWAITING_COMMISSION: AuditEventType.EPISODE_AWAITING_COMMISSION,
    EpisodeState.NOT_ADMITTED: AuditEventType.EPISODE_NOT_ADMITTED,
    EpisodeState.ACTIVE: AuditEventType.EPISODE_ACTIVE,
    EpisodeState.DISCHARGED: AuditEventType.EPISODE_DISCHARGED,
    EpisodeState.DECEASED: AuditEventType.EPISODE_DECEASED,
    EpisodeState.BEREAVEMENT: AuditEventType.EPISODE_BEREAVEMENT,
    EpisodeState.CLOSED: AuditEventType.EPISODE_CLOSED,
}


def _move(*, actor: User, episode: Episode, to: str, reason: str) -> None:
    """``reason``: what a person typed, or a code (a screening outcome, a place
    of death); never a sentence in the writer's language, which the audit
    trail would keep as written for readers of every language."""
    before = episode.state
    episode.state = to
    episode.save(update_fields=["state"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=_EPISODE_MOVED_TO[EpisodeState(to)],
        patient=episode.patient,
        obj=episode,
        summary=messages.text(
            gettext_noop("Episode: %(before)s → %(after)s"),
            before=EpisodeState(before).label,
            after=EpisodeState(to).label,
        ),
        changes={"state": {"from": before, "to": to}, "reason": reason},
    )


# --- Care team and emergency access -----------------------------------------


@transaction.atomic
def assign_to_care_team(
    *, actor: User, patient: Patient, staff: User, role: str
) -> CareTeamAssignment:
    require_perm(
        actor, "patients.manage_care_team", patient, _("Only coordinators manage the care team.")
    )
    errors = Errors()
    if role not in ROLE_DISCIPLINES:
        errors.add("role", _("Choose a role."))
    elif not staff.is_hearth_staff:
        errors.add("staff", _("Only active staff can join a care team."))
    elif staff.discipline not in ROLE_DISCIPLINES[role]:
        errors.add(
            "role",
            _("%(name)s cannot take the role of %(role)s: their discipline is %(discipline)s.")
            % {
                "name": staff.display_name,
                "discipline": staff.get_discipline_display().lower(),
                "role": CareTeamRole(role).label.lower(),
            },
        )
    errors.raise_if_any()
    if patient.care_team.current().filter(staff=staff, role=role).exists():
        raise Conflict(_("%(name)s already has this role.") % {"name": staff.display_name})
    assignment = CareTeamAssignment.objects.create(
        patient=patient, staff=staff, role=role, assigned_by=actor, started_at=clock.now()
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.CARE_TEAM_ASSIGNED,
        patient=patient,
        obj=assignment,
        summary=messages.text(
            gettext_noop("%(name)s joined the care team as %(role)s"),
            name=staff.display_name,
            role=messages.lower_case(messages.choice(assignment, "role")),
        ),
        changes={"staff": staff.display_name, "role": role},
    )
    return assignment


@transaction.atomic
def end_care_team_assignment(*, actor: User, assignment: CareTeamAssignment) -> CareTeamAssignment:
    require_perm(
        actor,
        "patients.manage_care_team",
        assignment.patient,
        _("Only coordinators manage the care team."),
    )
    return leave_care_team(actor=actor, assignment=assignment)


def leave_care_team(*, actor: User, assignment: CareTeamAssignment) -> CareTeamAssignment:
    """End a care-team place for a change whose own authority the caller has
    checked (a volunteer's assignment ending, also when a death or discharge
    ends it): the write and the audit of ``end_care_team_assignment``."""
    if assignment.ended_at is not None:
        raise Conflict(_("This assignment has already ended."))
    assignment.ended_at = clock.now()
    assignment.save(update_fields=["ended_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.CARE_TEAM_ENDED,
        patient=assignment.patient,
        obj=assignment,
        summary=messages.text(
            gettext_noop("%(name)s left the care team (%(role)s)"),
            name=assignment.staff.display_name,
            role=messages.lower_case(messages.choice(assignment, "role")),
        ),
    )
    return assignment


@transaction.atomic
def use_emergency_access(*, actor: User, patient: Patient, reason: str) -> EmergencyAccess:
    """Break the glass: open a record outside the caseload for a limited time.

    The reason is mandatory and the clinical lead reviews every use.
    """
    if access.staff_can_open(actor, patient):
        raise Conflict(_("You can already open this record; emergency access is not needed."))
    require_perm(
        actor,
        "patients.use_emergency_access",
        patient,
        _("Your role cannot use emergency access."),
    )
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationFailed(
            _("Explain the emergency in a sentence (at least 10 characters)."),
            field_errors={"reason": [_("Explain the emergency in a sentence.")]},
        )
    started = clock.now()
    grant = EmergencyAccess.objects.create(
        user=actor,
        patient=patient,
        reason=reason,
        started_at=started,
        expires_at=started + timedelta(hours=settings.HEARTH_EMERGENCY_ACCESS_HOURS),
    )
    audit.record(
        actor=actor,
        action=AuditAction.EMERGENCY_ACCESS,
        event_type=AuditEventType.EMERGENCY_ACCESS_STARTED,
        patient=patient,
        obj=grant,
        summary=messages.text(
            gettext_noop("Emergency access until %(until)s"),
            until=timezone.localtime(grant.expires_at).strftime("%H:%M"),
        ),
        purpose=reason,
        emergency=True,
    )
    return grant


@transaction.atomic
def review_emergency_access(
    *, actor: User, grant: EmergencyAccess, outcome: str, note: str = ""
) -> EmergencyAccess:
    require_perm(
        actor,
        "patients.review_emergency_access",
        None,
        _("Only the clinical lead reviews emergency access."),
    )
    grant = EmergencyAccess.objects.select_for_update().select_related("patient").get(pk=grant.pk)
    if grant.reviewed_at is not None:
        raise Conflict(_("This emergency access has already been reviewed."))
    if grant.user_id == actor.pk:
        raise NotAllowed(_("You cannot review your own emergency access."))
    errors = Errors()
    if outcome not in ("appropriate", "concern"):
        errors.add("outcome", _("Choose appropriate or raised a concern."))
    if outcome == "concern" and not (note or "").strip():
        errors.add("note", _("Describe the concern."))
    errors.raise_if_any()
    grant.reviewed_by = actor
    grant.reviewed_at = clock.now()
    grant.review_outcome = outcome
    grant.review_note = (note or "").strip()
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_outcome", "review_note"])
    audit.record(
        actor=actor,
        action=AuditAction.REVIEW,
        event_type=AuditEventType.EMERGENCY_ACCESS_REVIEWED,
        patient=grant.patient,
        obj=grant,
        summary=messages.text(
            gettext_noop("Emergency access by %(name)s reviewed: %(outcome)s"),
            name=grant.user.display_name,
            outcome=messages.choice(grant, "review_outcome"),
        ),
        changes={"outcome": outcome, "note": grant.review_note},
        emergency=False,
    )
    return grant


# --- Lookups used by pages and the API ----------------------------------------


def get_episode(*, actor: User, episode_id: Any) -> Episode:
    """The episode, if ``actor`` can open its patient's record (no audit: the
    service that acts on it writes one)."""
    try:
        episode = Episode.objects.select_related("patient").get(external_id=episode_id)
    except (Episode.DoesNotExist, ValueError, ValidationError) as error:
        raise NotFound(_("No episode with that identifier.")) from error
    access.access_patient(actor, episode.patient.external_id, audit_read=False)
    return episode


def valid_diagnosis_groups() -> list[str]:
    return list(DiagnosisGroup.values)
