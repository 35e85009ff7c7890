from django.apps import AppConfig


class MedicationsConfig(AppConfig):
    label = "medications"
    verbose_name = "Medicines: formulary, prescriptions, administration record, controlled drugs"
    name = "hearth.medications"

    def ready(self) -> None:
        from hearth.medications import queries
        from hearth.patients.queries import register_worklist_extension

        # After the open alerts, beside the care plan review (a prompt that can wait).
        register_worklist_extension(queries.physician_check_worklist_columns, order=10)
