"""Journey pages put the next step first, and the admission page says what is
being done, on which decision, and what happens next."""

from __future__ import annotations

from typing import Any

from hearth.conftest import World


def _record(world: World, client_for: Any, user: Any = None) -> str:
    client = client_for(user or world.coordinator)
    return client.get(f"/patients/{world.patient.external_id}/").content.decode()


def test_the_next_step_is_first_on_the_record(world: World, client_for: Any) -> None:
    page = _record(world, client_for)
    next_step = page.index('class="card next-step"')
    assert page.index("Record eligibility screening") > next_step
    # Before every panel and the rest of the record.
    assert next_step < page.index("Contact and language")
    assert next_step < page.index("<h2>Admission</h2>")
    assert page.index("Record eligibility screening") < page.index("Contact and language")

    world.bring_to("awaiting_commission")
    waiting = _record(world, client_for)
    assert "Waiting for the decision of the medical commission." in waiting
    as_member = _record(world, client_for, world.commission_member)
    first = as_member.index('class="card next-step"')
    assert as_member.index("Record commission decision", first) < as_member.index(
        "Contact and language"
    )

    world.decide("granted")
    granted = _record(world, client_for)
    step = granted.index('class="card next-step"')
    assert granted.index("Admit to home care", step) < granted.index("Contact and language")


def test_the_next_step_leaves_an_active_record_alone(world: World, client_for: Any) -> None:
    world.bring_to("active")
    assert 'class="card next-step"' not in _record(world, client_for)


def test_the_admission_page_says_whom_on_which_decision_and_what_next(
    world: World, client_for: Any
) -> None:
    world.bring_to("granted")
    episode = world.episode
    page = (
        client_for(world.physician).get(f"/episodes/{episode.external_id}/admit/").content.decode()
    )
    assert f"You are admitting {world.patient.full_name} to home care." in page
    assert "Medical commission of" in page
    assert world.commission_physician_1.display_name in page
    assert "What happens next" in page
    assert "The next review is set for" in page
    assert '<button type="submit">Admit to home care</button>' in page
