"""The alert rules: what in a check-in, a score or a reading calls for someone to act.

Each function runs inside the transaction that stored the data and calls
``alerts.raise_alert``. Thresholds are the person's own, falling back to the
service defaults from settings (docs/clinical-reference.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext_lazy, gettext_noop

from hearth.assessments import instruments
from hearth.assessments.choices import Phase
from hearth.assessments.models import AssessmentResponse, PhaseOfIllness
from hearth.careplans.choices import FocusOfCare
from hearth.careplans.models import AdvanceCarePlan
from hearth.core import messages
from hearth.monitoring import news2
from hearth.monitoring.alerts import (
    Evidence,
    in_service_language,
    raise_alert,
    severity_for,
)
from hearth.monitoring.choices import AlertRule, PhysiologicalRouting
from hearth.monitoring.codes import CODES
from hearth.monitoring.models import Observation, PersonalThresholds
from hearth.patients.choices import EpisodeState
from hearth.patients.models import Patient


@dataclass(frozen=True)
class Thresholds:
    esas_item: int
    esas_items: dict[str, int]
    esas_rise: int
    #: What the physician chose (``automatic`` unless set) and what applies now.
    chosen_routing: str
    routing: str
    routing_reason: str
    spo2_scale: int
    personal: bool
    #: The physician's reason for this person's own thresholds.
    reason: str = ""
    #: ``routing_reason`` for a stored message: the goals-of-care reason as a
    #: lazy label (read in each reader's language), a physician's typed reason as typed.
    routing_reason_param: Any = ""

    def item_threshold(self, item: str) -> int:
        return int(self.esas_items.get(item, self.esas_item))


def goals_of_care_reason(patient: Patient) -> str:
    """Why NEWS2 should be a comfort check for this person, or "" if not.
    docs/clinical-reference.md: comfort-focused advance care plan, or the terminal phase."""
    return str(_goals_of_care_reason_label(patient))


def _goals_of_care_reason_label(patient: Patient) -> Any:
    """``goals_of_care_reason`` still lazy, for a stored message."""
    phase = PhaseOfIllness.objects.current().filter(patient=patient).first()
    if phase is not None and phase.phase == Phase.TERMINAL:
        return gettext_lazy("The person is in the terminal phase.")
    plan = AdvanceCarePlan.objects.current().filter(patient=patient).first()
    if plan is not None and plan.focus_of_care == FocusOfCare.COMFORT:
        return gettext_lazy("The advance care plan says symptom control and comfort only.")
    return ""


def thresholds_for(patient: Patient) -> Thresholds:
    row = PersonalThresholds.objects.filter(patient=patient).first()
    chosen = row.physiological_routing if row else PhysiologicalRouting.AUTOMATIC
    routing, reason_param = chosen, row.reason if row else ""
    if chosen == PhysiologicalRouting.AUTOMATIC:
        reason_param = _goals_of_care_reason_label(patient)
        routing = (
            PhysiologicalRouting.COMFORT_CHECK if reason_param else PhysiologicalRouting.STANDARD
        )
    return Thresholds(
        esas_item=(row.esas_item_threshold if row else None) or settings.HEARTH_ESAS_ITEM_THRESHOLD,
        esas_items=dict(row.esas_item_overrides) if row else {},
        esas_rise=(row.esas_rise_threshold if row else None) or settings.HEARTH_ESAS_RISE_THRESHOLD,
        chosen_routing=chosen,
        routing=routing,
        routing_reason=str(reason_param),
        routing_reason_param=reason_param,
        spo2_scale=row.spo2_scale if row else 1,
        personal=row is not None,
        reason=row.reason if row else "",
    )


def _item_label(definition: instruments.Instrument, key: str) -> Any:
    """The item's label, still lazy, so a stored message keeps it as a code
    and translates it for each reader."""
    item = definition.item(key)
    return item.label if item else key


def _scored(definition: instruments.Instrument, scores: dict[str, Any]) -> messages.Joined:
    """ "pain 8, nausea 7": each label translated when read."""
    return messages.Joined(
        [
            messages.text("%(item)s %(score)s", item=_item_label(definition, key), score=value)
            for key, value in scores.items()
        ]
    )


@in_service_language
def evaluate_esas(response: AssessmentResponse, actor: Any) -> None:
    definition = instruments.ESAS_R
    patient = response.patient
    limits = thresholds_for(patient)
    scored = [item.key for item in definition.scored_items]
    severe = {
        key: response.value(key)
        for key in scored
        if response.value(key) is not None and response.value(key) >= limits.item_threshold(key)  # type: ignore[operator]
    }
    if severe:
        words = _scored(definition, severe)
        raise_alert(
            actor=actor,
            patient=patient,
            rule=AlertRule.ESAS_SEVERE,
            severity=severity_for("esas_severe"),
            summary=messages.text(gettext_noop("Severe symptoms: %(items)s"), items=words),
            evidence=[
                Evidence(
                    description=messages.text(gettext_noop("ESAS-r: %(items)s"), items=words),
                    source="assessment",
                    source_id=str(response.external_id),
                    observed_at=response.assessed_at,
                    values=severe,
                )
            ],
        )
    previous = (
        AssessmentResponse.objects.valid()
        .for_patient(patient)
        .of(definition.code)
        .filter(assessed_at__lt=response.assessed_at)
        .exclude(pk=response.pk)
        .order_by("-assessed_at", "-id")
        .first()
    )
    if previous is None:
        return
    rises: dict[str, list[int]] = {}
    for key in scored:
        now_value, before = response.value(key), previous.value(key)
        if now_value is not None and before is not None and now_value - before >= limits.esas_rise:
            rises[key] = [before, now_value]
    if rises:
        words = _scored(
            definition, {key: f"{before}→{after}" for key, (before, after) in rises.items()}
        )
        raise_alert(
            actor=actor,
            patient=patient,
            rule=AlertRule.ESAS_RISE,
            severity=severity_for("esas_rise"),
            summary=messages.text(
                gettext_noop("Symptoms rising since the last check-in: %(items)s"), items=words
            ),
            evidence=[
                Evidence(
                    description=messages.text(
                        gettext_noop("ESAS-r since %(when)s: %(items)s"),
                        when=previous.assessed_at,
                        items=words,
                    ),
                    source="assessment",
                    source_id=str(response.external_id),
                    observed_at=response.assessed_at,
                    values=rises,
                )
            ],
        )


@in_service_language
def evaluate_caregiver_strain(response: AssessmentResponse, actor: Any) -> None:
    cut_off = instruments.caregiver_strain_cut_off(response.instrument)
    if cut_off is None or response.total is None or response.total < cut_off:
        return
    who = (
        response.caregiver.user.display_name if response.caregiver else gettext_lazy("a caregiver")
    )
    raise_alert(
        actor=actor,
        patient=response.patient,
        rule=AlertRule.CAREGIVER_STRAIN,
        severity=severity_for("caregiver_strain"),
        summary=messages.text(
            gettext_noop("Caregiver strain high for %(who)s: %(total)d (at or above %(cut)d)"),
            who=who,
            total=response.total,
            cut=cut_off,
        ),
        evidence=[
            Evidence(
                description=messages.text(
                    gettext_noop("%(instrument)s total %(total)d (partial)")
                    if response.partial
                    else gettext_noop("%(instrument)s total %(total)d"),
                    instrument=response.instrument_name,
                    total=response.total,
                ),
                source="assessment",
                source_id=str(response.external_id),
                observed_at=response.assessed_at,
                values={"total": response.total, "cut_off": cut_off},
            )
        ],
    )


NEWS2_PARAMETERS = {
    "respiratory_rate": gettext_lazy("breathing rate"),
    "spo2": gettext_lazy("SpO2"),
    "on_oxygen": gettext_lazy("air or oxygen"),
    "systolic_bp": gettext_lazy("systolic blood pressure"),
    "pulse": gettext_lazy("pulse"),
    "consciousness": gettext_lazy("consciousness"),
    "temperature": gettext_lazy("temperature"),
}
NEWS2_BANDS = {
    "high": gettext_lazy("high"),
    "medium": gettext_lazy("medium"),
    "low_medium": gettext_lazy("low-medium"),
    "low": gettext_lazy("low"),
}
NEWS2_CODES = tuple(code for code, spec in CODES.items() if spec.news2)


@dataclass(frozen=True)
class News2Response:
    severity: str
    minutes: int
    advice: Any


#: What the alert tells the team to do for each band (RCP 2017 chart, as
#: mapped in docs/clinical-reference.md "NEWS2"; *verify*).
NEWS2_ADVICE = {
    "low": gettext_lazy("NEWS2 1–4: a nurse should assess the person today."),
    "low_medium": gettext_lazy(
        "One reading scored 3: the nurse tells the medical team now; "
        "observations at least every hour."
    ),
    "medium": gettext_lazy("NEWS2 5–6: urgent response: a clinician reviews the person now."),
    "high": gettext_lazy("NEWS2 7 or more: emergency response."),
}


def news2_response(band: str) -> News2Response:
    """The severity and minutes to acknowledge for a NEWS2 band, from
    ``HEARTH_NEWS2_RESPONSE`` (a single parameter scoring 3 is medium, never
    low; no band waits for the next working day)."""
    chosen = settings.HEARTH_NEWS2_RESPONSE[band]
    return News2Response(
        severity=str(chosen["severity"]), minutes=int(chosen["minutes"]), advice=NEWS2_ADVICE[band]
    )


def latest_news2_values(patient: Patient, at: Any) -> dict[str, Any]:
    """The newest value of each NEWS2 parameter within the window before ``at``."""
    window = timedelta(minutes=settings.HEARTH_NEWS2_WINDOW_MINUTES)
    try:
        since = at - window
    except OverflowError:
        # A moment within the window of year 1 (readings are refused long
        # before that, but an old row must not take a whole batch down).
        since = datetime.min.replace(tzinfo=UTC)
    in_window = Observation.objects.filter(
        patient=patient, observed_at__gt=since, observed_at__lte=at
    ).order_by("code", "-observed_at")
    # One row per code whatever the reading rate: DISTINCT ON where the database
    # has it (PostgreSQL), otherwise one indexed look-up per code.
    if connection.features.can_distinct_on_fields:
        rows = list(
            in_window.filter(code__in=NEWS2_CODES).distinct("code").values_list("code", "value")
        )
    else:
        rows = [
            row
            for code in NEWS2_CODES
            if (row := in_window.filter(code=code).values_list("code", "value").first())
        ]
    values: dict[str, Any] = {}
    for code, value in rows:
        parameter = CODES[code].news2
        values[parameter] = value > 0 if parameter == "on_oxygen" else value
    return values


#: Episode states after home care has ended (a death or a discharge).
ENDED_STATES = (
    EpisodeState.DISCHARGED,
    EpisodeState.DECEASED,
    EpisodeState.BEREAVEMENT,
    EpisodeState.CLOSED,
)


def home_care_ended(patient: Patient) -> bool:
    """The person's latest episode ended in a death or a discharge (and the
    service closes alerts then: ``HEARTH_CARE_END_CLOSE_ALERTS``)."""
    if not settings.HEARTH_CARE_END_CLOSE_ALERTS:
        return False
    episode = patient.current_episode
    return episode is not None and episode.state in ENDED_STATES


@dataclass(frozen=True)
class ReadingsAssessment:
    """What a stored batch calls for, read before anything is written for it:
    an equipment fault to raise, and the NEWS2 score to raise (``score`` is
    None when no NEWS2 alert is due). Reading first keeps the audit chain's
    lock, taken by the first audit write and held to the commit, away from
    these look-ups, so devices' batches wait for each other less."""

    patient: Patient
    newest_fault: Observation | None = None
    newest: Observation | None = None
    score: news2.News2 | None = None
    values: dict[str, Any] | None = None
    limits: Thresholds | None = None


