"""How caregiving hears about lower apps: a caregiver-strain score recorded."""

from __future__ import annotations

from typing import Any

from hearth.assessments.models import AssessmentResponse
from hearth.caregiving import services


def strain_recorded(sender: Any, response: AssessmentResponse, actor: Any, **kwargs: Any) -> None:
    """Inside the recording transaction: a high caregiver-strain total opens
    (or adds to) the team's support task for that carer."""
    definition = response.definition
    if definition is not None and definition.about_caregiver:
        services.open_strain_task(response=response, actor=actor)


def end_support_at_care_end(sender: Any, actor: Any, episode: Any, **kwargs: Any) -> None:
    """A death or a discharge ends the support for home care, in a savepoint
    so a failure here never undoes the death or the discharge."""
    from django.utils.translation import gettext as _

    from hearth.patients.signals import closing, summary_from

    summary = summary_from(kwargs)
    with closing(
        what=_("Carer support and respite"), actor=actor, episode=episode, summary=summary
    ):
        services.end_support_at_care_end(actor=actor, episode=episode, summary=summary)
