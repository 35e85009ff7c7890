"""What visits tells higher apps (planning), so it imports none of them.

``urgent_visit_requested`` is sent inside the transaction that wrote a new
urgent visit request: planning fits it into a day already published, and
whatever planning writes for it rolls back with the request.
"""

from django.dispatch import Signal

#: kwargs: request (UrgentVisitRequest)
urgent_visit_requested = Signal()
