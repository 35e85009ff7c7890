"""What a home device may send: each code with its unit and the range a living
person can physically have. A reading outside the range is refused as a device
or entry error rather than stored as a fact.

Units are UCUM, as FHIR Observation expects. LOINC codes are kept for the FHIR
mapping. Ranges are deliberately wide (physiologically possible, not normal).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ObservationCode:
    code: str
    label: str | Promise
    unit: str
    minimum: float
    maximum: float
    loinc: str
    #: Which NEWS2 parameter it feeds, if any.
    news2: str = ""
    #: The unit as a person reads it ("°C", not UCUM's "Cel"); "" when the
    #: UCUM unit reads well as it is ("%", "/min").
    display_unit: str | Promise = ""

    @property
    def shown_unit(self) -> str:
        return str(self.display_unit or self.unit)


CODES: dict[str, ObservationCode] = {
    c.code: c
    for c in (
        ObservationCode("spo2", _("Oxygen saturation"), "%", 50, 100, "59408-5", "spo2"),
        ObservationCode("pulse", _("Pulse"), "/min", 20, 250, "8867-4", "pulse", _("/min")),
        ObservationCode(
            "respiratory_rate",
            _("Breathing rate"),
            "/min",
            2,
            80,
            "9279-1",
            "respiratory_rate",
            _("/min"),
        ),
        ObservationCode(
            "temperature", _("Temperature"), "Cel", 30, 44, "8310-5", "temperature", "°C"
        ),
        ObservationCode(
            "systolic_bp",
            _("Systolic blood pressure"),
            "mm[Hg]",
            40,
            300,
            "8480-6",
            "systolic_bp",
            _("mmHg"),
        ),
        ObservationCode(
            "diastolic_bp",
            _("Diastolic blood pressure"),
            "mm[Hg]",
            20,
            200,
            "8462-4",
            display_unit=_("mmHg"),
        ),
        # 0 = on room air; above 0 = receiving oxygen at this flow.
        ObservationCode("oxygen_flow", _("Oxygen flow"), "L/min", 0, 15, "3151-8", "on_oxygen"),
        # The concentrator's own status: 0 = working, 1 = fault or alarm.
        ObservationCode(
            "oxygen_concentrator_fault",
            _("Oxygen concentrator fault"),
            "{status}",
            0,
            1,
            "67497-7",
        ),
    )
}
