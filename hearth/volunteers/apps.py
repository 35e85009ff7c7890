from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    label = "volunteers"
    verbose_name = "Volunteers: profiles, training, availability and assignments to families"
    name = "hearth.volunteers"

    def ready(self) -> None:
        from hearth.patients.signals import home_care_ended
        from hearth.volunteers import receivers

        home_care_ended.connect(
            receivers.end_assignments_at_care_end,
            dispatch_uid="volunteers.end_assignments_at_care_end",
        )
