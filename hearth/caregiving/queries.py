"""Reads that are more than one line: the training grid, the strain schedule,
the support tasks and the family-support page, each in a constant number of
queries whatever the number of carers, skills or patients.

Where a carer stands with a skill is worked out here, never stored:

* a "giving medicines" skill is signed off when the medicines app holds a
  current ``MedicineSignOff`` for that carer and route (the same record dose
  recording checks), and needs refreshing when the newest unrevoked one has
  expired;
* any other skill is signed off until the training record's ``expires_on``,
  then needs refreshing;
* otherwise the furthest step recorded (shown, practised), or withdrawn when
  the newest record was withdrawn and nothing was recorded since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hearth.assessments import instruments
from hearth.assessments.models import AssessmentResponse
from hearth.caregiving import curriculum
from hearth.caregiving.choices import OPEN_RESPITE, RespiteStatus, TrainingStatus
from hearth.caregiving.models import (
    RespiteRequest,
    SupportContact,
    SupportTask,
    SupportTaskQuerySet,
    TrainingRecord,
)
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.medications.models import MedicineSignOff
from hearth.patients import access
from hearth.patients.choices import EpisodeState
from hearth.patients.models import CaregiverLink, Episode, Patient
from hearth.patients.queries import WorklistColumn

NEXT_STEP: dict[str, Any] = {
    TrainingStatus.NOT_STARTED: gettext_lazy("A nurse shows how it is done."),
    TrainingStatus.DEMONSTRATED: gettext_lazy("Practise it with the nurse watching."),
    TrainingStatus.PRACTISED: gettext_lazy("A nurse or doctor signs you off."),
    TrainingStatus.SIGNED_OFF: gettext_lazy("Nothing for now: keep it up."),
    TrainingStatus.NEEDS_REFRESHING: gettext_lazy(
        "Go through it again with the nurse to be signed off again."
    ),
    TrainingStatus.WITHDRAWN: gettext_lazy("Start again with the nurse."),
}


# --- Training -----------------------------------------------------------------------


@dataclass
class SkillState:
    skill: curriculum.Skill
    status: str
    record: TrainingRecord | None = None
    sign_off: MedicineSignOff | None = None
    withdrawn: TrainingRecord | None = None
    signed_off_on: date | None = None
    signed_off_by: Any = None
    expires_on: date | None = None

    @property
    def status_label(self) -> Any:
        return TrainingStatus(self.status).label

    @property
    def next_step(self) -> Any:
        return NEXT_STEP[self.status]

    @property
    def is_signed_off(self) -> bool:
        return self.status == TrainingStatus.SIGNED_OFF

    @property
    def can_sign_off(self) -> bool:
        return self.record is not None and self.record.practised_on is not None

    @property
    def reminder_due(self) -> bool:
        """Signed off, but expiring within ``HEARTH_TRAINING_REMINDER_DAYS``."""
        if self.status != TrainingStatus.SIGNED_OFF or self.expires_on is None:
            return False
        days = int(settings.HEARTH_TRAINING_REMINDER_DAYS)
        return self.expires_on <= clock.today() + timedelta(days=days)


@dataclass
class CarerTraining:
    caregiver: CaregiverLink
    skills: list[SkillState] = field(default_factory=list)

    @property
    def signed_off_count(self) -> int:
        return sum(1 for state in self.skills if state.is_signed_off)

    @property
    def learned(self) -> list[SkillState]:
        return [s for s in self.skills if s.status == TrainingStatus.SIGNED_OFF]

    @property
    def next(self) -> list[SkillState]:
        return [s for s in self.skills if s.status != TrainingStatus.SIGNED_OFF]


def skill_state(
    skill: curriculum.Skill,
    records: Sequence[TrainingRecord],
    sign_offs: Sequence[MedicineSignOff],
    today: date,
) -> SkillState:
    """``records``: this carer's records of this skill, newest first;
    ``sign_offs``: their medicines sign-offs for the skill's route, newest first."""
    current = next((r for r in records if r.withdrawn_at is None), None)
    withdrawn = next((r for r in records if r.withdrawn_at is not None), None)
    state = SkillState(skill=skill, status=TrainingStatus.NOT_STARTED, record=current)
    if skill.medicine_route:
        standing = [s for s in sign_offs if s.revoked_at is None]
        valid = next((s for s in standing if s.signed_off_on <= today <= s.expires_on), None)
        newest = standing[0] if standing else None
        chosen = valid or (newest if newest and newest.expires_on < today else None)
        if chosen is not None:
            state.sign_off = chosen
            state.signed_off_on = chosen.signed_off_on
            state.signed_off_by = chosen.signed_off_by
            state.expires_on = chosen.expires_on
            state.status = (
                TrainingStatus.SIGNED_OFF if valid is not None else TrainingStatus.NEEDS_REFRESHING
            )
            return state
    elif current is not None and current.signed_off_on is not None:
        state.signed_off_on = current.signed_off_on
        state.signed_off_by = current.signed_off_by
        state.expires_on = current.expires_on
        in_force = current.expires_on is not None and current.expires_on >= today
        state.status = TrainingStatus.SIGNED_OFF if in_force else TrainingStatus.NEEDS_REFRESHING
        return state
    if current is not None and current.practised_on is not None:
        state.status = TrainingStatus.PRACTISED
    elif current is not None and current.demonstrated_on is not None:
        state.status = TrainingStatus.DEMONSTRATED
    elif current is None and withdrawn is not None:
        state.status = TrainingStatus.WITHDRAWN
        state.withdrawn = withdrawn
    return state


