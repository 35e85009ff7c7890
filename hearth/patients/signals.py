"""Events other apps react to, so the patients app imports none of them."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside the transaction that ends active home care (discharge or death),
#: with ``actor`` and ``episode``. Receivers write in the same transaction, so
#: a failure undoes the discharge too.
home_care_ended = Signal()

#: Sent inside the transaction that starts a new phase of illness (the
#: assessments app records phases; PCOC), with ``phase`` (the new
#: ``PhaseOfIllness``: ``patient``, ``phase``, ``started_at``, ``pk``) and
#: ``actor``. Defined here, below both, so the care plan app (on the same layer
#: as assessments, which it may not import) can ask for a review of the plan.
phase_of_illness_started = Signal()
