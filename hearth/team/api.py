"""The team support JSON API: the same services and rules as the pages."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["team support"])
