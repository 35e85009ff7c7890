"""The home devices page: a token and its prefix are machine text, marked so a
browser's translator (and the UI sweep's language checks) leave them alone."""

from __future__ import annotations

from typing import Any

from hearth.conftest import World
from hearth.monitoring import services


def test_a_token_and_its_prefix_are_marked_as_not_words(active: World, client_for: Any) -> None:
    client = client_for(active.nurse)
    url = f"/patients/{active.patient.external_id}/devices/"
    response = client.post(
        url, {"kind": "pulse_oximeter", "label": "Oximeter", "serial_number": "SN-4471"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    device = active.patient.devices.get()
    shown_once = page.split('<code translate="no">hdv_', 1)[1].split("</code>", 1)[0]
    assert services.authenticate_device("hdv_" + shown_once) == device

    page = client.get(url).content.decode()
    assert f'<code translate="no">{device.prefix}…</code>' in page
    assert '<span translate="no">SN-4471</span>' in page
    assert "hdv_" + shown_once not in page
