"""What monitoring tells higher apps (visits), so it imports none of them.

``alert_triaged`` is sent inside the triage transaction: an urgent physician
visit request is written together with the triage or not at all.
"""

from django.dispatch import Signal

#: kwargs: alert (Alert), actor (User), outcome (str)
alert_triaged = Signal()
