from django.apps import AppConfig


class VisitsConfig(AppConfig):
    label = "visits"
    verbose_name = "Visits: urgent visit requests (the planner comes with the visits issue)"
    name = "hearth.visits"

    def ready(self) -> None:
        from hearth.monitoring.signals import alert_acknowledged, alert_triaged
        from hearth.visits import receivers

        alert_triaged.connect(receivers.dispatch_from_triage, dispatch_uid="visits.dispatch")
        alert_acknowledged.connect(receivers.tell_family_help_seen, dispatch_uid="visits.help_seen")
