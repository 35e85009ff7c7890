"""The JSON API's routes as its own router knows them, and real ids from the demo
to put in their paths (test support for the every-list and fuzzing tests).

Routes are found by walking the ninja API, never listed by hand, so a route
added tomorrow is checked tomorrow.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hearth.api import api
from hearth.core.pagination import CursorPage

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as ninja writes it: "/patients/{patient_id}/phases"
    returns_list: bool
    paged: bool = False  # answers ``{"items": [...], "next": ...}``

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"\{(?:\w+:)?(\w+)\}", self.path)

    def url(self, values: dict[str, Any]) -> str:
        path = re.sub(r"\{(?:\w+:)?(\w+)\}", lambda match: str(values[match.group(1)]), self.path)
        return API_PREFIX + path


def _answers_a_page(operation: Any) -> bool:
    """The answer is a page of a list (``hearth.core.pagination.CursorPage``)."""
    model = operation.response_models.get(200)
    if model is None:
        return False
    annotation = model.model_fields["response"].annotation
    return isinstance(annotation, type) and issubclass(annotation, CursorPage)


def _answers_a_list(operation: Any) -> bool:
    model = operation.response_models.get(200)
    if model is None:
        return False
    annotation = model.model_fields["response"].annotation
    # A paged list is a list too.
    return typing.get_origin(annotation) is list or _answers_a_page(operation)


def routes() -> Iterator[Route]:
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    is_get = method == "GET"
                    yield Route(
                        method,
                        path,
                        is_get and _answers_a_list(operation),
                        is_get and _answers_a_page(operation),
                    )


def list_routes() -> list[Route]:
    """Every GET route whose answer is a JSON list."""
    return sorted((route for route in routes() if route.returns_list), key=lambda r: r.path)
