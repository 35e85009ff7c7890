from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    label = "equipment"
    verbose_name = "Equipment: home equipment inventory, loans and safety checks"
    name = "hearth.equipment"
