"""The person's own account: sessions, API tokens and (administrators) the security policy."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hearth.accounts import services
from hearth.accounts.forms import SecurityPolicyForm, TokenForm
from hearth.accounts.mfa import session_passed_mfa
from hearth.accounts.models import ApiToken, SecurityPolicy
from hearth.core.errors import DomainError
from hearth.core.web import AuthenticatedRequest


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    issued_secret = request.session.pop("hearth_new_token_secret", None)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.issue_api_token(
                actor=request.user,
                mfa_verified=session_passed_mfa(request),
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            request.session["hearth_new_token_secret"] = secret
            return redirect("account")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user_id=request.user.pk or 0),
            "issued_secret": issued_secret,
            "mfa_enabled": is_mfa_enabled(request.user),
            "policy": SecurityPolicy.current(),
        },
    )


@login_required
@require_POST
def revoke_token(request: AuthenticatedRequest, token_id: str) -> HttpResponse:
    try:
        services.revoke_api_token(actor=request.user, token_id=token_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Token revoked."))
    return redirect("account")


@login_required
@require_POST
def sign_out_everywhere(request: AuthenticatedRequest) -> HttpResponse:
    services.sign_out_everywhere(actor=request.user)
    logout(request)
    messages.success(request, _("You were signed out on every device."))
    return redirect("account_login")


@login_required
def security_policy(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("accounts.manage_security_policy"):
        return render(
            request,
            "refused.html",
            {"error": {"message": _("Only an administrator changes the security policy.")}},
            status=403,
        )
    policy = SecurityPolicy.current()
    form = SecurityPolicyForm(
        request.POST or None, initial={"require_staff_mfa": policy.require_staff_mfa}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_security_policy(
                actor=request.user,
                require_staff_mfa=form.cleaned_data["require_staff_mfa"],
                mfa_verified=session_passed_mfa(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Security policy saved."))
            return redirect("security_policy")
    return render(request, "accounts/security_policy.html", {"form": form, "policy": policy})
