from django.apps import AppConfig


class MedicationsConfig(AppConfig):
    label = "medications"
    verbose_name = "Medicines: formulary, prescriptions, administration record, controlled drugs"
    name = "hearth.medications"
