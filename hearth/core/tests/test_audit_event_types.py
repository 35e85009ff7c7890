"""Every audit event type Hearth records is in the catalogue (``AuditEventType``).

An auditor finds events by their type; a type outside the catalogue (a typo, or a
new event nobody listed) would be invisible to that search, so it must fail here:
statically, by reading the code, and at run time, in ``audit.record``."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from hearth.conftest import World
from hearth.core import audit
from hearth.core.audit_events import AuditEventType, catalogued_event_type
from hearth.core.models import AuditAction, AuditEvent
from hearth.patients import access, services

HEARTH = Path(settings.BASE_DIR) / "hearth"
VALUES = {member.value for member in AuditEventType}
NAMES = set(AuditEventType.__members__)


def _modules() -> list[Path]:
    """Hearth's own code: not tests, not migrations (they never record events)."""
    return [
        path
        for path in sorted(HEARTH.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    ]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(HEARTH.parent)}:{getattr(node, 'lineno', '?')}"


def _event_type_problems(path: Path, value: ast.expr) -> list[str]:
    """What is wrong with the value of one ``event_type=`` argument: a literal or
    f-string instead of a member, or a member that does not exist. Names, calls and
    look-ups are left to ``audit.record``, which refuses an unknown type at run time."""
    if isinstance(value, ast.IfExp):
        return _event_type_problems(path, value.body) + _event_type_problems(path, value.orelse)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [f"{_where(path, value)}: plain string {value.value!r}, use an AuditEventType"]
    if isinstance(value, ast.JoinedStr):
        return [f"{_where(path, value)}: f-string {ast.unparse(value)}, map it to members"]
    return []


def _static_problems() -> list[str]:
    problems: list[str] = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "event_type":
                        problems += _event_type_problems(path, keyword.value)
                    elif (
                        keyword.arg == "read"
                        and isinstance(keyword.value, ast.Constant)
                        and isinstance(keyword.value.value, str)
                    ):
                        problems.append(
                            f"{_where(path, keyword)}: read={keyword.value.value!r}, "
                            "use an AuditEventType"
                        )
                for argument in node.args:
                    if isinstance(argument, ast.Constant) and argument.value in VALUES:
                        problems.append(
                            f"{_where(path, argument)}: plain string {argument.value!r} "
                            "passed as an event type, use an AuditEventType"
                        )
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "AuditEventType"
                and node.attr.isupper()
                and node.attr not in NAMES
            ):
                problems.append(f"{_where(path, node)}: AuditEventType.{node.attr} does not exist")
    return problems


def test_every_event_type_in_the_code_is_a_catalogue_member() -> None:
    assert _static_problems() == []


def test_the_code_does_record_through_the_catalogue() -> None:
    """Guards the static test itself: it must be reading the modules that record."""
    uses = sum(path.read_text(encoding="utf-8").count("AuditEventType.") for path in _modules())
    assert uses > 200


def test_every_value_and_label_is_unique() -> None:
    assert len(NAMES) == len(AuditEventType)  # a repeated value would be a silent alias
    assert len(VALUES) == len(AuditEventType)
    labels = [str(member.label) for member in AuditEventType]
    assert len(set(labels)) == len(labels)


def test_every_value_has_the_stored_shape_and_fits_the_column() -> None:
    max_length = AuditEvent._meta.get_field("event_type").max_length
    assert max_length is not None
    for member in AuditEventType:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", member.value), member.value
        assert len(member.value) <= max_length, member.value
        assert member.name == member.value.upper().replace(".", "_"), member.name


def test_an_unknown_event_type_is_refused_by_name(world: World) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match=r"'patient\.veiwed'"):
        audit.record(
            actor=world.nurse,
            action=AuditAction.VIEW,
            event_type="patient.veiwed",  # type: ignore[arg-type]
            patient=world.patient,
        )
    with pytest.raises(ValueError, match=r"'worklist\.list'"):
        audit.record_list_view(
            actor=world.nurse,
            event_type="worklist.list",  # type: ignore[arg-type]
            patients=[world.patient],
        )
    with pytest.raises(ValueError, match=r"'profile\.veiwed'"):
        access.access_patient(world.nurse, world.patient.external_id, event_type="profile.veiwed")
    assert AuditEvent.objects.count() == before


def test_a_catalogue_value_is_stored_as_the_plain_string(world: World) -> None:
    event = audit.record(
        actor=world.nurse,
        action=AuditAction.VIEW,
        event_type=AuditEventType.PATIENT_VIEWED,
        patient=world.patient,
    )
    stored = AuditEvent.objects.get(pk=event.pk).event_type
    assert stored == "patient.viewed"
    assert type(stored) is str
    assert catalogued_event_type("patient.viewed") is AuditEventType.PATIENT_VIEWED


def test_every_type_stored_by_a_short_day_of_work_is_in_the_catalogue(
    world: World, client_for: Any
) -> None:
    """A referral (the world), then the team reads and changes the record, the family
    opens the portal, the administrator reads the audit trail and an outsider uses
    emergency access: every stored type must be a member."""
    patient = world.patient
    services.update_patient(actor=world.nurse, patient=patient, changes={"city": "Leeds"})
    nurse = client_for(world.nurse)
    for path in (
        "/patients/",
        f"/patients/{patient.external_id}/",
        f"/api/v1/patients/{patient.external_id}",
        f"/api/v1/patients/{patient.external_id}/timeline",
        f"/api/v1/patients/{patient.external_id}/care-team",
    ):
        nurse.get(path)
    client_for(world.family).get("/portal/")
    client_for(world.administrator).get(f"/patients/{patient.external_id}/audit/")
    outsider = client_for(world.outsider_nurse)
    outsider.post(
        f"/api/v1/patients/{patient.external_id}/emergency-access",
        data={"reason": "Called at 3 a.m.; the team is unreachable."},
        content_type="application/json",
    )
    outsider.get(f"/api/v1/patients/{patient.external_id}")
    stored = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert len(stored) >= 6, stored
    assert stored - VALUES == set()


def test_the_audit_trail_page_names_a_read_by_its_label(world: World, client_for: Any) -> None:
    client_for(world.nurse).get(f"/api/v1/patients/{world.patient.external_id}")
    page = client_for(world.administrator).get(f"/patients/{world.patient.external_id}/audit/")
    assert page.status_code == 200
    assert str(AuditEventType.PATIENT_VIEWED.label) in page.content.decode()
    assert AuditEvent(event_type="retired.type").event_label == "retired.type"
