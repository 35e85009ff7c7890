"""The JSON API: every app's router under /api/v1/, one error shape, one auth."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from hearth.accounts.api import router as accounts_router
from hearth.accounts.api_auth import API_AUTH
from hearth.accounts.models import UserKind
from hearth.allergies.api import router as allergies_router
from hearth.assessments.api import router as assessments_router
from hearth.bereavement.api import router as bereavement_router
from hearth.caregiving.api import router as caregiving_router
from hearth.careplans.api import router as careplans_router
from hearth.core.api import install_error_handlers
from hearth.core.errors import error_response
from hearth.directory.api import router as directory_router
from hearth.equipment.api import router as equipment_router
from hearth.medications.api import router as medications_router
from hearth.monitoring.api import router as monitoring_router
from hearth.notifications.api import router as notifications_router
from hearth.patients.api import router as patients_router
from hearth.personhood.api import router as personhood_router
from hearth.planning.api import router as planning_router
from hearth.team.api import router as team_router
from hearth.visits.api import router as visits_router
from hearth.volunteers.api import router as volunteers_router


def staff_only_docs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The documentation and the OpenAPI document list every endpoint and
    field: in production only signed-in staff read them (HEARTH_API_DOCS_PUBLIC
    opens them, as it is by default in development and tests)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.HEARTH_API_DOCS_PUBLIC:
            return view(request, *args, **kwargs)
        user = request.user
        if not user.is_authenticated:
            if request.path.endswith(".json"):
                return error_response(
                    _("Sign in, or send a valid API token."), "not_authenticated", status=401
                )
            return redirect_to_login(request.get_full_path())
        if getattr(user, "kind", None) != UserKind.STAFF:
            return error_response(_("Not found."), "not_found", status=404)
        return view(request, *args, **kwargs)

    return guarded


api = NinjaAPI(
    title="Hearth API",
    version="1",
    description="Home palliative care. Authenticate with a session cookie (and CSRF token) "
    "or `Authorization: Bearer <token>` (tokens from /api/v1/me/tokens).",
    auth=API_AUTH,
    urls_namespace="api",
    docs_decorator=staff_only_docs,
)
install_error_handlers(api, told_not_found=lambda user: user.kind != UserKind.STAFF)
api.add_router("", accounts_router)
api.add_router("", patients_router)
api.add_router("", personhood_router)
api.add_router("", allergies_router)
api.add_router("", careplans_router)
api.add_router("", assessments_router)
api.add_router("", monitoring_router)
api.add_router("", visits_router)
api.add_router("", planning_router)
api.add_router("", medications_router)
api.add_router("", equipment_router)
api.add_router("", directory_router)
api.add_router("", volunteers_router)
api.add_router("", caregiving_router)
api.add_router("", bereavement_router)
api.add_router("", team_router)
api.add_router("", notifications_router)
