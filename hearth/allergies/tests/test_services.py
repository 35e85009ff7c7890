"""Recording, changing, refuting and correcting allergies; "no known drug
allergies" against "not asked"; the family's proposals (hazards M13, M15)."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.allergies import services
from hearth.allergies.models import AllergyIntolerance, NoKnownDrugAllergies
from hearth.allergies.queries import allergy_summary, history
from hearth.conftest import World
from hearth.core import clock
from hearth.core.audit_events import AuditEventType
from hearth.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from hearth.core.models import AuditEvent


def record(world: World, actor: Any = None, **overrides: Any) -> AllergyIntolerance:
    values: dict[str, Any] = {
        "substance": "penicillins",
        "reaction": "Rash all over",
        "severity": "moderate",
        "certainty": "confirmed",
        "reported_by": "the patient",
    }
    values.update(overrides)
    return services.record_allergy(actor=actor or world.nurse, patient=world.patient, **values)


def test_it_records_an_allergy_with_who_reported_and_who_recorded(active: World) -> None:
    allergy = record(active, reported_on=clock.today())
    assert allergy.is_active
    assert allergy.recorded_by == active.nurse
    assert allergy.reported_by == "the patient"
    assert allergy.reported_on == clock.today()
    event = AuditEvent.objects.get(event_type=AuditEventType.ALLERGY_RECORDED)
    assert event.patient_id == active.patient.pk
    assert event.changes["substance"]["to"] == "penicillins"
    assert history(allergy)[0].by == active.nurse.display_name


def test_an_unknown_substance_is_refused_on_the_substance_field(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        record(active, substance="unobtainium")
    assert "substance" in refused.value.field_errors
    assert not AllergyIntolerance.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ALLERGY_RECORDED).exists()


def test_other_needs_a_description(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        record(active, substance="other")
    assert "substance_text" in refused.value.field_errors
    allergy = record(active, substance="other", substance_text="Elastoplast fabric plasters")
    assert allergy.substance_label == "Elastoplast fabric plasters"


def test_every_field_error_is_named_at_once(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        record(
            active,
            severity="terrible",
            certainty="maybe",
            type="dislike",
            reported_by="",
            reported_on="2999-01-01",
        )
    assert set(refused.value.field_errors) >= {
        "severity",
        "certainty",
        "type",
        "reported_by",
        "reported_on",
    }
    assert not AllergyIntolerance.objects.exists()


@pytest.mark.parametrize(
    "role",
    ["psychologist", "social_worker", "coordinator", "family", "volunteer", "outsider_nurse"],
)
def test_only_the_teams_clinicians_record(active: World, role: str) -> None:
    with pytest.raises(NotAllowed):
        record(active, actor=getattr(active, role))
    assert not AllergyIntolerance.objects.exists()


def test_the_physician_records_too(active: World) -> None:
    assert record(active, actor=active.physician).recorded_by == active.physician


# --- "No known drug allergies" against "not asked" ------------------------------


def test_nobody_asked_is_not_the_same_as_none_known(active: World) -> None:
    assert allergy_summary(active.patient)["status"] == "not_asked"
    services.record_no_known_drug_allergies(
        actor=active.nurse, patient=active.patient, reported_by="the patient"
    )
    summary = allergy_summary(active.patient)
    assert summary["status"] == "none_known"
    assert summary["nkda_date"] == clock.now().date()
    assert summary["nkda_by"] == active.nurse.display_name
    assert summary["entries"] == []


def test_a_drug_allergy_ends_no_known_drug_allergies(active: World) -> None:
    statement = services.record_no_known_drug_allergies(
        actor=active.nurse, patient=active.patient, reported_by="the patient"
    )
    record(active, substance="morphine")
    statement.refresh_from_db()
    assert statement.ended_at is not None
    assert "Morphine" in statement.end_reason
    summary = allergy_summary(active.patient)
    assert summary["status"] == "listed"
    assert summary["nkda_date"] is None
    assert AuditEvent.objects.filter(event_type=AuditEventType.NKDA_ENDED).count() == 1


def test_a_latex_allergy_or_a_drug_intolerance_leaves_the_statement(active: World) -> None:
    services.record_no_known_drug_allergies(
        actor=active.nurse, patient=active.patient, reported_by="the patient"
    )
    record(active, substance="latex")
    record(active, substance="codeine", type="intolerance", severity="mild")
    summary = allergy_summary(active.patient)
    assert summary["status"] == "listed"
    assert summary["nkda_date"] == clock.now().date()
    assert len(summary["entries"]) == 2


def test_no_known_drug_allergies_is_refused_while_a_drug_allergy_is_active(
    active: World,
) -> None:
    record(active, substance="opioids", certainty="suspected")
    with pytest.raises(Conflict) as refused:
        services.record_no_known_drug_allergies(
            actor=active.nurse, patient=active.patient, reported_by="the patient"
        )
    assert refused.value.code == "active_drug_allergy"
    assert not NoKnownDrugAllergies.objects.exists()


def test_stating_it_again_starts_a_new_date(active: World) -> None:
    first = services.record_no_known_drug_allergies(
        actor=active.nurse, patient=active.patient, reported_by="the patient"
    )
    second = services.record_no_known_drug_allergies(
        actor=active.physician, patient=active.patient, reported_by="GP letter"
    )
    first.refresh_from_db()
    assert first.ended_at is not None
    assert NoKnownDrugAllergies.objects.current().get() == second


# --- Changes, refutation, entered in error ------------------------------------------


def test_a_change_is_a_version_with_its_reason(active: World) -> None:
    allergy = record(active)
    services.change_allergy(
        actor=active.physician,
        allergy=allergy,
        reason="The GP letter says anaphylaxis.",
        changes={"severity": "anaphylaxis"},
    )
    versions = history(allergy)
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].severity_label == "anaphylaxis"
    assert versions[0].change_reason == "The GP letter says anaphylaxis."
    assert versions[0].by == active.physician.display_name
    assert versions[1].severity_label == "moderate"
    event = AuditEvent.objects.get(event_type=AuditEventType.ALLERGY_CHANGED)
    assert event.changes["severity"] == {"from": "moderate", "to": "anaphylaxis"}


def test_a_change_needs_a_reason_and_a_real_change(active: World) -> None:
    allergy = record(active)
    with pytest.raises(ValidationFailed) as refused:
        services.change_allergy(
            actor=active.nurse, allergy=allergy, reason="", changes={"severity": "mild"}
        )
    assert "reason" in refused.value.field_errors
    with pytest.raises(ValidationFailed):
        services.change_allergy(
            actor=active.nurse, allergy=allergy, reason="x", changes={"severity": "moderate"}
        )
    with pytest.raises(ValidationFailed) as refused:
        services.change_allergy(
            actor=active.nurse, allergy=allergy, reason="x", changes={"substance": "latex"}
        )
    assert "substance" in refused.value.field_errors
    allergy.refresh_from_db()
    assert allergy.severity == "moderate"
    assert allergy.history.count() == 1  # type: ignore[attr-defined]


def test_a_refuted_allergy_no_longer_counts_and_stays_visible(active: World) -> None:
    allergy = record(active, substance="morphine")
    services.refute_allergy(
        actor=active.nurse, allergy=allergy, reason="Has taken morphine since without a rash."
    )
    allergy.refresh_from_db()
    assert allergy.certainty == "refuted"
    assert not allergy.is_active
    assert allergy_summary(active.patient)["status"] == "not_asked"
    assert AuditEvent.objects.filter(event_type=AuditEventType.ALLERGY_REFUTED).exists()
    with pytest.raises(InvalidTransition):
        services.refute_allergy(actor=active.nurse, allergy=allergy, reason="again")
    # With nothing active, the team may now say "no known drug allergies".
    services.record_no_known_drug_allergies(
        actor=active.nurse, patient=active.patient, reported_by="the patient"
    )


def test_entered_in_error_is_kept_with_its_reason_and_never_deleted(active: World) -> None:
    allergy = record(active)
    with pytest.raises(ValidationFailed):
        services.mark_entered_in_error(actor=active.nurse, allergy=allergy, reason=" ")
    services.mark_entered_in_error(
        actor=active.nurse, allergy=allergy, reason="Wrong patient: this was Mr Test's."
    )
    allergy.refresh_from_db()
    assert allergy.entered_in_error_reason == "Wrong patient: this was Mr Test's."
    assert not allergy.is_active
    assert AllergyIntolerance.objects.filter(pk=allergy.pk).exists()
    assert allergy_summary(active.patient)["entries"] == []
    with pytest.raises(InvalidTransition):
        services.change_allergy(
            actor=active.nurse, allergy=allergy, reason="x", changes={"severity": "mild"}
        )
    assert "entered_in_error" in history(allergy)[0].changed


def test_the_family_cannot_change_refute_or_correct(active: World) -> None:
    allergy = record(active)
    with pytest.raises(NotAllowed):
        services.change_allergy(
            actor=active.family, allergy=allergy, reason="x", changes={"severity": "mild"}
        )
    with pytest.raises(NotAllowed):
        services.refute_allergy(actor=active.family, allergy=allergy, reason="x")
    with pytest.raises(NotAllowed):
        services.mark_entered_in_error(actor=active.family, allergy=allergy, reason="x")


# --- The family's proposals ------------------------------------------------------


def propose(world: World, actor: Any = None, **overrides: Any) -> AllergyIntolerance:
    values: dict[str, Any] = {"substance": "morphine", "reaction": "She was sick all night."}
    values.update(overrides)
    return services.propose_allergy(actor=actor or world.family, patient=world.patient, **values)


def test_a_family_proposal_shows_as_not_yet_confirmed_and_does_not_count(active: World) -> None:
    services.record_no_known_drug_allergies(
        actor=active.nurse, patient=active.patient, reported_by="the patient"
    )
    proposal = propose(active)
    assert proposal.is_pending_proposal
    assert not proposal.is_active
    assert proposal.proposed_by == active.family
    summary = allergy_summary(active.patient)
    assert summary["status"] == "none_known"  # a proposal is not a record
    assert [entry["substance"] for entry in summary["proposed"]] == ["morphine"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.ALLERGY_PROPOSED).exists()


def test_a_clinician_accepts_a_proposal_into_the_record(active: World) -> None:
    statement = services.record_no_known_drug_allergies(
        actor=active.nurse, patient=active.patient, reported_by="the patient"
    )
    proposal = propose(active)
    with pytest.raises(ValidationFailed) as refused:
        services.accept_proposal(
            actor=active.nurse, allergy=proposal, severity="", certainty="suspected"
        )
    assert "severity" in refused.value.field_errors
    accepted = services.accept_proposal(
        actor=active.nurse, allergy=proposal, severity="moderate", certainty="suspected"
    )
    assert accepted.is_active
    assert accepted.recorded_by == active.nurse
    assert accepted.proposed_by == active.family
    statement.refresh_from_db()
    assert statement.ended_at is not None
    assert allergy_summary(active.patient)["status"] == "listed"
    with pytest.raises(InvalidTransition):
        services.decline_proposal(actor=active.nurse, allergy=accepted, reason="no")


def test_a_clinician_declines_with_a_reason(active: World) -> None:
    proposal = propose(active)
    with pytest.raises(ValidationFailed) as refused:
        services.decline_proposal(actor=active.nurse, allergy=proposal, reason="")
    assert "reason" in refused.value.field_errors
    declined = services.decline_proposal(
        actor=active.physician,
        allergy=proposal,
        reason="Being sick is a side effect we can treat, not an allergy.",
    )
    assert declined.status == "declined"
    assert not declined.is_active
    assert allergy_summary(active.patient)["proposed"] == []


def test_the_family_cannot_answer_their_own_proposal(active: World) -> None:
    proposal = propose(active)
    with pytest.raises(NotAllowed):
        services.accept_proposal(
            actor=active.family, allergy=proposal, severity="severe", certainty="confirmed"
        )
    proposal.refresh_from_db()
    assert proposal.is_pending_proposal


def test_another_family_or_staff_cannot_propose(active: World) -> None:
    for actor in (active.other_family, active.volunteer, active.outsider_nurse):
        with pytest.raises(NotAllowed):
            propose(active, actor=actor)
    assert not AllergyIntolerance.objects.exists()


def test_a_proposal_needs_what_happened_and_a_known_substance(active: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        propose(active, substance="grandmas-pills", reaction="")
    assert set(refused.value.field_errors) == {"substance", "reaction"}
    assert not AllergyIntolerance.objects.exists()
