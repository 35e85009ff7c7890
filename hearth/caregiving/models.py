"""Caregiving: family training and sign-off, caregiver burden, counselling and respite."""

from __future__ import annotations
