"""What the assessments app tells higher apps, so it imports none of them.

``assessment_recorded`` is sent inside the recording transaction; the
monitoring app evaluates its alert rules there, so a score and the alert it
raises are written together or not at all.
"""

from django.dispatch import Signal

#: kwargs: response (AssessmentResponse), actor (User or None)
assessment_recorded = Signal()
#: kwargs: phase (PhaseOfIllness), actor
phase_started = Signal()
