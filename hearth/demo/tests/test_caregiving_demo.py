"""The demo tells the family training and support story through the real
services, once: running the seed again adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hearth.accounts.models import User, UserKind
from hearth.caregiving import queries
from hearth.caregiving.choices import TrainingStatus
from hearth.caregiving.models import RespiteRequest, SupportContact, SupportTask, TrainingRecord
from hearth.demo.seed import seed_caregiving
from hearth.medications.models import MedicineSignOff
from hearth.patients.models import Patient

#: The demo is loaded once for this module (``conftest.seeded_demo``); each test
#: runs in a savepoint on top of it.
pytestmark = pytest.mark.usefixtures("seeded_demo")


def _counts() -> dict[str, int]:
    return {
        "training": TrainingRecord.objects.count(),
        "tasks": SupportTask.objects.count(),
        "contacts": SupportContact.objects.count(),
        "respite": RespiteRequest.objects.count(),
        "medicine_sign_offs": MedicineSignOff.objects.count(),
    }


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    staff = {user.username: user for user in User.objects.filter(kind=UserKind.STAFF)}
    seed_caregiving(staff)


def test_it_tells_the_caregiving_story_once() -> None:
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first
    assert all(first.values()), first

    amina = Patient.objects.get(record_number="HH-1001")
    (leila,) = queries.training_for(amina)
    states = {state.skill.code: state for state in leila.skills}
    assert states["moving_turning"].status == TrainingStatus.NEEDS_REFRESHING
    assert states["pressure_care"].status == TrainingStatus.SIGNED_OFF
    assert states["mouth_care"].status == TrainingStatus.PRACTISED
    subcutaneous = states["medicines_subcutaneous"]
    assert subcutaneous.status == TrainingStatus.SIGNED_OFF and subcutaneous.sign_off is not None
    # The medicines demo's sign-offs are reused, not made twice.
    assert (
        MedicineSignOff.objects.filter(
            patient=amina, caregiver__username="family.hassan", route="subcutaneous"
        ).count()
        == 1
    )

    task = SupportTask.objects.get()
    assert task.caregiver.user.username == "family.smirnova" and task.is_open
    assert task.responses.get().instrument == "zarit12"
    assert task.assigned_to is not None and task.assigned_to.username == "psych.mensah"

    booked = RespiteRequest.objects.get(status="booked")
    assert booked.volunteer is not None and booked.volunteer.username == "vol.hughes"
    assert RespiteRequest.objects.filter(status="requested").count() == 1
    kinds = set(SupportContact.objects.values_list("kind", flat=True))
    assert {"counselling", "family_counselling", "benefits"} <= kinds
