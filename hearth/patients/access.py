"""Who may see which patient: the one place that answers it.

Pages, the API and templates all go through ``access_patient`` (one object)
and ``patients_visible_to`` (lists); nothing else calls ``Patient.objects.get``
on behalf of a user. Each successful access writes an audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hearth.accounts.models import Discipline, UserKind
from hearth.core import audit, context
from hearth.core.audit_events import AuditEventType, catalogued_event_type
from hearth.core.errors import NotAllowed, NotFound
from hearth.core.models import AuditAction
from hearth.patients.choices import EpisodeState
from hearth.patients.models import (
    CaregiverLink,
    CareTeamAssignment,
    EmergencyAccess,
    Episode,
    Patient,
    PatientQuerySet,
)

#: Episodes whose patients the medical commission needs to read: those waiting
#: for a decision and those in care (for the decision at the review date).
COMMISSION_STATES = (EpisodeState.AWAITING_COMMISSION, EpisodeState.ACTIVE)
SERVICE_WIDE_DISCIPLINES = (Discipline.COORDINATOR, Discipline.ADMINISTRATOR)
#: Disciplines that may use break-the-glass access.
EMERGENCY_ACCESS_DISCIPLINES = (
    Discipline.PHYSICIAN,
    Discipline.NURSE,
    Discipline.PSYCHOLOGIST,
    Discipline.SOCIAL_WORKER,
    Discipline.CHAPLAIN,
)


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_staff(user: Any) -> bool:
    return _active(user) and user.kind == UserKind.STAFF


def is_volunteer(user: Any) -> bool:
    """Volunteers are staff by sign-in but read a brief, never the record
    (least privilege, issue 18): every check below refuses them the record."""
    return is_staff(user) and user.discipline == Discipline.VOLUNTEER


def sees_whole_service(user: Any) -> bool:
    return is_staff(user) and user.discipline in SERVICE_WIDE_DISCIPLINES


def _remembered(question: str, user: Any, patient: Patient, work_out: Callable[[], bool]) -> bool:
    """One access question asked of the database at most once per request.

    A record page asks the same thing about the same nurse and patient from
    the view, each permission and the templates (six care-team look-ups on one
    page); the answer is kept for the rest of that request only. The store is
    open only on requests that change nothing (GET, HEAD:
    ``hearth.core.middleware``) and is emptied whenever a care-team place,
    emergency access, caregiver link, episode or user is saved or deleted
    (``_forget_on_change``), so a stale answer cannot let anyone in.
    """
    if patient.pk is None or getattr(user, "pk", None) is None:
        return work_out()
    return context.remembered(("access", question, user.pk, patient.pk), work_out)


def on_care_team(user: Any, patient: Patient) -> bool:
    return is_staff(user) and _remembered(
        "care_team",
        user,
        patient,
        lambda: CareTeamAssignment.objects.current().filter(patient=patient, staff=user).exists(),
    )


def holds_emergency_access(user: Any, patient: Patient) -> bool:
    return is_staff(user) and _remembered(
        "emergency_access",
        user,
        patient,
        lambda: EmergencyAccess.objects.in_force().filter(patient=patient, user=user).exists(),
    )


def reviews_for_commission(user: Any, patient: Patient) -> bool:
    return (
        is_staff(user)
        and user.is_commission_member
        and _remembered(
            "commission",
            user,
            patient,
            lambda: patient.episodes.filter(state__in=COMMISSION_STATES).exists(),
        )
    )


def is_family_of(user: Any, patient: Patient) -> bool:
    return (
        _active(user)
        and user.kind == UserKind.FAMILY
        and _remembered(
            "family",
            user,
            patient,
            lambda: CaregiverLink.objects.filter(
                user=user, patient=patient, ended_at__isnull=True
            ).exists(),
        )
    )


def is_the_patient(user: Any, patient: Patient) -> bool:
    return _active(user) and user.kind == UserKind.PATIENT and patient.portal_user_id == user.pk


#: A reason a clinician on call may open a patient's record without
#: break-the-glass: ``reason(user, patient) -> bool``. Higher apps register
#: theirs (monitoring: the open alert the user owns; visits may add an open
#: dispatch the user holds) so that ``patients`` imports neither.
OnCallReason = Callable[[Any, Patient], bool]
_on_call_reasons: list[OnCallReason] = []


def register_on_call_reason(reason: OnCallReason) -> None:
    """Let a higher app grant on-call access (idempotent, so a reloaded app
    config does not register a reason twice)."""
    if reason not in _on_call_reasons:
        _on_call_reasons.append(reason)


def holds_on_call_access(user: Any, patient: Patient) -> bool:
    """True while something on call makes ``patient`` this clinician's business
    (an open alert they own): the record opens without break-the-glass, and
    the access ends by itself when that alert is closed or handed on."""
    return is_staff(user) and _remembered(
        "on_call",
        user,
        patient,
        lambda: any(reason(user, patient) for reason in _on_call_reasons),
    )


def staff_can_open(user: Any, patient: Patient) -> bool:
    """Staff access to the clinical record, by any legitimate route. A
    volunteer has none, even on the care team: they read the volunteer brief."""
    if is_volunteer(user):
        return False
    return (
        sees_whole_service(user)
        or on_care_team(user, patient)
        or reviews_for_commission(user, patient)
        or holds_emergency_access(user, patient)
        or holds_on_call_access(user, patient)
    )


def reached_only_on_call(user: Any, patient: Patient) -> bool:
    """True when being on call is the only reason ``user`` sees ``patient``:
    each such read leaves a ``record.opened_on_call`` event as well."""
    return holds_on_call_access(user, patient) and not (
        sees_whole_service(user)
        or on_care_team(user, patient)
        or reviews_for_commission(user, patient)
        or holds_emergency_access(user, patient)
    )


def volunteer_on_assignment(user: Any, patient: Patient) -> bool:
    """A volunteer whose assignment to ``patient`` is current. Starting an
    assignment gives the volunteer a care-team place (role "volunteer") and
    ending the last one ends it, so that place is the one fact to check here."""
    return is_volunteer(user) and on_care_team(user, patient)


def can_read_volunteer_brief(user: Any, patient: Patient) -> bool:
    """The brief is for the volunteer on assignment; staff who can open the
    record may read it too (to check what the volunteer is told)."""
    return volunteer_on_assignment(user, patient) or staff_can_open(user, patient)


def portal_can_open(user: Any, patient: Patient) -> bool:
    return is_family_of(user, patient) or is_the_patient(user, patient)


def reached_only_by_emergency_access(user: Any, patient: Any) -> bool:
    """True when break-the-glass is the *only* reason ``user`` can see ``patient``:
    those reads and writes are flagged in the audit trail."""
    if not isinstance(patient, Patient):
        if patient is None:
            return False
        patient = Patient.objects.filter(pk=patient).first()
        if patient is None:
            return False
    if not is_staff(user) or not holds_emergency_access(user, patient):
        return False
    return not (
        sees_whole_service(user)
        or on_care_team(user, patient)
        or reviews_for_commission(user, patient)
        or holds_on_call_access(user, patient)
    )


def can_use_emergency_access(user: Any, patient: Patient) -> bool:
    return (
        is_staff(user)
        and user.discipline in EMERGENCY_ACCESS_DISCIPLINES
        and not staff_can_open(user, patient)
    )


def portal_patient(user: Any) -> Patient | None:
    """The one patient a family member or a patient's own sign-in reaches
    through the portal; staff reach none this way."""
    if not _active(user) or user.kind == UserKind.STAFF:
        return None
    return patients_visible_to(user).first()


def patients_visible_to(user: Any) -> PatientQuerySet:
    """Every patient ``user`` may see, as one queryset (no per-row checks)."""
    patients = Patient.objects.all()
    if not _active(user):
        return patients.none()
    if user.kind == UserKind.FAMILY:
        return patients.filter(caregivers__user=user, caregivers__ended_at__isnull=True)
    if user.kind == UserKind.PATIENT:
        return patients.filter(portal_user=user)
    if sees_whole_service(user):
        return patients
    if is_volunteer(user):
        # Volunteers reach their people through their assignments and the
        # brief, never through patient lists.
        return patients.none()
    return patients.filter(pk__in=_reachable_patient_ids(user))


def _reachable_patient_ids(user: Any) -> QuerySet[Any, Any]:
    """The ids of the patients a clinician reaches, as one UNION of lookups
    that each use an index on a small table (this person's current care-team
    places, emergency access in force, and, for commission members, episodes
    awaiting or in care).

    Why not ``Q(care_team__staff=user) | Q(emergency_accesses__user=user)``:
    an OR across two joins makes the database read every care-team row and
    every patient of the whole service (36-50 ms at 10,000 patients, growing
    with the service); the union reads only this person's rows (0.3 ms).
    Each part is unordered (``order_by()``): a compound SELECT may carry no
    ORDER BY of its own on SQLite.
    """
    from hearth.core import clock

    now = clock.now()
    care_team = (
        CareTeamAssignment.objects.current()
        .filter(staff=user)
        .order_by()
        .values_list("patient_id", flat=True)
    )
    emergency = (
        EmergencyAccess.objects.filter(user=user, expires_at__gt=now, ended_at__isnull=True)
        .order_by()
        .values_list("patient_id", flat=True)
    )
    if not user.is_commission_member:
        return care_team.union(emergency)
    commission = (
        Episode.objects.filter(state__in=COMMISSION_STATES)
        .order_by()
        .values_list("patient_id", flat=True)
    )
    return care_team.union(emergency, commission)


#: What staff outside the caseload are told where emergency access would let them in.
OUTSIDE_THE_CASELOAD = gettext_lazy(
    "This patient is not on your caseload. If this is an emergency, "
    "use emergency access and give the reason."
)


def find_patient(patient_id: UUID | str) -> Patient:
    try:
        return Patient.objects.get(external_id=patient_id)
    except (Patient.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound(_("No patient with that identifier.")) from error


def patient_key_for_identifier(patient_id: str) -> int | None:
    """The patient an identifier from a URL names, if any: a refused request's
    audit event is linked to that patient's trail (see hearth.core.refusals)."""
    try:
        return Patient.objects.filter(external_id=patient_id).values_list("pk", flat=True).first()
    except (ValueError, TypeError, ValidationError):
        return None


