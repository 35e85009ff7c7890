"""The installed web app that receives pushes: every page names the manifest,
the manifest names icons that exist, and the service worker is served for the
whole site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

from hearth.conftest import World

STATIC = Path(settings.BASE_DIR) / "hearth" / "static" / "hearth"


def test_every_page_names_the_manifest_of_the_installable_app(
    world: World, client_for: Any
) -> None:
    page = client_for(world.family).get("/notifications/settings/").content.decode()
    assert 'rel="manifest"' in page and "manifest.webmanifest" in page


def test_the_manifest_opens_the_whole_site_standalone_with_icons_that_exist() -> None:
    manifest = json.loads((STATIC / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/",
        "/",
        "standalone",
    )
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert (STATIC / icon["src"]).is_file(), icon["src"]


def test_the_service_worker_is_served_for_the_whole_site(client: Any) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert 'addEventListener("push"' in response.content.decode().replace("'", '"')
