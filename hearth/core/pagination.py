"""Pages of a long list: numbered pages for people, cursors for programs.

A list that grows with the service (the worklist, alerts, readings, the audit
trail) is never read whole: a 10,000-patient service made the coordinator's
worklist 7 MB and 8 s. Two forms, one module, so every list behaves the same:

* **Pages** (``page_of``): ``?page=N`` over a sorted query, with the filters of
  the request kept in the previous/next links and "showing 51–100 of 10,007".
  A page past the end shows the last page (the list shrank while someone read
  it); a page that is not a number is a 400 with a message.
* **Cursors** (``cursor_page``): the JSON API's ``?cursor=…&limit=…``, keyset
  pagination over a unique sort key such as ``(observed_at DESC, id)``. A
  cursor is the last row's sort key, signed so a client can neither forge a
  position nor replay one list's cursor on another; the answer is
  ``{"items": [...], "next": absolute URL or null}``. Keyset pages stay as fast
  on page 200 as on page 1 (no OFFSET) and never skip or repeat a row when
  rows are added between pages.

Why a helper and not a ninja ``PaginationBase``: every page served must audit
the patients on *that* page (and the worklist computes its extra columns for
those patients only), which happens between slicing and answering; a
``@paginate`` decorator hides that step. The endpoint calls ``cursor_page`` and
then audits ``page.items``.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce, wraps
from typing import Any, Generic, TypeVar
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Schema
from pydantic import create_model

from hearth.core.errors import DomainError

T = TypeVar("T")

#: Salt for the cursor signature: a cursor means nothing outside pagination.
_CURSOR_SALT = "hearth.core.pagination.cursor"


def page_size() -> int:
    """Rows on a page (``HEARTH_PAGE_SIZE``, default 50): small enough for a
    phone on a weak connection, large enough that a nurse's caseload fits."""
    return int(getattr(settings, "HEARTH_PAGE_SIZE", 50))


def max_limit() -> int:
    """The most rows one API call may ask for (``HEARTH_API_MAX_LIMIT``)."""
    return int(getattr(settings, "HEARTH_API_MAX_LIMIT", 500))


class BadPage(DomainError):
    """A page number or cursor the server cannot use: a 400 that says why."""

    status = 400
    code = "bad_page"


# --- Pages for people ---------------------------------------------------------


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows, and what the page navigation needs to draw itself."""

    items: list[T]
    number: int
    num_pages: int
    count: int
    first: int
    last: int
    previous_url: str | None
    next_url: str | None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def is_paginated(self) -> bool:
        return self.num_pages > 1

    @property
    def showing(self) -> str:
        """ "Showing 51–100 of 10,007", in the reader's language."""
        if not self.count:
            return ""
        return ngettext(
            "Showing %(first)s–%(last)s of %(count)s entry",
            "Showing %(first)s–%(last)s of %(count)s entries",
            self.count,
        ) % {
            "first": _number(self.first),
            "last": _number(self.last),
            "count": _number(self.count),
        }

    @property
    def page_of(self) -> str:
        return _("Page %(number)s of %(pages)s") % {
            "number": _number(self.number),
            "pages": _number(self.num_pages),
        }


def _number(value: int) -> str:
    """10007 → "10,007" (or "10 007" in Russian): the reader's own grouping."""
    return str(number_format(value, force_grouping=True))


def requested_page_number(request: HttpRequest, param: str = "page") -> int:
    """The ``?page=`` asked for: 1 when absent; a clear 400 when it is not a
    whole number of at least 1 (a typed-in URL, a broken link)."""
    raw = request.GET.get(param, "").strip()
    if not raw:
        return 1
    if not raw.isdigit() or int(raw) < 1:
        raise BadPage(
            _("“%(value)s” is not a page number: use a whole number from 1.") % {"value": raw[:20]}
        )
    return int(raw)


def link_with(query: QueryDict, **changes: Any) -> str:
    """``?…`` with the request's own parameters (filters, search) kept and
    ``changes`` applied, so moving between pages never loses a filter."""
    params = query.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def page_of(
    request: HttpRequest,
    rows: QuerySet[Any] | Sequence[Any],
    *,
    per_page: int | None = None,
    param: str = "page",
) -> Page[Any]:
    """The requested page of ``rows`` (already filtered and ordered). Costs
    one COUNT and one slice, however long the list."""
    size = per_page or page_size()
    paginator = Paginator(rows, size, allow_empty_first_page=True)
    number = requested_page_number(request, param)
    try:
        page = paginator.page(number)
    except EmptyPage:
        # Past the end (the list got shorter since the link was made): the last page.
        page = paginator.page(paginator.num_pages)
    items = list(page.object_list)
    return Page(
        items=items,
        number=page.number,
        num_pages=paginator.num_pages,
        count=paginator.count,
        first=page.start_index() if items else 0,
        last=page.end_index() if items else 0,
        previous_url=(
            link_with(request.GET, **{param: page.previous_page_number()})
            if page.has_previous()
            else None
        ),
        next_url=(
            link_with(request.GET, **{param: page.next_page_number()}) if page.has_next() else None
        ),
    )


