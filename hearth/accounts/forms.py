from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Device or integration name"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class SecurityPolicyForm(forms.Form):
    require_staff_mfa = forms.BooleanField(
        label=_("Require two-factor authentication for all staff"), required=False
    )
