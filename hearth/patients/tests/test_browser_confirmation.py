"""With JavaScript, a consequential button marked ``data-confirm`` asks in a
native dialog (Debian's Chromium, Playwright, a phone): "Go back" changes
nothing, "Yes" does it. Without JavaScript the server's confirmation page
asks instead (``test_care_team_confirmation.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.conftest import World
from hearth.core.tests.browser import needs_chromium
from hearth.medications.tests.conftest import seeded_formulary  # noqa: F401 - a fixture
from hearth.patients.models import CareTeamAssignment

pytestmark = needs_chromium


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded_formulary")  # a transactional test starts after a flush
def test_removing_a_team_member_asks_in_a_dialog(phone_of: Any, world: World) -> None:
    phone = phone_of(world.coordinator)
    errors: list[str] = []
    phone.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    assignment = CareTeamAssignment.objects.current().filter(patient=world.patient).first()
    assert assignment is not None
    phone.goto(f"{phone.base_url}/patients/{world.patient.external_id}/care-team/")
    button = phone.locator(f"form[action$='{assignment.external_id}/end/'] button")
    button.click()
    dialog = phone.locator("dialog.confirmation")
    assert dialog.is_visible()
    assert assignment.staff.display_name in dialog.inner_text()
    dialog.get_by_role("button", name="Go back").click()
    assert phone.locator("dialog.confirmation").count() == 0
    assignment.refresh_from_db()
    assert assignment.ended_at is None
    button.click()
    phone.locator("dialog.confirmation").get_by_role(
        "button", name="Yes, remove them from the team"
    ).click()
    phone.wait_for_load_state()
    phone.wait_for_selector("text=Removed from the care team.")
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]