def refuses_bad_pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A list page answers a page number that is not a number (``?page=abc``)
    with a 400 page that says so, instead of a server error."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except BadPage as error:
            # Not a refusal (nothing was withheld): no refusal audit event.
            first_page = link_with(request.GET, page=None)
            return render(
                request,
                "bad_page.html",
                {"error": error, "first_page_url": first_page},
                status=error.status,
            )

    return wrapped


# --- Cursors for programs -----------------------------------------------------


class CursorQuery(Schema):
    """``?cursor=`` (from the previous answer's ``next``) and ``?limit=``."""

    cursor: str | None = Field(
        default=None,
        description="Opaque position from the previous page's `next`; omit for the first page.",
    )
    limit: int = Field(
        default=50,
        ge=1,
        le=500,
        description="Rows per page (1–500, default 50).",
    )


class CursorPage(Schema):
    """A page of an API list: ``next`` is the URL of the following page (the
    same filters and limit, a new cursor), or null on the last page.

    ``CursorPage.of(AlertOut)`` is the response schema, named ``AlertOutPage``
    in the OpenAPI document (a plain name: a generic's ``CursorPage[AlertOut]``
    is not a valid component name)."""

    items: list[Any]
    next: str | None

    @classmethod
    def of(cls, item: type[Schema]) -> type[CursorPage]:
        if item not in _page_schemas:
            _page_schemas[item] = create_model(
                f"{item.__name__}Page",
                __base__=cls,
                __doc__=f"A page of {item.__name__}: follow `next` until it is null.",
                items=(list[item], ...),  # type: ignore[valid-type]
            )
        return _page_schemas[item]


_page_schemas: dict[type[Schema], type[CursorPage]] = {}


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    items: list[T]
    next: str | None

    def answer(self, convert: Callable[[T], Any] | None = None) -> dict[str, Any]:
        """The JSON body: ``{"items": [...], "next": ...}``."""
        items = [convert(item) for item in self.items] if convert else list(self.items)
        return {"items": items, "next": self.next}


def _field_of(term: str) -> tuple[str, bool]:
    """``"-observed_at"`` → ``("observed_at", True)`` (descending)."""
    return (term[1:], True) if term.startswith("-") else (term, False)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, UUID):
        return str(value)
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return dt.datetime.fromisoformat(value["t"])
        if "d" in value:
            return dt.date.fromisoformat(value["d"])
        if "n" in value:
            return Decimal(value["n"])
        raise ValueError("unknown value")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError("unknown value")


def encode_cursor(list_name: str, values: Sequence[Any]) -> str:
    return signing.dumps({"l": list_name, "v": [_encode(v) for v in values]}, salt=_CURSOR_SALT)


def decode_cursor(list_name: str, cursor: str, width: int) -> list[Any]:
    """The sort key a cursor stands for, or a 400: a cursor edited by hand,
    cut short, or taken from another list (or another server) is refused."""
    message = _(
        "This cursor is not valid for this list: start again without a cursor "
        "and follow the “next” links."
    )
    try:
        payload = signing.loads(cursor, salt=_CURSOR_SALT)
        if payload.get("l") != list_name or len(payload.get("v", ())) != width:
            raise ValueError("another list")
        return [_decode(v) for v in payload["v"]]
    except (signing.BadSignature, ValueError, TypeError, AttributeError) as error:
        raise BadPage(message, code="bad_cursor") from error


def after(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ``ordering``: (a > x) or (a = x and
    b > y) or …, each comparison turned for a descending term. Works on both
    databases (PostgreSQL's row comparison cannot mix directions)."""
    alternatives: list[Q] = []
    equal = Q()
    for term, value in zip(ordering, values, strict=True):
        field, descending = _field_of(term)
        alternatives.append(equal & Q(**{f"{field}__{'lt' if descending else 'gt'}": value}))
        equal &= Q(**{field: value})
    return reduce(operator.or_, alternatives)


def cursor_page(
    request: HttpRequest,
    rows: QuerySet[Any],
    *,
    list_name: str,
    ordering: Sequence[str],
    paging: CursorQuery,
) -> KeysetPage[Any]:
    """One keyset page of ``rows`` in ``ordering`` (its last term must be
    unique, e.g. ``id``; every term a non-null field or annotation), where
    ``paging`` (the endpoint's ``?cursor=&limit=``) says. Reads ``limit + 1``
    rows to know whether there is a next page, with no COUNT."""
    limit = max(1, min(paging.limit, max_limit()))
    rows = rows.order_by(*ordering)
    if paging.cursor:
        rows = rows.filter(after(ordering, decode_cursor(list_name, paging.cursor, len(ordering))))
    fetched = list(rows[: limit + 1])
    items = fetched[:limit]
    next_url = None
    if len(fetched) > limit:
        last = items[-1]
        values = [getattr(last, _field_of(term)[0]) for term in ordering]
        query = request.GET.copy()
        query["cursor"] = encode_cursor(list_name, values)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return KeysetPage(items=items, next=next_url)