def access_patient(
    user: Any,
    patient_id: UUID | str,
    *,
    clinical: bool = True,
    event_type: AuditEventType | str = AuditEventType.PATIENT_VIEWED,
    audit_read: bool = True,
) -> Patient:
    """Load a patient for ``user`` or refuse.

    ``clinical=True`` (the staff record) needs staff access; ``clinical=False``
    also admits the family and the patient themself (portal views). Family and
    strangers are told "not found" so the existence of a record does not leak;
    staff outside the caseload are told they may use emergency access.
    """
    patient = find_patient(patient_id)
    if staff_can_open(user, patient) or (not clinical and portal_can_open(user, patient)):
        if audit_read:
            audit.record(
                actor=user,
                action=AuditAction.VIEW,
                event_type=catalogued_event_type(event_type),
                patient=patient,
                obj=patient,
            )
            if is_staff(user) and reached_only_on_call(user, patient):
                audit.record(
                    actor=user,
                    action=AuditAction.VIEW,
                    event_type=AuditEventType.RECORD_OPENED_ON_CALL,
                    patient=patient,
                    obj=patient,
                    # No purpose text: the event's own label says "on call"
                    # in the reader's language; a stored "On call" stayed in
                    # the writer's (seen on a Russian audit trail at night).
                    changes={"page": str(event_type)},
                )
        return patient
    _refuse(user, patient, clinical=clinical)


