"""What monitoring tells higher apps (visits), so it imports none of them.

``alert_triaged`` is sent inside the triage transaction: an urgent physician
visit request is written together with the triage or not at all.
``alert_acknowledged`` is sent inside the acknowledging transaction (the
button, the API, a text reply, or a triage that acknowledges): the family who
pressed "We need help now" is told their call was seen, or nobody is.
"""

from django.dispatch import Signal

#: kwargs: alert (Alert), actor (User), outcome (str)
alert_triaged = Signal()

#: kwargs: alert (Alert), actor (User)
alert_acknowledged = Signal()
