"""Team support pages (see views.urlpatterns)."""

from __future__ import annotations

from hearth.team import views

urlpatterns = [*views.urlpatterns]
