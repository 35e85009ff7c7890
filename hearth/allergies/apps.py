from django.apps import AppConfig


class AllergiesConfig(AppConfig):
    label = "allergies"
    verbose_name = "Allergies and intolerances"
    name = "hearth.allergies"
