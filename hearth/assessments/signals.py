"""What the assessments app tells higher apps, so it imports none of them.

``assessment_recorded`` is sent inside the recording transaction; the
monitoring app evaluates its alert rules there, so a score and the alert it
raises are written together or not at all.
"""

from django.dispatch import Signal

from hearth.patients.signals import phase_of_illness_started

#: kwargs: response (AssessmentResponse), actor (User or None)
assessment_recorded = Signal()
#: kwargs: phase (PhaseOfIllness), actor. The same signal as
#: ``patients.signals.phase_of_illness_started``, so apps on this app's layer
#: (careplans) hear it too.
phase_started = phase_of_illness_started
