"""The directory for the demo, written through the same services the
coordinator and the care teams use: the London boroughs the demo families
live in (Tower Hamlets, Hackney, Camden, Kensington and Chelsea, Westminster,
Barnet, Southwark) and about twenty entries: equipment loan stores, the
wheelchair service, the home oxygen supplier, benefits and attendance
allowance advice, the register offices, power of attorney, a Russian-speaking
counselling service, an imam, a rabbi, an Orthodox priest, a Pentecostal
pastor, funeral directors (one Muslim funeral service), a respite home, a
volunteer sitting service, a carers' centre and community transport, in the
languages the families speak. One entry was last checked over a year ago, so
it shows as due for review. The next steps each family was given are in their
patient's story.

Organisations, people, phone numbers (Ofcom's drama range) and web
addresses are invented.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hearth.accounts.models import User
from hearth.core import clock
from hearth.directory import services as directory_services
from hearth.directory.choices import ALL_REGIONS, TOPIC_CATEGORY, Faith, NextStepStatus, Topic
from hearth.directory.models import DirectoryEntry, NextStep, Region
from hearth.patients.models import Patient

COORDINATOR = "coord.lewis"

REGIONS: list[tuple[str, str]] = [
    ("tower-hamlets", "Tower Hamlets"),
    ("hackney", "Hackney"),
    ("camden", "Camden"),
    ("kensington-chelsea", "Kensington and Chelsea"),
    ("westminster", "Westminster"),
    ("barnet", "Barnet"),
    ("southwark", "Southwark"),
]

EAST = ["tower-hamlets", "hackney"]
NORTH = ["camden", "barnet"]
WEST = ["kensington-chelsea", "westminster"]
ALL = [ALL_REGIONS]


def _entry(
    name: str,
    topic: Topic,
    regions: list[str],
    description: str,
    *,
    organisation: str = "",
    how_to: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
    opening_hours: str = "",
    languages: list[str] | None = None,
    faiths_served: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "category": TOPIC_CATEGORY[topic],
        "topic": topic,
        "name": name,
        "organisation": organisation,
        "description": description,
        "how_to": how_to,
        "regions": regions,
        "address": address,
        "phone": phone,
        "email": email,
        "website": website,
        "opening_hours": opening_hours,
        "languages": languages or ["en"],
        "faiths_served": faiths_served or [],
    }


ENTRIES: list[dict[str, Any]] = [
    _entry(
        "East and North London Community Equipment Store",
        Topic.EQUIPMENT_LOAN,
        EAST + NORTH,
        "Free loan of hospital beds, pressure-relieving mattresses, commodes, "
        "hoists and shower chairs for people cared for at home.",
        organisation="North East London Integrated Care Board",
        how_to="Your nurse or occupational therapist orders the equipment; you cannot "
        "order it yourself. Delivery is usually within two working days (same day "
        "for urgent end-of-life orders placed before 1 pm). Keep the delivery note: "
        "it has the number to call for repairs and for collection when the "
        "equipment is no longer needed.",
        address="Unit 4, Lea Valley Trading Estate, London E10 7QZ",
        phone="020 7946 0101",
        opening_hours="Mon–Fri 8:00–18:00; Sat 9:00–13:00 for urgent deliveries",
        website="https://equipment.example.org/north-east-london",
        languages=["en", "bn", "tr"],
    ),
    _entry(
        "West and South London Community Equipment Store",
        Topic.EQUIPMENT_LOAN,
        [*WEST, "southwark"],
        "Free loan of beds, mattresses, commodes, walking frames and bathing aids "
        "for people living at home.",
        organisation="Tri-borough Community Equipment Service",
        how_to="Ordered by your nurse, therapist or social worker. Ring the store to "
        "arrange a delivery time or a collection; repairs are free.",
        address="12 Wharf Road, London SW6 2TB",
        phone="020 7946 0102",
        opening_hours="Mon–Fri 8:30–17:30",
        website="https://equipment.example.org/west-london",
        languages=["en", "ar", "pl"],
    ),
    _entry(
        "NHS Wheelchair Service",
        Topic.WHEELCHAIRS,
        ALL,
        "Assessment for and loan of manual and powered wheelchairs and cushions, "
        "with a fast track for people who are terminally ill.",
        organisation="London Wheelchair and Seating Service",
        how_to="A referral comes from the GP, nurse or therapist; ask them to mark it "
        "“fast track: end of life”. A therapist phones within 2 working days to "
        "arrange an assessment at home.",
        phone="020 7946 0103",
        opening_hours="Mon–Fri 9:00–17:00",
        email="wheelchairs@example.org",
        languages=["en", "ru", "ar", "bn"],
    ),
    _entry(
        "Home oxygen supplier (London)",
        Topic.OXYGEN,
        ALL,
        "Delivers, installs and services oxygen concentrators and cylinders prescribed "
        "by the hospital or palliative team, with a 24-hour line for faults.",
        organisation="AirCare Home Oxygen",
        how_to="Oxygen is ordered by the clinician on a Home Oxygen Order Form. The "
        "engineer installs it and explains fire safety; they tell the fire service "
        "with your agreement. Call the 24-hour line if the concentrator alarms or "
        "you run low on cylinders.",
        phone="0800 555 0190",
        opening_hours="24 hours, every day",
        website="https://aircare.example.org",
        languages=["en"],
    ),
    _entry(
        "East London Advice Centre: attendance allowance and benefits",
        Topic.DISABILITY,
        EAST,
        "Free, confidential help to claim Attendance Allowance, Personal Independence "
        "Payment, Carer's Allowance and Council Tax reduction, including claims under "
        "the special rules for end of life.",
        organisation="East London Advice Centre",
        how_to="Phone for an appointment, or come to the drop-in on Tuesday mornings. "
        "Bring: the person's National Insurance number, NHS letters about the "
        "illness, bank details, and the SR1 form if the doctor has given one. An "
        "adviser can fill in the form with you by phone.",
        address="101 Whitechapel Road, London E1 1DT",
        phone="020 7946 0105",
        opening_hours="Mon–Thu 9:30–16:30; drop-in Tue 10:00–12:30",
        email="advice@eastlondonadvice.example.org",
        languages=["en", "bn", "ur", "tr", "ar"],
    ),
    _entry(
        "Special rules for end of life: benefits by phone",
        Topic.DISABILITY,
        ALL,
        "A faster claim for Attendance Allowance, PIP or Universal Credit for someone "
        "who may have less than 12 months to live. No waiting period and no "
        "face-to-face assessment.",
        organisation="Department for Work and Pensions",
        how_to="1. Ask the doctor or specialist nurse for an SR1 form (they send it "
        "to the DWP). 2. Phone the claim line and say you are claiming under the "
        "special rules. 3. Someone else may make the claim for the person, without "
        "their signature.",
        phone="0800 555 0106",
        opening_hours="Mon–Fri 8:00–18:00",
        website="https://benefits.example.org/special-rules",
        languages=["en"],
    ),
    _entry(
        "Cancer money advice line",
        Topic.BENEFITS,
        ALL,
        "Specialist welfare-rights advisers for people affected by cancer and their "
        "carers: benefits, grants, debt, mortgage and travel costs.",
        organisation="Cancer Support Charity",
        phone="0808 555 0107",
        opening_hours="Mon–Fri 8:00–20:00",
        website="https://cancersupport.example.org/money",
        languages=["en", "ru", "ar", "ur", "bn"],
    ),
    _entry(
        "Westminster Register Office: registering a death",
        Topic.DEATH_REGISTRATION,
        WEST,
        "Registers deaths that happened in Westminster and Kensington and Chelsea and "
        "issues the green form for the funeral director and death certificates.",
        organisation="Westminster City Council",
        how_to="Register within 5 days, by appointment (in person or by video). The "
        "medical certificate is sent to the register office by the medical examiner: "
        "wait for their call before booking. Bring, if you have them: the person's NHS "
        "number, date and place of birth, last address, occupation, and details of "
        "their husband, wife or civil partner. Certificates cost £12.50 each; order "
        "several for banks and pensions. Ask about Tell Us Once.",
        address="Westminster Council House, 97 Marylebone Road, London NW1 5PT",
        phone="020 7946 0108",
        opening_hours="Mon–Fri 9:00–16:30 by appointment",
        website="https://registers.example.org/westminster",
        languages=["en", "ar"],
    ),
    _entry(
        "Tower Hamlets Register Office: registering a death",
        Topic.DEATH_REGISTRATION,
        EAST,
        "Registers deaths in Tower Hamlets and Hackney, with an out-of-hours service "
        "for urgent burials for faith reasons.",
        organisation="London Borough of Tower Hamlets",
        how_to="Register within 5 days, by appointment. For an urgent burial (Muslim "
        "or Jewish) at a weekend or bank holiday, ring the out-of-hours number after "
        "the doctor has confirmed the cause of death. Bring the person's NHS number, "
        "date and place of birth and last address.",
        address="Town Hall, 160 Whitechapel Road, London E1 1BJ",
        phone="020 7946 0109",
        opening_hours="Mon–Fri 9:00–16:00; out of hours for urgent burials 020 7946 0119",
        languages=["en", "bn", "ur"],
    ),
    _entry(
        "Lasting power of attorney: making one",
        Topic.POWER_OF_ATTORNEY,
        ALL,
        "How to give someone you trust the legal power to make decisions about your "
        "health and care, or your money and property, if you can no longer decide.",
        organisation="Office of the Public Guardian",
        how_to="Fill in the forms online or on paper while the person can still make "
        "the decision. A certificate provider (someone who has known them for two "
        "years, or a professional) must sign. Registration takes several weeks and "
        "costs £82; ask about a fee exemption on a low income. Tell the team once it "
        "is registered so it goes in the record.",
        phone="0300 555 0110",
        opening_hours="Mon–Fri 9:30–17:00",
        website="https://lpa.example.org",
        languages=["en"],
    ),
    _entry(
        "Doveriye: counselling in Russian",
        Topic.COUNSELLING,
        ALL,
        "Counselling for people facing serious illness and for bereaved relatives, in "
        "Russian and Ukrainian, at home, by video or at the centre.",
        organisation="Doveriye Counselling Service",
        how_to="Phone or email to ask for a first conversation; self-referral is "
        "welcome. Up to 12 sessions, free for carers and bereaved relatives.",
        address="23 Holland Park Avenue, London W11 3RW",
        phone="020 7946 0111",
        email="help@doveriye.example.org",
        opening_hours="Mon–Sat 10:00–19:00",
        languages=["ru", "uk", "en"],
    ),
    _entry(
        "Imam Abdullah Karim (Whitechapel Community Mosque)",
        Topic.FAITH_LEADERS,
        EAST,
        "Visits Muslim patients and families at home: prayer, Qur'an recitation, "
        "support at the end of life and guidance on washing and burial.",
        organisation="Whitechapel Community Mosque",
        how_to="Call the mosque office and ask for the imam's home visits; for a visit "
        "at the end of life, say it is urgent and he will come the same day.",
        address="40 Fieldgate Street, London E1 1ES",
        phone="020 7946 0112",
        opening_hours="Office daily 10:00–20:00",
        languages=["en", "ar", "bn", "ur"],
        faiths_served=[Faith.MUSLIM],
    ),
    _entry(
        "Rabbi David Levy (community chaplaincy)",
        Topic.FAITH_LEADERS,
        NORTH,
        "Jewish chaplaincy at home: visits, prayers, Vidui at the end of life, and "
        "help to contact the chevra kadisha and arrange a burial quickly.",
        organisation="North London Jewish Chaplaincy",
        how_to="Phone the chaplaincy; outside Shabbat and festivals the rabbi returns "
        "calls the same day.",
        phone="020 7946 0113",
        opening_hours="Sun–Thu 9:00–18:00; Fri until 13:00",
        languages=["en", "he"],
        faiths_served=[Faith.JEWISH],
    ),
    _entry(
        "Fr Sergei Morozov (Orthodox parish of St Nicholas)",
        Topic.FAITH_LEADERS,
        WEST,
        "An Orthodox priest who visits at home for confession, Holy Communion and "
        "Holy Unction, and prays with the family at the time of death.",
        organisation="Russian Orthodox Parish of St Nicholas",
        how_to="Call the parish; Father Sergei speaks Russian and English. For the "
        "prayers at the time of death, call at any hour.",
        address="7 Ennismore Mews, London SW7 1AP",
        phone="020 7946 0114",
        languages=["ru", "en"],
        faiths_served=[Faith.ORTHODOX],
    ),
    _entry(
        "Pastor Grace Okonkwo (Living Word Church, Peckham)",
        Topic.FAITH_LEADERS,
        ["southwark"],
        "A Pentecostal pastor who visits at home to pray, sing and read with the "
        "person and family, and leads services of thanksgiving.",
        organisation="Living Word Pentecostal Church",
        phone="020 7946 0115",
        opening_hours="Church office Tue–Sat 10:00–16:00",
        languages=["en", "ig"],
        faiths_served=[Faith.PENTECOSTAL],
    ),
    _entry(
        "Hartley & Sons Funeral Directors",
        Topic.FUNERAL_SERVICES,
        WEST + NORTH,
        "Family funeral directors: collection from home at any hour, burial or "
        "cremation, religious and non-religious services.",
        organisation="Hartley & Sons",
        how_to="Call at any time after the death has been verified; they come to the "
        "home within a few hours. Ask for a written estimate; funeral payments from "
        "the DWP may help with costs on a low income.",
        address="58 Edgware Road, London W2 2EH",
        phone="020 7946 0116",
        opening_hours="24 hours for collection; office Mon–Sat 9:00–17:00",
        website="https://hartleyfunerals.example.org",
        languages=["en", "ru", "pl"],
        faiths_served=[
            Faith.ANGLICAN,
            Faith.CATHOLIC,
            Faith.ORTHODOX,
            Faith.OTHER_CHRISTIAN,
            Faith.HUMANIST,
        ],
    ),
    _entry(
        "Al-Rahma Muslim Funeral Service",
        Topic.FUNERAL_SERVICES,
        ALL,
        "Muslim funerals arranged quickly: collection, ghusl (washing) and kafan, "
        "janazah prayer, burial, and help with the register office out of hours.",
        organisation="Al-Rahma Funeral Trust",
        how_to="Call as soon as the death is verified, day or night. They contact the "
        "register office and the cemetery so the burial can take place within 24 "
        "hours where possible.",
        address="2 Greatorex Street, London E1 5NF",
        phone="020 7946 0117",
        opening_hours="24 hours, every day",
        languages=["en", "ar", "bn", "ur"],
        faiths_served=[Faith.MUSLIM],
    ),
    _entry(
        "Willow House respite care",
        Topic.RESPITE,
        ALL,
        "A nursing home with two beds kept for palliative respite: up to a week's stay "
        "so the family carer can rest, with the person's own medicines continued.",
        organisation="Willow House Nursing Home",
        how_to="The care team or social worker books the stay; ask them. Bring the "
        "person's medicines in their boxes, the home medication chart and the "
        "advance care plan.",
        address="15 Willow Road, London NW3 1TJ",
        phone="020 7946 0118",
        opening_hours="Bookings Mon–Fri 9:00–17:00",
        languages=["en", "pl", "tr"],
    ),
    _entry(
        "Neighbours sitting service",
        Topic.VOLUNTEERS,
        [*EAST, "camden"],
        "Trained volunteers sit with the person for three to four hours a week so the "
        "family carer can go out, rest or see friends.",
        organisation="Neighbours Volunteer Network",
        how_to="Phone to register; a coordinator visits to match you with a volunteer, "
        "usually within two weeks.",
        phone="020 7946 0120",
        email="sitting@neighbours.example.org",
        opening_hours="Mon–Fri 9:00–17:00",
        languages=["en", "bn", "tr"],
    ),
    _entry(
        "Hackney and Tower Hamlets Carers' Centre",
        Topic.CARERS_SUPPORT,
        EAST,
        "Support for unpaid carers: a carer's assessment, emergency plan, breaks, "
        "support groups, and advice on work and money.",
        organisation="East London Carers' Trust",
        how_to="Register as a carer by phone or online; you will be offered a "
        "conversation about what would help and a carer's card.",
        address="Mare Street Community Hub, 200 Mare Street, London E8 3RD",
        phone="020 7946 0121",
        website="https://carers.example.org/east-london",
        opening_hours="Mon–Fri 9:30–17:00; Wed until 19:00",
        languages=["en", "tr", "bn"],
    ),
]

#: Last checked long ago: shown to the maintainers as due for review.
STALE_ENTRY = _entry(
    "Dial-a-ride community transport",
    Topic.TRANSPORT,
    ALL,
    "Door-to-door minibus for people who cannot use buses or trains, for "
    "appointments, shopping and visits.",
    organisation="London Community Transport",
    how_to="Become a member by phone first (free), then book journeys at least a day ahead.",
    phone="0343 555 0122",
    opening_hours="Bookings Mon–Fri 9:00–16:00",
    languages=["en"],
)


#: record number: [(entry name, staff username, note, final status, changed by)]
def regions(coordinator: User) -> None:
    for code, name in REGIONS:
        if not Region.objects.filter(code=code).exists():
            directory_services.create_region(actor=coordinator, code=code, name=name)


def entries(coordinator: User) -> dict[str, DirectoryEntry]:
    for data in ENTRIES:
        if not DirectoryEntry.objects.filter(name=data["name"]).exists():
            directory_services.create_entry(actor=coordinator, **data)
    if not DirectoryEntry.objects.filter(name=STALE_ENTRY["name"]).exists():
        long_ago = clock.now() - timedelta(days=430)
        with clock.travel_to(long_ago):
            directory_services.create_entry(actor=coordinator, **STALE_ENTRY)
    return {entry.name: entry for entry in DirectoryEntry.objects.active()}


def attach_next_step(
    patient: Patient,
    entry: DirectoryEntry,
    actor: User,
    note: str,
    status: str,
    changed_by: str,
    *,
    moment: datetime | None = None,
) -> None:
    if NextStep.objects.filter(patient=patient, entry=entry).exists():
        return
    when = moment or clock.now() - timedelta(days=2)
    with clock.travel_to(when):
        step = directory_services.add_next_step(
            actor=actor, patient=patient, entry=entry, note=note
        )
    if status != NextStepStatus.TO_DO:
        with clock.travel_to(when + timedelta(days=1)):
            directory_services.update_next_step(
                actor=User.objects.get(username=changed_by), step=step, changes={"status": status}
            )
