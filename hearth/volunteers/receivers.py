"""How volunteers hear of the patient's journey: home care ended."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hearth.patients.signals import closing, summary_from


def end_assignments_at_care_end(sender: Any, actor: Any, episode: Any, **kwargs: Any) -> None:
    """A death or a discharge ends the volunteers' assignments, in a savepoint
    so a failure here never undoes the death or the discharge."""
    from hearth.volunteers import services

    summary = summary_from(kwargs)
    with closing(what=_("Volunteer assignments"), actor=actor, episode=episode, summary=summary):
        services.end_assignments_at_care_end(actor=actor, episode=episode, summary=summary)
