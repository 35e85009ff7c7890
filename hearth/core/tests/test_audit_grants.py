"""The grants documented in docs/deployment.md ("Audit trail"): the application's
PostgreSQL role appends to the trail and reads it, and cannot rewrite it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from hearth.core import audit, audit_chain
from hearth.core.audit_events import AuditEventType
from hearth.core.management.commands.audit_grants import grants_sql
from hearth.core.models import AuditAction, AuditEvent

ROLE = "hearth_audit_grants_probe"


def test_the_grants_refuse_a_role_name_that_is_not_plain() -> None:
    with pytest.raises(ValueError):
        grants_sql("app; DROP TABLE core_auditevent")


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="Roles and grants are PostgreSQL's")
def test_the_application_role_appends_and_reads_but_cannot_rewrite() -> None:
    audit.record(actor=None, action=AuditAction.CREATE, event_type=AuditEventType.PATIENT_CREATED)
    with connection.cursor() as cursor:
        # Roles and grants are transactional: the test's rollback removes them.
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
        for statement in grants_sql(ROLE).splitlines():
            if not statement.startswith("--"):
                cursor.execute(statement)
        cursor.execute(f"SET ROLE {ROLE}")
        try:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (ROLE,)
            # The application's own path: chain lock, head read, insert.
            event = audit.record(
                actor=None,
                action=AuditAction.VIEW,
                event_type=AuditEventType.PATIENT_VIEWED,
                summary="written as the application's role",
            )
            assert AuditEvent.objects.filter(pk=event.pk).exists()
            for statement in (
                "UPDATE core_auditevent SET summary = 'rewritten'",
                "DELETE FROM core_auditevent",
                "TRUNCATE core_auditevent",
            ):
                with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
                    cursor.execute(statement)
        finally:
            cursor.execute("RESET ROLE")
    assert audit_chain.verify().intact
    assert not AuditEvent.objects.filter(summary="rewritten").exists()
