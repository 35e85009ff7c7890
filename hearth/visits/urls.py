from __future__ import annotations

from hearth.visits import dispatch_views, views

urlpatterns = [*views.urlpatterns, *dispatch_views.urlpatterns]
