"""Family sign-off per route: a nurse or physician judged a family member
competent to give medicines by a route, or withdraws that."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import InvalidTransition
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm
from hearth.medications.choices import FAMILY_ROUTES, Route
from hearth.medications.models import MedicineSignOff
from hearth.patients.models import CaregiverLink, Patient


@transaction.atomic
def sign_off_caregiver(
    *,
    actor: User,
    patient: Patient,
    caregiver: User,
    route: str,
    signed_off_on: date,
    expires_on: date,
    note: str = "",
) -> MedicineSignOff:
    """A nurse or physician saw this family member give medicines by ``route``
    and judged them competent. Without it, their doses by that route are refused."""
    require_perm(
        actor,
        "medications.sign_off_caregiver",
        patient,
        _("Only a nurse or physician can sign off a family member."),
    )
    errors = Errors()
    if not CaregiverLink.objects.filter(
        patient=patient, user=caregiver, ended_at__isnull=True
    ).exists():
        errors.add("caregiver", _("Choose a family caregiver of this patient."))
    if route not in FAMILY_ROUTES:
        errors.add(
            "route",
            _("Family members can be signed off for: %(routes)s.")
            % {"routes": ", ".join(str(Route(r).label).lower() for r in FAMILY_ROUTES)},
        )
    today = clock.today()
    if signed_off_on > today:
        errors.add("signed_off_on", _("Cannot be in the future."))
    if expires_on < signed_off_on:
        errors.add("expires_on", _("Must be on or after the sign-off date."))
    elif expires_on < today:
        errors.add("expires_on", _("This sign-off would already have expired."))
    errors.raise_if_any()
    sign_off = MedicineSignOff.objects.create(
        patient=patient,
        caregiver=caregiver,
        route=route,
        signed_off_on=signed_off_on,
        expires_on=expires_on,
        signed_off_by=actor,
        note=(note or "").strip()[:2000],
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.MEDICINE_SIGN_OFF_RECORDED,
        patient=patient,
        obj=sign_off,
        summary=messages.text(
            gettext_noop("%(who)s signed off for medicines %(route)s until %(until)s"),
            who=caregiver.display_name,
            route=messages.lower_case(Route(route).label),
            until=expires_on,
        ),
        changes={"caregiver": caregiver, "route": route, "expires_on": expires_on},
    )
    return sign_off


@transaction.atomic
def revoke_sign_off(*, actor: User, sign_off: MedicineSignOff, reason: str) -> MedicineSignOff:
    require_perm(actor, "medications.sign_off_caregiver", sign_off.patient)
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why the sign-off ends."))
    locked = lock(MedicineSignOff, sign_off.pk)
    if locked.revoked_at is not None:
        raise InvalidTransition(_("This sign-off was already withdrawn."))
    locked.revoked_at = clock.now()
    locked.revoked_by = actor
    locked.revoke_reason = reason[:2000]
    locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.MEDICINE_SIGN_OFF_WITHDRAWN,
        patient=locked.patient,
        obj=locked,
        summary=messages.text(gettext_noop("Medicine sign-off withdrawn")),
        changes={"reason": reason},
    )
    return locked
