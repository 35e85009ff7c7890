"""Events other apps react to, so the patients app imports none of them."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside the transaction that ends active home care (discharge or death),
#: with ``actor`` and ``episode``. Receivers write in the same transaction, so
#: a failure undoes the discharge too.
home_care_ended = Signal()
