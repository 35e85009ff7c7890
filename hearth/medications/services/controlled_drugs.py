"""Controlled drugs at home: the register of stock received, given, returned,
destroyed and counted, and its discrepancies."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm
from hearth.medications.choices import STOCK_OUT, StockMovement
from hearth.medications.models import (
    Administration,
    Formulation,
    StockEntry,
    StockHolding,
    plain_decimal,
)
from hearth.medications.services._common import CLOCK_SKEW, _aware, _decimal
from hearth.patients.models import Patient


def _holding(patient: Patient, formulation: Formulation, *, create: bool) -> StockHolding | None:
    holding = (
        StockHolding.objects.select_for_update()
        .filter(patient=patient, formulation=formulation)
        .first()
    )
    if holding is None and create:
        holding, _created = StockHolding.objects.get_or_create(
            patient=patient, formulation=formulation
        )
        holding = lock(StockHolding, holding.pk)
    return holding


def _move_stock(
    *,
    actor: User,
    holding: StockHolding,
    movement: str,
    quantity: Decimal,
    occurred_at: datetime | None = None,
    witness: str = "",
    note: str | messages.Message = "",
    administration: Administration | None = None,
) -> StockEntry:
    """One line of the register; a ``note`` the service writes is a ``Message``,
    kept as its key and parameters so each reader sees it in their language."""
    note_text, note_key, note_params = messages.stored(note, language=settings.LANGUAGE_CODE)
    expected = holding.balance
    if movement == StockMovement.COUNTED:
        balance = quantity
    elif movement in STOCK_OUT:
        balance = expected - quantity
    else:
        balance = expected + quantity
    if movement == StockMovement.COUNTED:
        discrepancy = quantity - expected
    else:
        discrepancy = balance if balance < 0 else Decimal(0)
    entry = StockEntry.objects.create(
        holding=holding,
        movement=movement,
        quantity=quantity,
        balance_after=balance,
        expected_balance=expected if movement == StockMovement.COUNTED else balance,
        discrepancy=discrepancy,
        administration=administration,
        occurred_at=occurred_at or clock.now(),
        recorded_by=actor,
        witness=witness,
        note=note_text,
        note_key=note_key,
        note_params=note_params,
    )
    holding.balance = balance
    if discrepancy:
        holding.discrepancy_open = True
    holding.save(update_fields=["balance", "discrepancy_open"])
    return entry


def _take_from_stock(*, actor: User, administration: Administration) -> None:
    """A controlled-drug dose comes out of the home register, when the service
    keeps one for that formulation (a holding exists) and the amount per unit
    is known. A dose with no stock left is still recorded (it was given) and
    the register shows the discrepancy."""
    version = administration.version
    formulation = version.formulation
    drug = administration.order.drug_route.drug
    if (
        formulation is None
        or not drug.is_controlled
        or not formulation.amount_per_unit
        or administration.dose is None
    ):
        return
    holding = _holding(administration.patient, formulation, create=False)
    if holding is None:
        return
    quantity = (administration.dose / formulation.amount_per_unit).quantize(Decimal("0.001"))
    _move_stock(
        actor=actor,
        holding=holding,
        movement=StockMovement.GIVEN,
        quantity=quantity,
        occurred_at=administration.given_at,
        administration=administration,
        note=str(administration.order.drug_route),
    )


@transaction.atomic
def record_stock(
    *,
    actor: User,
    patient: Patient,
    formulation: Formulation,
    movement: str,
    quantity: Any,
    occurred_at: datetime | None = None,
    witness: str = "",
    note: str = "",
) -> StockEntry:
    """Stock received, returned, destroyed or counted. Doses given come from the
    administration record, never typed here, so the two cannot disagree."""
    require_perm(
        actor,
        "medications.manage_controlled_drugs",
        patient,
        _("Only a nurse or physician keeps the controlled-drug register."),
    )
    errors = Errors()
    if not formulation.drug_route.drug.is_controlled:
        errors.add("formulation", _("This is not a controlled drug."))
    manual = (
        StockMovement.RECEIVED,
        StockMovement.RETURNED,
        StockMovement.DESTROYED,
        StockMovement.COUNTED,
    )
    if movement not in manual:
        errors.add("movement", _("Choose received, returned, destroyed or counted."))
    amount: Decimal | None
    if movement == StockMovement.COUNTED and quantity in (0, "0", Decimal(0)):
        amount = Decimal(0)
    else:
        amount = _decimal(quantity, "quantity", errors)
    witness = (witness or "").strip()[:150]
    note = (note or "").strip()[:2000]
    if movement in (StockMovement.DESTROYED, StockMovement.RETURNED) and not witness:
        errors.add("witness", _("A second person witnesses a return or destruction."))
    occurred = _aware(occurred_at, "occurred_at", errors) or clock.now()
    if occurred > clock.now() + CLOCK_SKEW:
        errors.add("occurred_at", _("Cannot be in the future."))
    errors.raise_if_any()
    assert amount is not None
    holding = _holding(patient, formulation, create=True)
    assert holding is not None
    if movement in STOCK_OUT and amount > holding.balance:
        raise ValidationFailed(
            _(
                "The register holds %(balance)s %(unit)s; you cannot remove %(amount)s. "
                "Count the stock first."
            )
            % {
                "balance": plain_decimal(holding.balance),
                "unit": formulation.stock_unit_label,
                "amount": plain_decimal(amount),
            },
            field_errors={"quantity": [_("More than the balance.")]},
        )
    entry = _move_stock(
        actor=actor,
        holding=holding,
        movement=movement,
        quantity=amount,
        occurred_at=occurred,
        witness=witness,
        note=note,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.CONTROLLED_DRUG_RECORDED,
        patient=patient,
        obj=entry,
        summary=messages.text(
            gettext_noop(
                "Controlled drug %(movement)s: %(formulation)s × %(amount)s "
                "(balance %(balance)s), discrepancy"
            )
            if entry.has_discrepancy
            else gettext_noop(
                "Controlled drug %(movement)s: %(formulation)s × %(amount)s (balance %(balance)s)"
            ),
            movement=messages.lower_case(messages.choice(entry, "movement")),
            formulation=formulation.as_message(),
            amount=plain_decimal(amount),
            balance=plain_decimal(entry.balance_after),
        ),
        changes={
            "movement": movement,
            "quantity": amount,
            "balance": entry.balance_after,
            "discrepancy": entry.discrepancy,
            "witness": witness,
        },
    )
    return entry


@transaction.atomic
def close_discrepancy(*, actor: User, holding: StockHolding, note: str) -> StockHolding:
    """A clinician looked into a discrepancy and says what they found; the
    entries stay as they were."""
    require_perm(actor, "medications.manage_controlled_drugs", holding.patient)
    note = (note or "").strip()
    require(bool(note), "note", _("Say what you found."))
    locked = lock(StockHolding, holding.pk)
    if not locked.discrepancy_open:
        raise Conflict(_("There is no open discrepancy for this medicine."))
    locked.discrepancy_open = False
    locked.save(update_fields=["discrepancy_open"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.CONTROLLED_DRUG_DISCREPANCY_CLOSED,
        patient=locked.patient,
        obj=locked.formulation,
        summary=messages.text(
            gettext_noop("Controlled-drug discrepancy looked into: %(note)s"), note=note[:200]
        ),
        changes={"note": note},
    )
    return locked