def training_for(
    patient: Patient, caregivers: Iterable[CaregiverLink] | None = None
) -> list[CarerTraining]:
    """Every current carer of ``patient`` (or just ``caregivers``) × every
    skill, in three queries."""
    links = (
        list(caregivers)
        if caregivers is not None
        else list(
            patient.caregivers.filter(ended_at__isnull=True)
            .select_related("user")
            .order_by("-is_primary_caregiver", "id")
        )
    )
    records: dict[tuple[int, str], list[TrainingRecord]] = defaultdict(list)
    for record in (
        TrainingRecord.objects.filter(caregiver__in=links)
        .select_related("demonstrated_by", "practised_by", "signed_off_by", "withdrawn_by")
        .order_by("-created_at", "-id")
    ):
        records[(record.caregiver_id, record.skill)].append(record)
    sign_offs: dict[tuple[int, str], list[MedicineSignOff]] = defaultdict(list)
    for sign_off in (
        MedicineSignOff.objects.filter(
            patient=patient, caregiver_id__in=[link.user_id for link in links]
        )
        .select_related("signed_off_by")
        .order_by("-signed_off_on", "-id")
    ):
        sign_offs[(sign_off.caregiver_id, sign_off.route)].append(sign_off)
    today = clock.today()
    result = []
    for link in links:
        carer = CarerTraining(caregiver=link)
        for skill in curriculum.all_skills():
            carer.skills.append(
                skill_state(
                    skill,
                    records.get((link.pk, skill.code), []),
                    sign_offs.get((link.user_id, skill.medicine_route or ""), []),
                    today,
                )
            )
        result.append(carer)
    return result


def own_training(user: Any, patient: Patient) -> CarerTraining | None:
    """The signed-in family member's own training, and nobody else's."""
    link = (
        CaregiverLink.objects.filter(user=user, patient=patient, ended_at__isnull=True)
        .select_related("user")
        .first()
    )
    if link is None:
        return None
    return training_for(patient, [link])[0]


# --- Caregiver strain on a schedule ----------------------------------------------------


def strain_instruments() -> list[str]:
    return [code for code, item in instruments.registry().items() if item.about_caregiver]


