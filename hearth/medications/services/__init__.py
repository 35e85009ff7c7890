"""Every change to medicines: the formulary, prescriptions and their versions,
doses given or not given, the offline-sync review queue, family sign-off per
route, and the controlled-drug register at home.

Each function checks the rules, validates naming the field, writes in one
transaction and leaves an audit event. Pages and the API call these only,
as ``services.prescribe(...)``: this package keeps that one name for callers
while each part of the work lives in its own module:

- ``formulary`` — medicines and opioid conversion factors (administrator);
- ``prescriptions`` — prescribing, changing a dose (a new version), stopping;
- ``family_sign_off`` — a family member signed off to give medicines by a route;
- ``administrations`` — recording doses (the MAR) and marking a wrong record;
- ``offline_review`` — a clinician decides about an offline dose that clashed;
- ``breakthrough`` — three breakthrough doses in 24 hours prompt a review;
- ``controlled_drugs`` — the controlled-drug register at home;
- ``_common`` — what they share (reading numbers and times, locking an order).
"""

from hearth.medications.services.administrations import (
    Recorded,
    mark_administration_entered_in_error,
    record_administration,
)
from hearth.medications.services.breakthrough import breakthrough_doses
from hearth.medications.services.controlled_drugs import close_discrepancy, record_stock
from hearth.medications.services.family_sign_off import revoke_sign_off, sign_off_caregiver
from hearth.medications.services.formulary import update_drug, update_drug_route
from hearth.medications.services.offline_review import resolve_review
from hearth.medications.services.prescriptions import change_order, prescribe, stop_order

__all__ = [
    "Recorded",
    "breakthrough_doses",
    "change_order",
    "close_discrepancy",
    "mark_administration_entered_in_error",
    "prescribe",
    "record_administration",
    "record_stock",
    "resolve_review",
    "revoke_sign_off",
    "sign_off_caregiver",
    "stop_order",
    "update_drug",
    "update_drug_route",
]
