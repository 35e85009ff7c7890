"""Pages and the JSON API travel gzipped to a browser that asks for it; what
is compressed already (PDFs) is sent as it is."""

from __future__ import annotations

import gzip
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from hearth.conftest import World
from hearth.core.middleware import CompressionMiddleware

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_it_gzips_a_big_page(world: World, client_for: Any) -> None:
    response = client_for(world.nurse).get(f"/patients/{world.patient.external_id}/", **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Alice" in gzip.decompress(response.content).decode()


def test_it_gzips_the_json_api(world: World, client_for: Any) -> None:
    response = client_for(world.coordinator).get("/api/v1/patients", **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))


def test_it_sends_plain_text_to_a_client_that_does_not_ask(world: World, client_for: Any) -> None:
    response = client_for(world.nurse).get(f"/patients/{world.patient.external_id}/")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


def test_it_leaves_a_pdf_as_it_is() -> None:
    pdf = b"%PDF-1.7\n" + b"0" * 5000

    def view(_request: HttpRequest) -> HttpResponse:
        return HttpResponse(pdf, content_type="application/pdf")

    response = CompressionMiddleware(view)(RequestFactory().get("/care-plan.pdf", **GZIP))
    assert not response.has_header("Content-Encoding")
    assert response.content == pdf