@in_service_language
def assess_readings(*, patient: Patient, stored: Sequence[Observation]) -> ReadingsAssessment:
    """The reads of ``evaluate_readings``: oxygen equipment faults in the batch,
    then NEWS2 at the newest reading with the person's goals of care."""
    faults = [o for o in stored if o.code == "oxygen_concentrator_fault" and o.value >= 1]
    newest_fault = max(faults, key=lambda o: o.observed_at) if faults else None
    nothing = ReadingsAssessment(patient=patient, newest_fault=newest_fault)
    if not any(o.code in NEWS2_CODES for o in stored):
        return nothing
    if home_care_ended(patient):
        # A device left on after a death or a discharge: the readings are kept,
        # nobody is paged about a person no longer in the team's care (S31).
        return nothing
    newest = max((o for o in stored if o.code in NEWS2_CODES), key=lambda o: o.observed_at)
    spo2_scale = (
        PersonalThresholds.objects.filter(patient=patient)
        .values_list("spo2_scale", flat=True)
        .first()
    ) or 1
    values = latest_news2_values(patient, newest.observed_at)
    result = news2.score(values, spo2_scale=spo2_scale)
    if result.total == 0:
        return nothing
    # Only when the readings call for an alert: the goals of care decide its routing.
    limits = thresholds_for(patient)
    if limits.routing == PhysiologicalRouting.MUTED:
        return nothing
    if limits.routing == PhysiologicalRouting.COMFORT_CHECK and result.band == "low":
        # An aggregate of 1-4 with no single 3 raised nothing for a person
        # whose care is comfort-focused before the same-day rule came in;
        # a comfort check for it would only add to the alert burden.
        return nothing
    return ReadingsAssessment(
        patient=patient,
        newest_fault=newest_fault,
        newest=newest,
        score=result,
        values=values,
        limits=limits,
    )