def _refuse(user: Any, patient: Patient, *, clinical: bool) -> NoReturn:
    """The one refusal for a patient someone may not open: a volunteer,
    the family and strangers are told "not found"; staff outside the
    caseload who may break the glass are told so."""
    if can_use_emergency_access(user, patient):
        raise NotAllowed(str(OUTSIDE_THE_CASELOAD), code="emergency_access_available")
    if is_staff(user) and not clinical and not is_volunteer(user):
        raise NotAllowed(_("This patient is not on your caseload."))
    raise NotFound(_("No patient with that identifier."))


def refuse_a_volunteer(user: Any) -> None:
    """For the few patient-scoped routes that check a role before opening the
    patient (emergency access, the audit trail, an urgent visit): a volunteer
    is told the thing does not exist, as ``access_patient`` tells them."""
    if is_volunteer(user):
        raise NotFound(_("No patient with that identifier."))


def access_volunteer_brief(user: Any, patient_id: UUID | str) -> Patient:
    """Load a patient for their volunteer brief (the one patient-scoped read a
    volunteer has) or refuse like ``access_patient``; every read is audited."""
    patient = find_patient(patient_id)
    if not can_read_volunteer_brief(user, patient):
        _refuse(user, patient, clinical=True)
    audit.record(
        actor=user,
        action=AuditAction.VIEW,
        event_type=AuditEventType.VOLUNTEER_BRIEF_VIEWED,
        patient=patient,
        obj=patient,
    )
    return patient


def access_patient_for(
    user: Any, patient_id: UUID | str, perm: str, *, read: str | None = None
) -> Patient:
    """Open a patient for one purpose: family and staff alike (``clinical=False``),
    then the object permission ``perm`` decides. ``read`` names the audit event
    of a read; writes leave their own event in the service."""
    patient = access_patient(
        user, patient_id, clinical=False, event_type=read or "", audit_read=read is not None
    )
    if not user.has_perm(perm, patient):
        raise NotAllowed(_("Your role does not allow this."))
    return patient


def _forget_on_change(**_: Any) -> None:
    """Who may see a patient changed (a care-team place, emergency access, a
    caregiver link, an episode's stage, a person's discipline): no answer
    remembered earlier in this request may be used again."""
    context.forget_answers()


def connect_forgetting() -> None:
    """Called once from ``PatientsConfig.ready``."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    for model in (CareTeamAssignment, EmergencyAccess, CaregiverLink, Episode, get_user_model()):
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_on_change, sender=model, dispatch_uid=f"forget-access-{model._meta.label}"
            )
