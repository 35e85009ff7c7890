from django.apps import AppConfig


class BereavementConfig(AppConfig):
    label = "bereavement"
    verbose_name = "Bereavement: follow-up of the family after a death, risk screening, returns"
    name = "hearth.bereavement"
