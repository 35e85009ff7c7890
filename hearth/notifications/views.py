"""The person's own notification pages: their messages with the delivery log,
and the settings page (contact points, quiet hours, the family's opt-ins).

Every signed-in person has them, staff and family alike. Each write is a POST
that calls a service and comes back to the settings page; a refusal is shown
on the form it came from. The service worker is served from the site root
(``/sw.js``) so it may receive pushes for every page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hearth.accounts.models import UserKind
from hearth.core.errors import DomainError, NotFound
from hearth.core.pagination import page_of, refuses_bad_pages
from hearth.core.web import AuthenticatedRequest, show_domain_error
from hearth.notifications import outbox, queries, services
from hearth.notifications.forms import CodeForm, ContactPointForm, PreferencesForm
from hearth.notifications.models import ContactPoint

MESSAGES_PER_PAGE = 20
SERVICE_WORKER = Path(settings.BASE_DIR) / "hearth" / "static" / "hearth" / "sw.js"


def _is_family(request: AuthenticatedRequest) -> bool:
    return request.user.kind != UserKind.STAFF


def _back() -> HttpResponse:
    return redirect("notification_settings")


def _own_contact_point(request: AuthenticatedRequest, contact_point_id: str) -> ContactPoint:
    try:
        return queries.contact_point_of(request.user, contact_point_id)
    except NotFound as error:
        raise Http404(error.message) from error


def _preferences_initial(request: AuthenticatedRequest) -> dict[str, Any]:
    row = queries.preferences_row(request.user)
    return {
        "quiet_hours_start": row.quiet_hours_start,
        "quiet_hours_end": row.quiet_hours_end,
        "visit_changes": row.visit_changes,
        "visit_reminders": row.visit_reminders,
        "help_request_seen": row.help_request_seen,
        "language": outbox.language_of(request.user),
    }


def _settings_page(
    request: AuthenticatedRequest,
    *,
    add_form: ContactPointForm | None = None,
    code_forms: dict[int, CodeForm] | None = None,
    preferences_form: PreferencesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    family = _is_family(request)
    contact_points = list(queries.contact_points_of(request.user))
    code_forms = code_forms or {}
    rows = [
        {
            "contact_point": contact_point,
            "first": index == 0,
            "last": index == len(contact_points) - 1,
            "code_form": code_forms.get(contact_point.pk) or CodeForm(prefix=str(contact_point.pk)),
        }
        for index, contact_point in enumerate(contact_points)
    ]
    language = outbox.language_of(request.user)
    push_ready = bool(settings.HEARTH_VAPID_PUBLIC_KEY and settings.HEARTH_VAPID_PRIVATE_KEY)
    return render(
        request,
        "notifications/settings.html",
        {
            "rows": rows,
            "add_form": add_form or ContactPointForm(),
            "preferences_form": preferences_form
            or PreferencesForm(initial=_preferences_initial(request), family=family),
            "family": family,
            "language_name": get_language_info(language)["name_translated"],
            "push_ready": push_ready,
            "vapid_public_key": settings.HEARTH_VAPID_PUBLIC_KEY,
            "push_api": reverse("api:add_contact_point"),
            "code_minutes": settings.HEARTH_VERIFICATION_CODE_MINUTES,
        },
        status=status,
    )


@login_required
@require_GET
def notification_settings(request: AuthenticatedRequest) -> HttpResponse:
    return _settings_page(request)


@login_required
@require_POST
def add_contact_point(request: AuthenticatedRequest) -> HttpResponse:
    form = ContactPointForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, add_form=form, status=422)
    try:
        contact_point = services.add_contact_point(actor=request.user, **form.cleaned_data)
    except DomainError as error:
        show_domain_error(form, error)
        return _settings_page(request, add_form=form, status=error.status)
    messages.success(
        request,
        _("A code was sent to %(address)s. Type it below to start using it.")
        % {"address": contact_point.masked_address},
    )
    return _back()


@login_required
@require_POST
def verify_contact_point(request: AuthenticatedRequest, contact_point_id: str) -> HttpResponse:
    contact_point = _own_contact_point(request, contact_point_id)
    form = CodeForm(request.POST, prefix=str(contact_point.pk))
    if form.is_valid():
        try:
            services.verify_contact_point(
                actor=request.user, contact_point=contact_point, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Verified: messages will now come here too."))
            return _back()
    return _settings_page(request, code_forms={contact_point.pk: form}, status=422)


@login_required
@require_POST
def send_new_code(request: AuthenticatedRequest, contact_point_id: str) -> HttpResponse:
    contact_point = _own_contact_point(request, contact_point_id)
    try:
        services.send_new_code(actor=request.user, contact_point=contact_point)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("A new code is on its way."))
    return _back()


@login_required
@require_POST
def move_contact_point(request: AuthenticatedRequest, contact_point_id: str) -> HttpResponse:
    contact_point = _own_contact_point(request, contact_point_id)
    try:
        services.move_contact_point(
            actor=request.user,
            contact_point=contact_point,
            direction=request.POST.get("direction", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    return _back()


@login_required
@require_POST
def remove_contact_point(request: AuthenticatedRequest, contact_point_id: str) -> HttpResponse:
    contact_point = _own_contact_point(request, contact_point_id)
    services.remove_contact_point(actor=request.user, contact_point=contact_point)
    messages.success(request, _("Removed: no more messages will go there."))
    return _back()


@login_required
@require_POST
def save_preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST, family=_is_family(request))
    if not form.is_valid():
        return _settings_page(request, preferences_form=form, status=422)
    try:
        services.set_notification_preferences(actor=request.user, **form.cleaned_data)
    except DomainError as error:
        show_domain_error(form, error)
        return _settings_page(request, preferences_form=form, status=error.status)
    messages.success(request, _("Saved."))
    return _back()


@login_required
@require_GET
@refuses_bad_pages
def my_notifications(request: AuthenticatedRequest) -> HttpResponse:
    """The person's own messages, newest first, with every delivery attempt."""
    page = page_of(request, queries.messages_of(request.user), per_page=MESSAGES_PER_PAGE)
    return render(
        request,
        "notifications/messages.html",
        {"page": page},
    )


@require_GET
def service_worker(request: Any) -> HttpResponse:
    """The service worker, from the site root so its scope is the whole site."""
    response = HttpResponse(
        SERVICE_WORKER.read_text(encoding="utf-8"),
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns = [
    path("sw.js", service_worker, name="service_worker"),
    path("notifications/", my_notifications, name="notifications"),
    path("notifications/settings/", notification_settings, name="notification_settings"),
    path(
        "notifications/settings/contact-points/add/",
        add_contact_point,
        name="add_contact_point",
    ),
    path(
        "notifications/settings/contact-points/<uuid:contact_point_id>/verify/",
        verify_contact_point,
        name="verify_contact_point",
    ),
    path(
        "notifications/settings/contact-points/<uuid:contact_point_id>/send-code/",
        send_new_code,
        name="send_new_code",
    ),
    path(
        "notifications/settings/contact-points/<uuid:contact_point_id>/move/",
        move_contact_point,
        name="move_contact_point",
    ),
    path(
        "notifications/settings/contact-points/<uuid:contact_point_id>/remove/",
        remove_contact_point,
        name="remove_contact_point",
    ),
    path(
        "notifications/settings/preferences/",
        save_preferences,
        name="save_notification_preferences",
    ),
]
