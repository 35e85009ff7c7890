"""Planning pages: the coordinator's day plan, and each staff member's day.

Every write goes through ``hearth.planning.planner``; these pages only read.
The timeline is plain HTML: each visit (and the travel before it) is a block
placed by its share of the day, so it works without JavaScript on a phone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hearth.accounts.models import User
from hearth.core import audit, clock
from hearth.core.audit_events import AuditEventType
from hearth.core.dates import date_format
from hearth.core.errors import DomainError, NotAllowed, NotFound
from hearth.core.web import (
    AuthenticatedRequest,
    Confirmation,
    form_page,
    refusal,
    staff_required,
    unless_confirmed,
)
from hearth.planning import planner, reasons
from hearth.planning.forms import MovePlannedVisitForm, PlanDayForm
from hearth.visits.choices import PlanStatus, UrgentRequestStatus, VisitKind
from hearth.visits.models import (
    DayPlan,
    PlannedVisit,
    Shift,
    UrgentVisitRequest,
    Visit,
    VisitTimeChange,
)

# --- Timeline -----------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "visit" or "travel"
    left: float  # percent of the day shown
    width: float
    label: str
    time: str
    item: Any = None


@dataclass
class Lane:
    staff: Any
    shift: Shift | None
    items: list[Any] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    shift_left: float = 0.0
    shift_width: float = 0.0


def _minutes(moment: dt.datetime) -> int:
    local = timezone.localtime(moment)
    return local.hour * 60 + local.minute


def _span(shifts: Iterable[Shift], items: Iterable[Any]) -> tuple[int, int]:
    """The hours the timeline shows: every shift and visit, at least 08:00–18:00."""
    low, high = 8 * 60, 18 * 60
    for shift in shifts:
        low = min(low, shift.starts_at.hour * 60)
        high = max(high, shift.ends_at.hour * 60 + (60 if shift.ends_at.minute else 0))
    for item in items:
        start, end = _start_end(item)
        if start and end:
            travel = getattr(item, "travel_minutes_before", 0)
            low = min(low, max(0, _minutes(start) - travel) // 60 * 60)
            high = max(high, min(24 * 60, (_minutes(end) + 59) // 60 * 60))
    return low, high


def _start_end(item: Any) -> tuple[dt.datetime | None, dt.datetime | None]:
    if isinstance(item, PlannedVisit):
        return item.starts_at, item.ends_at
    return item.planned_start, item.planned_end


def _percent(value: int, low: int, high: int) -> float:
    return round(100 * (value - low) / max(1, high - low), 2)


def _lanes(day: dt.date, items: list[Any]) -> tuple[list[Lane], list[str]]:
    shifts = {
        shift.staff_id: shift
        for shift in Shift.objects.current().filter(date=day).select_related("staff")
    }
    low, high = _span(shifts.values(), items)
    lanes: dict[int, Lane] = {
        staff_id: Lane(staff=shift.staff, shift=shift) for staff_id, shift in shifts.items()
    }
    for item in items:
        start, end = _start_end(item)
        if item.staff_id is None or start is None or end is None:
            continue
        lane = lanes.setdefault(item.staff_id, Lane(staff=item.staff, shift=None))
        lane.items.append(item)
        begin, finish = _minutes(start), _minutes(end)
        travel = getattr(item, "travel_minutes_before", 0)
        if travel:
            lane.blocks.append(
                Block(
                    "travel",
                    max(0.0, _percent(begin - travel, low, high)),
                    _percent(low + travel, low, high),
                    _("%(minutes)s min travel") % {"minutes": travel},
                    "",
                )
            )
        lane.blocks.append(
            Block(
                "visit",
                _percent(begin, low, high),
                _percent(low + max(finish - begin, 1), low, high),
                item.patient.full_name,
                f"{formats.time_format(timezone.localtime(start), 'H:i')}–"
                f"{formats.time_format(timezone.localtime(end), 'H:i')}",
                item,
            )
        )
    for lane in lanes.values():
        if lane.shift is not None:
            starts = lane.shift.starts_at.hour * 60 + lane.shift.starts_at.minute
            ends = lane.shift.ends_at.hour * 60 + lane.shift.ends_at.minute
            lane.shift_left = _percent(starts, low, high)
            lane.shift_width = _percent(low + ends - starts, low, high)
        lane.items.sort(key=lambda i: _start_end(i)[0] or timezone.now())
    hours = [f"{h:02d}:00" for h in range(low // 60, high // 60)]
    ordered = sorted(lanes.values(), key=lambda lane: (lane.staff.discipline, str(lane.staff)))
    return ordered, hours


# --- The coordinator's page ---------------------------------------------------------


def _day_from(request: HttpRequest) -> dt.date:
    value = request.GET.get("date") or request.POST.get("date") or ""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return clock.today()


def _plan_url(day: dt.date) -> str:
    return f"{reverse('visit_plan')}?date={day.isoformat()}"


def _refuse_unless_planner(request: AuthenticatedRequest) -> None:
    if not request.user.has_perm(planner.PLAN_PERM):
        raise NotAllowed(_("Only the care coordinator plans the team's day."))


@staff_required
def plan_page(request: AuthenticatedRequest) -> HttpResponse:
    try:
        _refuse_unless_planner(request)
    except DomainError as error:
        return refusal(request, error)
    day = _day_from(request)
    plans = {
        plan.status: plan
        for plan in DayPlan.objects.filter(
            date=day, status__in=[PlanStatus.DRAFT, PlanStatus.PUBLISHED]
        )
    }
    draft, published = plans.get(PlanStatus.DRAFT), plans.get(PlanStatus.PUBLISHED)
    items: list[Any] = []
    unplaced: list[PlannedVisit] = []
    if draft is not None:
        rows = list(
            draft.planned_visits.select_related("patient", "staff", "need", "urgent_request")
        )
        items = [row for row in rows if row.staff_id]
        unplaced = [row for row in rows if not row.staff_id]
    elif published is not None:
        items = list(
            Visit.objects.not_cancelled()
            .filter(date=day, kind=VisitKind.HOME_VISIT)
            .select_related("patient", "staff")
        )
        # What the published plan could not place stays in view: someone
        # still has to arrange those visits.
        unplaced = list(
            published.planned_visits.filter(staff__isnull=True).select_related(
                "patient", "need", "urgent_request"
            )
        )
    if unplaced:
        staff = reasons.day_staff(day)
        for row in unplaced:
            row.unplaced_text = reasons.unplaced_text(row, staff)  # type: ignore[attr-defined]
    lanes, hours = _lanes(day, items)
    today = clock.today()
    waiting = list(
        UrgentVisitRequest.objects.filter(for_date=day, status=UrgentRequestStatus.WAITING)
        .select_related("patient", "requested_by")
        .order_by("requested_at")
    )
    changes = list(
        VisitTimeChange.objects.filter(visit__date=day)
        .select_related("visit__patient", "old_staff", "new_staff", "family_told_by")
        .order_by("family_told_at", "-changed_at")
    )
    audit.record_list_view(
        actor=request.user,
        event_type=AuditEventType.VISIT_PLAN_VIEWED,
        patients={item.patient for item in [*items, *unplaced]} | {r.patient for r in waiting},
    )
    return render(
        request,
        "planning/plan_day.html",
        {
            "day": day,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "form": PlanDayForm(initial={"date": day}),
            "draft": draft,
            "published": published,
            "lanes": lanes,
            "hours": hours,
            "unplaced": unplaced,
            "waiting": waiting,
            "can_insert": published is not None and day == today,
            "can_plan": day >= today and published is None,
            "changes": changes,
        },
    )


@staff_required
@require_POST
def run_plan(request: AuthenticatedRequest) -> HttpResponse:
    form = PlanDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a day to plan."))
        return redirect(_plan_url(clock.today()))
    day = form.cleaned_data["date"]
    try:
        plan = planner.plan_day(actor=request.user, date=day)
    except NotAllowed as error:
        return refusal(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_plan_url(day))
    placed = plan.planned_visits.filter(staff__isnull=False).count()
    unplaced = plan.planned_visits.filter(staff__isnull=True).count()
    messages.success(
        request,
        _("Draft plan ready. Placed: %(placed)s; not placed: %(unplaced)s.")
        % {"placed": placed, "unplaced": unplaced},
    )
    return redirect(_plan_url(day))


@staff_required
@require_POST
def publish(request: AuthenticatedRequest, plan_id: Any) -> HttpResponse:
    try:
        _refuse_unless_planner(request)
        plan = DayPlan.objects.filter(external_id=plan_id).first()
        if plan is None:
            raise NotFound(_("Not found."))
        unplaced = plan.planned_visits.filter(staff__isnull=True).count()
        if unplaced and plan.status == PlanStatus.DRAFT:
            placed = plan.planned_visits.filter(staff__isnull=False).count()
            asking = unless_confirmed(
                request,
                Confirmation(
                    question=ngettext(
                        "Publish the plan for %(day)s with %(count)d visit not placed?",
                        "Publish the plan for %(day)s with %(count)d visits not placed?",
                        unplaced,
                    )
                    % {"day": date_format(plan.date, "l, j E"), "count": unplaced},
                    consequence=ngettext(
                        "The %(placed)d placed visits go to the staff and their families are "
                        "told the times. Nobody is sent to the visit not placed: arrange it "
                        "by hand.",
                        "The %(placed)d placed visits go to the staff and their families are "
                        "told the times. Nobody is sent to the visits not placed: arrange them "
                        "by hand.",
                        unplaced,
                    )
                    % {"placed": placed},
                    yes_label=_("Yes, publish"),
                ),
                back_url=_plan_url(plan.date),
            )
            if asking is not None:
                return asking
        visits = planner.publish_plan(actor=request.user, plan=plan)
    except (NotAllowed, NotFound) as error:
        return refusal(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_plan_url(_day_from(request)))
    messages.success(
        request,
        _("Plan published. Visits: %(count)s. Staff see them on their day.")
        % {"count": len(visits)},
    )
    return redirect(_plan_url(plan.date))


@staff_required
def move(request: AuthenticatedRequest, planned_id: int) -> HttpResponse:
    try:
        _refuse_unless_planner(request)
        row = (
            PlannedVisit.objects.select_related("plan", "patient", "staff", "urgent_request")
            .filter(pk=planned_id)
            .first()
        )
        if row is None:
            raise NotFound(_("Not found."))
    except DomainError as error:
        return refusal(request, error)
    form = MovePlannedVisitForm(
        request.POST or None,
        day=row.plan.date,
        initial={
            "staff": row.staff,
            "start": timezone.localtime(row.starts_at).time() if row.starts_at else None,
        },
    )

    def perform(data: dict[str, Any]) -> PlannedVisit:
        return planner.move_planned_visit(
            actor=request.user,
            planned_visit=row,
            staff=data["staff"],
            start=form.start_at(),
        )

    return form_page(
        request,
        form=form,
        title=_("Move %(name)s's visit") % {"name": row.patient.full_name},
        perform=perform,
        success_url=lambda _result: _plan_url(row.plan.date),
        success_message=_("Visit moved."),
        submit_label=_("Move the visit"),
        template="planning/plan_move.html",
        context={
            "row": row,
            "unplaced_text": reasons.unplaced_text(row),
            "windows": [
                f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"
                for start, end in row.windows
            ],
            "back_url": _plan_url(row.plan.date),
        },
    )


@staff_required
@require_POST
def insert_urgent(request: AuthenticatedRequest, request_id: Any) -> HttpResponse:
    try:
        _refuse_unless_planner(request)
        urgent = UrgentVisitRequest.objects.filter(external_id=request_id).first()
        if urgent is None:
            raise NotFound(_("Not found."))
        report = planner.insert_urgent_visit(actor=request.user, request=urgent)
    except (NotAllowed, NotFound) as error:
        return refusal(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_plan_url(clock.today()))
    if report.visit is not None:
        messages.success(
            request,
            _(
                "Urgent visit placed: %(who)s, about %(time)s. %(moved)s other visits moved: "
                "tell those families (below)."
            )
            % {
                "who": report.visit.staff.display_name,
                "time": formats.time_format(timezone.localtime(report.visit.planned_start), "H:i"),
                "moved": len(report.moved),
            },
        )
    else:
        messages.warning(
            request,
            _("The urgent visit could not be placed: %(reason)s It is still waiting.")
            % {"reason": report.reason_label},
        )
    return redirect(_plan_url(clock.today()))


@staff_required
@require_POST
def family_told(request: AuthenticatedRequest, change_id: int) -> HttpResponse:
    try:
        _refuse_unless_planner(request)
        change = VisitTimeChange.objects.select_related("visit").filter(pk=change_id).first()
        if change is None:
            raise NotFound(_("Not found."))
        planner.mark_family_told(actor=request.user, change=change)
    except (NotAllowed, NotFound) as error:
        return refusal(request, error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_plan_url(clock.today()))
    messages.success(request, _("Marked as told."))
    return redirect(_plan_url(change.visit.date))


# --- A staff member's day -----------------------------------------------------------


def _day_page(request: AuthenticatedRequest, member: User) -> HttpResponse:
    day = _day_from(request)
    visits = list(
        Visit.objects.not_cancelled()
        .filter(staff=member, date=day)
        .select_related("patient", "need", "alert")
        .order_by("planned_start", "pk")
    )
    audit.record_list_view(
        actor=request.user,
        event_type=AuditEventType.STAFF_DAY_VIEWED,
        patients={v.patient for v in visits},
    )
    shift = Shift.objects.current().filter(staff=member, date=day).first()
    own = member.pk == request.user.pk
    return render(
        request,
        "planning/staff_day.html",
        {
            "member": member,
            "own": own,
            "day": day,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "shift": shift,
            "visits": visits,
            "here": reverse("my_visit_day")
            if own
            else reverse("staff_visit_day", args=[member.external_id]),
        },
    )


@staff_required
def my_day(request: AuthenticatedRequest) -> HttpResponse:
    return _day_page(request, request.user)


@staff_required
def staff_day(request: AuthenticatedRequest, staff_id: Any) -> HttpResponse:
    member = User.objects.filter(external_id=staff_id).first()
    if member is None or not request.user.has_perm("visits.view_staff_day", member):
        error: DomainError = (
            NotFound(_("Not found."))
            if member is None
            else NotAllowed(_("You can see your own day; the coordinator sees everyone's."))
        )
        return refusal(request, error)
    return _day_page(request, member)


urlpatterns: list[URLPattern] = [
    path("visits/plan/", plan_page, name="visit_plan"),
    path("visits/plan/run/", run_plan, name="visit_plan_run"),
    path("visits/plan/<uuid:plan_id>/publish/", publish, name="visit_plan_publish"),
    path("visits/planned/<int:planned_id>/move/", move, name="planned_visit_move"),
    path("visits/urgent/<uuid:request_id>/insert/", insert_urgent, name="urgent_visit_insert"),
    path(
        "visits/time-changes/<int:change_id>/family-told/",
        family_told,
        name="visit_time_change_told",
    ),
    path("visits/my-day/", my_day, name="my_visit_day"),
    path("visits/staff/<uuid:staff_id>/day/", staff_day, name="staff_visit_day"),
]
