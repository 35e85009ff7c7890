"""The demo's people: the team (staff of every discipline, the medical
commission, the coordinator) and the volunteers who are not on a care team
yet. Families and patient portal accounts belong to each patient's story
(``hearth.demo.stories``). Every demo account shares one published password.
"""

from __future__ import annotations

from typing import Any

from hearth.accounts.models import Discipline, User, UserKind

DEMO_PASSWORD = "hearth-demo-2026"  # noqa: S105 - published demo password  # nosec B105

STAFF: list[dict[str, Any]] = [
    {
        "username": "dr.okafor",
        "first_name": "Ngozi",
        "last_name": "Okafor",
        "discipline": Discipline.PHYSICIAN,
        "sits_on_medical_commission": True,
        "is_clinical_lead": True,
        "phone": "+44 20 7946 0101",
        "spoken_languages": ["en", "ig"],
    },
    {
        "username": "dr.ivanova",
        "first_name": "Elena",
        "last_name": "Ivanova",
        "discipline": Discipline.PHYSICIAN,
        "sits_on_medical_commission": True,
        "phone": "+44 20 7946 0102",
        "spoken_languages": ["en", "ru", "uk"],
        "preferred_language": "ru",
    },
    {
        "username": "dr.hale",
        "first_name": "Simon",
        "last_name": "Hale",
        "discipline": Discipline.COMMISSION_MEMBER,
        "phone": "+44 20 7946 0103",
        "spoken_languages": ["en", "fr"],
    },
    {
        "username": "dr.patel",
        "first_name": "Ravi",
        "last_name": "Patel",
        "discipline": Discipline.PHYSICIAN,
        "phone": "+44 20 7946 0104",
        "spoken_languages": ["en", "hi"],
    },
    {
        "username": "nurse.brennan",
        "first_name": "Siobhan",
        "last_name": "Brennan",
        "discipline": Discipline.NURSE,
        "phone": "+44 20 7946 0201",
        "spoken_languages": ["en"],
    },
    {
        "username": "nurse.sokolova",
        "first_name": "Marina",
        "last_name": "Sokolova",
        "discipline": Discipline.NURSE,
        "phone": "+44 20 7946 0202",
        "spoken_languages": ["en", "ru"],
        "preferred_language": "ru",
    },
    {
        "username": "psych.mensah",
        "first_name": "Kwame",
        "last_name": "Mensah",
        "discipline": Discipline.PSYCHOLOGIST,
        "phone": "+44 20 7946 0301",
        "spoken_languages": ["en"],
    },
    {
        "username": "sw.garcia",
        "first_name": "Lucia",
        "last_name": "Garcia",
        "discipline": Discipline.SOCIAL_WORKER,
        "phone": "+44 20 7946 0302",
        "spoken_languages": ["en", "es"],
    },
    {
        "username": "chaplain.davies",
        "first_name": "Owen",
        "last_name": "Davies",
        "discipline": Discipline.CHAPLAIN,
        "phone": "+44 20 7946 0303",
        "spoken_languages": ["en", "cy"],
    },
    {
        "username": "coord.lewis",
        "first_name": "Hannah",
        "last_name": "Lewis",
        "discipline": Discipline.COORDINATOR,
        "phone": "+44 20 7946 0000",
        "spoken_languages": ["en"],
    },
    {
        "username": "vol.hughes",
        "first_name": "Bethan",
        "last_name": "Hughes",
        "discipline": Discipline.VOLUNTEER,
        "phone": "+44 20 7946 0401",
        "spoken_languages": ["en", "cy"],
    },
    {
        "username": "admin.kaur",
        "first_name": "Priya",
        "last_name": "Kaur",
        "discipline": Discipline.ADMINISTRATOR,
        "phone": "+44 20 7946 0501",
        "spoken_languages": ["en", "pa"],
    },
]


#: Volunteers who join the team in the volunteers part of the demo (Bethan
#: Hughes, already on a care team, is in ``STAFF``).
VOLUNTEERS: list[dict[str, Any]] = [
    {
        "username": "vol.petrova",
        "first_name": "Olga",
        "last_name": "Petrova",
        "phone": "+44 20 7946 0402",
        "spoken_languages": ["ru", "en"],
        "preferred_language": "ru",
    },
    {
        "username": "vol.morgan",
        "first_name": "Gareth",
        "last_name": "Morgan",
        "phone": "+44 20 7946 0403",
        "spoken_languages": ["en"],
    },
]


def staff_member(spec: dict[str, Any]) -> User:
    """The member of staff ``spec`` describes, created on the first run; a later
    run only brings the languages they speak up to date."""
    user = User.objects.filter(username=spec["username"]).first()
    if user is not None:
        languages = spec.get("spoken_languages", [])
        if list(user.spoken_languages or []) != languages:
            user.spoken_languages = languages
            user.save(update_fields=["spoken_languages"])
        return user
    values = {k: v for k, v in spec.items() if k != "username"}
    return User.objects.create_user(
        username=spec["username"], password=DEMO_PASSWORD, kind=UserKind.STAFF, **values
    )


def the_team() -> dict[str, User]:
    """Every member of staff in ``STAFF``, keyed by username (what each part of
    the demo is given to find its people)."""
    return {spec["username"]: staff_member(spec) for spec in STAFF}


def volunteer_account(spec: dict[str, Any]) -> User:
    """A volunteer's sign-in, created the way the team's are; left as it is
    when it already exists."""
    user = User.objects.filter(username=spec["username"]).first()
    if user is not None:
        return user
    values = {key: value for key, value in spec.items() if key != "username"}
    return User.objects.create_user(
        username=spec["username"],
        password=DEMO_PASSWORD,
        kind=UserKind.STAFF,
        discipline=Discipline.VOLUNTEER,
        **values,
    )
