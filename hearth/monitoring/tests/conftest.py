"""Fixtures for the tests that run the real worker as a subprocess."""

from hearth.core.tests.workers import start_worker  # noqa: F401 - a fixture, used by name
