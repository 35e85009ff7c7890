from __future__ import annotations

from typing import Any

from allauth.core import context as allauth_context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Device or integration name"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class SecurityPolicyForm(forms.Form):
    require_staff_mfa = forms.BooleanField(
        label=_("Require two-factor authentication for all staff"), required=False
    )


class _ThrottledCodeMixin:
    """A wrong two-factor code counts as a failed sign-in (per account and address),
    and is audited; while the wait lasts no code is even checked, so a stolen
    password does not buy unlimited guesses at the six digits."""

    user: Any

    def clean_code(self) -> str:
        from hearth.accounts import sign_in

        request = allauth_context.request
        sign_in.refuse_if_throttled(request, self.user.get_username())
        try:
            return str(super().clean_code())  # type: ignore[misc]
        except forms.ValidationError:
            sign_in.mfa_code_refused(request, self.user)
            raise


class MfaAuthenticateForm(_ThrottledCodeMixin, AuthenticateForm):
    """allauth's code form at sign-in, throttled and audited."""


class MfaReauthenticateForm(_ThrottledCodeMixin, ReauthenticateForm):
    """allauth's code form for a signed-in session proving MFA, throttled and audited."""
