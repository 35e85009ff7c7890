"""Every change to the "what matters to me" profile.

The profile is written by the team with the person; the person and their
family propose changes in their own words, and the team takes them in. Each
function checks the rules, validates through the same form the page shows,
writes in one transaction and leaves an audit event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.choices import SPOKEN_LANGUAGES
from hearth.core.errors import Conflict, ValidationFailed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm, unknown_keys, validated_form
from hearth.patients.models import Patient
from hearth.personhood.choices import ProposalStatus, Section
from hearth.personhood.forms import (
    LegacyItemForm,
    ProposalForm,
    WeeklyWindowForm,
    section_form,
)
from hearth.personhood.models import (
    SECTION_MODELS,
    Communication,
    LegacyItem,
    ProfileProposal,
    ProfileSection,
    WeeklyWindow,
)


def _section_model(section: str) -> type[ProfileSection]:
    if section not in SECTION_MODELS:
        raise ValidationFailed(
            _("Unknown profile section."), field_errors={"section": [_("Unknown profile section.")]}
        )
    return SECTION_MODELS[section]


def section_of(patient: Patient, section: str) -> ProfileSection:
    """The saved section, or an unsaved one to start from: the language
    section starts from what the referral recorded."""
    model = _section_model(section)
    row = model._default_manager.filter(patient=patient).first()
    if row is not None:
        return row
    if model is Communication and patient.preferred_language in dict(SPOKEN_LANGUAGES):
        return Communication(
            patient=patient,
            preferred_language=patient.preferred_language,
            interpreter_needed=patient.interpreter_needed,
        )
    return model(patient=patient)


@transaction.atomic
def update_section(
    *, actor: User, patient: Patient, section: str, changes: Mapping[str, Any]
) -> ProfileSection:
    """Change some fields of one section; fields not sent keep their value."""
    require_perm(actor, "personhood.change_profile", patient)
    model = _section_model(section)
    errors = Errors()
    unknown_keys(changes, [f.name for f in model.content_fields()], errors)
    errors.raise_if_any()
    # Serialise writes to one person's profile (two nurses saving at once).
    lock(Patient, patient.pk)
    row = model._default_manager.filter(patient=patient).first() or model(patient=patient)
    before = row.content()
    form = section_form(section)(data={**before, **changes}, instance=row)
    validated_form(form)
    changed = audit.diff(before, row.content())
    if not changed:
        return row
    row.recorded_by = actor
    row.recorded_at = clock.now()
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.PROFILE_SECTION_UPDATED,
        patient=patient,
        obj=row,
        summary=messages.text(
            gettext_noop("Profile: %(section)s changed"), section=Section(section).label
        ),
        changes=changed,
    )
    return row


@transaction.atomic
def add_weekly_window(*, actor: User, patient: Patient, **details: Any) -> WeeklyWindow:
    require_perm(actor, "personhood.change_profile", patient)
    errors = Errors()
    unknown_keys(details, list(WeeklyWindowForm.base_fields), errors)
    errors.raise_if_any()
    window = WeeklyWindow(patient=patient, recorded_by=actor, recorded_at=clock.now())
    validated_form(WeeklyWindowForm(data=details, instance=window))
    window.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.PROFILE_WINDOW_ADDED,
        patient=patient,
        obj=window,
        summary=messages.text(
            gettext_noop("Weekly window added: %(window)s, %(days)s"),
            window=window,
            days=window.days,
        ),
    )
    return window


@transaction.atomic
def remove_weekly_window(*, actor: User, window: WeeklyWindow) -> WeeklyWindow:
    """Windows are ended, not deleted, so earlier plans can still be explained."""
    require_perm(actor, "personhood.change_profile", window.patient)
    window = WeeklyWindow.objects.select_for_update().get(pk=window.pk)
    if window.removed_at is not None:
        raise Conflict(_("This window was already removed."))
    window.removed_at = clock.now()
    window.removed_by = actor
    window.save(update_fields=["removed_at", "removed_by"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.PROFILE_WINDOW_REMOVED,
        patient=window.patient,
        obj=window,
        summary=messages.text(gettext_noop("Weekly window removed: %(window)s"), window=window),
    )
    return window


@transaction.atomic
def add_legacy_item(*, actor: User, patient: Patient, **details: Any) -> LegacyItem:
    require_perm(actor, "personhood.change_profile", patient)
    errors = Errors()
    unknown_keys(details, list(LegacyItemForm.base_fields), errors)
    errors.raise_if_any()
    item = LegacyItem(patient=patient, recorded_by=actor, recorded_at=clock.now())
    validated_form(LegacyItemForm(data={"status": "idea", **details}, instance=item))
    item.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.PROFILE_LEGACY_ITEM_ADDED,
        patient=patient,
        obj=item,
        summary=messages.text(
            gettext_noop("Legacy or bucket-list item added: %(title)s"), title=item.title
        ),
    )
    return item


@transaction.atomic
def update_legacy_item(*, actor: User, item: LegacyItem, changes: Mapping[str, Any]) -> LegacyItem:
    require_perm(actor, "personhood.change_profile", item.patient)
    errors = Errors()
    unknown_keys(changes, list(LegacyItemForm.base_fields), errors)
    errors.raise_if_any()
    item = LegacyItem.objects.select_for_update().get(pk=item.pk)
    fields = list(LegacyItemForm.base_fields)
    before = {field: getattr(item, field) for field in fields}
    validated_form(LegacyItemForm(data={**before, **changes}, instance=item))
    changed = audit.diff(before, {field: getattr(item, field) for field in fields})
    if not changed:
        return item
    item.recorded_by = actor
    item.recorded_at = clock.now()
    item.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.PROFILE_LEGACY_ITEM_UPDATED,
        patient=item.patient,
        obj=item,
        summary=messages.text(
            gettext_noop("Legacy or bucket-list item changed: %(title)s"), title=item.title
        ),
        changes=changed,
    )
    return item


@transaction.atomic
def propose_change(*, actor: User, patient: Patient, section: str, text: str) -> ProfileProposal:
    """The patient or a family member says, in their own words, what should change."""
    require_perm(actor, "personhood.propose_change", patient)
    proposal = ProfileProposal(patient=patient, proposed_by=actor, proposed_at=clock.now())
    validated_form(
        ProposalForm(data={"section": section, "text": (text or "").strip()}, instance=proposal)
    )
    proposal.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.PROFILE_CHANGE_PROPOSED,
        patient=patient,
        obj=proposal,
        summary=messages.text(
            gettext_noop("Change proposed for %(section)s"),
            section=messages.choice(proposal, "section"),
        ),
    )
    return proposal


#: The audit event of each answer the team gives to a family's proposal.
_PROPOSAL_DECIDED = {
    ProposalStatus.ACCEPTED: AuditEventType.PROFILE_PROPOSAL_ACCEPTED,
    ProposalStatus.DECLINED: AuditEventType.PROFILE_PROPOSAL_DECLINED,
}


def _decide(
    *, actor: User, proposal: ProfileProposal, status: str, response: str
) -> ProfileProposal:
    require_perm(actor, "personhood.review_proposals", proposal.patient)
    proposal = ProfileProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise Conflict(
            _("This proposal was already answered (%(status)s).")
            % {"status": proposal.get_status_display().lower()}
        )
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = clock.now()
    proposal.response = (response or "").strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "response"])
    audit.record(
        actor=actor,
        action=AuditAction.REVIEW,
        event_type=_PROPOSAL_DECIDED[ProposalStatus(status)],
        patient=proposal.patient,
        obj=proposal,
        summary=messages.text(
            gettext_noop("Proposal for %(section)s: %(status)s"),
            section=messages.choice(proposal, "section"),
            status=messages.choice(proposal, "status"),
        ),
        changes={"response": proposal.response},
    )
    return proposal


@transaction.atomic
def accept_proposal(
    *,
    actor: User,
    proposal: ProfileProposal,
    changes: Mapping[str, Any] | None = None,
    response: str = "",
) -> ProfileProposal:
    """Take the family's words into the record. The words stay as they were
    written; ``changes`` is how the team records them in the section (optional:
    the accepted words are shown with the section either way)."""
    accepted = _decide(
        actor=actor, proposal=proposal, status=ProposalStatus.ACCEPTED, response=response
    )
    if changes:
        if accepted.section not in SECTION_MODELS:
            raise ValidationFailed(
                _("This part of the profile is a list; add or change its items instead."),
                field_errors={"changes": [_("Not a section with fields.")]},
            )
        update_section(
            actor=actor, patient=accepted.patient, section=accepted.section, changes=changes
        )
    return accepted


@transaction.atomic
def decline_proposal(*, actor: User, proposal: ProfileProposal, response: str) -> ProfileProposal:
    """Say no kindly, and say why: the family reads the reply in the portal."""
    if not (response or "").strip():
        raise ValidationFailed(
            _("Tell the family why, in a sentence."),
            field_errors={"response": [_("Required when not accepting.")]},
        )
    return _decide(
        actor=actor, proposal=proposal, status=ProposalStatus.DECLINED, response=response
    )
