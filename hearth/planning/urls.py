from __future__ import annotations

from hearth.planning import views

urlpatterns = [*views.urlpatterns]
