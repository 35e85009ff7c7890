"""Urgent visit requests. The visit planner (routing) will place them on a
route; until then they wait on the coordinator's list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hearth.core import clock
from hearth.core.models import ExternalIdModel
from hearth.monitoring.models import Alert
from hearth.patients.models import Patient
from hearth.visits.choices import UrgentRequestStatus


class UrgentVisitRequest(ExternalIdModel):
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="urgent_visit_requests"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.PROTECT, null=True, blank=True, related_name="visit_requests"
    )
    discipline = models.CharField(_("who should go"), max_length=20, default="physician")
    for_date = models.DateField(_("visit on"))
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(default=clock.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=UrgentRequestStatus.choices, default=UrgentRequestStatus.WAITING
    )

    class Meta:
        ordering = ["for_date", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert"],
                condition=models.Q(status__in=["waiting", "scheduled"]),
                name="one_pending_visit_request_per_alert",
            )
        ]

    @property
    def discipline_label(self) -> str:
        from hearth.accounts.models import Discipline

        return str(Discipline(self.discipline).label)

    def __str__(self) -> str:
        return f"Urgent {self.discipline} visit for {self.patient_id} on {self.for_date}"
