"""The Django admin has no sign-in form of its own.

Its password-only form skipped the second factor and the throttle (issue 18):
``/admin/login/`` now sends everyone to allauth's sign-in (password, then the
TOTP code, throttled and audited) and back to the admin page they asked for.
Credentials posted to ``/admin/login/`` are never read.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def admin_sign_in(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    wanted = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        wanted = ""
    wanted = wanted or reverse("admin:index")
    if request.user.is_authenticated:
        # Signed in already: the session middleware has made sure it passed MFA
        # where MFA applies; the admin itself checks is_staff.
        return HttpResponseRedirect(wanted)
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': wanted})}")
