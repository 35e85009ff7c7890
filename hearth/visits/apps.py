from django.apps import AppConfig


class VisitsConfig(AppConfig):
    label = "visits"
    verbose_name = "Visits: urgent visit requests (the planner comes with the visits issue)"
    name = "hearth.visits"

    def ready(self) -> None:
        from hearth.monitoring.signals import alert_acknowledged, alert_triaged
        from hearth.patients.access import register_on_call_reason
        from hearth.patients.signals import home_care_ended
        from hearth.visits import receivers
        from hearth.visits.signals import urgent_visit_not_placed_in_time

        alert_triaged.connect(receivers.dispatch_from_triage, dispatch_uid="visits.dispatch")
        alert_acknowledged.connect(receivers.tell_family_help_seen, dispatch_uid="visits.help_seen")
        urgent_visit_not_placed_in_time.connect(
            receivers.dispatch_when_not_placed, dispatch_uid="visits.dispatch_not_placed"
        )
        home_care_ended.connect(receivers.cancel_at_care_end, dispatch_uid="visits.care_end")
        # The clinician offered or holding an open dispatch opens the record
        # without break-the-glass, audited as on-call access, until it is done.
        register_on_call_reason(receivers.holds_an_open_dispatch)
