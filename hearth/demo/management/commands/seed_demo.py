"""``manage.py seed_demo``: load the demo service (``hearth.demo``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hearth.demo.people import DEMO_PASSWORD
from hearth.demo.seed import seed_everything
from hearth.patients.models import Patient


class Command(BaseCommand):
    help = "Load the demo service: staff, commission, patients and families (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        staff, created = seed_everything()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(staff)} staff, {created} new patients "
                f"({Patient.objects.count()} in all). "
                f"Password for every demo login: {DEMO_PASSWORD}"
            )
        )
