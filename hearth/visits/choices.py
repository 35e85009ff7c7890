from django.db import models
from django.utils.translation import gettext_lazy as _


class UrgentRequestStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to be placed on a route")
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
