"""Team support: continuing education, wellbeing check-ins, case-load, debriefs."""

from __future__ import annotations
