from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    label = "monitoring"
    verbose_name = "Monitoring: check-ins, home readings, alerts and escalation"
    name = "hearth.monitoring"

    def ready(self) -> None:
        from hearth.assessments import queries as assessment_queries
        from hearth.assessments.signals import assessment_recorded
        from hearth.monitoring import queries, receivers
        from hearth.patients.access import register_on_call_reason
        from hearth.patients.queries import (
            WorklistOrdering,
            register_worklist_extension,
            register_worklist_ordering,
        )
        from hearth.patients.signals import home_care_ended

        assessment_recorded.connect(
            receivers.evaluate_assessment, dispatch_uid="monitoring.evaluate_assessment"
        )
        home_care_ended.connect(
            receivers.close_alerts_at_care_end, dispatch_uid="monitoring.close_alerts_at_care_end"
        )
        register_worklist_extension(receivers.worklist_columns)
        # Patients with the most urgent open alert head page 1 of the worklist.
        register_worklist_ordering(
            WorklistOrdering(
                annotate=queries.worklist_urgency,
                order_by=("-worklist_alert_rank", "worklist_alert_since"),
            )
        )
        # The latest IPOS after the alert, phase and PPS columns.
        register_worklist_extension(assessment_queries.ipos_worklist_columns)
        # The owner of an open alert opens the patient's record without break-the-glass.
        register_on_call_reason(queries.owns_an_open_alert)
