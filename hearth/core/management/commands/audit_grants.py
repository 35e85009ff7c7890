"""Print the PostgreSQL grants that keep the application's role from rewriting the trail.

    manage.py audit_grants ROLE [--schema public]

The owner role runs migrations and owns every table (only an owner can disable
a trigger); the application's role gets the rows it needs everywhere, but on
``core_auditevent`` only SELECT and INSERT: no UPDATE, DELETE, TRUNCATE or
TRIGGER. Pipe the output into ``psql`` as the owner (docs/deployment.md,
"Audit trail").
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grants_sql(role: str, *, schema: str = "public") -> str:
    """The statements, in order: broad rights first, then the audit table narrowed."""
    for name in (role, schema):
        if not ROLE.match(name):
            raise ValueError(
                f"{name!r} is not a plain PostgreSQL name (lower-case letters, digits, _)."
            )
    return "\n".join(
        [
            f"GRANT USAGE ON SCHEMA {schema} TO {role};",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role};",
            "-- The audit trail: read and append only.",
            f"REVOKE ALL ON TABLE {schema}.core_auditevent FROM {role};",
            f"GRANT SELECT, INSERT ON TABLE {schema}.core_auditevent TO {role};",
        ]
    )


class Command(BaseCommand):
    help = "Print the SQL that gives ROLE append-only rights on the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="The application's PostgreSQL role.")
        parser.add_argument("--schema", default="public", help="Schema (default: public).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(grants_sql(options["role"], schema=options["schema"]))
        except ValueError as error:
            raise CommandError(str(error)) from error
