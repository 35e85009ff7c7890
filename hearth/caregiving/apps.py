from django.apps import AppConfig


class CaregivingConfig(AppConfig):
    label = "caregiving"
    verbose_name = "Caregiving: family training, caregiver burden, counselling, respite"
    name = "hearth.caregiving"

    def ready(self) -> None:
        from hearth.assessments.signals import assessment_recorded
        from hearth.caregiving import queries, receivers
        from hearth.patients.queries import register_worklist_extension
        from hearth.patients.signals import home_care_ended

        assessment_recorded.connect(
            receivers.strain_recorded, dispatch_uid="caregiving.strain_recorded"
        )
        home_care_ended.connect(
            receivers.end_support_at_care_end, dispatch_uid="caregiving.end_support_at_care_end"
        )
        register_worklist_extension(queries.worklist_columns)
