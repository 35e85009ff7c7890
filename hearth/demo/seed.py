"""The demo told part by part, in the order the service would have lived it:
the team, each patient's journey, then profiles and plans, monitoring,
medicines, visits, equipment, volunteers, family support, the directory,
bereavement, the team's own support, and a demo e-mail address for every
login. Each part reads what the earlier ones left (visit needs come from the
care plans, alerts need the on-call roster), so the order matters; within a
part, the patients are told in the order each part has always told them.

Every part is safe to run again: a patient or service-wide record that already
exists is left as it is, so a second run adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from hearth.accounts.models import User
from hearth.caregiving.models import TrainingRecord
from hearth.core import clock
from hearth.demo import directory, on_call, team_support, visit_plan, volunteers
from hearth.demo.allergies import seed_allergies
from hearth.demo.contact_points import seed_contact_points
from hearth.demo.equipment_store import ITEMS, Store, stock_the_store, user_named
from hearth.demo.family_support import Family
from hearth.demo.journey import tell_journey
from hearth.demo.medicine_chart import Chart
from hearth.demo.people import VOLUNTEERS, the_team, volunteer_account
from hearth.demo.profile_and_plans import Scene
from hearth.demo.stories import adeyemi, cohen, hassan, kuznetsova, obrien, smirnov, whitaker
from hearth.demo.symptom_week import Story, today_stretch
from hearth.equipment.models import EquipmentItem
from hearth.medications.models import MedicationOrder
from hearth.monitoring.models import CheckIn
from hearth.patients.choices import EpisodeState
from hearth.patients.models import Patient
from hearth.personhood.models import ValuesAndGoals
from hearth.team import services as team_services
from hearth.volunteers.choices import Activity, TrainingModule

#: Every story, in the order the patients were referred.
STORIES = (hassan, smirnov, obrien, cohen, kuznetsova, whitaker, adeyemi)


def seed_everything() -> tuple[dict[str, User], int]:
    """The whole demo, once; returns the team and how many patients were new."""
    staff = the_team()
    created = seed_journeys(staff)
    seed_personal_care(staff)
    seed_monitoring(staff)
    seed_medicines(staff)
    seed_allergies(staff)
    seed_visits(staff)
    seed_equipment(staff)
    seed_volunteers(staff)
    seed_caregiving(staff)
    seed_directory(staff)
    seed_bereavement(staff)
    seed_team(staff)
    seed_contact_points(staff.values(), [story.RECORD_NUMBER for story in STORIES])
    return staff, created


def seed_journeys(staff: dict[str, User]) -> int:
    """Each patient referred and taken as far as their story goes, once."""
    created = 0
    for story in STORIES:
        demo = story.PATIENT
        if Patient.objects.filter(record_number=demo.patient["record_number"]).exists():
            continue
        with transaction.atomic():
            tell_journey(demo, staff)
        created += 1
    return created


def _patient(record_number: str) -> Patient | None:
    return Patient.objects.filter(record_number=record_number).first()


def _in_care(record_number: str) -> Patient | None:
    patient = _patient(record_number)
    return patient if patient is not None and patient.is_receiving_care else None


def seed_personal_care(staff: dict[str, User]) -> None:
    """Each patient's profile and plans, once (a patient whose profile exists is left)."""
    today = clock.today()
    for story in STORIES:
        patient = _patient(story.RECORD_NUMBER)
        if patient is None or ValuesAndGoals.objects.filter(patient=patient).exists():
            continue
        with transaction.atomic():
            story.profile_and_plans(Scene(patient=patient, staff=staff, today=today))


def seed_monitoring(staff: dict[str, User]) -> None:
    """The on-call roster, then each patient in care's week of monitoring, once."""
    now, today = clock.now(), clock.today()
    on_call.seed_on_call_roster(staff, today)
    recent = today_stretch(now, today)
    for story in (hassan, smirnov, whitaker):
        patient = _in_care(story.RECORD_NUMBER)
        if patient is None or CheckIn.objects.filter(patient=patient).exists():
            continue
        with transaction.atomic():
            story.symptom_week(Story(patient=patient, staff=staff, today=today, recent=recent))


def seed_medicines(staff: dict[str, User]) -> None:
    """Each patient in care's medicines, once (a patient with orders is left)."""
    now, today = clock.now(), clock.today()
    recent = today_stretch(now, today)
    for story in (hassan, smirnov, whitaker):
        patient = _in_care(story.RECORD_NUMBER)
        if patient is None or MedicationOrder.objects.filter(patient=patient).exists():
            continue
        with transaction.atomic():
            story.medicines(Chart(patient=patient, staff=staff, today=today, recent=recent))


def seed_visits(staff: dict[str, User]) -> None:
    """Each part once; after the care plans, monitoring and medicines, since
    visit needs come from the care plans. Today is planned outside the
    transaction: the planner searches first and writes after."""
    coordinator = visit_plan.user_named(staff, visit_plan.COORDINATOR)
    if coordinator is None:
        return
    with transaction.atomic():
        visit_plan.planning_profiles(coordinator, staff)
        visit_plan.shifts(coordinator, staff)
        visit_plan.needs_from_care_plans(coordinator)
        hassan.visit_time_request(staff)
        smirnov.teleconsult(staff)
        whitaker.yesterdays_visit(staff)
    visit_plan.todays_plan(coordinator)