@in_service_language
def evaluate_readings(*, patient: Patient, stored: Sequence[Observation], actor: Any) -> None:
    """After a batch is stored: oxygen equipment faults, then NEWS2 at the newest reading."""
    if not stored:
        return
    raise_reading_alerts(assess_readings(patient=patient, stored=stored), actor=actor)


@in_service_language
def raise_reading_alerts(assessment: ReadingsAssessment, *, actor: Any) -> None:
    """The writes of ``evaluate_readings``: the alerts ``assess_readings`` found due."""
    patient = assessment.patient
    newest_fault = assessment.newest_fault
    if newest_fault is not None:
        raise_alert(
            actor=actor,
            patient=patient,
            rule=AlertRule.OXYGEN_EQUIPMENT,
            severity=severity_for("oxygen_equipment"),
            summary=messages.text(gettext_noop("The oxygen concentrator reports a fault.")),
            evidence=[
                Evidence(
                    description=messages.text(
                        gettext_noop("Concentrator fault signal from %(device)s"),
                        device=newest_fault.device.label,
                    ),
                    source="observation",
                    source_id=str(newest_fault.pk),
                    observed_at=newest_fault.observed_at,
                )
            ],
        )
    result, newest, limits = assessment.score, assessment.newest, assessment.limits
    if result is None or newest is None or limits is None:
        return
    values = assessment.values
    response = news2_response(result.band)
    severity, within = response.severity, response.minutes
    advice: Any = response.advice
    routing_note: messages.Message | str = ""
    if limits.routing == PhysiologicalRouting.COMFORT_CHECK:
        # Low, but physiological: the same-day deadline, never the next working day.
        comfort = news2_response("low")
        severity, within = comfort.severity, comfort.minutes
        advice = gettext_lazy(
            "Comfort check: see whether the person is comfortable and what they need."
        )
        routing_note = messages.text(
            gettext_noop("Routed as a comfort check, not an emergency: %(reason)s"),
            reason=limits.routing_reason_param,
        )
    points = messages.Joined(
        [
            messages.text("%(item)s %(score)s", item=NEWS2_PARAMETERS[name], score=points)
            for name, points in result.points.items()
        ]
    )
    description = (
        messages.text(
            gettext_noop(
                "NEWS2 %(total)d (%(band)s): %(points)s — partial, not measured: %(missing)s"
            ),
            total=result.total,
            band=NEWS2_BANDS[result.band],
            points=points,
            missing=messages.Joined([NEWS2_PARAMETERS[name] for name in result.missing]),
        )
        if result.partial
        else messages.text(
            gettext_noop("NEWS2 %(total)d (%(band)s): %(points)s"),
            total=result.total,
            band=NEWS2_BANDS[result.band],
            points=points,
        )
    )
    raise_alert(
        actor=actor,
        patient=patient,
        rule=AlertRule.NEWS2,
        severity=severity,
        # What to do first, so a long list of points never cuts it off.
        summary=messages.text("%(advice)s %(description)s", advice=advice, description=description),
        evidence=[
            Evidence(
                description=description,
                source="observation",
                source_id=str(newest.pk),
                observed_at=newest.observed_at,
                values={"values": values, "points": result.points, "total": result.total},
            )
        ],
        routing_note=routing_note,
        acknowledge_within=within,
    )