@dataclass
class StrainDue:
    patient_id: int
    caregiver: CaregiverLink
    last_assessed_at: datetime | None
    due_on: date

    @property
    def is_due(self) -> bool:
        return self.due_on <= clock.today()


def strain_schedule(patient_ids: Sequence[int]) -> dict[int, list[StrainDue]]:
    """When each followed carer's next strain assessment is due, for patients
    in active home care: ``HEARTH_CAREGIVER_STRAIN_EVERY_DAYS`` after the last
    one (any caregiver instrument), or after admission if none yet.

    Followed carers: the primary caregiver, and any other current carer who
    has had a strain assessment (the team chose to follow them). Three queries.
    """
    every = timedelta(days=int(settings.HEARTH_CAREGIVER_STRAIN_EVERY_DAYS))
    admitted = dict(
        Episode.objects.filter(patient_id__in=patient_ids, state=EpisodeState.ACTIVE).values_list(
            "patient_id", "admitted_at"
        )
    )
    if not admitted:
        return {}
    links = list(
        CaregiverLink.objects.filter(patient_id__in=list(admitted), ended_at__isnull=True)
        .select_related("user")
        .order_by("-is_primary_caregiver", "id")
    )
    last = dict(
        AssessmentResponse.objects.valid()
        .filter(caregiver__in=links, instrument__in=strain_instruments())
        .values("caregiver_id")
        .annotate(last=Max("assessed_at"))
        .values_list("caregiver_id", "last")
    )
    result: dict[int, list[StrainDue]] = defaultdict(list)
    for link in links:
        previous = last.get(link.pk)
        if previous is None and not link.is_primary_caregiver:
            continue
        start = previous or admitted[link.patient_id]
        if start is None:
            continue
        result[link.patient_id].append(
            StrainDue(
                patient_id=link.patient_id,
                caregiver=link,
                last_assessed_at=previous,
                due_on=timezone.localdate(start) + every,
            )
        )
    return dict(result)


# --- Support tasks ------------------------------------------------------------------------


def _tasks() -> SupportTaskQuerySet:
    return SupportTask.objects.select_related(  # type: ignore[return-value]
        "patient", "caregiver__user", "assigned_to", "created_by", "closed_by"
    ).prefetch_related(
        Prefetch("responses", queryset=AssessmentResponse.objects.order_by("assessed_at"))
    )


#: Support tasks of a patient: open before done, soonest due first.
TASK_ORDER = ("status", "due_on", "id")
#: Open support tasks of the service: soonest due first, then oldest.
OPEN_TASK_ORDER = ("due_on", "created_at", "id")


def task_rows(patient: Patient) -> SupportTaskQuerySet:
    return _tasks().filter(patient=patient).order_by(*TASK_ORDER)


def tasks_for(patient: Patient) -> list[SupportTask]:
    return list(task_rows(patient))


def open_task_rows(actor: Any) -> SupportTaskQuerySet:
    """Open support tasks for every patient ``actor`` may see, most urgent
    first, not yet audited: the caller audits what it shows."""
    return (
        _tasks()
        .open()
        .filter(patient__in=access.patients_visible_to(actor))
        .order_by(*OPEN_TASK_ORDER)
    )


def audit_tasks_listed(actor: Any, tasks: Sequence[SupportTask]) -> None:
    """One list-view event per patient whose support task ``actor`` was shown."""
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.SUPPORT_TASKS_LISTED,
        patients=[task.patient for task in tasks],
    )


def open_tasks(actor: Any) -> list[SupportTask]:
    """Open support tasks for every patient ``actor`` may see, most urgent first
    (audited as listed)."""
    tasks = list(open_task_rows(actor))
    audit_tasks_listed(actor, tasks)
    return tasks


