"""Every answer of the application carries the security headers: an enforced
Content-Security-Policy with no inline script, a Permissions-Policy that
switches off the camera, microphone and location, and ``Cache-Control:
no-store`` wherever patient data may be (pages, API JSON, PDFs), because
staff share tablets. The API documentation is for signed-in staff only in
production. The browser proves the policy breaks nothing in
``test_browser_security_headers.py``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from hearth.accounts import services as account_services
from hearth.conftest import World
from hearth.core.models import AuditEvent

CSP = "Content-Security-Policy"


def _directives(response: Any) -> dict[str, list[str]]:
    header = response[CSP]
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def _key_pages(active: World) -> list[tuple[Any, str]]:
    patient = active.patient.external_id
    superuser = type(active.nurse).objects.create_superuser(
        username="admin.root", password="a-long-password-1", email="root@example.org"
    )
    return [
        (active.nurse, "/"),
        (active.nurse, "/patients/"),
        (active.nurse, f"/patients/{patient}/"),
        (active.nurse, f"/patients/{patient}/symptoms/"),
        (active.nurse, f"/patients/{patient}/medicines/"),
        (active.nurse, "/alerts/"),
        (active.nurse, "/notifications/settings/"),
        (active.coordinator, "/visits/plan/"),
        (active.coordinator, "/volunteers/"),
        (active.family, "/portal/"),
        (active.family, "/portal/check-in/"),
        (superuser, "/admin/"),
        (None, "/admin/login/"),
        (None, "/accounts/login/"),
        (None, "/accounts/password/reset/"),
        (active.nurse, "/no-such-page/"),
    ]


def test_every_html_page_carries_an_enforced_policy_without_inline_script(
    active: World, client_for: Any
) -> None:
    for user, path in _key_pages(active):
        response = client_for(user).get(path, follow=True)
        assert response.status_code == (404 if path == "/no-such-page/" else 200), path
        assert response["Content-Type"].startswith("text/html"), path
        assert CSP in response, path
        assert "Content-Security-Policy-Report-Only" not in response, path
        directives = _directives(response)
        assert directives["script-src"] == ["'self'"], path
        assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in directives["style-src"], path
        assert directives["worker-src"] == ["'self'"] and directives["manifest-src"] == ["'self'"]
        html = response.content.decode()
        # Nothing the policy would refuse is in the page: no inline script
        # (JSON data blocks are not run), no event handler attribute, no
        # javascript: URL, no style attribute, no <style> without the nonce.
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "javascript:" not in html, path
        assert not re.search(r"<[a-z][^>]*\sstyle\s*=", html, re.IGNORECASE), path
        for tag in re.findall(r"<style\b[^>]*>", html):
            nonce = re.search(r'nonce="([^"]+)"', tag)
            assert nonce is not None, (path, tag)
            assert f"'nonce-{nonce.group(1)}'" in directives["style-src"], path


def test_permissions_policy_switches_off_what_no_page_uses(active: World, client_for: Any) -> None:
    for user, path in (
        (active.nurse, "/"),
        (None, "/accounts/login/"),
        (active.nurse, "/api/v1/me"),
    ):
        policy = client_for(user).get(path)["Permissions-Policy"]
        features = dict(item.strip().split("=", 1) for item in policy.split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (path, feature)


def test_patient_data_is_never_stored_by_the_browser(active: World, client_for: Any) -> None:
    patient = active.patient.external_id
    nurse = client_for(active.nurse)
    answers = {
        "record page": nurse.get(f"/patients/{patient}/"),
        "medicines page": nurse.get(f"/patients/{patient}/medicines/"),
        "API list": nurse.get("/api/v1/patients"),
        "API record": nurse.get(f"/api/v1/patients/{patient}"),
        "PDF": nurse.get(f"/patients/{patient}/medicines/chart.pdf"),
        "family portal": client_for(active.family).get("/portal/"),
        "refusal": client_for(active.outsider_nurse).get(f"/api/v1/patients/{patient}"),
    }
    for name, response in answers.items():
        assert response["Cache-Control"] == "no-store", name
    assert answers["API record"].status_code == 200
    assert answers["PDF"]["Content-Type"] == "application/pdf"
    # The browser's PDF viewer is not a page: a page policy could stop it.
    assert CSP not in answers["PDF"]


def test_a_bearer_token_answer_is_not_stored_either(active: World, client_for: Any) -> None:
    _token, secret = account_services.issue_api_token(actor=active.nurse, name="tablet")
    response = Client().get("/api/v1/patients", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching(client_for: Any, db: Any) -> None:
    response = client_for(None).get("/static/hearth/hearth.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert CSP not in response  # WhiteNoise answers before the application


def test_the_service_worker_keeps_its_own_revalidation_for_anonymous_requests(
    client_for: Any, db: Any
) -> None:
    response = client_for(None).get("/sw.js")
    assert response["Cache-Control"] == "no-cache"


# --- The API documentation --------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_in_production_the_api_documentation_is_for_signed_in_staff(
    active: World, client_for: Any, settings: Any, path: str
) -> None:
    settings.HEARTH_API_DOCS_PUBLIC = False
    anonymous = client_for(None).get(path)
    if path.endswith(".json"):
        assert anonymous.status_code == 401
        assert anonymous.json()["code"] == "not_authenticated"
    else:
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/accounts/login/?next=/api/v1/docs")
    assert client_for(active.family).get(path).status_code == 404
    staff = client_for(active.nurse).get(path)
    assert staff.status_code == 200
    assert staff["Cache-Control"] == "no-store"
    if path.endswith(".json"):
        assert staff.json()["info"]["title"] == "Hearth API"
    else:
        # Swagger UI from our own static files: nothing from a CDN, no inline script.
        html = staff.content.decode()
        assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html


def test_outside_production_the_api_documentation_stays_open(
    client_for: Any, settings: Any, db: Any
) -> None:
    settings.HEARTH_API_DOCS_PUBLIC = True
    assert client_for(None).get("/api/v1/openapi.json").status_code == 200
    assert not AuditEvent.objects.exists()
