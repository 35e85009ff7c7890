from django.apps import AppConfig


class CaregivingConfig(AppConfig):
    label = "caregiving"
    verbose_name = "Caregiving: family training, caregiver burden, counselling, respite"
    name = "hearth.caregiving"
