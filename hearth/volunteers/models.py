"""Volunteers: profiles, training, availability and assignments to families."""

from __future__ import annotations
