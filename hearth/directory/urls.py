"""Directory: where to get equipment, paperwork help and services."""

from __future__ import annotations

from hearth.directory import views

urlpatterns = [*views.urlpatterns]
