from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    label = "assessments"
    verbose_name = "Assessments: instruments, scores and phase of illness"
    name = "hearth.assessments"
