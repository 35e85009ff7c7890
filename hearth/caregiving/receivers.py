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
