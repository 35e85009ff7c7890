"""People who sign in: staff of every discipline, family caregivers and patients."""

from __future__ import annotations

import hashlib
from typing import Any

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from hearth.core import clock, messages
from hearth.core.choices import SPOKEN_LANGUAGES
from hearth.core.fields import ChoiceListField
from hearth.core.models import ExternalIdModel


class UserKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    FAMILY = "family", _("Family caregiver")
    PATIENT = "patient", _("Patient")


class Discipline(models.TextChoices):
    PHYSICIAN = "physician", _("Physician")
    NURSE = "nurse", _("Nurse")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    CHAPLAIN = "chaplain", _("Chaplain")
    COORDINATOR = "coordinator", _("Care coordinator")
    VOLUNTEER = "volunteer", _("Volunteer")
    COMMISSION_MEMBER = "commission_member", _("Medical commission member")
    ADMINISTRATOR = "administrator", _("Administrator")


def discipline_label(value: str) -> str:
    """A discipline by its name in the reader's language, never its code; a
    code no longer in ``Discipline`` (an old row) shows as stored rather than
    breaking the page."""
    return str(lazy_discipline_label(value))


def lazy_discipline_label(value: str) -> Any:
    """The label still lazy: a message stored as a key and parameters reads it
    in each reader's language."""
    return Discipline(value).label if value in Discipline.values else value


def discipline_in_a_sentence(value: str) -> Any:
    """For a stored message: the lazy label in lower case, so each reader sees
    "physician"/"врач" inside a sentence, never the code."""
    if value in Discipline.values:
        return messages.lower_case(Discipline(value).label)
    return value


#: Disciplines that give direct clinical care and may write clinical notes.
CLINICAL_DISCIPLINES = frozenset(
    {
        Discipline.PHYSICIAN,
        Discipline.NURSE,
        Discipline.PSYCHOLOGIST,
        Discipline.SOCIAL_WORKER,
        Discipline.CHAPLAIN,
    }
)
#: Disciplines that count as physicians on the medical commission (docs/clinical-reference.md:
#: "at least two physicians"). A medical commission member is a physician who
#: sits on the commission without being on the home-care team.
PHYSICIAN_DISCIPLINES = frozenset({Discipline.PHYSICIAN, Discipline.COMMISSION_MEMBER})


class HearthUserManager(UserManager["User"]):
    def create_superuser(  # type: ignore[override]
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        """IT superusers are staff administrators; they still get no clinical
        permission (see ``User.has_perm``)."""
        extra.setdefault("kind", UserKind.STAFF)
        extra.setdefault("discipline", Discipline.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra)


class User(ExternalIdModel, AbstractUser):
    """One model for every person who signs in; ``kind`` says which door they use.

    Staff have a discipline. Family caregivers and patients reach exactly one
    patient through ``patients.CaregiverLink`` / ``Patient.portal_user``.
    """

    kind = models.CharField(max_length=16, choices=UserKind.choices, default=UserKind.STAFF)
    discipline = models.CharField(max_length=32, choices=Discipline.choices, blank=True)
    sits_on_medical_commission = models.BooleanField(
        default=False,
        help_text=_("Physicians who also sit on the medical commission."),
    )
    is_clinical_lead = models.BooleanField(
        default=False,
        help_text=_("Reviews emergency access and receives the last step of escalations."),
    )
    phone = models.CharField(max_length=40, blank=True)
    preferred_language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default="en", blank=True
    )
    spoken_languages = ChoiceListField(
        _("languages spoken"),
        item_choices=SPOKEN_LANGUAGES,
        help_text=_("Staff: languages they can care in without an interpreter."),
    )

    objects = HearthUserManager()  # type: ignore[misc]

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="staff_have_a_discipline",
                condition=~models.Q(kind="staff", discipline=""),
            ),
            models.CheckConstraint(
                name="only_staff_have_a_discipline",
                condition=models.Q(kind="staff") | models.Q(discipline=""),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Permissions defined by ``rules`` predicates are decided by the predicates
        alone. Django would otherwise grant an IT superuser everything, including
        signing a commission decision or opening any record without an audited reason.
        """
        if rules.perm_exists(perm):
            return bool(self.is_active and rules.has_perm(perm, self, obj))
        return super().has_perm(perm, obj)

    @property
    def display_name(self) -> str:
        full = self.get_full_name().strip()
        return full or self.username

    @property
    def is_hearth_staff(self) -> bool:
        return self.kind == UserKind.STAFF and self.is_active

    @property
    def is_commission_member(self) -> bool:
        return self.is_hearth_staff and (
            self.discipline == Discipline.COMMISSION_MEMBER or self.sits_on_medical_commission
        )

    @property
    def counts_as_physician(self) -> bool:
        return self.discipline in PHYSICIAN_DISCIPLINES


class SecurityPolicy(models.Model):
    """Service-wide login rules an administrator changes without a deploy.

    A single row (pk=1). Its first value comes from settings, so production
    starts with staff MFA required.
    """

    require_staff_mfa = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return "Security policy"

    @classmethod
    def current(cls) -> SecurityPolicy:
        policy, _created = cls.objects.get_or_create(
            pk=1, defaults={"require_staff_mfa": settings.HEARTH_REQUIRE_STAFF_MFA_DEFAULT}
        )
        return policy


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=clock.now())


class ApiToken(ExternalIdModel):
    """A personal bearer token for the JSON API. Only its SHA-256 is stored;
    the secret is shown once when issued."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode("utf-8")).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > clock.now()
