"""What visits tells higher apps (planning), so it imports none of them.

``urgent_visit_requested`` is sent inside the transaction that wrote a new
urgent visit request: planning fits it into a day already published, and
whatever planning writes for it rolls back with the request.
"""

from django.dispatch import Signal

#: kwargs: request (UrgentVisitRequest)
urgent_visit_requested = Signal()

#: Planning could not start an urgent visit before its ``respond_by`` in the
#: day's plan (no published plan, nobody fit, or too late): visits hands it to
#: the clinician on call. kwargs: request (UrgentVisitRequest), reason (a
#: ``core.messages.Message``, read in each reader's language, or text).
urgent_visit_not_placed_in_time = Signal()
