"""The OpenAPI document names each schema once, and each operation points at
the schema of the class it declares.

Ninja files every schema under its class name, so two classes with the same
name in two apps (``PersonOut`` was in nine) silently share one entry and
documented 14 operations with another app's schema.
"""

from __future__ import annotations

import enum
import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

from hearth.api import api
from hearth.demo.tests.api_routes import API_PREFIX

DOCUMENT = api.get_openapi_schema(path_prefix=API_PREFIX)
COMPONENTS = DOCUMENT["components"]["schemas"]


def _operations() -> list[tuple[str, Any]]:
    return [
        (api.get_openapi_operation_id(operation), operation)
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    ]


def _named_types(annotation: Any, found: set[type]) -> None:
    """Every model and enumeration reachable from ``annotation``."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found.add(annotation)
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _named_types(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _named_types(argument, found)


def _declared(operation: Any) -> dict[int, Any]:
    """Status code → the class the operation declares for it (unwrapping a list)."""
    declared = {}
    for status, model in operation.response_models.items():
        if model is None:
            continue
        annotation = model.model_fields["response"].annotation
        if typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            declared[int(status)] = annotation
    return declared


def _json_schema_of(content: dict[str, Any]) -> dict[str, Any]:
    schema = content["application/json"]["schema"]
    return schema.get("items", schema) if schema.get("type") == "array" else schema


def test_no_two_schemas_share_a_name() -> None:
    found: set[type] = set()
    for _operation_id, operation in _operations():
        for model in operation.models:
            _named_types(model, found)
        for model in operation.response_models.values():
            _named_types(model, found)
    by_name: dict[str, set[str]] = defaultdict(set)
    for kind in found:
        if kind.__module__.startswith("hearth."):
            by_name[kind.__name__].add(f"{kind.__module__}.{kind.__qualname__}")
    shared = {name: sorted(places) for name, places in by_name.items() if len(places) > 1}
    assert not shared, shared
    assert len(by_name) > 100


def test_every_operation_refers_to_the_schema_it_declares() -> None:
    by_id = {
        operation["operationId"]: operation
        for path_item in DOCUMENT["paths"].values()
        for operation in path_item.values()
    }
    checked = 0
    for operation_id, operation in _operations():
        documented = by_id[operation_id]
        for status, model in _declared(operation).items():
            responses = documented["responses"]
            schema = _json_schema_of(responses.get(status, responses.get(str(status)))["content"])
            reference = schema.get("$ref", "")
            assert reference == f"#/components/schemas/{model.__name__}", (operation_id, status)
            component = COMPONENTS[model.__name__]
            expected = model.model_json_schema(
                by_alias=bool(operation.by_alias), mode="serialization"
            )
            assert set(component.get("properties", {})) == set(expected.get("properties", {})), (
                operation_id,
                status,
                model,
            )
            checked += 1
        body = documented.get("requestBody")
        if body is not None and "application/json" in body["content"]:
            reference = body["content"]["application/json"]["schema"].get("$ref", "")
            if reference:
                name = reference.rsplit("/", 1)[1]
                bodies = [
                    field.annotation
                    for model in operation.models
                    for field in model.model_fields.values()
                    if isinstance(field.annotation, type) and field.annotation.__name__ == name
                ]
                assert bodies, (operation_id, name)
                checked += 1
    assert checked > 200
