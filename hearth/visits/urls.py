from __future__ import annotations

from hearth.visits import planner_views, views

urlpatterns = [*views.urlpatterns, *planner_views.urlpatterns]
