"""Two clinicians at the same moment (hazard M15): one records "no known drug
allergies" while the other records a drug allergy. The patient's row is
locked for both, so they never both stand: either the statement is refused,
or the allergy ends it.

PostgreSQL: two real connections with row locks. SQLite: writers queue
(``IMMEDIATE`` transactions), which needs a file database shared by the
threads, so it runs when ``HEARTH_TEST_SQLITE_NAME`` names a file.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from hearth.allergies import services
from hearth.allergies.models import AllergyIntolerance, NoKnownDrugAllergies
from hearth.conftest import at_once, build_world
from hearth.core.errors import Conflict

shared_database = pytest.mark.skipif(
    connection.vendor == "sqlite" and not connection.settings_dict["TEST"].get("NAME"),
    reason="needs PostgreSQL or a file SQLite test database shared by two threads",
)


@pytest.fixture
def catalogue() -> None:
    """The substance catalogue (a data migration), loaded again after a flush."""
    migration = importlib.import_module("hearth.allergies.migrations.0002_substance_catalogue")
    migration.load(apps, None)


@shared_database
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("catalogue")
def test_no_known_drug_allergies_and_a_drug_allergy_at_once_never_both_stand() -> None:
    world = build_world()
    world.bring_to("active")
    results = at_once(
        lambda: services.record_no_known_drug_allergies(
            actor=world.nurse, patient=world.patient, reported_by="the patient"
        ),
        lambda: services.record_allergy(
            actor=world.physician,
            patient=world.patient,
            substance="morphine",
            reaction="Wheeze",
            severity="severe",
            certainty="confirmed",
            reported_by="hospital letter",
        ),
    )
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Conflict)]
    assert AllergyIntolerance.objects.active().count() == 1
    assert not NoKnownDrugAllergies.objects.current().exists()
