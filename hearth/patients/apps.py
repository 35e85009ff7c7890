from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "hearth.patients"
    label = "patients"
    verbose_name = "Patients and admission"

    def ready(self) -> None:
        from hearth.core import audit, refusals
        from hearth.patients.access import (
            connect_forgetting,
            patient_key_for_identifier,
            reached_only_by_emergency_access,
        )

        audit.set_emergency_resolver(reached_only_by_emergency_access)
        refusals.set_patient_lookup(patient_key_for_identifier)
        connect_forgetting()
