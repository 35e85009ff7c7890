from django.apps import AppConfig


class CareplansConfig(AppConfig):
    label = "careplans"
    verbose_name = "Care plans and advance care plans"
    name = "hearth.careplans"

    def ready(self) -> None:
        from hearth.careplans import queries, receivers, services
        from hearth.patients.queries import register_worklist_extension
        from hearth.patients.signals import home_care_ended, phase_of_illness_started

        home_care_ended.connect(receivers.end_care_plans, dispatch_uid="careplans.end_care_plans")
        phase_of_illness_started.connect(
            services.ask_for_review_after_phase_change,
            dispatch_uid="careplans.ask_for_review_after_phase_change",
        )
        # After monitoring's open alerts, phase and PPS: alerts come first.
        register_worklist_extension(queries.review_worklist_columns, order=10)