def strain_due_for(actor: Any) -> list[StrainDue]:
    """Strain assessments due now for the patients ``actor`` may see."""
    ids = list(access.patients_visible_to(actor).values_list("pk", flat=True))
    schedule = strain_schedule(ids)
    due = [item for items in schedule.values() for item in items if item.is_due]
    return sorted(due, key=lambda item: item.due_on)


def worklist_columns(patient_ids: Sequence[int]) -> list[WorklistColumn]:
    """ "Family support": open support tasks and strain assessments due, in four
    queries whatever the number of patients."""
    counts = dict(
        SupportTask.objects.open()
        .filter(patient_id__in=patient_ids)
        .values("patient_id")
        .annotate(count=Count("id"))
        .values_list("patient_id", "count")
    )
    schedule = strain_schedule(patient_ids)
    cells: dict[int, dict[str, Any]] = {}
    for patient_id in set(counts) | set(schedule):
        parts = []
        count = counts.get(patient_id, 0)
        if count:
            parts.append(
                ngettext("%(count)d open support task", "%(count)d open support tasks", count)
                % {"count": count}
            )
        due = [item for item in schedule.get(patient_id, []) if item.is_due]
        if due:
            parts.append(
                _("strain check due: %(names)s")
                % {"names": ", ".join(item.caregiver.user.display_name for item in due)}
            )
        if parts:
            cells[patient_id] = {
                "text": " · ".join(parts),
                "css": "alert-medium" if count else "",
            }
    return [WorklistColumn(key="family_support", title=_("Family support"), cells=cells)]


# --- Contacts and respite ------------------------------------------------------------------


def contact_rows(patient: Patient) -> QuerySet[SupportContact]:
    """Counselling and social-work contacts, newest first."""
    return (
        SupportContact.objects.filter(patient=patient)
        .select_related("recorded_by", "entered_in_error_by")
        .prefetch_related(
            Prefetch("relatives", queryset=CaregiverLink.objects.select_related("user"))
        )
        .order_by("-occurred_at", "-id")
    )


def contacts_for(patient: Patient) -> list[SupportContact]:
    return list(contact_rows(patient))


def respite_rows(patient: Patient) -> QuerySet[RespiteRequest]:
    """Respite requests, newest first."""
    return (
        RespiteRequest.objects.for_patient(patient)
        .select_related("caregiver__user", "requested_by", "volunteer", "booked_by", "closed_by")
        .order_by("-requested_at", "-id")
    )


def respite_for(patient: Patient) -> list[RespiteRequest]:
    return list(respite_rows(patient))


def family_support(patient: Patient) -> dict[str, Any]:
    respite = respite_for(patient)
    return {
        "contacts": contacts_for(patient),
        "respite": respite,
        "open_respite": [r for r in respite if r.status in OPEN_RESPITE],
        "tasks": tasks_for(patient),
        "strain": strain_schedule([patient.pk]).get(patient.pk, []),
    }


def panel(patient: Patient) -> dict[str, Any]:
    """The patient-record panel: training signed off, open tasks, strain due,
    respite waiting or booked, the next contact planned."""
    training = training_for(patient)
    today = clock.today()
    return {
        "patient": patient,
        "carers": training,
        "needs_refreshing": sum(
            1
            for carer in training
            for state in carer.skills
            if state.status == TrainingStatus.NEEDS_REFRESHING
        ),
        "open_tasks": SupportTask.objects.open().filter(patient=patient).count(),
        "strain_due": [
            item for item in strain_schedule([patient.pk]).get(patient.pk, []) if item.is_due
        ],
        "respite_waiting": RespiteRequest.objects.for_patient(patient)
        .filter(status=RespiteStatus.REQUESTED)
        .count(),
        "respite_booked": RespiteRequest.objects.for_patient(patient)
        .filter(status=RespiteStatus.BOOKED)
        .count(),
        "next_contact": SupportContact.objects.valid()
        .filter(patient=patient, next_contact_on__gte=today)
        .order_by("next_contact_on")
        .first(),
    }
