"""Cancelling a visit is asked first, restating whom, when and that the
family is told (issue 20); the button sits apart from closing the visit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hearth.conftest import World
from hearth.visits.models import Visit

from .conftest import home_visit


def test_cancelling_a_visit_asks_first_then_cancels(active: World, client_for: Any) -> None:
    visit = home_visit(active, start="23:50")
    coordinator = client_for(active.coordinator)
    url = reverse("visit_cancel", args=[visit.external_id])
    asked = coordinator.post(url, {"reason": "The family asked to move it."})
    assert asked.status_code == 200
    question = asked.content.decode()
    assert f"to {active.patient.full_name} on" in question and "at 23:50?" in question
    assert "The family will be told." in question
    assert 'name="confirmed" value="yes"' in question
    assert Visit.objects.get(pk=visit.pk).status == "scheduled"
    done = coordinator.post(url, {"reason": "The family asked to move it.", "confirmed": "yes"})
    assert done.status_code == 302
    assert Visit.objects.get(pk=visit.pk).status == "cancelled"


def test_the_cancel_button_is_in_its_own_section_after_closing(
    active: World, client_for: Any
) -> None:
    visit = home_visit(active, start="23:50")
    page = client_for(active.nurse).get(reverse("visit_record", args=[visit.external_id]))
    text = page.content.decode()
    cancel = text.find(reverse("visit_cancel", args=[visit.external_id]))
    close = text.find(reverse("visit_close", args=[visit.external_id]))
    assert 0 < close < cancel
    assert "</form>" in text[close:cancel]  # not inside the closing form
    assert "<h2>Cancel the visit</h2>" in text[close:cancel] or "Cancel the visit</h2>" in text
