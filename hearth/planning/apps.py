from django.apps import AppConfig


class PlanningConfig(AppConfig):
    label = "planning"
    verbose_name = "Planning: the day's visits, drafts, publishing and urgent insertion"
    name = "hearth.planning"

    def ready(self) -> None:
        from hearth.planning import receivers
        from hearth.visits.signals import urgent_visit_requested

        urgent_visit_requested.connect(
            receivers.fit_into_published_day, dispatch_uid="planning.fit_urgent_visit"
        )
