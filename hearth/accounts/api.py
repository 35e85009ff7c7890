from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from hearth.accounts import services
from hearth.accounts.mfa import session_passed_mfa
from hearth.accounts.models import ApiToken, SecurityPolicy, User, UserKind
from hearth.accounts.schemas import (
    IssuedTokenOut,
    MeOut,
    SecurityPolicyIn,
    SecurityPolicyOut,
    StaffOut,
    TokenIn,
    TokenOut,
)
from hearth.core.api import ERROR_RESPONSES, actor_of
from hearth.core.errors import NotAllowed
from hearth.core.pagination import CursorPage, CursorQuery, cursor_page

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    return actor_of(request)


@router.get("/staff", response={200: CursorPage.of(StaffOut), **ERROR_RESPONSES})
def staff_directory(request: HttpRequest, paging: Query[CursorQuery]) -> Any:
    """Colleagues' names, disciplines and phones, for assigning and contacting,
    by family name, a page at a time."""
    actor = actor_of(request)
    if actor.kind != UserKind.STAFF:
        raise NotAllowed(_("Only staff see the staff directory."))
    return cursor_page(
        request,
        User.objects.filter(kind=UserKind.STAFF, is_active=True),
        list_name="staff",
        ordering=("last_name", "first_name", "id"),
        paging=paging,
    ).answer()


@router.get("/me/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> Any:
    return list(ApiToken.objects.filter(user=actor_of(request)))


@router.post("/me/tokens", response={201: IssuedTokenOut, **ERROR_RESPONSES})
def issue_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, secret = services.issue_api_token(
        actor=actor_of(request),
        name=payload.name,
        days=payload.days,
        mfa_verified=session_passed_mfa(request),
    )
    token.secret = secret  # type: ignore[attr-defined]
    return Status(201, token)


@router.post("/me/tokens/{token_id}/revoke", response={200: TokenOut, **ERROR_RESPONSES})
def revoke_token(request: HttpRequest, token_id: UUID) -> Any:
    return services.revoke_api_token(actor=actor_of(request), token_id=token_id)


@router.post("/me/sign-out-everywhere", response={200: dict[str, int], **ERROR_RESPONSES})
def sign_out_everywhere(request: HttpRequest) -> Any:
    ended = services.sign_out_everywhere(actor=actor_of(request))
    if getattr(request, "session", None) is not None:
        request.session.flush()  # this session was among those ended; start clean
    return {"sessions_ended": ended}


@router.get("/security-policy", response={200: SecurityPolicyOut, **ERROR_RESPONSES})
def get_policy(request: HttpRequest) -> Any:
    if not actor_of(request).has_perm("accounts.manage_security_policy"):
        raise NotAllowed(_("Only an administrator sees the security policy."))
    return SecurityPolicy.current()


@router.put("/security-policy", response={200: SecurityPolicyOut, **ERROR_RESPONSES})
def set_policy(request: HttpRequest, payload: SecurityPolicyIn) -> Any:
    return services.set_security_policy(
        actor=actor_of(request),
        require_staff_mfa=payload.require_staff_mfa,
        mfa_verified=session_passed_mfa(request),
    )
