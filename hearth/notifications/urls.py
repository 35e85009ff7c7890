"""The person's own notification pages and the service worker (see views.urlpatterns)."""

from __future__ import annotations

from hearth.notifications import views

urlpatterns = [*views.urlpatterns]
