"""The formulary (administrator): the medicines the service stocks and the
factors every opioid total uses."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require, require_perm
from hearth.medications import ome
from hearth.medications.choices import Conversion
from hearth.medications.models import Drug, DrugRoute, plain_decimal
from hearth.medications.services._common import _decimal


@transaction.atomic
def update_drug_route(
    *,
    actor: User,
    drug_route: DrugRoute,
    reason: str,
    ome_factor: Decimal | str | None = None,
    conversion: str | None = None,
    source: str | None = None,
    usual_maximum_single_dose: Decimal | str | None = None,
) -> DrugRoute:
    """Change a conversion factor or the usual maximum single dose (``""``
    clears it). The reason is kept with the history row and in the audit
    trail, because every opioid total and dose check after this uses it."""
    require_perm(actor, "medications.manage_formulary")
    errors = Errors()
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("Say why the factor changes (and its source)."))
    locked = lock(DrugRoute, drug_route.pk, related=("drug",))
    before = {
        "ome_factor": locked.ome_factor,
        "conversion": locked.conversion,
        "source": locked.source,
        "usual_maximum_single_dose": locked.usual_maximum_single_dose,
    }
    if usual_maximum_single_dose == "":
        locked.usual_maximum_single_dose = None
    elif usual_maximum_single_dose is not None:
        maximum = _decimal(usual_maximum_single_dose, "usual_maximum_single_dose", errors)
        if maximum is not None:
            locked.usual_maximum_single_dose = maximum
    if conversion is not None:
        if conversion not in Conversion.values:
            errors.add("conversion", _("Choose one of the listed conversions."))
        else:
            locked.conversion = conversion
    if ome_factor not in (None, ""):
        factor = _decimal(ome_factor, "ome_factor", errors)
        if factor is not None:
            locked.ome_factor = factor
    elif ome_factor == "":
        locked.ome_factor = None
    if source is not None:
        locked.source = source.strip()[:200]
    if locked.conversion in (Conversion.PER_DOSE_UNIT, Conversion.PATCH_RATE) and (
        locked.ome_factor is None
    ):
        errors.add("ome_factor", _("This conversion needs a factor."))
    link = ome.follows(locked)
    if link is not None and locked.ome_factor != before["ome_factor"]:
        followed_route, multiplier = link
        followed = DrugRoute.objects.filter(drug=locked.drug, route=followed_route).first()
        expected = (
            followed.ome_factor * multiplier
            if followed is not None and followed.ome_factor is not None
            else None
        )
        if locked.ome_factor != expected:
            errors.add(
                "ome_factor",
                _(
                    "This factor follows the factor for “%(route)s”: %(multiplier)s × "
                    "%(factor)s = %(expected)s. Change that factor instead."
                )
                % {
                    "route": followed.get_route_display() if followed else followed_route,
                    "multiplier": _plain(multiplier),
                    "factor": _plain(followed.ome_factor if followed else None),
                    "expected": _plain(expected),
                },
            )
    errors.raise_if_any()
    after = {
        "ome_factor": locked.ome_factor,
        "conversion": locked.conversion,
        "source": locked.source,
        "usual_maximum_single_dose": locked.usual_maximum_single_dose,
    }
    if after == before:
        raise ValidationFailed(
            _("Nothing changed."), field_errors={"ome_factor": [_("Nothing changed.")]}
        )
    locked._change_reason = reason  # type: ignore[attr-defined]
    locked.save()
    changes: dict[str, object] = {"before": before, "after": after, "reason": reason}
    followed_along = _keep_followers_in_step(locked)
    if followed_along:
        changes["followers"] = followed_along
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.FORMULARY_CHANGED,
        obj=locked,
        summary=messages.text(gettext_noop("Formulary: %(row)s changed"), row=locked.as_message()),
        changes=changes,
    )
    return locked


def _plain(value: Decimal | None) -> str:
    return "—" if value is None else plain_decimal(value)


def _keep_followers_in_step(changed: DrugRoute) -> list[dict[str, object]]:
    """Move every route whose factor follows ``changed`` (hydromorphone SC =
    2 × oral) in the same transaction, each with its own history reason, so a
    total never mixes the old follower with the new choice."""
    moved: list[dict[str, object]] = []
    for route, multiplier in ome.followers(changed):
        follower = DrugRoute.objects.filter(drug=changed.drug, route=route).first()
        if follower is None:
            continue
        follower = lock(DrugRoute, follower.pk, related=("drug",))
        expected = changed.ome_factor * multiplier if changed.ome_factor is not None else None
        if follower.ome_factor == expected:
            continue
        moved.append({"route": route, "before": follower.ome_factor, "after": expected})
        follower.ome_factor = expected
        # simple-history keeps at most 100 characters of reason.
        reason = (
            _("Follows the factor for “%(route)s”: %(multiplier)s × %(factor)s")
            % {
                "route": changed.get_route_display(),
                "multiplier": _plain(multiplier),
                "factor": _plain(changed.ome_factor),
            }
        )[:100]
        follower._change_reason = reason  # type: ignore[attr-defined]
        follower.save()
    return moved


@transaction.atomic
def update_drug(
    *,
    actor: User,
    drug: Drug,
    reason: str,
    is_controlled: bool | None = None,
    is_opioid: bool | None = None,
    warning: str | None = None,
    active: bool | None = None,
) -> Drug:
    require_perm(actor, "medications.manage_formulary")
    reason = (reason or "").strip()
    require(bool(reason), "reason", _("Say why this changes."))
    locked = lock(Drug, drug.pk)
    fields = {
        "is_controlled": is_controlled,
        "is_opioid": is_opioid,
        "warning": warning.strip()[:300] if warning is not None else None,
        "active": active,
    }
    before = {name: getattr(locked, name) for name in fields}
    for name, value in fields.items():
        if value is not None:
            setattr(locked, name, value)
    after = {name: getattr(locked, name) for name in fields}
    if after == before:
        raise ValidationFailed(
            _("Nothing changed."), field_errors={"reason": [_("Nothing changed.")]}
        )
    locked._change_reason = reason  # type: ignore[attr-defined]
    locked.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.FORMULARY_CHANGED,
        obj=locked,
        summary=messages.text(gettext_noop("Formulary: %(drug)s changed"), drug=locked.name),
        changes={"before": before, "after": after, "reason": reason},
    )
    return locked
