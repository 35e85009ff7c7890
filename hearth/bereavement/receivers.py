"""A death starts the family's bereavement plan; a discharge starts nothing."""

from __future__ import annotations

from typing import Any

from hearth.patients.choices import EpisodeState
from hearth.patients.models import Episode


def plan_at_death(sender: Any, actor: Any, episode: Episode, **kwargs: Any) -> None:
    """Runs inside the transaction that records the death, so a failure here
    undoes the death too (and the death never stands without its plan)."""
    if episode.state != EpisodeState.DECEASED:
        return
    from hearth.bereavement import services

    services.create_plan_for(episode=episode, actor=actor)
