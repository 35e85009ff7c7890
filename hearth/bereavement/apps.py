from django.apps import AppConfig


class BereavementConfig(AppConfig):
    label = "bereavement"
    verbose_name = "Bereavement: follow-up of the family after a death, risk screening, returns"
    name = "hearth.bereavement"

    def ready(self) -> None:
        from hearth.bereavement import receivers
        from hearth.patients.signals import home_care_ended

        home_care_ended.connect(receivers.plan_at_death, dispatch_uid="bereavement.plan_at_death")
