"""What the directory lists: three categories, each with finer topics, and
the faiths a faith leader or a funeral service serves."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The region value that means "the whole area the service covers".
ALL_REGIONS = "all"


class Category(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment: where to get it")
    PAPERWORK = "paperwork", _("Paperwork: forms, benefits and registrations")
    SERVICES = "services", _("Services and support")


class Topic(models.TextChoices):
    # Equipment
    EQUIPMENT_LOAN = "equipment_loan", _("Equipment loans (beds, mattresses, commodes)")
    WHEELCHAIRS = "wheelchairs", _("Wheelchairs and mobility aids")
    OXYGEN = "oxygen", _("Home oxygen")
    CONTINENCE = "continence", _("Continence supplies")
    OTHER_EQUIPMENT = "other_equipment", _("Other equipment")
    # Paperwork
    DISABILITY = "disability", _("Disability and attendance allowance")
    BENEFITS = "benefits", _("Benefits and money advice")
    DEATH_REGISTRATION = "death_registration", _("Registering a death")
    POWER_OF_ATTORNEY = "power_of_attorney", _("Lasting power of attorney")
    WILLS = "wills", _("Wills and estates")
    OTHER_PAPERWORK = "other_paperwork", _("Other paperwork")
    # Services
    RESPITE = "respite", _("Respite care")
    VOLUNTEERS = "volunteers", _("Volunteers and sitting services")
    FAITH_LEADERS = "faith_leaders", _("Faith leaders and spiritual care")
    FUNERAL_SERVICES = "funeral_services", _("Funeral services")
    COUNSELLING = "counselling", _("Counselling and bereavement support")
    CARERS_SUPPORT = "carers_support", _("Support for carers")
    HOME_ADAPTATION = "home_adaptation", _("Home adaptations")
    TRANSPORT = "transport", _("Transport")
    OTHER_SERVICE = "other_service", _("Other services")


#: Which category each topic belongs to (a topic is a finer kind of its category).
TOPIC_CATEGORY: dict[str, str] = {
    Topic.EQUIPMENT_LOAN: Category.EQUIPMENT,
    Topic.WHEELCHAIRS: Category.EQUIPMENT,
    Topic.OXYGEN: Category.EQUIPMENT,
    Topic.CONTINENCE: Category.EQUIPMENT,
    Topic.OTHER_EQUIPMENT: Category.EQUIPMENT,
    Topic.DISABILITY: Category.PAPERWORK,
    Topic.BENEFITS: Category.PAPERWORK,
    Topic.DEATH_REGISTRATION: Category.PAPERWORK,
    Topic.POWER_OF_ATTORNEY: Category.PAPERWORK,
    Topic.WILLS: Category.PAPERWORK,
    Topic.OTHER_PAPERWORK: Category.PAPERWORK,
    Topic.RESPITE: Category.SERVICES,
    Topic.VOLUNTEERS: Category.SERVICES,
    Topic.FAITH_LEADERS: Category.SERVICES,
    Topic.FUNERAL_SERVICES: Category.SERVICES,
    Topic.COUNSELLING: Category.SERVICES,
    Topic.CARERS_SUPPORT: Category.SERVICES,
    Topic.HOME_ADAPTATION: Category.SERVICES,
    Topic.TRANSPORT: Category.SERVICES,
    Topic.OTHER_SERVICE: Category.SERVICES,
}


def topics_by_category() -> list[tuple[str, list[tuple[str, str]]]]:
    """Topic choices grouped under their category, for a select with optgroups."""
    return [
        (
            str(category_label),
            [(t.value, str(t.label)) for t in Topic if TOPIC_CATEGORY[t] == category],
        )
        for category, category_label in Category.choices
    ]


class Faith(models.TextChoices):
    ANGLICAN = "anglican", _("Christian (Church of England / Anglican)")
    CATHOLIC = "catholic", _("Christian (Roman Catholic)")
    ORTHODOX = "orthodox", _("Christian (Orthodox)")
    PENTECOSTAL = "pentecostal", _("Christian (Pentecostal / evangelical)")
    OTHER_CHRISTIAN = "other_christian", _("Christian (other churches)")
    MUSLIM = "muslim", _("Muslim")
    JEWISH = "jewish", _("Jewish")
    HINDU = "hindu", _("Hindu")
    SIKH = "sikh", _("Sikh")
    BUDDHIST = "buddhist", _("Buddhist")
    HUMANIST = "humanist", _("Humanist / non-religious")


class NextStepStatus(models.TextChoices):
    TO_DO = "to_do", _("To do")
    DONE = "done", _("Done")
    NOT_NEEDED = "not_needed", _("No longer needed")
