from django.apps import AppConfig


class CareplansConfig(AppConfig):
    label = "careplans"
    verbose_name = "Care plans and advance care plans"
    name = "hearth.careplans"

    def ready(self) -> None:
        from hearth.careplans import receivers
        from hearth.patients.signals import home_care_ended

        home_care_ended.connect(receivers.end_care_plans, dispatch_uid="careplans.end_care_plans")
