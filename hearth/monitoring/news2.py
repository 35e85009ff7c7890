"""NEWS2 (Royal College of Physicians, 2017), as tabulated in docs/clinical-reference.md.

Plain functions on plain numbers so the scoring can be checked against the
published chart row by row. Missing parameters are reported, not scored as 0:
a partial NEWS2 says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PARAMETERS = (
    "respiratory_rate",
    "spo2",
    "on_oxygen",
    "systolic_bp",
    "pulse",
    "consciousness",
    "temperature",
)


def respiratory_rate(value: float) -> int:
    if value <= 8:
        return 3
    if value <= 11:
        return 1
    if value <= 20:
        return 0
    if value <= 24:
        return 2
    return 3


def spo2_scale_1(value: float) -> int:
    if value <= 91:
        return 3
    if value <= 93:
        return 2
    if value <= 95:
        return 1
    return 0


def spo2_scale_2(value: float, on_oxygen: bool) -> int:
    """Scale 2: target 88–92% in hypercapnic respiratory failure, chosen by a clinician."""
    if value <= 83:
        return 3
    if value <= 85:
        return 2
    if value <= 87:
        return 1
    if value <= 92 or not on_oxygen:
        return 0
    if value <= 94:
        return 1
    if value <= 96:
        return 2
    return 3


def air_or_oxygen(on_oxygen: bool) -> int:
    return 2 if on_oxygen else 0


def systolic_bp(value: float) -> int:
    if value <= 90:
        return 3
    if value <= 100:
        return 2
    if value <= 110:
        return 1
    if value <= 219:
        return 0
    return 3


def pulse(value: float) -> int:
    if value <= 40:
        return 3
    if value <= 50:
        return 1
    if value <= 90:
        return 0
    if value <= 110:
        return 1
    if value <= 130:
        return 2
    return 3


def consciousness(alert: bool) -> int:
    """Alert scores 0; new confusion, or responding only to voice, pain, or unresponsive: 3."""
    return 0 if alert else 3


def temperature(value: float) -> int:
    if value <= 35.0:
        return 3
    if value <= 36.0:
        return 1
    if value <= 38.0:
        return 0
    if value <= 39.0:
        return 1
    return 2


@dataclass(frozen=True)
class News2:
    total: int
    points: dict[str, int]
    missing: tuple[str, ...]
    #: "low", "low_medium" (a single parameter scored 3), "medium" (5–6), "high" (≥ 7).
    band: str

    @property
    def partial(self) -> bool:
        return bool(self.missing)


def band_for(total: int, points: Mapping[str, int]) -> str:
    if total >= 7:
        return "high"
    if total >= 5:
        return "medium"
    if any(value == 3 for value in points.values()):
        return "low_medium"
    return "low"


def score(values: Mapping[str, float | bool | None], *, spo2_scale: int = 1) -> News2:
    """``values`` keyed by ``PARAMETERS``; ``on_oxygen`` and ``consciousness``
    (True = alert) are booleans, the rest numbers; None or absent = not measured."""
    points: dict[str, int] = {}
    on_oxygen = values.get("on_oxygen")
    if values.get("respiratory_rate") is not None:
        points["respiratory_rate"] = respiratory_rate(float(values["respiratory_rate"]))  # type: ignore[arg-type]
    if values.get("spo2") is not None:
        saturation = float(values["spo2"])  # type: ignore[arg-type]
        points["spo2"] = (
            spo2_scale_2(saturation, bool(on_oxygen))
            if spo2_scale == 2
            else spo2_scale_1(saturation)
        )
    if on_oxygen is not None:
        points["on_oxygen"] = air_or_oxygen(bool(on_oxygen))
    if values.get("systolic_bp") is not None:
        points["systolic_bp"] = systolic_bp(float(values["systolic_bp"]))  # type: ignore[arg-type]
    if values.get("pulse") is not None:
        points["pulse"] = pulse(float(values["pulse"]))  # type: ignore[arg-type]
    if values.get("consciousness") is not None:
        points["consciousness"] = consciousness(bool(values["consciousness"]))
    if values.get("temperature") is not None:
        points["temperature"] = temperature(float(values["temperature"]))  # type: ignore[arg-type]
    total = sum(points.values())
    missing = tuple(name for name in PARAMETERS if name not in points)
    return News2(total=total, points=points, missing=missing, band=band_for(total, points))
