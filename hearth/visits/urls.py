from __future__ import annotations

from hearth.visits import views

urlpatterns = [*views.urlpatterns]
