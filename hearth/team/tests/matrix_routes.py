"""This app's rows of the permission matrix (hearth/patients/tests/test_permission_matrix.py)."""

from __future__ import annotations

from hearth.patients.tests.matrix import Route

API_ROUTES: list[Route] = []
PAGE_ROUTES: list[Route] = []
