"""Every change to the directory and to a patient's next steps.

Keyword-only, the acting user first, one transaction, the permission check
first, every rule broken named by its field, then the write and an audit
event. Directory entries are not health data (the audit event has no
patient); next steps are, and their events belong to the patient.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hearth.accounts.models import User, UserKind
from hearth.core import audit, clock, messages
from hearth.core.audit_events import AuditEventType
from hearth.core.choices import SPOKEN_LANGUAGES
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed
from hearth.core.locking import lock
from hearth.core.models import AuditAction
from hearth.core.validation import Errors, require_perm
from hearth.directory.choices import (
    ALL_REGIONS,
    TOPIC_CATEGORY,
    Category,
    Faith,
    NextStepStatus,
    Topic,
)
from hearth.directory.models import DirectoryEntry, NextStep, Region
from hearth.patients.choices import OPEN_EPISODE_STATES
from hearth.patients.models import Patient

MAINTAIN = "directory.maintain_directory"

#: Field: most characters.
TEXT_LIMITS: dict[str, int] = {
    "name": 200,
    "organisation": 200,
    "description": 2000,
    "how_to": 3000,
    "address": 300,
    "phone": 40,
    "email": 254,
    "website": 300,
    "opening_hours": 300,
}
ENTRY_FIELDS = (
    "category",
    "topic",
    *TEXT_LIMITS,
    "regions",
    "languages",
    "faiths_served",
)
CONTACT_FIELDS = ("phone", "email", "website", "address")
NOTE_LIMIT = 500


def require_maintainer(actor: User) -> None:
    require_perm(
        actor,
        MAINTAIN,
        None,
        _("Only the coordinator, a social worker or the administrator keep the directory."),
    )


# --- Regions -------------------------------------------------------------------------


def _clean_region_name(name: Any, errors: Errors) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        errors.add("name", _("Give the area a name."))
    elif len(name) > 100:
        errors.add("name", _("At most 100 characters."))
    return name


@transaction.atomic
def create_region(*, actor: User, name: str, code: str = "") -> Region:
    """Add a service area. The code is what the API and search use (``camden``);
    it is made from the name when not given."""
    require_maintainer(actor)
    errors = Errors()
    name = _clean_region_name(name, errors)
    code = slugify(code or name)[:40]
    if not code and name:
        errors.add("code", _("Give a short code made of letters, digits and dashes."))
    if code == ALL_REGIONS:
        errors.add("code", _("“all” is kept for entries that serve every area."))
    if code and Region.objects.filter(code=code).exists():
        errors.add("code", _("Another area already has this code."))
    if name and Region.objects.filter(name__iexact=name).exists():
        errors.add("name", _("Another area already has this name."))
    errors.raise_if_any()
    region = Region.objects.create(code=code, name=name)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.DIRECTORY_REGION_CREATED,
        obj=region,
        summary=messages.text(gettext_noop("Directory area added: %(name)s"), name=name),
        changes={"code": code, "name": name},
    )
    return region


@transaction.atomic
def update_region(*, actor: User, region: Region, changes: Mapping[str, Any]) -> Region:
    """Rename an area or take it out of use (entries keep it; it is no longer
    offered for new entries or searches)."""
    require_maintainer(actor)
    region = Region.objects.select_for_update().get(pk=region.pk)
    errors = Errors()
    for key in changes:
        if key not in ("name", "active"):
            errors.add(key, _("Unknown field."))
    after: dict[str, Any] = {}
    if "name" in changes:
        name = _clean_region_name(changes["name"], errors)
        if name and Region.objects.filter(name__iexact=name).exclude(pk=region.pk).exists():
            errors.add("name", _("Another area already has this name."))
        after["name"] = name
    if "active" in changes:
        if not isinstance(changes["active"], bool):
            errors.add("active", _("Say yes or no."))
        after["active"] = changes["active"]
    errors.raise_if_any()
    before = {field: getattr(region, field) for field in after}
    difference = audit.diff(before, after)
    if not difference:
        return region
    for field, value in after.items():
        setattr(region, field, value)
    region.save(update_fields=list(after))
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.DIRECTORY_REGION_CHANGED,
        obj=region,
        summary=messages.text(gettext_noop("Directory area changed: %(name)s"), name=region.name),
        changes=difference,
    )
    return region


# --- Entries -------------------------------------------------------------------------


def _text(value: Any) -> str:
    return str(value or "").strip()


def _choice_list(
    value: Any, allowed: Iterable[str], field: str, errors: Errors, message: str
) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        errors.add(field, _("Choose from the list."))
        return []
    known = set(allowed)
    chosen: list[str] = []
    for item in value:
        if item not in known:
            errors.add(field, message % {"value": item})
        elif item not in chosen:
            chosen.append(item)
    return chosen


def _clean_regions(
    value: Any, errors: Errors, *, current: Iterable[str] = ()
) -> tuple[bool, list[Region]]:
    """``["all"]`` (every area) or a list of area codes in use. An area taken out
    of use may stay on an entry that already had it."""
    if value in (None, "") or (isinstance(value, list | tuple) and not value):
        errors.add("regions", _("Choose the areas it serves, or “all areas”."))
        return False, []
    if not isinstance(value, list | tuple):
        errors.add("regions", _("Choose from the list."))
        return False, []
    codes = list(dict.fromkeys(str(code) for code in value))
    if ALL_REGIONS in codes:
        if len(codes) > 1:
            errors.add("regions", _("Choose “all areas” or particular areas, not both."))
        return True, []
    found = {region.code: region for region in Region.objects.filter(code__in=codes)}
    keep = set(current)
    regions = []
    for code in codes:
        region = found.get(code)
        if region is None or (not region.active and code not in keep):
            errors.add("regions", _("No area in use with the code “%(code)s”.") % {"code": code})
        else:
            regions.append(region)
    return False, regions


def _clean_entry(
    data: Mapping[str, Any], errors: Errors, *, current: DirectoryEntry | None = None
) -> dict[str, Any]:
    """Validate a whole entry (the fields given over the current values)."""
    values: dict[str, Any] = {}
    for field, limit in TEXT_LIMITS.items():
        text = _text(data.get(field))
        if field == "name":
            text = " ".join(text.split())
        if len(text) > limit:
            errors.add(field, _("At most %(count)s characters.") % {"count": limit})
        values[field] = text
    if not values["name"]:
        errors.add("name", _("Give the name people will look for."))
    if not values["description"]:
        errors.add("description", _("Say in a sentence or two what it is and who it helps."))
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.add("email", _("Enter an email address like name@example.org."))
    if values["website"]:
        try:
            URLValidator(schemes=["https", "http"])(values["website"])
        except ValidationError:
            errors.add("website", _("Enter a web address starting with https://."))
    if not any(values[field] for field in CONTACT_FIELDS):
        errors.add(
            "phone", _("Give at least one way to get in touch: phone, email, website or address.")
        )
    category = data.get("category")
    topic = data.get("topic")
    if category not in Category.values:
        errors.add("category", _("Choose a category."))
    if topic not in Topic.values:
        errors.add("topic", _("Choose a topic."))
    elif category in Category.values and TOPIC_CATEGORY[topic] != category:
        errors.add(
            "topic",
            _("“%(topic)s” belongs under “%(category)s”.")
            % {"topic": Topic(topic).label, "category": Category(TOPIC_CATEGORY[topic]).label},
        )
    values["category"], values["topic"] = category, topic
    current_codes = list(current.regions.values_list("code", flat=True)) if current else []
    values["serves_all_regions"], values["regions"] = _clean_regions(
        data.get("regions"), errors, current=current_codes
    )
    values["languages"] = _choice_list(
        data.get("languages"),
        [code for code, _name in SPOKEN_LANGUAGES],
        "languages",
        errors,
        _("Not a known language: %(value)s."),
    )
    values["faiths_served"] = _choice_list(
        data.get("faiths_served"),
        Faith.values,
        "faiths_served",
        errors,
        _("Not a known faith: %(value)s."),
    )
    duplicate = DirectoryEntry.objects.active().filter(
        name__iexact=values["name"], organisation__iexact=values["organisation"]
    )
    if current is not None:
        duplicate = duplicate.exclude(pk=current.pk)
    if values["name"] and duplicate.exists():
        errors.add("name", _("The directory already lists this, under the same name."))
    return values


def entry_values(entry: DirectoryEntry) -> dict[str, Any]:
    values: dict[str, Any] = {
        field: getattr(entry, field) for field in ("category", "topic", *TEXT_LIMITS)
    }
    values["languages"] = list(entry.languages or [])
    values["faiths_served"] = list(entry.faiths_served or [])
    values["regions"] = (
        [ALL_REGIONS]
        if entry.serves_all_regions
        else sorted(entry.regions.values_list("code", flat=True))
    )
    return values


def _audit_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """What the audit trail keeps: region codes rather than rows."""
    result = dict(values)
    if "regions" in result and "serves_all_regions" in result:
        result["regions"] = (
            [ALL_REGIONS]
            if result.pop("serves_all_regions")
            else sorted(region.code for region in result["regions"])
        )
    return result


@transaction.atomic
def create_entry(*, actor: User, **data: Any) -> DirectoryEntry:
    """List a place, a form or a service. Whoever adds it has checked it today."""
    require_maintainer(actor)
    errors = Errors()
    for key in data:
        if key not in ENTRY_FIELDS:
            errors.add(key, _("Unknown field."))
    values = _clean_entry(data, errors)
    errors.raise_if_any()
    regions = values.pop("regions")
    now = clock.now()
    entry = DirectoryEntry.objects.create(
        **values,
        created_by=actor,
        created_at=now,
        updated_at=now,
        last_reviewed_on=clock.today(),
        reviewed_by=actor,
    )
    entry.regions.set(regions)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.DIRECTORY_ENTRY_CREATED,
        obj=entry,
        summary=messages.text(gettext_noop("Directory entry added: %(name)s"), name=entry.name),
        changes=_audit_values({**values, "regions": regions}),
    )
    return entry


@transaction.atomic
def update_entry(
    *, actor: User, entry: DirectoryEntry, changes: Mapping[str, Any], reviewed: bool = False
) -> DirectoryEntry:
    """Change some fields. ``reviewed`` says the maintainer checked that the
    details are current (phone answered, hours right), which resets the
    review date; a change alone does not."""
    require_maintainer(actor)
    entry = lock(DirectoryEntry, entry.pk)
    errors = Errors()
    for key in changes:
        if key not in ENTRY_FIELDS:
            errors.add(key, _("Unknown field."))
    before = entry_values(entry)
    values = _clean_entry({**before, **changes}, errors, current=entry)
    errors.raise_if_any()
    regions = values.pop("regions")
    after = {
        **values,
        "regions": [ALL_REGIONS]
        if values["serves_all_regions"]
        else sorted(r.code for r in regions),
    }
    after.pop("serves_all_regions")
    difference = audit.diff(before, after)
    if not difference and not reviewed:
        return entry
    fields: list[str] = []
    for field, value in values.items():
        if getattr(entry, field) != value:
            setattr(entry, field, value)
            fields.append(field)
    if reviewed:
        entry.last_reviewed_on = clock.today()
        entry.reviewed_by = actor
        fields += ["last_reviewed_on", "reviewed_by"]
    entry.updated_at = clock.now()
    entry.save(update_fields=[*fields, "updated_at"])
    if "regions" in difference:
        entry.regions.set(regions)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        event_type=AuditEventType.DIRECTORY_ENTRY_CHANGED,
        obj=entry,
        summary=(
            _("Directory entry changed and checked: %(name)s")
            if reviewed
            else _("Directory entry changed: %(name)s")
        )
        % {"name": entry.name},
        changes={**difference, **({"reviewed": True} if reviewed else {})},
    )
    return entry


@transaction.atomic
def confirm_entry_current(*, actor: User, entry: DirectoryEntry) -> DirectoryEntry:
    """The maintainer checked the entry and nothing changed."""
    require_maintainer(actor)
    entry = lock(DirectoryEntry, entry.pk)
    if not entry.active:
        raise InvalidTransition(_("This entry is retired; reinstate it first."))
    entry.last_reviewed_on = clock.today()
    entry.reviewed_by = actor
    entry.save(update_fields=["last_reviewed_on", "reviewed_by"])
    audit.record(
        actor=actor,
        action=AuditAction.REVIEW,
        event_type=AuditEventType.DIRECTORY_ENTRY_CHECKED,
        obj=entry,
        summary=messages.text(
            gettext_noop("Directory entry checked and still current: %(name)s"), name=entry.name
        ),
    )
    return entry


@transaction.atomic
def retire_entry(*, actor: User, entry: DirectoryEntry, reason: str = "") -> DirectoryEntry:
    """Take an entry out of the directory (closed, moved, wrong). It is kept so
    the next steps that point to it still read; nobody can attach it again."""
    require_maintainer(actor)
    entry = lock(DirectoryEntry, entry.pk)
    reason = _text(reason)
    if not entry.active:
        raise InvalidTransition(_("This entry is already retired."))
    if len(reason) > 300:
        errors = Errors()
        errors.add("reason", _("At most %(count)s characters.") % {"count": 300})
        errors.raise_if_any()
    entry.active = False
    entry.retired_at = clock.now()
    entry.retired_by = actor
    entry.retired_reason = reason
    entry.save(update_fields=["active", "retired_at", "retired_by", "retired_reason"])
    open_steps = NextStep.objects.filter(entry=entry).open().count()
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.DIRECTORY_ENTRY_RETIRED,
        obj=entry,
        summary=messages.text(gettext_noop("Directory entry retired: %(name)s"), name=entry.name),
        changes={"reason": reason, "open_next_steps": open_steps},
    )
    return entry


@transaction.atomic
def reinstate_entry(*, actor: User, entry: DirectoryEntry) -> DirectoryEntry:
    """List a retired entry again (it was retired by mistake, or reopened)."""
    require_maintainer(actor)
    entry = lock(DirectoryEntry, entry.pk)
    if entry.active:
        raise InvalidTransition(_("This entry is already listed."))
    errors = Errors()
    clash = DirectoryEntry.objects.active().filter(
        name__iexact=entry.name, organisation__iexact=entry.organisation
    )
    if clash.exists():
        errors.add("name", _("The directory already lists this, under the same name."))
    errors.raise_if_any()
    entry.active = True
    entry.retired_at = None
    entry.retired_by = None
    entry.retired_reason = ""
    entry.save(update_fields=["active", "retired_at", "retired_by", "retired_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        event_type=AuditEventType.DIRECTORY_ENTRY_REINSTATED,
        obj=entry,
        summary=messages.text(
            gettext_noop("Directory entry listed again: %(name)s"), name=entry.name
        ),
    )
    return entry


# --- Next steps ---------------------------------------------------------------------------


def _clean_note(note: Any, errors: Errors) -> str:
    note = _text(note)
    if len(note) > NOTE_LIMIT:
        errors.add("note", _("At most %(count)s characters.") % {"count": NOTE_LIMIT})
    return note


def _require_known_to_service(patient: Patient) -> None:
    episode = patient.current_episode
    if episode is None or episode.state not in OPEN_EPISODE_STATES:
        raise InvalidTransition(
            _("This person's care with us is closed: next steps can no longer be added.")
        )


@transaction.atomic
def add_next_step(
    *, actor: User, patient: Patient, entry: DirectoryEntry, note: str = ""
) -> NextStep:
    """Suggest a directory entry to the family, with a note in the team's words
    ("Call them on Monday to ask for the attendance allowance form")."""
    require_perm(
        actor,
        "directory.add_next_step",
        patient,
        _("Only the person's care team may suggest next steps to the family."),
    )
    _require_known_to_service(patient)
    errors = Errors()
    note = _clean_note(note, errors)
    entry = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.active:
        errors.add("entry", _("This entry is retired: choose one that is still listed."))
    errors.raise_if_any()
    if NextStep.objects.for_patient(patient).open().filter(entry=entry).exists():
        raise Conflict(_("This is already on the family's list of next steps."))
    try:
        with transaction.atomic():
            step = NextStep.objects.create(patient=patient, entry=entry, note=note, added_by=actor)
    except IntegrityError as error:
        raise Conflict(_("This is already on the family's list of next steps.")) from error
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        event_type=AuditEventType.NEXT_STEP_ADDED,
        patient=patient,
        obj=step,
        summary=messages.text(gettext_noop("Next step suggested: %(name)s"), name=entry.name),
        changes={"entry": entry.external_id, "note": note},
    )
    return step


#: What the family may do with a next step: tick it off, or undo the tick.
FAMILY_STATUSES = (NextStepStatus.TO_DO, NextStepStatus.DONE)


@transaction.atomic
def update_next_step(*, actor: User, step: NextStep, changes: Mapping[str, Any]) -> NextStep:
    """The team changes the note or the status; the family marks a step done
    (or not done after all). Nobody deletes one."""
    patient = step.patient
    is_team = actor.has_perm("directory.change_next_step", patient)
    require_perm(
        actor, "directory.mark_next_step_done", patient, _("Your role does not allow this.")
    )
    step = NextStep.objects.select_for_update(of=("self",)).select_related("entry").get(pk=step.pk)
    errors = Errors()
    for key in changes:
        if key not in ("note", "status"):
            errors.add(key, _("Unknown field."))
    after: dict[str, Any] = {}
    if "note" in changes:
        if not is_team:
            raise NotAllowed(_("Only the care team changes the note; tell them what to add."))
        after["note"] = _clean_note(changes["note"], errors)
    if "status" in changes:
        status = changes["status"]
        if status not in NextStepStatus.values:
            errors.add("status", _("Choose to do, done or no longer needed."))
        elif not is_team and status not in FAMILY_STATUSES:
            raise NotAllowed(_("Ask the care team if this is no longer needed."))
        after["status"] = status
    errors.raise_if_any()
    if not is_team and step.status == NextStepStatus.NOT_NEEDED:
        raise NotAllowed(_("The care team closed this one; ask them if you still need it."))
    before = {field: getattr(step, field) for field in after}
    difference = audit.diff(before, after)
    if not difference:
        return step
    if (
        "status" in difference
        and after["status"] == NextStepStatus.TO_DO
        and NextStep.objects.for_patient(patient)
        .open()
        .filter(entry_id=step.entry_id)
        .exclude(pk=step.pk)
        .exists()
    ):
        raise Conflict(_("This is already on the family's list of next steps."))
    fields = list(difference)
    for field in fields:
        setattr(step, field, after[field])
    if "status" in difference:
        step.status_changed_at = clock.now()
        step.status_changed_by = actor
        fields += ["status_changed_at", "status_changed_by"]
    step.save(update_fields=fields)
    by_family = actor.kind != UserKind.STAFF
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if "status" not in difference else AuditAction.TRANSITION,
        event_type=AuditEventType.NEXT_STEP_STATUS_CHANGED
        if "status" in difference
        else AuditEventType.NEXT_STEP_CHANGED,
        patient=patient,
        obj=step,
        # Key + parameters (the status as its code), one sentence each way,
        # so the timeline reads in each reader's language.
        summary=messages.text(
            gettext_noop("Next step %(name)s: %(status)s (by the family)")
            if by_family
            else gettext_noop("Next step %(name)s: %(status)s"),
            name=step.entry.name,
            status=messages.choice(step, "status"),
        ),
        changes=difference,
    )
    return step
