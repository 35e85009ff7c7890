"""Reads for bereavement pages and the API: a patient's plan, the live return
checklist, the staff worklist and the family's view.

Callers have already opened the patient (``access_patient_for``) except the
worklist, which filters by ``patients_visible_to`` and writes each patient it
lists to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import DateField, Min, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.equipment.models import Loan
from hearth.medications.models import StockHolding
from hearth.medications.queries import stopped_with_stock
from hearth.patients import access
from hearth.patients.models import CaregiverLink, Patient

from .choices import ContactStatus, PlanStatus
from .models import BereavementContact, BereavementPlan, RiskScreen

#: Risk banding used when the service sets none (a service choice, see choices.py).
DEFAULT_RISK_BANDS: dict[str, Any] = {"moderate_from": 1, "high_from": 3, "high_if_any": []}


def contact_days() -> list[int]:
    """Days after the death at which the plan's contacts fall due."""
    return [int(day) for day in settings.HEARTH_BEREAVEMENT_CONTACT_DAYS]


def high_risk_contact_days() -> int:
    """How soon after a high-risk screen the extra contact falls due (service choice)."""
    return int(settings.HEARTH_BEREAVEMENT_HIGH_RISK_CONTACT_DAYS)


def risk_bands() -> dict[str, Any]:
    bands = dict(DEFAULT_RISK_BANDS)
    bands.update(settings.HEARTH_BEREAVEMENT_RISK_BANDS)
    bands["high_if_any"] = sorted(bands.get("high_if_any") or [])
    return bands


def current_relatives(patient: Patient) -> QuerySet[CaregiverLink]:
    """The patient's family with a current link, primary caregiver first."""
    return (
        CaregiverLink.objects.filter(patient=patient, ended_at__isnull=True)
        .select_related("user")
        .order_by("-is_primary_caregiver", "id")
    )


def relatives_of(patient: Patient) -> QuerySet[CaregiverLink]:
    """Every family link the patient has had, primary first (whom a contact was with)."""
    return (
        CaregiverLink.objects.filter(patient=patient)
        .select_related("user")
        .order_by("ended_at", "-is_primary_caregiver", "id")
    )


# --- The return checklist --------------------------------------------------------


@dataclass
class ReturnChecklist:
    """What the service lent or left in the home that must come back, read live."""

    loans: list[Loan]
    controlled_drugs: list[StockHolding]

    @property
    def equipment_clear(self) -> bool:
        return not self.loans

    @property
    def drugs_clear(self) -> bool:
        return not self.controlled_drugs


def returns_checklist(patient: Patient) -> ReturnChecklist:
    loans = list(Loan.objects.at_home().filter(patient=patient).select_related("item"))
    return ReturnChecklist(loans=loans, controlled_drugs=stopped_with_stock(patient))


def describe_loan(loan: Loan) -> str:
    return f"{loan.item.get_kind_display()} ({loan.item.serial_number})"


def describe_holding(holding: StockHolding) -> str:
    amount = format(holding.balance.normalize(), "f")
    return f"{holding.formulation}: {amount} {holding.formulation.stock_unit_label}"


# --- A patient's plan -------------------------------------------------------------


def _contacts() -> QuerySet[BereavementContact]:
    return BereavementContact.objects.select_related("done_by", "created_by").prefetch_related(
        Prefetch("relatives", queryset=CaregiverLink.objects.select_related("user"))
    )


def plan_for(patient: Patient) -> BereavementPlan | None:
    """The newest plan of the patient (one per episode), with contacts and screens."""
    return (
        BereavementPlan.objects.filter(patient=patient)
        .select_related(
            "episode",
            "created_by",
            "equipment_confirmed_by",
            "drugs_confirmed_by",
            "closed_by",
        )
        .prefetch_related(
            Prefetch("contacts", queryset=_contacts()),
            Prefetch(
                "screens",
                queryset=RiskScreen.objects.select_related(
                    "screened_by", "entered_in_error_by", "extra_contact"
                ).prefetch_related(
                    Prefetch("relatives", queryset=CaregiverLink.objects.select_related("user"))
                ),
            ),
        )
        .order_by("-died_on", "-id")
        .first()
    )


def contact_detail(contact_id: Any) -> BereavementContact | None:
    try:
        return (
            _contacts()
            .select_related("plan__patient", "plan__episode")
            .filter(external_id=contact_id)
            .first()
        )
    except (ValueError, TypeError):
        return None


def screen_detail(screen_id: Any) -> RiskScreen | None:
    try:
        return (
            RiskScreen.objects.select_related("plan__patient", "screened_by")
            .filter(external_id=screen_id)
            .first()
        )
    except (ValueError, TypeError):
        return None


