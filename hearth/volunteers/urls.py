from __future__ import annotations

from hearth.volunteers import views

urlpatterns = views.urlpatterns
