"""The page kit every app's views use: write pages, refusals, the signed-in request.

It lives in the kernel so that no app imports another app's views: each app
imports these shapes from here, and the patient-bound pieces (opening a page
through a patient) from ``hearth.patients.web``. Nothing here knows a clinical
model. The refusal page is the shared ``refused.html``; the default write page,
``patients/form_page.html``, is found by name (apps pass their own template).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hearth.core import refusals
from hearth.core.errors import DomainError, NotFound

if TYPE_CHECKING:  # core sits below accounts: the user model is only a type here
    from hearth.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request that has passed ``login_required`` (or ``staff_required``):
    its ``user`` is one of our users, never the anonymous one, so views can
    hand it to services as the actor without a cast."""

    user: User


def show_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Put a service's refusal on the form: on the field it names, or on top."""
    placed = False
    for field, messages_for_field in error.field_errors.items():
        name = field if field in form.fields else None
        for text in messages_for_field:
            form.add_error(name, text)
            placed = True
    if not placed:
        form.add_error(None, error.message)


def refusal(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A page the user cannot see: 404 hides existence; 403 explains (and, for
    staff outside the caseload, offers emergency access). The refusal's code
    goes to its audit event (hearth.core.refusals)."""
    refusals.note(request, error.code)
    if isinstance(error, NotFound):
        raise Http404(error.message)
    return render(request, "refused.html", {"error": error}, status=error.status)


# --- Confirming a consequential action ------------------------------------------------

#: The field a confirmation page (or the ``data-confirm`` dialog) adds to the POST.
CONFIRMED_FIELD = "confirmed"


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation restates: the action with its object ("Cancel the
    visit to Anna Smirnova on Tuesday 8 December at 10:00?"), its consequence
    ("The family will be told.") and the words on the button that does it."""

    question: str
    consequence: str
    yes_label: str


def is_confirmed(request: HttpRequest) -> bool:
    """A POST that carries ``confirmed=yes``: the person has seen the question."""
    return request.method == "POST" and request.POST.get(CONFIRMED_FIELD) == "yes"


def confirmation_page(
    request: HttpRequest,
    confirmation: Confirmation,
    *,
    back_url: str,
    back_label: str | None = None,
) -> HttpResponse:
    """The question, the consequence, "Yes, …" and "Go back", without
    JavaScript: "Yes" posts what was sent (a reason typed, a date) again to
    the same address with ``confirmed=yes`` and a fresh CSRF token; nothing
    has changed until then."""
    carried = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRMED_FIELD)
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "confirm.html",
        {
            "confirmation": confirmation,
            "action": request.get_full_path(),
            "carried": carried,
            "back_url": back_url,
            "back_label": back_label or _("Go back"),
        },
    )


def unless_confirmed(
    request: HttpRequest,
    confirmation: Confirmation,
    *,
    back_url: str,
    back_label: str | None = None,
) -> HttpResponse | None:
    """For a view that acts on a POST: the confirmation page until the POST
    says ``confirmed=yes`` (then None, and the view goes on)."""
    if is_confirmed(request):
        return None
    return confirmation_page(request, confirmation, back_url=back_url, back_label=back_label)


#: The label Django gives the empty choice of a drop-down.
DJANGO_BLANK_LABEL = "---------"


def name_the_blank_choice(form: forms.BaseForm) -> None:
    """Word the empty choice of every drop-down ("Choose…", not Django's
    "---------", which reads like an answer already given). Radio buttons are
    left alone: a blank radio should not be offered at all."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect) or not isinstance(
            field.widget, forms.Select
        ):
            continue
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_BLANK_LABEL:
                field.empty_label = _("Choose…")
        elif isinstance(field, forms.ChoiceField):
            choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
            field.choices = [
                (value, _("Choose…"))
                if value == "" and str(label) == DJANGO_BLANK_LABEL
                else (value, label)
                for value, label in choices
            ]


def form_page(
    request: HttpRequest,
    *,
    form_class: type[forms.BaseForm] | None = None,
    form: forms.BaseForm | None = None,
    title: str,
    perform: Callable[[dict[str, Any]], Any],
    success_url: Callable[[Any], str],
    success_message: str,
    context: dict[str, Any] | None = None,
    initial: dict[str, Any] | None = None,
    submit_label: str | None = None,
    template: str = "patients/form_page.html",
    confirm: Confirmation | None = None,
) -> HttpResponse:
    """One shape for every write page: show the form, call the service,
    show its refusal on the form or go back with a message. Pass ``form``
    when the form needs more than ``initial`` to be built. With ``confirm``,
    a valid form is first restated on a confirmation page (nothing changes
    until the person says yes)."""
    if form is None:
        assert form_class is not None, "form_page needs form_class or form"
        form = form_class(request.POST or None, initial=initial)
    name_the_blank_choice(form)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if confirm is not None and not is_confirmed(request):
                back = (context or {}).get("back_url") or request.get_full_path()
                return confirmation_page(request, confirm, back_url=back)
            try:
                result = perform(form.cleaned_data)
            except DomainError as error:
                show_domain_error(form, error)
                status = error.status if error.status != 404 else 400
            else:
                messages.success(request, success_message)
                return redirect(success_url(result))
        else:
            status = 422
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "submit_label": submit_label or _("Save"),
            **(context or {}),
        },
        status=status,
    )


def page_with_way_back(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    perform: Callable[[dict[str, Any]], Any],
    back_url: str,
    success_message: str,
    back_label: str | None = None,
    success_url: Callable[[Any], str] | None = None,
    context: dict[str, Any] | None = None,
    submit_label: str | None = None,
    template: str = "form_page.html",
    confirm: Confirmation | None = None,
) -> HttpResponse:
    """``form_page`` on a write-page template with a link back (where the page
    also returns after saving, unless ``success_url`` says otherwise). An app's
    own template may word the link itself and leave ``back_label`` out."""
    return form_page(
        request,
        form=form,
        title=title,
        perform=perform,
        success_url=success_url or (lambda _result: back_url),
        success_message=success_message,
        context={
            "back_url": back_url,
            **({"back_label": back_label} if back_label is not None else {}),
            **(context or {}),
        },
        submit_label=submit_label,
        template=template,
        confirm=confirm,
    )


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff pages: sign in first; the family and patients go to their portal."""

    @login_required
    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A signed-in user is active, so this asks only whether they are staff.
        if not request.user.is_hearth_staff:
            return redirect("portal")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
