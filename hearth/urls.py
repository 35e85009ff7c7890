from django.contrib import admin
from django.urls import include, path

from hearth.api import api
from hearth.core.outage import health

# A database outage anywhere (middleware or view) answers 503, not 500.
handler500 = "hearth.core.outage.server_error"

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("account/", include("hearth.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health", health, name="health"),
    path("", include("hearth.patients.urls")),
    path("", include("hearth.personhood.urls")),
    path("", include("hearth.allergies.urls")),
    path("", include("hearth.careplans.urls")),
    path("", include("hearth.monitoring.urls")),
    path("", include("hearth.medications.urls")),
    path("", include("hearth.visits.urls")),
    path("", include("hearth.planning.urls")),
    path("", include("hearth.equipment.urls")),
    path("", include("hearth.directory.urls")),
    path("", include("hearth.volunteers.urls")),
    path("", include("hearth.caregiving.urls")),
    path("", include("hearth.bereavement.urls")),
    path("", include("hearth.team.urls")),
    path("", include("hearth.notifications.urls")),
]