def seed_equipment(staff: dict[str, User]) -> None:
    """The store, then what each home has; nothing when the store already holds the demo items."""
    coordinator = user_named(staff, "coord.lewis")
    brennan = user_named(staff, "nurse.brennan")
    sokolova = user_named(staff, "nurse.sokolova")
    if coordinator is None or brennan is None or sokolova is None:
        return
    if EquipmentItem.objects.filter(serial_number__in=list(ITEMS)).exists():
        return
    with transaction.atomic():
        store = Store(
            items=stock_the_store(coordinator),
            coordinator=coordinator,
            brennan=brennan,
            sokolova=sokolova,
        )
        for story in (smirnov, hassan, whitaker, kuznetsova):
            patient = _patient(story.RECORD_NUMBER)
            if patient is not None:
                story.equipment(store, patient)


def seed_volunteers(staff: dict[str, User]) -> None:
    """The volunteers' profiles and their work with the Hassans and the Smirnovs."""
    coordinator = staff["coord.lewis"]
    hughes = staff["vol.hughes"]
    petrova, morgan = (volunteer_account(spec) for spec in VOLUNTEERS)
    today = clock.today()

    # Profiles are dated three weeks back so Bethan's sitting can have started then.
    with clock.travel_to(volunteers.moment(today - timedelta(days=21))):
        bethan = volunteers.volunteer_profile(
            coordinator,
            hughes,
            started_years_ago=2,
            offers=[Activity.SITTING, Activity.COMPANIONSHIP, Activity.BEREAVEMENT_BEFRIENDING],
            area="Tower Hamlets and Hackney",
            modules=volunteers.ALL_MODULES,
            slots=[(1, "13:00", "17:30"), (3, "10:00", "13:00")],
        )
        hassan.volunteer_sitting(coordinator, hughes)

    volunteers.volunteer_profile(
        coordinator,
        petrova,
        started_years_ago=1,
        offers=[Activity.COMPANIONSHIP, Activity.ERRANDS],
        area="Kensington and Chelsea",
        modules=volunteers.ALL_MODULES,
        slots=[(0, "10:00", "13:00"), (4, "14:00", "18:00")],
    )
    volunteers.volunteer_profile(
        coordinator,
        morgan,
        started_years_ago=0,
        offers=[Activity.TRANSPORT, Activity.ERRANDS],
        area="Islington",
        # Safeguarding, palliative-care awareness and manual handling still to do.
        modules=[TrainingModule.INDUCTION, TrainingModule.CONFIDENTIALITY],
        slots=[(2, "09:00", "12:00")],
    )
    volunteers.holiday(hughes, bethan, today)
    smirnov.volunteer_companion(coordinator, petrova, today)


def seed_caregiving(staff: dict[str, User]) -> None:
    """Each family in care's training and support, once."""
    today = clock.today()
    for story in (hassan, smirnov, whitaker):
        patient = _patient(story.RECORD_NUMBER)
        if patient is None:
            continue
        episode = patient.current_episode
        if episode is None or episode.state != EpisodeState.ACTIVE:
            continue
        family = Family(patient, staff, today)
        with transaction.atomic():
            if not TrainingRecord.objects.filter(patient=patient).exists():
                story.family_training(family)
            story.family_support(family)


def seed_directory(staff: dict[str, User]) -> None:
    """The boroughs and entries, then each family's next steps, once each."""
    coordinator = staff[directory.COORDINATOR]
    directory.regions(coordinator)
    entries = directory.entries(coordinator)
    for story in (hassan, smirnov, whitaker):
        patient = _patient(story.RECORD_NUMBER)
        if patient is None:
            continue
        for name, username, note, status, changed_by in story.NEXT_STEPS:
            directory.attach_next_step(
                patient, entries[name], staff[username], note, status, changed_by
            )
    kuznetsova.steps_after_death(staff, entries)


def seed_bereavement(staff: dict[str, User]) -> None:
    """Andrei Kuznetsov's follow-up after his mother's death."""
    kuznetsova.bereavement(staff)


def seed_team(staff: dict[str, User]) -> None:
    """The team's courses, training, reminders, check-ins and debriefs, once."""
    admin = staff.get("admin.kaur")
    if admin is None:
        return
    courses = team_support.mandatory_courses(admin)
    team_support.training(staff, courses)
    team_services.send_training_reminders()
    this_month = team_services.month_of(clock.today())
    last_month = team_services.month_of(this_month - timedelta(days=1))
    team_support.wellbeing_check_ins(staff, last_month, team_support.LAST_MONTH)
    team_support.wellbeing_check_ins(staff, this_month, team_support.THIS_MONTH)
    kuznetsova.team_debrief(staff)
