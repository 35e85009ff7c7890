"""Every change to visits that is not the planner's, one module per part of
the work: urgent requests, who works when, the visits each person needs, the
family's time requests, teleconsultations and what happened at each visit.

Each function checks the rules, validates, writes in one transaction and
leaves an audit event. Changes that belong to another app (a PPS score, the
phase of illness, resolving an alert) go through that app's own services, so
they are scored, checked and audited the way they always are.

The public functions are gathered here, so callers write
``from hearth.visits import services`` and ``services.arrive(...)`` without
knowing which module holds them.
"""

from hearth.visits.services.care_end import cancel_at_care_end
from hearth.visits.services.checks import PLANNED_DISCIPLINES
from hearth.visits.services.dispatch import (
    accept_dispatch,
    arrive_at_dispatch,
    board_for,
    decline_dispatch,
    family_window,
    finish_dispatch,
    help_status_for_family,
    latest_for_family,
    offer_to_on_call,
    out_of_planned_hours,
    pass_on_overdue,
    set_on_the_way,
    waiting_for_the_plan,
)
from hearth.visits.services.needs import (
    VISIT_KINDS_FROM_PLAN,
    add_visit_need,
    end_visit_need,
    sync_needs_from_care_plan,
    visit_need_from_intervention,
)
from hearth.visits.services.staff_availability import add_shift, cancel_shift, set_planning_profile
from hearth.visits.services.teleconsults import book_teleconsult
from hearth.visits.services.time_requests import request_visit_time, withdraw_visit_time_request
from hearth.visits.services.urgent import request_urgent_visit, waiting_requests
from hearth.visits.services.visit_record import (
    add_visit_note,
    arrive,
    cancel_visit,
    close_visit,
    linked_alert,
)

__all__ = [
    "PLANNED_DISCIPLINES",
    "VISIT_KINDS_FROM_PLAN",
    "accept_dispatch",
    "add_shift",
    "add_visit_need",
    "add_visit_note",
    "arrive",
    "arrive_at_dispatch",
    "board_for",
    "book_teleconsult",
    "cancel_at_care_end",
    "cancel_shift",
    "cancel_visit",
    "close_visit",
    "decline_dispatch",
    "end_visit_need",
    "family_window",
    "finish_dispatch",
    "help_status_for_family",
    "latest_for_family",
    "linked_alert",
    "offer_to_on_call",
    "out_of_planned_hours",
    "pass_on_overdue",
    "request_urgent_visit",
    "request_visit_time",
    "set_on_the_way",
    "set_planning_profile",
    "sync_needs_from_care_plan",
    "visit_need_from_intervention",
    "waiting_for_the_plan",
    "waiting_requests",
    "withdraw_visit_time_request",
]
