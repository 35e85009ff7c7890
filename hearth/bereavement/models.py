"""Bereavement: follow-up of the family after a death, risk screening, returns."""

from __future__ import annotations
