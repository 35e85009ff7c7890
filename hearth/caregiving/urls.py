from __future__ import annotations

from hearth.caregiving import views

urlpatterns = views.urlpatterns
