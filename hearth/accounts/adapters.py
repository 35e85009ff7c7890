from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class HearthAccountAdapter(DefaultAccountAdapter):
    """Nobody signs themselves up: coordinators and administrators create accounts,
    because every account is tied to a discipline or to one patient."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