def next_open_contact(plan: BereavementPlan) -> BereavementContact | None:
    return next((c for c in plan.contacts.all() if c.status == ContactStatus.PLANNED), None)


# --- The staff worklist -------------------------------------------------------------


@dataclass
class WorklistRow:
    plan: BereavementPlan
    next_due: date | None
    open_contacts: list[BereavementContact] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return self.next_due is not None and self.next_due < clock.today()


#: The worklist's order: the soonest contact due first (plans with nothing
#: planned last), then the plan; ``due_order`` is annotated by ``worklist_plans``.
WORKLIST_ORDER = ("due_order", "id")


def worklist_plans(actor: Any, *, everything: bool = False) -> QuerySet[BereavementPlan]:
    """Open plans of patients ``actor`` may see with a contact overdue or due
    within seven days (``everything``: every open plan), soonest first, ordered
    by the database so the API can page it. Not audited: the caller audits the
    rows it shows (``audit_worklist``)."""
    horizon = clock.today() + timedelta(days=7)
    visible = access.patients_visible_to(actor).values("pk")
    plans = (
        BereavementPlan.objects.open()
        .filter(patient__in=visible)
        .annotate(
            next_due=Min("contacts__due_on", filter=Q(contacts__status=ContactStatus.PLANNED))
        )
        .annotate(due_order=Coalesce("next_due", Value(date.max), output_field=DateField()))
        .select_related("patient")
        .prefetch_related(
            Prefetch(
                "contacts",
                queryset=BereavementContact.objects.open().order_by("due_on", "id"),
                to_attr="open_list",
            )
        )
        .order_by(*WORKLIST_ORDER)
    )
    if not everything:
        plans = plans.filter(next_due__lte=horizon)
    return plans


def worklist_rows(plans: Iterable[BereavementPlan]) -> list[WorklistRow]:
    """The rows of plans read by ``worklist_plans``."""
    return [
        WorklistRow(plan=plan, next_due=plan.next_due, open_contacts=plan.open_list)  # type: ignore[attr-defined]
        for plan in plans
    ]


def audit_worklist(actor: Any, rows: Sequence[WorklistRow]) -> None:
    """One list-view event per patient ``actor`` was shown on the worklist."""
    audit.record_list_view(
        actor=actor,
        event_type=AuditEventType.BEREAVEMENT_PLANS_LISTED,
        patients=[r.plan.patient for r in rows],
    )


def worklist(actor: Any, *, everything: bool = False) -> list[WorklistRow]:
    """The whole worklist, soonest first, each patient listed written to the
    audit trail. A fixed number of queries."""
    rows = worklist_rows(worklist_plans(actor, everything=everything))
    audit_worklist(actor, rows)
    return rows


# --- The family's view --------------------------------------------------------------


@dataclass
class FamilyContact:
    """What the family is told: the month and the kind, never staff notes."""

    month: date
    kind_label: str
    done_on: date | None = None


@dataclass
class FamilyView:
    upcoming: list[FamilyContact]
    past: list[FamilyContact]


def family_view(patient: Patient) -> FamilyView | None:
    plan = (
        BereavementPlan.objects.filter(patient=patient, status=PlanStatus.OPEN)
        .order_by("-died_on", "-id")
        .first()
    )
    if plan is None:
        return None
    from django.utils import timezone

    upcoming: list[FamilyContact] = []
    past: list[FamilyContact] = []
    for contact in plan.contacts.exclude(status=ContactStatus.NOT_NEEDED).order_by("due_on", "id"):
        label = str(contact.get_kind_display())
        if contact.status == ContactStatus.PLANNED:
            upcoming.append(FamilyContact(month=contact.due_on.replace(day=1), kind_label=label))
        elif contact.status == ContactStatus.DONE and contact.done_at is not None:
            done_on = timezone.localdate(contact.done_at)
            past.append(
                FamilyContact(month=done_on.replace(day=1), kind_label=label, done_on=done_on)
            )
    return FamilyView(upcoming=upcoming, past=past)


def portal_patient(user: Any) -> Patient | None:
    """The one patient a family member reaches through the portal."""
    if getattr(user, "kind", None) != "family":
        return None
    return access.portal_patient(user)


def panel(patient: Patient, user: Any) -> dict[str, Any]:
    """The small section on the patient record."""
    plan = BereavementPlan.objects.filter(patient=patient).order_by("-died_on", "-id").first()
    next_contact = plan.contacts.open().order_by("due_on", "id").first() if plan else None
    return {
        "patient": patient,
        "plan": plan,
        "next_contact": next_contact,
        "can_view": bool(user is not None and user.has_perm("bereavement.view_plan", patient)),
    }
